"""The state of one replication, and the only ways money and contacts change it.

:class:`RunState` holds everything a run mutates -- the book, the ledger
(:mod:`sim.ledger`: every flow booked against a declared measure), the floor -- plus the
handful of operations the morning and evening steps share: applying a payment or a fee
in integer minor units, settling accounts that owe nothing more, booking a channel's
costs, recording contacts and promises, and working out how many calls the contact
policy still allows an account today. The steps themselves live in :mod:`sim.morning`
and :mod:`sim.evening`; :mod:`sim.engine` assembles them.

Money moves only through :meth:`RunState.pay` and :meth:`RunState.add_fee` (and the
ledger's charge-off and forgiveness), so opening balances plus fees always equal on-book
collections plus write-offs plus what is still owed (checked in every run's
``meta["ledger"]``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from sim import behaviour as bh
from sim import ledger as lg
from sim import payment_history
from sim.book import Book
from sim.calendar import Calendar
from sim.caps import Limits
from sim.channels import Channel
from sim.eventlog import EventLog
from sim.floor import Collector, Floor, InboundDesk
from sim.index_sets import DueIndex, SortedIndex, add_at, distinct
from sim.ledger import Ledger, Source
from sim.rng import Streams
from sim.scenario.root import Scenario
from sim.stages import LATE_START, MID_START, NEVER, State, stage_of
from sim.strategy import RESTRUCTURE, SETTLEMENT, Strategy

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]

KIND_FULL, KIND_PARTIAL, KIND_PLAN, KIND_SETTLE = 1, 2, 3, 4
"""Promise kinds: the full amount due, part of it, a plan's first instalment, a settlement."""


