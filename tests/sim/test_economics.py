"""The simulator's economics as a manager would question them.

Loss is measured on the accounts entering collections in the window, followed past the
horizon until they resolve (the run-off), and compared with the untreated twin: the
same book with the same random numbers and no treatment. The questions:

- Do more early collectors lose less, and avoid a positive loss against doing nothing?
- Is a scenario with no staff and an empty ladder exactly its own twin?
- Does a run's loss stop depending on what happens after the horizon (the cohorts are
  all resolved)?
- Is the money conserved to the minor unit through the run-off?
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import sim
from sim.engine import untreated
from sim.scenario import Scenario

ECONOMICS = {"horizon__runoff": True, "horizon__untreated_twin": True}


def test_no_staff_and_no_ladder_is_its_own_twin(tiny: Callable[..., Scenario]) -> None:
    scenario = tiny(**ECONOMICS, horizon__days=30, strategy__ladder=[],
                    staffing__teams__early__headcount=0, staffing__teams__mid__headcount=0,
                    staffing__teams__late__headcount=0)
    result = sim.simulate(scenario, seed=3)
    k = result.kpi_values
    assert k["loss"] > 0
    assert k["loss_avoided"] == 0.0  # exactly: same book, same draws, same (no) treatment
    assert k["incremental_collected"] == 0.0
    # Its only costs are commissions on recoveries that come anyway.
    daily = result.daily
    assert k["total_cost"] == pytest.approx(daily["cost_writeoff_commission"].sum()
                                            + daily["cost_agency"].sum())
    assert k["net_benefit"] == -k["total_cost"]


def test_a_scenario_with_no_team_runs_as_the_untreated_book(
    tiny: Callable[..., Scenario],
) -> None:
    bare = untreated(tiny(**ECONOMICS, horizon__days=30))
    assert bare.staffing.teams == {}
    result = sim.simulate(bare, seed=5)
    daily = result.daily
    assert daily["inbound_offered"].sum() > 0  # callers still call ...
    assert daily["inbound_abandoned"].sum() == daily["inbound_offered"].sum()  # ... unanswered
    assert daily["inbound_answered"].sum() == 0
    assert result.kpi_values["loss_avoided"] == 0.0


def test_the_run_off_resolves_every_measured_account_and_keeps_the_ledger(
    tiny: Callable[..., Scenario],
) -> None:
    result = sim.simulate(tiny(**ECONOMICS, horizon__days=30), seed=2)
    meta = result.meta
    assert meta["runoff_days"] >= 150  # the last arrivals need ~180 days to charge off
    assert meta["runoff_open"] == 0
    assert meta["ledger"]["balanced"] == 1
    acc = result.accounts
    measured = (acc["arrival_day"] >= 0) & (acc["arrival_day"] < 30)
    assert (acc["open_balance"][measured] == 0).all()
    k = result.kpi_values
    # Loss: charge-off net of recoveries, settlement discounts, and the expected loss of
    # cures whose re-default window outlasts the simulated draws (sim.runoff).
    assert k["loss"] == pytest.approx(k["net_charge_off"] + (
        acc["forgiven"][measured].sum() + acc["redefault_loss"][measured].sum()) / 100)
    assert 0 < k["loss_rate"] < 1


def test_more_early_collectors_lose_less_and_avoid_loss(tiny: Callable[..., Scenario]) -> None:
    """The issue's manager's table, on a small book: paired replications (CRN)."""
    losses, avoided = [], []
    for early in (1, 6):
        rows = [sim.simulate(tiny(**ECONOMICS, horizon__days=45, portfolio__daily_inflow=25,
                                  staffing__teams__early__headcount=early),
                             seed=11, replication=r).kpi_values for r in range(3)]
        losses.append([row["loss_rate"] for row in rows])
        avoided.append([row["loss_avoided"] for row in rows])
    assert np.mean(losses[1]) < np.mean(losses[0])
    assert np.mean(avoided[1]) > np.mean(avoided[0]) > 0


def test_loss_cannot_be_pushed_past_the_horizon(tiny: Callable[..., Scenario]) -> None:
    """Without a run-off, balances still open at the horizon count as lost in full."""
    cut = sim.simulate(tiny(horizon__days=30, horizon__untreated_twin=False), seed=7)
    assert cut.meta["runoff_days"] == 0
    acc = cut.accounts
    measured = (acc["arrival_day"] >= 0) & (acc["arrival_day"] < 30)
    open_money = acc["open_balance"][measured].sum() / 100
    assert open_money > 0
    assert cut.kpi_values["loss"] >= open_money


def test_callers_queued_at_midnight_are_counted_when_answered(
    tiny: Callable[..., Scenario],
) -> None:
    """A 09:00-21:00 desk, nobody hangs up: callers still queued at 21:00 are answered
    next morning, and their answers and waits must reach the daily records."""
    scenario = tiny(
        portfolio__accounts=4000, portfolio__daily_inflow=0, strategy__ladder=[],
        portfolio__book={"early": 1.0, "mid": 0.0, "late": 0.0},
        staffing={"handle_time_distribution": "exponential", "teams": {"desk": {
            "stages": ["early", "mid", "late"], "headcount": 3, "inbound_share": 1.0,
            "shrinkage": 0.0, "handle_times": {"inbound": 5.0},
            "shifts": [{"start": "09:00", "end": "21:00", "share": 1.0, "days": "all"}]}}},
        calendar__working_hours={"start": "09:00", "end": "21:00"},
        channels__inbound__spontaneous_rate=0.6 * 720 / 4000,
        channels__inbound__patience_minutes=None, horizon__days=6)
    result = sim.simulate(scenario, seed=1, event_log=True)
    daily, meta = result.daily, result.meta
    assert meta["inbound_waiting_at_end"] >= 0
    assert (daily["inbound_answered"].sum() + meta["inbound_waiting_at_end"]
            == daily["inbound_offered"].sum())
    log = result.event_log()
    waits = log[log.event == "inbound_call"].detail.astype(float)
    assert waits.max() > 600  # someone did wait overnight
    assert daily["inbound_wait_minutes"].sum() == pytest.approx(waits.sum(), abs=0.01 * len(waits))


@pytest.mark.statistical
def test_the_valued_write_off_tail_matches_the_simulated_one(
    tiny: Callable[..., Scenario],
) -> None:
    """The closed-form value of the rest of the post-write-off tail against running it
    out, paired replication by replication (only the tail differs between the two)."""
    base = {"horizon__runoff": True, "horizon__days": 30, "strategy__ladder": [],
            "channels__writeoff__tail_days": 90, "channels__writeoff__recovery_hazard": 0.01,
            "portfolio__book": {"early": 0.2, "mid": 0.3, "late": 0.5}}
    gaps = []
    for r in range(12):
        valued = sim.simulate(tiny(**base), seed=31, replication=r).kpi_values["loss"]
        run_out = sim.simulate(tiny(**base, horizon__writeoff_tail="simulate"), seed=31,
                               replication=r).kpi_values["loss"]
        gaps.append(run_out - valued)
    gap = np.asarray(gaps)
    se = gap.std(ddof=1) / np.sqrt(gap.shape[0])
    assert se > 0
    assert abs(gap.mean()) <= 4 * se, (gap.mean(), se)
