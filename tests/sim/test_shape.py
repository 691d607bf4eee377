"""The delinquent book's shape against the public aggregate: the 60+/30+ balance ratio.

US card books hold about 0.71 of their 30+ DPD balance at 60+ DPD (Philadelphia Fed
series on FRED, 2019Q4 and 2025Q4; ``simulation-anchors.md`` 2b, [H, derived]): once an
account is a month late, most of its balance rolls on. What this test shows, on the
baseline at 10,000 accounts, days 90-179 (after the starting book has aged in):

- untreated, the model's ratio is close to that figure (about 0.72 at seed 1);
- treated, it is lower (about 0.51 at seed 1): the baseline's mid-stage calls, visits and
  plans cure more 31-60 balance than a US card book's operations do. Neither figure is
  calibrated; the bands only catch a change that moves the shape a long way.

The model has no performing book, so an annualised loss rate on all receivables (the
FRED charge-off series) cannot be formed from it; this test does not claim one.
"""

from __future__ import annotations

import pandas as pd
import pytest

import sim
from sim.engine import untreated


def ratio_60_30(daily: pd.DataFrame) -> float:
    """Mean over days 90+ of balance at 61+ DPD over balance at 31+ DPD."""
    late = daily[daily["day"] >= 90]
    buckets = {c: int(c.removeprefix("balance_").split("-")[0].rstrip("+"))
               for c in daily.columns if c.startswith("balance_") and c[8:9].isdigit()}
    over_30 = late[[c for c, low in buckets.items() if low >= 31]].sum(axis=1)
    over_60 = late[[c for c, low in buckets.items() if low >= 61]].sum(axis=1)
    return float((over_60 / over_30).mean())


@pytest.mark.slow
def test_the_60_30_balance_shape_stays_in_a_plausible_band() -> None:
    scenario = sim.load_scenario("baseline").with_overrides({
        "portfolio.accounts": 10_000, "portfolio.daily_inflow": 250,
        "horizon.runoff": False, "horizon.untreated_twin": False})
    treated = ratio_60_30(sim.simulate(scenario, seed=1).daily)
    bare = ratio_60_30(sim.simulate(untreated(scenario), seed=1).daily)
    assert 0.62 <= bare <= 0.85
    assert 0.40 <= treated <= 0.80
    assert treated < bare
