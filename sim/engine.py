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
    arrive; untreated self-cure and partial payments happen; complaints are drawn;
    breaches are counted; the day's row is recorded.

Money moves only through :meth:`Run.pay` and :meth:`Run.add_fee`, in integer minor
units, so opening balances plus fees always equal on-book collections plus write-offs
plus what is still owed (checked in every run's ``meta["ledger"]``).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import simpy

from sim import behaviour as bh
from sim.book import NO_DAY, Book, sample_book
from sim.calendar import MINUTES_PER_DAY, Calendar
from sim.caps import DIMENSIONS, Limits, count_breaches
from sim.eventlog import EventLog
from sim.floor import NO_ANSWER, PTP, RPC, CallDraws, Collector, Floor, InboundDesk, Pass, ZoneList
from sim.records import RunResult
from sim.rng import Streams
from sim.scenario.base import minutes
from sim.scenario.root import Scenario
from sim.score import realised_auc
from sim.stages import (
    BUCKET_LABELS,
    LATE_START,
    MID_START,
    NEVER,
    STAGE_NAMES,
    State,
    bucket_of,
    stage_of,
)
from sim.strategy import (
    BATCH_ACTIONS,
    RESTRUCTURE,
    SETTLEMENT,
    BookView,
    DailyPlan,
    LadderStrategy,
    Strategy,
)

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]

PAYMENT_SOURCES = ("self_cure", "partial", "promise", "plan", "settlement", "agency", "legal",
                   "collateral", "post_writeoff")
COST_LINES = ("staff", "sms", "email", "robot", "calls", "inbound", "letters", "field",
              "restructure", "legal", "bureau", "repossession", "agency", "writeoff_commission",
              "complaints")
KIND_FULL, KIND_PARTIAL, KIND_PLAN, KIND_SETTLE = 1, 2, 3, 4


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
) -> RunResult:
    """Run one replication of ``scenario`` and return its records and KPIs.

    ``strategy`` replaces the scenario's ladder with any :class:`sim.Strategy`;
    ``event_log`` keeps an account-level log (and the contact log the compliance auditor
    reads); ``observer(day, book)`` is called after each day (tests, tracing) and must not
    modify the book.
    """
    started = time.perf_counter()
    run = Run(scenario, seed, replication, strategy=strategy, event_log=event_log,
              observer=observer)
    run.execute()
    return run.result(time.perf_counter() - started)


