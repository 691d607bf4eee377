"""The contact policy in array form: how many calls each account may still get today,
and how many breaches a day's calls contain.

:mod:`sim.compliance` audits a contact log one call at a time; this module does the same
arithmetic for whole days at once so the engine can *enforce* the policy (when
``compliance.enforce`` is on) and *count* breaches (always: zero when enforcing, the
measure of a non-compliant strategy otherwise). The two are tested against each other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sim.calendar import MINUTES_PER_DAY

I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

DIMENSIONS: tuple[str, ...] = (
    "contact_window",
    "max_attempts_per_day",
    "max_connected_per_day",
    "max_attempts_in_days",
    "quiet_after_conversation",
)


@dataclass(frozen=True, slots=True)
class Limits:
    """The numeric limits of a :class:`sim.rules.ContactPolicy` (None = no limit)."""

    window_start: int
    window_end: int
    per_day: int | None
    count_all: bool
    connected_per_day: int | None
    in_days: int | None
    span: int | None
    quiet: int | None

    @classmethod
    def of(cls, policy: object) -> Limits:
        """Read the limits off a ContactPolicy."""
        p = policy
        return cls(
            window_start=int(getattr(p, "window_start_minute")),  # noqa: B009
            window_end=int(getattr(p, "window_end_minute")),  # noqa: B009
            per_day=getattr(p, "max_attempts_per_day"),  # noqa: B009
            count_all=getattr(p, "attempts_count") == "all",  # noqa: B009
            connected_per_day=getattr(p, "max_connected_per_day"),  # noqa: B009
            in_days=getattr(p, "max_attempts_in_days"),  # noqa: B009
            span=getattr(p, "attempts_window_days"),  # noqa: B009
            quiet=getattr(p, "quiet_days_after_conversation"),  # noqa: B009
        )


def count_breaches(
    limits: Limits,
    day: int,
    account: I64,
    time: npt.NDArray[np.float64],
    local_minute: npt.NDArray[np.int64],
    connected: B,
    by_collector: B,
    prior_in_span: I64,
    last_conversation: npt.NDArray[np.int16],
) -> dict[str, int]:
    """Breaches per dimension among one day's calls, counted as the auditor counts them.

    ``prior_in_span`` and ``last_conversation`` are per call (looked up by account): the
    collector attempts in the previous ``span - 1`` days, and the local day of the last
    conversation before today.
    """
    out = dict.fromkeys(DIMENSIONS, 0)
    if account.shape[0] == 0:
        return out
    order = np.lexsort((time, account))
    acc = account[order]
    conn = connected[order]
    coll = by_collector[order]
    tod = local_minute[order] % MINUTES_PER_DAY
    first = np.ones(acc.shape[0], bool)
    first[1:] = acc[1:] != acc[:-1]
    group_start = np.maximum.accumulate(np.where(first, np.arange(acc.shape[0]), 0))

    def inclusive(flag: B) -> I64:
        """Running count of ``flag`` within each account's calls, this call included."""
        c = np.cumsum(flag, dtype=np.int64)
        return c - np.where(group_start > 0, c[group_start - 1], 0)

    def running(flag: B) -> I64:
        """1-based position of each flagged call among its account's flagged calls."""
        return np.where(flag, inclusive(flag), 0)

    outside = coll & ((tod < limits.window_start) | (tod >= limits.window_end))
    out["contact_window"] = int(outside.sum())
    if limits.per_day is not None:
        counted = coll & (limits.count_all | ~conn)
        out["max_attempts_per_day"] = int((running(counted) > limits.per_day).sum())
    if limits.connected_per_day is not None:
        out["max_connected_per_day"] = int(
            (running(coll & conn) > limits.connected_per_day).sum()
        )
    if limits.in_days is not None:
        n = running(coll) + prior_in_span[order]
        out["max_attempts_in_days"] = int((coll & (n > limits.in_days)).sum())
    if limits.quiet is not None:
        earlier_conv = inclusive(conn) - conn.astype(np.int64) > 0
        recent = (day - last_conversation[order].astype(np.int64) + 1) <= limits.quiet
        out["quiet_after_conversation"] = int((coll & (earlier_conv | recent)).sum())
    return out
