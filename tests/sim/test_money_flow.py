"""The stage flow in money adds up: each stage passes on what the next receives, and the
loss closes the account."""

from __future__ import annotations

import pytest

import sim
from sim.money_flow import describe_money_by_stage, money_by_stage, money_by_stage_text
from sim.quick import scaled


@pytest.fixture(scope="module")
def result() -> sim.RunResult:
    return sim.simulate(scaled(sim.load_scenario("baseline"), 0.25, days=120), seed=0)


def test_each_stage_passes_on_what_the_next_receives_and_the_loss_closes(
    result: sim.RunResult,
) -> None:
    table = money_by_stage(result).set_index("stage")
    early, mid, late = (table.loc[s] for s in ("early (1-30 DPD)", "mid (31-90 DPD)",
                                               "late (91+ DPD)"))
    assert early["rolled_on"] == mid["entering"] and mid["rolled_on"] == late["entering"]
    for row in (early, mid, late):
        assert row["resolved"] + row["rolled_on"] == pytest.approx(row["entering"])
        assert row["rolled_on"] > 0
    assert early["entering"] == pytest.approx(result.kpi_values["cohort_balance"])
    # Lost = charged off - recovered after + settlement discounts + expected re-default
    # loss + anything still open.
    open_left = result.kpi_values["loss"] - (
        late["rolled_on"] - table.loc["recovered after charge-off", "resolved"]
        + table.loc["settlement discounts", "resolved"]
        + table.loc["expected re-default loss", "resolved"])
    assert open_left == pytest.approx(0.0, abs=1.0)
    assert "reaches charge-off" in describe_money_by_stage(result)
    assert money_by_stage_text(result).loc["lost", "resolved"].startswith("CN¥")

