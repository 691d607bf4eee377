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
