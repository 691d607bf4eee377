"""Seasonality: paydays and public holidays move how debtors pay and answer.

Collections floors see it every month: payments bunch in the days after wages are paid,
and both payments and contact rates fall over long public holidays, when debtors travel
home (China's Spring Festival and the October Golden Week most of all) and their minds
are elsewhere. The holidays are the calendar's own (``calendar.holidays``), so a
scenario that lists the Spring Festival gets its dip where it falls.

Seasonality is off unless the scenario has a ``[behaviour.seasonality]`` table; an
empty table switches on the defaults below, which are **illustrative** (no public
figure for a Chinese consumer book): change them to your own book's figures.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sim.scenario.base import Integer, Multiplier, Spec


class Seasonality(Spec):
    """Payday and holiday multipliers of payment and contact rates."""

    paydays: list[Annotated[Integer, Field(ge=1, le=31)]] = Field(
        default_factory=lambda: [10], max_length=31)
    """Days of the month wages are paid (a later day than the month has means its last
    day). Illustrative: many Chinese employers pay around the 10th."""
    payday_days: Integer = Field(default=3, ge=1, le=31)
    """Days, from the payday itself, over which the payday lift lasts. Illustrative."""
    payday_payment: Multiplier = 1.3
    """Debtors' capacity to pay (so self-cure, part payments and kept promises) on those
    days, relative to other days. Illustrative."""
    holiday_payment: Multiplier = 0.7
    """Capacity to pay on public holidays, relative to other days. Illustrative."""
    holiday_contact: Multiplier = 0.6
    """Right-party contact chance of robot and agent calls on public holidays, relative
    to other days. Illustrative."""
