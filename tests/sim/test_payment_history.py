"""Payment history (RFM) as strategies see it: the features and the ladder rules on them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import TINY  # the shared small book (tests/conftest.py)
from test_strategy import view  # the hand-made BookView of the ladder tests

import sim
from sim.errors import ConfigError
from sim.payment_history import NEVER_DAYS, NO_DAY, SLOTS, History, record
from sim.scenario import Scenario
from sim.strategy import LadderStrategy

ROOT = Path(__file__).resolve().parents[2]


def book(n: int) -> SimpleNamespace:
    return SimpleNamespace(
        pay_days=np.full((n, SLOTS), NO_DAY, np.int16),
        pay_amounts=np.zeros((n, SLOTS), np.int64),
        pay_count=np.zeros(n, np.int32),
        broken_promises=np.zeros(n, np.int16),
        last_conversation=np.full(n, NO_DAY, np.int16),
    )


def test_recency_frequency_and_monetary_of_recorded_payments() -> None:
    b = book(3)
    record(b, np.array([0, 1]), np.array([500, 1000]), day=10)
    record(b, np.array([0]), np.array([250]), day=40)
    h = History(b, np.arange(3), day=50, scale=100, window_days=30)
    assert h.days_since_payment.tolist() == [10, 40, NEVER_DAYS]
    assert h.payments.tolist() == [1, 0, 0]          # only day 40 is within 30 days of 50
    assert h.payments_in(41).tolist() == [2, 1, 0]   # days 10..50
    assert h.paid_in(41).tolist() == [7.5, 10.0, 0.0]
    assert h.paid.tolist() == [2.5, 0.0, 0.0]


def test_the_last_slots_payments_are_kept_and_a_batch_may_repeat_an_account() -> None:
    b = book(1)
    for day in range(SLOTS + 3):
        record(b, np.array([0]), np.array([100]), day=day)
    record(b, np.array([0, 0]), np.array([7, 9]), day=20)
    h = History(b, np.arange(1), day=20, scale=1, window_days=365)
    assert h.payments.tolist() == [SLOTS]          # a frequent payer, capped at the slots
    assert h.days_since_payment.tolist() == [0]
    assert sorted(b.pay_amounts[0].tolist())[:2] == [7, 9]  # both of the same batch kept


def test_broken_promises_and_days_since_contact() -> None:
    b = book(2)
    b.broken_promises[:] = [3, 0]
    b.last_conversation[:] = [12, NO_DAY]
    h = History(b, np.array([1, 0]), day=20, scale=100)
    assert h.broken_promises.tolist() == [0, 3]
    assert h.days_since_contact.tolist() == [NEVER_DAYS, 8]


def test_a_history_rung_fires_only_where_every_condition_holds(
        tiny: Callable[..., Scenario]) -> None:
    ladder = [{"action": "email", "stage": "mid",
               "history": {"days_since_payment": {"max": 30}, "payments": {"min": 2},
                           "window_days": 60}},
              {"action": "field_visit", "stage": "mid", "history": {"broken_promises": {"min": 2}}}]
    b = book(4)
    record(b, np.array([0, 1, 2]), np.array([100, 100, 100]), day=10)
    record(b, np.array([0, 1]), np.array([100, 100]), day=50)   # 0 and 1: two payments
    record(b, np.array([2]), np.array([100]), day=20)            # 2: two, the last 40 days ago
    b.broken_promises[:] = [0, 2, 5, 1]
    v = view([40, 40, 40, 40])
    v = type(v)(**{**{f: getattr(v, f) for f in v.__dataclass_fields__},
                   "day": 60, "history": History(b, np.arange(4), 60, 100)})
    plan = LadderStrategy(tiny(strategy__ladder=ladder)).plan(v)
    assert plan.masks["email"].tolist() == [True, True, False, False]
    assert plan.masks["field_visit"].tolist() == [False, True, True, False]


def test_history_bounds_are_checked(tiny: Callable[..., Scenario]) -> None:
    bad = [{"action": "email", "stage": "mid",
            "history": {"payments": {"min": 3, "max": 1}}}]
    with pytest.raises(ConfigError, match="max"):
        tiny(strategy__ladder=bad)
    typo = [{"action": "email", "stage": "mid", "history": {"recency": {"max": 3}}}]
    with pytest.raises(ConfigError) as caught:
        tiny(strategy__ladder=typo)
    assert "strategy.ladder[0].history" in caught.value.render()


def _events(scenario: Scenario) -> pd.DataFrame:
    return sim.simulate(scenario, seed=1, event_log=True).event_log()


def test_in_a_run_every_visit_follows_two_broken_promises_and_every_report_a_payment(
        tiny: Callable[..., Scenario]) -> None:
    base = [r for r in TINY["strategy"]["ladder"]
            if r["action"] not in ("field_visit", "bureau")]
    ladder = [*base,
              {"action": "field_visit", "stage": "mid", "history": {"broken_promises": {"min": 2}}},
              {"action": "bureau", "on_dpd": [31], "stage": "mid",
               "history": {"days_since_payment": {"max": 7}}}]
    log = _events(tiny(horizon__days=150, strategy__ladder=ladder))
    broken = log[log["event"] == "promise_broken"]
    paid = log[log["event"] == "payment"]
    visits = log[log["event"] == "field_visit"]
    reports = log[log["event"] == "bureau"]
    assert len(visits) > 0 and len(reports) > 0
    for account, day in visits[["account", "day"]].itertuples(index=False):
        assert ((broken["account"] == account) & (broken["day"] < day)).sum() >= 2
    for account, day in reports[["account", "day"]].itertuples(index=False):
        assert ((paid["account"] == account) & paid["day"].between(day - 7, day)).any()


def test_python_strategies_read_the_same_features(tiny: Callable[..., Scenario]) -> None:
    seen: dict[str, Any] = {}

    class Peek:
        name = "peek"

        def plan(self, v: sim.BookView) -> sim.DailyPlan:
            assert v.history is not None
            if v.day == 60:
                seen["recency"] = v.history.days_since_payment
                seen["broken"] = v.history.broken_promises
            return v.ladder_plan()

    sim.simulate(tiny(horizon__days=61), seed=0, strategy=Peek())
    assert (seen["recency"] < NEVER_DAYS).any() and (seen["recency"] == NEVER_DAYS).any()
    assert seen["broken"].max() >= 1


def test_the_shipped_payment_history_strategy_uses_every_kind_of_rule() -> None:
    scenario = sim.load_scenario(ROOT / "scenarios" / "sim" / "payment_history.toml")
    used = {name for rung in scenario.strategy.ladder if rung.history is not None
            for name, _ in rung.history.conditions()}
    assert used == {"days_since_payment", "payments", "paid", "broken_promises",
                    "days_since_contact"}
    kept = {r.action for r in scenario.strategy.ladder}
    assert {"letter", "bureau", "legal", "agency", "repossess"} <= kept
