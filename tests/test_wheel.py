"""Install it anywhere: build the wheel, install it (not editable) into a fresh venv, and
use it from an empty folder, as a user outside the repository would.

Slow (one build and one install, about two minutes on two cores) but part of
``make test``: it is the only test that sees the package without the repository
behind it. Each command runs with an empty temporary folder as its working directory
and a temporary HOME, so nothing can be read from the checkout or a user's files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Installed:
    """A fresh venv with the wheel installed, and a way to run commands in it."""

    wheel: Path
    bin: Path
    home: Path

    def run(self, *argv: str, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
        env.update(HOME=str(self.home), XDG_CACHE_HOME=str(self.home / ".cache"),
                   XDG_DATA_HOME=str(self.home / ".local/share"), MPLBACKEND="Agg",
                   COLUMNS="120", NO_COLOR="1")
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        program = argv[0] if argv[0].startswith("/") else str(self.bin / argv[0])
        return subprocess.run([program, *argv[1:]], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    base = tmp_path_factory.mktemp("wheel")
    # Build from a clean copy: an in-tree build/ folder could carry stale modules.
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", "out", ".*cache",
        ".hypothesis", ".ipynb_checkpoints"))
    dist = base / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist),
         str(source)],
        capture_output=True, text=True, timeout=600, check=False)
    assert build.returncode == 0, build.stderr
    (wheel,) = dist.glob("*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    install = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-compile",
         str(wheel)], capture_output=True, text=True, timeout=900, check=False)
    assert install.returncode == 0, install.stderr
    home = base / "home"
    home.mkdir()
    yield Installed(wheel, venv / "bin", home)


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


def test_the_wheel_carries_every_shipped_data_file(installed: Installed) -> None:
    tracked = subprocess.run(["git", "ls-files", "scenarios"], cwd=ROOT, capture_output=True,
                             text=True, check=False).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    with zipfile.ZipFile(installed.wheel) as wheel:
        inside = set(wheel.namelist())
    missing = [p for p in tracked if not p.endswith(".py")
               and "recoverylab_scenarios/" + p.removeprefix("scenarios/") not in inside]
    assert missing == []
    assert installed.wheel.name.startswith("recoverylab_collections-")


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Installed,
                                                            empty: Path) -> None:
    done = installed.run("python", "-c", textwrap.dedent("""
        import sim, trainer, sim.shipped as s
        print(sim.__file__); print(trainer.__file__); print(s.data_root())
    """), cwd=empty)
    assert done.returncode == 0, done.stderr
    for line in done.stdout.splitlines():
        assert "site-packages" in line and str(ROOT) not in line


def test_run_a_shipped_scenario_by_name(installed: Installed, empty: Path) -> None:
    done = installed.run("recoverylab", "run", "baseline", "--days", "30", "--out", "run",
                         cwd=empty)
    assert done.returncode == 0, done.stderr
    assert "Scorecard" in done.stdout
    assert (empty / "run" / "daily.csv").is_file()


def test_a_downloaded_scenario_inherits_a_shipped_one_and_uses_a_shipped_pack(
    installed: Installed, empty: Path,
) -> None:
    (empty / "mine.toml").write_text(
        'inherit = "baseline.toml"\n[compliance]\npack = "cn"\n'
        "[staffing.teams.early]\nheadcount = 16\n", "utf-8")
    done = installed.run("recoverylab", "validate", "mine.toml", cwd=empty)
    assert done.returncode == 0, done.stderr
    assert "pack cn" in done.stdout and "early 16" in done.stdout


def test_scenarios_list_and_copy(installed: Installed, empty: Path) -> None:
    listing = installed.run("recoverylab", "scenarios", "list", cwd=empty)
    assert listing.returncode == 0, listing.stderr
    assert "baseline" in listing.stdout and "abusive-caller.zh-CN" in listing.stdout
    copy = installed.run("recoverylab", "scenarios", "copy", "call_intensive", "mine.toml",
                         cwd=empty)
    assert copy.returncode == 0, copy.stderr
    assert installed.run("recoverylab", "validate", "mine.toml", cwd=empty).returncode == 0


def test_compare_two_shipped_strategies(installed: Installed, empty: Path) -> None:
    done = installed.run("recoverylab", "compare", "baseline", "digital_first", "-r", "2",
                         "--out", "cmp", cwd=empty)
    assert done.returncode == 0, done.stderr
    assert "Challenger - champion (baseline)" in done.stdout
    assert (empty / "cmp" / "differences.csv").is_file()
    assert sorted(p.name for p in empty.iterdir()) == ["cmp"]  # no cache in the folder


def test_demo(installed: Installed, empty: Path) -> None:
    done = installed.run("recoverylab", "demo", "-r", "2", "--out", "out", cwd=empty)
    assert done.returncode == 0, done.stderr
    assert "recoverylab-train" in done.stdout
    assert (empty / "out" / "compare" / "summary.csv").is_file()


def test_lint_and_playthrough_the_shipped_drills(installed: Installed, empty: Path) -> None:
    lint = installed.run("recoverylab-train", "lint", cwd=empty)
    assert lint.returncode in (0, 1), lint.stderr  # findings are content, not packaging
    assert "files checked" in lint.stdout and "not found" not in lint.stdout
    play = installed.run("recoverylab-train", "playthrough", "abusive-caller", "--walks", "3",
                         cwd=empty)
    assert play.returncode == 0, play.stdout + play.stderr
    assert "2 scenarios played: ok" in play.stdout


def test_the_trainer_starts_under_pilot(installed: Installed, empty: Path) -> None:
    script = textwrap.dedent("""
        import asyncio, sys
        from pathlib import Path
        from trainer.app import TrainerApp
        from trainer.storage import Storage

        async def main():
            app = TrainerApp(Storage.open(Path("trainer.db")))
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                drills = await app.library()
                print(type(app.screen).__name__, len(drills))

        asyncio.run(main())
    """)
    done = installed.run("python", "-c", script, cwd=empty)
    assert done.returncode == 0, done.stderr
    screen, count = done.stdout.split()
    assert screen == "SignInScreen" and int(count) >= 20
