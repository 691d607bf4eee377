"""Re-default: a cure that does not last stops counting as full value."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

import sim
from sim.scenario import Scenario

Tiny = Callable[..., Scenario]
LONG = {"days": 120, "runoff": True, "untreated_twin": False}


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
