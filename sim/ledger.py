"""The run's ledger: the one place where money moves and activity is counted.

A collections operation is judged on flows: cash in (by where it came from), cost out
(by cost line) and activity (attempts, contacts, promises, complaints, ...). Every such
flow of a run is booked here, against a **measure** declared once:

- :class:`Source` -- cash in; daily column ``paid_<name>``, summed into ``collected``;
- :class:`CostLine` -- a cost; daily column ``cost_<name>``, summed into ``cost_total``;
- :class:`Count` -- a whole-number count (attempts, promises, ...);
- :class:`Gauge` -- a real-valued quantity (handle minutes, queue area);
- :class:`Amount` -- money that is neither cash nor cost (the balance charged off).

A booking names a measure object, never a string, and the run's :class:`Schema` lists
every measure it may book: booking one it does not list raises ``KeyError``. So a new
channel that forgot to declare its cost line fails loudly instead of silently dropping
its cost from ``total_cost``, and the daily records, ``collected`` and ``cost_total``
are generated from the schema instead of from hand-written lists.

Money is kept in integer minor units (fen, cents). Besides the day's flows the ledger
keeps the run's money totals, which must reconcile to the minor unit::

    opening + fees = collected on book + charged off + forgiven + still owed

(cash received after a charge-off is collected, but not "on book": the charged-off
balance already left the book). :meth:`Ledger.totals` reports them with ``balanced``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Source:
    """Where cash comes from (daily column ``paid_<name>``)."""

    name: str
    label: str = ""
    """The words a collections manager uses for it (charts, summaries)."""

    @property
    def column(self) -> str:
        return f"paid_{self.name}"


@dataclass(frozen=True, slots=True)
class _Named:
    """A measure whose daily column is its name."""

    name: str

    @property
    def column(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class CostLine(_Named):
    """A line of the cost account (daily column ``cost_<name>``)."""

    @property
    def column(self) -> str:
        return f"cost_{self.name}"


@dataclass(frozen=True, slots=True)
class Count(_Named):
    """A whole-number daily count (column ``<name>``)."""


@dataclass(frozen=True, slots=True)
class Gauge(_Named):
    """A real-valued daily quantity such as minutes (column ``<name>``)."""


@dataclass(frozen=True, slots=True)
class Amount(_Named):
    """Money booked per day that is neither cash in nor cost (column ``<name>``)."""


# Cash sources that belong to no outbound channel: how debtors pay.
SELF_CURE = Source("self_cure", "self-cure")
PARTIAL = Source("partial", "part payments")
PROMISE = Source("promise", "promises kept")
PLAN = Source("plan", "instalment plans")
SETTLEMENT = Source("settlement", "settlements")
AGENCY = Source("agency", "agency")
LEGAL = Source("legal", "legal action")
COLLATERAL = Source("collateral", "collateral")
POST_WRITEOFF = Source("post_writeoff", "after write-off")
SOURCES = (SELF_CURE, PARTIAL, PROMISE, PLAN, SETTLEMENT, AGENCY, LEGAL, COLLATERAL,
           POST_WRITEOFF)
"""Every cash source, in the order of the daily records."""

# Cost lines that belong to no channel.
STAFF = CostLine("staff")
COMPLAINTS_COST = CostLine("complaints")

# Counts of the account's life, whichever channel caused them.
CONTACTS = Count("contacts")
PROMISES = Count("promises")
PROMISES_DUE = Count("promises_due")
PROMISES_KEPT = Count("promises_kept")
PROMISES_BROKEN = Count("promises_broken")
COMPLAINTS = Count("complaints")
BREACHES = Count("breaches")
CURED = Count("cured")
CLOSED = Count("closed")
CHARGED_OFF = Count("charged_off")
REDEFAULTED = Count("redefaulted")
LIFE_COUNTS = (CONTACTS, PROMISES, PROMISES_DUE, PROMISES_KEPT, PROMISES_BROKEN, COMPLAINTS,
               BREACHES, CURED, CLOSED, CHARGED_OFF, REDEFAULTED)

CHARGED_OFF_AMOUNT = Amount("charged_off_amount")


def promises_by(channel: str) -> Count:
    """Promises to pay made through ``channel`` (column ``promises_<channel>``)."""
    return Count(f"promises_{channel}")


@dataclass(frozen=True, slots=True)
class Schema:
    """Every measure one run may book, in the order of its daily records."""

    sources: tuple[Source, ...]
    costs: tuple[CostLine, ...]
    counts: tuple[Count, ...]
    gauges: tuple[Gauge, ...]
    amounts: tuple[Amount, ...] = (CHARGED_OFF_AMOUNT,)

    def __post_init__(self) -> None:
        columns = [m.column for group in (self.sources, self.costs, self.counts, self.gauges,
                                          self.amounts) for m in group]
        clash = sorted({c for c in columns if columns.count(c) > 1})
        if clash:
            raise ValueError(f"measures declared twice: {', '.join(clash)}")

    @staticmethod
    def of(sources: Iterable[Source], costs: Iterable[CostLine], counts: Iterable[Count],
           gauges: Iterable[Gauge], amounts: Iterable[Amount] = ()) -> Schema:
        """A schema from measure lists (duplicates of the same measure kept once)."""
        return Schema(tuple(dict.fromkeys(sources)), tuple(dict.fromkeys(costs)),
                      tuple(dict.fromkeys(counts)), tuple(dict.fromkeys(gauges)),
                      tuple(dict.fromkeys((CHARGED_OFF_AMOUNT, *amounts))))


class Ledger:
    """One run's ledger: today's flows by measure and the run's money totals.

    ``scale`` is minor units per major unit (100 for cents). :meth:`open_day` starts a
    day, :meth:`close_day` adds its costs to the run's totals and returns its row.
    """

    def __init__(self, schema: Schema, scale: int) -> None:
        self.schema = schema
        self.scale = scale
        self.opening = 0
        """Balances that entered collections (the starting book and every arrival)."""
        self.fees = 0
        """Late fees added to balances."""
        self.collected = 0
        """Cash received, on book and after charge-off."""
        self.recovered_after_writeoff = 0
        """The part of ``collected`` received on charged-off accounts."""
        self.forgiven = 0
        """Settlement discounts written off by agreement."""
        self.charged_off = 0
        """Balances charged off."""
        self.cost_totals = dict.fromkeys(schema.costs, 0)
        """Cost per line over every simulated day (the run-off included)."""
        self.open_day()

    def open_day(self) -> None:
        """Start a day with every flow at zero."""
        s = self.schema
        self._cash = dict.fromkeys(s.sources, 0)
        self._cost = dict.fromkeys(s.costs, 0)
        self._count = dict.fromkeys(s.counts, 0)
        self._gauge = dict.fromkeys(s.gauges, 0.0)
        self._amount = dict.fromkeys(s.amounts, 0)

    # -- money ------------------------------------------------------------------------
    def receive(self, source: Source, amount: int, after_writeoff: int = 0) -> None:
        """Cash in (minor units); ``after_writeoff`` of it came on charged-off accounts."""
        self._cash[source] += amount
        self.collected += amount
        self.recovered_after_writeoff += after_writeoff

    def add_opening(self, amount: int) -> None:
        """Balances entering collections (minor units)."""
        self.opening += amount

    def add_fees(self, amount: int) -> None:
        """Late fees added to balances (minor units)."""
        self.fees += amount

    def forgive(self, amount: int) -> None:
        """A settlement's discount, written off by agreement (minor units)."""
        self.forgiven += amount

    def charge_off(self, accounts: int, amount: int) -> None:
        """Accounts charged off with their balances (minor units)."""
        self.charged_off += amount
        self._count[CHARGED_OFF] += accounts
        self._amount[CHARGED_OFF_AMOUNT] += amount

    def amount(self, measure: Amount, minor: int) -> None:
        """Money that is neither cash in nor cost, e.g. an attribution (minor units)."""
        self._amount[measure] += minor

    def cost(self, line: CostLine, amount_major: float) -> None:
        """A cost in major units, rounded to the minor unit when booked."""
        self._cost[line] += round(amount_major * self.scale)

    def cost_minor(self, line: CostLine, amount: int) -> None:
        """A cost already in minor units."""
        self._cost[line] += amount

    # -- activity ---------------------------------------------------------------------
    def count(self, measure: Count, n: int) -> None:
        """Add ``n`` to today's count."""
        self._count[measure] += n

    def gauge(self, measure: Gauge, value: float) -> None:
        """Add ``value`` to today's quantity."""
        self._gauge[measure] += value

    def today(self, measure: Count | Source | CostLine) -> int:
        """Today's value of a count, cash source or cost line so far."""
        if isinstance(measure, Count):
            return self._count[measure]
        if isinstance(measure, Source):
            return self._cash[measure]
        return self._cost[measure]

    # -- records ----------------------------------------------------------------------
    def close_day(self) -> dict[str, float]:
        """Add today's costs to the run's totals; return today's flow columns.

        Money columns are in major units; ``collected`` and ``cost_total`` are the sums
        of the declared sources and cost lines, so nothing declared can be left out.
        """
        scale = self.scale
        for line, value in self._cost.items():
            self.cost_totals[line] += value
        row: dict[str, float] = {}
        for source, minor in self._cash.items():
            row[source.column] = minor / scale
        row["collected"] = sum(minor / scale for minor in self._cash.values())
        for line, minor in self._cost.items():
            row[line.column] = minor / scale
        row["cost_total"] = sum(minor / scale for minor in self._cost.values())
        for count, n in self._count.items():
            row[count.column] = int(n)
        for gauge, quantity in self._gauge.items():
            row[gauge.column] = float(quantity)
        for amount, minor in self._amount.items():
            row[amount.column] = minor / scale
        return row

    def totals(self, outstanding: int, charged_off_remaining: int) -> dict[str, Any]:
        """The run's money totals (minor units) and whether they reconcile.

        ``outstanding`` is what is still owed on book; ``charged_off_remaining`` what is
        still owed on charged-off accounts (reported, outside the identity).
        """
        on_book = self.collected - self.recovered_after_writeoff
        led: dict[str, Any] = {
            "opening": self.opening,
            "fees": self.fees,
            "collected": self.collected,
            "forgiven": self.forgiven,
            "charged_off": self.charged_off,
            "recovered_after_writeoff": self.recovered_after_writeoff,
        }
        led.update({line.column: total for line, total in self.cost_totals.items()})
        led["outstanding"] = outstanding
        led["charged_off_remaining"] = charged_off_remaining
        led["balanced"] = int(self.opening + self.fees
                              == on_book + self.charged_off + self.forgiven + outstanding)
        return led
