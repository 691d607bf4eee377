"""Collection channels, each declared once: name, cost line, delivery and counters.

A channel is a way of working an account: a text message, a robot call, an agent's
call, a letter, a field visit, a restructuring offer, an agency placement, a lawsuit.
Collections teams compare channels by what each costs and what it achieves, so every
channel has a **cost line** of its own and the **counters** of what it did.

A :class:`Channel` declaration says all of that in one place:

- ``name`` -- the strategy action that uses it (``sms``, ``call``, ...), or a name of
  its own for channels no rung asks for (inbound calls, post-write-off agencies);
- ``delivery`` -- how the work is done: ``batch`` (vectorised each morning over the
  accounts the strategy marks, no capacity limit), ``quota`` (a batch with a daily
  capacity, biggest priority first), ``floor`` (collectors on shifts, simulated in
  SimPy), ``offer`` (made when a collector reaches the debtor) or ``follow_up``
  (recoveries that arrive later by themselves);
- ``cost_line`` and ``counts`` / ``gauges`` -- what the ledger books for it;
- ``one_off`` -- done at most once per account (stays due until done);
- ``unit_cost`` and ``apply`` -- for a batch channel, the cost per account worked
  (major units, from the scenario) and what working an account does to it;
  ``arrives_after`` -- for posted items, the days until ``apply`` works them;
  ``stream`` -- the random stream ``apply`` draws from.

Text messages, e-mails and letters are declared this way and run by the same code as
an added channel; the other built-in channels still have their behaviour written in
:mod:`sim.morning` and :mod:`sim.evening`, because each needs more of the run than a
batch shows (a daily capacity, the floor, the contact rules, the book's index sets).

The run's ledger schema (:func:`schema`), the strategy's actions
(:func:`mask_actions`, :func:`actions`), the daily records and ``total_cost`` are all
derived from the declarations, so adding a channel is one :func:`register` call: its
cost reaches ``total_cost`` and its counts reach the daily records without another edit.

This module imports only :mod:`sim.ledger`, because the scenario's strategy spec reads
the action names from it while :mod:`sim.scenario` is being imported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sim import ledger as lg
from sim import team_records
from sim.ledger import CostLine, Count, Gauge, Ledger, Schema

if TYPE_CHECKING:
    from sim.scenario.channels import LetterChannel, MessageChannel
    from sim.scenario.root import Scenario

Delivery = Literal["batch", "quota", "floor", "offer", "follow_up"]


@dataclass(frozen=True, slots=True)
class Channel:
    """One channel's declaration (see the module docstring)."""

    name: str
    delivery: Delivery
    cost_line: CostLine | None
    counts: tuple[Count, ...] = ()
    gauges: tuple[Gauge, ...] = ()
    one_off: bool = False
    unit_cost: Callable[[Scenario], float] | None = None
    """Batch channels: cost per account worked, major units."""
    apply: Callable[[Any, Any, int], None] | None = None
    """Batch channels run generically: ``apply(batch, accounts, day)`` after the engine
    booked ``unit_cost`` and ``sent_<name>`` (``batch`` is a :class:`sim.morning.Batch`)."""
    arrives_after: Callable[[Scenario], int] | None = None
    """Posted channels: days from sending to arrival. ``apply`` then works the accounts
    whose post arrives today and that are still delinquent (not those sent today)."""
    stream: str | None = None
    """The random stream ``apply`` draws from (default ``channel:<name>``, a stream of the
    channel's own, so adding a channel leaves every other source's draws untouched)."""

    @property
    def masked(self) -> bool:
        """Whether the strategy asks for it with a yes/no mask per account."""
        return self.delivery in ("batch", "quota")

    @property
    def sent(self) -> Count:
        """The count of accounts a batch channel worked (``sent_<name>``)."""
        return Count(f"sent_{self.name}")


