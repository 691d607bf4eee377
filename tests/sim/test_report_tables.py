"""The KPI and scorecard tables a notebook shows: readable values, verdicts that match
the scorecard."""

from __future__ import annotations

from pathlib import Path

import sim
from sim.quick import scaled
from sim.report import HEADLINE, kpi_table, scorecard_table

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "sim" / "baseline.toml"


def test_tables_are_readable_and_agree_with_the_scorecard() -> None:
    scenario = scaled(sim.load_scenario(BASELINE), 0.05, days=40)
    result = sim.simulate(scenario, seed=3)
    kpis = kpi_table(result)
    assert list(kpis.index) == list(HEADLINE)
    assert kpis.loc["recovery_1_30", "unit"] == "share"
    assert kpis.loc["collected", "value"].startswith("CNY ")
    assert kpis.loc["breaches", "value"] == "0"
    card = scorecard_table(result)
    raw = result.scorecard.set_index("kpi")
    assert list(card.index) == list(raw.index)
    for kpi, row in card.iterrows():
        assert (row["verdict"] == "met") == bool(raw.loc[kpi, "met"])
        assert row["goal"].startswith(">=" if raw.loc[kpi, "direction"] == "max" else "<=")
    assert card.loc["complaints_per_1000", "verdict"] in {"met", "MISSED (veto)"}
