"""One calendar for the whole run: day numbers, business days and local clocks.

The SimPy clock counts minutes from midnight of day 0 in the collection site's time
zone. A debtor's local time is the site time plus the difference between the two zones
on that date (daylight saving is followed day by day for IANA zones). Business days are
weekdays that are not holidays, plus any weekend dates declared working days (China
moves working days around its public holidays).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sim.scenario.calendar_spec import WEEKDAYS, CalendarSpec

MINUTES_PER_DAY = 1440


@dataclass(frozen=True, slots=True)
class Calendar:
    """Day-indexed calendar facts for a run of ``days`` days."""

    start: dt.date
    days: int
    is_business_day: npt.NDArray[np.bool_]
    """Whether each day is a business day."""
    business_days_through: npt.NDArray[np.int32]
    """Business days in days 0..d inclusive."""
    zone_offset_minutes: npt.NDArray[np.int32]
    """(zones, days): debtor local time minus site time, in minutes."""

    @classmethod
    def build(cls, spec: CalendarSpec, days: int) -> Calendar:
        """Derive the calendar of a run from its scenario table."""
        dates = [spec.start_date + dt.timedelta(days=d) for d in range(days)]
        weekend = {WEEKDAYS.index(w) for w in spec.weekend}
        holidays = set(spec.holidays)
        extra = set(spec.extra_working_days)
        business = np.array(
            [(d in extra) or (d.weekday() not in weekend and d not in holidays) for d in dates],
            dtype=bool,
        )
        offsets = np.array(
            [
                [z.offset_minutes(d) - spec.site.offset_minutes(d) for d in dates]
                for z in spec.debtor_zones
            ],
            dtype=np.int32,
        ).reshape(len(spec.debtor_zones), days)
        return cls(
            start=spec.start_date,
            days=days,
            is_business_day=business,
            business_days_through=np.cumsum(business, dtype=np.int32),
            zone_offset_minutes=offsets,
        )

    def date(self, day: int) -> dt.date:
        """Calendar date of a day index."""
        return self.start + dt.timedelta(days=day)

    def business_days_between(
        self, start: npt.NDArray[np.integer], end: npt.NDArray[np.integer]
    ) -> npt.NDArray[np.int32]:
        """Business days in ``(start, end]`` for each pair (0 when ``end <= start``)."""
        through = self.business_days_through
        s = np.clip(start, 0, self.days - 1)
        e = np.clip(end, 0, self.days - 1)
        return np.asarray(np.maximum(through[e] - through[s], 0), dtype=np.int32)
