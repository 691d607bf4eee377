"""The simulation engine: one day at a time in numpy, the collector floor in SimPy.

``simulate(scenario, seed, replication)`` is a pure function of its inputs. The SimPy
clock counts minutes from midnight of day 0 in the site's time zone. A day process runs
the daily batch at each midnight; collectors, inbound callers and seat rosters are SimPy
processes in between.

Morning (:meth:`sim.morning.Morning.open_day`)
    new accounts arrive at 1 DPD; everyone else ages one day (a missed cycle adds the
    next instalment and the late fee; 91 DPD accelerates the loan; the write-off DPD
    charges it off); the strategy plans the day; messages, letters, bureau reports,
    agency placements, filings, repossessions, field visits and the robot batch go out;
    inbound callbacks are scheduled; every team receives its worklist, already cut to
    what the contact policy allows.
Day (SimPy)
    collectors dial work blocks; callers queue, abandon or talk.
Evening (:meth:`sim.evening.Evening.close_day`)
    the day's calls are applied (contacts, promises, fatigue, pressure); promises and
    plan instalments fall due; agency, legal, repossession and post-write-off recoveries
    arrive; untreated self-cure and partial payments happen; cured accounts may fall
    behind again (re-default); complaints are drawn;
    breaches are counted; the day's row is recorded.

The run's state is split into components -- the book (:mod:`sim.accounts`, where money
moves, in integer minor units), the ledger (:mod:`sim.ledger`), the policy
(:mod:`sim.policy`) and the floor (:mod:`sim.staffed_floor`) -- and the steps in
:mod:`sim.morning` and :mod:`sim.evening` are built from the components they use
(:mod:`sim.run_state`); this module wires them, drives the SimPy clock and packages
the result.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from sim import behaviour as bh
from sim.accounts import Accounts
from sim.book import Book, sample_book
from sim.calendar import MINUTES_PER_DAY, Calendar
from sim.caps import Limits
from sim.channels import schema
from sim.evening import Evening
from sim.eventlog import EventLog
from sim.floor import CallDraws
from sim.kpis import TWIN_KEYS
from sim.ledger import Ledger
from sim.morning import Morning
from sim.policy import Policy
from sim.promises import Promises
from sim.python_strategy import strategy_for
from sim.rates import Rates
from sim.records import RunResult
from sim.rng import Streams
from sim.run_state import F64, I64, RunContext
from sim.runoff import (
    expected_tail_share,
    mean_writeoff_share,
    measured_cohort,
    redefault_chance,
    redefault_draws_left,
    share_after_redefault,
    unresolved,
)
from sim.scenario.root import Scenario
from sim.score import realised_auc
from sim.staffed_floor import CountingEnvironment, StaffedFloor
from sim.stages import State
from sim.steady_start import adopt_survivors_traits, survivors
from sim.strategy import Strategy

__all__ = ["CountingEnvironment", "Run", "simulate", "untreated", "untreated_money"]


def simulate(
    scenario: Scenario,
    seed: int = 0,
    replication: int = 0,
    *,
    strategy: Strategy | None = None,
    event_log: bool = False,
    observer: Callable[[int, Book], None] | None = None,
    twin: bool | None = None,
) -> RunResult:
    """Run one replication of ``scenario`` and return its records and KPIs.

    ``strategy`` replaces the scenario's ladder with any :class:`sim.Strategy` (which may
    extend the ladder, see :mod:`sim.python_strategy`; a failing plan raises
    :class:`sim.python_strategy.StrategyError`);
    ``event_log`` keeps an account-level log (and the contact log the compliance auditor
    reads); ``observer(day, book)`` is called after each day (tests, tracing) and must not
    modify the book. ``twin`` also runs the untreated twin (:func:`untreated`, same seed)
    for ``loss_avoided``, ``net_benefit`` and ``benefit_cost_ratio`` (default: the
    scenario's ``horizon.untreated_twin``); without it those KPIs are NaN.
    """
    started = time.perf_counter()
    run = Run(scenario, seed, replication, strategy=strategy, event_log=event_log,
              observer=observer)
    run.execute()
    twin_summary = None
    if scenario.horizon.untreated_twin if twin is None else twin:
        twin_summary = untreated_money(scenario, seed, replication)
    return run.result(time.perf_counter() - started, twin=twin_summary)


def untreated_money(scenario: Scenario, seed: int = 0, replication: int = 0) -> dict[str, float]:
    """The untreated twin's cohort ``loss`` and ``collected`` (and its ``wall_seconds``).

    The twin is run without daily records or an inbound line: nothing of it is read but
    its measured cohorts' money, which neither touches.
    """
    started = time.perf_counter()
    twin_run = Run(untreated(scenario), seed, replication, strategy=None, event_log=False,
                   observer=None, keep_records=False)
    twin_run.execute()
    money = twin_run.cohort_money()
    summary = {k: money[k] for k in TWIN_KEYS}
    summary["wall_seconds"] = time.perf_counter() - started
    return summary


def untreated(scenario: Scenario) -> Scenario:
    """The same scenario with no treatment: an empty ladder and no staff.

    Run with the same seed it is the **untreated twin**: the same debtors and the same
    draws for everything that does not depend on treatment (arrivals, traits, cure
    thresholds, spontaneous callers, who go unanswered), so the difference between the
    two runs is what the collection operation changed.
    """
    strategy = scenario.strategy.model_copy(
        update={"ladder": [], "worklist_order_by_team": {}, "python": None})
    staffing = scenario.staffing.model_copy(update={"teams": {}})
    return scenario.model_copy(update={"strategy": strategy, "staffing": staffing})


class Run:
    """One replication: its components, wired together (private to :func:`simulate`).

    The mutable state is split into components that reach nothing of each other's
    (:mod:`sim.run_state` lists them); the day's steps are built from the components
    they use, and the run only drives the clock and packages the result.
    """

    def __init__(self, scenario: Scenario, seed: int, replication: int, *,
                 strategy: Strategy | None, event_log: bool,
                 observer: Callable[[int, Book], None] | None,
                 keep_records: bool = True, namespace: str = "") -> None:
        self.sc = sc = scenario
        self.seed, self.replication = seed, replication
        self.days = sc.horizon.days
        """The measured horizon; the run-off may simulate up to ``span`` days in all."""
        runoff = (sc.horizon.runoff or sc.horizon.writeoff_tail == "simulate"
                  or sc.horizon.redefault_risk == "simulate")
        self.span = self.days + (sc.horizon.runoff_max_days if runoff else 0)
        self.cal = Calendar.build(sc.calendar, self.span)
        streams = Streams(seed, replication, namespace)
        self.strategy: Strategy = strategy_for(sc, strategy)
        book, inflow_starts = sample_book(sc, self.cal, streams,
                                          max(7, Limits.of(sc.contact_policy()).span or 0))
        self.scale = scale = 10 ** sc.portfolio.minor_units
        if sc.portfolio.starting_traits == "survivors":
            adopt_survivors_traits(
                book, sc.portfolio.accounts, survivors(sc, seed, replication),
                round(sc.portfolio.late_fee * scale), sc, streams["starting_traits"])
        log = EventLog() if event_log else None
        self.log = log
        rates = Rates(sc, self.span, book)
        # The components: book, policy, ledger, floor.
        self.accounts = accounts = Accounts(book, tail_days=sc.channels.writeoff.tail_days,
                                            log=log)
        self.policy = policy = Policy(sc, self.strategy, book.last_conversation)
        self.floor = floor = StaffedFloor(sc, self.cal, streams, span=self.span, scale=scale,
                                          hour_profile=rates.hour_profile,
                                          draw=self._call_draws, record_blocks=event_log)
        self.ledger = ledger = Ledger(schema(floor.team_names), scale)
        """Every money movement and count of the run (see :mod:`sim.ledger`)."""
        untreated = (strategy is None and sc.strategy.python is None and not sc.strategy.ladder
                     and not floor.staffed)
        ctx = RunContext(sc=sc, cal=self.cal, streams=streams, rates=rates, days=self.days,
                         scale=scale, untreated=untreated, keep_records=keep_records, log=log)
        promises = Promises(sc, rates, accounts, ledger, streams)
        self.morning = Morning(ctx, accounts, ledger, policy, floor, promises, inflow_starts)
        self.evening = Evening(ctx, accounts, ledger, policy, floor, promises, observer)
        if policy.quiet:
            # A debtor who calls in and talks may not be dialled again that day.
            floor.keep_quiet_after_talking(accounts.conv_today, accounts.spoke)
        self.cohort = measured_cohort(book.arrival_day, sc.horizon.warmup_days, self.days)
        """Accounts entering collections in the measured window (followed to resolution)."""
        self._open_cohort = self.cohort
        """Cohort accounts unresolved when last looked at (the run-off's stopping test)."""
        self.outstanding_at_horizon = 0
        self.end_day = self.days

    @property
    def book(self) -> Book:
        """The accounts' columns (the book component's data)."""
        return self.accounts.columns

    def _call_draws(self, acct: I64) -> CallDraws:
        # The floor asks for draws while the morning's steps exist; built just after it.
        return self.morning.call_draws(acct)

    def execute(self) -> None:
        """Run the whole horizon (and the run-off past it)."""
        self.floor.start(self._days(), self.span, self.cal.is_business_day)

    def _days(self) -> Any:
        env, morning, evening = self.floor.env, self.morning, self.evening
        for d in range(self.days):
            morning.open_day(d)
            yield env.timeout(MINUTES_PER_DAY)
            evening.close_day(d)
        self.outstanding_at_horizon = int(self.book.balance[
            (self.book.state == State.DELINQUENT) | (self.book.state == State.PLAN)].sum())
        d = self.days
        while d < self.span and self._runoff_continues(d):
            morning.open_day(d)
            yield env.timeout(MINUTES_PER_DAY)
            evening.close_day(d)
            d += 1
        self.end_day = d

    def _runoff_continues(self, d: int) -> bool:
        """Whether a measured cohort account still needs following on day ``d``."""
        book, hz = self.book, self.sc.horizon
        idx = self.cohort
        if hz.runoff:
            # Look first at those still open last time; only when all of them are
            # resolved, at the whole cohort again (an account may come back).
            for look in (self._open_cohort, idx):
                still = look[unresolved(book.state[look], book.legal_day[look],
                                        book.repo_day[look])]
                self._open_cohort = still
                if still.shape[0]:
                    return True
        if hz.redefault_risk == "simulate" and self.sc.behaviour.redefault.hazard > 0:
            window = self.sc.behaviour.redefault.window_days
            cured = idx[(book.state[idx] == State.CURED) & (book.redefaults[idx] == 0)]
            if cured.shape[0] and d < int(book.resolved_day[cured].max()) + window:
                return True
        if hz.writeoff_tail == "simulate":
            off = idx[book.state[idx] == State.CHARGED_OFF]
            tail = self.sc.channels.writeoff.tail_days
            if off.shape[0] and d <= int(book.resolved_day[off].max()) + tail:
                return True
        return False

    def result(self, wall_seconds: float, twin: dict[str, float] | None = None) -> RunResult:
        """Package records, KPIs and metadata (``twin``: the untreated twin's money)."""
        book = self.book
        seen = book.state != State.PENDING
        outstanding = int(book.balance[(book.state != State.CHARGED_OFF)].sum())
        off_book = int(book.balance[book.state == State.CHARGED_OFF].sum())
        led = self.ledger.totals(outstanding, off_book)
        meta: dict[str, Any] = {
            "scenario": self.sc.name,
            "strategy": getattr(self.strategy, "name", type(self.strategy).__name__),
            "seed": self.seed,
            "replication": self.replication,
            "days": self.days,
            "accounts": int((book.state != State.PENDING).sum()),
            "accounts_allocated": book.n,
            "collectors": len(self.floor.collectors),
            "simpy_events": self.floor.env.events_processed,
            "wall_seconds": wall_seconds,
            "currency": self.sc.portfolio.currency,
            "segment_names": tuple(self.sc.portfolio.segments),
            "segment_products": tuple(s.product for s in self.sc.portfolio.segments.values()),
            "team_names": self.floor.team_names,
            "team_headcount": tuple(t.headcount for t in self.sc.staffing.teams.values()),
            "minor_units": self.sc.portfolio.minor_units,
            "fingerprint": self.sc.fingerprint(),
            "ledger": led,
            "breaches_by_dimension": dict(self.policy.breaches),
            "book_bytes": book.nbytes(),
            "outstanding_in_collections": self.outstanding_at_horizon,
            "runoff_days": self.end_day - self.days,
            "inbound_waiting_at_end": self.floor.desk.waiting,
            "runoff_open": int(book.balance[self.cohort][unresolved(
                book.state[self.cohort], book.legal_day[self.cohort],
                book.repo_day[self.cohort])].sum()),
            "score_auc": realised_auc(book.score[seen], book.payer[seen]),
            "balance_restored": int(book.restored_balance.sum()),
            "twin": twin,
        }
        from sim.kpis import account_summary

        accounts = account_summary(book, self.cal, self.days)
        accounts.update({k: v[seen] for k, v in self._valued().items()})
        return RunResult(
            daily_rows=self.evening.rows,
            accounts=accounts,
            meta=meta,
            targets=dict(self.sc.targets),
            events=self.log,
            blocks=self.floor.outbound.blocks,
            warmup_days=self.sc.horizon.warmup_days,
            writeoff_dpd=self.sc.channels.writeoff.dpd,
        )

    def cohort_money(self) -> dict[str, float]:
        """The measured cohorts' money to resolution (:func:`sim.kpis.cohort_money`),
        without the daily records (what the untreated twin contributes)."""
        from sim.kpis import account_summary, cohort_money

        seen = self.book.state != State.PENDING
        accounts = account_summary(self.book, self.cal, self.days)
        accounts.update({k: v[seen] for k, v in self._valued().items()})
        return cohort_money(accounts, self.sc.horizon.warmup_days, self.days, self.scale)

    def _valued(self) -> dict[str, F64]:
        """What the run did not simulate but a cohort's outcome includes, valued in
        closed form per account: the rest of the write-off tail and the rest of each
        cure's re-default window (see :mod:`sim.runoff`)."""
        tail = self._tail_value()
        return {"tail_value": tail, **self._redefault_value(tail)}

    def _redefault_value(self, tail: F64) -> dict[str, F64]:
        """Expected re-default after the last simulated draw of each cured cohort account
        that has not re-defaulted: its chance (``redefault_chance``), the restored
        balance it would take back net of curing again (``redefault_restored``), and
        its expected loss and later cash (``redefault_loss``, ``redefault_collected``;
        minor units), from what re-default led to on this run's re-defaulters
        (:func:`sim.runoff.share_after_redefault`)."""
        book, sc = self.book, self.sc
        rd = sc.behaviour.redefault
        names = ("redefault_chance", "redefault_restored", "redefault_loss",
                 "redefault_collected")
        out = {k: np.zeros(book.n) for k in names}
        c = self.cohort
        cured = c[(book.state[c] == State.CURED) & (book.redefaults[c] == 0)]
        if rd.hazard <= 0 or cured.shape[0] == 0:
            return out
        first = self.days if sc.horizon.redefault_risk == "value" else self.end_day
        left = redefault_draws_left(book.resolved_day[cured], rd.window_days, first)
        chance = redefault_chance(
            bh.redefault_hazard(book.payer[cured], book.plans_started[cured], sc.behaviour),
            left)
        # Each cohort account's realised loss and cash, as cohort_money counts them.
        state = book.state[c]
        still_open = (state == State.DELINQUENT) | (state == State.PLAN)
        loss = (book.charged_off_amount[c] - book.recovered_after_co[c] - tail[c]
                + book.forgiven[c] + np.where(still_open, book.balance[c], 0))
        again = book.redefaults[c] > 0
        base = book.redefault_balance[c].astype(np.float64)
        entry = book.balance_at_1[c].astype(np.float64)
        paid = book.collected[c].astype(np.float64)
        restored = book.restored_balance[c].astype(np.float64)
        payer = book.payer[c]
        lost = share_after_redefault(payer, again, loss, base, loss, entry)
        paid_again = share_after_redefault(payer, again, paid - book.collected_at_redefault[c],
                                           base, paid, entry)
        cured_again = share_after_redefault(payer, again,
                                            restored - book.restored_at_redefault[c], base,
                                            restored, entry)
        cls = book.payer[cured].astype(np.int64)
        owed = (book.balance[cured] + round(sc.portfolio.late_fee * self.scale)).astype(
            np.float64)
        taken_back = np.minimum(book.balance[cured], book.restored_balance[cured])
        out["redefault_chance"][cured] = chance
        out["redefault_restored"][cured] = chance * (taken_back - cured_again[cls] * owed)
        out["redefault_loss"][cured] = chance * lost[cls] * owed
        out["redefault_collected"][cured] = chance * paid_again[cls] * owed
        return out

    def _tail_value(self) -> npt.NDArray[np.float64]:
        """Expected post-write-off recoveries (minor units) still to come in each
        charged-off account's stated tail after the last simulated day."""
        book, wo = self.book, self.sc.channels.writeoff
        off = (book.state == State.CHARGED_OFF) & (book.balance > 0)
        days_left = (book.resolved_day.astype(np.int64) + wo.tail_days) - (self.end_day - 1)
        chance = wo.recovery_hazard * bh.payer_factor(book.payer, self.sc.behaviour)
        share = expected_tail_share(chance, mean_writeoff_share(wo.recovery_share), days_left)
        return np.where(off, book.balance * share, 0.0)

