"""The evening of a simulated day: what the day's contacts led to, and who paid.

The day's outbound calls and answered callbacks are applied (contacts, fatigue,
pressure, promises); promises and plan instalments that fall due are kept or broken;
agency, legal, collateral and post-write-off recoveries arrive; untreated accounts
self-cure on their integrated-hazard thresholds and some pay in part; cured accounts may
re-default (once, within a window after the cure); complaints are
drawn from the day's contact intensity; breaches of the contact policy are counted the
way :mod:`sim.compliance` counts them; and the day's row is recorded.

:class:`Evening` is built from what it uses -- the run's context, the book, the ledger,
the policy, the floor and the promise maker -- and reaches nothing else; its output is
the daily rows (:attr:`Evening.rows`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim import behaviour as bh
from sim import channels as chn
from sim import ledger as lg
from sim import team_records
from sim.accounts import Accounts
from sim.book import Book
from sim.calendar import MINUTES_PER_DAY
from sim.channels import TEAM_INBOUND_COUNTS
from sim.floor import NO_ANSWER, PTP, RPC
from sim.index_sets import add_at
from sim.ledger import Ledger
from sim.morning import record_calls
from sim.policy import Policy
from sim.promises import KIND_FULL, KIND_PARTIAL, KIND_PLAN, KIND_SETTLE, Promises
from sim.run_state import I64, RunContext
from sim.staffed_floor import StaffedFloor
from sim.stages import (
    BUCKET_LABELS,
    LATE_START,
    MID_START,
    NEVER,
    STATE_NAMES,
    State,
    bucket_of,
    stage_of,
)
from sim.team_records import teams_of_promises


class Evening:
    """The end-of-day steps."""

    __slots__ = (
        "_accounts",
        "_ctx",
        "_floor",
        "_ledger",
        "_observer",
        "_policy",
        "_promises",
        "rows",
    )

    def __init__(self, ctx: RunContext, accounts: Accounts, ledger: Ledger, policy: Policy,
                 floor: StaffedFloor, promises: Promises,
                 observer: Callable[[int, Book], None] | None) -> None:
        self._ctx = ctx
        self._accounts = accounts
        self._ledger = ledger
        self._policy = policy
        self._floor = floor
        self._promises = promises
        self._observer = observer
        self.rows: list[dict[str, float]] = []
        """One row per day of the horizon: the book's stocks and the ledger's flows."""

    def close_day(self, d: int) -> None:
        """Apply the day's calls, payments, complaints and breaches; record the day."""
        self._apply_outbound(d)
        self._apply_inbound(d)
        self._promises_due(d)
        self._plans_due(d)
        self._late_stage(d)
        self._self_cure(d)
        self._redefault(d)
        self._complaints_and_breaches(d)
        self._record(d)
        if self._observer is not None:
            self._observer(d, self._accounts.columns)

    def _apply_outbound(self, d: int) -> None:
        ctx, accounts, led = self._ctx, self._accounts, self._ledger
        book, sc = accounts.columns, ctx.sc
        log = self._floor.outbound.harvest()
        if not log.account:
            return
        acct = np.concatenate(log.account)
        code = np.concatenate(log.code)
        start = np.concatenate(log.start)
        handle = np.concatenate(log.handle)
        n = acct.shape[0]
        add_at(book.attempt_ring[:, d % accounts.window], acct, 1)
        connected = code > NO_ANSWER
        rpc = code >= RPC
        led.count(chn.AGENT_ATTEMPTS, n)
        led.count(chn.AGENT_CONNECTED, int(connected.sum()))
        led.count(chn.AGENT_RPC, int(rpc.sum()))
        led.count(chn.AGENT_PTP, int((code == PTP).sum()))
        led.gauge(chn.HANDLE_MINUTES, float(handle.sum()))
        chn.charge(self._ledger, chn.CALL, sc.channels.call.cost_per_minute * float(handle.sum()))
        conv = acct[connected]
        book.last_conversation[conv] = d
        accounts.conv_today[conv] = True
        accounts.touched[conv] = True
        reached = acct[rpc]
        add_at(book.attempts_since_contact, acct[~rpc], 1)
        book.pressure[acct] += sc.channels.call.pressure_attempt
        call = sc.channels.call
        book.pressure[reached] += call.pressure_contact - call.pressure_attempt
        accounts.contacted(reached, d, led)
        ptp = code == PTP
        made = self._promises.make(acct[ptp], d, "agent")
        floor = self._floor
        team_of_call = floor.collector_team[np.concatenate(log.collector)]
        book.promise_team[made] = teams_of_promises(acct[ptp], team_of_call[ptp], made)
        team_records.book_calls(led, floor.team_names, team_of_call, code, handle,
                                NO_ANSWER + 1, RPC, PTP)
        accounts.add_complaint_risk(acct, sc.behaviour.complaints.per_agent_attempt)
        record_calls(ctx, accounts, self._policy, acct, start, connected, np.ones(n, bool), d)
        if ctx.log is not None:
            names = np.array(["no_answer", "wrong_party", "rpc", "ptp"])
            ctx.log.add("agent_call", d, acct, minute=start, detail=names[code])

    def _apply_inbound(self, d: int) -> None:
        ctx, accounts, led, floor = self._ctx, self._accounts, self._ledger, self._floor
        book, b = accounts.columns, ctx.sc.behaviour
        stats, answered, abandoned = floor.desk.close_day()
        for name, s in zip(floor.team_names, stats, strict=True):
            # Per team as well: who answers a stage's callers is decided by the routing,
            # so sizing one team's line needs its own load, not a share of the total.
            for kind in TEAM_INBOUND_COUNTS:
                led.count(chn.team_inbound(kind, name), getattr(s, kind))
            led.count(chn.INBOUND_OFFERED, s.offered)
            led.count(chn.INBOUND_ANSWERED, s.answered)
            led.count(chn.INBOUND_ABANDONED, s.abandoned)
            led.count(chn.INBOUND_WITHIN_SL, s.within_sl)
            led.gauge(chn.INBOUND_WAIT, s.wait_total)
            led.gauge(chn.INBOUND_BUSY, s.busy)
            led.gauge(chn.INBOUND_QUEUE_AREA, s.queue_area)
        if not answered.account:
            return
        acct = np.asarray(answered.account, np.int64)
        times = np.asarray(answered.time)
        chn.charge(self._ledger, chn.INBOUND, ctx.sc.channels.inbound.cost_per_minute
                   * sum(s.busy for s in stats))
        local = times + ctx.cal.zone_offset_minutes[book.zone[acct], d]
        book.last_conversation[acct] = np.maximum(
            book.last_conversation[acct], (local // MINUTES_PER_DAY).astype(np.int16))
        live = acct[book.state[acct] == State.DELINQUENT]
        accounts.contacted(live, d, led)
        book.pressure[live] += ctx.sc.channels.call.pressure_contact
        draws = np.asarray(answered.draw)[book.state[acct] == State.DELINQUENT]
        p = self._promises.chance(live, d, b.promise.inbound_shift)
        self._promises.make(live[draws < p], d, "inbound")
        record_calls(ctx, accounts, self._policy, acct, times, np.ones(acct.shape[0], bool),
                     np.zeros(acct.shape[0], bool), d)
        if ctx.log is not None:
            ctx.log.add("inbound_call", d, acct, minute=times,
                        detail=np.round(np.asarray(answered.wait), 2))
            ctx.log.add("inbound_abandoned", d, np.asarray(abandoned, np.int64))

    def _promises_due(self, d: int) -> None:
        ctx, accounts, led = self._ctx, self._accounts, self._ledger
        book, b, rates = accounts.columns, ctx.sc.behaviour, ctx.rates
        idx = np.flatnonzero(book.promise_day == d)
        if idx.shape[0] == 0:
            return
        live = book.state[idx] == State.DELINQUENT
        book.promise_day[idx] = NEVER
        idx = idx[live]
        rng = ctx.streams["promises"]
        cap = book.capacity[idx] * rates.shock[d, book.segment[idx]]
        kept = rng.random(idx.shape[0]) < bh.keep_probability(
            book.willingness[idx], cap, book.payer[idx], b)
        broken = idx[~kept]
        book.broken_day[broken] = d
        book.broken_promises[broken] += 1
        led.count(lg.PROMISES_DUE, idx.shape[0])
        led.count(lg.PROMISES_KEPT, int(kept.sum()))
        led.count(lg.PROMISES_BROKEN, broken.shape[0])
        ok = idx[kept]
        team_records.book_promise_cash(led, self._floor.team_names, book.promise_team[ok],
                                       np.minimum(book.promise_amount[ok], book.balance[ok]))
        kind = book.promise_kind[ok]
        amount = book.promise_amount[ok]
        sel = (kind == KIND_FULL) | (kind == KIND_PARTIAL)
        accounts.pay(ok[sel], amount[sel], lg.PROMISE, d, led)
        sel = kind == KIND_SETTLE
        settled = ok[sel]
        accounts.pay(settled, amount[sel], lg.SETTLEMENT, d, led)
        # The settlement discount is forgiven: written off by agreement.
        accounts.forgive(settled, led)
        led.count(chn.SETTLED, settled.shape[0])
        starts = ok[kind == KIND_PLAN]
        accounts.pay(starts, book.promise_amount[starts], lg.PLAN, d, led)
        self._start_plans(starts, d)
        accounts.settle(ok, d, led)
        if ctx.log is not None:
            ctx.log.add("promise_broken", d, broken)

    def _start_plans(self, idx: I64, d: int) -> None:
        """Re-age accounts whose first plan instalment was paid."""
        ctx = self._ctx
        book, ch = self._accounts.columns, ctx.sc.channels
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
        book.plans_started[idx] += 1
        book.plan_due_day[idx] = d + 30
        book.instalment[idx] = np.maximum(book.promise_amount[idx], 1)
        book.due[idx] = 0
        chn.charge(self._ledger, chn.RESTRUCTURE, ch.restructure.cost * idx.shape[0])
        self._ledger.count(chn.PLANS_STARTED, idx.shape[0])
        if ctx.log is not None:
            ctx.log.add("plan_started", d, idx)

    def _plans_due(self, d: int) -> None:
        ctx, accounts, led = self._ctx, self._accounts, self._ledger
        book, ch = accounts.columns, ctx.sc.channels.restructure
        idx = np.flatnonzero((book.plan_due_day == d) & (book.state == State.PLAN))
        if idx.shape[0] == 0:
            return
        rng = ctx.streams["plans"]
        p = ch.keep_rate * np.where(book.payer[idx], 1.0,
                                    ctx.sc.behaviour.promise.nonpayer_keep_factor)
        kept = rng.random(idx.shape[0]) < p
        ok, missed = idx[kept], idx[~kept]
        accounts.pay(ok, book.instalment[ok], lg.PLAN, d, led)
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
        led.count(chn.PLANS_BROKEN, missed.shape[0])
        led.count(chn.PLANS_COMPLETED, done.shape[0])
        if ctx.log is not None:
            ctx.log.add("plan_broken", d, missed)
            ctx.log.add("plan_completed", d, done)

    def _late_stage(self, d: int) -> None:
        ctx, accounts, led = self._ctx, self._accounts, self._ledger
        book, ch, rates, streams = accounts.columns, ctx.sc.channels, ctx.rates, ctx.streams
        # Agency placements pay the agency, which keeps its commission.
        agency = accounts.with_agency
        placed = agency.keep(book.placed_until[agency.members] > d)
        state = book.state[placed]
        placed = placed[(state == State.DELINQUENT) | (state == State.CHARGED_OFF)]
        if placed.shape[0]:
            rng = streams["agency"]
            h = bh.agency_hazard(d - book.placed_day[placed].astype(np.int64),
                                 ch.agency.daily_recovery_hazard, ch.agency.hazard_decay_per_day)
            h = h * rates.payer_mult[placed] * rates.shock[d, book.segment[placed]]
            hit = placed[rng.random(placed.shape[0]) < -np.expm1(-h)]
            amount = np.where(book.state[hit] == State.CHARGED_OFF,
                              (book.balance[hit] * ch.writeoff.recovery_share).astype(np.int64),
                              book.due[hit])
            paid = accounts.pay(hit, amount, lg.AGENCY, d, led)
            chn.charge_minor(led, chn.AGENCY, round(float(paid.sum()) * ch.agency.commission))
            accounts.settle(hit, d, led)
        # Judgments: some succeed and recover a share of the balance.
        sued = accounts.judgments_due.due(d)
        sued = sued[book.legal_day[sued] == d]
        if sued.shape[0]:
            book.legal_day[sued] = NEVER
            sued = sued[(book.state[sued] == State.DELINQUENT) |
                        (book.state[sued] == State.CHARGED_OFF)]
            won = sued[streams["legal"].random(sued.shape[0]) < ch.legal.success_rate]
            accounts.pay(won, (book.balance[won] * ch.legal.recovery_share).astype(np.int64),
                         lg.LEGAL, d, led)
            accounts.close_if_paid(won, d, led)
        # Collateral sales.
        sold = accounts.sales_due.due(d)
        sold = sold[book.repo_day[sold] == d]
        if sold.shape[0]:
            book.repo_day[sold] = NEVER - 1  # done; never again
            sold = sold[(book.state[sold] == State.DELINQUENT) |
                        (book.state[sold] == State.CHARGED_OFF)]
            proceeds = (book.collateral[sold] * ch.repossession.sale_share).astype(np.int64)
            book.collateral[sold] = 0
            accounts.pay(sold, proceeds, lg.COLLATERAL, d, led)
            accounts.close_if_paid(sold, d, led)
        # After write-off, a trickle still comes in through a debt agency.
        owing = accounts.written_off_owing
        wo = owing.keep(book.balance[owing.members] > 0)
        if wo.shape[0]:
            rng = streams["post_writeoff"]
            h = ch.writeoff.recovery_hazard * rates.payer_mult[wo]
            hit = wo[rng.random(wo.shape[0]) < h]
            share = np.minimum(ch.writeoff.recovery_share * (0.5 + rng.random(hit.shape[0])), 1.0)
            paid = accounts.pay(hit, np.ceil(book.balance[hit] * share).astype(np.int64),
                                lg.POST_WRITEOFF, d, led)
            chn.charge_minor(led, chn.WRITEOFF,
                             round(float(paid.sum()) * ch.writeoff.commission))

    def _self_cure(self, d: int) -> None:
        """Untreated cure (integrated-hazard thresholds) and partial payments."""
        ctx, accounts, led = self._ctx, self._accounts, self._ledger
        book, b, rates = accounts.columns, ctx.sc.behaviour, ctx.rates
        idx = np.flatnonzero(book.state == State.DELINQUENT)
        if idx.shape[0] == 0:
            return
        stage = stage_of(book.dpd[idx])
        # segment x payer, then the economy, pressure and a bureau report; a factor that
        # is exactly 1 for everyone (no shock, the untreated twin's zero pressure, nobody
        # reported) is left out, which leaves the product's bits unchanged.
        mult = rates.cure_base[idx]
        if rates.has_shock:
            mult = mult * rates.shock[d, book.segment[idx]]
        if not ctx.untreated:
            mult = mult * bh.pressure_uplift(book.pressure[idx].astype(np.float64), b)
        if accounts.anyone_reported:
            mult = mult * np.where(book.reported[idx], ctx.sc.channels.bureau.cure_uplift, 1.0)
        cumhaz = book.cumhaz[idx] + rates.cure_rate[stage] * mult
        book.cumhaz[idx] = cumhaz
        cured = idx[cumhaz >= book.cure_threshold[idx]]
        accounts.pay(cured, book.due[cured], lg.SELF_CURE, d, led)
        accounts.settle(cured, d, led)
        still = book.state[idx] == State.DELINQUENT
        idx, stage, mult = idx[still], stage[still], mult[still]
        rng = ctx.streams["partials"]
        part = rng.random(idx.shape[0]) < -np.expm1(-rates.partial_rate[stage] * mult)
        hit = idx[part]
        jitter = 0.5 + rng.random(hit.shape[0])
        share = b.partial_payment_share * book.capacity[hit] / 0.5 * jitter
        amount = np.minimum((book.due[hit] * np.minimum(share, 0.9)).astype(np.int64),
                            book.due[hit] - 1)
        accounts.pay(hit[amount > 0], amount[amount > 0], lg.PARTIAL, d, led)
        if not ctx.untreated:  # nobody is ever pressed in an untreated run
            book.pressure[idx] *= rates.decay

    def _redefault(self, d: int) -> None:
        """Cured accounts that fall behind again re-enter collections at 1 DPD.

        The balance their cure restored is taken back (a cure that does not last is not
        worth its balance), and they owe the next instalment plus the late fee."""
        ctx, accounts = self._ctx, self._accounts
        book, rd = accounts.columns, ctx.sc.behaviour.redefault
        if rd.hazard <= 0 or (d >= ctx.days and ctx.sc.horizon.redefault_risk == "value"):
            # Past the horizon the rest of each window is valued in closed form instead
            # (sim.runoff.redefault_chance), so the run-off need not follow cured accounts.
            return
        idx = np.flatnonzero((book.state == State.CURED) & (book.redefaults == 0)
                             & (d - book.resolved_day.astype(np.int64) < rd.window_days))
        if idx.shape[0] == 0:
            return
        h = bh.redefault_hazard(book.payer[idx], book.plans_started[idx], ctx.sc.behaviour)
        hit = idx[ctx.streams["redefault"].random(idx.shape[0]) < -np.expm1(-h)]
        if hit.shape[0] == 0:
            return
        book.restored_balance[hit] = np.maximum(book.restored_balance[hit] - book.balance[hit], 0)
        book.state[hit] = State.DELINQUENT
        book.dpd[hit] = 1
        book.due[hit] = np.minimum(book.instalment[hit], book.balance[hit])
        book.cumhaz[hit] = 0.0
        book.resolved_day[hit] = NEVER
        book.redefaults[hit] += 1
        accounts.add_fee(hit, round(ctx.sc.portfolio.late_fee * ctx.scale), self._ledger)
        book.redefault_balance[hit] = book.balance[hit]
        book.collected_at_redefault[hit] = book.collected[hit]
        book.restored_at_redefault[hit] = book.restored_balance[hit]
        self._ledger.count(lg.REDEFAULTED, hit.shape[0])
        if ctx.log is not None:
            ctx.log.add("redefault", d, hit, amount=book.balance[hit])

    def _complaints_and_breaches(self, d: int) -> None:
        ctx, accounts, led = self._ctx, self._accounts, self._ledger
        book, b = accounts.columns, ctx.sc.behaviour
        found, outside = self._policy.close_day(book, d)
        led.count(lg.BREACHES, found)
        p = b.complaints.per_agent_attempt * (b.complaints.outside_window_multiplier - 1)
        accounts.add_complaint_risk(outside, p)
        touched = np.flatnonzero(accounts.touched)
        accounts.touched[touched] = False
        if touched.shape[0]:
            units = accounts.complaint_units[touched]
            today_attempts = book.attempt_ring[touched, d % accounts.window].astype(np.int64)
            chance = bh.complaint_probability(units, accounts.attempts(touched, d, 7),
                                              today_attempts, b)
            hit = touched[ctx.streams["complaints"].random(touched.shape[0]) < chance]
            led.count(lg.COMPLAINTS, hit.shape[0])
            led.cost(lg.COMPLAINTS_COST, b.complaints.cost * hit.shape[0])
            if ctx.log is not None:
                ctx.log.add("complaint", d, hit)
            accounts.complaint_units[touched] = 0.0
            accounts.conv_today[touched] = False
            accounts.offer_today[touched] = 0

    def _record(self, d: int) -> None:
        """Close the day's ledger; within the horizon, keep the day's row.

        The row is the book's stocks (accounts and balances by bucket and state) and the
        ledger's flows; the run-off days past the horizon book their money but keep no
        row, since they follow the cohorts rather than a continuing book (nor does the
        untreated twin, whose cohort money is all that is read)."""
        ctx, floor = self._ctx, self._floor
        book = self._accounts.columns
        if d < floor.available_out.shape[1]:
            team_records.book_available(self._ledger, floor.team_names, floor.available_out[:, d])
        flows = self._ledger.close_day()
        if d >= ctx.days or not ctx.keep_records:
            return
        row: dict[str, float] = {"day": d}
        live = book.state == State.DELINQUENT
        idx = np.flatnonzero(live)
        buckets = bucket_of(book.dpd[idx])
        counts = np.bincount(buckets, minlength=6)
        sums = np.bincount(buckets, weights=book.balance[idx], minlength=6)
        for i, label in enumerate(BUCKET_LABELS):
            row[f"accounts_{label}"] = int(counts[i])
            row[f"balance_{label}"] = float(sums[i]) / ctx.scale
        states = np.bincount(book.state, minlength=6)
        for s, name in enumerate(STATE_NAMES):
            row[f"state_{name}"] = int(states[s])
        row["balance_in_collections"] = float(book.balance[idx].sum()) / ctx.scale
        row.update(flows)
        avail = float(floor.available_out[:, d].sum() + floor.available_in[:, d].sum())
        busy = row["handle_minutes"] + row["inbound_busy_minutes"]
        row["agent_available_minutes"] = avail
        row["agent_occupancy"] = busy / avail if avail > 0 else float("nan")
        offered = row["inbound_offered"]
        nan = float("nan")
        row["inbound_service_level"] = row["inbound_within_sl"] / offered if offered else nan
        row["inbound_abandon_rate"] = row["inbound_abandoned"] / offered if offered else nan
        self.rows.append(row)
