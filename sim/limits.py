"""Size ceilings: how big a book, a floor or an experiment RecoveryLab accepts.

A typo of three zeros turns 7,500 accounts into 7,500,000,000, and the simulator would
try to allocate hundreds of GiB before failing -- or run for days. Every size an
analyst can write has a ceiling well above any realistic collections floor, and the
error says what the value would cost (memory, or runs) and how to raise the ceiling on
purpose: ``--limit accounts=5000000`` on any ``recoverylab`` command.

The ceilings live in one mutable table read at validation time, so a command-line flag
(:func:`raise_limit`) can lift one for a single process without touching the models.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

BYTES_PER_ACCOUNT = 250
"""Memory per account in the simulated book: about 40 per-account columns (int64 money,
float64 traits, int16 days) plus the rolling attempt window, rounded up."""


@dataclass(frozen=True)
class Limit:
    """One ceiling, with the unit it counts and what exceeding it costs."""

    name: str
    """Name used by ``--limit NAME=VALUE``."""
    default: int
    """The ceiling unless raised."""
    unit: str
    """What is counted, e.g. "accounts"."""
    cost_per_unit: int = 0
    """Bytes of memory per unit (0 when the cost is time, not memory)."""
    cost_in_time: str = ""
    """What a unit costs in time, when that is the binding cost."""
    memory_per: str = ""
    """What the memory is per (e.g. " per simulated year"), when not the whole run."""
    hard_max: int | None = None
    """A ceiling no flag can lift (the data type itself would overflow)."""

    def cost(self, value: float) -> str:
        """What ``value`` units would need, in words."""
        if self.cost_per_unit:
            return f"about {human_bytes(value * self.cost_per_unit)} of memory{self.memory_per}"
        return self.cost_in_time.format(value=value)


LIMITS: dict[str, Limit] = {
    limit.name: limit
    for limit in (
        Limit("accounts", 1_000_000, "accounts in the starting book", BYTES_PER_ACCOUNT),
        Limit("inflow", 50_000, "accounts a day of mean inflow", BYTES_PER_ACCOUNT * 365,
              memory_per=" per simulated year"),
        Limit("book", 2_000_000, "accounts over the run (book + inflow x days)",
              BYTES_PER_ACCOUNT),
        Limit("headcount", 5_000, "collectors in one team", 0,
              "{value:,.0f} simulated collector processes (each works every minute of its "
              "shifts; expect hours of CPU)"),
        Limit("days", 3650, "simulated days", 0,
              "{value:,.0f} simulated days (day numbers are stored in 16 bits)",
              hard_max=30_000),
        Limit("replications", 1_000, "replications", 0,
              "{value:,.0f} full simulations per point"),
        Limit("points", 1_000, "experiment points", 0,
              "{value:,.0f} scenarios, each run for every replication"),
    )
}
"""Every size ceiling by its ``--limit`` name."""

_raised: dict[str, int] = {}


def ceiling(name: str) -> int:
    """The ceiling in force for ``name`` (raised by :func:`raise_limit` or the default)."""
    return _raised.get(name, LIMITS[name].default)


def raise_limit(name: str, value: int) -> None:
    """Lift one ceiling for this process (``--limit NAME=VALUE``)."""
    if name not in LIMITS:
        raise KeyError(name)
    hard = LIMITS[name].hard_max
    if hard is not None and value > hard:
        raise ValueError(f"{name} cannot exceed {hard:,}")
    _raised[name] = value


@contextlib.contextmanager
def raised(**values: int) -> Iterator[None]:
    """Temporarily raise ceilings (tests, notebooks)."""
    before = dict(_raised)
    try:
        for name, value in values.items():
            raise_limit(name, value)
        yield
    finally:
        _raised.clear()
        _raised.update(before)


def over(name: str, value: float) -> str | None:
    """Why ``value`` exceeds the ``name`` ceiling, in words, or None when it does not."""
    top = ceiling(name)
    if value <= top:
        return None
    limit = LIMITS[name]
    shown = f"{value:,}" if isinstance(value, int) else f"{value:,.0f}"
    return (f"{shown} {limit.unit} is above the ceiling of {top:,} ({limit.cost(value)}); "
            f"raise it on purpose with --limit {name}=N")


def human_bytes(size: float) -> str:
    """``1.5 GiB`` style size."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if size < 1024 or unit == "PiB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size:,.1f} PiB"
