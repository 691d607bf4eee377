"""Two trainer windows as two OS processes on one SQLite file: the drill lease holds.

The defect: a trainee had the app open twice, both windows played the same drill, and
whichever finished last overwrote the other, so a 76.8 attempt with a verification
breach vanished. Each window here is a separate Python process
(``window_process.py``) with its own connection, driving the same storage and engine
calls the call screen makes; the test only chooses how their steps interleave. The
third connection that checks the file at the end is this test process.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from app_support import PASSING_PATH

from trainer.engine import Session, load_scenario, score
from trainer.storage import Storage

WORKER = Path(__file__).parent / "window_process.py"
REPO = Path(__file__).resolve().parents[2]
BREACH_PATH = ("dial.1", "greeting.2", "disclosure.1", "listen.1", "plan.1", "recap.1")
"""Talks about the debt before verifying (US-VERIFY), then resolves the call."""
OTHER_ENDING = (*BREACH_PATH[:5], "recap.2")
"""The same call with another read-back at the end: another score (what a second window
playing its own version of the drill would store)."""
ANSWER_SECONDS = 60


class WindowProcess:
    """A trainer window in a child process; ``send`` runs one command and answers."""

    def __init__(self, db: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), str(db)], cwd=REPO, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert self.answer() == {"ready": True}

    def post(self, **command: Any) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()

    def answer(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], ANSWER_SECONDS)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            self.proc.kill()
            raise AssertionError(f"the window process gave no answer: {self.proc.stderr.read()}")
        return json.loads(line)  # type: ignore[no-any-return]

    def send(self, **command: Any) -> dict[str, Any]:
        self.post(**command)
        return self.answer()

    def close(self) -> None:
        """Close the window as the app does on exit (its leases are handed back)."""
        if self.proc.poll() is None:
            assert self.send(op="close") == {"closed": True}
            self.proc.wait(ANSWER_SECONDS)

    def end(self) -> None:
        """Make sure the process is gone and its pipes closed (test teardown)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate()


@pytest.fixture
def windows(tmp_path: Path):  # type: ignore[no-untyped-def]
    opened: list[WindowProcess] = []

    def open_window() -> WindowProcess:
        window = WindowProcess(tmp_path / "t.db")
        opened.append(window)
        window.send(op="sign_in", name="emp042")
        return window

    yield open_window
    for window in opened:
        window.end()


def expected(path: tuple[str, ...]) -> tuple[float, list[str]]:
    """The overall score and breached rules the engine gives ``path`` (seed 7)."""
    from app_support import APP_LIBRARY

    session = Session.start(load_scenario(APP_LIBRARY / "app-drill.en-US.toml"), seed=7)
    for option in path:
        session.choose_id(option)
    result = score(session)
    return result.overall, [v.rule_id for v in result.violations]


def stored(db: Path, session_id: int) -> tuple[list[Any], list[tuple[float, bool]], list[str]]:
    """What a third connection reads back: the turn log, the attempts and the breaches."""
    reader = Storage.open(db)
    try:
        log = [a["option"] for a in reader.turn_log(session_id)]
        attempts = [(a.overall, a.passed) for a in reader.attempts() if a.session_id == session_id]
        breaches = [v.rule_id for sid, v in reader.violations() if sid == session_id]
    finally:
        reader.close()
    return log, attempts, breaches


def test_a_second_process_only_watches_and_the_first_attempt_is_kept(
        windows: Any, tmp_path: Path) -> None:
    """The original defect, replayed in two processes: the second window plays its own
    version of the same drill and finishes it last. With the lease it is refused every
    write, so the attempt the first window played (and its breach) is the one stored."""
    first = windows()
    session_id = first.send(op="begin")["session"]
    for turn, option in enumerate(BREACH_PATH[:2], 1):
        assert first.send(op="play", option=option) == {"turn": turn, "finished": False}
    second = windows()
    assert second.send(op="look") == {
        "drills": [{"id": session_id, "turns": 2, "held_elsewhere": True}]}
    assert second.send(op="take", session=session_id, takeover=False) == {"held": False}
    assert second.send(op="resume") == {"turn": 2}  # it may watch the stored call
    # Both windows play on, turn about; only the holder's turns are stored.
    for mine, theirs in zip(BREACH_PATH[2:], OTHER_ENDING[2:], strict=True):
        assert "refused" not in first.send(op="play", option=mine)
        assert second.send(op="play", option=theirs) == {"refused": "lease"}
    assert second.send(op="finish") == {"refused": "lease"}  # the last finish no longer wins
    assert first.send(op="finish") == {"stored": True}
    first.close()
    second.close()

    overall, breaches = expected(BREACH_PATH)
    assert breaches == ["US-VERIFY"] and overall != expected(OTHER_ENDING)[0]
    log, attempts, stored_breaches = stored(tmp_path / "t.db", session_id)
    assert log == list(BREACH_PATH)  # every turn once, in order, none of the watcher's
    assert attempts == [(overall, overall >= 75)]
    assert stored_breaches == ["US-VERIFY"]


def test_a_takeover_moves_the_writing_to_the_second_process(windows: Any, tmp_path: Path) -> None:
    """Taking over hands the drill on: the first window is refused from then on (and
    learns it when renewing), the second plays on from the stored turns."""
    first = windows()
    session_id = first.send(op="begin")["session"]
    for option in PASSING_PATH[:2]:
        first.send(op="play", option=option)
    second = windows()
    assert second.send(op="take", session=session_id, takeover=True) == {"held": True}
    assert second.send(op="resume") == {"turn": 2}
    assert first.send(op="play", option=PASSING_PATH[2]) == {"refused": "lease"}
    assert first.send(op="renew") == {"held": False}
    for option in PASSING_PATH[2:]:
        assert "refused" not in second.send(op="play", option=option)
    assert first.send(op="finish") == {"refused": "lease"}
    second.close()
    first.close()

    overall, _ = expected(PASSING_PATH)
    log, attempts, breaches = stored(tmp_path / "t.db", session_id)
    assert log == list(PASSING_PATH)
    assert attempts == [(overall, True)] and breaches == []


def test_two_processes_asking_for_a_free_drill_at_once_get_it_once(windows: Any) -> None:
    """Both ask in the same moment (commands posted to both before either answers):
    taking a lease is one write transaction, so exactly one of them wins, every time."""
    first, second = windows(), windows()
    session_id = first.send(op="begin")["session"]
    first.send(op="release")
    for _ in range(10):
        for window in (first, second):
            window.post(op="take", session=session_id, takeover=False)
        held = [first.answer()["held"], second.answer()["held"]]
        assert sorted(held) == [False, True], held
        (first if held[0] else second).send(op="release")
    first.close()
    second.close()
