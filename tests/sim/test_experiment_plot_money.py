"""Money in experiment charts and tables carries the scenario's currency."""

from __future__ import annotations

import pandas as pd

from sim.experiments import plots
from sim.style import currency_of


def _ticks(axis: object) -> list[str]:
    axis.figure.canvas.draw()  # type: ignore[attr-defined]
    return [t.get_text() for t in axis.get_ticklabels()]  # type: ignore[attr-defined]


def _frontier_table() -> pd.DataFrame:
    rows = []
    for h in (2, 3, 4):
        row: dict[str, float] = {"headcount": h}
        for kpi, value in (("recovery_1_30", 0.8 + 0.02 * h), ("total_cost", 1e5 * h),
                           ("net_charge_off", 2e6 - 1e5 * h), ("cost_per_collected", 0.05)):
            row.update({f"{kpi}_mean": value, f"{kpi}_ci_low": value * 0.95,
                        f"{kpi}_ci_high": value * 1.05})
        rows.append(row)
    return pd.DataFrame(rows)


def test_frontier_shows_money_in_currency_and_every_plotted_target() -> None:
    targets = {"recovery_1_30": 0.85, "total_cost": 3.5e5, "net_charge_off": 1.8e6,
               "cost_per_collected": 0.06, "inbound_service_level": 0.8}
    fig = plots.frontier(_frontier_table(), recommended=3, targets=targets, currency="CNY")
    cost_recovery, recovery, charge_off, per_collected = fig.axes[:4]
    assert any(t.startswith("CN¥") for t in _ticks(cost_recovery.yaxis))
    assert any(t.startswith("CN¥") for t in _ticks(charge_off.yaxis))
    assert "CNY" in cost_recovery.get_ylabel()
    dashed = {ax: [line for line in ax.get_lines() if line.get_linestyle() == "--"]
              for ax in (cost_recovery, recovery, charge_off, per_collected)}
    # Cost-recovery panel: a vertical recovery target and a horizontal cost target.
    assert sorted(len(set(line.get_xdata())) for line in dashed[cost_recovery]) == [1, 2]
    assert [len(dashed[ax]) for ax in (recovery, charge_off, per_collected)] == [1, 1, 1]


def test_forest_notes_money_differences_in_currency() -> None:
    differences = pd.DataFrame([
        {"challenger": "calls", "champion": "base", "kpi": "collected", "difference": 45_600.0,
         "ci_low": 30_000.0, "ci_high": 61_200.0, "champion_mean": 2.06e6},
        {"challenger": "calls", "champion": "base", "kpi": "recovery_1_30", "difference": 0.012,
         "ci_low": 0.01, "ci_high": 0.014, "champion_mean": 0.8},
    ])
    fig = plots.forest(differences, currency="USD")
    # One panel per unit; the secondary axis of each carries the absolute changes.
    money, share = (ax for ax in fig.axes if ax.child_axes)
    assert [t.get_text() for t in money.child_axes[0].get_yticklabels()] == [
        "+US$45.6k \u00b1 US$15.6k"]
    assert [t.get_text() for t in share.child_axes[0].get_yticklabels()] == [
        "+1.20 pp \u00b1 0.20 pp"]
    assert money.get_title(loc="left") == "Money (USD)"
    assert "percentage points" in share.get_xlabel()


def test_currency_of_reads_the_portfolio_and_tolerates_stand_ins() -> None:
    class Portfolio:
        currency = "GBP"

    class Scenario:
        portfolio = Portfolio()

    assert currency_of(Scenario()) == "GBP"
    assert currency_of(object()) == ""


def test_comparison_table_reads_money_and_shares_for_people() -> None:
    from sim.experiments.compare import Comparison

    summary = pd.DataFrame([
        {"scenario": s, "kpi": k, "n": 3, "mean": m, "sd": 0.0, "ci_low": m * 0.9,
         "ci_high": m * 1.1}
        for s in ("base", "calls") for k, m in (("collected", 2.061e6), ("recovery_1_30", 0.8))
    ])
    runs = pd.DataFrame({"scenario": ["base", "calls"], "replication": [0, 0]})
    comparison = Comparison(runs, summary, pd.DataFrame(), "base",
                            ("collected", "recovery_1_30"), meta={"currency": "CNY"})
    table = comparison.table()
    assert table.loc["collected", "base"] == "CN¥2.06m [CN¥1.85m, CN¥2.27m]"
    assert table.loc["recovery_1_30", "calls"] == "80.0% [72.0%, 88.0%]"
    assert list(table.columns) == ["base", "calls"]
