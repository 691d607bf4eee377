"""The role-play scenario, as frozen data: brief, persona, a graph of nodes, endings.

A collections drill is a phone call that branches. The trainee reads a **brief** (who
owes what, how late, what was tried before, the debtor's local time), meets a
**persona** whose mood (anger, trust, distress, ...) moves with every choice, and works
through **nodes**: the debtor (or a narrator, or whoever picked up the phone) speaks,
the trainee picks one of several things a real collector might say. Each **option**
carries behaviour tags (scored), the rule ids it breaks (cited from the jurisdiction's
rule pack), mood effects and where the call goes next. The call stops at an **ending**
whose outcome (promise to pay, instalment plan, complaint, ...) feeds the outcome score.

The file format is documented in ``scenarios/roleplay/README.md``. These pydantic
models check each field's shape; :mod:`trainer.engine.loader` then checks what needs
the whole file (targets exist, tags and rule ids are known, conditions name real
things) and reports every problem with the file, dotted key, value and a
did-you-mean, like every other RecoveryLab input.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    model_validator,
)

from sim.errors import one_of
from sim.scenario.base import Count, Flag, Integer, Money, PositiveMoney
from trainer.engine.conditions import Condition

if TYPE_CHECKING:
    from sim.rules import RulePack
    from trainer.engine.tags import TagCatalogue

Language = Literal["zh-CN", "en-US", "en-GB"]
DebtorType = str
"""A name from ``scenarios/roleplay/vocabulary.toml`` (the loader checks it)."""
Difficulty = Literal["easy", "medium", "hard"]
Speaker = Literal["narrator", "debtor", "third_party"]
Escalation = Literal["good", "neutral", "poor"]
Currency = Literal["CNY", "USD", "GBP"]
Channel = str
"""A channel name from ``vocabulary.toml``, as the simulator names it (the loader checks it)."""
Outcome = Literal[
    "promise_to_pay",
    "instalment_plan",
    "callback_scheduled",
    "escalated",
    "hung_up",
    "complaint",
    "critical_violation",
    "dispute_logged",
    "cease_acknowledged",
    "message_left",
    "no_agreement",
]
FlagValue = bool | int | str

ID_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_-]*$"
NAME_PATTERN = r"^[a-z_][a-z0-9_]*$"
_PROMISE_DATE = re.compile(r"^(?:\d{4}-\d{2}-\d{2}|\+\d{1,3}d)$")


Text = Annotated[str, Field(min_length=1)]


def _check_promise_date(value: str) -> str:
    """A real calendar date ``YYYY-MM-DD`` or ``+Nd`` -- not only the right shape."""
    if _PROMISE_DATE.match(value) is None:
        raise ValueError(f"{value!r} is not a promise date; expected 'YYYY-MM-DD' or '+Nd' "
                         "(N days after the call, e.g. '+7d')")
    if not value.startswith("+"):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a calendar date (month 01-12, a day the "
                             "month has)") from None
    return value


def _local_datetime(value: object) -> object:
    """A local date-time, ``"2026-03-02T10:15"``: a real one, no bare number, no offset."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date and time; expected 'YYYY-MM-DDTHH:MM' "
                             "with a real month, day, hour and minute") from None
    if not isinstance(value, dt.datetime):
        raise ValueError(f"{value!r} is not a local date-time; expected e.g. "
                         "'2026-03-02T10:15'")
    if value.tzinfo is not None:
        raise ValueError(f"{value.isoformat()} has a UTC offset; write the debtor's local "
                         "time without one and name the zone in brief.timezone")
    return value


LocalTime = Annotated[dt.datetime, BeforeValidator(_local_datetime)]
"""The debtor's local wall-clock time (text or a TOML local date-time)."""

