"""Collection channels, what each costs and what it can do.

Cheap channels (SMS, e-mail or app push, robot/IVR calls, letters, credit-bureau
reporting) reach many accounts a day and are simulated as daily batches. Agent calls,
inbound callbacks and field visits use people and compete for capacity. The late-stage
tools -- agency placement, legal action, collateral repossession -- recover slowly
after a delay. Write-off happens at a fixed DPD (180 for cards in the US, NCLC
section 1.4.4.2 [H]); some money still comes back afterwards.

All amounts are in the portfolio's major currency unit (yuan, dollars). Unit costs
and the ``pressure`` each contact adds (see :mod:`sim.behaviour`) are illustrative: no
public figures exist for them, so set them from your own ledger and tests.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sim.scenario.base import (
    Hazard,
    Integer,
    LogOdds,
    Money,
    Multiplier,
    Positive,
    Probability,
    Spec,
    TimeOfDay,
)


class MessageChannel(Spec):
    """A written message (SMS, e-mail or app push)."""

    cost: Money = 0.05
    """Cost per message. Illustrative (bulk SMS in China costs a few fen)."""
    callback_rate: Probability = 0.01
    """Chance the debtor calls back the same day. Illustrative; the Dutch RCT of Dewies et
    al. (Behav. Public Policy 2022) shows wording moves response rates [H]."""
    pressure: Multiplier = 0.3
    """Collection pressure the message adds (see behaviour)."""


class RobotChannel(Spec):
    """Robot / IVR calls placed in one batch at a fixed local time."""

    cost_per_attempt: Money = 0.15
    """Cost per robot call attempt. Illustrative."""
    call_time: TimeOfDay = "10:00"
    """Debtor-local time the batch is dialled."""
    pressure: Multiplier = 0.4
    """Pressure added per attempt (doubled on contact)."""


class AgentCallChannel(Spec):
    """Outbound calls by collectors (labour is costed under staffing)."""

    cost_per_minute: Money = 0.1
    """Telephony cost per handled minute. Illustrative."""
    pressure_attempt: Multiplier = 0.2
    """Pressure added by an unanswered attempt (a missed call is still a reminder)."""
    pressure_contact: Multiplier = 1.0
    """Pressure added by a conversation."""


class InboundChannel(Spec):
    """Debtors calling in, prompted by messages and letters, or on their own."""

    spontaneous_rate: Hazard = 0.001
    """Daily chance an account in collections calls in unprompted. Illustrative."""
    patience_minutes: Annotated[Positive, Field(le=1440.0)] | None = 3.0
    """Mean patience before hanging up (exponential); none means nobody abandons.
    Illustrative; Erlang-A literature (Mandelbaum & Zeltyn) models it this way [H]."""
    service_level_seconds: Annotated[Positive, Field(le=86_400.0)] = 20.0
    """Answer-time threshold of the service-level KPI (80/20 convention)."""
    cost_per_minute: Money = 0.0
    """Telephony cost per handled inbound minute (toll-free lines cost the lender)."""


class LetterChannel(Spec):
    """Formal demand letters."""

    cost: Money = 8.0
    """Cost per letter, printing and postage. Illustrative."""
    delivery_days: Integer = Field(default=3, ge=0, le=3650)
    """Days from dispatch to delivery; callbacks and pressure start on delivery."""
    callback_rate: Probability = 0.03
    """Chance the debtor calls in on delivery. Illustrative."""
    pressure: Multiplier = 0.6
    """Pressure added on delivery."""


class FieldVisitChannel(Spec):
    """Visits to the debtor's home or workplace."""

    cost: Money = 150.0
    """Cost per visit, travel and staff. Illustrative."""
    visits_per_day: Integer = Field(default=20, ge=0, le=1_000_000)
    """Visits the field team can make per day; the worklist is cut there."""
    pressure: Multiplier = 1.5
    """Pressure added by a visit."""


class RestructureOffer(Spec):
    """Instalment plan (restructuring) offered to debtors in hardship."""

    hardship_capacity_below: Probability = 0.4
    """Offered only to debtors whose capacity is below this (the collector learns it on
    the call)."""
    promise_shift: LogOdds = 1.0
    """Log-odds added to agreeing when offered. Illustrative."""
    plan_months: Integer = Field(default=12, ge=1, le=600)
    """Plan length; the instalment is the balance divided by this."""
    keep_rate: Probability = 0.8
    """Chance each instalment is paid. Illustrative, no public figure."""
    cure_after_instalments: Integer = Field(default=3, ge=1, le=600)
    """Consecutive instalments after which the account is re-aged to current."""
    cost: Money = 30.0
    """Administration cost per plan set up."""
    max_reagings: Integer = Field(default=2, ge=0, le=100)
    """Plans (re-ageings) an account may get in its life. US bank supervisors allow an
    open-end account to be re-aged at most once in 12 months and twice in 5 years
    (FFIEC Uniform Retail Credit Classification and Account Management Policy, 2000)
    [H]; without a limit, a broken plan could be re-offered for ever."""


class SettlementOffer(Spec):
    """Lump-sum settlement at a discount (late stage, pre-charge-off)."""

    discount: Probability = 0.3
    """Share of the balance forgiven if the settlement is paid."""
    promise_shift: LogOdds = 1.0
    """Log-odds added to agreeing when offered. Illustrative."""


