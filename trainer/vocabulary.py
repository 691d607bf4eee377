"""The trainer's domain words, declared once: debtor types, outcome families, channels.

A collections drill is filed under a **debtor type** (abusive, stalling, hardship, a
third party answering, ...). Each type has its **right resolutions**: the outcomes that
actually settle a call with that debtor (a message left when a third party answers, a
logged dispute when the debt is disputed, a plan or a promise when someone can pay).
Reports group calls by the **family** of their outcome (promise, plan, dispute logged,
escalation, hang-up, ...) to show whether a trainee resolves calls or escapes them.
Contact **channels** carry the simulator's names, so a contact history means the same
thing on both sides of RecoveryLab.

All of it lives in ``scenarios/roleplay/vocabulary.toml``: adding a debtor type is one
entry there plus the drill files. Scoring, certification, the screens and the report
read this module, never their own copies.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from sim.errors import validate
from sim.files import read_toml

OUTCOMES: tuple[str, ...] = (
    "promise_to_pay", "instalment_plan", "callback_scheduled", "escalated", "hung_up",
    "complaint", "critical_violation", "dispute_logged", "cease_acknowledged",
    "message_left", "no_agreement",
)  # fmt: skip
"""Every outcome the engine knows (the scenario model's ``Outcome``)."""

Text = Annotated[str, Field(min_length=1)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DebtorType(_Frozen):
    right: Annotated[tuple[str, ...], Field(min_length=1)]
    en: Text
    zh: Text
    en_phrase: Text
    zh_phrase: Text


class Label(_Frozen):
    en: Text
    zh: Text

    def text(self, language: str) -> str:
        return self.zh if language.startswith("zh") else self.en


class Vocabulary(_Frozen):
    """The whole ``vocabulary.toml``."""

    debtor_types: Annotated[dict[str, DebtorType], Field(min_length=1)]
    families: Annotated[dict[str, Label], Field(min_length=1)]
    outcomes: dict[str, str]
    """outcome -> family."""
    channels: Annotated[dict[str, Label], Field(min_length=1)]

    @model_validator(mode="after")
    def _complete(self) -> Vocabulary:
        missing = [o for o in OUTCOMES if o not in self.outcomes]
        unknown = [o for o in self.outcomes if o not in OUTCOMES]
        if missing or unknown:
            raise PydanticCustomError(
                "outcomes",
                "outcomes: missing {missing}; unknown {unknown}",
                {"missing": missing or "none", "unknown": unknown or "none",
                 "expected": "one family for each of " + ", ".join(OUTCOMES)},
            )
        for outcome, family in self.outcomes.items():
            if family not in self.families:
                raise PydanticCustomError(
                    "family", "outcomes.{outcome}: no family {family!r}",
                    {"outcome": outcome, "family": family, "expected": "a [families.*] name"},
                )
        for name, kind in self.debtor_types.items():
            for outcome in kind.right:
                if outcome not in OUTCOMES or outcome in ("escalated", "hung_up"):
                    raise PydanticCustomError(
                        "right", "debtor_types.{name}.right: {outcome!r} cannot be listed",
                        {"name": name, "outcome": outcome,
                         "expected": "an outcome other than escalated or hung_up"},
                    )
        return self

    def family(self, outcome: str) -> str:
        return self.outcomes.get(outcome, "unresolved")


def vocabulary_file() -> Path:
    """The shipped vocabulary, found like every shipped file (in a wheel too)."""
    from sim import shipped

    return shipped.folder("drill") / "vocabulary.toml"


@cache
def vocabulary(path: Path | None = None) -> Vocabulary:
    """The shipped vocabulary (validated once per process)."""
    path = vocabulary_file() if path is None else path
    return validate(Vocabulary, read_toml(path), path)


def debtor_types() -> tuple[str, ...]:
    return tuple(vocabulary().debtor_types)


def channels() -> tuple[str, ...]:
    return tuple(vocabulary().channels)


def right_resolutions() -> dict[str, frozenset[str]]:
    """debtor type -> the outcomes that fully resolve a call with that debtor."""
    return {name: frozenset(t.right) for name, t in vocabulary().debtor_types.items()}


def interface_strings(language: str) -> dict[str, str]:
    """Translation-table entries the vocabulary provides, for the interface and messages:
    ``debtor_type.*`` (short labels), ``debtor.*`` (in a sentence), ``family.*``,
    ``channel.*``."""
    zh = language.startswith("zh")
    v = vocabulary()
    out: dict[str, str] = {}
    for name, t in v.debtor_types.items():
        out[f"debtor_type.{name}"] = t.zh if zh else t.en
        out[f"debtor.{name}"] = t.zh_phrase if zh else t.en_phrase
    for name, label in v.families.items():
        out[f"family.{name}"] = label.text(language)
    for name, label in v.channels.items():
        out[f"channel.{name}"] = label.text(language)
    return out
