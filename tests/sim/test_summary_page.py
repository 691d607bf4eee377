"""The one-page summary and the deck rules every chart follows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.experiments.compare import compare

SMALL = {"portfolio.accounts": 400, "portfolio.daily_inflow": 12, "horizon.days": 40}


@pytest.fixture(scope="module")
def comparison_and_run() -> tuple[object, sim.RunResult]:
    arms = {n: sim.load_scenario(n).with_overrides(SMALL) for n in ("baseline", "digital_first")}
    comparison = compare(arms, replications=3, workers=1, cache=False)
    return comparison, sim.simulate(arms["baseline"], seed=0)


def _texts(fig: object) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text)]  # type: ignore[attr-defined]


def test_the_page_has_its_four_panels_and_its_provenance(
    comparison_and_run: tuple[object, sim.RunResult], tmp_path: Path,
) -> None:
    from sim.summary_page import save_summary_page, summary_page

    comparison, result = comparison_and_run
    texts = " | ".join(_texts(summary_page(result, comparison)))  # type: ignore[arg-type]
    for part in ("Scorecard against the targets", "Stage flow", "Money by source",
                 "Verdict: challengers against the champion", "digital_first",
                 "seed 0", "Money in CNY", "3 replications"):
        assert part in texts, part
    path = save_summary_page(result, comparison, tmp_path / "summary.png")  # type: ignore[arg-type]
    assert path.read_bytes()[:4] == b"\x89PNG"


def test_forest_panels_follow_units_and_leave_out_what_never_moved() -> None:
    from sim.experiments.plots import forest

    rows = [{"challenger": "b", "champion": "a", "kpi": k, "difference": d, "ci_low": lo,
             "ci_high": hi} for k, d, lo, hi in (
        ("recovery_1_30", 0.02, 0.01, 0.03), ("collected", 5e4, 1e4, 9e4),
        ("breaches", 0.0, 0.0, 0.0))]
    rows += [{"challenger": f"c{i}", "champion": "a", "kpi": "cure_rate", "difference": i / 100,
              "ci_low": 0.0, "ci_high": i / 50} for i in range(20)]  # c0: all zero
    fig = forest(pd.DataFrame(rows), currency="CNY", max_rows=12)
    texts = " | ".join(_texts(fig))
    # c0 never moved (all zero), so 20 cure-rate rows and one recovery row remain.
    assert "Shares (12 of 20 rows; all in differences.csv)" in texts
    assert "Money (CNY)" in texts and "percentage points" in texts
    assert "breaches" not in texts
    assert len([a for a in fig.axes if a.get_title(loc="left")]) == 2


def test_distributions_leave_out_all_zero_panels() -> None:
    from sim.experiments.plots import distributions

    runs = pd.DataFrame({"scenario": ["a", "a", "b", "b"], "breaches": [0.0] * 4,
                         "recovery_1_30": [0.8, 0.82, 0.85, 0.86]})
    fig = distributions(runs, ["recovery_1_30", "breaches"])
    titles = [a.get_title(loc="left") for a in fig.axes if a.get_visible()]
    assert titles == ["recovery 1-30"]
    assert any("zero in every run, not drawn: breaches" in t for t in _texts(fig))


def test_run_charts_carry_years_and_a_note(
    comparison_and_run: tuple[object, sim.RunResult], tmp_path: Path,
) -> None:
    from sim.plots import balances_by_bucket

    _, result = comparison_and_run
    fig = balances_by_bucket(result.daily_columns, "CNY", sim.load_scenario(
        "baseline").calendar.start_date)
    fig.canvas.draw()  # type: ignore[attr-defined]
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert any("2026" in label for label in labels), labels


def _assert_legible(fig: object) -> None:
    """No heading or small print drawn over a panel (the fault of the first summary page)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)  # type: ignore[arg-type]
    canvas.draw()
    renderer = canvas.get_renderer()
    margins = [t.get_window_extent(renderer) for t in (fig._suptitle, fig._supxlabel)  # type: ignore[attr-defined]
               if t is not None and t.get_text()]
    assert margins, "the figure has neither a heading nor small print"
    for ax in fig.axes:  # type: ignore[attr-defined]
        panel = ax.get_tightbbox(renderer)
        if panel is None:  # an unused cell of a grid draws nothing
            continue
        for margin in margins:
            assert not margin.overlaps(panel), ax.get_title(loc="left")


def test_no_heading_or_small_print_covers_a_panel(
    comparison_and_run: tuple[object, sim.RunResult],
) -> None:
    from sim.plots import balances_by_bucket
    from sim.style import footnote
    from sim.summary_page import summary_page

    comparison, result = comparison_and_run
    _assert_legible(summary_page(result, comparison))  # type: ignore[arg-type]
    _assert_legible(comparison.plot_differences())  # type: ignore[attr-defined]
    _assert_legible(comparison.plot_distributions())  # type: ignore[attr-defined]
    chart = balances_by_bucket(result.daily, "CNY")
    footnote(chart, "scenario baseline, seed 0")
    _assert_legible(chart)


def test_a_stage_no_run_reached_reads_not_observed_rather_than_nan() -> None:
    from sim.experiments.verdict import change_text

    assert change_text("recovery_90_plus", float("nan")) == "not observed"
    assert change_text("recovery_90_plus", 0.0125) == "+1.25 points"
