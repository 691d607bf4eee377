"""The typed ledger: every flow is booked against a declared measure, and the daily
records, ``collected`` and ``cost_total`` follow from the declarations."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import sim
from sim import channels as chn
from sim import ledger as lg
from sim.ledger import CostLine, Count, Ledger, Schema, Source
from sim.scenario import Scenario

Tiny = Callable[..., Scenario]


def small_ledger() -> Ledger:
    schema = Schema.of([lg.SELF_CURE, lg.AGENCY], [lg.STAFF, CostLine("sms")],
                       [lg.CONTACTS, lg.CHARGED_OFF], [])
    return Ledger(schema, scale=100)


def test_booking_an_undeclared_measure_fails_instead_of_vanishing() -> None:
    led = small_ledger()
    with pytest.raises(KeyError):
        led.cost(CostLine("letters"), 1.0)
    with pytest.raises(KeyError):
        led.receive(Source("legal"), 100)
    with pytest.raises(KeyError):
        led.count(Count("sent_letter"), 1)


def test_a_day_row_sums_every_declared_source_and_cost_line() -> None:
    led = small_ledger()
    led.receive(lg.SELF_CURE, 1234)
    led.receive(lg.AGENCY, 66, after_writeoff=66)
    led.cost(CostLine("sms"), 0.05 * 3)
    led.cost_minor(lg.STAFF, 10_000)
    led.count(lg.CONTACTS, 4)
    row = led.close_day()
    assert row["paid_self_cure"] == 12.34 and row["paid_agency"] == 0.66
    assert row["collected"] == pytest.approx(13.0)
    assert row["cost_sms"] == 0.15 and row["cost_staff"] == 100.0
    assert row["cost_total"] == pytest.approx(100.15)
    assert row["contacts"] == 4 and row["charged_off"] == 0
    led.open_day()
    assert led.close_day()["collected"] == 0
    # Costs accumulate over days into the run's totals.
    assert led.cost_totals[lg.STAFF] == 10_000


def test_the_money_identity_is_checked_to_the_minor_unit() -> None:
    led = small_ledger()
    led.add_opening(10_000)
    led.add_fees(500)
    led.receive(lg.SELF_CURE, 3_000)
    led.charge_off(1, 6_000)
    led.receive(lg.AGENCY, 700, after_writeoff=700)
    led.forgive(1_000)
    assert led.totals(outstanding=500, charged_off_remaining=5_300)["balanced"] == 1
    assert led.totals(outstanding=499, charged_off_remaining=5_300)["balanced"] == 0


def test_a_schema_refuses_two_measures_with_one_column() -> None:
    with pytest.raises(ValueError, match="sms"):
        Schema.of([], [CostLine("sms")], [Count("cost_sms")], [])


def test_every_declared_cost_line_has_a_daily_column_and_sums_to_cost_total(tiny: Tiny) -> None:
    scenario = tiny()
    result = sim.simulate(scenario, seed=2)
    daily = result.daily
    lines = chn.schema(tuple(scenario.staffing.teams)).costs
    columns = [line.column for line in lines]
    assert set(columns) <= set(daily.columns)
    assert {c for c in daily.columns if c.startswith("cost_")} == {*columns, "cost_total"}
    np.testing.assert_allclose(daily[columns].sum(axis=1), daily["cost_total"])
    sources = [s.column for s in lg.SOURCES]
    np.testing.assert_allclose(daily[sources].sum(axis=1), daily["collected"])
    # Without a run-off the run's cost totals are the daily columns' sums.
    led = result.meta["ledger"]
    for column in columns:
        assert led[column] == round(daily[column].sum() * 10 ** result.meta["minor_units"])


def test_promises_are_counted_by_the_channel_that_made_them(tiny: Tiny) -> None:
    daily = sim.simulate(tiny(horizon__days=60), seed=4).daily
    by_channel = daily[[f"promises_{c}" for c in ("agent", "robot", "inbound", "field")]]
    assert (by_channel.sum(axis=1) == daily["promises"]).all()
    assert daily["promises_agent"].sum() > 0 and daily["promises_robot"].sum() > 0
