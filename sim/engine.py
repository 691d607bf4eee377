"""The simulation engine: one day at a time in numpy, the collector floor in SimPy.

``simulate(scenario, seed, replication)`` is a pure function of its inputs. The SimPy
clock counts minutes from midnight of day 0 in the site's time zone. A day process runs
the daily batch at each midnight; collectors, inbound callers and seat rosters are SimPy
processes in between.

Morning (:meth:`Run.open_day`)
    new accounts arrive at 1 DPD; everyone else ages one day (a missed cycle adds the
    next instalment and the late fee; 91 DPD accelerates the loan; the write-off DPD
    charges it off); the strategy plans the day; messages, letters, bureau reports,
    agency placements, filings, repossessions, field visits and the robot batch go out;
    inbound callbacks are scheduled; every team receives its worklist, already cut to
    what the contact policy allows.
Day (SimPy)
    collectors dial work blocks; callers queue, abandon or talk.
Evening (:meth:`Run.close_day`)
    the day's calls are applied (contacts, promises, fatigue, pressure); promises and
    plan instalments fall due; agency, legal, repossession and post-write-off recoveries
    arrive; untreated self-cure and partial payments happen; cured accounts may fall
    behind again (re-default); complaints are drawn;
    breaches are counted; the day's row is recorded.

The steps live in :mod:`sim.morning` and :mod:`sim.evening` on the shared state of
:mod:`sim.run_state` (where money moves, in integer minor units); this module sets the
run up, drives the SimPy clock and packages the result.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import simpy

from sim import behaviour as bh
from sim.book import Book, sample_book
from sim.calendar import MINUTES_PER_DAY, Calendar
from sim.caps import DIMENSIONS, Limits
from sim.channels import schema
from sim.evening import Evening
from sim.eventlog import EventLog
from sim.floor import Collector, Floor, InboundDesk
from sim.headcount import inbound_people, inbound_seats, largest_remainder
from sim.index_sets import DueIndex, SortedIndex
from sim.kpis import TWIN_KEYS
from sim.ledger import Ledger
from sim.morning import Morning
from sim.records import RunResult
from sim.rng import Streams
from sim.run_state import F64, I64, B
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
from sim.stages import STAGE_NAMES, State
from sim.steady_start import adopt_survivors_traits, survivors
from sim.strategy import LadderStrategy, Strategy


class CountingEnvironment(simpy.Environment):
    """A SimPy environment that counts the events it processes."""

    def __init__(self) -> None:
        super().__init__()
        self.events_processed = 0

    def step(self) -> None:
        self.events_processed += 1
        super().step()


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

    ``strategy`` replaces the scenario's ladder with any :class:`sim.Strategy`;
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
    strategy = scenario.strategy.model_copy(update={"ladder": [], "worklist_order_by_team": {}})
    staffing = scenario.staffing.model_copy(update={"teams": {}})
    return scenario.model_copy(update={"strategy": strategy, "staffing": staffing})


class Run(Morning, Evening):
    """The mutable state of one replication (private to :func:`simulate`)."""

    def __init__(self, scenario: Scenario, seed: int, replication: int, *,
                 strategy: Strategy | None, event_log: bool,
                 observer: Callable[[int, Book], None] | None,
                 keep_records: bool = True, namespace: str = "") -> None:
        self.sc = sc = scenario
        self.keep_records = keep_records
        """Daily rows and the inbound line (off for the twin, whose cohort money is all
        that is read)."""
        self.seed, self.replication = seed, replication
        self.days = sc.horizon.days
        """The measured horizon; the run-off may simulate up to ``span`` days in all."""
        runoff = (sc.horizon.runoff or sc.horizon.writeoff_tail == "simulate"
                  or sc.horizon.redefault_risk == "simulate")
        self.span = self.days + (sc.horizon.runoff_max_days if runoff else 0)
        self.cal = Calendar.build(sc.calendar, self.span)
        self.streams = Streams(seed, replication, namespace)
        self.policy = sc.contact_policy()
        self.limits = Limits.of(self.policy)
        self.enforce = sc.compliance.enforce
        self.window = max(7, self.limits.span or 0)
        self.book, self.inflow_starts = sample_book(sc, self.cal, self.streams, self.window)
        if sc.portfolio.starting_traits == "survivors":
            self.scale = 10 ** sc.portfolio.minor_units
            adopt_survivors_traits(
                self.book, sc.portfolio.accounts, survivors(sc, seed, replication),
                round(sc.portfolio.late_fee * self.scale), sc, self.streams["starting_traits"])
        self.strategy: Strategy = strategy if strategy is not None else LadderStrategy(sc)
        self.scale = 10 ** sc.portfolio.minor_units
        self.log = EventLog() if event_log else None
        self.observer = observer
        self._setup_behaviour()
        self._setup_floor(record_blocks=event_log)
        n = self.book.n
        # Scratch columns for "today", reset for touched accounts each evening.
        self.offer_today = np.zeros(n, np.int8)
        self.conv_today = np.zeros(n, bool)
        self.complaint_units = np.zeros(n, np.float64)
        self.touched = np.zeros(n, bool)
        self.pending_letters: dict[int, list[I64]] = defaultdict(list)
        self.daily: list[dict[str, float]] = []
        self.today_calls: list[tuple[I64, F64, npt.NDArray[np.int64], B, B]] = []
        self.ledger = Ledger(schema(self.team_names), self.scale)
        """Every money movement and count of the run (see :mod:`sim.ledger`)."""
        self.breaches = dict.fromkeys(DIMENSIONS, 0)
        self.complaints_total = 0
        self.untreated = (strategy is None and not sc.strategy.ladder and not self.collectors
                          and not any(self.desk.capacity))
        """No ladder and nobody on the floor: the days skip planning and batches."""
        self.cohort = measured_cohort(self.book.arrival_day, sc.horizon.warmup_days, self.days)
        """Accounts entering collections in the measured window (followed to resolution)."""
        self._open_cohort = self.cohort
        """Cohort accounts unresolved when last looked at (the run-off's stopping test)."""
        self.judgments_due, self.sales_due = DueIndex(), DueIndex()
        self.with_agency, self.written_off_owing = SortedIndex(), SortedIndex()
        self.anyone_reported = bool(self.book.reported.any())
        self.outstanding_at_horizon = 0
        self.end_day = self.days
        self._day = 0
        self._last_conv_before = self.book.last_conversation.copy()
        if self.enforce and self.limits.quiet is not None:
            # A debtor who calls in and talks may not be dialled again that day.
            self.floor.spoke_today = self.conv_today
            self.desk.on_answer = self._spoke

    def _setup_behaviour(self) -> None:
        sc, b = self.sc, self.sc.behaviour
        segs = list(sc.portfolio.segments.values())
        self.seg_cure = np.array([s.cure_multiplier for s in segs])
        self.seg_contact = np.array([s.contact_multiplier for s in segs])
        self.seg_promise = np.array([s.promise_shift for s in segs])
        sens = np.array([sc.portfolio.industries.get(s.industry, 0.0) for s in segs])
        self.shock = np.ones((self.span, len(segs)))
        shock = sc.portfolio.shock
        if shock is not None:
            length = shock.duration_days
            end = self.span if length is None else shock.start_day + length
            self.shock[shock.start_day:end] = 1.0 - shock.severity * sens
        self.cure_rate = np.array([bh.hazard_rate(getattr(b.cure_hazard, s)) for s in STAGE_NAMES])
        self.partial_rate = np.array(
            [bh.hazard_rate(getattr(b.partial_payment_hazard, s)) for s in STAGE_NAMES])
        self.agent_contact = np.array([getattr(b.contact.agent, s) for s in STAGE_NAMES])
        self.robot_contact = np.array([getattr(b.contact.robot, s) for s in STAGE_NAMES])
        self.ptp_logit = np.array([bh.logit(getattr(b.promise.ptp_rate, s)) for s in STAGE_NAMES])
        self.hour_profile = np.asarray(b.contact.hour_profile, np.float64)
        self.decay = bh.pressure_decay(b)
        # Per-account factors that never change, computed once instead of every day.
        self.payer_mult = bh.payer_factor(self.book.payer, b)
        self.cure_base = self.seg_cure[self.book.segment] * self.payer_mult
        self.has_shock = shock is not None
        # Dialling window in debtor local time.
        ps, pe = self.limits.window_start, self.limits.window_end
        hours = sc.strategy.call_hours
        ss, se = (hours.start_minute, hours.end_minute) if hours else (ps, pe)
        self.dial_window = (max(ps, ss), min(pe, se)) if self.enforce else (ss, se)

    def _setup_floor(self, record_blocks: bool) -> None:
        sc = self.sc
        staffing = sc.staffing
        self.team_names = tuple(staffing.teams)
        teams = list(staffing.teams.values())
        self.env = CountingEnvironment()
        handle = np.array([[t.handle_times.no_answer, t.handle_times.wrong_party,
                            t.handle_times.rpc, t.handle_times.ptp] for t in teams]).reshape(-1, 4)
        self.floor = Floor(
            self.env,
            team_count=len(teams),
            block_minutes=staffing.block_minutes,
            shrinkage=[t.shrinkage for t in teams],
            handle_means=handle,
            hour_profile=self.hour_profile,
            retry_gap=float(sc.strategy.retry_gap_minutes),
            draw=self._call_draws,
            record_blocks=record_blocks,
        )
        stage_team = np.full(3, -1, np.int8)
        for s, stage in enumerate(STAGE_NAMES):
            for i, t in enumerate(teams):
                if stage in t.stages:
                    stage_team[s] = i
                    break
        self.team_of_stage = stage_team
        # Collectors, inbound seats and the daily staff cost, shift by shift.
        self.collectors: list[Collector] = []
        staff_cost = np.zeros(self.span)
        self.available_out = np.zeros((len(teams), self.span))
        self.available_in = np.zeros((len(teams), self.span))
        rosters: list[list[tuple[float, int]]] = []
        capacities: list[int] = []
        business = self.cal.is_business_day
        for ti, (name, team) in enumerate(staffing.teams.items()):
            counts = largest_remainder(team.headcount, [s.share for s in team.shifts])
            skills = self.streams[f"skill:{name}"].normal(0.0, team.skill_sd,
                                                          size=max(team.headcount, 1))
            k = 0
            per_day: list[list[tuple[int, int]]] = [[] for _ in range(self.span)]
            for shift, count in zip(team.shifts, counts, strict=True):
                inbound = inbound_people(count, team.inbound_share)
                seats = inbound_seats(count, team.inbound_share, team.shrinkage)
                length = shift.end_minute - shift.start_minute
                worked = np.ones(self.span, bool) if shift.days == "all" else business
                staff_cost += worked * count * length / 60 * team.hourly_cost
                self.available_out[ti] += worked * (count - inbound) * length * (1 - team.shrinkage)
                self.available_in[ti] += worked * seats * length
                for _ in range(count - inbound):
                    self.collectors.append(Collector(
                        id=len(self.collectors), team=ti, shift_start=shift.start_minute,
                        shift_end=shift.end_minute, all_days=shift.days == "all",
                        skill=float(skills[k])))
                    k += 1
                k += inbound
                if seats:
                    for wd in np.flatnonzero(worked).tolist():
                        per_day[wd] += [(shift.start_minute, seats), (shift.end_minute, -seats)]
            schedule: list[tuple[float, int]] = []
            peak = 0
            for day, moves in enumerate(per_day):
                level = 0
                for minute, delta in sorted(moves):
                    level += delta
                    peak = max(peak, level)
                    schedule.append((float(day * MINUTES_PER_DAY + minute), level))
            rosters.append(schedule)
            capacities.append(peak)
        self.staff_cost = np.round(staff_cost * self.scale).astype(np.int64)
        self.desk = InboundDesk(self.env, capacities,
                                sc.channels.inbound.service_level_seconds / 60)
        self.rosters = rosters
        # Where inbound calls go: the stage's team if it has seats, else any team with seats.
        with_seats = [i for i, c in enumerate(capacities) if c > 0]
        route = np.zeros(3, np.int64)
        for s in range(3):
            own = int(stage_team[s])
            if own >= 0 and capacities[own] > 0:
                route[s] = own
            else:
                route[s] = with_seats[0] if with_seats else max(own, 0)
        self.inbound_route = route
        self.handle_dist = staffing.handle_time_distribution
        self.handle_cv = staffing.handle_time_cv
        self.inbound_handle = np.array([t.handle_times.inbound for t in teams] or [6.0])

    def _spoke(self, account: int) -> None:
        self.conv_today[account] = True
        self.touched[account] = True

    def execute(self) -> None:
        """Run the whole horizon."""
        env = self.env
        days_proc = env.process(self._days())
        for c in self.collectors:
            env.process(self.floor.collector_process(c, self.span, self.cal.is_business_day))
        for t, schedule in enumerate(self.rosters):
            if schedule:
                env.process(self.desk.roster(t, schedule))
        env.run(until=days_proc)

    def _days(self) -> Any:
        for d in range(self.days):
            self.open_day(d)
            yield self.env.timeout(MINUTES_PER_DAY)
            self.close_day(d)
        self.outstanding_at_horizon = int(self.book.balance[
            (self.book.state == State.DELINQUENT) | (self.book.state == State.PLAN)].sum())
        d = self.days
        while d < self.span and self._runoff_continues(d):
            self.open_day(d)
            yield self.env.timeout(MINUTES_PER_DAY)
            self.close_day(d)
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
            "collectors": len(self.collectors),
            "simpy_events": self.env.events_processed,
            "wall_seconds": wall_seconds,
            "currency": self.sc.portfolio.currency,
            "minor_units": self.sc.portfolio.minor_units,
            "fingerprint": self.sc.fingerprint(),
            "ledger": led,
            "breaches_by_dimension": dict(self.breaches),
            "book_bytes": book.nbytes(),
            "outstanding_in_collections": self.outstanding_at_horizon,
            "runoff_days": self.end_day - self.days,
            "inbound_waiting_at_end": self.desk.waiting,
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
            daily_rows=self.daily,
            accounts=accounts,
            meta=meta,
            targets=dict(self.sc.targets),
            events=self.log,
            blocks=self.floor.blocks,
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