# Counters of the built-in channels, named for the code that books them.
SENT_SMS, SENT_EMAIL, SENT_LETTER = Count("sent_sms"), Count("sent_email"), Count("sent_letter")
ROBOT_ATTEMPTS, ROBOT_CONTACTS = Count("robot_attempts"), Count("robot_contacts")
FIELD_VISITS = Count("field_visits")
LEGAL_FILED, PLACED_AGENCY = Count("legal_filed"), Count("placed_agency")
AGENT_ATTEMPTS, AGENT_CONNECTED = Count("agent_attempts"), Count("agent_connected")
AGENT_RPC, AGENT_PTP = Count("agent_rpc"), Count("agent_ptp")
WORKLIST = Count("worklist")
HANDLE_MINUTES = Gauge("handle_minutes")
INBOUND_OFFERED, INBOUND_ANSWERED = Count("inbound_offered"), Count("inbound_answered")
INBOUND_ABANDONED, INBOUND_WITHIN_SL = Count("inbound_abandoned"), Count("inbound_within_sl")
INBOUND_PROMPTED = Count("inbound_prompted")
INBOUND_WAIT, INBOUND_BUSY = Gauge("inbound_wait_minutes"), Gauge("inbound_busy_minutes")
INBOUND_QUEUE_AREA = Gauge("inbound_queue_area")
PLANS_STARTED, PLANS_BROKEN = Count("plans_started"), Count("plans_broken")
PLANS_COMPLETED, SETTLED = Count("plans_completed"), Count("settled")



def _written(spec: Callable[[Scenario], MessageChannel | LetterChannel],
             complaint: Callable[[Scenario], float]) -> Callable[[Any, Any, int], None]:
    """What a written reminder does when read: a little pressure, a little complaint
    risk, and a chance the debtor calls back today (``spec`` picks the channel's
    scenario section, ``complaint`` its complaint chance per item)."""

    def read(batch: Any, accounts: Any, day: int) -> None:
        sc = batch.scenario
        params = spec(sc)
        batch.pressure(accounts, params.pressure)
        batch.complaint_risk(accounts, complaint(sc))
        batch.call_back(accounts[batch.rng.random(accounts.shape[0]) < params.callback_rate])

    return read


# Messages and letters share the callbacks stream (as they did before they were
# declared): the random numbers of every run stay what they were.
SMS = Channel("sms", "batch", CostLine("sms"), (SENT_SMS,),
              unit_cost=lambda sc: sc.channels.sms.cost,
              apply=_written(lambda sc: sc.channels.sms,
                             lambda sc: sc.behaviour.complaints.per_message),
              stream="callbacks")
EMAIL = Channel("email", "batch", CostLine("email"), (SENT_EMAIL,),
                unit_cost=lambda sc: sc.channels.email.cost,
                apply=_written(lambda sc: sc.channels.email,
                               lambda sc: sc.behaviour.complaints.per_message),
                stream="callbacks")
ROBOT = Channel("robot", "batch", CostLine("robot"),
                (ROBOT_ATTEMPTS, ROBOT_CONTACTS, lg.promises_by("robot")))
CALL = Channel("call", "floor", CostLine("calls"),
               (AGENT_ATTEMPTS, AGENT_CONNECTED, AGENT_RPC, AGENT_PTP, WORKLIST,
                lg.promises_by("agent")), (HANDLE_MINUTES,))
INBOUND = Channel("inbound", "floor", CostLine("inbound"),
                  (INBOUND_OFFERED, INBOUND_ANSWERED, INBOUND_ABANDONED, INBOUND_WITHIN_SL,
                   INBOUND_PROMPTED, lg.promises_by("inbound")),
                  (INBOUND_WAIT, INBOUND_BUSY, INBOUND_QUEUE_AREA))
LETTER = Channel("letter", "batch", CostLine("letters"), (SENT_LETTER,),
                 unit_cost=lambda sc: sc.channels.letter.cost,
                 apply=_written(lambda sc: sc.channels.letter,
                                lambda sc: sc.behaviour.complaints.per_letter),
                 arrives_after=lambda sc: sc.channels.letter.delivery_days, stream="callbacks")
FIELD_VISIT = Channel("field_visit", "quota", CostLine("field"),
                      (FIELD_VISITS, lg.promises_by("field")))
RESTRUCTURE = Channel("restructure_offer", "offer", CostLine("restructure"),
                      (PLANS_STARTED, PLANS_BROKEN, PLANS_COMPLETED))
SETTLEMENT = Channel("settlement_offer", "offer", None, (SETTLED,))
LEGAL = Channel("legal", "quota", CostLine("legal"), (LEGAL_FILED,), one_off=True)
BUREAU = Channel("bureau", "batch", CostLine("bureau"), one_off=True)
REPOSSESS = Channel("repossess", "batch", CostLine("repossession"), one_off=True)
AGENCY = Channel("agency", "batch", CostLine("agency"), (PLACED_AGENCY,), one_off=True)
WRITEOFF = Channel("writeoff", "follow_up", CostLine("writeoff_commission"))

