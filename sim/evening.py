"""The evening of a simulated day: what the day's contacts led to, and who paid.

The day's outbound calls and answered callbacks are applied (contacts, fatigue,
pressure, promises); promises and plan instalments that fall due are kept or broken;
agency, legal, collateral and post-write-off recoveries arrive; untreated accounts
self-cure on their integrated-hazard thresholds and some pay in part; cured accounts may
re-default (once, within a window after the cure); complaints are
drawn from the day's contact intensity; breaches of the contact policy are counted the
way :mod:`sim.compliance` counts them; and the day's row is recorded.
"""

from __future__ import annotations

import numpy as np

from sim import behaviour as bh
from sim import channels as chn
from sim import ledger as lg
from sim.calendar import MINUTES_PER_DAY
from sim.caps import count_breaches
from sim.channels import TEAM_INBOUND_COUNTS
from sim.floor import NO_ANSWER, PTP, RPC
from sim.index_sets import add_at
from sim.run_state import I64, KIND_FULL, KIND_PARTIAL, KIND_PLAN, KIND_SETTLE, RunState
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


class Evening(RunState):
    """The end-of-day steps."""

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
        add_at(book.attempt_ring[:, d % self.window], acct, 1)
        connected = code > NO_ANSWER
        rpc = code >= RPC
        led = self.ledger
        led.count(chn.AGENT_ATTEMPTS, n)
        led.count(chn.AGENT_CONNECTED, int(connected.sum()))
        led.count(chn.AGENT_RPC, int(rpc.sum()))
        led.count(chn.AGENT_PTP, int((code == PTP).sum()))
        led.gauge(chn.HANDLE_MINUTES, float(handle.sum()))
        self.cost(chn.CALL, sc.channels.call.cost_per_minute * float(handle.sum()))
        conv = acct[connected]
        book.last_conversation[conv] = d
        self.conv_today[conv] = True
        self.touched[conv] = True
        reached = acct[rpc]
        add_at(book.attempts_since_contact, acct[~rpc], 1)
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
        led = self.ledger
        for name, s in zip(self.team_names, stats, strict=True):
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
        self.cost(chn.INBOUND, self.sc.channels.inbound.cost_per_minute
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
        self.ledger.count(lg.PROMISES_DUE, idx.shape[0])
        self.ledger.count(lg.PROMISES_KEPT, int(kept.sum()))
        self.ledger.count(lg.PROMISES_BROKEN, broken.shape[0])
        ok = idx[kept]
        kind = book.promise_kind[ok]
        amount = book.promise_amount[ok]
        sel = (kind == KIND_FULL) | (kind == KIND_PARTIAL)
        self.pay(ok[sel], amount[sel], lg.PROMISE, d)
        sel = kind == KIND_SETTLE
        settled = ok[sel]
        self.pay(settled, amount[sel], lg.SETTLEMENT, d)
        # The settlement discount is forgiven: written off by agreement.
        self.ledger.forgive(int(book.balance[settled].sum()))
        book.forgiven[settled] += book.balance[settled]
        book.balance[settled] = 0
        book.due[settled] = 0
        self.ledger.count(chn.SETTLED, settled.shape[0])
        starts = ok[kind == KIND_PLAN]
        self.pay(starts, book.promise_amount[starts], lg.PLAN, d)
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
        book.plans_started[idx] += 1
        book.plan_due_day[idx] = d + 30
        book.instalment[idx] = np.maximum(book.promise_amount[idx], 1)
        book.due[idx] = 0
        self.cost(chn.RESTRUCTURE, ch.restructure.cost * idx.shape[0])
        self.ledger.count(chn.PLANS_STARTED, idx.shape[0])
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
        self.pay(ok, book.instalment[ok], lg.PLAN, d)
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
        self.ledger.count(chn.PLANS_BROKEN, missed.shape[0])
        self.ledger.count(chn.PLANS_COMPLETED, done.shape[0])
        if self.log is not None:
            self.log.add("plan_broken", d, missed)
            self.log.add("plan_completed", d, done)

    def _late_stage(self, d: int) -> None:
        book, ch = self.book, self.sc.channels
        # Agency placements pay the agency, which keeps its commission.
        agency = self.with_agency
        placed = agency.keep(book.placed_until[agency.members] > d)
        state = book.state[placed]
        placed = placed[(state == State.DELINQUENT) | (state == State.CHARGED_OFF)]
        if placed.shape[0]:
            rng = self.streams["agency"]
            h = bh.agency_hazard(d - book.placed_day[placed].astype(np.int64),
                                 ch.agency.daily_recovery_hazard, ch.agency.hazard_decay_per_day)
            h = h * self.payer_mult[placed] * self.shock[d, book.segment[placed]]
            hit = placed[rng.random(placed.shape[0]) < -np.expm1(-h)]
            amount = np.where(book.state[hit] == State.CHARGED_OFF,
                              (book.balance[hit] * ch.writeoff.recovery_share).astype(np.int64),
                              book.due[hit])
            paid = self.pay(hit, amount, lg.AGENCY, d)
            self.cost_minor(chn.AGENCY, round(float(paid.sum()) * ch.agency.commission))
            self.settle(hit, d)
        # Judgments: some succeed and recover a share of the balance.
        sued = self.judgments_due.due(d)
        sued = sued[book.legal_day[sued] == d]
        if sued.shape[0]:
            book.legal_day[sued] = NEVER
            sued = sued[(book.state[sued] == State.DELINQUENT) |
                        (book.state[sued] == State.CHARGED_OFF)]
            won = sued[self.streams["legal"].random(sued.shape[0]) < ch.legal.success_rate]
            self.pay(won, (book.balance[won] * ch.legal.recovery_share).astype(np.int64),
                     lg.LEGAL, d)
            self._close_if_paid(won, d)
        # Collateral sales.
        sold = self.sales_due.due(d)
        sold = sold[book.repo_day[sold] == d]
        if sold.shape[0]:
            book.repo_day[sold] = NEVER - 1  # done; never again
            sold = sold[(book.state[sold] == State.DELINQUENT) |
                        (book.state[sold] == State.CHARGED_OFF)]
            proceeds = (book.collateral[sold] * ch.repossession.sale_share).astype(np.int64)
            book.collateral[sold] = 0
            self.pay(sold, proceeds, lg.COLLATERAL, d)
            self._close_if_paid(sold, d)
        # After write-off, a trickle still comes in through a debt agency.
        owing = self.written_off_owing
        wo = owing.keep(book.balance[owing.members] > 0)
        if wo.shape[0]:
            rng = self.streams["post_writeoff"]
            h = ch.writeoff.recovery_hazard * self.payer_mult[wo]
            hit = wo[rng.random(wo.shape[0]) < h]
            share = np.minimum(ch.writeoff.recovery_share * (0.5 + rng.random(hit.shape[0])), 1.0)
            paid = self.pay(hit, np.ceil(book.balance[hit] * share).astype(np.int64),
                            lg.POST_WRITEOFF, d)
            self.cost_minor(chn.WRITEOFF, round(float(paid.sum()) * ch.writeoff.commission))

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
        # segment x payer, then the economy, pressure and a bureau report; a factor that
        # is exactly 1 for everyone (no shock, the untreated twin's zero pressure, nobody
        # reported) is left out, which leaves the product's bits unchanged.
        mult = self.cure_base[idx]
        if self.has_shock:
            mult = mult * self.shock[d, book.segment[idx]]
        if not self.untreated:
            mult = mult * bh.pressure_uplift(book.pressure[idx].astype(np.float64), b)
        if self.anyone_reported:
            mult = mult * np.where(book.reported[idx], self.sc.channels.bureau.cure_uplift, 1.0)
        cumhaz = book.cumhaz[idx] + self.cure_rate[stage] * mult
        book.cumhaz[idx] = cumhaz
        cured = idx[cumhaz >= book.cure_threshold[idx]]
        self.pay(cured, book.due[cured], lg.SELF_CURE, d)
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
        self.pay(hit[amount > 0], amount[amount > 0], lg.PARTIAL, d)
        if not self.untreated:  # nobody is ever pressed in an untreated run
            book.pressure[idx] *= self.decay

    def _redefault(self, d: int) -> None:
        """Cured accounts that fall behind again re-enter collections at 1 DPD.

        The balance their cure restored is taken back (a cure that does not last is not
        worth its balance), and they owe the next instalment plus the late fee."""
        book, rd = self.book, self.sc.behaviour.redefault
        if rd.hazard <= 0 or (d >= self.days and self.sc.horizon.redefault_risk == "value"):
            # Past the horizon the rest of each window is valued in closed form instead
            # (sim.runoff.redefault_chance), so the run-off need not follow cured accounts.
            return
        idx = np.flatnonzero((book.state == State.CURED) & (book.redefaults == 0)
                             & (d - book.resolved_day.astype(np.int64) < rd.window_days))
        if idx.shape[0] == 0:
            return
        h = bh.redefault_hazard(book.payer[idx], book.plans_started[idx], self.sc.behaviour)
        hit = idx[self.streams["redefault"].random(idx.shape[0]) < -np.expm1(-h)]
        if hit.shape[0] == 0:
            return
        book.restored_balance[hit] = np.maximum(book.restored_balance[hit] - book.balance[hit], 0)
        book.state[hit] = State.DELINQUENT
        book.dpd[hit] = 1
        book.due[hit] = np.minimum(book.instalment[hit], book.balance[hit])
        book.cumhaz[hit] = 0.0
        book.resolved_day[hit] = NEVER
        book.redefaults[hit] += 1
        self.add_fee(hit, round(self.sc.portfolio.late_fee * self.scale))
        book.redefault_balance[hit] = book.balance[hit]
        book.collected_at_redefault[hit] = book.collected[hit]
        book.restored_at_redefault[hit] = book.restored_balance[hit]
        self.ledger.count(lg.REDEFAULTED, hit.shape[0])
        if self.log is not None:
            self.log.add("redefault", d, hit, amount=book.balance[hit])

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
                self.ledger.count(lg.BREACHES, v)
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
            today_attempts = book.attempt_ring[touched, d % self.window].astype(np.int64)
            chance = bh.complaint_probability(units, self._attempts_7d(touched, d),
                                              today_attempts, b)
            hit = touched[self.streams["complaints"].random(touched.shape[0]) < chance]
            self.ledger.count(lg.COMPLAINTS, hit.shape[0])
            self.complaints_total += hit.shape[0]
            self.ledger.cost(lg.COMPLAINTS_COST, b.complaints.cost * hit.shape[0])
            if self.log is not None:
                self.log.add("complaint", d, hit)
            self.complaint_units[touched] = 0.0
            self.conv_today[touched] = False
            self.offer_today[touched] = 0

    def _record(self, d: int) -> None:
        """Close the day's ledger; within the horizon, keep the day's row.

        The row is the book's stocks (accounts and balances by bucket and state) and the
        ledger's flows; the run-off days past the horizon book their money but keep no
        row, since they follow the cohorts rather than a continuing book (nor does the
        untreated twin, whose cohort money is all that is read)."""
        book = self.book
        flows = self.ledger.close_day()
        if d >= self.days or not self.keep_records:
            return
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
        for s, name in enumerate(STATE_NAMES):
            row[f"state_{name}"] = int(states[s])
        row["balance_in_collections"] = float(book.balance[idx].sum()) / self.scale
        row.update(flows)
        avail = float(self.available_out[:, d].sum() + self.available_in[:, d].sum())
        busy = row["handle_minutes"] + row["inbound_busy_minutes"]
        row["agent_available_minutes"] = avail
        row["agent_occupancy"] = busy / avail if avail > 0 else float("nan")
        offered = row["inbound_offered"]
        nan = float("nan")
        row["inbound_service_level"] = row["inbound_within_sl"] / offered if offered else nan
        row["inbound_abandon_rate"] = row["inbound_abandoned"] / offered if offered else nan
        self.daily.append(row)
