"""Scoring: every component, worked by hand on the fixture drill and on synthetic turns.

The fixture offers ten distinct de-escalation behaviours, so each of the first six used
is worth 10 technique points (60 / min(6, 10)). Expected numbers below are computed
from the formulas in the ``trainer.engine.scoring`` docstring.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_support import FIXTURE_BEST

from trainer.engine import EndState, Scenario, Session, score, scoring
from trainer.engine.scoring import Tally
from trainer.engine.search import PathStep

BEST = FIXTURE_BEST


def play(
    drill: Scenario, actions: list[str], note: tuple[float, str, str] | None = None
) -> Session:
    session = Session.start(drill, seed=0)
    for action in actions:
        if action == "escalate":
            session.escalate()
        elif action == "timeout":
            session.timeout()
        else:
            session.choose_id(action)
    if note is not None:
        session.record_note(*note)
    return session


GOOD_NOTE = (100.0, "2026-03-19", "debit card")

# fmt: off
PATHS = [
    # name, actions, note, compliance, de-escalation, outcome, overall, passed, critical, grade
    ("best with note", BEST, GOOD_NOTE, 100, 94, 100, 98.2, True, False, "distinction"),
    ("best without note", BEST, None, 100, 94, 85, 93.7, True, False, "distinction"),
    ("no read-back", [*BEST[:6], "recap.2", "close.1"], GOOD_NOTE,
     100, 84, 85, 90.7, True, False, "distinction"),
    ("pressure for the full balance", [*BEST[:5], "plan.2", "recap.1", "close.1"],
     (1240.0, "2026-03-14", "bank transfer"), 100, 54, 55, 72.7, False, False, "fail"),
    ("two major breaches", ["dial.1", "greeting.1", "verify.2", "disclosure.2", *BEST[4:]],
     GOOD_NOTE, 50, 69, 100, 70.7, False, False, "fail"),
    ("threat of police", [*BEST[:4], "listen.3"], None, 0, 10, 0, 3.0, False, True, "fail"),
    ("escalates a routine call", ["dial.1", "escalate"], None,
     100, 25, 5, 49.0, False, False, "fail"),
    ("callback once he has budgeted", [*BEST[:5], "plan.3"], None,
     100, 59.5, 100, 87.85, True, False, "pass"),
]
# fmt: on

@pytest.mark.parametrize(
    (
        "actions",
        "note",
        "compliance",
        "deescalation",
        "outcome",
        "overall",
        "passed",
        "critical",
        "grade",
    ),
    [p[1:] for p in PATHS],
    ids=[p[0] for p in PATHS],
)
def test_worked_paths(
    drill: Scenario,
    actions: list[str],
    note: tuple[float, str, str] | None,
    compliance: float,
    deescalation: float,
    outcome: float,
    overall: float,
    passed: bool,
    critical: bool,
    grade: str,
) -> None:
    result = score(play(drill, actions, note))
    assert (result.compliance, result.deescalation, result.outcome) == (
        compliance,
        deescalation,
        outcome,
    )
    assert result.overall == pytest.approx(overall, abs=0.051)
    assert (result.passed, result.critical, result.grade) == (passed, critical, grade)
    assert result.pass_mark == 75


@pytest.mark.parametrize("actions", [p[1] for p in PATHS], ids=[p[0] for p in PATHS])
def test_items_add_up_to_each_component(drill: Scenario, actions: list[str]) -> None:
    """Every point is explained: each component is the (clamped) sum of its items."""
    session = play(drill, actions, GOOD_NOTE)
    result = score(session)
    de_items = result.component_items("deescalation")
    technique = sum(i.points for i in de_items if i.source != "mood:anger")
    trajectory = sum(i.points for i in de_items if i.source == "mood:anger")
    assert result.deescalation == pytest.approx(max(0.0, min(60.0, technique)) + trajectory,
                                                abs=0.051)
    outcome = sum(i.points for i in result.component_items("outcome"))
    assert result.outcome == pytest.approx(outcome, abs=0.051)
    compliance = sum(i.points for i in result.component_items("compliance"))
    assert result.compliance == pytest.approx(max(0.0, 100 + compliance))
    sources = {"rule", "tag", "mood", "ending", "promise", "note", "action", "scenario"}
    for item in result.items:
        assert item.source.split(":")[0] in sources
        if item.source.startswith(("rule:", "tag:", "action:")):
            assert item.turn in range(1, len(session.turns) + 1)


def step(
    violations: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    anger: int = 50,
    number: int = 1,
    action: str = "choose",
) -> PathStep:
    return PathStep(number, action, tags, violations, {"anger": anger}, None)


ESCALATED_WELL = EndState("escalated", None, "escalate", "good")


@pytest.mark.parametrize(
    ("violations", "compliance", "critical", "deductions", "facts"),
    [
        ((), 100.0, False, [], []),
        (("US-12",), 75.0, False, [-25.0], ["rule.breach"]),  # major
        (("US-18",), 90.0, False, [-10.0], ["rule.breach"]),  # minor
        (("US-12", "US-18"), 65.0, False, [-25.0, -10.0], ["rule.breach"] * 2),
        (("US-12",) * 5, 0.0, False, [-25.0] * 5, ["rule.breach"] * 5),  # floored at 0
        (("US-13",), 0.0, True, [-100.0], ["rule.critical"]),  # critical
        (("US-19",), 100.0, False, [0.0], ["rule.disabled"]),  # shipped disabled: listed, free
    ],
)
def test_rule_severities(
    drill: Scenario,
    violations: tuple[str, ...],
    compliance: float,
    critical: bool,
    deductions: list[float],
    facts: list[str],
) -> None:
    tally = scoring.add(drill, scoring.start(drill), step(violations))
    result = scoring.finish(drill, tally, ESCALATED_WELL, None, None)
    assert result.compliance == compliance and result.critical is critical
    items = result.component_items("compliance")
    assert [i.points for i in items] == deductions
    assert [i.fact.code for i in items] == facts
    assert [i.fact.get("rule") for i in items] == list(violations)  # a code, not a sentence
    assert [v.rule_id for v in result.violations] == list(violations)
    assert all(v.citation for v in result.violations)
    if critical:
        assert not result.passed and result.overall < result.pass_mark


@pytest.mark.parametrize(
    ("start", "peak", "end", "level", "spike", "change"),
    [
        (50, 50, 50, 10.0, 10.0, 5.0),
        (50, 50, 0, 20.0, 10.0, 10.0),
        (50, 100, 100, 0.0, 0.0, 0.0),
        (75, 90, 15, 17.0, 4.0, 10.0),
        (10, 30, 30, 14.0, 10 * (1 - 20 / 90), 3.0),
        (100, 100, 100, 0.0, 10.0, 5.0),
        (0, 0, 0, 20.0, 10.0, 5.0),
    ],
)
def test_anger_trajectory(
    drill: Scenario, start: int, peak: int, end: int, level: float, spike: float, change: float
) -> None:
    tally = Tally(anger_start=start, anger_peak=peak, anger_end=end)
    result = scoring.finish(drill, tally, ESCALATED_WELL, None, None)
    points = [i.points for i in result.component_items("deescalation") if i.source == "mood:anger"]
    assert points == pytest.approx([level, spike, change])


def test_technique_counts_distinct_behaviours_and_bad_tags(drill: Scenario) -> None:
    tally = scoring.start(drill)
    for n, tags in enumerate(
        [
            ("empathy",),
            ("empathy", "open_question"),
            ("argue", "blame"),
            ("paraphrase", "summarise", "offer_plan", "brief_firm", "signpost_advice"),
        ],
        start=1,
    ):
        tally = scoring.add(drill, tally, step(tags=tags, number=n))
    credited = [i for i in tally.items if i.points > 0]
    assert [i.source for i in credited] == [
        "tag:empathy",
        "tag:open_question",
        "tag:paraphrase",
        "tag:summarise",
        "tag:offer_plan",
        "tag:brief_firm",
    ]  # six distinct: the seventh earns nothing more
    assert [i.points for i in tally.items if i.points < 0] == [-10.0, -10.0]
    assert tally.technique == pytest.approx(40.0)
    timed_out = scoring.add(drill, tally, step(action="timeout", number=5))
    assert timed_out.technique == pytest.approx(35.0)


@pytest.mark.parametrize(
    ("note", "points"),
    [
        ((100.0, "2026-03-19", "debit card"), [5.0, 5.0, 5.0]),
        ((100.004, "2026-03-19", "Debit  Card"), [5.0, 5.0, 5.0]),
        ((100.01, "2026-03-19", "debit card"), [0.0, 5.0, 5.0]),
        ((100.0, "2026-03-18", "debit card"), [5.0, 0.0, 5.0]),
        ((100.0, "2026-03-19", "cash"), [5.0, 5.0, 0.0]),
        (None, [0.0]),
    ],
)
def test_note_must_match_the_promise(
    drill: Scenario, note: tuple[float, str, str] | None, points: list[float]
) -> None:
    result = score(play(drill, BEST, note))
    assert [i.points for i in result.items if i.source.startswith("note")] == points


@pytest.mark.parametrize(
    ("escalation", "quality"), [("good", 100.0), ("neutral", 30.0), ("poor", 10.0)]
)
def test_escalation_aptness(drill: Scenario, escalation: str, quality: float) -> None:
    end = EndState("escalated", None, "escalate", escalation)
    assert scoring.resolution_quality(drill, end, None)[0] == quality


def test_right_resolution_depends_on_debtor_type(drill: Scenario) -> None:
    end = EndState("callback_scheduled", "callback", "ending")
    assert drill.meta.debtor_type == "hardship"
    assert scoring.resolution_quality(drill, end, None)[0] == 100.0
    other = EndState("message_left", None, "ending")
    assert scoring.resolution_quality(drill, other, None)[0] == 60.0


def test_upper_bound_is_never_beaten(drill: Scenario) -> None:
    """The search prunes with this bound, so it must hold on every prefix of real paths."""
    for _, actions, note, *_ in PATHS:
        session = play(drill, actions, note)
        final = score(session).overall
        tally = scoring.start(drill)
        assert scoring.upper_bound(drill, tally) >= final
        for turn in session.turns:
            tally = scoring.add(drill, tally, turn)
            assert scoring.upper_bound(drill, tally) >= final


def test_unfinished_session_scores_as_no_agreement(drill: Scenario) -> None:
    result = score(play(drill, BEST[:3]))
    assert result.ending == "no_agreement" and not result.passed


def test_skills_count_good_and_bad_behaviours(drill: Scenario) -> None:
    result = score(play(drill, ["dial.1", "greeting.1", "verify.2", "disclosure.2", *BEST[4:]]))
    assert result.skills["verification"] == (1, 1)  # identify_self good, premature_demand bad
    assert result.skills["disclosure"] == (0, 1)  # disclose_debt
    assert result.skills["empathy"] == (2, 0)  # empathy, signpost_advice


# -- resolution, not escape -----------------------------------------------------------


def test_escalating_where_the_drill_gives_no_reason_never_passes(drill: Scenario) -> None:
    """A calm call that escapes at the money question scores as unresolved: capped below
    the pass mark however well the rest went."""
    session = play(drill, [*BEST[:5], "escalate"])
    result = score(session)
    assert not result.resolved and not result.passed
    assert result.overall < result.pass_mark


@pytest.mark.parametrize(("aptness", "resolved"), [("good", True), ("neutral", False),
                                                   ("poor", False)])
def test_escalation_resolves_only_where_apt(drill: Scenario, aptness: str, resolved: bool
                                            ) -> None:
    end = EndState("escalated", None, "escalate", aptness)
    assert scoring.is_right(drill, end) is resolved


def test_an_ending_says_whether_escaping_is_right(tmp_path: Path) -> None:
    """A hang-up ending is unresolved unless the drill marks it right; a right outcome
    can be marked wrong."""
    from engine_support import write_variant

    from trainer.engine import load_scenario

    marked = load_scenario(write_variant(tmp_path, 'outcome = "hung_up"',
                                         'outcome = "hung_up"\nright = true'))
    plain = load_scenario(write_variant(tmp_path, "Right. Go on then.", "Right. Go on then.",
                                        name="plain.en-US.toml"))
    hung = next(k for k, e in plain.endings.items() if e.outcome == "hung_up")
    assert not scoring.is_right(plain, EndState("hung_up", hung, "ending"))
    assert scoring.is_right(marked, EndState("hung_up", hung, "ending"))
    assert not scoring.is_right(plain, EndState("hung_up", None, "hang_up"))
