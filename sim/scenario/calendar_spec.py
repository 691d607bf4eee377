"""When collections happen: business days, holidays, working hours and time zones.

Contact rules are written in the *debtor's* local time (no calls before 08:00 where the
debtor lives), while shifts are planned in the *site's* time. The calendar says where
the site is and how debtors are spread over time zones, so the engine can translate
between the two. Zones are IANA names (daylight saving followed day by day) or fixed
UTC offsets.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from sim.scenario.base import Finite, Probability, Spec, Window

Weekday = Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
WEEKDAYS: tuple[Weekday, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKEND: tuple[Weekday, ...] = ("Sat", "Sun")


class Zone(Spec):
    """A time zone: an IANA name or a fixed UTC offset (exactly one of the two)."""

    name: str | None = None
    """IANA zone name, e.g. ``"Asia/Shanghai"`` or ``"America/Chicago"``."""
    utc_offset_hours: Finite | None = Field(default=None, ge=-12, le=14)
    """Fixed offset from UTC in hours, e.g. 8."""

    @field_validator("name")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                raise ValueError(f"unknown IANA time zone {value!r}") from None
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> Zone:
        if (self.name is None) == (self.utc_offset_hours is None):
            raise ValueError("give exactly one of 'name' (IANA zone) or 'utc_offset_hours'")
        return self

    def offset_minutes(self, day: dt.date) -> int:
        """UTC offset in minutes at local noon of ``day``."""
        if self.name is None:
            return round((self.utc_offset_hours or 0.0) * 60)
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=ZoneInfo(self.name))
        offset = noon.utcoffset()
        return 0 if offset is None else round(offset.total_seconds() / 60)


class DebtorZone(Zone):
    """A time zone where a share of the debtors live."""

    share: Probability = 1.0
    """Share of accounts in this zone; shares sum to 1."""


class CalendarSpec(Spec):
    """Business days, holidays, working hours and time zones."""

    start_date: dt.date = dt.date(2026, 1, 5)
    """Calendar date of simulation day 0."""
    site: Zone = Zone(name="Asia/Shanghai")
    """Time zone of the collection site; shifts and the SimPy clock use it."""
    debtor_zones: list[DebtorZone] = Field(
        default_factory=lambda: [DebtorZone(name="Asia/Shanghai", share=1.0)]
    )
    """Where debtors live; contact windows apply in their local time."""
    weekend: list[Weekday] = Field(default_factory=lambda: list(_WEEKEND))
    """Days of the week that are not business days."""
    holidays: list[dt.date] = Field(default_factory=list)
    """Public holidays (not business days)."""
    extra_working_days: list[dt.date] = Field(default_factory=list)
    """Weekend dates worked in lieu of holidays (China's adjusted working days)."""
    working_hours: Window = Window(start="09:00", end="21:00")
    """Site hours when inbound lines are open and debtors call back."""
