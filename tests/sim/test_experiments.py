"""Experiments on the real engine: comparisons, CRN, the split test, sweeps, staffing.

Scenarios are the baseline shrunk to ~0.2 s per run (600 accounts, 60 days), so the
whole file stays within seconds except the marked Dask and statistical tests.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from sim.errors import ConfigError
from sim.experiments.compare import compare
from sim.experiments.split import in_challenger_arm, split_test
from sim.experiments.staffing import size_staff
from sim.experiments.sweep import summarise_sweep, sweep

sys.path.insert(0, str(Path(__file__).parent))
from experiments_toy import tiny_baseline

MORE_CALLS = {"strategy.ladder[2].attempts_per_day": 4, "strategy.ladder[2].dpd_from": 1}
"""A challenger: the early team starts dialling on day 1, up to 4 attempts a day."""


@pytest.fixture(scope="module")
def tiny() -> Any:
    return tiny_baseline()


@pytest.fixture(scope="module")
def arms(tiny: Any) -> dict[str, Any]:
    return {"champion": tiny, "calls": tiny.with_overrides(MORE_CALLS)}


@pytest.mark.slow
def test_results_are_identical_on_every_backend_and_worker_count(arms: dict[str, Any]) -> None:
    serial = compare(arms, replications=3, workers=1)
    pooled = compare(arms, replications=3, workers=2, task_seconds=0.0)
    on_dask = compare(arms, replications=3, workers=2, backend="dask")
    pd.testing.assert_frame_equal(serial.runs, pooled.runs, check_exact=True)
    pd.testing.assert_frame_equal(serial.runs, on_dask.runs, check_exact=True)
    pd.testing.assert_frame_equal(serial.differences, on_dask.differences, check_exact=True)


def test_comparison_tables(arms: dict[str, Any]) -> None:
    result = compare(arms, replications=3, workers=1)
    assert len(result.runs) == 6 and {"scenario", "replication", "seed"} <= set(result.runs)
    assert set(result.summary["scenario"]) == {"champion", "calls"}
    diff = result.differences.set_index("kpi").loc["first_contact_within_3bd"]
    # Dialling from day 1 reaches more debtors within 3 business days, clearly.
    assert diff["ci_low"] > 0
    assert list(result.table(["collected"]).columns) == ["champion", "calls"]


@pytest.mark.statistical
def test_common_random_numbers_narrow_the_difference_interval(arms: dict[str, Any]) -> None:
    kpis = ["collected", "net_charge_off", "recovery_1_30"]
    crn = compare(arms, replications=12, kpis=kpis).differences.set_index("kpi")
    independent = compare(arms, replications=12, kpis=kpis, crn=False).differences.set_index("kpi")
    width_crn = crn["ci_high"] - crn["ci_low"]
    width_ind = independent["ci_high"] - independent["ci_low"]
    observed = (width_ind / width_crn) ** 2  # variance ratio of the two difference estimates
    print("\nCRN variance ratio (independent / CRN):", observed.round(1).to_dict(),
          "| estimated from CRN runs alone:", crn["variance_ratio"].round(1).to_dict())
    # Collected now includes the expected cash of re-defaults past the horizon, valued
    # with a loss given re-default read off each arm's own re-defaulters (different
    # accounts in each arm), which common numbers cannot pair: it narrows less than
    # net charge-off. The comparison is seeded, so these ratios are fixed figures.
    assert observed["net_charge_off"] > 2 and observed["collected"] > 1
    # The estimate from the paired runs alone agrees in direction (it is noisier).
    assert crn.loc["collected", "variance_ratio"] > 1


def test_split_test_gives_each_arm_its_share(tiny: Any) -> None:
    result = split_test(tiny, tiny.with_overrides(MORE_CALLS), share=0.2, replications=3,
                        workers=1)
    counts = result.runs.pivot(index="replication", columns="scenario", values="accounts")
    share = counts["challenger"] / (counts["challenger"] + counts["champion"])
    assert share.between(0.15, 0.25).all()
    diff = result.differences.set_index("kpi").loc["first_contact_within_3bd"]
    assert diff["ci_low"] > 0  # the challenger arm is reached sooner
    assert result.meta["design"] == "split"


def test_split_assignment_is_a_stable_hash() -> None:
    import numpy as np

    index = np.arange(200_000, dtype=np.int64)
    arm = in_challenger_arm(index, 0.1, salt=7)
    assert abs(arm.mean() - 0.1) < 0.003
    assert (arm == in_challenger_arm(index, 0.1, salt=7)).all()
    assert (arm != in_challenger_arm(index, 0.1, salt=8)).any()


def test_split_test_refuses_scenarios_differing_beyond_strategy(tiny: Any) -> None:
    with pytest.raises(ValueError, match="staffing"):
        split_test(tiny, tiny.with_overrides({"staffing.teams.early.headcount": 9}),
                   replications=1, workers=1)


def test_sweep_full_factorial_and_explicit_points(tiny: Any) -> None:
    grid = {"staffing.teams.early.headcount": [2, 4], "strategy.worklist_order": ["dpd", "balance"]}
    runs = sweep(tiny, grid, replications=2, workers=1)
    assert len(runs) == 8 and runs["point"].nunique() == 4
    assert runs.iloc[0][["staffing.teams.early.headcount", "strategy.worklist_order"]].tolist() \
        == [2, "dpd"]
    summary = summarise_sweep(runs, ["collected"])
    assert len(summary) == 4 and "strategy.worklist_order" in summary.columns
    points = sweep(tiny, [{"staffing.teams.early.headcount": 2}], replications=2, workers=1)
    pd.testing.assert_frame_equal(
        points.drop(columns="point").reset_index(drop=True),
        runs[(runs["point"] == 0)].drop(columns=["point", "strategy.worklist_order"])
        .reset_index(drop=True), check_exact=True)


@pytest.mark.parametrize(
    ("grid", "expected"),
    [
        ({"staffing.teams.early.headcont": [2]}, "did you mean 'headcount'"),
        ({}, "the grid is empty"),
        ({"staffing.teams.early.headcount": []}, "no values to sweep"),
        ([], "the list of points is empty"),
    ],
)
def test_sweep_rejects_bad_grids_before_running(tiny: Any, grid: Any, expected: str) -> None:
    with pytest.raises(ConfigError) as err:
        sweep(tiny, grid, replications=1, workers=1)
    assert expected in err.value.render()


@pytest.mark.slow
def test_staffing_meets_the_target_and_one_fewer_does_not(tiny: Any) -> None:
    plan = size_staff(tiny, team="early", targets={"inbound_service_level": 0.8},
                      confidence=0.5, replications=6, workers=1)
    frontier = plan.frontier.set_index("headcount")
    assert frontier.loc[plan.headcount, "met"]
    assert not frontier.loc[plan.headcount - 1, "met"]
    assert frontier.loc[plan.headcount, "inbound_service_level_mean"] >= 0.8
    # Erlang A on the measured inbound load starts the search next to the answer.
    assert plan.erlang_start is not None and abs(plan.erlang_start - plan.headcount) <= 2
    assert len(plan.searched) <= 5
    assert {"net_value", "collected", "total_cost"} <= set(plan.marginal["kpi"])
    assert plan.binding == "inbound_service_level"
    assert frontier.loc[plan.headcount, "share_met_low"] >= 0.5
    assert plan.runs["headcount"].nunique() == len(plan.frontier)
    assert "<table" in plan._repr_html_() and plan.plot().axes


def test_staffing_total_keeps_the_team_mix(tiny: Any) -> None:
    from sim.experiments.staffing import headcount_overrides

    assert headcount_overrides(tiny, "total", 12) == {
        "staffing.teams.early.headcount": 6, "staffing.teams.mid.headcount": 4,
        "staffing.teams.late.headcount": 2}
    assert sum(headcount_overrides(tiny, "total", 7).values()) == 7


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"team": "erly"}, "did you mean 'early'"),
        ({"targets": {"recovery_1_30": 1.5}}, "impossible target"),
        ({"targets": {"recovry_1_30": 0.8}}, "did you mean 'recovery_1_30'"),
        ({"targets": {"inbound_service_level": 0.8}, "max_headcount": 3},
         "not met with up to 3 collectors"),
        ({"confidence": 1.0}, "strictly between 0 and 1"),
        ({"confidence": 0.9, "replications": 20}, "at least 29 replications"),
        ({"confidence": 0.9, "replications": 4}, "lower bound of the success rate would be"),
    ],
)
def test_staffing_rejects_bad_requests(tiny: Any, kwargs: dict[str, Any], expected: str) -> None:
    request: dict[str, Any] = {"team": "early", "targets": {"inbound_service_level": 0.8},
                               "confidence": 0.5, "replications": 5, "workers": 1, **kwargs}
    with pytest.raises(ConfigError) as err:
        size_staff(tiny, **request)
    assert expected in err.value.render()


def test_staffing_confidence_is_a_clopper_pearson_lower_bound() -> None:
    from sim.experiments.staffing import meets, replications_needed, success_lower_bound

    # 18 of 20 and 4 of 4 used to pass for "90 % confidence"; neither shows it.
    assert success_lower_bound(18, 20) < 0.9
    assert success_lower_bound(4, 4) == pytest.approx(0.05 ** 0.25)
    assert success_lower_bound(29, 29) >= 0.9 > success_lower_bound(28, 28)
    assert success_lower_bound(0, 10) == 0.0
    assert replications_needed(1.0, 0.9) == 29
    assert replications_needed(0.9, 0.9) is None
    runs = [{"recovery_1_30": 0.9}] * 18 + [{"recovery_1_30": 0.5}] * 2
    met, share = meets(runs, {"recovery_1_30": 0.85}, 0.9, "probability")
    assert share == 0.9 and not met


def test_one_copy_of_the_seat_arithmetic() -> None:
    """The floor and the staffing search split people with the same functions."""
    import sim.experiments.staffing
    import sim.staffed_floor
    from sim.headcount import largest_remainder

    assert sim.staffed_floor.largest_remainder is largest_remainder
    assert sim.experiments.staffing.largest_remainder is largest_remainder
    assert largest_remainder(7, [0.6, 0.4]) == [4, 3]
    assert largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(largest_remainder(13, [0.45, 0.35, 0.2])) == 13
