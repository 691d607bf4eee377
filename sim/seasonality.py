"""Day-by-day payment and contact multipliers from a scenario's seasonality table.

See :mod:`sim.scenario.seasonality_spec` for what they mean. Payment seasonality scales
the debtors' capacity to pay on each day (the same lever as an economic shock), so it
reaches self-cure, part payments and kept promises alike; contact seasonality scales
the right-party contact chance of robot and agent calls.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt

import numpy as np
import numpy.typing as npt

from sim.scenario.seasonality_spec import Seasonality

F64 = npt.NDArray[np.float64]


def is_payday_window(dates: list[dt.date], spec: Seasonality) -> npt.NDArray[np.bool_]:
    """Whether each date falls within ``payday_days`` days from a payday."""
    out = np.zeros(len(dates), bool)
    for i, day in enumerate(dates):
        for back in range(spec.payday_days):
            when = day - dt.timedelta(days=back)
            last = month_calendar.monthrange(when.year, when.month)[1]
            if when.day in {min(p, last) for p in spec.paydays}:
                out[i] = True
                break
    return out


def factors(spec: Seasonality | None, start: dt.date, holidays: list[dt.date],
            days: int) -> tuple[F64, F64]:
    """(payment, contact) multipliers for days ``0..days-1`` (all ones without ``spec``)."""
    payment, contact = np.ones(days), np.ones(days)
    if spec is None:
        return payment, contact
    dates = [start + dt.timedelta(days=d) for d in range(days)]
    holiday = np.isin(np.array(dates, dtype="datetime64[D]"),
                      np.array(holidays, dtype="datetime64[D]"))
    payment = np.where(is_payday_window(dates, spec), spec.payday_payment, 1.0)
    payment = np.where(holiday, payment * spec.holiday_payment, payment)
    contact = np.where(holiday, spec.holiday_contact, 1.0)
    return payment.astype(np.float64), contact.astype(np.float64)
