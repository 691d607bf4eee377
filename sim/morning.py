"""The morning of a simulated day: ageing, the strategy's plan and the daily batches.

New accounts arrive at 1 DPD; everyone else ages one day (a missed cycle adds the next
instalment and the late fee; the acceleration DPD makes the whole balance due; the
write-off DPD charges the account off). The strategy then plans the day through a
read-only :class:`sim.strategy.BookView`, and the cheap channels go out as vectorised
batches: messages, letters, bureau reports, agency placements, legal filings and
repossessions, field visits (a daily quota), and the robot batch at its fixed local
time. Inbound callbacks are scheduled as SimPy processes, and each team receives its
worklist, already cut to what the contact policy allows.

:class:`Morning` is built from what it uses -- the run's context, the book, the ledger,
the policy, the floor and the promise maker -- and reaches nothing else.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sim import behaviour as bh
from sim import channels as chn
from sim import ledger as lg
from sim.accounts import Accounts
from sim.book import NO_DAY
from sim.calendar import MINUTES_PER_DAY
from sim.floor import CallDraws, Pass, ZoneList
from sim.ledger import Ledger
from sim.payment_history import History
from sim.policy import Policy
from sim.promises import Promises
from sim.run_state import F64, I64, B, RunContext
from sim.scenario.base import minutes
from sim.scenario.root import Scenario
from sim.staffed_floor import StaffedFloor
from sim.stages import LATE_START, MID_START, NEVER, State, stage_of
from sim.strategy import NO_OFFER, RESTRUCTURE, BookView, DailyPlan


class Morning:
    """The start-of-day steps."""

    __slots__ = (
        "_accounts",
        "_ctx",
        "_day",
        "_floor",
        "_inflow_starts",
        "_ledger",
        "_policy",
        "_promises",
    )

    def __init__(self, ctx: RunContext, accounts: Accounts, ledger: Ledger, policy: Policy,
                 floor: StaffedFloor, promises: Promises, inflow_starts: I64) -> None:
        self._ctx = ctx
        self._accounts = accounts
        self._ledger = ledger
        self._policy = policy
        self._floor = floor
        self._promises = promises
        self._inflow_starts = inflow_starts
        """Index of the first inflow account of each day (the book is drawn up front)."""
        self._day = 0

    def open_day(self, d: int) -> None:
        """Arrivals, ageing, write-off, the strategy's plan and the morning batches."""
        ctx, accounts, led = self._ctx, self._accounts, self._ledger
        led.open_day()
        self._day = d
        book, sc = accounts.columns, ctx.sc
        day_start = d * MINUTES_PER_DAY
        if not ctx.untreated:  # nobody is ever dialled in an untreated run
            book.attempt_ring[:, d % accounts.window] = 0
        fee = round(sc.portfolio.late_fee * ctx.scale)
        # Ageing of those already delinquent (the book's DPD is as of day 0).
        active = np.flatnonzero(book.state == State.DELINQUENT)
        if d > 0 and active.shape[0]:
            book.dpd[active] += 1
            dpd = book.dpd[active]
            cycle = active[(dpd % 30 == 1) & (dpd > 1)]
            book.due[cycle] = np.minimum(book.due[cycle] + book.instalment[cycle],
                                         book.balance[cycle])
            accounts.add_fee(cycle, fee, led)
            self._stage_entries(active, dpd, d)
            hit = active[dpd == sc.portfolio.accelerate_at_dpd]
            book.due[hit] = book.balance[hit]
            accounts.charge_off(active[dpd >= sc.channels.writeoff.dpd], d, led)
        # Arrivals at 1 DPD.
        starts = self._inflow_starts
        if d == 0:
            led.add_opening(int(book.balance[: starts[0]].sum()))
        # No inflow in the run-off past the horizon.
        new = (np.arange(starts[d], starts[d + 1]) if d < ctx.days else np.zeros(0, np.int64))
        if new.shape[0]:
            book.state[new] = State.DELINQUENT
            book.dpd[new] = 1
            led.add_opening(int(book.balance[new].sum()))
            accounts.add_fee(new, fee, led)
            book.balance_at_1[new] = book.balance[new]
            if ctx.log is not None:
                ctx.log.add("arrive", d, new, amount=book.balance[new])
        active = np.flatnonzero(book.state == State.DELINQUENT)
        if ctx.untreated:
            # Nothing to plan or send (the untreated twin): only spontaneous callers,
            # drawn exactly as a treated run draws them, who go unanswered -- and only
            # when the daily records are kept: they touch no account and no money.
            if ctx.keep_records:
                self._schedule_inbound(d, np.zeros(0, np.int64), active)
            return
        view = self._view(active, d)
        plan = self._policy.plan(view)
        self._morning_batches(d, active, view, plan, day_start)

    def _stage_entries(self, active: I64, dpd: npt.NDArray[np.int16], d: int) -> None:
        book, log = self._accounts.columns, self._ctx.log
        for start, entered, bal in ((MID_START, book.entered_31, book.balance_at_31),
                                    (LATE_START, book.entered_91, book.balance_at_91)):
            hit = active[dpd == start]
            first = hit[entered[hit] == NEVER]
            entered[first] = d
            bal[first] = book.balance[first]
            if log is not None:
                log.add(f"dpd_{start}", d, hit, amount=book.balance[hit])

    def _view(self, active: I64, d: int) -> BookView:
        book, ctx, floor = self._accounts.columns, self._ctx, self._floor
        dpd = book.dpd[active]
        return BookView(
            day=d,
            is_business_day=bool(ctx.cal.is_business_day[d]),
            index=active,
            dpd=dpd,
            stage=stage_of(dpd),
            segment=book.segment[active],
            segment_names=tuple(ctx.sc.portfolio.segments),
            balance=book.balance[active] / ctx.scale,
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
            team_names=floor.team_names,
            team_of_stage=floor.team_of_stage,
            history=History(book, active, d, ctx.scale),
        )

    def _morning_batches(self, d: int, active: I64, view: BookView, plan: DailyPlan,
                         day_start: int) -> None:
        ctx, accounts, led = self._ctx, self._accounts, self._ledger
        book, ch, log = accounts.columns, ctx.sc.channels, ctx.log
        masks = {a: plan.masks.get(a, np.zeros(len(view), bool)) for a in chn.mask_actions()}
        # Re-ageing policy: no plan offer once an account has used up its re-ageings.
        offer = np.where((plan.offer == RESTRUCTURE)
                         & (book.plans_started[active] >= ch.restructure.max_reagings),
                         NO_OFFER, plan.offer)
        accounts.offer_today[active] = offer
        accounts.touched[active[offer > 0]] = True
        callbacks: list[I64] = [np.zeros(0, np.int64)]  # who calls back today
        # Messages and letters: a reminder, some pressure, and a chance the debtor calls back.
        for decl in chn.generic_built_ins():
            self._declared_batch(decl, d, active[masks[decl.name]], callbacks)
        reported = active[masks["bureau"]]
        accounts.mark_reported(reported)
        chn.charge(self._ledger, chn.BUREAU, ch.bureau.cost * reported.shape[0])
        placed = active[masks["agency"]]
        book.placed_until[placed] = d + ch.agency.placement_days
        book.placed_day[placed] = d
        accounts.with_agency.add(placed)
        led.count(chn.PLACED_AGENCY, placed.shape[0])
        for decl in chn.registered():
            self._declared_batch(decl, d, active[masks[decl.name]], callbacks)
        self._one_offs(d, active, masks, plan)
        if log is not None:
            log.add("bureau", d, reported)
            log.add("agency_placed", d, placed)
        self._field_visits(d, active, masks["field_visit"], plan.priority)
        # Callers still queued from yesterday count as arrivals: the robot and the
        # worklists must not dial an account whose call is about to be answered.
        arrivals = np.concatenate((
            self._schedule_inbound(d, np.concatenate(callbacks), active),
            self._floor.desk.queued_accounts()))
        robot = self._robot_batch(d, active[masks["robot"]], arrivals)
        self._build_worklists(d, active, plan, np.concatenate((robot, arrivals)), day_start)
        led.cost_minor(lg.STAFF, int(self._floor.staff_cost[d]))

    def _declared_batch(self, decl: chn.Channel, d: int, sent: I64, callbacks: list[I64]) -> None:
        """A batch channel run from its declaration: book its cost and count, then let it act."""
        assert decl.unit_cost is not None  # register() refuses a channel without one
        ctx, accounts = self._ctx, self._accounts
        self._ledger.count(decl.sent, sent.shape[0])
        chn.charge(self._ledger, decl, decl.unit_cost(ctx.sc) * sent.shape[0])
        worked = sent
        if decl.arrives_after is not None:
            # Posted today, read on arrival: today's work is what arrives today.
            accounts.post(decl.name, d + decl.arrives_after(ctx.sc), sent)
            worked = accounts.arrivals(decl.name, d)
        if decl.apply is not None and worked.shape[0]:
            rng = ctx.streams[decl.stream or f"channel:{decl.name}"]
            decl.apply(Batch(ctx.sc, accounts, self._ledger, decl, callbacks, rng), worked, d)
        if ctx.log is not None:
            ctx.log.add(decl.name, d, sent)

    def _one_offs(self, d: int, active: I64, masks: dict[str, B], plan: DailyPlan) -> None:
        ctx, accounts = self._ctx, self._accounts
        book, ch, log = accounts.columns, ctx.sc.channels, ctx.log
        # Legal filings: biggest priority first, up to the legal team's daily capacity.
        cand = np.flatnonzero(masks["legal"] & (book.balance[active] >=
                                                ch.legal.min_balance * ctx.scale))
        if ctx.cal.is_business_day[d] and cand.shape[0]:
            cand = cand[np.argsort(-plan.priority[cand], kind="stable")][: ch.legal.filings_per_day]
            sued = active[cand]
            book.sued[sued] = True
            book.legal_day[sued] = d + ch.legal.delay_days
            accounts.judgments_due.add(d + ch.legal.delay_days, sued)
            chn.charge(self._ledger, chn.LEGAL, ch.legal.filing_fee * sued.shape[0])
            self._ledger.count(chn.LEGAL_FILED, sued.shape[0])
            if log is not None:
                log.add("legal_filed", d, sued)
        repo = active[masks["repossess"] & (book.repo_day[active] == NEVER)]
        book.repo_day[repo] = d + ch.repossession.delay_days
        accounts.sales_due.add(d + ch.repossession.delay_days, repo)
        chn.charge(self._ledger, chn.REPOSSESS, ch.repossession.cost * repo.shape[0])
        if log is not None:
            log.add("repossession", d, repo)

    def _field_visits(self, d: int, active: I64, mask: B, priority: F64) -> None:
        """Field visits: capacity-limited per business day (a daily quota, not SimPy)."""
        ctx, accounts = self._ctx, self._accounts
        ch, b = ctx.sc.channels.field_visit, ctx.sc.behaviour
        if not ctx.cal.is_business_day[d] or not mask.any():
            return
        cand = np.flatnonzero(mask)
        cand = cand[np.argsort(-priority[cand], kind="stable")][: ch.visits_per_day]
        idx = active[cand]
        book = accounts.columns
        rng = ctx.streams["field"]
        met = (rng.random(idx.shape[0])
               < b.contact.field_visit * ctx.rates.seg_contact[book.segment[idx]])
        chn.charge(self._ledger, chn.FIELD_VISIT, ch.cost * idx.shape[0])
        book.pressure[idx] += ch.pressure
        accounts.add_complaint_risk(idx, b.complaints.per_field_visit)
        self._ledger.count(chn.FIELD_VISITS, idx.shape[0])
        reached = idx[met]
        accounts.contacted(reached, d, self._ledger)
        shift = b.promise.field_shift
        promised = reached[rng.random(reached.shape[0])
                           < self._promises.chance(reached, d, shift)]
        self._promises.make(promised, d, "field")
        if ctx.log is not None:
            ctx.log.add("field_visit", d, idx, detail=np.where(met, "met", "not_met"))

    def _schedule_inbound(self, d: int, prompted: I64, active: I64) -> I64:
        """Create today's inbound callers; return accounts calling in (for the quiet rule)."""
        ctx, floor, led = self._ctx, self._floor, self._ledger
        ch = ctx.sc.channels.inbound
        rng = ctx.streams["inbound"]
        k = rng.poisson(ch.spontaneous_rate * active.shape[0]) if active.shape[0] else 0
        spontaneous = active[rng.integers(0, active.shape[0], size=k)] if k else active[:0]
        callers = np.concatenate((prompted, spontaneous)).astype(np.int64)
        n = callers.shape[0]
        led.count(chn.INBOUND_PROMPTED, prompted.shape[0])
        if n == 0:
            return callers
        wh = ctx.sc.calendar.working_hours
        start, end = wh.start_minute, wh.end_minute
        at = np.asarray(start + rng.random(n) * max(end - start, 0), np.float64)
        stage = stage_of(np.maximum(self._accounts.columns.dpd[callers], 1))
        team = floor.inbound_route[stage]
        mean = ch.patience_minutes
        patience = None if mean is None else np.asarray(rng.exponential(mean, n))
        service = floor.inbound_service(team, rng)
        draw = np.asarray(rng.random(n))
        # The draws above are made whoever answers, so a run with no seats (the untreated
        # twin) sees the same random numbers as one with seats.
        if not floor.team_names:
            # No team at all: every caller is offered and goes unanswered.
            led.count(chn.INBOUND_OFFERED, n)
            led.count(chn.INBOUND_ABANDONED, n)
            return callers
        floor.queue_callers(team, callers, at, patience, service, draw)
        return callers

    def _robot_batch(self, d: int, idx: I64, inbound_callers: I64) -> I64:
        """Robot calls at a fixed local time; returns the accounts dialled."""
        ctx, accounts, policy, led = self._ctx, self._accounts, self._policy, self._ledger
        sc, book, b, rates = ctx.sc, accounts.columns, ctx.sc.behaviour, ctx.rates
        call_time = minutes(sc.channels.robot.call_time)
        if idx.shape[0] == 0:
            return idx
        if not policy.may_call_at(call_time):
            return idx[:0]
        idx = idx[policy.allowed(book, accounts.conv_today, idx, d) > 0]
        if policy.quiet and inbound_callers.shape[0]:
            # A debtor who calls in today may talk to us before the robot rings: skip them.
            idx = idx[~np.isin(idx, inbound_callers)]
        site_minute = call_time - ctx.cal.zone_offset_minutes[book.zone[idx], d]
        # A robot call that would fall on another local day than the site's is skipped.
        fits = (site_minute >= 0) & (site_minute < MINUTES_PER_DAY)
        idx, site_minute = idx[fits], site_minute[fits]
        n = idx.shape[0]
        if n == 0:
            return idx
        rng = ctx.streams["robot"]
        stage = stage_of(book.dpd[idx])
        hour = rates.hour_profile[call_time // 60] * rates.season_contact[d]
        p = bh.contact_probability(rates.robot_contact[stage], hour,
                                   rates.seg_contact[book.segment[idx]],
                                   accounts.attempts(idx, d, 7), b)
        reached = rng.random(n) < p
        promise = reached & (rng.random(n) < bh.sigmoid(
            self._promises.logit(idx, d) - rates.ptp_logit[stage]
            + bh.logit(b.promise.robot_ptp_rate)))
        book.attempt_ring[idx, d % accounts.window] += 1
        chn.charge(self._ledger, chn.ROBOT, sc.channels.robot.cost_per_attempt * n)
        book.pressure[idx] += sc.channels.robot.pressure * (1 + reached)
        accounts.add_complaint_risk(idx, b.complaints.per_robot_attempt)
        led.count(chn.ROBOT_ATTEMPTS, n)
        led.count(chn.ROBOT_CONTACTS, int(reached.sum()))
        hit = idx[reached]
        accounts.conv_today[hit] = True
        accounts.touched[hit] = True
        book.last_conversation[hit] = d
        accounts.contacted(hit, d, led)
        self._promises.make(idx[promise], d, "robot")
        times = (d * MINUTES_PER_DAY + site_minute).astype(np.float64)
        record_calls(ctx, accounts, policy, idx, times, reached, np.ones(n, bool), d)
        if ctx.log is not None:
            ctx.log.add("robot_call", d, idx, minute=times,
                        detail=np.where(reached, "contact", "no_contact"))
        return idx

    def _build_worklists(self, d: int, active: I64, plan: DailyPlan, busy: I64,
                         day_start: int) -> None:
        """Every team's worklist for today, cut to what the contact policy allows.

        ``busy`` are accounts the robot dials or who will call in today: with a quiet
        period after conversations, agents leave them alone today, because a work block
        is planned before a conversation that may happen during it."""
        ctx, accounts, policy, floor = self._ctx, self._accounts, self._policy, self._floor
        book, zone_offset = accounts.columns, ctx.cal.zone_offset_minutes
        want = plan.call_attempts > 0
        team = np.where(plan.call_team >= 0, plan.call_team,
                        floor.team_of_stage[stage_of(book.dpd[active])])
        want &= team >= 0
        sel = np.flatnonzero(want)
        allowed = np.minimum(policy.allowed(book, accounts.conv_today, active[sel], d),
                             plan.call_attempts[sel])
        sel, allowed = sel[allowed > 0], allowed[allowed > 0]
        if policy.quiet and busy.shape[0]:
            clear = ~np.isin(active[sel], busy)
            sel, allowed = sel[clear], allowed[clear]
        team = team[sel]
        order = np.argsort(-plan.priority[sel], kind="stable")
        sel, allowed, team = sel[order], allowed[order], team[order]
        zones = book.zone[active[sel]]
        ws, we = policy.dial_window
        for t in range(len(floor.team_names)):
            lists = []
            for z in range(zone_offset.shape[0]):
                rows = (team == t) & (zones == z)
                if not rows.any():
                    continue
                off = int(zone_offset[z, d])
                lo, hi = max(ws - off, 0), min(we - off, MINUTES_PER_DAY)
                if lo >= hi:
                    continue
                acct = active[sel[rows]]
                lists.append(ZoneList(
                    zone=z, window_open=day_start + lo, window_close=day_start + hi,
                    local_offset=off,
                    passes=[Pass(account=acct, priority=plan.priority[sel[rows]],
                                 allowed=allowed[rows].astype(np.int8), number=1,
                                 open_at=float(day_start), draws=self.call_draws(acct))]))
            floor.outbound.set_worklist(t, float(day_start), lists)
        self._ledger.count(chn.WORKLIST, sel.shape[0])

    def call_draws(self, acct: I64) -> CallDraws:
        """Pre-drawn uniforms for a pass, transformed for one-comparison outcomes (the
        floor calls this for every pass, the retry passes included)."""
        ctx, accounts = self._ctx, self._accounts
        book, b, rates = accounts.columns, ctx.sc.behaviour, ctx.rates
        d = self._day
        rng = ctx.streams["calls"]
        n = acct.shape[0]
        stage = stage_of(book.dpd[acct])
        base = bh.contact_probability(rates.agent_contact[stage], rates.season_contact[d],
                                      rates.seg_contact[book.segment[acct]],
                                      accounts.attempts(acct, d, 7), b)
        wrong = b.contact.wrong_party
        u = rng.random(n)
        with np.errstate(divide="ignore"):
            rpc_ratio = np.where(base > 0, u / np.maximum(base, 1e-300), np.inf)
            conn_ratio = u / np.maximum(base + wrong, 1e-300)
        v = np.clip(rng.random(n), 1e-12, 1 - 1e-12)
        gap = np.log(v / (1 - v)) - self._promises.logit(acct, d)
        return CallDraws(rpc_ratio=rpc_ratio, conn_ratio=conn_ratio, promise_gap=gap,
                         noise=self._floor.handle_noise(rng, n))


def record_calls(ctx: RunContext, accounts: Accounts, policy: Policy, idx: I64, times: F64,
                 connected: B, by_us: B, d: int) -> None:
    """Remember today's calls for the breach count and the contact log (debtor local time)."""
    local = (times + ctx.cal.zone_offset_minutes[accounts.columns.zone[idx], d]).astype(np.int64)
    policy.record_calls(idx, times, local, connected, by_us)
    if ctx.log is not None:
        ctx.log.add_contacts(idx, local, connected, by_us)


class Batch:
    """What a declared batch channel may do to the accounts it worked today.

    This is the channel's whole interface to the run: the scenario (read-only), its own
    random stream, its declared counts, pressure on the debtor, complaint risk and
    callbacks. It cannot
    book money (the engine books its ``unit_cost``) or touch anything else of the run.
    """

    __slots__ = ("_accounts", "_callbacks", "_channel", "_ledger", "rng", "scenario")

    def __init__(self, scenario: Scenario, accounts: Accounts, ledger: Ledger,
                 channel: chn.Channel, callbacks: list[I64], rng: np.random.Generator) -> None:
        self.scenario = scenario
        """The run's scenario (read-only): where the channel finds its parameters."""
        self._accounts = accounts
        self._ledger = ledger
        self._channel = channel
        self._callbacks = callbacks
        self.rng = rng
        """The channel's own stream: its draws leave every other source's untouched."""

    def count(self, measure: lg.Count, n: int) -> None:
        """Add to one of the channel's declared counts."""
        if measure not in self._channel.counts:
            raise KeyError(f"channel {self._channel.name!r} does not declare {measure.name!r}")
        self._ledger.count(measure, n)

    def pressure(self, idx: I64, amount: float) -> None:
        """Add collection pressure (it raises the debtors' cure hazard, then decays)."""
        self._accounts.columns.pressure[idx] += amount

    def complaint_risk(self, idx: I64, p: float) -> None:
        """Each account worked carries a complaint chance ``p`` into today's draw."""
        self._accounts.add_complaint_risk(idx, p)

    def call_back(self, idx: I64) -> None:
        """These debtors call in today (queued for the inbound desk)."""
        self._callbacks.append(np.asarray(idx, np.int64))
