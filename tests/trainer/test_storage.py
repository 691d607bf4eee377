"""The trainee database: durable turns, resumable drills, safe neighbours, clear errors."""

from __future__ import annotations

import itertools
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trainer.storage import (
    SCHEMA_VERSION,
    AttemptResult,
    ScenarioInfo,
    Storage,
    StorageError,
    ViolationRecord,
)

INFO = ScenarioInfo("app-drill", "en-US", "x.toml", "Fixture", "hardship", "easy", "us")
REPO = Path(__file__).resolve().parents[2]


def frozen() -> datetime:
    return datetime(2026, 3, 12, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Storage:
    storage = Storage.open(tmp_path / "t.db", clock=frozen)
    yield storage
    storage.close()


def result(passed: bool = True, critical: bool = False) -> AttemptResult:
    return AttemptResult(
        outcome="promise_to_pay", compliance=100, deescalation=80, outcome_score=90,
        overall=91.0 if passed else 40.0, pass_mark=75, passed=passed, critical=critical,
        violations=[ViolationRecord(2, "US-13", "critical", "threat", "15 USC 1692d")]
        if critical else [],
        skills={"empathy": (2, 0), "verification": (1, 1)},
    )


def test_file_is_wal_with_current_schema(store: Storage) -> None:
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_sign_in_remembers_language_and_last_trainee(store: Storage) -> None:
    first = store.sign_in("  Li   Wei ", "en")
    assert (first.id, first.display_name, first.language) == ("li wei", "Li Wei", "en")
    # An existing trainee keeps their language unless they chose another one.
    assert store.sign_in("LI WEI", "zh-CN").language == "en"
    assert store.sign_in("li wei", "zh-CN", remember=True).language == "zh-CN"
    assert store.last_trainee() == store.trainee("li wei")
    with pytest.raises(ValueError):
        store.sign_in("   ")


def test_turns_commit_one_by_one_and_finish_atomically(store: Storage) -> None:
    trainee = store.sign_in("emp042", "en")
    sid = store.begin_session(trainee.id, INFO, seed=7, state_json="{}", timer_seconds=30)
    assert store.record_turn(sid, {"do": "choose", "option": "dial.1"}, '{"n": 1}') == 1
    assert store.record_turn(sid, {"do": "timeout"}, '{"n": 2}') == 2
    [active] = store.active_sessions(trainee.id)
    assert (active.turns, active.state_json, active.timer_seconds) == (2, '{"n": 2}', 30)
    assert store.turn_log(sid) == [{"do": "choose", "option": "dial.1"}, {"do": "timeout"}]

    store.finish_session(sid, '{"n": 3}', result(passed=False, critical=True))
    assert store.active_sessions(trainee.id) == []
    [attempt] = store.attempts(trainee.id)
    assert attempt.critical and not attempt.passed and attempt.scenario == INFO
    assert store.violations() == [(sid, ViolationRecord(2, "US-13", "critical", "threat",
                                                        "15 USC 1692d"))]
    assert sorted(store.skill_evidence()) == [(sid, "empathy", 2, 0), (sid, "verification", 1, 1)]
    with pytest.raises(ValueError, match="not active"):
        store.record_turn(sid, {"do": "hang_up"}, "{}")


def test_the_turn_that_ends_a_call_stores_its_result_with_it(tmp_path: Path) -> None:
    ticks = itertools.count()  # every reading of the clock is a second later
    store = Storage.open(tmp_path / "t.db", clock=lambda: frozen() + timedelta(seconds=next(ticks)))
    trainee = store.sign_in("emp042", "en")
    sid = store.begin_session(trainee.id, INFO, seed=7, state_json="{}")
    store.record_turn(sid, {"do": "choose"}, '{"n": 1}')
    assert store.attempts() == []
    store.record_turn(sid, {"do": "hang_up"}, '{"n": 2}', result(passed=False))
    [ended] = store.attempts()
    assert store.active_sessions(trainee.id) == [] and ended.overall == 40.0
    # A wrap-up note after the call re-scores it; the call still ended when it ended.
    store.record_turn(sid, {"do": "note"}, '{"n": 3}', result(passed=True))
    [noted] = store.attempts()
    assert (noted.overall, noted.finished_at) == (91.0, ended.finished_at)
    assert [a["do"] for a in store.turn_log(sid)] == ["choose", "hang_up", "note"]
    with pytest.raises(ValueError, match="not active"):  # nothing else changes an ended call
        store.record_turn(sid, {"do": "choose"}, "{}")
    store.abandon_session(store.begin_session(trainee.id, INFO, 1, "{}"))
    with pytest.raises(ValueError, match="not active"):
        store.record_turn(sid + 1, {"do": "note"}, "{}", result())
    store.close()


def test_best_scores_per_scenario(store: Storage) -> None:
    trainee = store.sign_in("emp042", "en")
    for passed in (False, True, False):
        sid = store.begin_session(trainee.id, INFO, 1, "{}")
        store.finish_session(sid, "{}", result(passed=passed))
    best = store.best_scores(trainee.id)[("app-drill", "en-US")]
    assert (best.best, best.attempts, best.passed) == (91.0, 3, True)


def test_abandoned_drills_are_not_offered_again(store: Storage) -> None:
    trainee = store.sign_in("emp042", "en")
    sid = store.begin_session(trainee.id, INFO, 1, "{}")
    store.abandon_session(sid)
    assert store.active_sessions(trainee.id) == []
    assert store.attempts() == []


def test_corrupt_file_is_explained(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError) as caught:
        Storage.open(bad)
    assert "damaged" in str(caught.value) and str(bad) in str(caught.value)
    assert "--db" in caught.value.advice


def test_damaged_page_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    storage = Storage.open(path)
    storage.sign_in("emp042", "en")
    storage.close()
    data = bytearray(path.read_bytes())
    data[4096: 4096 + 300] = b"\xff" * 300  # scribble over the second page header
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError, match="damaged"):
        Storage.open(path)


