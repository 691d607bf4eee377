"""Parameters of how debtors respond: the numbers behind :mod:`sim.behaviour`.

Public data on consumer collections micro-rates is thin: no peer-reviewed table of
right-party-contact, promise-kept or cure-by-bucket rates exists (see
``simulation-anchors.md`` section 2b, "Gap"). Every default below therefore says where
it comes from and how sure we are: **[H]** regulatory or peer-reviewed, **[M]**
reputable secondary, **[L]** vendor claim used only as a plausible range, or
*illustrative, no public figure*. Calibrate them to your own data before deciding.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from sim.scenario.base import (
    MULTIPLIER_CEILING,
    Count,
    Hazard,
    Integer,
    LogOdds,
    Money,
    Multiplier,
    NonNegative,
    Positive,
    Probability,
    Spec,
)
from sim.scenario.seasonality_spec import Seasonality

DEFAULT_HOUR_PROFILE: tuple[NonNegative, ...] = (
    0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.6,  # 00-07
    0.8, 0.9, 0.9, 1.0, 0.9, 0.9, 0.9, 0.9,  # 08-15
    1.0, 1.1, 1.3, 1.4, 1.3, 1.1, 0.7, 0.4,  # 16-23
)
"""Relative chance of reaching a debtor by local hour: low in the working morning,
highest early evening. Shape is illustrative (vendor dialler guidance [L]); no public
consumer figure."""


class StageRates(Spec):
    """A probability (or daily hazard) per collection stage, each in [0, 1]."""

    early: Probability
    """1-30 DPD."""
    mid: Probability
    """31-90 DPD."""
    late: Probability
    """91 DPD to write-off."""


class ContactRates(Spec):
    """Chance that an attempt reaches the right party, before hour, fatigue and segment."""

    agent: StageRates = StageRates(early=0.30, mid=0.22, late=0.15)
    """Agent outbound call. Manual-dial contact rate to the responsible party 20-30 %
    (Lighthouse Consulting 2014) [L-M]; falling with age is illustrative."""
    robot: StageRates = StageRates(early=0.25, mid=0.18, late=0.10)
    """Robot / IVR call reaching the debtor who listens through. Illustrative."""
    field_visit: Probability = 0.55
    """A field visit finds the debtor at home. Illustrative, no public figure."""
    wrong_party: Probability = 0.06
    """Connected attempts that reach someone else (relative, wrong number). Illustrative."""
    hour_profile: tuple[NonNegative, ...] = DEFAULT_HOUR_PROFILE
    """24 multipliers by the debtor's local hour."""
    fatigue_per_attempt: Multiplier = 0.04
    """Each attempt in the last 7 days divides the contact chance by (1 + this): debtors
    screen a number that keeps calling. Illustrative."""

    @field_validator("hour_profile")
    @classmethod
    def _twenty_four(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if len(value) != 24 or any(v > MULTIPLIER_CEILING for v in value):
            raise ValueError(f"hour_profile needs 24 multipliers from 0 to {MULTIPLIER_CEILING:g} "
                             "(00h to 23h)")
        return value


class PromiseModel(Spec):
    """Promise to pay (PTP) once the right party is on the line, and whether it is kept."""

    ptp_rate: StageRates = StageRates(early=0.45, mid=0.35, late=0.22)
    """Base PTP rate given right-party contact by an agent. Vendor KPI targets quote PTP
    from up to 80 % of contacts [L]; these lower values are illustrative."""
    robot_ptp_rate: Probability = 0.12
    """PTP through a robot / IVR flow given contact. Illustrative."""
    inbound_shift: LogOdds = 0.8
    """Log-odds added when the debtor called in (self-selected, more willing). Illustrative."""
    field_shift: LogOdds = 0.5
    """Log-odds added on a field visit conversation. Illustrative."""
    willingness_weight: LogOdds = 3.0
    """Log-odds per unit of willingness above 0.5. Illustrative."""
    capacity_weight: LogOdds = 2.0
    """Log-odds per unit of capacity above 0.5. Illustrative."""
    keep_rate: Probability = 0.78
    """Base chance a promise is kept: "30-50 % of promises made to human collectors are
    never fulfilled" (vendor blog) [L], so 50-70 % kept; non-payers and weak capacity pull
    the realised rate toward the low end."""
    keep_willingness_weight: LogOdds = 2.0
    """Log-odds of keeping per unit of willingness above 0.5. Illustrative."""
    keep_capacity_weight: LogOdds = 2.5
    """Log-odds of keeping per unit of capacity above 0.5. Illustrative."""
    nonpayer_keep_factor: Probability = 0.4
    """Latent non-payers keep promises this much less often. Illustrative."""
    days_max: Integer = Field(default=7, ge=0, le=30)
    """Promise dates fall uniformly 0..days_max days after the call. Illustrative."""
    full_share: Probability = 0.75
    """Share of promises for the full amount due (the rest are partial). Illustrative."""


class ComplaintModel(Spec):
    """Complaint chance per contact event, rising with intensity (the veto KPI)."""

    per_agent_attempt: Probability = 0.00015
    """Per agent call attempt. Illustrative, no public figure."""
    per_robot_attempt: Probability = 0.0002
    """Per robot call attempt. Illustrative."""
    per_message: Probability = 0.00002
    """Per SMS, e-mail or push message. Illustrative."""
    per_letter: Probability = 0.0001
    """Per formal letter. Illustrative."""
    per_field_visit: Probability = 0.005
    """Per field visit (visits are the most complained-about channel). Illustrative."""
    free_attempts_7d: Annotated[Count, Field(le=1000)] = 3
    """Attempts in 7 days tolerated before intensity raises the complaint chance."""
    intensity_slope: Multiplier = 0.25
    """Relative rise in complaint chance per attempt beyond ``free_attempts_7d``."""
    same_day_slope: Multiplier = 0.5
    """Relative rise in complaint chance per agent or robot attempt beyond the first on
    the same day: repeated calls in one day are what debtors complain of. It depends on
    the attempts made, never on the cap, so a stricter cap cannot raise complaints.
    Illustrative, no public figure."""
    outside_window_multiplier: Multiplier = 5.0
    """Multiplier for a call outside the allowed hours (only possible with enforce=false)."""
    cost: Money = 200.0
    """Handling cost per complaint (major units). Illustrative."""


class RedefaultModel(Spec):
    """Cured and restructured accounts falling behind again.

    A cure is not the end of the story: a debtor who caught up once is more likely than
    an ordinary customer to miss a payment again, most of all in the first months and
    most of all if the underlying problem (a lost job, an unaffordable loan) remains.
    So a cure counts as full value only if it lasts; the balance a cure restored is taken
    back when the account re-enters collections.

    No public consumer-credit figure for re-default after a collections cure was found
    (``simulation-anchors.md`` has none), so the defaults are **illustrative**: with a
    daily hazard of 0.001 a cured payer re-defaults within the 180-day window with
    probability 1 - exp(-0.18) = 16.5 %; a non-payer, three times as likely to each day,
    42 %. Set ``hazard = 0`` to switch re-default off.
    """

    hazard: Hazard = 0.001
    """Daily chance that a cured payer misses a payment again and re-enters collections
    at 1 DPD. Illustrative, no public figure."""
    window_days: Annotated[Count, Field(le=3650)] = 180
    """Days after a cure during which the hazard applies; after that the account counts
    as performing. Illustrative."""
    nonpayer_multiplier: Multiplier = 3.0
    """Hazard of a latent non-payer relative to a payer. Illustrative."""
    restructured_multiplier: Multiplier = 1.5
    """Hazard of an account cured through an instalment plan (re-aged) relative to one
    that caught up by itself: the plan made the debt payable, not the debtor richer.
    Illustrative."""


class Behaviour(Spec):
    """How debtors respond to time and to treatment."""

    cure_hazard: StageRates = StageRates(early=0.035, mid=0.012, late=0.0025)
    """Daily chance that an untreated, willing account pays what is due and returns to
    current. Illustrative; shape chosen so that most balance that reaches 31 DPD rolls on,
    as in the Philadelphia Fed 60+/30+ card balance ratio of about 0.71 [H, derived]."""
    nonpayer_factor: Multiplier = 0.15
    """Hazards of latent non-payers relative to payers (the label the score predicts).
    Illustrative."""
    partial_payment_hazard: StageRates = StageRates(early=0.006, mid=0.008, late=0.006)
    """Daily chance of a partial payment that does not cure. Illustrative."""
    partial_payment_share: Probability = 0.3
    """Mean share of the amount due paid in a partial payment (scaled by capacity)."""
    pressure_half_life_days: Annotated[Positive, Field(le=3650.0)] = 4.0
    """Collection pressure from contacts halves in this many days. Illustrative; the decay
    mirrors the self-exciting repayment intensity of Chehrazi & Weber (Mgmt Sci 2015) [H]."""
    pressure_uplift_max: Multiplier = 2.0
    """Largest relative rise of the cure hazard under sustained pressure (saturating).
    Illustrative."""
    pressure_scale: Annotated[Positive, Field(le=1e6)] = 2.0
    """Pressure at which 63 % of the maximum uplift is reached. Illustrative."""
    contact: ContactRates = ContactRates()
    """Right-party contact."""
    promise: PromiseModel = PromiseModel()
    """Promises to pay."""
    complaints: ComplaintModel = ComplaintModel()
    """Complaints."""
    redefault: RedefaultModel = RedefaultModel()
    """Cured accounts falling behind again."""
    seasonality: Seasonality | None = None
    """Paydays and holidays (off when absent; an empty table gives the illustrative
    defaults of :class:`~sim.scenario.seasonality_spec.Seasonality`)."""