class AgencyChannel(Spec):
    """Placement with a third-party agency on contingency."""

    commission: Probability = 0.18
    """Commission on amounts the agency collects. US average 13.9 % in 2016, higher for
    older debt (NCLC section 1.3.5.2.3) [H]; 15-25 % for fresh placements (vendor) [L]."""
    placement_days: Integer = Field(default=180, ge=1, le=3650)
    """Placement period before recall; large creditors place for 6-12 months (CFPB 2016
    via NCLC) [H]."""
    daily_recovery_hazard: Hazard = 0.004
    """Daily chance a placed account pays the agency at the start of the placement.
    Illustrative."""
    hazard_decay_per_day: Probability = 0.0015
    """Relative fall of that chance per day placed: collectability drops about 1 % a week
    (vendor) [L]."""


class LegalChannel(Spec):
    """Legal action: a suit or, in China, litigation or arbitration."""

    filing_fee: Money = 1500.0
    """Cost per filing, court and lawyer. Illustrative."""
    delay_days: Integer = Field(default=90, ge=0, le=3650)
    """Days from filing to judgment and enforcement. 90 is the short end: China's Civil
    Procedure Law sets 3 months for a case heard under the summary procedure and 6
    (extendable) under the ordinary one, before enforcement starts [H for the statutory
    limits; actual durations vary by court]."""
    success_rate: Probability = 0.55
    """Chance enforcement recovers anything. Illustrative, no public figure found."""
    recovery_share: Probability = 0.5
    """Share of the balance recovered when it does. Illustrative, no public figure found."""
    filings_per_day: Integer = Field(default=10, ge=0, le=1_000_000)
    """Filings the legal team can make per day."""
    min_balance: Money = 5000.0
    """Accounts below this balance are never sued (the fee would exceed the gain)."""


class BureauChannel(Spec):
    """Reporting the delinquency to the credit bureau."""

    cost: Money = 0.0
    """Cost per report (China's PBOC credit reference centre charges lenders no fee)."""
    cure_uplift: Multiplier = 1.25
    """Cure hazards are multiplied by this once reported: debtors pay to repair their
    record. Illustrative."""


class RepossessionChannel(Spec):
    """Repossession and sale of collateral on secured loans."""

    cost: Money = 2000.0
    """Cost per repossession (recovery agent, storage, auction)."""
    delay_days: Integer = Field(default=60, ge=0, le=3650)
    """Days from the decision to the sale proceeds."""
    sale_share: Probability = 0.7
    """Share of the collateral value realised at sale. Illustrative."""


class WriteOff(Spec):
    """Charge-off and what still comes in afterwards."""

    dpd: Integer = Field(default=180, ge=2, le=720)
    """DPD at which the balance is charged off (180 for US cards, NCLC [H])."""
    recovery_hazard: Hazard = 0.0008
    """Daily chance a charged-off account pays something (latent non-payers scaled by
    ``behaviour.nonpayer_factor``). Checked against a market price: with the agency's
    recoveries on charged-off accounts, the baseline's one-year tail brings back 13.0 %
    of its cohorts' charged-off balance (seed 0, re-default on), and Chinese banks' personal NPLs
    under a year overdue sold at 12.6 % of the claim on average, 1.8 % beyond five
    years (China Securities Journal, 20 Nov 2025, on the Yindeng Center's batch
    transfers) [M]. A buyer nets its own costs from that price, so the gross tail is
    if anything low."""
    recovery_share: Probability = 0.4
    """Mean share of the remaining balance such a payment covers. Illustrative; only the
    product with the hazard is checked (above)."""
    commission: Probability = 0.3
    """Commission on post-write-off recoveries (placed with a debt agency); NCLC's
    aged-debt contingency fees are higher than fresh ones [H]."""
    tail_days: Integer = Field(default=365, ge=0, le=3650)
    """Days after charge-off during which recoveries count toward a cohort's loss (the
    stated post-write-off tail). Recoveries later than this are cash, not loss relief."""


class Channels(Spec):
    """Every channel the strategy can use, with its costs."""

    sms: MessageChannel = MessageChannel()
    """SMS reminders."""
    email: MessageChannel = MessageChannel(cost=0.01, callback_rate=0.004, pressure=0.15)
    """E-mail or app push."""
    robot: RobotChannel = RobotChannel()
    """Robot / IVR calls."""
    call: AgentCallChannel = AgentCallChannel()
    """Agent outbound calls."""
    inbound: InboundChannel = InboundChannel()
    """Inbound callbacks."""
    letter: LetterChannel = LetterChannel()
    """Formal letters."""
    field_visit: FieldVisitChannel = FieldVisitChannel()
    """Field visits."""
    restructure: RestructureOffer = RestructureOffer()
    """Instalment / restructuring offers."""
    settlement: SettlementOffer = SettlementOffer()
    """Settlement offers."""
    agency: AgencyChannel = AgencyChannel()
    """Third-party agency placement."""
    legal: LegalChannel = LegalChannel()
    """Legal action."""
    bureau: BureauChannel = BureauChannel()
    """Credit-bureau reporting."""
    repossession: RepossessionChannel = RepossessionChannel()
    """Collateral repossession and sale."""
    writeoff: WriteOff = WriteOff()
    """Write-off and post-write-off recoveries."""