def test_unwritable_location_is_explained(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(StorageError, match="cannot write"):
        Storage.open(blocker / "trainer.db")


def test_foreign_sqlite_file_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices(id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="another program"):
        Storage.open(path)
    assert sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall() == [
        ("invoices",)]


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    Storage.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="newer"):
        Storage.open(path)


WRITER = textwrap.dedent("""
    import sys
    from trainer.storage import ScenarioInfo, Storage
    path, who, turns = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = Storage.open(path)
    trainee = store.sign_in(who, "en")
    info = ScenarioInfo("app-drill", "en-US", "x.toml", "T", "hardship", "easy", "us")
    sid = store.begin_session(trainee.id, info, 1, "{}")
    for n in range(turns):
        store.record_turn(sid, {"do": "choose", "n": n}, '{"turn": %d}' % n)
    if len(sys.argv) > 4:
        import os, signal
        os.kill(os.getpid(), signal.SIGKILL)  # die mid-drill without closing anything
    store.close()
""")


def _writer(path: Path, who: str, turns: int, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), who, str(turns), *extra],
                            cwd=REPO)


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    Storage.open(path).close()
    procs = [_writer(path, name, 150) for name in ("alice", "bob")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    store = Storage.open(path)
    for name in ("alice", "bob"):
        [active] = store.active_sessions(name)
        assert active.turns == 150
        assert [a["n"] for a in store.turn_log(active.id)] == list(range(150))


def test_turns_survive_kill_9(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    proc = _writer(path, "emp042", 5, "kill")
    assert proc.wait(timeout=60) == -9
    [active] = Storage.open(path).active_sessions("emp042")
    assert active.turns == 5 and active.state_json == '{"turn": 4}'


def test_manager_command_stores_only_a_salted_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from trainer.cli import main

    db = tmp_path / "t.db"
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret pass\n"))
    assert main(["manager", "Mia Boss", "--db", str(db)]) == 0
    storage = Storage(db)
    assert storage.role("mia boss") == "manager"
    assert storage.manager_sign_in("Mia  Boss", "s3cret pass") is not None
    assert storage.manager_sign_in("Mia Boss", "s3cret") is None
    salt, digest = storage._read("SELECT salt, digest FROM credentials")[0]
    assert b"s3cret" not in bytes(salt) + bytes(digest) and len(bytes(salt)) == 16
    # A second manager with the same password gets a different salt and digest.
    storage.sign_in("Zed", "en")
    storage.set_password("zed", "s3cret pass", role="manager")
    rows = storage._read("SELECT salt, digest FROM credentials ORDER BY trainee_id")
    assert rows[0][0] != rows[1][0] and rows[0][1] != rows[1][1]
    storage.close()


class Clock:
    """A clock the test moves by hand (shared by two windows on one file)."""

    def __init__(self) -> None:
        self.now = frozen()

    def __call__(self) -> datetime:
        return self.now


def test_a_drill_is_written_by_one_window_only(tmp_path: Path) -> None:
    from trainer.storage import Decision, LeaseLostError

    clock = Clock()
    first = Storage.open(tmp_path / "t.db", clock=clock)
    second = Storage.open(tmp_path / "t.db", clock=clock)
    trainee = first.sign_in("emp042", "en")
    sid = first.begin_session(trainee.id, INFO, seed=7, state_json="{}")
    first.record_turn(sid, {"do": "choose", "n": 1}, "{}")
    # The second window sees the drill as held: it may watch or take over, not write.
    [seen] = second.active_sessions(trainee.id)
    assert seen.held_elsewhere and not first.active_sessions(trainee.id)[0].held_elsewhere
    assert not second.take_lease(sid)
    with pytest.raises(LeaseLostError):
        second.record_turn(sid, {"do": "choose", "n": 99}, "{}")
    # Taking over: from then on only the second window writes, the first is told so.
    assert second.take_lease(sid, takeover=True)
    second.record_turn(sid, {"do": "choose", "n": 2}, "{}")
    for write in (lambda: first.record_turn(sid, {"do": "choose", "n": 99}, "{}"),
                  lambda: first.finish_session(sid, "{}", result()),
                  lambda: first.record_decision(sid, 3, Decision(900, 3, False, 400))):
        with pytest.raises(LeaseLostError):
            write()
    assert not first.renew_lease(sid)
    second.record_turn(sid, {"do": "hang_up", "n": 3}, "{}", result(passed=False))
    assert [a["n"] for a in second.turn_log(sid)] == [1, 2, 3]
    [attempt] = first.attempts()
    assert attempt.overall == 40.0
    first.close()
    second.close()


def test_a_killed_windows_lease_runs_out_and_a_closed_one_is_freed(tmp_path: Path) -> None:
    from trainer.storage import LEASE_SECONDS

    clock = Clock()
    killed = Storage.open(tmp_path / "t.db", clock=clock)
    trainee = killed.sign_in("emp042", "en")
    sid = killed.begin_session(trainee.id, INFO, seed=7, state_json="{}")
    other = Storage.open(tmp_path / "t.db", clock=clock)
    assert other.active_sessions(trainee.id)[0].held_elsewhere
    assert killed.renew_lease(sid)
    clock.now += timedelta(seconds=LEASE_SECONDS - 1)
    assert other.active_sessions(trainee.id)[0].held_elsewhere  # renewed: still held
    clock.now += timedelta(seconds=2)
    assert not other.active_sessions(trainee.id)[0].held_elsewhere  # never renewed again
    assert other.take_lease(sid)
    other.record_turn(sid, {"do": "choose"}, "{}")
    # A window that closes cleanly hands its drills back at once.
    other.close()
    third = Storage.open(tmp_path / "t.db", clock=clock)
    assert not third.active_sessions(trainee.id)[0].held_elsewhere
    third.close()
