"""The run cache: exact round trips, no stale hits, and resumption after kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from sim.experiments.cache import RunCache, code_version, run_fingerprint
from sim.experiments.execution import Run, execute

sys.path.insert(0, str(Path(__file__).parent))
from experiments_toy import Toy, toy_run


def test_round_trip_is_exact(tmp_path: Path) -> None:
    cache = RunCache(tmp_path, version="v1")
    kpis = {"a": 0.1 + 0.2, "b": float("nan"), "c": -0.0, "d": 1e-300}
    cache.put("f" * 64, 3, 7, kpis)
    got = cache.get("f" * 64, 3, 7)
    assert got is not None
    assert got["a"] == kpis["a"] and got["d"] == kpis["d"] and got["c"] == kpis["c"]
    assert got["b"] != got["b"]  # NaN survives as NaN
    assert cache.get("f" * 64, 3, 8) is None
    assert cache.get("f" * 64, 4, 7) is None
    assert RunCache(tmp_path, version="v2").get("f" * 64, 3, 7) is None


def test_changed_scenario_is_never_served(tmp_path: Path) -> None:
    calls: list[Run] = []

    def counting(run: Run) -> dict[str, float]:
        calls.append(run)
        return toy_run(run)

    runs = [Run(Toy(level=1.0), 0, r) for r in range(3)]
    first = execute(runs, run=counting, workers=1, cache=tmp_path)
    assert execute(runs, run=counting, workers=1, cache=tmp_path) == first
    assert len(calls) == 3
    changed = [Run(Toy(level=1.5), 0, r) for r in range(3)]
    second = execute(changed, run=counting, workers=1, cache=tmp_path)
    assert len(calls) == 6
    assert [s["kpi"] - f["kpi"] for s, f in zip(second, first, strict=True)] == pytest.approx(
        [0.5] * 3
    )


def test_a_corrupt_or_foreign_entry_is_a_miss(tmp_path: Path) -> None:
    cache = RunCache(tmp_path, version="v1")
    cache.put("a" * 64, 0, 0, {"x": 1.0})
    path = cache.path("a" * 64, 0, 0)
    path.write_text('{"key": {"fingerprint": "')  # truncated
    assert cache.get("a" * 64, 0, 0) is None
    other = cache.path("b" * 64, 0, 0)
    other.parent.mkdir(parents=True, exist_ok=True)
    other.write_text(json.dumps({"key": {"fingerprint": "c" * 64}, "kpis": {"x": 2.0}}))
    assert cache.get("b" * 64, 0, 0) is None


def test_code_version_names_the_package() -> None:
    assert code_version().startswith("0.") or code_version().startswith("unknown")
    assert "+" in code_version()


SCRIPT = """
import sys
sys.path.insert(0, {here!r})
from experiments_toy import Toy, toy_run
from sim.experiments.execution import Run, execute
runs = [Run(Toy(level=2.0, delay=0.05), 1, r) for r in range(40)]
execute(runs, run=toy_run, workers=1, cache={cache!r}, progress=False)
"""


@pytest.mark.slow
def test_resume_after_kill_9_recomputes_only_missing_runs(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    script = SCRIPT.format(here=str(Path(__file__).parent), cache=str(cache_dir))
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)])
    cache = RunCache(cache_dir)
    deadline = time.monotonic() + 60
    while len(cache) < 8 and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    survived = len(cache)
    assert 8 <= survived < 40, "the child should have been killed mid-way"
    for entry in cache_dir.glob("*/*.json"):  # every visible entry is complete
        assert set(json.loads(entry.read_text())) == {"key", "kpis", "checksum"}

    calls: list[int] = []

    def counting(run: Run) -> dict[str, float]:
        calls.append(run.replication)
        return toy_run(run)

    runs = [Run(Toy(level=2.0, delay=0.05), 1, r) for r in range(40)]
    resumed = execute(runs, run=counting, workers=1, cache=cache_dir)
    assert len(calls) == 40 - survived
    fresh = execute(runs, run=toy_run, workers=1)
    assert resumed == fresh


def test_an_entry_edited_by_hand_or_ill_typed_is_a_miss(tmp_path: Path) -> None:
    cache = RunCache(tmp_path, version="v1")
    cache.put("a" * 64, 0, 0, {"x": 1.0, "y": 2.0})
    path = cache.path("a" * 64, 0, 0)
    stored = json.loads(path.read_text())
    assert cache.get("a" * 64, 0, 0) == {"x": 1.0, "y": 2.0}
    path.write_text(json.dumps({**stored, "kpis": {"x": 5.0, "y": 2.0}}))
    assert cache.get("a" * 64, 0, 0) is None
    for bad in ("abc", [1], None, True):
        kpis = {"x": bad}
        from sim.experiments.cache import _checksum

        path.write_text(json.dumps({**stored, "kpis": kpis, "checksum": _checksum(kpis)}))
        assert cache.get("a" * 64, 0, 0) is None, bad


BAD_VALUES = ("abc", [1], None, True, 7, 10**400, float("inf"), float("-inf"), {"x": 1.0})


@pytest.mark.parametrize("bad", BAD_VALUES, ids=repr)
def test_a_bad_kpi_value_is_recomputed_and_overwritten(tmp_path: Path, bad: object) -> None:
    """Even with a checksum that matches (a writer's bug, not a hand edit), a value that
    ``put`` could not have written is a miss: the run is computed again, no traceback,
    and its entry is written over the bad one."""
    from sim.experiments.cache import _checksum

    runs = [Run(Toy(level=2.0), 1, r) for r in range(2)]
    fresh = execute(runs, run=toy_run, workers=1, cache=tmp_path)
    cache = RunCache(tmp_path)
    fingerprint = run_fingerprint(runs[0].scenario)
    path = cache.path(fingerprint, 1, 0)
    stored = json.loads(path.read_text())
    kpis = {**stored["kpis"], "kpi": bad}
    # json writes 10**400 as digits and inf as Infinity, as a careless writer would.
    path.write_text(json.dumps({**stored, "kpis": kpis, "checksum": _checksum(kpis)}))
    assert cache.get(fingerprint, 1, 0) is None
    calls: list[int] = []

    def counting(run: Run) -> dict[str, float]:
        calls.append(run.replication)
        return toy_run(run)

    assert execute(runs, run=counting, workers=1, cache=tmp_path) == fresh
    assert calls == [0]  # only the bad entry was recomputed
    assert cache.get(fingerprint, 1, 0) == fresh[0]  # and written over


@pytest.mark.parametrize("what", ["fifo", "folder", "deep"])
def test_an_entry_that_is_not_a_readable_file_is_a_miss(tmp_path: Path, what: str) -> None:
    cache = RunCache(tmp_path, version="v1")
    path = cache.path("a" * 64, 0, 0)
    path.parent.mkdir(parents=True)
    if what == "fifo":
        os.mkfifo(path)  # reading would block forever
    elif what == "folder":
        path.mkdir()
    else:
        path.write_text("[" * 100_000 + "]" * 100_000)  # json's recursion limit
    assert cache.get("a" * 64, 0, 0) is None


def test_an_edited_custom_pack_changes_the_key(tmp_path: Path) -> None:
    import sim
    from sim import shipped

    pack = tmp_path / "rules" / "cn.toml"
    pack.parent.mkdir()
    original = shipped.folder("pack") / "cn.toml"
    pack.write_bytes(original.read_bytes())
    (tmp_path / "s.toml").write_text(
        'inherit = "baseline"\n[compliance]\npack = "rules/cn.toml"\n', "utf-8")
    before = run_fingerprint(sim.load_scenario(tmp_path / "s.toml"))
    assert before == run_fingerprint(sim.load_scenario(tmp_path / "s.toml"))
    pack.write_bytes(original.read_bytes() + b"\n# a comment is an edit too\n")
    assert run_fingerprint(sim.load_scenario(tmp_path / "s.toml")) != before


def test_the_default_folder_is_the_user_cache_unless_overridden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import platformdirs

    from sim.experiments.cache import default_directory
    from sim.experiments.execution import resolve_cache

    monkeypatch.delenv("RECOVERYLAB_CACHE")
    assert default_directory() == Path(platformdirs.user_cache_dir("recoverylab")) / "runs"
    monkeypatch.setenv("RECOVERYLAB_CACHE", str(tmp_path / "elsewhere"))
    cache = resolve_cache(True)
    assert cache is not None and cache.directory == tmp_path / "elsewhere"


def test_compare_writes_nothing_into_the_current_folder_and_honours_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    from sim.cli import main

    work = tmp_path / "work"
    work.mkdir()
    (work / "small.toml").write_text(
        'inherit = "baseline"\n[portfolio]\naccounts = 300\ndaily_inflow = 5\n'
        "[horizon]\ndays = 20\n", "utf-8")
    (work / "other.toml").write_text(
        'inherit = "digital_first"\n[portfolio]\naccounts = 300\ndaily_inflow = 5\n'
        "[horizon]\ndays = 20\n", "utf-8")
    monkeypatch.chdir(work)
    args = ["compare", "small.toml", "other.toml", "-r", "2", "--workers", "1"]
    assert main(args) == 0
    assert sorted(p.name for p in work.iterdir()) == ["other.toml", "small.toml"]
    assert len(RunCache(os.environ["RECOVERYLAB_CACHE"])) == 4
    assert main([*args, "--cache", str(tmp_path / "mine")]) == 0
    assert len(RunCache(tmp_path / "mine")) == 4
    capsys.readouterr()
