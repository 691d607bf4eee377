"""Rule packs: the cited compliance catalogue both halves of RecoveryLab read.

Debt collection is one of the most tightly regulated conversations a lender has with a
customer. What a collector may do differs by jurisdiction, and so does the *kind* of
source behind each limit:

- a **statute** or **regulation** binds (the US Regulation F call-frequency presumption,
  China's Civil Code on harassment by phone, the UK FCA's CONC rules marked "R");
- a **guideline** is industry self-regulation or regulator guidance (China's 2026
  banking-association collection guideline, the FCA's FG21/1 on vulnerable customers);
- a **house** rule is a firm's own policy where the law sets no number (the UK has no
  numeric call cap), or a figure we could not trace to any source and keep only for
  comparison.

A pack lists rules of three kinds. ``event`` rules are properties of the contact log
(when and how often a debtor may be called); the simulator folds the enabled ones into a
:class:`ContactPolicy` and enforces or audits it. ``utterance`` and ``state`` rules are
about what a collector says and how the conversation stands; the trainer scores them.

Every rule carries its citation and a confidence (``V`` read in the primary text, ``S``
secondary sources only, ``M`` unverified), because this is training material, not legal
advice, and a trainee should see how firm the ground is. The file format is described in
``scenarios/rules/README.md``; this module validates it with the shared error reporting
of :mod:`sim.errors`, so a bad pack names the file, the key, the value and the fix.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from sim import shipped
from sim.errors import ConfigError, Problem, one_of, suggest, validate
from sim.files import read_toml

RULES_DIR = shipped.folder("pack")
"""Where named packs live: the shipped ``rules/`` folder (see :mod:`sim.shipped`)."""

MINUTES_PER_DAY = 24 * 60

Kind = Literal["event", "utterance", "state"]
Severity = Literal["critical", "major", "minor"]
Authority = Literal["statute", "regulation", "guideline", "house"]
Confidence = Literal["V", "S", "M"]
Check = Literal[
    "contact_window",
    "max_attempts_per_day",
    "max_connected_per_day",
    "max_attempts_in_days",
    "quiet_after_conversation",
]
Counts = Literal["unanswered", "all"]

CHECK_PARAMS: Mapping[str, frozenset[str]] = {
    "contact_window": frozenset({"start", "end"}),
    "max_attempts_per_day": frozenset({"max", "counts"}),
    "max_connected_per_day": frozenset({"max"}),
    "max_attempts_in_days": frozenset({"max", "days"}),
    "quiet_after_conversation": frozenset({"days"}),
}
"""The parameters each simulator check needs (all required, no others allowed)."""


_HHMM = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$")


def _hhmm(value: object) -> object:
    if isinstance(value, str) and not _HHMM.match(value):
        raise PydanticCustomError(
            "bad_time",
            "not a 24-hour clock time",
            {"expected": '"HH:MM" between "00:00" and "24:00"'},
        )
    return value


def minutes(hhmm: str) -> int:
    """Minutes after local midnight for an ``"HH:MM"`` time (``"24:00"`` is 1440)."""
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def clock(minute: int) -> str:
    """The ``"HH:MM"`` form of minutes after local midnight (inverse of :func:`minutes`)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


