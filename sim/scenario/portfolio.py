"""The delinquent book: who owes what, how able and willing they are to pay.

A collections portfolio is split into **segments** (risk tiers from an RFM-style score,
or product lines). Each segment has its own share of accounts, balance distribution,
product type and latent debtor traits:

- **capacity** -- the ability to pay (income left after essentials), and
- **willingness** -- the propensity to pay what one can.

Both are Beta-distributed per segment; the simulator never shows them to the strategy,
only a noisy predictive score (see :mod:`sim.score`). Each segment belongs to an
**industry** whose economic sensitivity decides how hard a macro **shock** (the stress
test that FICO and Experian advertise) cuts its debtors' capacity.

The run starts with a **book** of accounts already spread over the DPD stages and
receives a daily **inflow** of newly delinquent accounts at 1 DPD.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sim.scenario.base import (
    Count,
    Finite,
    Integer,
    LogOdds,
    Money,
    Multiplier,
    NonNegative,
    OpenProbability,
    PositiveMoney,
    Probability,
    Spec,
    sized,
)

StageName = Literal["early", "mid", "late"]
"""The deck's collection stages: early 1-30 DPD, mid 31-90, late 91 to write-off."""


class BetaTrait(Spec):
    """A latent debtor trait in (0, 1), drawn from a Beta distribution per segment."""

    mean: OpenProbability
    """Mean of the trait in the segment."""
    concentration: Annotated[Finite, Field(gt=0.0, le=10_000.0)] = 8.0
    """Beta concentration a+b; larger means debtors in the segment are more alike.
    Illustrative, no public figure."""


class BalanceDistribution(Spec):
    """Log-normal outstanding balance at the start of delinquency, in major units."""

    median: PositiveMoney
    """Median balance (e.g. yuan)."""
    sigma: Annotated[Finite, Field(ge=0.0, le=5.0)] = 0.8
    """Log-scale spread; 0.8 gives a P90/P50 ratio of about 2.8. Illustrative."""
    minimum: Money = 100.0
    """Balances are clipped below at this amount."""
    maximum: PositiveMoney = 1_000_000.0
    """Balances are clipped above at this amount."""


class Segment(Spec):
    """One slice of the book with its own size, balances and behaviour."""

    share: Probability
    """Share of accounts (book and inflow) in this segment; shares sum to 1."""
    balance: BalanceDistribution
    """Balance at the start of delinquency."""
    instalment_share: Probability = 0.1
    """Amount due per 30-day cycle as a share of the balance (the missed instalment or
    minimum payment). Illustrative: a 12-month instalment loan is about 0.09."""
    capacity: BetaTrait = BetaTrait(mean=0.6)
    """Ability to pay. Illustrative, no public figure."""
    willingness: BetaTrait = BetaTrait(mean=0.6)
    """Willingness to pay. Illustrative, no public figure."""
    product: Literal["unsecured", "secured"] = "unsecured"
    """Unsecured (card, consumer loan) or secured by collateral (auto loan)."""
    collateral_ratio: Multiplier | None = None
    """Collateral value as a share of the balance; required when ``product = "secured"``."""
    industry: str = "general"
    """Name of an entry in ``portfolio.industries``."""
    cure_multiplier: Multiplier = 1.0
    """Scales the behaviour's self-cure hazards for this segment."""
    contact_multiplier: Multiplier = 1.0
    """Scales right-party-contact probabilities for this segment (reachability)."""
    promise_shift: LogOdds = 0.0
    """Added to the log-odds of promising to pay when reached."""


class Shock(Spec):
    """A macro shock: from ``start_day`` debtors' capacity falls by ``severity`` times their
    industry's sensitivity (the vendors' stress test)."""

    start_day: Count
    """Simulation day the shock begins."""
    severity: Probability
    """Fractional fall in capacity for a fully sensitive industry."""
    duration_days: Integer | None = Field(default=None, ge=1)
    """How long it lasts; none means until the end of the run."""


class BookShares(Spec):
    """How the starting book is spread over the stages (uniform DPD within each)."""

    early: Probability = 0.6
    """Share at 1-30 DPD."""
    mid: Probability = 0.3
    """Share at 31-90 DPD."""
    late: Probability = 0.1
    """Share at 91 DPD to write-off."""


class Portfolio(Spec):
    """The delinquent book and its inflow."""

    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    """ISO 4217 currency code of every amount in the scenario."""
    minor_units: Integer = Field(default=2, ge=0, le=3)
    """Decimal places of the currency; the ledger counts integer minor units (fen, cents)."""
    accounts: Annotated[Count, sized("accounts")]
    """Delinquent accounts in the starting book on day 0."""
    book: BookShares = BookShares()
    """Spread of the starting book over the stages."""
    starting_traits: Literal["survivors", "fresh"] = "fresh"
    """Traits of the starting book's debtors: ``survivors`` gives each account those of a
    debtor who survived to the same DPD in a burn-in under the scenario's own strategy
    (the steady state; see :mod:`sim.steady_start`); ``fresh`` draws them as for a new
    arrival at any DPD, which leaves far too many payers in the later stages."""
    daily_inflow: Annotated[NonNegative, sized("inflow")] = 0.0
    """Mean number of accounts entering collections at 1 DPD each day (Poisson)."""
    segments: dict[str, Segment]
    """Segments by name."""
    industries: dict[str, Probability] = Field(default_factory=lambda: {"general": 0.5})
    """Economic sensitivity (0-1) of each industry named by a segment."""
    late_fee: Money = 0.0
    """Fee added to the amount owed at the start of each missed 30-day cycle (major units)."""
    accelerate_at_dpd: Integer = Field(default=91, ge=1)
    """DPD at which the whole balance falls due (loan acceleration), so that curing means
    paying in full. Set it to the write-off DPD or later to keep only the missed
    instalments due (credit cards)."""
    shock: Shock | None = None
    """Optional macro shock."""
