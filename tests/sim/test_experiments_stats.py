"""Intervals and paired differences against hand computations, and the toy comparison."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.experiments import stats
from sim.experiments.compare import compare

sys.path.insert(0, str(Path(__file__).parent))
from experiments_toy import Toy, toy_run


def test_t_interval_matches_the_textbook_formula() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    ci = stats.t_interval(values)
    half = 2.7764451051977987 * math.sqrt(2.5) / math.sqrt(5)  # t(0.975, 4)
    assert ci.mean == 3.0 and ci.n == 5
    assert (ci.low, ci.high) == pytest.approx((3.0 - half, 3.0 + half))
    assert math.isnan(stats.t_interval([1.0]).low)
    assert stats.lower_bound(values, 0.95) == pytest.approx(3.0 - 2.131846786 * math.sqrt(0.5))


def test_paired_differences_use_the_pairing() -> None:
    rng = np.random.default_rng(3)
    shared = rng.normal(0, 10, 40)
    frame = pd.DataFrame(
        {"scenario": ["a"] * 40 + ["b"] * 40, "replication": list(range(40)) * 2,
         "kpi": np.concatenate([shared, shared + 1 + rng.normal(0, 0.1, 40)])}
    )
    diff = stats.paired_differences(frame, by="scenario", champion="a", kpis=["kpi"]).iloc[0]
    assert diff["ci_low"] < 1 < diff["ci_high"] and diff["ci_high"] - diff["ci_low"] < 0.1
    assert diff["variance_ratio"] > 1000 and diff["p_value"] < 1e-10
    with pytest.raises(ValueError, match="champion"):
        stats.paired_differences(frame, by="scenario", champion="z", kpis=["kpi"])


def test_toy_comparison_is_tidy_and_crn_cancels_shared_noise() -> None:
    arms = {"champion": Toy(level=1.0), "challenger": Toy(level=1.25)}
    result = compare(arms, replications=8, run=toy_run, workers=1, kpis=["kpi"])
    assert len(result.runs) == 16 and set(result.runs["scenario"]) == set(arms)
    assert list(result.summary.columns[:3]) == ["scenario", "kpi", "n"]
    row = result.differences.iloc[0]
    assert row["difference"] == pytest.approx(0.25) and row["ci_high"] - row["ci_low"] < 1e-9
    independent = compare(arms, replications=8, run=toy_run, workers=1, kpis=["kpi"], crn=False)
    loose = independent.differences.iloc[0]
    assert loose["ci_high"] - loose["ci_low"] > 0.01
    assert "champion" in result.table().columns and "challenger" in result.difference_table()


def test_compare_rejects_a_single_arm_and_an_unknown_champion() -> None:
    with pytest.raises(ValueError, match="at least two"):
        compare({"only": Toy()}, run=toy_run, workers=1)
    with pytest.raises(ValueError, match="champion"):
        compare({"a": Toy(), "b": Toy()}, champion="c", run=toy_run, workers=1)


def test_comparison_renders_in_a_notebook() -> None:
    arms = {"champion": Toy(level=1.0), "challenger": Toy(level=1.25)}
    html = compare(arms, replications=3, run=toy_run, workers=1)._repr_html_()
    assert "<table" in html and "challenger" in html and "Comparison(" in html


def test_a_share_interval_never_leaves_zero_to_one() -> None:
    from sim.experiments.stats import share_interval, t_interval

    lopsided = [0.2, 1.0, 1.0, 0.95]  # the t interval runs past 100%
    assert t_interval(lopsided).high > 1.0
    ci = share_interval(lopsided)
    assert 0.0 <= ci.low <= ci.mean <= ci.high <= 1.0
    assert ci.high < 1.0 or max(lopsided) == 1.0
    assert share_interval(lopsided) == ci  # seeded: the same runs, the same interval
    sound = [0.41, 0.45, 0.43, 0.47, 0.44, 0.42]
    assert share_interval(sound) == t_interval(sound)


def test_summaries_of_shares_stay_in_range() -> None:
    import pandas as pd

    from sim.experiments.stats import summarise

    runs = pd.DataFrame({"scenario": ["a"] * 3, "recovery_1_30": [0.3, 0.99, 1.0],
                         "collected": [1.0, 5.0, 9.0]})
    table = summarise(runs, "scenario", ["recovery_1_30", "collected"]).set_index("kpi")
    assert 0 <= table.loc["recovery_1_30", "ci_low"] <= table.loc["recovery_1_30", "ci_high"] <= 1
    assert table.loc["collected", "ci_low"] < 0  # money keeps its t interval
