"""The morning of a simulated day: ageing, the strategy's plan and the daily batches.

New accounts arrive at 1 DPD; everyone else ages one day (a missed cycle adds the next
instalment and the late fee; the acceleration DPD makes the whole balance due; the
write-off DPD charges the account off). The strategy then plans the day through a
read-only :class:`sim.strategy.BookView`, and the cheap channels go out as vectorised
batches: messages, letters, bureau reports, agency placements, legal filings and
repossessions, field visits (a daily quota), and the robot batch at its fixed local
time. Inbound callbacks are scheduled as SimPy processes, and each team receives its
worklist, already cut to what the contact policy allows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from sim import behaviour as bh
from sim import channels as chn
from sim import ledger as lg
from sim.book import NO_DAY
from sim.calendar import MINUTES_PER_DAY
from sim.floor import CallDraws, Pass, ZoneList
from sim.payment_history import History
from sim.run_state import F64, I64, B, RunState
from sim.scenario.base import minutes
from sim.stages import LATE_START, MID_START, NEVER, State, stage_of
from sim.strategy import NO_OFFER, RESTRUCTURE, BookView, DailyPlan


class Morning(RunState):
    """The start-of-day steps."""

    def open_day(self, d: int) -> None:
        """Arrivals, ageing, write-off, the strategy's plan and the morning batches."""
        self.ledger.open_day()
        self._day = d
        book, sc = self.book, self.sc
        day_start = d * MINUTES_PER_DAY
        if not self.untreated:  # nobody is ever dialled in an untreated run
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
            self.ledger.add_opening(int(book.balance[: self.inflow_starts[0]].sum()))
        # No inflow in the run-off past the horizon.
        new = (np.arange(self.inflow_starts[d], self.inflow_starts[d + 1]) if d < self.days
               else np.zeros(0, np.int64))
        if new.shape[0]:
            book.state[new] = State.DELINQUENT
            book.dpd[new] = 1
            self.ledger.add_opening(int(book.balance[new].sum()))
            self.add_fee(new, fee)
            book.balance_at_1[new] = book.balance[new]
            if self.log is not None:
                self.log.add("arrive", d, new, amount=book.balance[new])
        active = np.flatnonzero(book.state == State.DELINQUENT)
        if self.untreated:
            # Nothing to plan or send (the untreated twin): only spontaneous callers,
            # drawn exactly as a treated run draws them, who go unanswered -- and only
            # when the daily records are kept: they touch no account and no money.
            if self.keep_records:
                self._schedule_inbound(d, np.zeros(0, np.int64), active, day_start)
            return
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
        self.written_off_owing.add(idx)
        self.ledger.charge_off(int(idx.shape[0]), int(book.balance[idx].sum()))
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
            history=History(book, active, d, self.scale),
        )

    @staticmethod
    def _check_plan(plan: DailyPlan, n: int) -> None:
        arrays: list[npt.NDArray[Any]] = [
            plan.call_attempts, plan.call_team, plan.offer, plan.priority,
            *(plan.masks.get(a, np.zeros(n, bool)) for a in chn.mask_actions())]
        if any(a.shape != (n,) for a in arrays):
            raise ValueError(f"strategy plan arrays must all have length {n} (one per account)")

    def _morning_batches(self, d: int, active: I64, view: BookView, plan: DailyPlan,
                         day_start: int) -> None:
        sc, book, ch = self.sc, self.book, self.sc.channels
        masks = {a: plan.masks.get(a, np.zeros(len(view), bool)) for a in chn.mask_actions()}
        # Re-ageing policy: no plan offer once an account has used up its re-ageings.
        offer = np.where((plan.offer == RESTRUCTURE)
                         & (book.plans_started[active] >= ch.restructure.max_reagings),
                         NO_OFFER, plan.offer)
        self.offer_today[active] = offer
        self.touched[active[offer > 0]] = True
        callbacks: list[I64] = []
        # Messages: a reminder, some pressure, and a chance the debtor calls back.
        for decl, channel in ((chn.SMS, ch.sms), (chn.EMAIL, ch.email)):
            sent = active[masks[decl.name]]
            self.ledger.count(decl.sent, sent.shape[0])
            self.cost(decl, channel.cost * sent.shape[0])
            book.pressure[sent] += channel.pressure
            self._complaint_units(sent, sc.behaviour.complaints.per_message)
            callbacks.append(sent[self.streams["callbacks"].random(sent.shape[0])
                                  < channel.callback_rate])
            if self.log is not None:
                self.log.add(decl.name, d, sent)
        letters = active[masks["letter"]]
        self.cost(chn.LETTER, ch.letter.cost * letters.shape[0])
        self.ledger.count(chn.SENT_LETTER, letters.shape[0])
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
        self.anyone_reported |= reported.shape[0] > 0
        self.cost(chn.BUREAU, ch.bureau.cost * reported.shape[0])
        placed = active[masks["agency"]]
        book.placed_until[placed] = d + ch.agency.placement_days
        book.placed_day[placed] = d
        self.with_agency.add(placed)
        self.ledger.count(chn.PLACED_AGENCY, placed.shape[0])
        for decl in chn.registered():
            self._declared_batch(decl, d, active[masks[decl.name]], callbacks)
        self._one_offs(d, active, masks, plan)
        if self.log is not None:
            self.log.add("bureau", d, reported)
            self.log.add("agency_placed", d, placed)
        self._field_visits(d, active, masks["field_visit"], plan.priority)
        # Callers still queued from yesterday count as arrivals: the robot and the
        # worklists must not dial an account whose call is about to be answered.
        arrivals = np.concatenate((
            self._schedule_inbound(d, np.concatenate(callbacks), active, day_start),
            self.desk.queued_accounts()))
        robot = self._robot_batch(d, active[masks["robot"]], arrivals)
        self._build_worklists(d, active, plan, np.concatenate((robot, arrivals)), day_start)
        self.ledger.cost_minor(lg.STAFF, int(self.staff_cost[d]))

    def _declared_batch(self, decl: chn.Channel, d: int, sent: I64, callbacks: list[I64]) -> None:
        """A registered batch channel: book its cost and count, then let it act."""
        assert decl.unit_cost is not None  # register() refuses a channel without one
        self.ledger.count(decl.sent, sent.shape[0])
        self.cost(decl, decl.unit_cost(self.sc) * sent.shape[0])
        if decl.apply is not None and sent.shape[0]:
            decl.apply(Batch(self, decl, callbacks), sent, d)
        if self.log is not None:
            self.log.add(decl.name, d, sent)

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
            self.judgments_due.add(d + ch.legal.delay_days, sued)
            self.cost(chn.LEGAL, ch.legal.filing_fee * sued.shape[0])
            self.ledger.count(chn.LEGAL_FILED, sued.shape[0])
            if self.log is not None:
                self.log.add("legal_filed", d, sued)
        repo = active[masks["repossess"] & (book.repo_day[active] == NEVER)]
        book.repo_day[repo] = d + ch.repossession.delay_days
        self.sales_due.add(d + ch.repossession.delay_days, repo)
        self.cost(chn.REPOSSESS, ch.repossession.cost * repo.shape[0])
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
        self.cost(chn.FIELD_VISIT, ch.cost * idx.shape[0])
        book.pressure[idx] += ch.pressure
        self._complaint_units(idx, b.complaints.per_field_visit)
        self.ledger.count(chn.FIELD_VISITS, idx.shape[0])
        reached = idx[met]
        self._contacted(reached, d)
        shift = b.promise.field_shift
        promised = reached[rng.random(reached.shape[0]) < self._promise_p(reached, d, shift)]
        self._make_promises(promised, d, "field")
        if self.log is not None:
            self.log.add("field_visit", d, idx, detail=np.where(met, "met", "not_met"))

    def _schedule_inbound(self, d: int, prompted: I64, active: I64, day_start: int) -> I64:
        """Create today's inbound callers; return accounts calling in (for the quiet rule)."""
        ch = self.sc.channels.inbound
        rng = self.streams["inbound"]
        k = rng.poisson(ch.spontaneous_rate * active.shape[0]) if active.shape[0] else 0
        spontaneous = active[rng.integers(0, active.shape[0], size=k)] if k else active[:0]
        callers = np.concatenate((prompted, spontaneous)).astype(np.int64)
        n = callers.shape[0]
        self.ledger.count(chn.INBOUND_PROMPTED, prompted.shape[0])
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
        # The draws above are made whoever answers, so a run with no seats (the untreated
        # twin) sees the same random numbers as one with seats.
        if not self.team_names:
            # No team at all: every caller is offered and goes unanswered.
            self.ledger.count(chn.INBOUND_OFFERED, n)
            self.ledger.count(chn.INBOUND_ABANDONED, n)
            return callers
        seatless = [t for t, c in enumerate(self.desk.capacity) if c == 0]
        for t in seatless:
            self.desk.unanswered(t, int((team == t).sum()))
        for i, (t, acct, when) in enumerate(zip(team.tolist(), callers.tolist(), at.tolist(),
                                                strict=True)):
            if self.desk.capacity[t] > 0:
                self.env.process(self.desk.caller(t, acct, when, patience[i], service[i],
                                                  draw[i]))
        return callers

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
        hour = self.hour_profile[call_time // 60] * self.season_contact[d]
        p = bh.contact_probability(self.robot_contact[stage], hour,
                                   self.seg_contact[book.segment[idx]],
                                   self._attempts_7d(idx, d), b)
        reached = rng.random(n) < p
        promise = reached & (rng.random(n) < bh.sigmoid(
            self._promise_logit(idx, d) - self.ptp_logit[stage]
            + bh.logit(b.promise.robot_ptp_rate)))
        book.attempt_ring[idx, d % self.window] += 1
        self.cost(chn.ROBOT, sc.channels.robot.cost_per_attempt * n)
        book.pressure[idx] += sc.channels.robot.pressure * (1 + reached)
        self._complaint_units(idx, b.complaints.per_robot_attempt)
        self.ledger.count(chn.ROBOT_ATTEMPTS, n)
        self.ledger.count(chn.ROBOT_CONTACTS, int(reached.sum()))
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
        self.ledger.count(chn.WORKLIST, sel.shape[0])

    def _call_draws(self, acct: I64) -> CallDraws:
        """Pre-drawn uniforms for a pass, transformed for one-comparison outcomes."""
        book, b = self.book, self.sc.behaviour
        d = self._day
        rng = self.streams["calls"]
        n = acct.shape[0]
        stage = stage_of(book.dpd[acct])
        base = bh.contact_probability(self.agent_contact[stage], self.season_contact[d],
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


class Batch:
    """What a declared batch channel may do to the accounts it worked today.

    This is the channel's whole interface to the run: its own random stream, its
    declared counts, pressure on the debtor, complaint risk and callbacks. It cannot
    book money (the engine books its ``unit_cost``) or touch anything else of the run.
    """

    def __init__(self, run: RunState, channel: chn.Channel, callbacks: list[I64]) -> None:
        self._run = run
        self._channel = channel
        self._callbacks = callbacks
        self.rng = run.streams[f"channel:{channel.name}"]
        """The channel's own stream: its draws leave every other source's untouched."""

    def count(self, measure: lg.Count, n: int) -> None:
        """Add to one of the channel's declared counts."""
        if measure not in self._channel.counts:
            raise KeyError(f"channel {self._channel.name!r} does not declare {measure.name!r}")
        self._run.ledger.count(measure, n)

    def pressure(self, idx: I64, amount: float) -> None:
        """Add collection pressure (it raises the debtors' cure hazard, then decays)."""
        self._run.book.pressure[idx] += amount

    def complaint_risk(self, idx: I64, p: float) -> None:
        """Each account worked carries a complaint chance ``p`` into today's draw."""
        self._run._complaint_units(idx, p)

    def call_back(self, idx: I64) -> None:
        """These debtors call in today (queued for the inbound desk)."""
        self._callbacks.append(np.asarray(idx, np.int64))