PositiveInt = Annotated[int, Field(gt=0, le=100_000, strict=True)]
Text = Annotated[str, Field(min_length=1)]
ClockTime = Annotated[str, BeforeValidator(_hhmm)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CheckParams(_Frozen):
    """Parameters of an event rule; which keys apply depends on its ``check``."""

    start: ClockTime | None = None
    """Contact window opens (debtor local time, inclusive)."""
    end: ClockTime | None = None
    """Contact window closes (debtor local time, exclusive)."""
    max: PositiveInt | None = None
    """The cap: attempts, connected calls, or attempts in a rolling span of days."""
    counts: Annotated[Counts, one_of(Counts, "counts")] | None = None
    """Which daily attempts count toward ``max``: only ``unanswered`` ones, or ``all``."""
    days: PositiveInt | None = None
    """Length of a rolling span, or of the quiet period after a conversation."""

    def given(self) -> frozenset[str]:
        """Names of the parameters that were set."""
        return frozenset(k for k, v in self.model_dump().items() if v is not None)


class Rule(_Frozen):
    """One rule of a pack: what it forbids or requires, how bad a breach is, and its source."""

    id: Annotated[str, Field(pattern=r"^[A-Z]{2}-[A-Z0-9]+(?:-[A-Z0-9]+)*$")]
    """Unique in the pack, e.g. ``CN-TIME``; role-play options cite it."""
    title: dict[str, Text]
    """One short statement per pack language key (``zh``, ``en``)."""
    kind: Annotated[Kind, one_of(Kind, "kind")]
    severity: Annotated[Severity, one_of(Severity, "severity")]
    """``critical`` fails a drill outright; ``major`` and ``minor`` cost points."""
    authority: Annotated[Authority, one_of(Authority, "authority")]
    check: Annotated[Check, one_of(Check, "check")] | None = None
    """Event rules only: which simulator check enforces the rule."""
    params: CheckParams | None = None
    citation: Text
    """The instrument and article or section, as precisely as the sources allow."""
    confidence: Annotated[Confidence, one_of(Confidence, "confidence")]
    note: str = ""
    enabled: Annotated[bool, Field(strict=True)] = True
    """House rules may ship disabled: kept for comparison, never enforced."""

    @model_validator(mode="after")
    def _check_fits_kind(self) -> Rule:
        if self.kind != "event":
            if self.check is not None or self.params is not None:
                raise PydanticCustomError(
                    "not_event",
                    "rule {rule}: only event rules take `check` and `params`",
                    {
                        "rule": self.id,
                        "expected": "no `check`/`params` on a " + self.kind + " rule",
                    },
                )
            return self
        if self.check is None:
            raise PydanticCustomError(
                "no_check",
                "rule {rule}: an event rule needs a `check`",
                {"rule": self.id, "expected": "check = one of: " + ", ".join(CHECK_PARAMS)},
            )
        needed = CHECK_PARAMS[self.check]
        given = self.params.given() if self.params else frozenset()
        if given != needed:
            missing = ", ".join(sorted(needed - given)) or "none"
            extra = ", ".join(sorted(given - needed)) or "none"
            raise PydanticCustomError(
                "bad_params",
                "rule {rule}: check {check!r} params are wrong (missing: {missing}; "
                "not used by this check: {extra})",
                {
                    "rule": self.id,
                    "check": self.check,
                    "missing": missing,
                    "extra": extra,
                    "expected": "params with exactly: " + ", ".join(sorted(needed)),
                },
            )
        if self.check == "contact_window":
            start, end = self.window()
            if start >= end:
                raise PydanticCustomError(
                    "empty_window",
                    "rule {rule}: contact window start must be before end",
                    {"rule": self.id, "expected": "start < end (windows do not wrap midnight)"},
                )
        return self

    def window(self) -> tuple[int, int]:
        """``(start, end)`` minutes of a ``contact_window`` rule."""
        if self.check != "contact_window" or self.params is None:
            raise ValueError(f"rule {self.id} is not a contact_window rule")
        assert self.params.start is not None and self.params.end is not None
        return minutes(self.params.start), minutes(self.params.end)


class PackInfo(_Frozen):
    """The ``[pack]`` table: identity, languages and the default pass mark."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$")]
    """The file stem; scenarios name packs by it."""
    name: dict[str, Text]
    jurisdiction: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    languages: Annotated[
        tuple[Annotated[str, Field(pattern=r"^[a-z]{2}(?:-[A-Z]{2})?$")], ...],
        Field(min_length=1),
    ]
    """BCP 47 tags; titles are keyed by the primary subtag (``zh-CN`` -> ``zh``)."""
    pass_mark: Annotated[int, Field(ge=0, le=100, strict=True)]
    version: Text

    @property
    def language_keys(self) -> tuple[str, ...]:
        """Keys the titles use: the primary subtag of each language."""
        return tuple(dict.fromkeys(tag.split("-")[0] for tag in self.languages))


class UnknownRuleError(KeyError):
    """A rule id that the pack does not contain (a ``KeyError`` with a did-you-mean)."""

    def __init__(self, pack_id: str, rule_id: str, suggestion: str | None) -> None:
        super().__init__(rule_id)
        self.pack_id = pack_id
        self.rule_id = rule_id
        self.suggestion = suggestion

    def __str__(self) -> str:
        hint = f"; did you mean {self.suggestion!r}?" if self.suggestion else ""
        return f"rule pack {self.pack_id!r} has no rule {self.rule_id!r}{hint}"


class ContactPolicy(_Frozen):
    """The limits on calling a debtor, as the simulator enforces them.

    All times are the debtor's local time. ``None`` means no limit in that dimension.
    A policy comes from :meth:`RulePack.contact_policy`; a scenario may only make it
    stricter, through :meth:`tightened`.
    """

    window_start_minute: Annotated[int, Field(ge=0, lt=MINUTES_PER_DAY, strict=True)] = 0
    """Calls are allowed from this minute after local midnight (inclusive)..."""
    window_end_minute: Annotated[int, Field(gt=0, le=MINUTES_PER_DAY, strict=True)] = (
        MINUTES_PER_DAY
    )
    """...until this minute (exclusive)."""
    max_attempts_per_day: PositiveInt | None = None
    """Dial attempts per account per local day (what counts: :attr:`attempts_count`)."""
    attempts_count: Annotated[Counts, one_of(Counts, "attempts_count")] = "all"
    """``unanswered``: only calls nobody picked up count toward the daily cap; ``all``: all do."""
    max_connected_per_day: PositiveInt | None = None
    """Connected (answered) calls per account per local day."""
    max_attempts_in_days: PositiveInt | None = None
    """Collector-initiated attempts allowed in any ``attempts_window_days`` consecutive days."""
    attempts_window_days: PositiveInt | None = None
    quiet_days_after_conversation: PositiveInt | None = None
    """After a conversation, no collector-initiated call for this many days (its day is day 1)."""

    @model_validator(mode="after")
    def _consistent(self) -> ContactPolicy:
        if self.window_start_minute >= self.window_end_minute:
            raise PydanticCustomError(
                "empty_window",
                "contact window is empty: start {start} is not before end {end}",
                {
                    "start": clock(self.window_start_minute),
                    "end": clock(self.window_end_minute),
                    "expected": "window_start_minute < window_end_minute",
                },
            )
        if (self.max_attempts_in_days is None) != (self.attempts_window_days is None):
            raise PydanticCustomError(
                "half_rolling_cap",
                "max_attempts_in_days and attempts_window_days go together",
                {"expected": "both set, or both unset"},
            )
        return self

    def allows_minute(self, minute_of_day: int) -> bool:
        """Whether a call at this local minute of the day is inside the contact window."""
        return self.window_start_minute <= minute_of_day < self.window_end_minute

    def tightened(
        self, *, source: str | Path | None = None, key_prefix: str = "", **fields: object
    ) -> ContactPolicy:
        """Return this policy with stricter values; refuse any value that loosens it.

        ``source`` and ``key_prefix`` name where the values came from (a scenario file and
        its table), so the :class:`ConfigError` points at the right key.
        """
        prefix = f"{key_prefix}." if key_prefix else ""
        try:
            new = validate(ContactPolicy, {**self.model_dump(), **fields}, source)
        except ConfigError as exc:
            raise ConfigError(
                source, [replace(p, key=prefix + p.key) for p in exc.problems]
            ) from None
        problems = [replace(p, key=prefix + p.key) for p in _loosenings(self, new)]
        if problems:
            raise ConfigError(source, problems)
        return new


def _loosenings(base: ContactPolicy, new: ContactPolicy) -> list[Problem]:
    """Every dimension in which ``new`` allows something ``base`` forbids."""
    out: list[Problem] = []

    def at_most(key: str, old: int | None, value: int | None) -> None:
        if old is not None and (value is None or value > old):
            out.append(_loosen(key, value, f"at most {old} (the rule pack's limit)"))

    def at_least(key: str, old: int | None, value: int | None) -> None:
        if old is not None and (value is None or value < old):
            out.append(_loosen(key, value, f"at least {old} (the rule pack's limit)"))

    at_least("window_start_minute", base.window_start_minute, new.window_start_minute)
    at_most("window_end_minute", base.window_end_minute, new.window_end_minute)
    at_most("max_attempts_per_day", base.max_attempts_per_day, new.max_attempts_per_day)
    if (
        base.max_attempts_per_day is not None
        and base.attempts_count == "all"
        and new.attempts_count == "unanswered"
    ):
        out.append(
            _loosen("attempts_count", "unanswered", "'all' (the rule pack counts every attempt)")
        )
    at_most("max_connected_per_day", base.max_connected_per_day, new.max_connected_per_day)
    at_most("max_attempts_in_days", base.max_attempts_in_days, new.max_attempts_in_days)
    at_least("attempts_window_days", base.attempts_window_days, new.attempts_window_days)
    at_least(
        "quiet_days_after_conversation",
        base.quiet_days_after_conversation,
        new.quiet_days_after_conversation,
    )
    return out


def _loosen(key: str, value: object, expected: str) -> Problem:
    shown = "no limit" if value is None else value
    return Problem(
        key, "a scenario may tighten the contact policy, never loosen it", shown, expected
    )


def _fold(rules: tuple[Rule, ...]) -> ContactPolicy:
    """Fold enabled event rules into one policy; the tightest value wins per dimension.

    Raises ``ValueError`` when two rules cannot be ordered (say "6 unanswered" against
    "10 of any kind" per day): one policy cannot express both, and guessing would be wrong.
    """
    policy = ContactPolicy()
    for rule in rules:
        if rule.kind != "event" or not rule.enabled or rule.params is None:
            continue
        p = rule.params
        change: dict[str, object]
        if rule.check == "contact_window":
            start, end = rule.window()
            start, end = max(policy.window_start_minute, start), min(policy.window_end_minute, end)
            if start >= end:
                raise ValueError(f"rule {rule.id}: its contact window does not overlap the others")
            change = {"window_start_minute": start, "window_end_minute": end}
        elif rule.check == "max_attempts_per_day":
            change = {"max_attempts_per_day": p.max, "attempts_count": p.counts}
        elif rule.check == "max_connected_per_day":
            change = {"max_connected_per_day": p.max}
        elif rule.check == "max_attempts_in_days":
            change = {"max_attempts_in_days": p.max, "attempts_window_days": p.days}
        else:
            change = {"quiet_days_after_conversation": p.days}
        candidate = ContactPolicy.model_validate({**policy.model_dump(), **change})
        if not _loosenings(policy, candidate):
            policy = candidate  # the rule is at least as strict: it wins
        elif _loosenings(candidate, policy):
            # Neither is stricter in every dimension the rule touches.
            raise ValueError(
                f"rule {rule.id}: its {rule.check} limit cannot be ordered against an "
                "earlier rule's; make one strictly tighter or disable one"
            )
    return policy


class CategoryRules(_Frozen):
    """How a pack judges one behaviour category (threat, insult, disclosure, ...).

    The categories themselves are declared once, in the trainer's
    ``scenarios/roleplay/tags.toml``. A pack says which of its rules an option in the
    category must cite, and whether the category is **critical** here: where the law
    makes a behaviour unacceptable in every case, every rule listed must be critical, so
    the behaviour always fails a drill.
    """

    critical: bool
    rules: Annotated[tuple[str, ...], Field(min_length=1)]


class RulePack(_Frozen):
    """A jurisdiction's catalogue: the ``[pack]`` table, its ``[[rules]]`` and how it
    judges each behaviour category (``[categories.*]``)."""

    pack: PackInfo
    rules: Annotated[tuple[Rule, ...], Field(min_length=1)]
    categories: dict[str, CategoryRules] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _coherent(self) -> RulePack:
        seen: dict[str, int] = {}
        for index, rule in enumerate(self.rules):
            if rule.id in seen:
                raise PydanticCustomError(
                    "duplicate_rule",
                    "rule id {rule} is used twice (rules[{first}] and rules[{again}])",
                    {
                        "rule": rule.id,
                        "first": seen[rule.id],
                        "again": index,
                        "expected": "unique rule ids",
                    },
                )
            seen[rule.id] = index
        keys = set(self.pack.language_keys)
        for where, text in [("pack.name", self.pack.name)] + [
            (f"rules[{i}].title ({r.id})", r.title) for i, r in enumerate(self.rules)
        ]:
            if set(text) != keys:
                missing = ", ".join(sorted(keys - set(text))) or "none"
                extra = ", ".join(sorted(set(text) - keys)) or "none"
                raise PydanticCustomError(
                    "languages",
                    "{where}: languages do not match the pack (missing: {missing}; "
                    "not a pack language: {extra})",
                    {
                        "where": where,
                        "missing": missing,
                        "extra": extra,
                        "expected": "one entry per key: " + ", ".join(sorted(keys)),
                    },
                )
        by_id = {rule.id: rule for rule in self.rules}
        for name, category in self.categories.items():
            for rule_id in category.rules:
                listed = by_id.get(rule_id)
                if listed is None:
                    raise PydanticCustomError(
                        "category_rule",
                        "categories.{category}: no rule {rule} in this pack",
                        {"category": name, "rule": rule_id, "expected": "a rule id of the pack"},
                    )
                if category.critical and (listed.severity != "critical" or not listed.enabled):
                    raise PydanticCustomError(
                        "category_severity",
                        "categories.{category} is critical but {rule} is {severity}"
                        "{disabled}",
                        {
                            "category": name,
                            "rule": rule_id,
                            "severity": listed.severity,
                            "disabled": "" if listed.enabled else " and disabled",
                            "expected": "only enabled critical rules in a critical category",
                        },
                    )
        try:
            _fold(self.rules)
        except ValueError as exc:
            raise PydanticCustomError(
                "unfoldable", "{why}", {"why": str(exc), "expected": "orderable event rules"}
            ) from None
        return self

    @property
    def id(self) -> str:
        """The pack id (``cn``, ``us``, ``uk``)."""
        return self.pack.id

    @property
    def pass_mark(self) -> int:
        """Default drill pass mark, 0-100; a role-play scenario may override it."""
        return self.pack.pass_mark

    @property
    def ids(self) -> tuple[str, ...]:
        """Rule ids in file order."""
        return tuple(rule.id for rule in self.rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self.ids

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id; :class:`UnknownRuleError` (with did-you-mean) if absent."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise UnknownRuleError(self.id, rule_id, suggest(rule_id, self.ids))

    def category_rules(self, category: str) -> CategoryRules | None:
        """How this pack judges a behaviour category (None if it does not say)."""
        return self.categories.get(category)

    def select(self, predicate: Callable[[Rule], bool]) -> tuple[Rule, ...]:
        """Rules for which ``predicate`` holds, in file order."""
        return tuple(rule for rule in self.rules if predicate(rule))

    def contact_policy(self) -> ContactPolicy:
        """The enabled event rules folded into one policy (tightest value wins)."""
        return _fold(self.rules)


def available_packs() -> list[str]:
    """Names of the shipped packs (``cn``, ``uk``, ``us``)."""
    return shipped.names("pack")


def pack_path(name_or_path: str | Path) -> Path:
    """The file a pack name (``"cn"``) or a path refers to."""
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or "/" in text or "\\" in text or text.endswith(".toml"):
        return Path(name_or_path)
    path = RULES_DIR / f"{text}.toml"
    if not path.is_file():
        packs = available_packs()
        raise ConfigError(
            RULES_DIR,
            [
                Problem(
                    "",
                    f"no rule pack named {text!r}",
                    expected="one of: " + ", ".join(packs) if packs else "a .toml file here",
                    suggestion=suggest(text, packs),
                )
            ],
        )
    return path


def load_rule_pack(name_or_path: str | Path) -> RulePack:
    """Load and validate a pack by name (``"cn"``, ``"us"``, ``"uk"``) or by file path.

    Raises :class:`sim.errors.ConfigError` naming the file, key, value and fix. Packs are
    immutable, so a file unchanged since the last load is returned from a cache.
    """
    # abspath, not resolve(): a pack reached through a symlink is named as it was written.
    path = Path(os.path.abspath(pack_path(name_or_path)))
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = -1  # let read_toml report the missing file in the usual words
    return _load(path, stamp)


@functools.lru_cache(maxsize=32)
def _load(path: Path, stamp: int) -> RulePack:
    pack = validate(RulePack, read_toml(path), path)
    if pack.id != path.stem:
        raise ConfigError(
            path,
            [Problem("pack.id", "pack id must match the file name", pack.id, repr(path.stem))],
        )
    return pack
