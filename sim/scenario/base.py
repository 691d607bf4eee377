"""Building blocks shared by every part of a scenario file.

Scenario files are written by analysts, so every table is a frozen pydantic model that
rejects unknown keys (a typo must not silently fall back to a default) and every
number states its unit in its name. Times of day are written as ``"HH:MM"`` strings in
the file and read as minutes after midnight in code.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

_HHMM = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


class Spec(BaseModel):
    """Base of every scenario table: frozen, unknown keys rejected, docstrings as schema."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        use_attribute_docstrings=True,
        validate_default=False,
    )


def _check_hhmm(value: str) -> str:
    match = _HHMM.match(value)
    if match is None or (match.group(1) == "24" and match.group(2) != "00"):
        raise ValueError(f"{value!r} is not a time of day; expected 'HH:MM' from 00:00 to 24:00")
    return value


TimeOfDay = Annotated[str, AfterValidator(_check_hhmm)]
"""A clock time ``"HH:MM"`` (``"24:00"`` allowed as the end of a window)."""

Probability = Annotated[float, Field(ge=0.0, le=1.0)]
"""A probability or share in [0, 1]."""

OpenProbability = Annotated[float, Field(gt=0.0, lt=1.0)]
"""A probability strictly between 0 and 1 (e.g. the mean of a Beta trait)."""

NonNegative = Annotated[float, Field(ge=0.0)]
"""A rate, cost or multiplier that cannot be negative."""

Positive = Annotated[float, Field(gt=0.0)]
"""A strictly positive number (e.g. a scale or a median)."""


def minutes(clock: str) -> int:
    """Minutes after midnight of a validated ``"HH:MM"`` string."""
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


class Window(Spec):
    """A daily time window ``[start, end)`` in local clock time."""

    start: TimeOfDay
    """Opening time, ``"HH:MM"``."""
    end: TimeOfDay
    """Closing time, ``"HH:MM"`` (exclusive; ``"24:00"`` for midnight)."""

    @property
    def start_minute(self) -> int:
        """Opening time in minutes after midnight."""
        return minutes(self.start)

    @property
    def end_minute(self) -> int:
        """Closing time in minutes after midnight."""
        return minutes(self.end)
