"""The data-driven ladder: which rung fires for whom, and in what order they are called."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from sim.scenario import Scenario
from sim.stages import stage_of
from sim.strategy import RESTRUCTURE, SETTLEMENT, BookView, LadderStrategy


def view(dpd: list[int], **columns: Any) -> BookView:
    n = len(dpd)
    d = np.asarray(dpd, np.int16)
    base: dict[str, Any] = {
        "day": 10, "is_business_day": True, "index": np.arange(n), "dpd": d,
        "stage": stage_of(d), "segment": np.zeros(n, np.int8), "segment_names": ("card", "auto"),
        "balance": np.full(n, 5000.0), "score": np.zeros(n), "payer_prob": np.full(n, 0.5),
        "promise_pending": np.zeros(n, bool), "broke_promise_yesterday": np.zeros(n, bool),
        "attempts_since_contact": np.zeros(n, np.int16), "placed": np.zeros(n, bool),
        "in_legal": np.zeros(n, bool), "sued": np.zeros(n, bool), "was_placed": np.zeros(n, bool),
        "reported": np.zeros(n, bool), "has_collateral": np.zeros(n, bool),
        "team_names": ("early", "mid", "late"), "team_of_stage": np.array([0, 1, 2], np.int8),
    }
    for key, value in columns.items():
        base[key] = np.asarray(value, dtype=np.asarray(base[key]).dtype)
    return BookView(**base)


def test_schedule_rungs_follow_dpd_cadence_and_segment(tiny: Callable[..., Scenario]) -> None:
    ladder = [
        {"action": "sms", "on_dpd": [1, 5]},
        {"action": "email", "stage": "mid", "every_days": 7},
        {"action": "letter", "dpd_from": 20, "dpd_to": 22, "segments": ["auto"]},
        {"action": "call", "stage": "early", "dpd_from": 3, "attempts_per_day": 2},
    ]
    plan = LadderStrategy(tiny(strategy__ladder=ladder)).plan(
        view([1, 2, 5, 31, 38, 39, 21, 21], segment=[0, 0, 0, 0, 0, 0, 0, 1]))
    assert plan.masks["sms"].tolist() == [True, False, True] + [False] * 5
    assert plan.masks["email"].tolist() == [False] * 3 + [True, True, False, False, False]
    assert plan.masks["letter"].tolist() == [False] * 7 + [True]
    assert plan.call_attempts.tolist() == [0, 0, 2, 0, 0, 0, 2, 2]


def test_triggers_offers_and_exclusions(tiny: Callable[..., Scenario]) -> None:
    ladder = [
        {"action": "field_visit", "stage": "mid", "trigger": "broken_promise"},
        {"action": "letter", "stage": "mid", "trigger": "no_contact", "after_attempts": 4},
        {"action": "call", "stage": "mid", "attempts_per_day": 1},
        {"action": "restructure_offer", "dpd_from": 40, "dpd_to": 60},
        {"action": "settlement_offer", "dpd_from": 120},
        {"action": "legal", "on_dpd": [100], "min_balance": 4000},
    ]
    plan = LadderStrategy(tiny(strategy__ladder=ladder)).plan(view(
        [45, 45, 45, 45, 130, 130, 150],
        broke_promise_yesterday=[1, 0, 0, 0, 0, 0, 0],
        attempts_since_contact=[0, 5, 0, 0, 0, 0, 0],
        promise_pending=[0, 0, 1, 0, 0, 0, 0],
        placed=[0, 0, 0, 1, 0, 0, 0],
        sued=[0, 0, 0, 0, 0, 1, 0],
        balance=[5000, 5000, 5000, 5000, 5000, 5000, 100]))
    assert plan.masks["field_visit"].tolist() == [True] + [False] * 6
    assert plan.masks["letter"].tolist() == [False, True] + [False] * 5
    # A pending promise and an agency placement both stop the calls.
    assert plan.call_attempts.tolist() == [1, 1, 0, 0, 0, 0, 0]
    assert plan.offer.tolist()[:4] == [RESTRUCTURE] * 4
    assert plan.offer.tolist()[4:] == [SETTLEMENT] * 3
    # One-off legal action stays due past its day, once, above the balance floor.
    assert plan.masks["legal"].tolist() == [False] * 4 + [True, False, False]


def test_worklist_orders(tiny: Callable[..., Scenario]) -> None:
    v = view([5, 20, 12], balance=[100, 900, 500], payer_prob=[0.9, 0.2, 0.5],
             score=[3.0, -1.0, 0.0], broke_promise_yesterday=[0, 0, 1])
    ladder = [{"action": "call", "stage": "early"}]
    for order, expected in (("dpd", [2, 1, 0]), ("new_first", [2, 0, 1]),
                            ("balance", [2, 1, 0]), ("expected_recovery", [2, 1, 0]),
                            ("score", [2, 0, 1])):
        strategy = LadderStrategy(tiny(strategy__ladder=ladder, strategy__worklist_order=order))
        plan = strategy.plan(v)
        assert np.argsort(-plan.priority, kind="stable").tolist() == expected, order
    plain = LadderStrategy(tiny(strategy__ladder=ladder, strategy__worklist_order="balance",
                                strategy__broken_promises_first=False))
    assert np.argsort(-plain.plan(v).priority).tolist() == [1, 2, 0]
