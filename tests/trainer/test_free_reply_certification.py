"""A manager may require typed replies on a drill: then only typed passes certify.

Storage keeps the requirement (schema version 5) and tells typed calls from the turn log;
:class:`trainer.report.FreeReplyRule` applies it to certification, and the manager
report counts the same typed calls.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trainer.db_identity import APPLICATION_ID
from trainer.i18n import Translator
from trainer.report import (
    CORE_DEBTOR_TYPES,
    FreeReplyRule,
    build_report,
    certification,
    markdown,
)
from trainer.storage import MIGRATIONS, SCHEMA_VERSION, AttemptResult, ScenarioInfo, Storage

HARDSHIP = ScenarioInfo("app-drill", "en-US", "x.toml", "Fixture", "hardship", "easy", "us")
OTHER_HARDSHIP = ScenarioInfo("other-drill", "en-US", "y.toml", "Other", "hardship", "easy", "us")
SAY = {"do": "say", "text": "Hi, this is Alex from Lakeshore", "option": "greeting.1"}
MISS = {"do": "miss", "text": "hmm", "option": None}
CHOOSE = {"do": "choose", "option": "greeting.1"}


def frozen() -> datetime:
    return datetime(2026, 3, 12, 9, 0, tzinfo=UTC)


def passed(ok: bool = True) -> AttemptResult:
    return AttemptResult(outcome="promise_to_pay", compliance=100, deescalation=70,
                         outcome_score=80, overall=88 if ok else 40, pass_mark=75, passed=ok,
                         critical=False, violations=[], skills={})


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    storage = Storage.open(tmp_path / "t.db", clock=frozen)
    storage.sign_in("Ana", "en")
    storage.sign_in("Mia", "en")
    storage.set_password("mia", "correct horse", role="manager")
    yield storage
    storage.close()


def play(store: Storage, actions: list[dict[str, object]], info: ScenarioInfo = HARDSHIP,
         ok: bool = True) -> int:
    sid = store.begin_session("ana", info, 1, "{}", typed=any(a["do"] != "choose"
                                                              for a in actions))
    for action in actions:
        store.record_turn(sid, action, "{}")
    store.finish_session(sid, "{}", passed(ok))
    return sid


def test_a_call_is_typed_when_every_reply_was_the_trainees_own_words(store: Storage) -> None:
    typed = play(store, [SAY, MISS, SAY])
    fell_back = play(store, [MISS, MISS, CHOOSE])  # options shown after two misses, taken
    options = play(store, [CHOOSE, CHOOSE])
    assert store.typed_sessions() == {typed}
    assert fell_back not in store.typed_sessions() and options not in store.typed_sessions()


def test_only_a_manager_sets_the_requirement_and_it_can_be_lifted(store: Storage) -> None:
    with pytest.raises(PermissionError, match="not a manager"):
        store.set_typed_required("app-drill", True, "ana")
    with pytest.raises(ValueError, match="drill id"):
        store.set_typed_required(" ", True, "mia")
    assert store.typed_required() == frozenset()
    store.set_typed_required("app-drill", True, "mia")
    store.set_typed_required("app-drill", True, "mia")  # again: still one entry
    assert store.typed_required() == {"app-drill"}
    store.set_typed_required("app-drill", False, "mia")
    assert store.typed_required() == frozenset()


def test_on_a_required_drill_only_typed_passes_certify(store: Storage) -> None:
    play(store, [CHOOSE, CHOOSE])  # passes with options
    attempts = store.attempts("ana")
    assert certification(attempts, ["hardship"], FreeReplyRule.of(store)).per_type == {
        "hardship": True}  # nothing required yet: the options pass certifies
    store.set_typed_required("app-drill", True, "mia")
    rule = FreeReplyRule.of(store)
    assert certification(attempts, ["hardship"], rule).per_type == {"hardship": False}
    play(store, [SAY, SAY], ok=False)  # typed, but failed: still not certified
    assert not certification(store.attempts("ana"), ["hardship"],
                             FreeReplyRule.of(store)).per_type["hardship"]
    play(store, [SAY, MISS, SAY])
    assert certification(store.attempts("ana"), ["hardship"],
                         FreeReplyRule.of(store)).per_type == {"hardship": True}


def test_an_options_pass_on_another_drill_of_the_type_still_certifies(store: Storage) -> None:
    store.set_typed_required("app-drill", True, "mia")
    play(store, [CHOOSE], info=OTHER_HARDSHIP)
    cert = certification(store.attempts("ana"), ["hardship"], FreeReplyRule.of(store))
    assert cert.per_type == {"hardship": True}


def test_the_report_counts_typed_calls_and_certifies_by_the_same_rule(store: Storage) -> None:
    play(store, [CHOOSE, CHOOSE])  # a pass with options
    play(store, [SAY], ok=False)  # typed, failed
    store.set_typed_required("app-drill", True, "mia")
    [row] = build_report(store, core_types=CORE_DEBTOR_TYPES).trainees
    assert (row.attempts, row.passes, row.typed_attempts, row.typed_passes) == (2, 1, 1, 0)
    assert row.certified_types == 0  # the one pass was with options
    play(store, [SAY, SAY])
    [row] = build_report(store, core_types=CORE_DEBTOR_TYPES).trainees
    assert (row.typed_attempts, row.typed_passes, row.certified_types) == (2, 1, 1)


def test_a_call_opened_typed_resumes_typed(store: Storage) -> None:
    typed = store.begin_session("ana", HARDSHIP, 1, "{}", typed=True)
    options = store.begin_session("ana", HARDSHIP, 2, "{}")
    assert {a.id: a.typed for a in store.active_sessions("ana")} == {typed: True,
                                                                     options: False}


def test_a_file_from_before_the_requirement_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for step in MIGRATIONS[:4]:
        for sql in step:
            conn.execute(sql)
    conn.execute("PRAGMA user_version = 4")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("INSERT INTO trainees VALUES ('ana', 'Ana', 'en', 'x', 'x', 'trainee')")
    conn.execute("INSERT INTO sessions (id, trainee_id, scenario_id, scenario_language,"
                 " scenario_path, title, debtor_type, difficulty, rule_pack, seed, status,"
                 " started_at, updated_at, state_json) VALUES (1, 'ana', 'app-drill', 'en-US',"
                 " 'p', 't', 'hardship', 'easy', 'us', 1, 'active', 'x', 'x', '{}')")
    conn.commit()
    conn.close()
    store = Storage.open(path, clock=frozen)
    try:
        assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == (
            SCHEMA_VERSION)
        [kept] = store.active_sessions("ana")
        assert kept.id == 1 and not kept.typed  # filed before modes were kept: options
        assert store.typed_required() == frozenset()
    finally:
        store.close()


def test_the_written_report_names_the_drills_that_need_typed_replies(store: Storage) -> None:
    play(store, [CHOOSE, CHOOSE])
    before = markdown(build_report(store), Translator("en"))
    assert "passed in typed replies: none" in before
    store.set_typed_required("app-drill", True, "mia")
    report = build_report(store)
    assert report.typed_required == ("app-drill",)
    assert "passed in typed replies: app-drill" in markdown(report, Translator("en"))
    assert "须以自由回复通过方可认证的练习：app-drill" in markdown(report, Translator("zh-CN"))
