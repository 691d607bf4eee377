"""Promises to pay: how likely a reached debtor is to promise, and what they promise.

A conversation with the right party ends in a **promise to pay** (PTP) more often when
the debtor is willing and able, when the stage's base rate is high and when an offer
fits: a settlement (a discount for paying now) or, for a debtor in hardship, a
restructuring plan. A promise is for the full amount due, part of it, a plan's first
instalment or the settlement amount, due within a few days; only one promise per
account is open at a time.

The morning (field visits, robot calls) and the evening (agent calls, answered
callbacks) both make promises through one :class:`Promises`, built from what it reads
and writes: the scenario, the behaviour rates, the book and the ledger.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sim import behaviour as bh
from sim import ledger as lg
from sim.accounts import Accounts
from sim.index_sets import distinct
from sim.ledger import Ledger
from sim.rates import Rates
from sim.rng import Streams
from sim.scenario.root import Scenario
from sim.stages import NEVER, State, stage_of
from sim.strategy import RESTRUCTURE, SETTLEMENT

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

KIND_FULL, KIND_PARTIAL, KIND_PLAN, KIND_SETTLE = 1, 2, 3, 4
"""Promise kinds: the full amount due, part of it, a plan's first instalment, a settlement."""


class Promises:
    """Promise chances and promise making (see the module docstring)."""

    __slots__ = ("_accounts", "_ledger", "_rates", "_rng", "_sc")

    def __init__(self, sc: Scenario, rates: Rates, accounts: Accounts, ledger: Ledger,
                 streams: Streams) -> None:
        self._sc = sc
        self._rates = rates
        self._accounts = accounts
        self._ledger = ledger
        self._rng = streams["promises"]

    def logit(self, idx: I64, d: int) -> F64:
        """Log-odds of a promise given a conversation (offer and segment shifts included)."""
        accounts, rates = self._accounts, self._rates
        book, b, ch = accounts.columns, self._sc.behaviour, self._sc.channels
        seg = book.segment[idx]
        cap = book.capacity[idx] * rates.shock[d, seg]
        offer = accounts.offer_today[idx]
        hardship = cap < ch.restructure.hardship_capacity_below
        shift = (rates.seg_promise[seg]
                 + np.where(offer == SETTLEMENT, ch.settlement.promise_shift, 0.0)
                 + np.where((offer == RESTRUCTURE) & hardship, ch.restructure.promise_shift, 0.0))
        stage = stage_of(book.dpd[idx])
        return bh.promise_logit(rates.ptp_logit[stage], book.willingness[idx], cap, shift, b)

    def chance(self, idx: I64, d: int, shift: float, skill: float = 0.0) -> F64:
        """Chance of a promise given a conversation, with a channel's shift and skill."""
        return bh.sigmoid(self.logit(idx, d) + shift + skill)

    def make(self, idx: I64, d: int, channel: str) -> I64:
        """Record promises to pay (ignoring accounts that already hold one); return the
        accounts that made one."""
        accounts, ch, b = self._accounts, self._sc.channels, self._sc.behaviour
        book = accounts.columns
        idx = distinct(idx)
        idx = idx[(book.state[idx] == State.DELINQUENT) & (book.promise_day[idx] == NEVER)]
        n = idx.shape[0]
        if n == 0:
            return idx
        book.promise_team[idx] = -1  # an agent's call names its team afterwards
        rng = self._rng
        offer = accounts.offer_today[idx]
        cap = book.capacity[idx] * self._rates.shock[d, book.segment[idx]]
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
        self._ledger.count(lg.PROMISES, n)
        self._ledger.count(lg.promises_by(channel), n)
        if accounts.log is not None:
            accounts.log.add("promise", d, idx, amount=amount, detail=channel)
        return idx