class Run:
    """The mutable state of one replication (private to :func:`simulate`)."""

    def __init__(self, scenario: Scenario, seed: int, replication: int, *,
                 strategy: Strategy | None, event_log: bool,
                 observer: Callable[[int, Book], None] | None) -> None:
        self.sc = sc = scenario
        self.seed, self.replication = seed, replication
        self.days = sc.horizon.days
        self.cal = Calendar.build(sc.calendar, self.days)
        self.streams = Streams(seed, replication)
        self.policy = sc.contact_policy()
        self.limits = Limits.of(self.policy)
        self.enforce = sc.compliance.enforce
        self.window = max(7, self.limits.span or 0)
        self.book, self.inflow_starts = sample_book(sc, self.cal, self.streams, self.window)
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
        self.today: dict[str, float] = {}
        self.today_calls: list[tuple[I64, F64, npt.NDArray[np.int64], B, B]] = []
        self.ledger = dict.fromkeys(
            ("opening", "fees", "collected", "forgiven", "charged_off", "recovered_after_writeoff"),
            0,
        )
        self.breaches = dict.fromkeys(DIMENSIONS, 0)
        self.complaints_total = 0
        self._day = 0
        self._last_conv_before = self.book.last_conversation.copy()
        if self.enforce and self.limits.quiet is not None:
            # A debtor who calls in and talks may not be dialled again that day.
            self.floor.spoke_today = self.conv_today
            self.desk.on_answer = self._spoke

    # -- set-up ---------------------------------------------------------------------------
    def _setup_behaviour(self) -> None:
        sc, b = self.sc, self.sc.behaviour
        segs = list(sc.portfolio.segments.values())
        self.seg_cure = np.array([s.cure_multiplier for s in segs])
        self.seg_contact = np.array([s.contact_multiplier for s in segs])
        self.seg_promise = np.array([s.promise_shift for s in segs])
        sens = np.array([sc.portfolio.industries.get(s.industry, 0.0) for s in segs])
        self.shock = np.ones((self.days, len(segs)))
        shock = sc.portfolio.shock
        if shock is not None:
            length = shock.duration_days
            end = self.days if length is None else shock.start_day + length
            self.shock[shock.start_day:end] = 1.0 - shock.severity * sens
        self.cure_rate = np.array([bh.hazard_rate(getattr(b.cure_hazard, s)) for s in STAGE_NAMES])
        self.partial_rate = np.array(
            [bh.hazard_rate(getattr(b.partial_payment_hazard, s)) for s in STAGE_NAMES])
        self.agent_contact = np.array([getattr(b.contact.agent, s) for s in STAGE_NAMES])
        self.robot_contact = np.array([getattr(b.contact.robot, s) for s in STAGE_NAMES])
        self.ptp_logit = np.array([bh.logit(getattr(b.promise.ptp_rate, s)) for s in STAGE_NAMES])
        self.hour_profile = np.asarray(b.contact.hour_profile, np.float64)
        self.decay = bh.pressure_decay(b)
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
        self.staff_cost = np.zeros(self.days)
        self.available_out = np.zeros((len(teams), self.days))
        self.available_in = np.zeros((len(teams), self.days))
        rosters: list[list[tuple[float, int]]] = []
        capacities: list[int] = []
        business = self.cal.is_business_day
        for ti, (name, team) in enumerate(staffing.teams.items()):
            counts = _largest_remainder(team.headcount, [s.share for s in team.shifts])
            skills = self.streams[f"skill:{name}"].normal(0.0, team.skill_sd,
                                                          size=max(team.headcount, 1))
            k = 0
            per_day: list[list[tuple[int, int]]] = [[] for _ in range(self.days)]
            for shift, count in zip(team.shifts, counts, strict=True):
                inbound = round(team.inbound_share * count)
                seats = round(inbound * (1.0 - team.shrinkage))
                length = shift.end_minute - shift.start_minute
                worked = np.ones(self.days, bool) if shift.days == "all" else business
                self.staff_cost += worked * count * length / 60 * team.hourly_cost
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
        self.staff_cost = np.round(self.staff_cost * self.scale).astype(np.int64)
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

    # -- running --------------------------------------------------------------------------
    def execute(self) -> None:
        """Run the whole horizon."""
        env = self.env
        days_proc = env.process(self._days())
        for c in self.collectors:
            env.process(self.floor.collector_process(c, self.days, self.cal.is_business_day))
        for t, schedule in enumerate(self.rosters):
            if schedule:
                env.process(self.desk.roster(t, schedule))
        env.run(until=days_proc)

    def _days(self) -> Any:
        for d in range(self.days):
            self.open_day(d)
            yield self.env.timeout(MINUTES_PER_DAY)
            self.close_day(d)

    # -- money ----------------------------------------------------------------------------
    def pay(self, idx: I64, amount: I64, source: str, day: int) -> I64:
        """Apply payments (capped at the balance); return the amounts actually paid."""
        book = self.book
        amount = np.minimum(amount, book.balance[idx])
        keep = amount > 0
        idx, amount = idx[keep], amount[keep]
        if idx.shape[0] == 0:
            return amount
        book.balance[idx] -= amount
        book.due[idx] = np.maximum(book.due[idx] - amount, 0)
        book.collected[idx] += amount
        late = (book.dpd[idx] >= LATE_START) | (book.state[idx] == State.CHARGED_OFF)
        book.collected_since_91[idx] += np.where(late, amount, 0)
        total = int(amount.sum())
        self.ledger["collected"] += total
        wo = book.state[idx] == State.CHARGED_OFF
        if wo.any():
            self.ledger["recovered_after_writeoff"] += int(amount[wo].sum())
        self.today[f"paid_{source}"] += total
        if self.log is not None:
            self.log.add("payment", day, idx, amount=amount, detail=source)
        return amount

    def add_fee(self, idx: I64, fee: int) -> None:
        """Add a late fee to the amount owed and due."""
        if fee <= 0 or idx.shape[0] == 0:
            return
        self.book.balance[idx] += fee
        self.book.due[idx] += fee
        self.ledger["fees"] += fee * int(idx.shape[0])

    def cost(self, line: str, amount_major: float) -> None:
        """Book a cost (major units) on a cost line for today."""
        self.today[f"cost_{line}"] += round(amount_major * self.scale)

    def settle(self, idx: I64, day: int) -> None:
        """After payments: delinquent accounts owing nothing due leave collections."""
        book = self.book
        idx = idx[(book.state[idx] == State.DELINQUENT) & (book.due[idx] <= 0)]
        if idx.shape[0] == 0:
            return
        closed = book.balance[idx] <= 0
        dpd = book.dpd[idx]
        book.first_exit_dpd[idx] = np.where(book.first_exit_dpd[idx] == 0, dpd,
                                            book.first_exit_dpd[idx])
        book.exited_mid[idx] |= (dpd >= MID_START) & (dpd < LATE_START)
        book.returned_to_current[idx[~closed]] = True
        book.restored_balance[idx[~closed]] += book.balance[idx[~closed]]
        book.state[idx] = np.where(closed, State.CLOSED, State.CURED)
        book.resolved_day[idx] = day
        book.dpd[idx] = 0
        self.today["cured"] += int((~closed).sum())
        self.today["closed"] += int(closed.sum())
        if self.log is not None:
            self.log.add("resolved", day, idx, detail=np.where(closed, "closed", "cured"))

    # -- morning ---------------------------------------------------------------------------
    def open_day(self, d: int) -> None:
        """Arrivals, ageing, write-off, the strategy's plan and the morning batches."""
        self.today = defaultdict(float)
        self._day = d
        book, sc = self.book, self.sc
        day_start = d * MINUTES_PER_DAY
        book.attempt_ring[:, d % self.window] = 0
        fee = round(sc.portfolio.late_fee * self.scale)
        # Ageing of those already delinquent (the book's DPD is as of day 0).
        active = np.flatnonzero(book.state == State.DELINQUENT)
        if d > 0 and active.shape[0]:
            book.dpd[active] += 1
            dpd = book.dpd[active]
            cycle = active[(dpd % 30 == 1) & (dpd > 1)]
            book.due[cycle] = np.minimum(book.due[cycle] + book.instalment[cycle],
                                         book.balance[cycle])
            self.add_fee(cycle, fee)
            self._stage_entries(active, dpd, d)
            hit = active[dpd == sc.portfolio.accelerate_at_dpd]
            book.due[hit] = book.balance[hit]
            self._charge_off(active[dpd >= sc.channels.writeoff.dpd], d)
        # Arrivals at 1 DPD.
        if d == 0:
            self.ledger["opening"] += int(book.balance[: self.inflow_starts[0]].sum())
        new = np.arange(self.inflow_starts[d], self.inflow_starts[d + 1])
        if new.shape[0]:
            book.state[new] = State.DELINQUENT
            book.dpd[new] = 1
            self.ledger["opening"] += int(book.balance[new].sum())
            self.add_fee(new, fee)
            book.balance_at_1[new] = book.balance[new]
            if self.log is not None:
                self.log.add("arrive", d, new, amount=book.balance[new])
        active = np.flatnonzero(book.state == State.DELINQUENT)
        view = self._view(active, d)
        plan = self.strategy.plan(view)
        self._check_plan(plan, len(view))
        self._morning_batches(d, active, view, plan, day_start)

    def _stage_entries(self, active: I64, dpd: npt.NDArray[np.int16], d: int) -> None:
        book = self.book
        for start, entered, bal in ((MID_START, book.entered_31, book.balance_at_31),
                                    (LATE_START, book.entered_91, book.balance_at_91)):
            hit = active[dpd == start]
            first = hit[entered[hit] == NEVER]
            entered[first] = d
            bal[first] = book.balance[first]
            if self.log is not None:
                self.log.add(f"dpd_{start}", d, hit, amount=book.balance[hit])

    def _charge_off(self, idx: I64, d: int) -> None:
        book = self.book
        if idx.shape[0] == 0:
            return
        book.state[idx] = State.CHARGED_OFF
        book.charged_off_amount[idx] = book.balance[idx]
        book.resolved_day[idx] = d
        total = int(book.balance[idx].sum())
        self.ledger["charged_off"] += total
        self.today["charged_off"] += int(idx.shape[0])
        self.today["charged_off_amount"] += total
        if self.log is not None:
            self.log.add("charge_off", d, idx, amount=book.balance[idx])

    def _view(self, active: I64, d: int) -> BookView:
        book = self.book
        dpd = book.dpd[active]
        return BookView(
            day=d,
            is_business_day=bool(self.cal.is_business_day[d]),
            index=active,
            dpd=dpd,
            stage=stage_of(dpd),
            segment=book.segment[active],
            segment_names=tuple(self.sc.portfolio.segments),
            balance=book.balance[active] / self.scale,
            score=book.score[active],
            payer_prob=book.payer_prob[active],
            promise_pending=book.promise_day[active] != NEVER,
            broke_promise_yesterday=book.broken_day[active] == d - 1,
            attempts_since_contact=book.attempts_since_contact[active],
            placed=book.placed_until[active] > d,
            in_legal=book.legal_day[active] != NEVER,
            sued=book.sued[active],
            was_placed=book.placed_day[active] != NO_DAY,
            reported=book.reported[active],
            has_collateral=book.collateral[active] > 0,
            team_names=self.team_names,
            team_of_stage=self.team_of_stage,
        )

    @staticmethod
    def _check_plan(plan: DailyPlan, n: int) -> None:
        arrays: list[npt.NDArray[Any]] = [
            plan.call_attempts, plan.call_team, plan.offer, plan.priority,
            *(plan.masks.get(a, np.zeros(n, bool)) for a in BATCH_ACTIONS)]
        if any(a.shape != (n,) for a in arrays):
            raise ValueError(f"strategy plan arrays must all have length {n} (one per account)")

    def _morning_batches(self, d: int, active: I64, view: BookView, plan: DailyPlan,
                         day_start: int) -> None:
        sc, book, ch = self.sc, self.book, self.sc.channels
        masks = {a: plan.masks.get(a, np.zeros(len(view), bool)) for a in BATCH_ACTIONS}
        self.offer_today[active] = plan.offer
        self.touched[active[plan.offer > 0]] = True
        callbacks: list[I64] = []
        # Messages: a reminder, some pressure, and a chance the debtor calls back.
        for name, channel in (("sms", ch.sms), ("email", ch.email)):
            sent = active[masks[name]]
            self.today[f"sent_{name}"] += sent.shape[0]
            self.cost(name, channel.cost * sent.shape[0])
            book.pressure[sent] += channel.pressure
            self._complaint_units(sent, sc.behaviour.complaints.per_message)
            callbacks.append(sent[self.streams["callbacks"].random(sent.shape[0])
                                  < channel.callback_rate])
            if self.log is not None:
                self.log.add(name, d, sent)
        letters = active[masks["letter"]]
        self.cost("letters", ch.letter.cost * letters.shape[0])
        self.today["sent_letter"] += letters.shape[0]
        self.pending_letters[d + ch.letter.delivery_days].append(letters)
        delivered = np.concatenate(self.pending_letters.pop(d, [np.zeros(0, np.int64)]))
        delivered = delivered[book.state[delivered] == State.DELINQUENT]
        book.pressure[delivered] += ch.letter.pressure
        self._complaint_units(delivered, sc.behaviour.complaints.per_letter)
        callbacks.append(delivered[self.streams["callbacks"].random(delivered.shape[0])
                                   < ch.letter.callback_rate])
        if self.log is not None:
            self.log.add("letter", d, letters)
        reported = active[masks["bureau"]]
        book.reported[reported] = True
        self.cost("bureau", ch.bureau.cost * reported.shape[0])
        placed = active[masks["agency"]]
        book.placed_until[placed] = d + ch.agency.placement_days
        book.placed_day[placed] = d
        self.today["placed_agency"] += placed.shape[0]
        self._one_offs(d, active, masks, plan)
        if self.log is not None:
            self.log.add("bureau", d, reported)
            self.log.add("agency_placed", d, placed)
        self._field_visits(d, active, masks["field_visit"], plan.priority)
        arrivals = self._schedule_inbound(d, np.concatenate(callbacks), active, day_start)
        robot = self._robot_batch(d, active[masks["robot"]], arrivals)
        self._build_worklists(d, active, plan, np.concatenate((robot, arrivals)), day_start)
        self.today["staff_cost_minor"] = float(self.staff_cost[d])

    def _one_offs(self, d: int, active: I64, masks: dict[str, B], plan: DailyPlan) -> None:
        book, ch = self.book, self.sc.channels
        # Legal filings: biggest priority first, up to the legal team's daily capacity.
        cand = np.flatnonzero(masks["legal"] & (book.balance[active] >=
                                                ch.legal.min_balance * self.scale))
        if self.cal.is_business_day[d] and cand.shape[0]:
            cand = cand[np.argsort(-plan.priority[cand], kind="stable")][: ch.legal.filings_per_day]
            sued = active[cand]
            book.sued[sued] = True
            book.legal_day[sued] = d + ch.legal.delay_days
            self.cost("legal", ch.legal.filing_fee * sued.shape[0])
            self.today["legal_filed"] += sued.shape[0]
            if self.log is not None:
                self.log.add("legal_filed", d, sued)
        repo = active[masks["repossess"] & (book.repo_day[active] == NEVER)]
        book.repo_day[repo] = d + ch.repossession.delay_days
        self.cost("repossession", ch.repossession.cost * repo.shape[0])
        if self.log is not None:
            self.log.add("repossession", d, repo)

    def _field_visits(self, d: int, active: I64, mask: B, priority: F64) -> None:
        """Field visits: capacity-limited per business day (a daily quota, not SimPy)."""
        ch, b = self.sc.channels.field_visit, self.sc.behaviour
        if not self.cal.is_business_day[d] or not mask.any():
            return
        cand = np.flatnonzero(mask)
        cand = cand[np.argsort(-priority[cand], kind="stable")][: ch.visits_per_day]
        idx = active[cand]
        book = self.book
        rng = self.streams["field"]
        met = rng.random(idx.shape[0]) < b.contact.field_visit * self.seg_contact[book.segment[idx]]
        self.cost("field", ch.cost * idx.shape[0])
        book.pressure[idx] += ch.pressure
        self._complaint_units(idx, b.complaints.per_field_visit)
        self.today["field_visits"] += idx.shape[0]
        reached = idx[met]
        self._contacted(reached, d)
        shift = b.promise.field_shift
        promised = reached[rng.random(reached.shape[0]) < self._promise_p(reached, d, shift)]
        self._make_promises(promised, d, "field")
        if self.log is not None:
            self.log.add("field_visit", d, idx, detail=np.where(met, "met", "not_met"))

    def _promise_p(self, idx: I64, d: int, shift: float, skill: float = 0.0) -> F64:
        """Chance of a promise given conversation (offer and segment shifts included)."""
        return bh.sigmoid(self._promise_logit(idx, d) + shift + skill)

    def _promise_logit(self, idx: I64, d: int) -> F64:
        book, b, ch = self.book, self.sc.behaviour, self.sc.channels
        seg = book.segment[idx]
        cap = book.capacity[idx] * self.shock[d, seg]
        offer = self.offer_today[idx]
        hardship = cap < ch.restructure.hardship_capacity_below
        shift = (self.seg_promise[seg]
                 + np.where(offer == SETTLEMENT, ch.settlement.promise_shift, 0.0)
                 + np.where((offer == RESTRUCTURE) & hardship, ch.restructure.promise_shift, 0.0))
        stage = stage_of(book.dpd[idx])
        return bh.promise_logit(self.ptp_logit[stage], book.willingness[idx], cap, shift, b)

    def _attempts_7d(self, idx: I64, d: int) -> npt.NDArray[np.int64]:
        cols = [(d - k) % self.window for k in range(7)]
        return np.asarray(self.book.attempt_ring[idx][:, cols].sum(axis=1), dtype=np.int64)

    def _schedule_inbound(self, d: int, prompted: I64, active: I64, day_start: int) -> I64:
        """Create today's inbound callers; return accounts calling in (for the quiet rule)."""
        ch = self.sc.channels.inbound
        rng = self.streams["inbound"]
        k = rng.poisson(ch.spontaneous_rate * active.shape[0]) if active.shape[0] else 0
        spontaneous = active[rng.integers(0, active.shape[0], size=k)] if k else active[:0]
        callers = np.concatenate((prompted, spontaneous)).astype(np.int64)
        n = callers.shape[0]
        self.today["inbound_prompted"] += prompted.shape[0]
        if n == 0:
            return callers
        wh = self.sc.calendar.working_hours
        start, end = wh.start_minute, wh.end_minute
        at = np.asarray(start + rng.random(n) * max(end - start, 0), np.float64)
        stage = stage_of(np.maximum(self.book.dpd[callers], 1))
        team = self.inbound_route[stage]
        mean = ch.patience_minutes
        patience: list[float | None] = (
            [None] * n if mean is None else np.asarray(rng.exponential(mean, n)).tolist())
        service = (self.inbound_handle[team] * self._noise(rng, n)).tolist()
        draw = np.asarray(rng.random(n)).tolist()
        for i, (t, acct, when) in enumerate(zip(team.tolist(), callers.tolist(), at.tolist(),
                                                strict=True)):
            self.env.process(self.desk.caller(t, acct, when, patience[i], service[i], draw[i]))
        return callers

    def _noise(self, rng: np.random.Generator, n: int) -> F64:
        """Multiplicative handle-time noise with mean 1."""
        if self.handle_dist == "exponential":
            return rng.exponential(1.0, n)
        sigma2 = math.log1p(self.handle_cv ** 2)
        return rng.lognormal(-sigma2 / 2, math.sqrt(sigma2), n)

    def _allowed(self, idx: I64, d: int) -> npt.NDArray[np.int64]:
        """Calls each account of ``idx`` may still get today under the enforced policy."""
        lim, book = self.limits, self.book
        allowed = np.full(idx.shape[0], 127, np.int64)
        if not self.enforce:
            return allowed
        today = book.attempt_ring[idx, d % self.window].astype(np.int64)
        if lim.per_day is not None:
            counted = today if lim.count_all else today - self.conv_today[idx]
            allowed = np.minimum(allowed, lim.per_day - counted)
        if lim.connected_per_day is not None:
            allowed = np.where(self.conv_today[idx].astype(np.int64) >= lim.connected_per_day,
                               0, allowed)
        if lim.in_days is not None and lim.span is not None:
            cols = [(d - k) % self.window for k in range(lim.span)]
            used = book.attempt_ring[idx][:, cols].sum(axis=1, dtype=np.int64)
            allowed = np.minimum(allowed, lim.in_days - used)
        if lim.quiet is not None:
            since = d - book.last_conversation[idx].astype(np.int64) + 1
            allowed = np.where(since <= lim.quiet, 0, allowed)
        return np.maximum(allowed, 0)

    def _robot_batch(self, d: int, idx: I64, inbound_callers: I64) -> I64:
        """Robot calls at a fixed local time; returns the accounts dialled."""
        sc, book, b = self.sc, self.book, self.sc.behaviour
        call_time = minutes(sc.channels.robot.call_time)
        if idx.shape[0] == 0:
            return idx
        if self.enforce and not self.limits.window_start <= call_time < self.limits.window_end:
            return idx[:0]
        idx = idx[self._allowed(idx, d) > 0]
        if self.enforce and self.limits.quiet is not None and inbound_callers.shape[0]:
            # A debtor who calls in today may talk to us before the robot rings: skip them.
            idx = idx[~np.isin(idx, inbound_callers)]
        site_minute = call_time - self.cal.zone_offset_minutes[book.zone[idx], d]
        # A robot call that would fall on another local day than the site's is skipped.
        fits = (site_minute >= 0) & (site_minute < MINUTES_PER_DAY)
        idx, site_minute = idx[fits], site_minute[fits]
        n = idx.shape[0]
        if n == 0:
            return idx
        rng = self.streams["robot"]
        stage = stage_of(book.dpd[idx])
        p = bh.contact_probability(self.robot_contact[stage], self.hour_profile[call_time // 60],
                                   self.seg_contact[book.segment[idx]],
                                   self._attempts_7d(idx, d), b)
        reached = rng.random(n) < p
        promise = reached & (rng.random(n) < bh.sigmoid(
            self._promise_logit(idx, d) - self.ptp_logit[stage]
            + bh.logit(b.promise.robot_ptp_rate)))
        book.attempt_ring[idx, d % self.window] += 1
        self.cost("robot", sc.channels.robot.cost_per_attempt * n)
        book.pressure[idx] += sc.channels.robot.pressure * (1 + reached)
        self._complaint_units(idx, b.complaints.per_robot_attempt)
        self.today["robot_attempts"] += n
        self.today["robot_contacts"] += int(reached.sum())
        hit = idx[reached]
        self.conv_today[hit] = True
        self.touched[hit] = True
        book.last_conversation[hit] = d
        self._contacted(hit, d)
        self._make_promises(idx[promise], d, "robot")
        times = (d * MINUTES_PER_DAY + site_minute).astype(np.float64)
        self._log_calls(idx, times, reached, np.ones(n, bool), d)
        if self.log is not None:
            self.log.add("robot_call", d, idx, minute=times,
                         detail=np.where(reached, "contact", "no_contact"))
        return idx

    def _build_worklists(self, d: int, active: I64, plan: DailyPlan, busy: I64,
                         day_start: int) -> None:
        """Every team's worklist for today, cut to what the contact policy allows.

        ``busy`` are accounts the robot dials or who will call in today: with a quiet
        period after conversations, agents leave them alone today, because a work block
        is planned before a conversation that may happen during it."""
        book = self.book
        want = plan.call_attempts > 0
        team = np.where(plan.call_team >= 0, plan.call_team,
                        self.team_of_stage[stage_of(book.dpd[active])])
        want &= team >= 0
        sel = np.flatnonzero(want)
        allowed = np.minimum(self._allowed(active[sel], d), plan.call_attempts[sel])
        sel, allowed = sel[allowed > 0], allowed[allowed > 0]
        if self.enforce and self.limits.quiet is not None and busy.shape[0]:
            clear = ~np.isin(active[sel], busy)
            sel, allowed = sel[clear], allowed[clear]
        team = team[sel]
        order = np.argsort(-plan.priority[sel], kind="stable")
        sel, allowed, team = sel[order], allowed[order], team[order]
        zones = book.zone[active[sel]]
        ws, we = self.dial_window
        for t in range(len(self.team_names)):
            lists = []
            for z in range(self.cal.zone_offset_minutes.shape[0]):
                rows = (team == t) & (zones == z)
                if not rows.any():
                    continue
                off = int(self.cal.zone_offset_minutes[z, d])
                lo, hi = max(ws - off, 0), min(we - off, MINUTES_PER_DAY)
                if lo >= hi:
                    continue
                acct = active[sel[rows]]
                lists.append(ZoneList(
                    zone=z, window_open=day_start + lo, window_close=day_start + hi,
                    local_offset=off,
                    passes=[Pass(account=acct, priority=plan.priority[sel[rows]],
                                 allowed=allowed[rows].astype(np.int8), number=1,
                                 open_at=float(day_start), draws=self._call_draws(acct))]))
            self.floor.set_worklist(t, float(day_start), lists)
        self.today["worklist"] += sel.shape[0]

    def _call_draws(self, acct: I64) -> CallDraws:
        """Pre-drawn uniforms for a pass, transformed for one-comparison outcomes."""
        book, b = self.book, self.sc.behaviour
        d = self._day
        rng = self.streams["calls"]
        n = acct.shape[0]
        stage = stage_of(book.dpd[acct])
        base = bh.contact_probability(self.agent_contact[stage], 1.0,
                                      self.seg_contact[book.segment[acct]],
                                      self._attempts_7d(acct, d), b)
        wrong = b.contact.wrong_party
        u = rng.random(n)
        with np.errstate(divide="ignore"):
            rpc_ratio = np.where(base > 0, u / np.maximum(base, 1e-300), np.inf)
            conn_ratio = u / np.maximum(base + wrong, 1e-300)
        v = np.clip(rng.random(n), 1e-12, 1 - 1e-12)
        gap = np.log(v / (1 - v)) - self._promise_logit(acct, d)
        return CallDraws(rpc_ratio=rpc_ratio, conn_ratio=conn_ratio, promise_gap=gap,
                         noise=self._noise(rng, n))

    # -- contacts, promises, complaints ------------------------------------------------------
    def _contacted(self, idx: I64, d: int) -> None:
        book = self.book
        book.first_contact_day[idx] = np.minimum(book.first_contact_day[idx], d)
        book.attempts_since_contact[idx] = 0
        self.today["contacts"] += idx.shape[0]

    def _complaint_units(self, idx: I64, p: float) -> None:
        if idx.shape[0] and p > 0:
            np.add.at(self.complaint_units, idx, -math.log1p(-p))
            self.touched[idx] = True

    def _log_calls(self, idx: I64, times: F64, connected: B, by_collector: B, d: int) -> None:
        """Remember today's calls for breach counting and the contact log."""
        local = (times + self.cal.zone_offset_minutes[self.book.zone[idx], d]).astype(np.int64)
        self.today_calls.append((idx, times, local, connected, by_collector))
        if self.log is not None:
            self.log.add_contacts(idx, local, connected, by_collector)

    def _make_promises(self, idx: I64, d: int, channel: str) -> None:
        """Record promises to pay (ignoring accounts that already hold one)."""
        book, ch, b = self.book, self.sc.channels, self.sc.behaviour
        idx = _unique(idx)
        idx = idx[(book.state[idx] == State.DELINQUENT) & (book.promise_day[idx] == NEVER)]
        n = idx.shape[0]
        if n == 0:
            return
        rng = self.streams["promises"]
        offer = self.offer_today[idx]
        cap = book.capacity[idx] * self.shock[d, book.segment[idx]]
        plan = (offer == RESTRUCTURE) & (cap < ch.restructure.hardship_capacity_below)
        settle = offer == SETTLEMENT
        full = rng.random(n) < b.promise.full_share
        partial_share = 0.2 + 0.4 * rng.random(n)
        kind = np.where(settle, KIND_SETTLE, np.where(plan, KIND_PLAN,
                                                      np.where(full, KIND_FULL, KIND_PARTIAL)))
        balance = book.balance[idx]
        amount = np.select(
            [kind == KIND_SETTLE, kind == KIND_PLAN, kind == KIND_FULL],
            [np.ceil(balance * (1 - ch.settlement.discount)).astype(np.int64),
             np.ceil(balance / ch.restructure.plan_months).astype(np.int64),
             book.due[idx]],
            default=np.maximum((book.due[idx] * partial_share).astype(np.int64), 1),
        )
        book.promise_kind[idx] = kind
        book.promise_amount[idx] = amount
        book.promise_day[idx] = d + rng.integers(0, b.promise.days_max + 1, n)
        self.today["promises"] += n
        self.today[f"promises_{channel}"] += n
        if self.log is not None:
            self.log.add("promise", d, idx, amount=amount, detail=channel)

    # -- evening ---------------------------------------------------------------------------
    def close_day(self, d: int) -> None:
        """Apply the day's calls, payments, complaints and breaches; record the day."""
        self._apply_outbound(d)
        self._apply_inbound(d)
        self._promises_due(d)
        self._plans_due(d)
        self._late_stage(d)
        self._self_cure(d)
        self._complaints_and_breaches(d)
        self._record(d)
        if self.observer is not None:
            self.observer(d, self.book)

    def _apply_outbound(self, d: int) -> None:
        book, sc = self.book, self.sc
        log = self.floor.harvest()
        if not log.account:
            return
        acct = np.concatenate(log.account)
        code = np.concatenate(log.code)
        start = np.concatenate(log.start)
        handle = np.concatenate(log.handle)
        n = acct.shape[0]
        np.add.at(book.attempt_ring[:, d % self.window], acct, 1)
        connected = code > NO_ANSWER
        rpc = code >= RPC
        self.today["agent_attempts"] += n
        self.today["agent_connected"] += int(connected.sum())
        self.today["agent_rpc"] += int(rpc.sum())
        self.today["agent_ptp"] += int((code == PTP).sum())
        self.today["handle_minutes"] += float(handle.sum())
        self.cost("calls", sc.channels.call.cost_per_minute * float(handle.sum()))
        conv = acct[connected]
        book.last_conversation[conv] = d
        self.conv_today[conv] = True
        self.touched[conv] = True
        reached = acct[rpc]
        np.add.at(book.attempts_since_contact, acct[~rpc], 1)
        book.pressure[acct] += sc.channels.call.pressure_attempt
        call = sc.channels.call
        book.pressure[reached] += call.pressure_contact - call.pressure_attempt
        self._contacted(reached, d)
        self._make_promises(acct[code == PTP], d, "agent")
        self._complaint_units(acct, sc.behaviour.complaints.per_agent_attempt)
        self._log_calls(acct, start, connected, np.ones(n, bool), d)
        if self.log is not None:
            names = np.array(["no_answer", "wrong_party", "rpc", "ptp"])
            self.log.add("agent_call", d, acct, minute=start, detail=names[code])

    def _apply_inbound(self, d: int) -> None:
        book, b = self.book, self.sc.behaviour
        stats, answered, abandoned = self.desk.close_day()
        t = self.today
        for s in stats:
            t["inbound_offered"] += s.offered
            t["inbound_answered"] += s.answered
            t["inbound_abandoned"] += s.abandoned
            t["inbound_within_sl"] += s.within_sl
            t["inbound_wait_minutes"] += s.wait_total
            t["inbound_busy_minutes"] += s.busy
            t["inbound_queue_area"] += s.queue_area
        if not answered.account:
            return
        acct = np.asarray(answered.account, np.int64)
        times = np.asarray(answered.time)
        self.cost("inbound", self.sc.channels.inbound.cost_per_minute
                  * sum(s.busy for s in stats))
        local = times + self.cal.zone_offset_minutes[book.zone[acct], d]
        book.last_conversation[acct] = np.maximum(
            book.last_conversation[acct], (local // MINUTES_PER_DAY).astype(np.int16))
        live = acct[book.state[acct] == State.DELINQUENT]
        self._contacted(live, d)
        book.pressure[live] += self.sc.channels.call.pressure_contact
        draws = np.asarray(answered.draw)[book.state[acct] == State.DELINQUENT]
        p = self._promise_p(live, d, b.promise.inbound_shift)
        self._make_promises(live[draws < p], d, "inbound")
        self._log_calls(acct, times, np.ones(acct.shape[0], bool), np.zeros(acct.shape[0], bool),
                        d)
        if self.log is not None:
            self.log.add("inbound_call", d, acct, minute=times,
                         detail=np.round(np.asarray(answered.wait), 2))
            self.log.add("inbound_abandoned", d, np.asarray(abandoned, np.int64))

    def _promises_due(self, d: int) -> None:
        book, b = self.book, self.sc.behaviour
        idx = np.flatnonzero(book.promise_day == d)
        if idx.shape[0] == 0:
            return
        live = book.state[idx] == State.DELINQUENT
        book.promise_day[idx] = NEVER
        idx = idx[live]
        rng = self.streams["promises"]
        cap = book.capacity[idx] * self.shock[d, book.segment[idx]]
        kept = rng.random(idx.shape[0]) < bh.keep_probability(
            book.willingness[idx], cap, book.payer[idx], b)
        broken = idx[~kept]
        book.broken_day[broken] = d
        self.today["promises_due"] += idx.shape[0]
        self.today["promises_kept"] += int(kept.sum())
        self.today["promises_broken"] += broken.shape[0]
        ok = idx[kept]
        kind = book.promise_kind[ok]
        amount = book.promise_amount[ok]
        sel = (kind == KIND_FULL) | (kind == KIND_PARTIAL)
        self.pay(ok[sel], amount[sel], "promise", d)
        sel = kind == KIND_SETTLE
        settled = ok[sel]
        self.pay(settled, amount[sel], "settlement", d)
        # The settlement discount is forgiven: written off by agreement.
        self.ledger["forgiven"] += int(book.balance[settled].sum())
        book.balance[settled] = 0
        book.due[settled] = 0
        self.today["settled"] += settled.shape[0]
        starts = ok[kind == KIND_PLAN]
        self.pay(starts, book.promise_amount[starts], "plan", d)
        self._start_plans(starts, d)
        self.settle(ok, d)
        if self.log is not None:
            self.log.add("promise_broken", d, broken)

    def _start_plans(self, idx: I64, d: int) -> None:
        """Re-age accounts whose first plan instalment was paid."""
        book, ch = self.book, self.sc.channels
        idx = idx[book.state[idx] == State.DELINQUENT]
        if idx.shape[0] == 0:
            return
        dpd = book.dpd[idx]
        book.first_exit_dpd[idx] = np.where(book.first_exit_dpd[idx] == 0, dpd,
                                            book.first_exit_dpd[idx])
        book.exited_mid[idx] |= (dpd >= MID_START) & (dpd < LATE_START)
        book.returned_to_current[idx] = True
        book.restored_balance[idx] += book.balance[idx]
        book.state[idx] = State.PLAN
        book.dpd[idx] = 0
        book.plan_paid[idx] = 1
        book.plan_due_day[idx] = d + 30
        book.instalment[idx] = np.maximum(book.promise_amount[idx], 1)
        book.due[idx] = 0
        self.cost("restructure", ch.restructure.cost * idx.shape[0])
        self.today["plans_started"] += idx.shape[0]
        if self.log is not None:
            self.log.add("plan_started", d, idx)

    def _plans_due(self, d: int) -> None:
        book, ch = self.book, self.sc.channels.restructure
        idx = np.flatnonzero((book.plan_due_day == d) & (book.state == State.PLAN))
        if idx.shape[0] == 0:
            return
        rng = self.streams["plans"]
        p = ch.keep_rate * np.where(book.payer[idx], 1.0,
                                    self.sc.behaviour.promise.nonpayer_keep_factor)
        kept = rng.random(idx.shape[0]) < p
        ok, missed = idx[kept], idx[~kept]
        self.pay(ok, book.instalment[ok], "plan", d)
        book.plan_paid[ok] += 1
        book.plan_due_day[ok] += 30
        done = ok[(book.plan_paid[ok] >= ch.cure_after_instalments) | (book.balance[ok] == 0)]
        book.state[done] = np.where(book.balance[done] == 0, State.CLOSED, State.CURED)
        book.resolved_day[done] = d
        book.plan_due_day[done] = NEVER
        book.state[missed] = State.DELINQUENT
        book.dpd[missed] = 1
        book.due[missed] = np.minimum(book.instalment[missed], book.balance[missed])
        book.plan_due_day[missed] = NEVER
        book.broken_day[missed] = d
        book.cumhaz[missed] = 0.0
        self.today["plans_broken"] += missed.shape[0]
        self.today["plans_completed"] += done.shape[0]
        if self.log is not None:
            self.log.add("plan_broken", d, missed)
            self.log.add("plan_completed", d, done)

    def _late_stage(self, d: int) -> None:
        book, ch, b = self.book, self.sc.channels, self.sc.behaviour
        # Agency placements pay the agency, which keeps its commission.
        placed = np.flatnonzero((book.placed_until > d) &
                                ((book.state == State.DELINQUENT) |
                                 (book.state == State.CHARGED_OFF)))
        if placed.shape[0]:
            rng = self.streams["agency"]
            h = bh.agency_hazard(d - book.placed_day[placed].astype(np.int64),
                                 ch.agency.daily_recovery_hazard, ch.agency.hazard_decay_per_day)
            h = h * bh.payer_factor(book.payer[placed], b) * self.shock[d, book.segment[placed]]
            hit = placed[rng.random(placed.shape[0]) < -np.expm1(-h)]
            amount = np.where(book.state[hit] == State.CHARGED_OFF,
                              (book.balance[hit] * ch.writeoff.recovery_share).astype(np.int64),
                              book.due[hit])
            paid = self.pay(hit, amount, "agency", d)
            self.today["cost_agency"] += round(float(paid.sum()) * ch.agency.commission)
            self.settle(hit, d)
        # Judgments: some succeed and recover a share of the balance.
        sued = np.flatnonzero(book.legal_day == d)
        if sued.shape[0]:
            book.legal_day[sued] = NEVER
            sued = sued[(book.state[sued] == State.DELINQUENT) |
                        (book.state[sued] == State.CHARGED_OFF)]
            won = sued[self.streams["legal"].random(sued.shape[0]) < ch.legal.success_rate]
            self.pay(won, (book.balance[won] * ch.legal.recovery_share).astype(np.int64),
                     "legal", d)
            self._close_if_paid(won, d)
        # Collateral sales.
        sold = np.flatnonzero(book.repo_day == d)
        if sold.shape[0]:
            book.repo_day[sold] = NEVER - 1  # done; never again
            sold = sold[(book.state[sold] == State.DELINQUENT) |
                        (book.state[sold] == State.CHARGED_OFF)]
            proceeds = (book.collateral[sold] * ch.repossession.sale_share).astype(np.int64)
            book.collateral[sold] = 0
            self.pay(sold, proceeds, "collateral", d)
            self._close_if_paid(sold, d)
        # After write-off, a trickle still comes in through a debt agency.
        wo = np.flatnonzero((book.state == State.CHARGED_OFF) & (book.balance > 0))
        if wo.shape[0]:
            rng = self.streams["post_writeoff"]
            h = ch.writeoff.recovery_hazard * bh.payer_factor(book.payer[wo], b)
            hit = wo[rng.random(wo.shape[0]) < h]
            share = np.minimum(ch.writeoff.recovery_share * (0.5 + rng.random(hit.shape[0])), 1.0)
            paid = self.pay(hit, np.ceil(book.balance[hit] * share).astype(np.int64),
                            "post_writeoff", d)
            self.today["cost_writeoff_commission"] += round(
                float(paid.sum()) * ch.writeoff.commission)

    def _close_if_paid(self, idx: I64, d: int) -> None:
        book = self.book
        done = idx[(book.balance[idx] == 0) & (book.state[idx] == State.DELINQUENT)]
        book.due[done] = 0
        self.settle(done, d)

    def _self_cure(self, d: int) -> None:
        """Untreated cure (integrated-hazard thresholds) and partial payments."""
        book, b = self.book, self.sc.behaviour
        idx = np.flatnonzero(book.state == State.DELINQUENT)
        if idx.shape[0] == 0:
            return
        stage = stage_of(book.dpd[idx])
        seg = book.segment[idx]
        mult = (self.seg_cure[seg] * bh.payer_factor(book.payer[idx], b) * self.shock[d, seg]
                * bh.pressure_uplift(book.pressure[idx].astype(np.float64), b)
                * np.where(book.reported[idx], self.sc.channels.bureau.cure_uplift, 1.0))
        book.cumhaz[idx] += self.cure_rate[stage] * mult
        cured = idx[book.cumhaz[idx] >= book.cure_threshold[idx]]
        self.pay(cured, book.due[cured], "self_cure", d)
        self.settle(cured, d)
        still = book.state[idx] == State.DELINQUENT
        idx, stage, mult = idx[still], stage[still], mult[still]
        rng = self.streams["partials"]
        part = rng.random(idx.shape[0]) < -np.expm1(-self.partial_rate[stage] * mult)
        hit = idx[part]
        jitter = 0.5 + rng.random(hit.shape[0])
        share = b.partial_payment_share * book.capacity[hit] / 0.5 * jitter
        amount = np.minimum((book.due[hit] * np.minimum(share, 0.9)).astype(np.int64),
                            book.due[hit] - 1)
        self.pay(hit[amount > 0], amount[amount > 0], "partial", d)
        book.pressure[idx] *= self.decay

    def _complaints_and_breaches(self, d: int) -> None:
        book, b = self.book, self.sc.behaviour
        lim = self.limits
        calls = self.today_calls
        self.today_calls = []
        if calls:
            acct = np.concatenate([c[0] for c in calls])
            times = np.concatenate([c[1] for c in calls])
            local = np.concatenate([c[2] for c in calls])
            conn = np.concatenate([c[3] for c in calls])
            coll = np.concatenate([c[4] for c in calls])
            prior = np.zeros(acct.shape[0], np.int64)
            if lim.span is not None:
                cols = [(d - k) % self.window for k in range(1, lim.span)]
                # Today's slot already holds today's attempts; the span looks back span-1 days.
                prior = book.attempt_ring[acct][:, cols].sum(axis=1, dtype=np.int64)
            found = count_breaches(lim, d, acct, times, local, conn, coll, prior,
                                   self._last_conv_before[acct])
            for k, v in found.items():
                self.breaches[k] += v
                self.today["breaches"] += v
            outside = coll & ~((local % MINUTES_PER_DAY >= lim.window_start) &
                               (local % MINUTES_PER_DAY < lim.window_end))
            if outside.any():
                p = b.complaints.per_agent_attempt * (b.complaints.outside_window_multiplier - 1)
                self._complaint_units(acct[outside], p)
        self._last_conv_before = book.last_conversation.copy()
        touched = np.flatnonzero(self.touched)
        self.touched[touched] = False
        if touched.shape[0]:
            units = self.complaint_units[touched]
            today_attempts = book.attempt_ring[touched, d % self.window]
            at_cap = (today_attempts >= lim.per_day) if lim.per_day is not None else \
                np.zeros(touched.shape[0], bool)
            chance = bh.complaint_probability(units, self._attempts_7d(touched, d), at_cap, b)
            hit = touched[self.streams["complaints"].random(touched.shape[0]) < chance]
            self.today["complaints"] += hit.shape[0]
            self.complaints_total += hit.shape[0]
            self.cost("complaints", b.complaints.cost * hit.shape[0])
            if self.log is not None:
                self.log.add("complaint", d, hit)
            self.complaint_units[touched] = 0.0
            self.conv_today[touched] = False
            self.offer_today[touched] = 0

    def _record(self, d: int) -> None:
        book, t = self.book, self.today
        row: dict[str, float] = {"day": d}
        live = book.state == State.DELINQUENT
        idx = np.flatnonzero(live)
        buckets = bucket_of(book.dpd[idx])
        counts = np.bincount(buckets, minlength=6)
        sums = np.bincount(buckets, weights=book.balance[idx], minlength=6)
        for i, label in enumerate(BUCKET_LABELS):
            row[f"accounts_{label}"] = int(counts[i])
            row[f"balance_{label}"] = float(sums[i]) / self.scale
        states = np.bincount(book.state, minlength=6)
        for s in State:
            row[f"state_{s.name.lower()}"] = int(states[s])
        row["balance_in_collections"] = float(book.balance[idx].sum()) / self.scale
        for source in PAYMENT_SOURCES:
            row[f"paid_{source}"] = t.get(f"paid_{source}", 0) / self.scale
        row["collected"] = sum(row[f"paid_{s}"] for s in PAYMENT_SOURCES)
        t["cost_staff"] = t.get("staff_cost_minor", 0)
        for line in COST_LINES:
            row[f"cost_{line}"] = t.get(f"cost_{line}", 0) / self.scale
        row["cost_total"] = sum(row[f"cost_{line}"] for line in COST_LINES)
        for key in ("agent_attempts", "agent_connected", "agent_rpc", "agent_ptp", "robot_attempts",
                    "robot_contacts", "field_visits", "contacts", "promises", "promises_due",
                    "promises_kept", "promises_broken", "complaints", "breaches", "cured",
                    "closed", "settled", "charged_off", "plans_started", "plans_broken",
                    "plans_completed", "legal_filed", "placed_agency", "sent_sms", "sent_email",
                    "sent_letter", "worklist", "inbound_offered", "inbound_answered",
                    "inbound_abandoned", "inbound_within_sl", "inbound_prompted"):
            row[key] = int(t.get(key, 0))
        for key in ("inbound_wait_minutes", "inbound_busy_minutes", "inbound_queue_area",
                    "handle_minutes"):
            row[key] = float(t.get(key, 0.0))
        row["charged_off_amount"] = t.get("charged_off_amount", 0) / self.scale
        avail = float(self.available_out[:, d].sum() + self.available_in[:, d].sum())
        busy = row["handle_minutes"] + row["inbound_busy_minutes"]
        row["agent_available_minutes"] = avail
        row["agent_occupancy"] = busy / avail if avail > 0 else float("nan")
        offered = row["inbound_offered"]
        nan = float("nan")
        row["inbound_service_level"] = row["inbound_within_sl"] / offered if offered else nan
        row["inbound_abandon_rate"] = row["inbound_abandoned"] / offered if offered else nan
        self.daily.append(row)
        for cost_key in COST_LINES:
            self.ledger.setdefault(f"cost_{cost_key}", 0)
            self.ledger[f"cost_{cost_key}"] += int(t.get(f"cost_{cost_key}", 0))

    # -- result -----------------------------------------------------------------------------
    def result(self, wall_seconds: float) -> RunResult:
        """Package records, KPIs and metadata."""
        book = self.book
        seen = book.state != State.PENDING
        outstanding = int(book.balance[(book.state != State.CHARGED_OFF)].sum())
        off_book = int(book.balance[book.state == State.CHARGED_OFF].sum())
        led = dict(self.ledger)
        led["outstanding"] = outstanding
        led["charged_off_remaining"] = off_book
        on_book_collected = led["collected"] - led["recovered_after_writeoff"]
        led["balanced"] = int(
            led["opening"] + led["fees"]
            == on_book_collected + led["charged_off"] + led["forgiven"] + outstanding
        )
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
            "outstanding_in_collections": int(book.balance[
                (book.state == State.DELINQUENT) | (book.state == State.PLAN)].sum()),
            "score_auc": realised_auc(book.score[seen], book.payer[seen]),
            "balance_restored": int(book.restored_balance.sum()),
        }
        from sim.kpis import account_summary

        return RunResult(
            daily_rows=self.daily,
            accounts=account_summary(book, self.cal),
            meta=meta,
            targets=dict(self.sc.targets),
            events=self.log,
            blocks=self.floor.blocks,
            warmup_days=self.sc.horizon.warmup_days,
            writeoff_dpd=self.sc.channels.writeoff.dpd,
        )


def _unique(idx: I64) -> I64:
    """Sorted distinct values (cheaper than ``np.unique`` for small index arrays)."""
    s = np.sort(idx)
    if s.shape[0] < 2:
        return s
    keep = np.empty(s.shape[0], bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def _largest_remainder(total: int, shares: list[float]) -> list[int]:
    """Split ``total`` people by ``shares`` into integers that add up exactly."""
    raw = [total * s / (sum(shares) or 1.0) for s in shares]
    base = [math.floor(r) for r in raw]
    left = total - sum(base)
    order = sorted(range(len(raw)), key=lambda i: raw[i] - base[i], reverse=True)
    for i in order[:left]:
        base[i] += 1
    return base
