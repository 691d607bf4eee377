"""The engine on a small book: determinism, common random numbers, the ledger, custom
strategies, the event log and the collector floor."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from itertools import pairwise

import numpy as np
import pytest

import sim
from sim.book import Book
from sim.compliance import audit_contact_log
from sim.scenario import Scenario
from sim.stages import State
from sim.strategy import BookView, DailyPlan

Tiny = Callable[..., Scenario]


def test_same_seed_same_result_and_replications_differ(tiny: Tiny) -> None:
    scenario = tiny()
    a = sim.simulate(scenario, seed=3)
    b = sim.simulate(scenario, seed=3)
    c = sim.simulate(scenario, seed=3, replication=1)
    assert a.kpi_values == b.kpi_values
    assert a.daily.equals(b.daily)
    assert a.kpi_values["collected"] != c.kpi_values["collected"]


def test_ledger_balances_to_the_minor_unit_and_every_account_has_one_state(tiny: Tiny) -> None:
    result = sim.simulate(tiny(horizon__days=60), seed=1)
    led = result.meta["ledger"]
    assert led["balanced"] == 1
    assert led["opening"] + led["fees"] == (
        led["collected"] - led["recovered_after_writeoff"] + led["charged_off"]
        + led["forgiven"] + led["outstanding"])
    states = result.daily.filter(like="state_").iloc[-1]
    assert int(states.sum()) == result.meta["accounts_allocated"]
    assert int(states["state_pending"]) == 0


def test_strategy_independent_draws_are_shared(tiny: Tiny) -> None:
    """Common random numbers: another strategy faces the very same debtors."""
    quiet = tiny(strategy__ladder=[])
    seen: dict[str, Book] = {}

    def keep(name: str) -> Callable[[int, Book], None]:
        return lambda day, book: seen.__setitem__(name, book)

    sim.simulate(tiny(), seed=5, observer=keep("ladder"))
    sim.simulate(quiet, seed=5, observer=keep("quiet"))
    for column in ("balance_at_1", "arrival_day", "capacity", "willingness", "payer", "score",
                   "cure_threshold", "segment"):
        assert np.array_equal(getattr(seen["ladder"], column), getattr(seen["quiet"], column))


class DoNothing:
    name = "do-nothing"

    def plan(self, view: BookView) -> DailyPlan:
        return DailyPlan.empty(view)


class CallEveryone:
    name = "call-everyone"

    def plan(self, view: BookView) -> DailyPlan:
        plan = DailyPlan.empty(view)
        plan.call_attempts[:] = 1
        plan.priority[:] = view.balance
        return plan


def test_a_python_strategy_replaces_the_ladder(tiny: Tiny) -> None:
    scenario = tiny(horizon__days=20, channels__inbound__spontaneous_rate=0.0)
    idle = sim.simulate(scenario, seed=2, strategy=DoNothing())
    busy = sim.simulate(scenario, seed=2, strategy=CallEveryone())
    assert isinstance(DoNothing(), sim.Strategy)
    assert idle.kpi_values["agent_attempts"] == 0
    assert idle.daily["sent_sms"].sum() == 0
    assert busy.kpi_values["agent_attempts"] > 0
    assert busy.meta["strategy"] == "call-everyone"
    # Untreated accounts still self-cure, but treatment must show.
    assert busy.kpi_values["contacts"] > idle.kpi_values["contacts"]


def test_a_strategy_returning_the_wrong_shape_is_refused(tiny: Tiny) -> None:
    class Broken:
        name = "broken"

        def plan(self, view: BookView) -> DailyPlan:
            plan = DailyPlan.empty(view)
            plan.priority = np.zeros(len(view) + 1)
            return plan

    with pytest.raises(ValueError, match="one per account"):
        sim.simulate(tiny(horizon__days=3), strategy=Broken())


def test_event_log_records_calls_and_payments(tiny: Tiny) -> None:
    result = sim.simulate(tiny(horizon__days=15), seed=4, event_log=True)
    log = result.event_log()
    calls = log[log.event == "agent_call"]
    assert len(calls) == result.kpi_values["agent_attempts"]
    paid = log[log.event == "payment"].amount_minor.sum()
    assert paid == result.meta["ledger"]["collected"]
    assert audit_contact_log(tiny().contact_policy(), result.contact_log()) == []
    with pytest.raises(ValueError, match="event_log=True"):
        sim.simulate(tiny(horizon__days=2)).event_log()


def test_collectors_are_never_double_booked(tiny: Tiny) -> None:
    result = sim.simulate(tiny(horizon__days=10), seed=6, event_log=True)
    assert result.blocks
    by_collector: dict[int, list[tuple[float, float]]] = {}
    for collector, start, end in result.blocks:
        assert end > start
        by_collector.setdefault(collector, []).append((start, end))
    for spans in by_collector.values():
        spans.sort()
        for (_, end), (start, _) in pairwise(spans):
            assert start >= end - 1e-9
    busy = sum(end - start for _, start, end in result.blocks)
    assert busy == pytest.approx(result.daily["handle_minutes"].sum())


def test_dpd_never_falls_without_a_payment(tiny: Tiny) -> None:
    previous: dict[str, np.ndarray] = {}
    violations = []

    def check(day: int, book: Book) -> None:
        if previous:
            fell = book.dpd < previous["dpd"]
            unpaid = book.collected == previous["collected"]
            violations.extend(np.flatnonzero(fell & unpaid).tolist())
        previous["dpd"] = book.dpd.copy()
        previous["collected"] = book.collected.copy()

    sim.simulate(tiny(horizon__days=60), seed=8, observer=check)
    assert violations == []


def test_charge_off_at_the_write_off_dpd(tiny: Tiny) -> None:
    seen: list[Book] = []
    sim.simulate(tiny(portfolio__book={"early": 0.0, "mid": 0.0, "late": 1.0},
                      horizon__days=90, strategy__ladder=[]),
                 seed=1, observer=lambda d, b: seen.__setitem__(slice(None), [b]))
    book = seen[0]
    off = book.state == State.CHARGED_OFF
    assert off.any()
    assert (book.dpd[off] == 180).all()
    assert (book.dpd[book.state == State.DELINQUENT] < 180).all()


def test_importing_sim_loads_no_plotting_or_ui_library() -> None:
    code = ("import sys, sim; bad = [m for m in ('matplotlib', 'textual', 'IPython', 'pandas')"
            " if m in sys.modules]; print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ""


def test_warm_up_days_are_left_out_of_flows_and_cohorts(tiny: Tiny) -> None:
    full = sim.simulate(tiny(horizon__days=40), seed=9)
    warm = sim.simulate(tiny(horizon__days=40, horizon__warmup_days=10), seed=9)
    assert full.daily.equals(warm.daily)  # the warm-up changes what is counted, not the run
    assert warm.kpi_values["total_cost"] == pytest.approx(full.daily.cost_total[10:].sum())
    assert warm.kpi_values["total_cost"] < full.kpi_values["total_cost"]
    # Money KPIs are on the accounts arriving from the warm-up day on.
    arrived = full.accounts["arrival_day"]
    entry = full.accounts["balance_at_1"][(arrived >= 10) & (arrived < 40)].sum() / 100
    assert warm.kpi_values["cohort_balance"] == pytest.approx(entry)
    assert warm.kpi_values["cohort_balance"] < full.kpi_values["cohort_balance"]
