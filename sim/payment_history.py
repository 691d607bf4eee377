"""Payment history as a strategy sees it: recency, frequency, monetary (RFM), and more.

Collections teams segment delinquent accounts on how they have been paying, because
past payment behaviour predicts the next payment better than the balance does:

- **recency**: days since the last payment. A debtor who paid last week is engaged;
  one who has not paid in months has stopped.
- **frequency**: payments in the last N days. Several small payments mark a debtor who
  is trying (often a candidate for an instalment plan), one payment a month a debtor
  who is managing.
- **monetary**: the amount paid in the last N days, the size of that effort.
- **broken promises**: promises to pay that were not kept. Two or three broken promises
  mean more calls will only produce more promises; escalate instead.
- **days since the last contact**: a conversation (a connected call, an inbound call
  the floor answered) resets it; a long silence calls for another channel.

The book keeps each account's last :data:`SLOTS` payments (day and amount), so
frequency counts at most that many payments in the window: a debtor paying more often
than that in one window is simply a frequent payer. An account that never paid (or
never spoke) counts as :data:`NEVER_DAYS` days since.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import numpy.typing as npt

SLOTS = 8
"""Payments remembered per account (the most recent ones)."""

NEVER_DAYS = 10_000
""""Days since" for something that never happened: longer than any window."""

NO_DAY = -32768  # the book's stamp for "never" (sim.book.NO_DAY)


def record(book: Any, idx: npt.NDArray[np.int64], amount: npt.NDArray[np.int64],
           day: int) -> None:
    """Remember payments of ``amount`` (minor units) by accounts ``idx`` on ``day``
    (the book's ``pay_days``/``pay_amounts``/``pay_count`` columns).

    An account paying twice in one batch keeps both (the second in the next slot).
    """
    count, days, amounts = book.pay_count, book.pay_days, book.pay_amounts
    order = np.argsort(idx, kind="stable")
    idx, amount = idx[order], amount[order]
    first = np.ones(idx.shape[0], bool)
    first[1:] = idx[1:] != idx[:-1]
    while idx.shape[0]:
        take, rest = idx[first], ~first
        slot = count[take] % SLOTS
        days[take, slot] = day
        amounts[take, slot] = amount[first]
        count[take] += 1
        idx, amount = idx[rest], amount[rest]
        first = np.ones(idx.shape[0], bool)
        first[1:] = idx[1:] != idx[:-1]


class History:
    """The payment-history features of the accounts a strategy sees today.

    Each feature is computed the first time it is read (a ladder without history rules
    never pays for them) and is aligned with the view's accounts.
    """

    def __init__(self, book: Any, index: npt.NDArray[np.int64], day: int, scale: int,
                 window_days: int = 90) -> None:
        self._book, self._index, self.day, self._scale = book, index, day, scale
        self.window_days = window_days
        """The window of :attr:`payments` and :attr:`paid` (the strategy's default N)."""

    def _column(self, name: str) -> npt.NDArray[Any]:
        return np.asarray(getattr(self._book, name)[self._index])

    @functools.cached_property
    def days_since_payment(self) -> npt.NDArray[np.int64]:
        """Recency: days since the last payment (:data:`NEVER_DAYS` if none)."""
        days = self._column("pay_days").astype(np.int64)
        last = days.max(axis=1)
        return np.where(last == NO_DAY, NEVER_DAYS, self.day - last)

    def payments_in(self, window_days: int) -> npt.NDArray[np.int64]:
        """Frequency: payments in the last ``window_days`` days, today included."""
        days = self._column("pay_days")
        recent = (days >= self.day - window_days + 1) & (days != NO_DAY)
        return np.asarray(recent.sum(axis=1), np.int64)

    def paid_in(self, window_days: int) -> npt.NDArray[np.float64]:
        """Monetary: amount paid in the last ``window_days`` days (major units)."""
        days = self._column("pay_days")
        recent = (days >= self.day - window_days + 1) & (days != NO_DAY)
        amounts = self._column("pay_amounts")
        return np.asarray(np.where(recent, amounts, 0).sum(axis=1) / self._scale, np.float64)

    @functools.cached_property
    def payments(self) -> npt.NDArray[np.int64]:
        """Frequency over :attr:`window_days`."""
        return self.payments_in(self.window_days)

    @functools.cached_property
    def paid(self) -> npt.NDArray[np.float64]:
        """Monetary over :attr:`window_days` (major units)."""
        return self.paid_in(self.window_days)

    @functools.cached_property
    def broken_promises(self) -> npt.NDArray[np.int64]:
        """Promises to pay not kept, over the account's whole time in collections."""
        return self._column("broken_promises").astype(np.int64)

    @functools.cached_property
    def days_since_contact(self) -> npt.NDArray[np.int64]:
        """Days since the last conversation (:data:`NEVER_DAYS` if none)."""
        last = self._column("last_conversation").astype(np.int64)
        return np.where(last == NO_DAY, NEVER_DAYS, self.day - last)

    def feature(self, name: str, window_days: int) -> npt.NDArray[np.float64]:
        """A feature by its rule name (see :class:`sim.scenario.strategy_spec.HistoryRule`)."""
        if name == "payments":
            return self.payments_in(window_days).astype(np.float64)
        if name == "paid":
            return self.paid_in(window_days)
        return np.asarray(getattr(self, name), np.float64)
