"""Building blocks shared by every part of a scenario file.

Scenario files are written by analysts, so every table is a frozen pydantic model that
rejects unknown keys (a typo must not silently fall back to a default) and every
number states its unit in its name. Times of day are written as ``"HH:MM"`` strings in
the file and read as minutes after midnight in code.
"""

from __future__ import annotations

import math
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from sim.limits import ceiling, over

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

MONEY_CEILING = 1e12
"""Largest amount of money in one field (major units). The ledger counts integer minor
units in 64 bits; a trillion per amount leaves room to sum millions of accounts."""

MULTIPLIER_CEILING = 100.0
"""Largest multiplier or relative uplift: a hundredfold change is already beyond any
effect a collections lever has."""

LOG_ODDS_CEILING = 50.0
"""Largest log-odds shift or weight in absolute value (e**50 is certainty in practice)."""


def _number(value: object) -> object:
    """Accept a real number as written; refuse booleans, text and non-finite values."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError(
            "strict_number", "expected a number, got {kind}",
            {"kind": type(value).__name__, "expected": "a finite number"},
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError(
            "finite_number", "{got} is not a finite number",
            {"got": repr(value), "expected": "a finite number (not inf or nan)"},
        )
    if isinstance(value, int) and abs(value) > 1e300:
        raise PydanticCustomError(
            "finite_number", "number is too large", {"expected": "a finite number"}
        )
    return value


def _integer(value: object) -> object:
    """Accept a whole number written as one; refuse booleans, 14.0 and "14"."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError(
            "strict_integer", "expected a whole number, got {kind}",
            {"kind": type(value).__name__ + (f" {value!r}" if isinstance(value, bool | float | str)
                                             else ""),
             "expected": "a whole number written without a decimal point"},
        )
    return value


def _boolean(value: object) -> object:
    if not isinstance(value, bool):
        raise PydanticCustomError(
            "strict_boolean", "expected true or false, got {kind}",
            {"kind": repr(value) if isinstance(value, int | float | str) else type(value).__name__,
             "expected": "true or false"},
        )
    return value


Finite = Annotated[float, BeforeValidator(_number), Field(allow_inf_nan=False)]
"""Any finite real number (a log-odds shift, an offset); never a boolean or text."""

Probability = Annotated[Finite, Field(ge=0.0, le=1.0)]
"""A probability or share in [0, 1]."""

OpenProbability = Annotated[Finite, Field(gt=0.0, lt=1.0)]
"""A probability strictly between 0 and 1 (e.g. the mean of a Beta trait)."""

Hazard = Annotated[Finite, Field(ge=0.0, le=1.0)]
"""A daily hazard: the chance per day that an event happens, in [0, 1]."""

NonNegative = Annotated[Finite, Field(ge=0.0)]
"""A finite rate, scale or duration that cannot be negative."""

Positive = Annotated[Finite, Field(gt=0.0)]
"""A strictly positive finite number (e.g. a scale or a median)."""

Multiplier = Annotated[Finite, Field(ge=0.0, le=MULTIPLIER_CEILING)]
"""A factor or relative uplift in [0, 100]."""

Money = Annotated[Finite, Field(ge=0.0, le=MONEY_CEILING)]
"""An amount of money in major units, in [0, 1e12]."""

PositiveMoney = Annotated[Finite, Field(gt=0.0, le=MONEY_CEILING)]
"""A strictly positive amount of money in major units, at most 1e12."""

LogOdds = Annotated[Finite, Field(ge=-LOG_ODDS_CEILING, le=LOG_ODDS_CEILING)]
"""A shift or weight on the log-odds scale, in [-50, 50]."""

Integer = Annotated[int, BeforeValidator(_integer)]
"""A whole number written as one: never ``true``, ``14.0`` or ``"14"``."""

Count = Annotated[Integer, Field(ge=0)]
"""A non-negative whole number."""

Flag = Annotated[bool, BeforeValidator(_boolean)]
"""``true`` or ``false`` only (never ``1`` or ``"yes"``)."""


def sized(limit: str) -> AfterValidator:
    """Refuse a size above the ``limit`` ceiling of :mod:`sim.limits`, naming its cost."""

    def check(value: float) -> float:
        reason = over(limit, value)
        if reason is not None:
            raise PydanticCustomError(
                "size_ceiling", reason,
                {"expected": f"at most {ceiling(limit):,} (or --limit {limit}=N)"},
            )
        return value

    return AfterValidator(check)


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
