"""Whole outputs or none: ``--out`` folders are swapped in by one rename, never file by file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.errors import ConfigError
from sim.experiments.output import clean_stale, final_path, staged_directory
from sim.interrupts import _pressed

ROOT = Path(__file__).resolve().parents[2]
WALKS = 1500
"""Enough transcripts that writing them takes a moment to interrupt."""


def _hidden(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_a_new_folder_appears_complete(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staged_directory(out) as stage:
        (stage / "a.csv").write_text("1\n")
        (stage / "sub").mkdir()
        (stage / "sub" / "b.txt").write_text("2\n")
        assert not out.exists()  # nothing in place while the run is still writing
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "sub"]
    assert _hidden(tmp_path) == []


def test_a_path_in_a_staging_folder_is_named_where_it_will_land(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staged_directory(out) as stage:
        assert final_path(stage) == out
        with staged_directory(stage / "compare") as inner:  # a command run inside another
            assert final_path(inner / "runs.csv") == out / "compare" / "runs.csv"
    assert final_path(stage / "compare") == stage / "compare"  # swapped in: forgotten
    assert final_path(tmp_path / "elsewhere") == tmp_path / "elsewhere"


def test_an_earlier_output_is_replaced_whole_not_merged(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staged_directory(out) as stage:
        (stage / "old.csv").write_text("old\n")
    with staged_directory(out) as stage:
        (stage / "new.csv").write_text("new\n")
    assert sorted(p.name for p in out.iterdir()) == ["new.csv"]
    assert _hidden(tmp_path) == []


def test_without_an_atomic_exchange_the_old_output_is_set_aside_then_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sim.experiments.output as output

    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    for name in ("old.csv", "new.csv"):
        with staged_directory(out) as stage:
            (stage / name).write_text(name)
    assert sorted(p.name for p in out.iterdir()) == ["new.csv"]
    assert _hidden(tmp_path) == []


@pytest.mark.parametrize("failure", [RuntimeError("disk"), KeyboardInterrupt()])
def test_a_failure_leaves_the_earlier_output_and_no_staging(
    tmp_path: Path, failure: BaseException
) -> None:
    out = tmp_path / "out"
    with staged_directory(out) as stage:
        (stage / "kept.csv").write_text("kept\n")
    with pytest.raises(type(failure)), staged_directory(out) as stage:
        (stage / "half.csv").write_text("half\n")
        raise failure
    assert sorted(p.name for p in out.iterdir()) == ["kept.csv"]
    assert _hidden(tmp_path) == []


def test_an_interrupted_first_run_leaves_no_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out"
    with pytest.raises(KeyboardInterrupt), staged_directory(out):
        raise KeyboardInterrupt
    assert not out.exists()


def test_a_swallowed_ctrl_c_still_cancels_the_swap(tmp_path: Path) -> None:
    out = tmp_path / "out"
    try:
        with pytest.raises(KeyboardInterrupt), staged_directory(out) as stage:
            (stage / "a.csv").write_text("1\n")
            _pressed.set()  # as if a library had caught the KeyboardInterrupt
    finally:
        _pressed.clear()
    assert not out.exists()


def test_a_ctrl_c_a_library_swallowed_still_exits_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Matplotlib and Dask can catch the KeyboardInterrupt (printed as "ignored") and let
    the command finish; the dispatcher still answers 130, not the command's 0."""
    from sim.cli import main
    from sim.commands import validate

    def swallowing(args: object) -> int:
        try:
            # What a Ctrl-C runs, called directly: a real SIGINT sent to this test process
            # could reach it after the command's handler is gone and stop the test run.
            handler = signal.getsignal(signal.SIGINT)
            assert callable(handler)
            handler(signal.SIGINT, None)
        except KeyboardInterrupt:
            pass  # as a draw callback or a finaliser would
        return 0

    monkeypatch.setattr(validate, "run", swallowing)
    assert main(["validate", "baseline"]) == 130
    assert "interrupted" in capsys.readouterr().err


