"""Snapshots of a simulated book read as a team's history would, and the moments read off
them agree with what the run itself counted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

import sim
from sim.calibration.history import CHARGED_OFF_CODE, check_history
from sim.calibration.moments import measure, moment_names, transitions
from sim.calibration.snapshots import SnapshotRecorder, month_end_days
from sim.scenario import Scenario


def test_month_end_days_are_the_last_day_of_each_month() -> None:
    days = month_end_days(dt.date(2026, 1, 5), 60)
    assert days == [26, 54]  # 31 January, 28 February


def _history(tiny: Callable[..., Scenario]) -> tuple[Scenario, object, sim.RunResult]:
    scenario = tiny(horizon__days=120)
    recorder = SnapshotRecorder(scenario, month_end_days(scenario.calendar.start_date, 120))
    result = sim.simulate(scenario, seed=3, observer=recorder)
    return scenario, recorder, result


def test_the_recorder_only_watches_the_run_changes_nothing(tiny: Callable[..., Scenario]) -> None:
    scenario, _, with_recorder = _history(tiny)
    plain = sim.simulate(scenario, seed=3)
    assert with_recorder.kpi_values == plain.kpi_values


def test_snapshots_pass_the_validator_and_money_adds_up(tiny: Callable[..., Scenario]) -> None:
    scenario, recorder, result = _history(tiny)
    frame = recorder.frame()  # type: ignore[attr-defined]
    history = check_history(frame, "<sim>", list(scenario.portfolio.segments),
                            scenario.channels.writeoff.dpd)
    assert len(history.dates) == 4
    # Payments between the first and the last snapshot, as the history shows them, are
    # at most what the run collected on those days (the history misses accounts that
    # arrive and leave between two snapshots), and most of it.
    first, last = recorder.days[0], max(recorder.days)  # type: ignore[attr-defined]
    daily = result.daily
    window = float(daily.loc[(daily["day"] > first) & (daily["day"] <= last), "collected"].sum())
    shown = float(history.frame["paid"].sum())
    assert 0.5 * window < shown <= window + 0.01 * len(history.frame)
    # A charged-off account stays charged off.
    t = transitions(history)
    from_co = t["bucket"] == CHARGED_OFF_CODE
    assert (t.loc[from_co, "next_bucket"] == CHARGED_OFF_CODE).all()


def test_cure_rates_follow_the_cure_hazard(tiny: Callable[..., Scenario]) -> None:
    """Common sense: a book whose debtors cure more readily shows more cures."""
    rates = []
    for hazard in (0.01, 0.05):
        scenario = tiny(horizon__days=120,
                        behaviour__cure_hazard={"early": hazard, "mid": hazard, "late": hazard})
        rec = SnapshotRecorder(scenario, month_end_days(scenario.calendar.start_date, 120))
        sim.simulate(scenario, seed=3, observer=rec)
        h = check_history(rec.frame(), "<sim>")
        m = measure(transitions(h), moment_names([], None))
        rates.append(m.values[:3])
    assert np.all(rates[1] > rates[0])


def test_moment_standard_errors_match_the_binomial_when_accounts_appear_once() -> None:
    import pandas as pd

    rng = np.random.default_rng(0)
    n = 4000
    cured = rng.random(n) < 0.3
    frame = pd.DataFrame({
        "account_id": np.repeat([f"A{i}" for i in range(n)], 2),
        "date": np.tile(["2026-01-31", "2026-02-28"], n),
        "dpd": np.column_stack([np.full(n, 10), np.where(cured, 0, 40)]).ravel(),
        "balance": 100.0, "paid": 0.0,
    })
    h = check_history(frame, "<made>")
    m = measure(transitions(h), moment_names([], None))
    p = m.value("cure.early")
    assert abs(p - cured.mean()) < 1e-12
    assert abs(m.se("cure.early") - np.sqrt(p * (1 - p) / n)) < 1e-9
