"""An independent audit of a contact log against a :class:`~sim.rules.ContactPolicy`.

Why collections limits look the way they do
-------------------------------------------
Calling is a collector's main tool and the easiest to abuse: a debtor rung twenty times
a day, or at midnight, is being harassed whatever is said on the line. Regulators and
industry bodies therefore limit contact along a few dimensions, all in the *debtor's*
local time:

``contact_window``
    Calls only in a daytime window, e.g. 08:00-22:00 in China (CBA 2026 guideline) or
    08:00-21:00 in the US (Regulation F presumes earlier or later inconvenient).
``max_attempts_per_day``
    Dial attempts per account per local day. China's guideline counts only
    *unanswered* attempts (at most 6), so a debtor who keeps not picking up is not
    dialled all day; a house policy may count *all* attempts instead.
``max_connected_per_day``
    Conversations actually held per day (at most 3 in China's internet-finance
    guideline, lender and agencies together): being reached and pressed again and
    again in one day is itself pressure.
``max_attempts_in_days``
    A rolling cap, e.g. Regulation F's 7 calls in any 7 consecutive days.
``quiet_after_conversation``
    After a real conversation, leave the debtor alone for a while: Regulation F
    presumes a call within 7 days of one (the conversation's day counts as day 1)
    to be harassing.

What counts
-----------
Only calls the *collector* places count toward the attempt caps and must fall in the
window: a debtor ringing in at 22:30 breaks nothing. Following Regulation F as the
reference describes it, a call the *debtor* starts still counts as a conversation,
so it opens a quiet period. A "conversation" here is any connected call.

This module is deliberately plain: one pass per account, counters and a queue, no
numpy. The simulator enforces the same policy in a vectorised way; tests replay its
contact log through :func:`audit_contact_log` to show that an enforcing run never
breaches, and a non-enforcing run's breach count matches.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sim.rules import MINUTES_PER_DAY, ContactPolicy, clock

Initiator = Literal["collector", "debtor"]
Dimension = Literal[
    "contact_window",
    "max_attempts_per_day",
    "max_connected_per_day",
    "max_attempts_in_days",
    "quiet_after_conversation",
]

__all__ = ["Attempt", "Breach", "ContactPolicy", "audit_contact_log", "breach_counts"]


@dataclass(frozen=True, slots=True)
class Attempt:
    """One call in the contact log, stamped in the debtor's local time.

    ``day`` is any integer numbering of local calendar days (the simulator's day index,
    or ``date.toordinal()``); only differences between days matter.
    """

    account: Hashable
    day: int
    minute: int
    """Minutes after local midnight, 0-1439."""
    connected: bool
    """Whether someone answered and a conversation took place."""
    initiated_by: Initiator = "collector"

    def __post_init__(self) -> None:
        if not 0 <= self.minute < MINUTES_PER_DAY:
            raise ValueError(f"minute must be in 0..{MINUTES_PER_DAY - 1}, got {self.minute}")
        if self.initiated_by not in ("collector", "debtor"):
            raise ValueError(
                f"initiated_by must be 'collector' or 'debtor', got {self.initiated_by!r}"
            )

    @classmethod
    def at(
        cls,
        account: Hashable,
        when: datetime,
        connected: bool,
        initiated_by: Initiator = "collector",
    ) -> Attempt:
        """An attempt at a local wall-clock datetime (its timezone, if any, is ignored)."""
        return cls(
            account, when.date().toordinal(), when.hour * 60 + when.minute, connected, initiated_by
        )

    @classmethod
    def at_minute(
        cls,
        account: Hashable,
        local_minute: int,
        connected: bool,
        initiated_by: Initiator = "collector",
    ) -> Attempt:
        """An attempt at a count of local minutes since midnight of day 0 (the sim clock)."""
        day, minute = divmod(local_minute, MINUTES_PER_DAY)
        return cls(account, day, minute, connected, initiated_by)


@dataclass(frozen=True, slots=True)
class Breach:
    """A call that broke one dimension of the contact policy."""

    dimension: Dimension
    """Which limit, named like the rule pack's ``check``."""
    account: Hashable
    day: int
    minute: int
    index: int
    """Position of the offending attempt in the audited log."""
    detail: str

    def __str__(self) -> str:
        return f"account {self.account} day {self.day} {clock(self.minute)}: {self.detail}"