BUILT_IN: tuple[Channel, ...] = (SMS, EMAIL, ROBOT, CALL, INBOUND, LETTER, FIELD_VISIT,
                                 RESTRUCTURE, SETTLEMENT, LEGAL, BUREAU, REPOSSESS, AGENCY,
                                 WRITEOFF)
"""The channels the engine implements itself (their order is the daily records')."""

_registered: list[Channel] = []


def charge(ledger: Ledger, channel: Channel, amount_major: float) -> None:
    """Book today's cost of a channel (major units) on its own cost line."""
    ledger.cost(_cost_line(channel), amount_major)


def charge_minor(ledger: Ledger, channel: Channel, amount: int) -> None:
    """Book today's cost of a channel already in minor units (a commission)."""
    ledger.cost_minor(_cost_line(channel), amount)


def _cost_line(channel: Channel) -> CostLine:
    if channel.cost_line is None:
        raise ValueError(f"channel {channel.name!r} declares no cost line")
    return channel.cost_line


def register(channel: Channel) -> Channel:
    """Add a batch channel; runs, strategies and records pick it up from then on.

    Only repeatable ``batch`` channels with a ``unit_cost`` can be added: the engine runs
    them generically each morning (:class:`sim.morning.Batch`), after the built-in
    batches, on the accounts the strategy marks. Names must be new. Registration lives
    in this process: runs in worker processes see it only if the workers import the
    module that registers it.
    """
    if channel.delivery != "batch" or channel.unit_cost is None or channel.one_off:
        raise ValueError("only repeatable batch channels with a unit_cost can be registered")
    if channel.stream is not None:
        raise ValueError("a registered channel draws from its own stream (leave stream unset)")
    if any(c.name == channel.name for c in all_channels()):
        raise ValueError(f"channel {channel.name!r} is already declared")
    _registered.append(channel)
    return channel


def unregister(channel: Channel) -> None:
    """Remove a registered channel (tests)."""
    _registered.remove(channel)


def all_channels() -> tuple[Channel, ...]:
    """Built-in channels, then registered ones."""
    return BUILT_IN + tuple(_registered)


def generic_built_ins() -> tuple[Channel, ...]:
    """Built-in batch channels whose whole behaviour is their declaration (``apply``):
    the morning runs them first, in this order, as it runs registered channels."""
    return tuple(c for c in BUILT_IN if c.apply is not None)


def registered() -> tuple[Channel, ...]:
    """Channels added with :func:`register` (run generically by the engine)."""
    return tuple(_registered)


def mask_actions() -> tuple[str, ...]:
    """Strategy actions given as a yes/no mask per account (batch and quota channels)."""
    return tuple(c.name for c in all_channels() if c.masked)


def one_off_actions() -> frozenset[str]:
    """Actions done at most once per account."""
    return frozenset(c.name for c in all_channels() if c.one_off)


def actions() -> tuple[str, ...]:
    """Every action a ladder rung may name."""
    return tuple(c.name for c in all_channels() if c.delivery != "follow_up"
                 and c is not INBOUND)


def schema(team_names: Sequence[str]) -> Schema:
    """The ledger schema of a run with these teams: every declared measure.

    Per-team inbound counts (``inbound_offered_<team>``, ...) follow the total ones,
    because sizing one team's line needs its own load; so do the per-team outbound
    measures of :mod:`sim.team_records` (collector productivity).
    """
    channels = all_channels()
    costs = [lg.STAFF, *(c.cost_line for c in channels if c.cost_line is not None),
             lg.COMPLAINTS_COST]
    counts = [*lg.LIFE_COUNTS, *(m for c in channels for m in c.counts),
              *(c.sent for c in _registered),
              *team_inbound_counts(team_names), *team_records.counts(team_names)]
    gauges = [*(m for c in channels for m in c.gauges), *team_records.gauges(team_names)]
    return Schema.of(lg.SOURCES, costs, counts, gauges, team_records.amounts(team_names))


TEAM_INBOUND_COUNTS = ("offered", "answered", "abandoned")
"""Inbound counters the daily records keep per team as well as in total."""


def inbound_column(kind: str, team: str) -> str:
    """Daily-record column of one team's inbound count, e.g. ``inbound_offered_early``."""
    return f"inbound_{kind}_{team}"


def team_inbound(kind: str, team: str) -> Count:
    """One team's inbound count, e.g. ``inbound_offered_early``."""
    return Count(inbound_column(kind, team))


def team_inbound_counts(teams: Sequence[str]) -> list[Count]:
    """Every per-team inbound count for ``teams``."""
    return [team_inbound(kind, team) for team in teams for kind in TEAM_INBOUND_COUNTS]