Mood = Annotated[Integer, Field(ge=0, le=100)]
Id = Annotated[str, Field(pattern=ID_PATTERN)]
Name = Annotated[str, Field(pattern=NAME_PATTERN)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Meta(_Frozen):
    """What the drill is and which rules judge it."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    """Shared by every language version of the drill."""
    title: Text
    debtor_type: Annotated[DebtorType, Field(min_length=1)]
    difficulty: Annotated[Difficulty, one_of(Difficulty, "difficulty")]
    language: Annotated[Language, one_of(Language, "language")]
    rule_pack: Text
    """A pack name (``cn``, ``us``, ``uk``) or a ``.toml`` path relative to the scenario."""
    pass_mark: Annotated[Integer, Field(ge=0, le=100)] | None = None
    """Overrides the pack's pass mark."""
    start: Text


class ContactEvent(_Frozen):
    """One earlier attempt or contact, shown on the brief."""

    when: LocalTime
    channel: Annotated[Channel, Field(min_length=1)]
    outcome: Text


class Brief(_Frozen):
    """What the trainee knows before dialling."""

    debtor_name: Text
    creditor: Text
    product: Text
    currency: Annotated[Currency, one_of(Currency, "currency")]
    balance: Money
    minimum_due: Money | None = None
    dpd: Annotated[Count, Field(le=3650)]
    local_time: LocalTime
    """The debtor's local time when the call starts (no offset: it is *local*)."""
    timezone: Text
    facts: tuple[Text, ...] = ()
    goals: tuple[Text, ...] = ()
    rules_in_play: tuple[str, ...] = ()
    contact_history: tuple[ContactEvent, ...] = ()


class Persona(_Frozen):
    """Who the debtor is and how they feel when the call starts."""

    description: Text
    mood: Annotated[dict[Name, Mood], Field(min_length=1)]
    """Starting values, 0-100. ``anger`` is required: de-escalation is scored on it."""


class Line(_Frozen):
    """Something the debtor (or narrator) may say, possibly only in some states.

    A line can move the call in time too: the variant "(next day, 16:10) Hello?" is
    said only on the route where the collector waited, so the time belongs to the line,
    not to its node. ``local_time`` then says when this line is said."""

    text: Text
    when: Condition | None = None
    local_time: LocalTime | None = Field(default=None, description=(
        "Where this line moves the call (a variant said only on the route that waited "
        "until the next day): the debtor's local date-time from this line on, "
        "'YYYY-MM-DDTHH:MM'. It wins over its node's local_time; the call header shows it."))
    """The debtor's local date-time from this line on, where saying it moves the call
    (it wins over the node's ``local_time``)."""
    timezone: Text | None = Field(default=None, description=(
        "IANA zone of this line's local_time (default brief.timezone); only with "
        "local_time."))
    """The zone of ``local_time``; default ``brief.timezone``. Only with a ``local_time``."""

    @model_validator(mode="after")
    def _zone_needs_time(self) -> Line:
        if self.timezone is not None and self.local_time is None:
            raise ValueError("timezone names the zone of local_time: give local_time too")
        return self


class Route(_Frozen):
    """One branch of a conditional ``next``: the first route whose ``when`` holds wins."""

    when: Condition | None = None
    to: Text


class Promise(_Frozen):
    """A promise to pay that an option secures."""

    amount: PositiveMoney
    """Major units of the brief's currency."""
    date: Annotated[str, AfterValidator(_check_promise_date)]
    """``YYYY-MM-DD``, or ``+Nd``: N days after the call's local date."""
    channel: Text

    def due(self, call_date: dt.date) -> dt.date:
        """The absolute due date."""
        if self.date.startswith("+"):
            return call_date + dt.timedelta(days=int(self.date[1:-1]))
        return dt.date.fromisoformat(self.date)


class Option(_Frozen):
    """One thing the trainee can say at a node."""

    id: Annotated[str, Field(pattern=ID_PATTERN)] | None = None
    """Optional stable id; by default ``<node>.<n>`` (n counts options from 1)."""
    text: Text
    tags: tuple[str, ...] = ()
    violations: tuple[str, ...] = ()
    effects: dict[str, Annotated[Integer, Field(ge=-100, le=100)]] = Field(default_factory=dict)
    set_: dict[Name, FlagValue] = Field(default_factory=dict, alias="set")
    next: Text | Annotated[tuple[Route, ...], Field(min_length=1)]
    once: Flag = False
    when: Condition | None = None
    promise: Promise | None = None
    realistic: Flag = True
    """Whether the promise this option secures fits the brief (ignored without one)."""

    @cached_property
    def routes(self) -> tuple[Route, ...]:
        if isinstance(self.next, str):
            return (Route(to=self.next),)
        return self.next

    @cached_property
    def targets(self) -> tuple[str, ...]:
        return tuple(route.to for route in self.routes)


class Node(_Frozen):
    """A point in the call where someone speaks and the trainee chooses."""

    speaker: Annotated[Speaker, one_of(Speaker, "speaker")] = "debtor"
    lines: Annotated[tuple[Line, ...], Field(min_length=1)]
    escalation: Annotated[Escalation, one_of(Escalation, "escalation")] = "neutral"
    """How apt the trainee's "escalate to a supervisor" action is here."""
    options: tuple[Option, ...] = ()
    silence: tuple[Line, ...] = ()
    """Optional lines for dead air (the trainee's timer ran out); else ``lines`` again."""
    local_time: LocalTime | None = Field(default=None, description=(
        "Where the narrator moves the call: the debtor's local date-time from this node on, "
        "'YYYY-MM-DDTHH:MM' like brief.local_time (a real date and time, no offset). The "
        "call header shows it."))
    """Where the narrator moves the call (a callback the next afternoon, the clock passing
    22:00): the debtor's local date-time from this node on, as in ``brief.local_time``.
    The call header shows it, so the trainee judges the contact-time rules by the time
    the call has reached, not the time it started."""
    timezone: Text | None = Field(default=None, description=(
        "IANA zone of local_time where the call reaches another zone (default "
        "brief.timezone); only with local_time."))
    """The zone ``local_time`` is in, where the call reaches another zone (a new number in
    another area); default ``brief.timezone``. Only with a ``local_time``."""

    @model_validator(mode="after")
    def _zone_needs_time(self) -> Node:
        if self.timezone is not None and self.local_time is None:
            raise ValueError("timezone names the zone of local_time: give local_time too")
        return self


LATER_NODE_FIELDS = ("local_time", "timezone")
"""Optional node and line fields newer than the stored-session format (see
Scenario.fingerprint)."""


class Ending(_Frozen):
    """Where the call stops, and how it is classed."""

    outcome: Annotated[Outcome, one_of(Outcome, "outcome")]
    speaker: Annotated[Speaker, one_of(Speaker, "speaker")] = "debtor"
    lines: Annotated[tuple[Line, ...], Field(min_length=1)]
    quality: Annotated[int, Field(ge=0, le=100)] | None = None
    """Optional override of the outcome's resolution quality (see scoring)."""
    right: bool | None = None
    """Whether this ending is a right resolution of the call. By default an ending is
    right when its outcome is one of the debtor type's right resolutions, and an
    escalation or hang-up ending never is: set ``right = true`` on an escalation,
    transfer or hang-up ending only where the drill gives a reason (the debtor asked for
    a supervisor, disclosed a vulnerability, named a lawyer, made a cease request or a
    dispute); ``right = false`` marks an ending that looks resolved but is not."""


@dataclass(frozen=True, slots=True)
class Choice:
    """An option together with where it lives: its id, node and position."""

    id: str
    node: str
    index: int
    option: Option


class Scenario(_Frozen):
    """A whole drill. Build it with :func:`trainer.engine.load_scenario`."""

    meta: Meta
    brief: Brief
    persona: Persona
    nodes: Annotated[dict[Id, Node], Field(min_length=1)]
    endings: Annotated[dict[Id, Ending], Field(min_length=1)]

    _pack: RulePack | None = PrivateAttr(default=None)
    _tags: TagCatalogue | None = PrivateAttr(default=None)
    _path: Path | None = PrivateAttr(default=None)

    # -- context attached by the loader ---------------------------------------------

    @property
    def pack(self) -> RulePack:
        """The rule pack that judges this drill."""
        if self._pack is None:
            raise RuntimeError("scenario was not built by trainer.engine.load_scenario")
        return self._pack

    @property
    def tags(self) -> TagCatalogue:
        if self._tags is None:
            raise RuntimeError("scenario was not built by trainer.engine.load_scenario")
        return self._tags

    @property
    def path(self) -> Path | None:
        """The file it was read from."""
        return self._path

    # -- derived views ------------------------------------------------------------------

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def language(self) -> str:
        return self.meta.language

    @property
    def key(self) -> tuple[str, str]:
        """``(id, language)``: unique within a library."""
        return (self.meta.id, self.meta.language)

    @property
    def pass_mark(self) -> int:
        return self.meta.pass_mark if self.meta.pass_mark is not None else self.pack.pass_mark

    @cached_property
    def mood_names(self) -> tuple[str, ...]:
        return tuple(self.persona.mood)

    @property
    def call_date(self) -> dt.date:
        return self.brief.local_time.date()

    @cached_property
    def flag_names(self) -> frozenset[str]:
        return frozenset(
            name for node in self.nodes.values() for o in node.options for name in o.set_
        )

    @cached_property
    def choices(self) -> Mapping[str, tuple[Choice, ...]]:
        """Node id -> its options with ids, in file order."""
        return {
            node_id: tuple(
                Choice(option.id or f"{node_id}.{i + 1}", node_id, i, option)
                for i, option in enumerate(node.options)
            )
            for node_id, node in self.nodes.items()
        }

    @cached_property
    def choice_by_id(self) -> Mapping[str, Choice]:
        return {c.id: c for cs in self.choices.values() for c in cs}

    @cached_property
    def critical_rule_ids(self) -> frozenset[str]:
        """Enabled critical rules of the pack: breaking one fails the drill."""
        return frozenset(r.id for r in self.pack.rules if r.enabled and r.severity == "critical")

    def is_ending(self, target: str) -> bool:
        return target in self.endings

    def fingerprint(self) -> str:
        """sha256 of the canonical JSON of the drill; a replay checks it.

        Node and line fields added after drills were first stored
        (:data:`LATER_NODE_FIELDS`) count only where they are set, so a drill that does
        not use them keeps its fingerprint: trainees' unfinished sessions on it still
        resume."""
        data = self.model_dump(mode="json", by_alias=True)
        lines = [line for part in (*data["nodes"].values(), *data["endings"].values())
                 for key in ("lines", "silence") for line in part.get(key, ())]
        for item in (*data["nodes"].values(), *lines):
            for name in LATER_NODE_FIELDS:
                if item.get(name) is None:
                    item.pop(name, None)
        text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
