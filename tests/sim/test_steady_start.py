"""A run needs no warm-up, and its starting book can be drawn from the steady state.

Every cohort KPI is measured on the accounts that entered collections in the measured
window, whose whole life was simulated, never on the starting book. The starting book
still loads the floor in the first weeks: with ``portfolio.starting_traits = "fresh"``
its debtors have a fresh delinquent's traits at every DPD; with ``"survivors"`` they
take those of debtors who survived to the same DPD in a burn-in under the scenario's own
strategy (:mod:`sim.steady_start`). The statistical test checks both against a run with
a long warm-up: the bucket KPIs agree either way, and only the survivors' start gives
the warm-up's traits at each stage and its first-month promise figures.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable

import numpy as np
import pytest

import sim
from sim import shipped
from sim.kpis import recovery_rates, roll_rates
from sim.scenario import Scenario
from sim.stages import STAGE_NAMES, State, stage_of


def test_the_starting_book_never_counts_in_a_bucket_cohort(
    tiny: Callable[..., Scenario],
) -> None:
    result = sim.simulate(tiny(horizon__days=60, horizon__runoff=True), seed=4)
    acc = result.accounts
    started = acc["arrival_day"] < 0
    # The starting book does reach the later buckets during the run ...
    assert (started & (acc["entered_91"] >= 0) & (acc["entered_91"] < 60)).sum() > 0
    # ... but removing it entirely leaves every bucket KPI exactly as it was.
    keep = ~started
    without = {k: np.asarray(v)[keep] for k, v in acc.items()}
    observed = 60 + result.meta["runoff_days"]
    for kpis in (lambda a: recovery_rates(a, 0, 60, observed),
                 lambda a: roll_rates(a, 0, 60, 180, observed)):
        full, trimmed = kpis(acc), kpis(without)
        assert full.keys() == trimmed.keys()
        for name in full:
            assert math.isnan(full[name]) == math.isnan(trimmed[name]), name
            if not math.isnan(full[name]):
                assert full[name] == trimmed[name], name


SCALE = 0.25
"""The baseline's book, inflow and teams at a quarter of their size."""
REPLICATIONS = 6


def small_baseline() -> Scenario:
    base = sim.load_scenario(shipped.resolve("scenario", "baseline"))
    teams = base.staffing.teams
    return base.with_overrides({
        "portfolio.accounts": round(base.portfolio.accounts * SCALE),
        "portfolio.daily_inflow": base.portfolio.daily_inflow * SCALE,
        **{f"staffing.teams.{name}.headcount": max(1, round(team.headcount * SCALE))
           for name, team in teams.items()},
        "horizon.untreated_twin": False,
    })


def first_month(scenario: Scenario, start: int) -> list[dict[str, float]]:
    """Per replication: traits of the book at the measured window's first day, by stage,
    the first month's promise figures, and the cohorts' recovery_90_plus and loss_rate."""
    rows = []
    for r in range(REPLICATIONS):
        traits: dict[str, float] = {}

        def look(day: int, book: object, traits: dict[str, float] = traits) -> None:
            if day != start:
                return
            live = book.state == State.DELINQUENT  # type: ignore[attr-defined]
            stage = stage_of(book.dpd[live])  # type: ignore[attr-defined]
            for s, name in enumerate(STAGE_NAMES):
                traits[f"payer_share_{name}"] = float(
                    book.payer[live][stage == s].mean())  # type: ignore[attr-defined]
                traits[f"willingness_{name}"] = float(
                    book.willingness[live][stage == s].mean())  # type: ignore[attr-defined]

        result = sim.simulate(scenario, seed=11, replication=r, observer=look)
        d = result.daily_columns
        month = (d["day"] >= start) & (d["day"] < start + 30)
        rows.append({
            **traits,
            "ptp_per_rpc_first_month": float(d["agent_ptp"][month].sum()
                                             / d["agent_rpc"][month].sum()),
            "kept_first_month": float(d["promises_kept"][month].sum()
                                      / d["promises_due"][month].sum()),
            "recovery_90_plus": result.kpi_values["recovery_90_plus"],
            "loss_rate": result.kpi_values["loss_rate"],
        })
    return rows


def mean_and_se(rows: list[dict[str, float]]) -> dict[str, tuple[float, float]]:
    values = np.array([[row[k] for k in rows[0]] for row in rows])
    se = values.std(axis=0, ddof=1) / math.sqrt(len(rows))
    return {k: (float(values[:, i].mean()), float(se[i])) for i, k in enumerate(rows[0])}


def z_score(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Difference of two means in standard errors (0 when both are exactly equal)."""
    diff, se = a[0] - b[0], math.hypot(a[1], b[1])
    return 0.0 if diff == 0 else diff / se if se > 0 else math.inf


@pytest.mark.statistical
@pytest.mark.slow
def test_the_default_start_matches_a_long_warm_up() -> None:
    default = small_baseline()
    days = default.horizon.days
    # The long run starts `days` earlier on the calendar, so both measure the same dates
    # (holidays included) and only the start differs.
    start = default.calendar.start_date - datetime.timedelta(days=days)
    warmed = default.with_overrides({"horizon.warmup_days": days, "horizon.days": 2 * days,
                                     "calendar.start_date": start})
    survivors = default.with_overrides({"portfolio.starting_traits": "survivors"})
    # The observer sees the book after the first measured day on both sides.
    long_run = mean_and_se(first_month(warmed, days))
    fresh = mean_and_se(first_month(default, 0))
    steady = mean_and_se(first_month(survivors, 0))
    print({k: (long_run[k], fresh[k], steady[k]) for k in long_run})
    # Bucket KPIs never count the starting book, so either start gives the warm-up's.
    for name in ("recovery_90_plus", "loss_rate"):
        assert long_run[name][1] > 0, name
        assert abs(z_score(fresh[name], long_run[name])) <= 3, (name, fresh[name], long_run[name])
        assert abs(z_score(steady[name], long_run[name])) <= 3, (name, steady[name],
                                                                 long_run[name])
    # The survivors' start has the warm-up's traits at every stage and its promises.
    for name in long_run:
        assert abs(z_score(steady[name], long_run[name])) <= 3, (name, steady[name],
                                                                 long_run[name])
    # A fresh start has far too many payers past 30 DPD (the test can tell them apart).
    for name in ("payer_share_mid", "payer_share_late", "kept_first_month"):
        assert z_score(fresh[name], long_run[name]) > 3, (name, fresh[name], long_run[name])
