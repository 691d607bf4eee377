"""Business days and local clocks."""

from __future__ import annotations

import datetime as dt

import numpy as np

from sim.calendar import Calendar
from sim.scenario.calendar_spec import CalendarSpec, DebtorZone, Zone


def test_business_days_follow_weekends_holidays_and_working_weekends() -> None:
    spec = CalendarSpec(start_date=dt.date(2026, 2, 9), holidays=[dt.date(2026, 2, 16)],
                        extra_working_days=[dt.date(2026, 2, 14)])
    cal = Calendar.build(spec, 10)
    # Mon 9 .. Wed 18 Feb: Sat 14 worked, Sun 15 off, Mon 16 holiday.
    assert cal.is_business_day.tolist() == [True] * 5 + [True, False, False, True, True]
    assert cal.business_days_between(np.array([0]), np.array([8]))[0] == 6


def test_debtor_offsets_follow_daylight_saving() -> None:
    spec = CalendarSpec(start_date=dt.date(2026, 3, 6), site=Zone(name="America/Chicago"),
                        debtor_zones=[DebtorZone(name="America/Los_Angeles", share=0.5),
                                      DebtorZone(utc_offset_hours=-5, share=0.5)])
    cal = Calendar.build(spec, 4)
    assert cal.zone_offset_minutes[0].tolist() == [-120] * 4  # both shift on 8 March
    assert cal.zone_offset_minutes[1].tolist() == [60, 60, 0, 0]  # fixed -5 vs CST then CDT
