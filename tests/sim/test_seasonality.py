"""Seasonality: paydays lift capacity to pay, holidays lower payments and contact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pytest

import sim
from sim.errors import ConfigError
from sim.scenario import Scenario
from sim.scenario.seasonality_spec import Seasonality
from sim.seasonality import factors, is_payday_window

JAN_5 = dt.date(2026, 1, 5)  # the fixture's day 0


def test_payday_window_counts_from_the_payday_and_clamps_to_the_month_end() -> None:
    dates = [dt.date(2026, 2, d) for d in range(8, 14)]
    assert is_payday_window(dates, Seasonality(paydays=[10], payday_days=3)).tolist() == [
        False, False, True, True, True, False]
    feb = [dt.date(2026, 2, 27), dt.date(2026, 2, 28), dt.date(2026, 3, 1)]
    assert is_payday_window(feb, Seasonality(paydays=[31], payday_days=2)).tolist() == [
        False, True, True]


def test_factors_combine_paydays_and_holidays() -> None:
    spec = Seasonality(paydays=[10], payday_days=1, payday_payment=1.5, holiday_payment=0.5,
                       holiday_contact=0.25)
    start = dt.date(2026, 2, 9)
    payment, contact = factors(spec, start, [dt.date(2026, 2, 10), dt.date(2026, 2, 11)], 4)
    assert payment.tolist() == [1.0, 0.75, 0.5, 1.0]  # payday and holiday on the 10th
    assert contact.tolist() == [1.0, 0.25, 0.25, 1.0]
    payment, contact = factors(None, start, [dt.date(2026, 2, 10)], 3)
    assert payment.tolist() == contact.tolist() == [1.0, 1.0, 1.0]


def test_no_contact_on_holidays_when_the_multiplier_is_zero(
        tiny: Callable[..., Scenario]) -> None:
    holidays = [JAN_5 + dt.timedelta(days=d) for d in (10, 11, 12)]
    daily = sim.simulate(tiny(horizon__days=20, calendar__holidays=holidays,
                              behaviour__seasonality={"holiday_contact": 0.0}), seed=0).daily
    on_holiday = daily["day"].isin([10, 11, 12])
    assert daily.loc[on_holiday, "agent_rpc"].sum() == 0
    assert daily.loc[on_holiday, "robot_contacts"].sum() == 0
    assert daily.loc[~on_holiday, "agent_rpc"].sum() > 0


def test_a_payday_lift_brings_payments_into_the_payday_days(
        tiny: Callable[..., Scenario]) -> None:
    def spontaneous(lift: float) -> tuple[float, float]:
        daily = sim.simulate(tiny(horizon__days=60, behaviour__seasonality={
            "paydays": [10], "payday_days": 3, "payday_payment": lift,
            "holiday_payment": 1.0}), seed=2).daily
        dates = [JAN_5 + dt.timedelta(days=int(d)) for d in daily["day"]]
        window = is_payday_window(dates, Seasonality(paydays=[10], payday_days=3))
        paid = (daily["paid_self_cure"] + daily["paid_partial"]).to_numpy()
        return float(paid[window].sum()), float(paid[~window].mean())

    flat_in, _ = spontaneous(1.0)
    lifted_in, _ = spontaneous(3.0)
    assert lifted_in > 1.3 * flat_in


def test_off_unless_the_table_is_given(tiny: Callable[..., Scenario]) -> None:
    plain = tiny(horizon__days=15)
    assert plain.behaviour.seasonality is None
    neutral = plain.with_overrides({"behaviour.seasonality": {
        "payday_payment": 1.0, "holiday_payment": 1.0, "holiday_contact": 1.0}})
    a, b = sim.simulate(plain, seed=0), sim.simulate(neutral, seed=0)
    assert np.array_equal(a.daily["collected"], b.daily["collected"])


@pytest.mark.parametrize(("table", "key"), [
    ({"paydays": [0]}, "behaviour.seasonality.paydays"),
    ({"holiday_contact": -1}, "behaviour.seasonality.holiday_contact"),
    ({"payday_days": 2.5}, "behaviour.seasonality.payday_days"),
])
def test_bad_values_are_refused_with_their_key(tiny: Callable[..., Scenario], table: dict,
                                               key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        tiny(behaviour__seasonality=table)
    assert key in caught.value.render()
