"""Small index sets that spare the daily steps a scan of the whole book.

A book of 100,000 accounts is scanned in a fraction of a millisecond, but the evening
asked the same questions of every account every day -- whose judgment falls due today,
whose collateral is sold today, who is with an agency, who is charged off and still owes
-- for the horizon and the run-off, in the treated run and in its untreated twin. The
answers change for a handful of accounts a day, so they are kept up to date where they
change instead. Each set hands out account indices in ascending order, as a scan of the
book would, so the random draws made over them are the same draws as before.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

I64 = npt.NDArray[np.int64]


class DueIndex:
    """Accounts filed under the day something falls due for them (a judgment, a sale).

    ``due(day)`` returns a superset of the accounts whose due day is ``day``: an account
    re-filed under another day stays under the old one too, so the caller keeps only
    those whose stored day still equals ``day``.
    """

    __slots__ = ("_by_day",)

    def __init__(self) -> None:
        self._by_day: dict[int, list[I64]] = {}

    def add(self, day: int, idx: I64) -> None:
        if idx.shape[0]:
            self._by_day.setdefault(int(day), []).append(idx.astype(np.int64, copy=False))

    def due(self, day: int) -> I64:
        """Distinct accounts filed under ``day``, ascending (and forget them)."""
        parts = self._by_day.pop(day, None)
        if not parts:
            return np.zeros(0, np.int64)
        return distinct(np.concatenate(parts))


class SortedIndex:
    """A growing set of account indices kept sorted, pruned by the caller's test."""

    __slots__ = ("members",)

    def __init__(self) -> None:
        self.members: I64 = np.zeros(0, np.int64)

    def add(self, idx: I64) -> None:
        if idx.shape[0] == 0:
            return
        new = distinct(idx.astype(np.int64, copy=False))
        members = self.members
        if members.shape[0] == 0:
            self.members = new
            return
        at = np.searchsorted(members, new)
        fresh = (at == members.shape[0]) | (members[np.minimum(at, members.shape[0] - 1)] != new)
        # A merge by insertion: the set is large, today's additions are few.
        self.members = np.insert(members, at[fresh], new[fresh])

    def keep(self, mask: npt.NDArray[np.bool_]) -> I64:
        """Keep the members where ``mask`` holds (aligned with ``members``); return them."""
        self.members = self.members[mask]
        return self.members


def distinct(idx: I64) -> I64:
    """Sorted distinct values: a sort and a neighbour test, cheaper than ``np.unique``."""
    s = np.sort(idx)
    if s.shape[0] < 2:
        return s
    keep = np.empty(s.shape[0], bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def add_at(target: npt.NDArray[Any], idx: I64, value: float) -> None:
    """``np.add.at(target, idx, value)`` for one scalar ``value``, several times faster.

    Counting calls per account, an account dialled three times today must get three
    added. ``np.add.at`` does that element by element; here the indices are sorted and
    added in rounds of distinct accounts (first occurrences, then second ones, ...), so
    each round is one vectorised add. Every account receives the same additions of the
    same value as before, so even floating-point sums come out bit for bit the same.
    """
    n = idx.shape[0]
    if n == 0:
        return
    s = np.sort(idx)
    first = np.empty(n, bool)
    first[0] = True
    np.not_equal(s[1:], s[:-1], out=first[1:])
    if first.all():
        target[s] += value
        return
    starts = np.flatnonzero(first)
    rank = np.arange(n) - np.repeat(starts, np.diff(np.append(starts, n)))
    for r in range(int(rank.max()) + 1):
        target[s[rank == r]] += value
