"""A run's behaviour tables: the scenario's debtor behaviour turned into daily rates.

A collections model quotes behaviour the way practitioners do -- a monthly cure rate by
stage, a contact rate by channel and stage, a promise-to-pay rate -- while the engine
works day by day on arrays. :class:`Rates` converts once per run (monthly hazards to
daily ones, rates to log-odds, segment multipliers to lookup arrays, an economic shock
and paydays and holidays to day factors) so that the day's steps only index arrays. It is read-only:
nothing in a run changes a rate after set-up.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sim import behaviour as bh
from sim.book import Book
from sim.scenario.root import Scenario
from sim.seasonality import factors as seasonal_factors
from sim.stages import STAGE_NAMES

F64 = npt.NDArray[np.float64]


class Rates:
    """Per-stage, per-segment and per-account rates of one run (see the module docstring)."""

    __slots__ = (
        "agent_contact",
        "cure_base",
        "cure_rate",
        "decay",
        "has_shock",
        "hour_profile",
        "partial_rate",
        "payer_mult",
        "ptp_logit",
        "robot_contact",
        "season_contact",
        "seg_contact",
        "seg_cure",
        "seg_promise",
        "shock",
    )

    def __init__(self, sc: Scenario, span: int, book: Book) -> None:
        b = sc.behaviour
        segs = list(sc.portfolio.segments.values())
        self.seg_cure: F64 = np.array([s.cure_multiplier for s in segs])
        self.seg_contact: F64 = np.array([s.contact_multiplier for s in segs])
        self.seg_promise: F64 = np.array([s.promise_shift for s in segs])
        sens = np.array([sc.portfolio.industries.get(s.industry, 0.0) for s in segs])
        self.shock: F64 = np.ones((span, len(segs)))
        """Day x segment factor on cure, promise capacity and recoveries (1 = no shock)."""
        shock = sc.portfolio.shock
        if shock is not None:
            length = shock.duration_days
            end = span if length is None else shock.start_day + length
            self.shock[shock.start_day:end] = 1.0 - shock.severity * sens
        # Paydays and holidays move capacity to pay (as the economy does) and contact.
        season_pay, self.season_contact = seasonal_factors(
            b.seasonality, sc.calendar.start_date, sc.calendar.holidays, span)
        """Day factor on robot and agent right-party contact (1 = an ordinary day)."""
        if b.seasonality is not None:
            self.shock *= season_pay[:, None]
        self.has_shock = shock is not None or b.seasonality is not None
        self.cure_rate: F64 = np.array(
            [bh.hazard_rate(getattr(b.cure_hazard, s)) for s in STAGE_NAMES])
        self.partial_rate: F64 = np.array(
            [bh.hazard_rate(getattr(b.partial_payment_hazard, s)) for s in STAGE_NAMES])
        self.agent_contact: F64 = np.array([getattr(b.contact.agent, s) for s in STAGE_NAMES])
        self.robot_contact: F64 = np.array([getattr(b.contact.robot, s) for s in STAGE_NAMES])
        self.ptp_logit: F64 = np.array(
            [bh.logit(getattr(b.promise.ptp_rate, s)) for s in STAGE_NAMES])
        self.hour_profile: F64 = np.asarray(b.contact.hour_profile, np.float64)
        self.decay = bh.pressure_decay(b)
        # Per-account factors that never change, computed once instead of every day.
        self.payer_mult: F64 = bh.payer_factor(book.payer, b)
        self.cure_base: F64 = self.seg_cure[book.segment] * self.payer_mult
