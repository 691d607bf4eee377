"""Surprising figures get a sentence drawn from the run's own numbers."""

from __future__ import annotations

import sim
from sim.quick import scaled
from sim.remarks import remarks


def test_a_floor_with_no_inbound_seat_is_named_as_the_reason_for_full_abandonment() -> None:
    # Without the run-off: with it, the cohorts are followed into the later stages.
    tiny = scaled(sim.load_scenario("baseline"), 0.1, days=40).with_overrides(
        {"horizon.runoff": False})
    result = sim.simulate(tiny, seed=0)
    assert result.kpi_values["inbound_abandon_rate"] == 1.0
    said = remarks(result)
    assert any("Nobody staffs the inbound line" in s for s in said)
    assert any(s.startswith("Not observed (31-90 days past due, 91+ days past due)")
               and "40-day horizon" in s for s in said)


def test_a_staffed_line_over_a_long_horizon_gets_no_such_remark() -> None:
    book = sim.load_scenario("baseline").with_overrides({"horizon.days": 150})
    result = sim.simulate(book, seed=0)
    assert float(result.daily["inbound_answered"].sum()) > 0
    said = remarks(result)
    assert not any("Nobody staffs" in s or s.startswith("Not observed") for s in said), said