class RunState:
    """Everything one replication mutates, and the shared operations on it."""

    sc: Scenario
    seed: int
    replication: int
    days: int
    cal: Calendar
    streams: Streams
    policy: Any
    limits: Limits
    enforce: bool
    window: int
    book: Book
    inflow_starts: I64
    strategy: Strategy
    scale: int
    untreated: bool
    keep_records: bool
    # index sets kept where they change (sim.index_sets) and per-account constant factors
    judgments_due: DueIndex
    sales_due: DueIndex
    with_agency: SortedIndex
    written_off_owing: SortedIndex
    anyone_reported: bool
    payer_mult: F64
    cure_base: F64
    has_shock: bool
    season_contact: F64
    log: EventLog | None
    observer: Callable[[int, Book], None] | None
    # today's scratch columns and counters
    offer_today: npt.NDArray[np.int8]
    conv_today: B
    complaint_units: F64
    touched: B
    pending_letters: dict[int, list[I64]]
    daily: list[dict[str, float]]
    today_calls: list[tuple[I64, F64, I64, B, B]]
    ledger: Ledger
    breaches: dict[str, int]
    complaints_total: int
    _day: int
    _last_conv_before: npt.NDArray[np.int16]
    # behaviour tables
    seg_cure: F64
    seg_contact: F64
    seg_promise: F64
    shock: F64
    cure_rate: F64
    partial_rate: F64
    agent_contact: F64
    robot_contact: F64
    ptp_logit: F64
    hour_profile: F64
    decay: float
    dial_window: tuple[int, int]
    # the floor
    env: Any
    team_names: tuple[str, ...]
    floor: Floor
    desk: InboundDesk
    team_of_stage: npt.NDArray[np.int8]
    collectors: list[Collector]
    collector_team: npt.NDArray[np.int64]
    staff_cost: I64
    available_out: F64
    available_in: F64
    inbound_route: I64
    handle_dist: str
    handle_cv: float
    inbound_handle: F64

    def pay(self, idx: I64, amount: I64, source: Source, day: int) -> I64:
        """Apply payments (capped at the balance); return the amounts actually paid."""
        book = self.book
        amount = np.minimum(amount, book.balance[idx])
        keep = amount > 0
        idx, amount = idx[keep], amount[keep]
        if idx.shape[0] == 0:
            return amount
        book.balance[idx] -= amount
        payment_history.record(book, idx, amount, day)
        book.due[idx] = np.maximum(book.due[idx] - amount, 0)
        book.collected[idx] += amount
        wo = book.state[idx] == State.CHARGED_OFF
        # Only the stated tail after charge-off relieves a cohort's loss or counts as
        # late-stage recovery, however long the run happened to follow the account.
        tail = wo & (day - book.resolved_day[idx] <= self.sc.channels.writeoff.tail_days)
        late = ((book.dpd[idx] >= LATE_START) & ~wo) | tail
        book.collected_since_91[idx] += np.where(late, amount, 0)
        after_writeoff = 0
        if wo.any():
            after_writeoff = int(amount[wo].sum())
            book.recovered_after_co[idx[tail]] += amount[tail]
        self.ledger.receive(source, int(amount.sum()), after_writeoff)
        if self.log is not None:
            self.log.add("payment", day, idx, amount=amount, detail=source.name)
        return amount

    def add_fee(self, idx: I64, fee: int) -> None:
        """Add a late fee to the amount owed and due."""
        if fee <= 0 or idx.shape[0] == 0:
            return
        self.book.balance[idx] += fee
        self.book.due[idx] += fee
        self.ledger.add_fees(fee * int(idx.shape[0]))

    def cost(self, channel: Channel, amount_major: float) -> None:
        """Book a cost (major units) on a channel's cost line for today."""
        if channel.cost_line is None:
            raise ValueError(f"channel {channel.name!r} declares no cost line")
        self.ledger.cost(channel.cost_line, amount_major)

    def cost_minor(self, channel: Channel, amount: int) -> None:
        """Book a cost already in minor units on a channel's cost line for today."""
        if channel.cost_line is None:
            raise ValueError(f"channel {channel.name!r} declares no cost line")
        self.ledger.cost_minor(channel.cost_line, amount)

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
        self.ledger.count(lg.CURED, int((~closed).sum()))
        self.ledger.count(lg.CLOSED, int(closed.sum()))
        if self.log is not None:
            self.log.add("resolved", day, idx, detail=np.where(closed, "closed", "cured"))

    def _contacted(self, idx: I64, d: int) -> None:
        book = self.book
        book.first_contact_day[idx] = np.minimum(book.first_contact_day[idx], d)
        book.attempts_since_contact[idx] = 0
        self.ledger.count(lg.CONTACTS, idx.shape[0])

    def _complaint_units(self, idx: I64, p: float) -> None:
        if idx.shape[0] and p > 0:
            add_at(self.complaint_units, idx, -math.log1p(-p))
            self.touched[idx] = True

    def _log_calls(self, idx: I64, times: F64, connected: B, by_collector: B, d: int) -> None:
        """Remember today's calls for breach counting and the contact log."""
        local = (times + self.cal.zone_offset_minutes[self.book.zone[idx], d]).astype(np.int64)
        self.today_calls.append((idx, times, local, connected, by_collector))
        if self.log is not None:
            self.log.add_contacts(idx, local, connected, by_collector)

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

    def _make_promises(self, idx: I64, d: int, channel: str) -> I64:
        """Record promises to pay (ignoring accounts that already hold one); return the
        accounts that made one."""
        book, ch, b = self.book, self.sc.channels, self.sc.behaviour
        idx = distinct(idx)
        idx = idx[(book.state[idx] == State.DELINQUENT) & (book.promise_day[idx] == NEVER)]
        n = idx.shape[0]
        if n == 0:
            return idx
        book.promise_team[idx] = -1  # an agent's call names its team afterwards
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
        self.ledger.count(lg.PROMISES, n)
        self.ledger.count(lg.promises_by(channel), n)
        if self.log is not None:
            self.log.add("promise", d, idx, amount=amount, detail=channel)
        return idx

    def _attempts_7d(self, idx: I64, d: int) -> npt.NDArray[np.int64]:
        cols = [(d - k) % self.window for k in range(7)]
        return np.asarray(self.book.attempt_ring[idx][:, cols].sum(axis=1), dtype=np.int64)

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

    def _noise(self, rng: np.random.Generator, n: int) -> F64:
        """Multiplicative handle-time noise with mean 1."""
        if self.handle_dist == "exponential":
            return rng.exponential(1.0, n)
        sigma2 = math.log1p(self.handle_cv ** 2)
        return rng.lognormal(-sigma2 / 2, math.sqrt(sigma2), n)