def audit_contact_log(policy: ContactPolicy, attempts: Iterable[Attempt]) -> list[Breach]:
    """Every breach of ``policy`` in ``attempts``, in chronological order.

    Attempts are taken in order of (day, minute), ties in log order. A call breaching
    several limits yields one :class:`Breach` per limit. Removing every breaching call
    from a log leaves a log with no breaches.
    """
    log = list(attempts)
    order = sorted(range(len(log)), key=lambda i: (log[i].day, log[i].minute, i))
    per_account: dict[Hashable, list[int]] = defaultdict(list)
    for i in order:
        per_account[log[i].account].append(i)
    found: list[Breach] = []
    for indices in per_account.values():
        found.extend(_audit_account(policy, log, indices))
    found.sort(key=lambda b: (b.day, b.minute, b.index))
    return found


def _audit_account(policy: ContactPolicy, log: list[Attempt], indices: list[int]) -> list[Breach]:
    """Audit one account's calls, given in chronological order."""
    out: list[Breach] = []
    per_day: Counter[tuple[int, str]] = Counter()  # (day, what) -> calls so far
    recent: deque[int] = deque()  # days of collector attempts inside the rolling span
    last_conversation: int | None = None  # day of the latest connected call so far

    def breach(dimension: Dimension, i: int, detail: str) -> None:
        a = log[i]
        out.append(Breach(dimension, a.account, a.day, a.minute, i, detail))

    for i in indices:
        a = log[i]
        if a.initiated_by == "collector":
            if not policy.allows_minute(a.minute):
                breach(
                    "contact_window",
                    i,
                    "call outside the contact window "
                    f"{clock(policy.window_start_minute)}-{clock(policy.window_end_minute)}",
                )

            counted = policy.attempts_count == "all" or not a.connected
            if counted:
                per_day[a.day, "attempts"] += 1
            cap = policy.max_attempts_per_day
            if counted and cap is not None and per_day[a.day, "attempts"] > cap:
                kind = "attempt" if policy.attempts_count == "all" else "unanswered attempt"
                breach(
                    "max_attempts_per_day",
                    i,
                    f"{kind} number {per_day[a.day, 'attempts']} today (limit {cap})",
                )

            if a.connected:
                per_day[a.day, "connected"] += 1
            cap = policy.max_connected_per_day
            if a.connected and cap is not None and per_day[a.day, "connected"] > cap:
                breach(
                    "max_connected_per_day",
                    i,
                    f"connected call number {per_day[a.day, 'connected']} today (limit {cap})",
                )

            span, cap = policy.attempts_window_days, policy.max_attempts_in_days
            if span is not None and cap is not None:
                recent.append(a.day)
                while recent[0] <= a.day - span:
                    recent.popleft()
                if len(recent) > cap:
                    breach(
                        "max_attempts_in_days",
                        i,
                        f"attempt number {len(recent)} in {span} days (limit {cap})",
                    )

            quiet = policy.quiet_days_after_conversation
            if quiet is not None and last_conversation is not None:
                since = a.day - last_conversation + 1  # the conversation's day is day 1
                if since <= quiet:
                    breach(
                        "quiet_after_conversation",
                        i,
                        f"call on day {since} after a conversation (quiet for {quiet} days)",
                    )
        if a.connected:
            last_conversation = a.day
    return out


def breach_counts(breaches: Iterable[Breach]) -> dict[str, int]:
    """Number of breaches per policy dimension (dimensions with none are left out)."""
    return dict(Counter(b.dimension for b in breaches))
