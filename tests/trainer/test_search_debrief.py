"""The search behind the debrief, checked against brute force, and the debrief itself."""

from __future__ import annotations

import pytest
from engine_support import FIXTURE_BEST

from trainer.engine import Scenario, Session, debrief, machine, scoring
from trainer.engine.machine import State
from trainer.engine.playthrough import Report, exhaustive, session_for
from trainer.engine.scoring import Tally
from trainer.engine.search import ESCALATE, Searcher

BEST = FIXTURE_BEST


def brute_force(drill: Scenario, *, escalate: bool) -> list[float]:
    """Overall score of every complete path, by plain recursion (no memo, no pruning)."""
    searcher = Searcher(drill)
    out: list[float] = []

    def walk(state: State, tally: Tally) -> None:
        if state.end is not None:
            out.append(searcher.final(state, tally))
            return
        for action in searcher.actions(state, escalate=escalate):
            walk(*searcher.after(state, tally, action))

    walk(*searcher.root())
    return out


def test_best_and_worst_match_brute_force(drill: Scenario) -> None:
    searcher = Searcher(drill)
    root = searcher.root()
    best = searcher.best(*root)
    worst = searcher.worst(*root)
    assert best.value == max(brute_force(drill, escalate=True))
    assert worst.value == min(brute_force(drill, escalate=False))
    assert list(best.path) == BEST and not searcher.truncated
    assert best.value == 98.2


def test_branch_and_bound_prunes(drill: Scenario) -> None:
    pruned = Searcher(drill)
    pruned.best(*pruned.root())
    full = Searcher(drill)
    full.worst(*full.root())  # explores every state
    assert pruned.expanded < full.expanded / 3


def test_value_of_each_first_move(drill: Scenario) -> None:
    searcher = Searcher(drill)
    state, tally = searcher.root()
    values = {a: searcher.value_of(state, tally, a).value for a in searcher.actions(state)}
    assert values["dial.1"] == 98.2
    assert values["dial.2"] < 75  # calling at 21:30 is a critical breach
    assert values[ESCALATE] < values["dial.1"]


def test_exhaustive_fold_agrees_with_search(drill: Scenario) -> None:
    searcher = Searcher(drill)
    root = searcher.root()
    best, worst = searcher.best(*root), searcher.worst(*root)
    session = session_for(drill, best.path)
    report = Report(drill, "exhaustive", best, worst, session, session, 100.0, 0.0)
    exhaustive(drill, 40, report)
    scores = brute_force(drill, escalate=False)
    assert report.paths == len(scores)
    assert (report.low, report.high) == (min(scores), max(scores))
    assert not report.critical_passes and not report.stuck and not report.truncated
    assert set(report.unreached) == set()  # every fixture ending can happen in play


def test_truncation_is_reported(drill: Scenario) -> None:
    searcher = Searcher(drill, budget=3)
    found = searcher.best(*searcher.root())
    assert searcher.truncated and found.value <= 98.2


def play(drill: Scenario, actions: list[str]) -> Session:
    session = Session.start(drill, seed=2)
    for action in actions:
        session.choose_id(action)
    return session


def test_debrief_of_the_best_call_suggests_nothing(drill: Scenario) -> None:
    session = play(drill, BEST)
    unnoted = debrief(session)
    assert [a.source for a in unnoted.advice_of("start")] == ["tag:record_note"]
    session.record_note(100, "2026-03-19", "debit card")
    report = debrief(session)
    assert [r.best for r in report.turns] == [None] * len(BEST)
    assert report.best_possible == 98.2 and list(report.best_path) == BEST
    assert not report.advice_of("stop") and not report.advice_of("start")
    assert report.score.overall == 98.2


def test_debrief_finds_the_better_choice(drill: Scenario) -> None:
    session = play(drill, [*BEST[:6], "recap.2", "close.1"])
    session.record_note(100, "2026-03-19", "debit card")
    report = debrief(session)
    review = report.turns[6]
    assert review.option == "recap.2" and review.node == "recap"
    assert review.best is not None and review.best.action == "recap.1"
    assert review.best.value == 98.2 and review.chosen_value == pytest.approx(90.7)
    assert all(r.best is None for i, r in enumerate(report.turns) if i != 6)
    starts = {a.source for a in report.advice_of("start")}
    assert "tag:recap_promise" in starts and "tag:summarise" in starts
    assert review.heard == "OK. Fine."


def test_debrief_cites_a_critical_breach(drill: Scenario) -> None:
    report = debrief(play(drill, [*BEST[:4], "listen.3"]))
    review = report.turns[-1]
    assert [v.rule_id for v in review.violations] == ["US-13"]
    violation = review.violations[0]
    assert violation.severity == "critical" and "1006.18" in violation.citation
    assert review.best is not None and review.best.action == "listen.1"
    assert review.reply == ("The police? I'm reporting you. *click*",)
    stops = [a.source for a in report.advice_of("stop")]
    assert stops[0] == "rule:US-13" and {"tag:threat", "tag:false_statement"} <= set(stops)
    assert {"tag:identify_self", "tag:verify_identity"} <= {
        a.source for a in report.advice_of("continue")}
    text = report.render()
    assert "FAIL" in text and "broke US-13 (critical)" in text and "better:" in text


def test_debrief_after_timeout_and_escalation(drill: Scenario) -> None:
    session = play(drill, ["dial.1"])
    session.timeout()
    session.escalate()
    report = debrief(session)
    assert [r.action for r in report.turns] == ["choose", "timeout", "escalate"]
    assert report.turns[1].best is not None  # answering beats dead air
    assert report.turns[2].best is not None and report.turns[2].best.action == "greeting.1"
    assert len(report.turns) < machine.MAX_TURNS
    assert scoring.score(session).ending == "escalated"
