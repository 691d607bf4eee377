"""The daily records split inbound calls by the team whose line answered them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim import load_scenario, simulate
from sim.channels import inbound_column
from sim.quick import scaled

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "sim" / "baseline.toml"


def test_team_inbound_counts_add_up_to_the_totals() -> None:
    scenario = scaled(load_scenario(BASELINE), 0.05, days=30)
    daily = simulate(scenario, seed=3).daily
    teams = list(scenario.staffing.teams)
    for kind in ("offered", "answered", "abandoned"):
        per_team = daily[[inbound_column(kind, t) for t in teams]].sum(axis=1)
        assert np.array_equal(per_team.to_numpy(), daily[f"inbound_{kind}"].to_numpy()), kind
    offered = {t: int(daily[inbound_column("offered", t)].sum()) for t in teams}
    # Several lines take calls, so the split is informative (not all on one team).
    assert sum(v > 0 for v in offered.values()) >= 2, offered
