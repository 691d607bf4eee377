"""The condition language: whitelisted syntax, evaluation, and name checks."""

from __future__ import annotations

import pytest

from trainer.engine.conditions import Condition, ConditionError

VALUES = {"anger": 65, "trust": 30, "identified": True, "stage": "offer", "turn": 4}
VISITS = {"verify": 2, "greeting": 1}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("anger >= 60", True),
        ("anger >= 66", False),
        ("anger < 60 or trust == 30", True),
        ("identified and not (trust > 40)", True),
        ("20 <= anger < 70", True),
        ("20 <= anger < 65", False),
        ("anger - trust > 30", True),
        ("anger + trust >= 96", False),
        ("-anger < -60", True),
        ("visits('verify') < 3", True),
        ("visits('nowhere') == 0", True),
        ("unset_flag == false", True),
        ("unset_flag == 0", True),
        ("not unset_flag", True),
        ("stage == 'offer'", True),
        ("stage < 3", False),  # no ordering between text and numbers: the test fails, no crash
        ("turn > 3 and identified == true", True),
        ("True", True),
    ],
)
def test_evaluates(source: str, expected: bool) -> None:
    assert Condition.parse(source).evaluate(VALUES, VISITS) is expected


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("anger ** 2 > 1", "not allowed"),
        ("anger * 2 > 1", "not allowed"),
        ("__import__('os').system('true')", "only visits"),
        ("anger.real > 1", "not allowed"),
        ("flags[0]", "not allowed"),
        ("lambda: 1", "not allowed"),
        ("anger in (1, 2)", "not allowed"),
        ("anger is 3", "not allowed"),
        ("visits(node)", "only visits"),
        ("visits('a', 'b')", "only visits"),
        ("len('x') > 0", "only visits"),
        ("anger >", "cannot parse"),
        ("", "empty"),
        ("x if y else z", "not allowed"),
    ],
)
def test_rejects_outside_whitelist(source: str, fragment: str) -> None:
    with pytest.raises(ConditionError, match=fragment):
        Condition.parse(source)


def test_records_names_targets_and_thresholds() -> None:
    cond = Condition.parse("anger >= 60 and visits('verify') < 3 or identified")
    assert cond.names == {"anger", "identified"}
    assert cond.visit_targets == {"verify"}
    assert cond.constants == {60, 3}


def test_check_names_suggests_near_misses() -> None:
    cond = Condition.parse("angr > 3 and visits('verfy') > 0 and turn > 1")
    problems = cond.check_names(["anger", "trust"], ["verify", "greeting"])
    messages = [m for m, _ in problems]
    assert messages[0].startswith("unknown name 'angr'")
    assert messages[1] == "visits('verfy') names no node or ending"
    assert [hint for _, hint in problems] == ["anger", "verify"]
    assert len(problems) == 2  # `turn` is built in


def test_equality_and_hash_follow_source_text() -> None:
    assert Condition.parse("anger > 1") == Condition.parse(" anger > 1 ")
    assert len({Condition.parse("anger > 1"), Condition.parse("anger > 1")}) == 1
