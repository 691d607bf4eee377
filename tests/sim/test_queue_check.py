"""Erlang A against the simulated inbound desk: the formula should land inside the
simulation's interval where its assumptions hold."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.experiments.queue_check import (
    erlang_vs_simulation,
    inbound_desk,
    plot_erlang_vs_simulation,
)
from sim.quick import scaled

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "sim" / "baseline.toml"


@pytest.fixture(scope="module")
def busy_line() -> sim.Scenario:
    # A small book whose debtors call in often: about 1 Erlang on the line.
    small = scaled(sim.load_scenario(BASELINE), 0.1, days=30)
    return small.with_overrides({"channels.inbound.spontaneous_rate": 0.2})


def test_inbound_desk_is_one_steady_team(busy_line: sim.Scenario) -> None:
    desk = inbound_desk(busy_line, "early", 3, abandonment=False)
    early = desk.staffing.teams["early"]
    assert (early.headcount, early.inbound_share, early.shrinkage) == (3, 1.0, 0.0)
    assert len(early.shifts) == 1 and early.shifts[0].days == "all"
    assert all(t.inbound_share == 0 for n, t in desk.staffing.teams.items() if n != "early")
    assert desk.channels.inbound.patience_minutes is None
    with pytest.raises(ValueError, match="no team"):
        inbound_desk(busy_line, "earyl", 3)


@pytest.mark.statistical
@pytest.mark.slow
def test_erlang_a_agrees_with_the_simulated_queue(busy_line: sim.Scenario) -> None:
    table = erlang_vs_simulation(busy_line, "early", [1, 2, 3], replications=6, workers=1,
                                 progress=False)
    assert table["seats"].tolist() == [1, 2, 3]
    assert table["offered_load"].between(0.5, 2.5).all()
    for metric in ("service_level", "abandon_rate"):
        half = (table[f"simulated_{metric}_high"] - table[f"simulated_{metric}_low"]) / 2
        gap = (table[f"simulated_{metric}"] - table[f"erlang_a_{metric}"]).abs()
        # Within the interval (plus a small allowance for the daily start-up transient).
        assert (gap <= 1.5 * half + 0.02).all(), table
    # Erlang C ignores hang-ups, so it never promises a better service level.
    assert (table["erlang_c_service_level"] <= table["erlang_a_service_level"] + 1e-9).all()
    fig = plot_erlang_vs_simulation(table)
    assert fig.axes[0].get_xlabel() == "agents on the inbound line"
