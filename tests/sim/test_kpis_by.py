"""Results by segment, product and team: slices that add up to the whole."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import TINY, build  # the shared 400-account fixture book

import sim
from sim.kpis_by import ADDITIVE, split_flat_name
from sim.report import write_run
from sim.scenario import Scenario

THREE_SEGMENTS = {
    "card": {"share": 0.5, "balance": {"median": 6000}},
    "cash": {"share": 0.2, "balance": {"median": 3000}},
    "auto": {"share": 0.3, "balance": {"median": 30000}, "product": "secured",
             "collateral_ratio": 0.8, "capacity": {"mean": 0.4}},
}


@pytest.fixture(scope="module")
def result() -> sim.RunResult:
    return sim.simulate(build(TINY, horizon__days=100, portfolio__segments=THREE_SEGMENTS),
                        seed=3)


def test_segment_money_and_counts_sum_to_the_whole(result: sim.RunResult) -> None:
    by = result.kpis_by("segment")
    assert list(by.index) == ["card", "cash", "auto"]
    whole = result.kpi_values
    for kpi in ADDITIVE:
        assert by[kpi].sum() == pytest.approx(whole[kpi], rel=1e-12, abs=1e-6), kpi
    assert whole["collected"] > 0 and whole["loss"] > 0  # the sums are not vacuous


def test_a_rate_of_the_whole_is_the_ratio_of_the_segments_sums(result: sim.RunResult) -> None:
    by = result.kpis_by("segment")
    assert result.kpi_values["loss_rate"] == pytest.approx(
        by["loss"].sum() / by["cohort_balance"].sum(), rel=1e-12)
    # ... and not the plain mean of the segments' rates (they differ in size and risk).
    assert not math.isclose(result.kpi_values["loss_rate"], by["loss_rate"].mean(), rel_tol=1e-3)


def test_products_gather_their_segments(result: sim.RunResult) -> None:
    seg = result.kpis_by("segment")
    prod = result.kpis_by("product")
    assert list(prod.index) == ["unsecured", "secured"]
    for kpi in ADDITIVE:
        assert prod.loc["unsecured", kpi] == pytest.approx(
            seg.loc["card", kpi] + seg.loc["cash", kpi], rel=1e-12, abs=1e-6)
    # A lone segment's product has exactly the segment's KPIs, rates included.
    pd.testing.assert_series_equal(prod.loc["secured"], seg.loc["auto"], check_names=False)


def test_an_empty_segment_has_no_rates_and_nothing_to_add(tiny: Callable[..., Scenario]) -> None:
    segments = {**THREE_SEGMENTS, "cash": {**THREE_SEGMENTS["cash"], "share": 0.0},
                "card": {**THREE_SEGMENTS["card"], "share": 0.7}}
    by = sim.simulate(tiny(horizon__days=40, portfolio__segments=segments), seed=0
                      ).kpis_by("segment")
    assert by.loc["cash", "accounts"] == 0 and by.loc["cash", "collected"] == 0
    assert math.isnan(by.loc["cash", "recovery_1_30"])
    assert by.loc["card", "accounts"] > 0


def test_team_productivity_adds_up_to_the_floor(result: sim.RunResult) -> None:
    teams = result.kpis_by("team")
    daily = result.daily
    assert list(teams.index) == ["early", "mid", "late"]
    assert teams["attempts"].sum() == daily["agent_attempts"].sum() > 0
    assert teams["contacts"].sum() == daily["agent_connected"].sum()
    assert teams["promises"].sum() == daily["agent_ptp"].sum()
    assert (teams["collectors"] == [3, 2, 1]).all()
    # Cash on the teams' promises is part of what promises brought in, never more.
    promised_cash = (daily["paid_promise"] + daily["paid_settlement"] + daily["paid_plan"]).sum()
    assert 0 < teams["cash_on_promises"].sum() <= promised_cash + 1e-6
    hours = teams["collector_hours"]
    assert (teams["attempts_per_hour"] * hours).to_numpy() == pytest.approx(
        teams["attempts"].to_numpy())


def test_more_collectors_in_a_team_work_more_hours_not_more_per_hour(
        tiny: Callable[..., Scenario]) -> None:
    small = sim.simulate(tiny(horizon__days=30), seed=1).kpis_by("team")
    big = sim.simulate(tiny(horizon__days=30, staffing__teams__early__headcount=6), seed=1
                       ).kpis_by("team")
    assert big.loc["early", "collector_hours"] == pytest.approx(
        2 * small.loc["early", "collector_hours"])
    # Twice the staff on the same worklist: the list runs dry, so each hour dials less.
    assert big.loc["early", "attempts_per_hour"] < small.loc["early", "attempts_per_hour"]


def test_grouped_values_are_flat_named_kpis(result: sim.RunResult) -> None:
    flat = result.grouped_values
    assert flat["segment=cash:collected"] == result.kpis_by("segment").loc["cash", "collected"]
    assert split_flat_name("product=secured:loss") == ("product", "secured", "loss")
    assert split_flat_name("loss") is None
    assert all(split_flat_name(k) is not None for k in flat)


def test_comparisons_give_segment_kpis_intervals(tiny: Callable[..., Scenario]) -> None:
    base = tiny(horizon__days=20)
    more = base.with_overrides({"staffing.teams.early.headcount": 5})
    comparison = sim.compare({"base": base, "more": more}, replications=3, seed=0, workers=1,
                             progress=False)
    summary = comparison.summary
    rows = summary[summary["kpi"] == "segment=card:collected"]
    assert len(rows) == 2
    assert np.isfinite(rows[["ci_low", "ci_high"]].to_numpy(dtype=float)).all()


def test_run_writes_kpis_by_segment_product_and_team(result: sim.RunResult,
                                                     tmp_path: Path) -> None:
    scenario = build(TINY, horizon__days=100, portfolio__segments=THREE_SEGMENTS)
    write_run(result, scenario, tmp_path / "out", plots=False)
    seg = pd.read_csv(tmp_path / "out" / "kpis_by_segment.csv")
    assert set(seg.columns) == {"segment", "kpi", "value", "currency"}
    loss = seg[seg["kpi"] == "loss"].set_index("segment")["value"]
    assert loss.sum() == pytest.approx(result.kpi_values["loss"])
    assert (seg.loc[seg["kpi"] == "loss", "currency"] == "CNY").all()
    team = pd.read_csv(tmp_path / "out" / "kpis_by_team.csv")
    assert set(team["team"]) == {"early", "mid", "late"}
    assert (tmp_path / "out" / "kpis_by_product.csv").is_file()


def test_unknown_grouping_is_refused(result: sim.RunResult) -> None:
    with pytest.raises(ValueError, match="segment, product, team"):
        result.kpis_by("region")
