"""Typed replies in the database: the migration that adds them and the round trip."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from trainer.db_identity import APPLICATION_ID
from trainer.storage import MIGRATIONS, SCHEMA_VERSION, Decision, ScenarioInfo, Storage

INFO = ScenarioInfo("app-drill", "en-US", "x.toml", "Fixture", "hardship", "easy", "us")
TYPED_VERSION = next(i + 1 for i, step in enumerate(MIGRATIONS)
                     if any("ADD COLUMN typed" in sql for sql in step))


def frozen() -> datetime:
    return datetime(2026, 3, 12, 9, 0, tzinfo=UTC)


def test_a_file_from_before_typed_replies_is_migrated_keeping_its_decisions(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for step in MIGRATIONS[: TYPED_VERSION - 1]:
        for sql in step:
            conn.execute(sql)
    conn.execute(f"PRAGMA user_version = {TYPED_VERSION - 1}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("INSERT INTO trainees VALUES ('emp1', 'Emp1', 'en', 'x', 'x', 'trainee')")
    conn.execute("INSERT INTO sessions (id, trainee_id, scenario_id, scenario_language,"
                 " scenario_path, title, debtor_type, difficulty, rule_pack, seed, status,"
                 " started_at, updated_at, state_json) VALUES (1, 'emp1', 'd', 'en-US', 'p',"
                 " 't', 'hardship', 'easy', 'us', 1, 'finished', 'x', 'x', '{}')")
    conn.execute("INSERT INTO decisions VALUES (1, 1, 900, 3, 1, 400)")
    conn.commit()
    conn.close()
    store = Storage.open(path, clock=frozen)
    try:
        version = sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0]
        assert version == SCHEMA_VERSION
        store.record_decision(1, 2, Decision(5000, 3, False, 0, "我们不会联系您的家人", None))
        store.record_decision(1, 3, Decision(4000, 3, False, 0, "Hi, this is Alex", "greeting.1"))
        assert [d for _, d in store.decisions()] == [
            Decision(900, 3, True, 400),  # a multiple-choice pick: no typed words
            Decision(5000, 3, False, 0, "我们不会联系您的家人", None),
            Decision(4000, 3, False, 0, "Hi, this is Alex", "greeting.1"),
        ]
    finally:
        store.close()


def test_the_manager_report_counts_typed_reply_calls_apart(tmp_path: Path) -> None:
    from trainer.gaming import MIN_DECISIONS
    from trainer.i18n import Translator
    from trainer.report import build_report, markdown, trainees_csv
    from trainer.storage import AttemptResult

    def result(passed: bool) -> AttemptResult:
        return AttemptResult(
            outcome="promise_to_pay", compliance=100, deescalation=70, outcome_score=80,
            overall=88 if passed else 40, pass_mark=75, passed=passed, critical=False,
            violations=[], skills={},
        )

    store = Storage.open(tmp_path / "team.db", clock=frozen)
    try:
        ana = store.sign_in("Ana", "en")
        for typed, passed in ((True, True), (True, False), (False, True)):
            sid = store.begin_session(ana.id, INFO, 1, "{}", typed=typed)
            for seq in range(1, MIN_DECISIONS + 1):
                words = "Hi, this is Alex" if typed else None
                store.record_turn(sid, {"do": "say", "text": words, "option": "greeting.1"}
                                  if typed else {"do": "choose", "option": "greeting.1"}, "{}")
                store.record_decision(sid, seq, Decision(9000, 3, not typed, 400, words,
                                                         "greeting.1" if typed else None))
            store.finish_session(sid, "{}", result(passed))
        report = build_report(store)
    finally:
        store.close()
    [row] = report.trainees
    assert (row.attempts, row.typed_attempts, row.typed_passes) == (3, 2, 1)
    # The gaming flags read the multiple-choice picks only: the one call with options
    # always took the longest, which the two typed calls must not dilute (counted in,
    # its share would be 1/3, under the flag's 0.7).
    assert "always_longest" in row.flags
    header, values = trainees_csv(report).splitlines()
    fields = dict(zip(header.split(","), values.split(","), strict=True))
    assert (fields["free_reply_attempts"], fields["free_reply_passes"]) == ("2", "1")
    assert "2 (1 passed)" in markdown(report, Translator("en"))
