"""Erlang C / Erlang A calculators against published figures.

Fixtures: table 5a of the simulation anchors (Erlang C, 100 calls per 30 minutes,
AHT 3 min, 20 s answer target; the 14-agent row equals the pyworkforce README) and
pyworkforce's Erlang A regression test (same load, patience 5 min, 14 agents).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.experiments.erlang import erlang_a, erlang_b, erlang_c, required_agents
from sim.experiments.search import NotReachableError, smallest_satisfying

RATE = 100 / 30  # calls per minute
AHT = 3.0  # minutes
TARGET = 20 / 60  # 20 seconds, in minutes

# agents, occupancy, P(wait), ASA seconds, service level (20 s)
TABLE_5A = [
    (11, 0.909, 0.682, 122.8, 0.390),
    (12, 0.833, 0.449, 40.4, 0.640),
    (13, 0.769, 0.285, 17.1, 0.796),
    (14, 0.714, 0.1741, 7.8, 0.8884),
    (15, 0.667, 0.102, 3.7, 0.942),
]


@pytest.mark.parametrize(("agents", "occupancy", "wait", "asa_s", "level"), TABLE_5A)
def test_erlang_c_matches_reference_table(
    agents: int, occupancy: float, wait: float, asa_s: float, level: float
) -> None:
    # The table is rounded to the digits shown; allow one unit in the last digit.
    m = erlang_c(RATE, AHT, agents, TARGET)
    assert m.occupancy == pytest.approx(occupancy, abs=1e-3)
    assert m.wait_probability == pytest.approx(wait, abs=_last_digit(wait))
    assert m.average_speed_of_answer * 60 == pytest.approx(asa_s, abs=0.1)
    assert m.service_level == pytest.approx(level, abs=_last_digit(level))


def _last_digit(shown: float) -> float:
    return float(10 ** -len(str(shown).split(".")[1]))


def test_erlang_a_matches_pyworkforce_fixture() -> None:
    m = erlang_a(RATE, AHT, patience=5, agents=14, answer_within=TARGET)
    assert round(m.wait_probability, 5) == 0.14526
    assert round(m.abandon_probability, 6) == 0.013984
    assert round(m.occupancy, 6) == 0.704297
    assert round(m.average_speed_of_answer, 6) == 0.069919
    assert round(m.service_level, 6) == 0.916792


@pytest.mark.parametrize("agents", [15, 20, 25])
def test_erlang_a_tends_to_erlang_c_as_patience_grows(agents: int) -> None:
    a = erlang_a(RATE, AHT, patience=1e6, agents=agents, answer_within=TARGET)
    c = erlang_c(RATE, AHT, agents, TARGET)
    assert a.wait_probability == pytest.approx(c.wait_probability, abs=1e-4)
    assert a.service_level == pytest.approx(c.service_level, abs=1e-4)
    assert a.occupancy == pytest.approx(c.occupancy, abs=1e-4)


def test_erlang_a_is_finite_when_overloaded_and_erlang_c_is_not() -> None:
    c = erlang_c(RATE, AHT, agents=8, answer_within=TARGET)
    a = erlang_a(RATE, AHT, patience=5, agents=8, answer_within=TARGET)
    assert math.isinf(c.average_speed_of_answer) and c.service_level == 0
    assert 0 < a.abandon_probability < 1 and a.occupancy < 1
    # Little's law on the queue: mean number waiting = arrival rate x mean wait.
    assert a.abandon_probability == pytest.approx(a.average_speed_of_answer / 5)


@pytest.mark.parametrize(
    ("calls", "agents", "occupancy"),
    [(50, 8, 0.63), (100, 14, 0.71), (200, 24, 0.83), (400, 45, 0.89), (800, 87, 0.92)],
)
def test_required_agents_reproduces_economies_of_scale(
    calls: int, agents: int, occupancy: float
) -> None:
    m = required_agents(calls / 30, AHT, service_level=0.8, answer_within=TARGET)
    assert m.agents == agents
    assert m.occupancy == pytest.approx(occupancy, abs=0.006)
    assert erlang_c(calls / 30, AHT, agents - 1, TARGET).service_level < 0.8


def test_required_agents_honours_abandonment_and_occupancy_caps() -> None:
    loose = required_agents(RATE, AHT, service_level=0.8, answer_within=TARGET, patience=5)
    assert loose.agents == 13  # impatient callers leave, so fewer agents reach 80/20
    capped = required_agents(
        RATE, AHT, service_level=0.8, answer_within=TARGET, patience=5, max_abandon=0.005
    )
    assert capped.agents > loose.agents and capped.abandon_probability <= 0.005
    relaxed = required_agents(
        RATE, AHT, service_level=0.0, answer_within=TARGET, max_occupancy=0.75
    )
    assert relaxed.agents == 14 and relaxed.occupancy <= 0.75


@given(
    rate=st.floats(0.05, 20), aht=st.floats(0.5, 10), patience=st.floats(0.2, 30),
    agents=st.integers(1, 60),
)
def test_more_agents_never_hurt(rate: float, aht: float, patience: float, agents: int) -> None:
    now = erlang_a(rate, aht, patience, agents, TARGET)
    more = erlang_a(rate, aht, patience, agents + 1, TARGET)
    assert more.service_level >= now.service_level - 1e-9
    assert more.abandon_probability <= now.abandon_probability + 1e-12
    assert 0 <= now.abandon_probability <= 1 and 0 <= now.service_level <= 1


def test_erlang_b_recursion() -> None:
    assert erlang_b(1.0, 1) == pytest.approx(0.5)
    direct = 10.0**14 / math.factorial(14) / sum(10.0**k / math.factorial(k) for k in range(15))
    assert erlang_b(10.0, 14) == pytest.approx(direct, rel=1e-12)


@pytest.mark.parametrize(
    "call",
    [
        lambda: erlang_c(0, AHT, 3),
        lambda: erlang_c(RATE, -1, 3),
        lambda: erlang_c(RATE, AHT, 0),
        lambda: erlang_a(RATE, AHT, patience=0, agents=3),
        lambda: required_agents(RATE, AHT, service_level=1.2, answer_within=TARGET),
    ],
)
def test_bad_arguments_are_rejected(call: object) -> None:
    with pytest.raises(ValueError):
        call()  # type: ignore[operator]


@given(answer=st.integers(0, 200), start=st.integers(0, 200))
def test_search_finds_the_flip_with_few_probes(answer: int, start: int) -> None:
    probes: list[int] = []

    def at_least(n: int) -> bool:
        probes.append(n)
        return n >= answer

    assert smallest_satisfying(at_least, start=start) == answer
    assert len(probes) == len(set(probes))
    assert len(probes) <= 2 * math.ceil(math.log2(abs(answer - start) + 1)) + 2


def test_search_reports_unreachable() -> None:
    with pytest.raises(NotReachableError):
        smallest_satisfying(lambda n: n > 50, start=3, lowest=1, highest=40)
