"""Behaviour tags: the observable vocabulary that scoring reads instead of option text.

Trainers who coach collectors do not grade wording; they listen for behaviours. Did the
collector say who they were and check they had the right person (the ACA call
checkpoints)? Did they let the debtor finish, name the feeling, ask an open question,
paraphrase and summarise (LEAPS)? Apologise for the impact rather than for the
debtor's feelings (HEARD)? Stay brief, informative, friendly and firm with an abusive
caller (BIFF)? Thank a vulnerable customer for a disclosure, explain why it is
recorded, ask consent and signpost help (TEXAS)? ``scenarios/roleplay/tags.toml`` names
each behaviour once, with the skill it trains, the frameworks it comes from and
whether it is good or bad practice; every option in a drill carries some of them.

The same file declares the **behaviour categories** the law cares about (threat,
insult, false statement, disclosure to a third party, contact in breach of a limit,
ignoring a request), each as the set of tags that place an option in it. A rule pack
then says which of its rules an option in each category must cite and whether the
category is critical there (:class:`sim.rules.CategoryRules`); lint joins the two.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from sim import shipped
from sim.errors import validate
from sim.files import read_toml

Skill = Literal["empathy", "verification", "disclosure", "negotiation", "recap", "conduct"]
Polarity = Literal["good", "bad", "neutral"]
Framework = Literal["LEAPS", "HEARD", "BIFF", "TEXAS", "IDEA", "ACA"]

DEESCALATION_FRAMEWORKS: frozenset[str] = frozenset({"LEAPS", "HEARD", "BIFF", "TEXAS", "IDEA"})
"""Frameworks whose behaviours count toward the de-escalation score. ACA's checkpoints
(identify, verify, disclose) are compliance duties, scored through the rule pack."""

DEFAULT_TAGS_FILE = shipped.tags_file()
"""The shipped vocabulary (see :mod:`sim.shipped`); a drill folder may bring its own."""


class Tag(BaseModel):
    """One behaviour: what skill it trains, where it comes from, good or bad."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    skill: Skill
    polarity: Polarity
    frameworks: tuple[Framework, ...] = ()
    en: Annotated[str, Field(min_length=1)]
    zh: Annotated[str, Field(min_length=1)]

    def label(self, language: str) -> str:
        """The description in the scenario's language (``zh-CN`` -> Chinese)."""
        return self.zh if language.startswith("zh") else self.en

    @property
    def deescalates(self) -> bool:
        """A good behaviour from LEAPS, HEARD, BIFF, TEXAS or IDEA."""
        return self.polarity == "good" and bool(DEESCALATION_FRAMEWORKS & set(self.frameworks))


class Category(BaseModel):
    """A kind of misconduct: the tags that place an option in it, and its names."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tags: Annotated[tuple[str, ...], Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]
    zh: Annotated[str, Field(min_length=1)]

    def label(self, language: str) -> str:
        return self.zh if language.startswith("zh") else self.en


class TagCatalogue(BaseModel):
    """The whole ``tags.toml``: tag name -> :class:`Tag`, category name -> :class:`Category`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tags: dict[str, Tag]
    categories: dict[str, Category] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _categories_name_bad_tags(self) -> TagCatalogue:
        for name, category in self.categories.items():
            for tag in category.tags:
                if tag not in self.tags or self.tags[tag].polarity != "bad":
                    raise PydanticCustomError(
                        "category_tag",
                        "category {category}: {tag!r} is not a bad-polarity tag of this file",
                        {"category": name, "tag": tag, "expected": "a tag with polarity bad"},
                    )
        return self

    def categories_of(self, tags: tuple[str, ...]) -> tuple[str, ...]:
        """The categories an option with these tags falls in, in declaration order."""
        return tuple(n for n, c in self.categories.items() if set(c.tags) & set(tags))

    def __contains__(self, name: object) -> bool:
        return name in self.tags

    def __getitem__(self, name: str) -> Tag:
        return self.tags[name]

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]
        return iter(self.tags)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.tags)

    def items(self) -> Iterator[tuple[str, Tag]]:
        return iter(self.tags.items())


_CACHE: dict[tuple[Path, int], TagCatalogue] = {}


def load_tags(path: str | Path = DEFAULT_TAGS_FILE) -> TagCatalogue:
    """Load and validate a tag vocabulary (cached while the file is unchanged)."""
    file = Path(path).resolve()
    try:
        stamp = file.stat().st_mtime_ns
    except OSError:
        stamp = -1
    key = (file, stamp)
    if key not in _CACHE:
        _CACHE[key] = validate(TagCatalogue, read_toml(file), file)
    return _CACHE[key]


def tags_for(scenario_file: str | Path) -> TagCatalogue:
    """The vocabulary a scenario uses: ``tags.toml`` beside it, else the shipped one."""
    beside = Path(scenario_file).resolve().parent / "tags.toml"
    # exists(), not is_file(): a tags.toml that is a folder or a FIFO is reported, not skipped.
    return load_tags(beside if beside.exists() else DEFAULT_TAGS_FILE)
