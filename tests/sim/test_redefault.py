"""Re-default: a cure that does not last stops counting as full value."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

import sim
from sim.runoff import (
    MIN_REDEFAULTS,
    redefault_chance,
    redefault_draws_left,
    share_after_redefault,
)
from sim.scenario import Scenario

Tiny = Callable[..., Scenario]
LONG = {"days": 120, "runoff": True, "untreated_twin": False, "redefault_risk": "simulate"}


def test_no_hazard_no_redefault(tiny: Tiny) -> None:
    result = sim.simulate(tiny(behaviour__redefault__hazard=0.0), seed=2)
    assert result.daily["redefaulted"].sum() == 0
    assert result.kpi_values["redefault_rate"] == 0.0


@pytest.mark.statistical
def test_first_redefault_within_the_window_follows_the_hazard(tiny: Tiny) -> None:
    """With no payer or plan multipliers, a cured account re-defaults within ``W`` days
    with probability 1 - exp(-h W): one draw a day at chance 1 - exp(-h)."""
    h, window = 0.004, 60
    scenario = tiny(horizon=LONG, behaviour__redefault={
        "hazard": h, "window_days": window, "nonpayer_multiplier": 1.0,
        "restructured_multiplier": 1.0})
    hits = exposed = 0
    for replication in range(2):
        result = sim.simulate(scenario, seed=11, replication=replication, event_log=True)
        assert result.meta["ledger"]["balanced"] == 1
        events = result.event_log()
        last = int(result.meta["days"]) + int(result.meta["runoff_days"]) - 1
        cured = events[((events.event == "resolved") & (events.detail == "cured"))
                       | (events.event == "plan_completed")].groupby("account").day.min()
        again = events[events.event == "redefault"].groupby("account").day.min()
        followed = cured[cured + window - 1 <= last]
        back = again.reindex(followed.index)
        exposed += followed.shape[0]
        hits += int((back <= followed + window - 1).sum())
    p = 1 - math.exp(-h * window)
    se = math.sqrt(p * (1 - p) / exposed)
    assert exposed > 300
    assert abs(hits / exposed - p) < 3 * se


@pytest.mark.statistical
def test_a_redefault_hazard_raises_loss_and_takes_back_restored_balance(tiny: Tiny) -> None:
    """Paired on common random numbers: the same debtors, with and without re-default."""
    rates, restored = [], []
    for hazard in (0.0, 0.004):
        scenario = tiny(horizon=LONG, behaviour__redefault__hazard=hazard)
        runs = [sim.simulate(scenario, seed=5, replication=r).kpi_values for r in range(4)]
        rates.append(np.mean([k["loss_rate"] for k in runs]))
        restored.append(np.mean([k["balance_restored"] for k in runs]))
    assert rates[1] > rates[0]
    assert restored[1] < restored[0]


def test_draws_left_are_the_window_days_not_simulated() -> None:
    """The engine draws on the cure day and each of the next ``window - 1`` days."""
    cured = np.array([10, 100, 150, 200, 40])
    left = redefault_draws_left(cured, window=60, first_unsimulated=150)
    # 10: window over before day 150; 100: days 150..159; 150 and 200: the whole window;
    # 40: days 40..99, over.
    assert left.tolist() == [0, 10, 60, 60, 0]
    assert redefault_chance(np.full(3, 0.01), np.array([0, 10, 60])).tolist() == pytest.approx(
        [0.0, 1 - math.exp(-0.1), 1 - math.exp(-0.6)])


def test_shares_after_redefault_fall_back_from_class_to_pool_to_first_time() -> None:
    payer = np.array([True] * 30 + [False] * 5 + [False] * 10)
    again = np.array([True] * 30 + [True] * 5 + [False] * 10)
    amount = np.array([1.0] * 30 + [50.0] * 5 + [80.0] * 10)
    base = np.full(45, 100.0)
    share = share_after_redefault(payer, again, amount, base, amount, base)
    # payers: 30 re-defaults of their own; non-payers: 5 < MIN_REDEFAULTS, so the pool.
    assert MIN_REDEFAULTS > 5
    assert share[1] == pytest.approx(0.01)
    assert share[0] == pytest.approx((30 * 1.0 + 5 * 50.0) / (35 * 100.0))
    none = share_after_redefault(payer, np.zeros(45, bool), amount, base, amount, base)
    assert none[0] == pytest.approx((5 * 50.0 + 10 * 80.0) / 1500.0)  # first-time share
    assert none[1] == pytest.approx(0.01)


def test_past_the_horizon_redefault_is_valued_not_simulated(tiny: Tiny) -> None:
    """Seeded regression: no re-default is drawn after the horizon, the run-off stops
    once the cohorts resolve (earlier than following every window out), and the valued
    risk is what separates loss from charge-off net of recoveries plus discounts."""
    horizon = {"days": 40, "runoff": True, "untreated_twin": False}
    valued = sim.simulate(tiny(horizon=horizon), seed=2, event_log=True)
    events = valued.event_log()
    assert (events[events.event == "redefault"].day < 40).all()
    acc, k = valued.accounts, valued.kpi_values
    measured = (acc["arrival_day"] >= 0) & (acc["arrival_day"] < 40)
    expected = acc["redefault_loss"][measured].sum() / 100
    assert expected > 0
    assert k["loss"] == pytest.approx(
        k["net_charge_off"] + acc["forgiven"][measured].sum() / 100 + expected)
    chance = acc["redefault_chance"]
    assert ((chance >= 0) & (chance < 1)).all()
    assert (chance[acc["state"] != 3] == 0).all()  # only accounts cured now carry risk
    followed = sim.simulate(tiny(horizon={**horizon, "redefault_risk": "simulate"}), seed=2)
    assert followed.meta["runoff_days"] > valued.meta["runoff_days"]
    for column in ("redefault_chance", "redefault_loss", "redefault_collected"):
        assert (followed.accounts[column] == 0).all()  # every window was run out


@pytest.mark.statistical
def test_valued_redefault_risk_matches_following_every_window_out(tiny: Tiny) -> None:
    """Paired replications (common random numbers up to the horizon): loss_rate with the
    closed-form value agrees with running every cure's window out within 3 standard
    errors of the paired difference, for the treated book and its untreated twin (whose
    re-defaulters cure again at the same point of their integrated hazard, so a loss
    given re-default taken from first-time entrants would overstate its loss)."""
    horizon = {"days": 60, "runoff": True, "untreated_twin": True}
    gaps: dict[str, list[float]] = {"loss_rate": [], "loss_untreated": []}
    valued_share = []
    for r in range(8):
        valued = sim.simulate(tiny(horizon=horizon), seed=17, replication=r)
        followed = sim.simulate(tiny(horizon={**horizon, "redefault_risk": "simulate"}),
                                seed=17, replication=r)
        for key, gap in gaps.items():
            gap.append(valued.kpi_values[key] - followed.kpi_values[key])
        acc = valued.accounts
        measured = (acc["arrival_day"] >= 0) & (acc["arrival_day"] < 60)
        valued_share.append(acc["redefault_loss"][measured].sum() / 100
                            / valued.kpi_values["loss"])
    for key, gap in gaps.items():
        g = np.asarray(gap)
        se = g.std(ddof=1) / math.sqrt(g.shape[0])
        assert se > 0, key
        assert abs(g.mean()) <= 3 * se, (key, g.mean(), se)
    # The comparison is not empty: the valued risk is a material part of the loss.
    assert np.mean(valued_share) > 0.05
