"""Verdicts read off paired intervals, and the value of a better score, on made-up runs
whose answers are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.experiments import stats
from sim.experiments.score_value import AUC, plot_value_of_accuracy, value_of_accuracy
from sim.experiments.verdict import BETTER, UNCLEAR, WORSE, explain, verdict, verdicts


@pytest.mark.parametrize(("kpi", "low", "high", "expected"), [
    ("recovery_1_30", 0.01, 0.03, BETTER),      # more recovery is better
    ("recovery_1_30", -0.03, -0.01, WORSE),
    ("total_cost", 10.0, 20.0, WORSE),          # more cost is worse
    ("total_cost", -20.0, -10.0, BETTER),
    ("recovery_1_30", -0.01, 0.02, UNCLEAR),    # straddles zero
    ("recovery_1_30", float("nan"), float("nan"), UNCLEAR),
])
def test_verdict_follows_the_interval_and_the_kpi_direction(
    kpi: str, low: float, high: float, expected: str
) -> None:
    assert verdict(kpi, low, high) == expected


class _Comparison:
    """The parts of a Comparison that explain() reads, built from paired runs."""

    def __init__(self, runs: pd.DataFrame, kpis: list[str]) -> None:
        self.differences = stats.paired_differences(runs, by="scenario", champion="champ",
                                                    kpis=kpis)
        self.summary = stats.summarise(runs, "scenario", kpis)
        self.kpis = tuple(kpis)
        self.strategies = ["champ", "better"]
        self.champion = "champ"
        self.confidence = 0.95
        self.meta = {"replications": int(runs["replication"].nunique())}


def _paired_runs() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    n = 20
    common = rng.normal(0.8, 0.05, n)  # shared noise: the pairing cancels it
    rows = []
    for k in range(n):
        rows.append({"scenario": "champ", "replication": k, "recovery_1_30": common[k],
                     "total_cost": 100 + 10 * common[k]})
        rows.append({"scenario": "better", "replication": k,
                     "recovery_1_30": common[k] + 0.02 + rng.normal(0, 0.002),
                     "total_cost": 100 + 10 * common[k] + rng.normal(0, 1)})
    return pd.DataFrame(rows)


def test_explain_states_each_verdict_from_the_data() -> None:
    comparison = _Comparison(_paired_runs(), ["recovery_1_30", "total_cost"])
    table = verdicts(comparison.differences, ["total_cost", "recovery_1_30"])
    assert table["kpi"].tolist() == ["total_cost", "recovery_1_30"]
    assert dict(zip(table["kpi"], table["verdict"], strict=True)) == {
        "recovery_1_30": BETTER, "total_cost": UNCLEAR}
    text = explain(comparison, ["recovery_1_30"], currency="CNY")
    assert "recovery 1-30: +2.0" in text and "points" in text and BETTER in text
    assert "20 replications" in text


def test_summary_table_reads_in_percent_and_currency() -> None:
    from sim.experiments.verdict import summary_table

    runs = _paired_runs().assign(collected=1.5e6)
    table = summary_table(_Comparison(runs, ["recovery_1_30", "collected"]),
                          currency="CNY")
    assert list(table.columns) == ["champ", "better"]
    assert list(table.index) == ["recovery_1_30", "collected"]
    assert table.loc["collected", "champ"] == "CN¥1.5m [CN¥1.5m, CN¥1.5m]"
    assert table.loc["recovery_1_30", "better"].count("%") == 3


def _auc_runs(gain_per_step: float) -> pd.DataFrame:
    rng = np.random.default_rng(2)
    n, aucs = 12, [0.6, 0.7, 0.8]
    base = rng.normal(1e6, 5e4, n)
    return pd.DataFrame([
        {AUC: auc, "replication": k, "collected": base[k] + i * gain_per_step
         + rng.normal(0, 1e3)}
        for i, auc in enumerate(aucs) for k in range(n)])


def test_value_of_accuracy_pairs_each_step() -> None:
    table = value_of_accuracy(_auc_runs(20_000.0), "collected")
    assert table["auc"].tolist() == [0.6, 0.7, 0.8]
    assert table["step_gain"].iloc[1:].tolist() == pytest.approx([20_000, 20_000], rel=0.1)
    assert table["gain"].iloc[-1] == pytest.approx(40_000, rel=0.1)
    # Paired: the step interval is far narrower than the spread of the level itself.
    assert (table["step_high"] - table["step_low"]).iloc[1] < \
        (table["ci_high"] - table["ci_low"]).iloc[1] / 5
    assert table["step_low"].iloc[1] > 0
    fig = plot_value_of_accuracy(table, "collected", "CNY")
    assert "AUC" in fig.axes[0].get_xlabel()
    assert fig.axes[0].yaxis.get_major_formatter()(2e6, 0) == "CN¥2m"
    both = plot_value_of_accuracy({"today": table, "lean": table}, "collected", "CNY")
    assert [t.get_text() for t in both.axes[0].get_legend().get_texts()] == ["today", "lean"]
    assert len(both.axes[1].patches) == 4  # two steps, two floors


def test_value_of_accuracy_needs_a_sweep_over_auc() -> None:
    runs = _auc_runs(0.0)
    with pytest.raises(ValueError, match="no column"):
        value_of_accuracy(runs.drop(columns=AUC))
    with pytest.raises(ValueError, match="at least two"):
        value_of_accuracy(runs[runs[AUC] == 0.6])


def test_describe_steps_says_which_steps_are_real() -> None:
    from sim.experiments.score_value import describe_steps

    table = value_of_accuracy(_auc_runs(20_000.0), "collected")
    text = describe_steps(table, "collected", "CNY")
    assert "AUC 0.60 -> 0.70: +CN¥20" in text and "a real gain" in text
    flat = describe_steps(value_of_accuracy(_auc_runs(0.0), "collected"), "collected", "CNY")
    assert "not distinguishable from zero" in flat and "real gain" not in flat


def test_explain_marginal_judges_net_value_as_more_is_better() -> None:
    from sim.experiments.verdict import explain_marginal

    rng = np.random.default_rng(4)
    rows = []
    for k in range(10):
        base = rng.normal(1e6, 1e5)
        rows.append({"headcount": 16, "replication": k, "collected": base, "total_cost": 5e4,
                     "net_value": base - 5e4})
        rows.append({"headcount": 17, "replication": k, "collected": base + 2e4,
                     "total_cost": 6e4 + rng.normal(0, 100), "net_value": base + 2e4 - 6e4})
    marginal = stats.paired_differences(pd.DataFrame(rows), by="headcount", champion=16,
                                        kpis=["collected", "total_cost", "net_value"])
    plan = type("Plan", (), {"team": "early",
                             "marginal": marginal.assign(**{"from": 16, "to": 17})})()
    text = explain_marginal(plan, "CNY")
    assert "(16 -> 17)" in text
    lines = {line.split(":")[0].strip(): line for line in text.splitlines()[1:]}
    assert lines["collected"].endswith(BETTER) and "+CN¥20k" in lines["collected"]
    assert lines["total cost"].endswith(WORSE)
    assert lines["net value"].endswith(BETTER)  # +10k a replication, to the unit


def test_readable_formats_kpi_columns_only() -> None:
    from sim.style import readable

    frame = pd.DataFrame({"headcount": [14, 15], "share_met": [0.5, 0.95],
                          "recovery_1_30_mean": [0.8412, 0.8523],
                          "net_charge_off_ci_low": [2.16e7, float("nan")]})
    out = readable(frame, "CNY")
    assert out["recovery_1_30_mean"].tolist() == ["84.1%", "85.2%"]
    assert out["net_charge_off_ci_low"].tolist() == ["CN¥21.6m", "-"]
    assert out["headcount"].tolist() == [14, 15] and out["share_met"].tolist() == [0.5, 0.95]


def test_accuracy_slope_recovers_the_gain_per_step() -> None:
    from sim.experiments.score_value import accuracy_slope, describe_steps

    runs = _auc_runs(20_000.0)  # +20k per 0.1 AUC, i.e. +10k per 0.05
    slope = accuracy_slope(runs, "collected", per=0.05)
    assert slope.n == 12
    assert slope.mean == pytest.approx(10_000, rel=0.05)
    assert 0 < slope.low < slope.mean < slope.high
    text = describe_steps(value_of_accuracy(runs), "collected", "CNY", slope=slope)
    headline = text.splitlines()[0]
    assert headline.startswith("collected, average over the whole range, per +0.05 AUC: +CN¥")
    assert "a real gain" in headline