def test_an_answered_ctrl_c_does_not_cancel_a_later_commands_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """One process, two commands (a notebook, a test run): the first was interrupted and
    exited 130; the second's output is still swapped in."""
    test_a_ctrl_c_a_library_swallowed_still_exits_130(monkeypatch, capsys)
    with staged_directory(tmp_path / "out") as stage:
        (stage / "a.csv").write_text("1\n")
    assert (tmp_path / "out" / "a.csv").is_file()


def test_staging_left_by_a_killed_run_is_removed_by_the_next(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = tmp_path / f".out.staging-{dead.stdout.strip()}-abc"
    stale.mkdir()
    (stale / "half.csv").write_text("half\n")
    live = tmp_path / f".out.staging-{os.getpid()}-xyz"
    live.mkdir()
    assert clean_stale(tmp_path) == [stale]
    assert live.exists()


def test_a_folder_holding_other_files_is_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "notes.py").write_text("print('mine')\n")
    with pytest.raises(ConfigError) as info, staged_directory(tmp_path):
        pass
    assert "not outputs (e.g. notes.py)" in info.value.render()
    assert (tmp_path / "notes.py").exists()


def test_a_file_in_the_way_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("a file\n")
    with pytest.raises(ConfigError), staged_directory(target):
        pass
    assert target.read_text() == "a file\n"


def _playthrough(out: Path) -> subprocess.Popen[str]:
    drill = ROOT / "scenarios" / "roleplay" / "stop-calling.en-US.toml"
    return subprocess.Popen(
        [sys.executable, "-m", "trainer", "playthrough", str(drill), "--walks", str(WALKS),
         "--out", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )


def _complete(out: Path) -> bool:
    folders = [p for p in out.iterdir() if p.is_dir()]
    return (out / "summary.json").is_file() and all(
        len(list(f.glob("walk-*.txt"))) == WALKS for f in folders)


def _wait_for_staging(parent: Path, process: subprocess.Popen[str], limit: float = 120) -> bool:
    """Wait until the run has started writing its staging folder (False if it never did)."""
    end = time.monotonic() + limit
    while time.monotonic() < end and process.poll() is None:
        if any(p.name.startswith(".out.staging-") for p in parent.iterdir()):
            return True
        time.sleep(0.01)
    return False


@pytest.mark.parametrize("delay", [0.0, 0.3])
def test_ctrl_c_while_a_playthrough_writes_exits_130_with_nothing_in_place(
    tmp_path: Path, delay: float
) -> None:
    out = tmp_path / "out"
    process = _playthrough(out)
    if not _wait_for_staging(tmp_path, process):
        process.kill()
        pytest.fail("the playthrough never started writing")
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the run finished before the signal arrived")
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert not out.exists()
    assert _hidden(tmp_path) == []


@pytest.mark.slow
def test_killing_a_playthrough_at_any_moment_never_leaves_half_an_output(
    tmp_path: Path
) -> None:
    for trial, delay in enumerate((0.0, 0.1, 0.3, 0.8)):
        parent = tmp_path / f"trial{trial}"
        parent.mkdir()
        out = parent / "out"
        process = _playthrough(out)
        _wait_for_staging(parent, process)
        time.sleep(delay)
        process.send_signal(signal.SIGINT if trial % 2 else signal.SIGKILL)
        process.communicate(timeout=120)
        # -SIGINT: a Ctrl-C landing as the interpreter shuts down is an uncaught
        # KeyboardInterrupt, which Python ends by SIGINT itself (a shell shows 130).
        assert process.returncode in (0, 130, -signal.SIGINT, -signal.SIGKILL)
        assert not out.exists() or _complete(out)
        if trial % 2 == 0:  # killed: its staging stays until the next run into the folder
            with staged_directory(parent / "next"):
                pass
        assert _hidden(parent) == []
