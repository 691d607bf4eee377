"""A run needs no warm-up: the starting book never enters a measured cohort.

The starting book's accounts begin at their DPD with a fresh delinquent's traits, not
as survivors of the strategy (a real book at 90 DPD holds mostly the debtors who would
not or could not pay). So every cohort KPI is measured on the accounts that entered
collections in the measured window, whose whole life was simulated: the ones still
delinquent at 31 or 91 DPD are then the strategy's true survivors. The starting book
still loads the floor in the first weeks; the statistical test checks that the default
run and a run with a long warm-up agree within 3 standard errors.
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


def mean_and_se(scenario: Scenario, names: tuple[str, ...]) -> dict[str, tuple[float, float]]:
    values = np.array([[sim.simulate(scenario, seed=11, replication=r).kpi_values[k]
                        for k in names] for r in range(REPLICATIONS)])
    se = values.std(axis=0, ddof=1) / math.sqrt(REPLICATIONS)
    return {k: (float(values[:, i].mean()), float(se[i])) for i, k in enumerate(names)}


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
    names = ("recovery_90_plus", "loss_rate")
    a, b = mean_and_se(default, names), mean_and_se(warmed, names)
    for name in names:
        (ma, sa), (mb, sb) = a[name], b[name]
        assert sa > 0 and sb > 0, name
        assert abs(ma - mb) <= 3 * math.hypot(sa, sb), (name, a[name], b[name])
