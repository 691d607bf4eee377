"""The policy component: the collection strategy and the contact policy it works under.

A collections operation decides each day whom to work and how (the strategy: a ladder
of actions by days past due, or any :class:`sim.strategy.Strategy`), within what the
contact rules allow (attempt caps per day and per rolling week, connected-call caps, a
quiet period after a conversation, a local dialling window). :class:`Policy` holds both:
it asks the strategy for the day's plan, says how many more calls each account may get
today, keeps the day's calls for breach counting and tallies the breaches the way
:mod:`sim.compliance` counts them.

It keeps no reference to the book, the floor or the ledger: the book's columns it reads
are arguments, and the caller books the breach tally.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from sim import channels as chn
from sim.book import Book
from sim.calendar import MINUTES_PER_DAY
from sim.caps import DIMENSIONS, Limits, count_breaches
from sim.scenario.root import Scenario
from sim.strategy import BookView, DailyPlan, Strategy

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]
CallRecord = tuple[I64, F64, I64, B, B]
"""Accounts, site minute, debtor-local minute, connected, dialled by us (not a callback)."""


class Policy:
    """The policy component (see the module docstring)."""

    __slots__ = (
        "_calls",
        "_last_conv_before",
        "breaches",
        "dial_window",
        "enforce",
        "limits",
        "strategy",
        "window",
    )

    def __init__(self, sc: Scenario, strategy: Strategy, last_conversation: npt.NDArray[Any]
                 ) -> None:
        self.strategy = strategy
        self.limits = Limits.of(sc.contact_policy())
        """The contact rules as the engine enforces and counts them."""
        self.enforce = sc.compliance.enforce
        self.window = max(7, self.limits.span or 0)
        """Days of attempts the rules look back over (the book's attempt ring)."""
        # Dialling window in debtor local time: the strategy's call hours within the rules'.
        ps, pe = self.limits.window_start, self.limits.window_end
        hours = sc.strategy.call_hours
        ss, se = (hours.start_minute, hours.end_minute) if hours else (ps, pe)
        self.dial_window = (max(ps, ss), min(pe, se)) if self.enforce else (ss, se)
        self.breaches = dict.fromkeys(DIMENSIONS, 0)
        """Breaches of the contact rules so far, by dimension."""
        self._calls: list[CallRecord] = []
        self._last_conv_before = last_conversation.copy()

    @property
    def quiet(self) -> bool:
        """Whether a quiet period after a conversation is enforced."""
        return self.enforce and self.limits.quiet is not None

    def may_call_at(self, local_minute: int) -> bool:
        """Whether a call at this local minute of day is inside the enforced window."""
        lim = self.limits
        return not self.enforce or lim.window_start <= local_minute < lim.window_end

    def plan(self, view: BookView) -> DailyPlan:
        """The strategy's plan for today, checked to cover every account of the view."""
        plan = self.strategy.plan(view)
        n = len(view)
        arrays: list[npt.NDArray[Any]] = [
            plan.call_attempts, plan.call_team, plan.offer, plan.priority,
            *(plan.masks.get(a, np.zeros(n, bool)) for a in chn.mask_actions())]
        if any(a.shape != (n,) for a in arrays):
            raise ValueError(f"strategy plan arrays must all have length {n} (one per account)")
        return plan

    def allowed(self, book: Book, spoke_today: B, idx: I64, d: int) -> I64:
        """Calls each account of ``idx`` may still get today under the enforced policy
        (``spoke_today``: the accounts someone talked to today)."""
        lim = self.limits
        allowed = np.full(idx.shape[0], 127, np.int64)
        if not self.enforce:
            return allowed
        today = book.attempt_ring[idx, d % self.window].astype(np.int64)
        if lim.per_day is not None:
            counted = today if lim.count_all else today - spoke_today[idx]
            allowed = np.minimum(allowed, lim.per_day - counted)
        if lim.connected_per_day is not None:
            allowed = np.where(spoke_today[idx].astype(np.int64) >= lim.connected_per_day,
                               0, allowed)
        if lim.in_days is not None and lim.span is not None:
            cols = [(d - k) % self.window for k in range(lim.span)]
            used = book.attempt_ring[idx][:, cols].sum(axis=1, dtype=np.int64)
            allowed = np.minimum(allowed, lim.in_days - used)
        if lim.quiet is not None:
            since = d - book.last_conversation[idx].astype(np.int64) + 1
            allowed = np.where(since <= lim.quiet, 0, allowed)
        return np.maximum(allowed, 0)

    def record_calls(self, idx: I64, times: F64, local: I64, connected: B, by_us: B) -> None:
        """Remember today's calls for tonight's breach count."""
        self._calls.append((idx, times, local, connected, by_us))

    def close_day(self, book: Book, d: int) -> tuple[int, I64]:
        """Count today's breaches; return how many, and the accounts we dialled outside
        the permitted window (once per such call), whose complaint risk is higher."""
        lim = self.limits
        calls, self._calls = self._calls, []
        found_total = 0
        outside_idx = np.zeros(0, np.int64)
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
                found_total += v
            outside = coll & ~((local % MINUTES_PER_DAY >= lim.window_start) &
                               (local % MINUTES_PER_DAY < lim.window_end))
            outside_idx = acct[outside]
        self._last_conv_before = book.last_conversation.copy()
        return found_total, outside_idx
