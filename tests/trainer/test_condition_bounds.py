"""Conditions are bounded: huge or deeply nested ones are refused by name, fast."""

from __future__ import annotations

import time

import pytest

from trainer.engine.conditions import MAX_DEPTH, MAX_LENGTH, MAX_NODES, Condition, ConditionError

HUGE = {
    "5000-nots": "not " * 5000 + "anger",
    "100000-term-sum": " + ".join(["anger"] * 100_000) + " > 1",
    "100000-unary-minus": "-" * 100_000 + "anger < 0",
    "10000-term-and": " and ".join(["anger > 1"] * 10_000),
    "deep-parentheses": "(" * 300 + "anger" + ")" * 300,
}


@pytest.mark.parametrize("source", HUGE.values(), ids=HUGE.keys())
def test_huge_conditions_are_refused_in_well_under_a_second(source: str) -> None:
    started = time.process_time()
    with pytest.raises(ConditionError, match="characters long"):
        Condition.parse(source)
    assert time.process_time() - started < 0.5


@pytest.mark.parametrize("source", ["not " * (MAX_DEPTH + 1) + "anger",
                                    "+".join(["anger"] * (MAX_DEPTH + 1)) + " > 1"])
def test_nesting_inside_the_length_limit_is_refused_by_depth(source: str) -> None:
    assert len(source) <= MAX_LENGTH
    with pytest.raises(ConditionError, match=f"at most {MAX_DEPTH} levels"):
        Condition.parse(source)


def test_many_terms_inside_the_length_limit_are_refused_by_size() -> None:
    source = "a<" * MAX_NODES + "a"  # one flat comparison chain: shallow but large
    assert len(source) <= MAX_LENGTH
    with pytest.raises(ConditionError, match=f"at most {MAX_NODES} names"):
        Condition.parse(source)


def test_conditions_at_the_limits_still_work() -> None:
    nested = "not " * (MAX_DEPTH - 2) + "anger"
    assert Condition.parse(nested).evaluate({"anger": 0}, {}) is ((MAX_DEPTH - 2) % 2 == 1)
    chained = " and ".join(["anger > 1"] * 20)
    assert Condition.parse(chained).evaluate({"anger": 5}, {})
