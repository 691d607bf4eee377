"""A collection strategy written as data: the treatment ladder and the worklist rule.

The **ladder** is a list of rungs. Each rung says which action goes to which accounts
(a DPD range or a stage, optionally some segments and a minimum balance) and when: on
listed DPD days, or every N days. Rungs with a **trigger** fire on events instead of
the calendar -- a broken promise, or no contact after N attempts -- which is how
collections teams write escalation rules.

Offers (instalment plans for hardship, discounted settlements) are rungs too: while an
account is inside the rung's range, a collector who reaches it makes the offer.

The **worklist order** decides whom collectors call first when they cannot call
everyone: oldest first (``dpd``), newest first (``new_first``), largest balance
(``balance``), highest predicted recovery (``expected_recovery`` = score x balance) or
highest predictive score (``score``). The score is a noisy view of each debtor's true
propensity with a chosen accuracy (AUC), so a team can price a better model.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, WithJsonSchema, model_validator

from sim import channels
from sim.errors import one_of_names
from sim.scenario.base import Finite, Flag, Integer, Money, Spec, Window
from sim.scenario.portfolio import StageName

Action = Annotated[str, one_of_names(channels.actions, "action"),
                   WithJsonSchema({"type": "string", "enum": list(channels.actions())})]
"""Everything a rung can do: the name of a declared channel (see :mod:`sim.channels`)."""

Trigger = Literal["schedule", "broken_promise", "no_contact"]
StrategyRef = Annotated[str, Field(
    pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$",
    max_length=300)]
"""``module:attribute``, e.g. ``my_strategies:BigBalancesFirst``."""
WorklistOrder = Literal["dpd", "new_first", "balance", "expected_recovery", "score"]


class Bounds(Spec):
    """An inclusive range; a missing end is open."""

    min: Finite | None = None
    max: Finite | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Bounds:
        if self.min is not None and self.max is not None and self.max < self.min:
            raise ValueError(f"max ({self.max}) is below min ({self.min})")
        return self


class HistoryRule(Spec):
    """Payment-history conditions of a rung, all of which must hold (the deck's RFM).

    Each names a feature of :mod:`sim.payment_history` and the range it must lie in,
    e.g. ``history = { days_since_payment = { max = 30 }, payments = { min = 2 } }``:
    accounts that paid within 30 days and at least twice in the window.
    """

    window_days: Integer = Field(default=90, ge=1, le=365)
    """N of the frequency and monetary features: payments and amount in the last N days."""
    days_since_payment: Bounds | None = None
    """Recency: days since the last payment (never paid counts as 10,000)."""
    payments: Bounds | None = None
    """Frequency: payments in the last ``window_days`` days."""
    paid: Bounds | None = None
    """Monetary: amount paid in the last ``window_days`` days (major units)."""
    broken_promises: Bounds | None = None
    """Promises to pay not kept, in the account's time in collections."""
    days_since_contact: Bounds | None = None
    """Days since the last conversation (never counts as 10,000)."""

    def conditions(self) -> list[tuple[str, Bounds]]:
        """The (feature, range) pairs the rule sets."""
        names = ("days_since_payment", "payments", "paid", "broken_promises",
                 "days_since_contact")
        return [(n, b) for n in names if (b := getattr(self, n)) is not None]


class Rung(Spec):
    """One rule of the treatment ladder."""

    action: Action
    """What to do."""
    stage: StageName | None = None
    """Shorthand for the stage's DPD range (early 1-30, mid 31-90, late 91-write-off)."""
    dpd_from: Integer | None = Field(default=None, ge=1, le=3650)
    """First DPD the rung applies to (overrides the stage's start)."""
    dpd_to: Integer | None = Field(default=None, ge=1, le=3650)
    """Last DPD the rung applies to, inclusive (overrides the stage's end)."""
    on_dpd: list[Annotated[Integer, Field(le=3650)]] | None = Field(
        default=None, min_length=1, max_length=3650)
    """Exact DPD days to act on (at least one: an empty list would never act); otherwise
    every ``every_days`` from ``dpd_from``."""
    every_days: Integer = Field(default=1, ge=1, le=3650)
    """Cadence inside the range when ``on_dpd`` is not given."""
    segments: list[str] | None = None
    """Segments the rung applies to; none means all."""
    min_balance: Money = 0.0
    """Only accounts owing at least this much (major units)."""
    attempts_per_day: Integer = Field(default=1, ge=1, le=20)
    """Calls only: dial attempts per day while unanswered."""
    trigger: Trigger = "schedule"
    """``schedule`` (calendar), ``broken_promise`` (the day after a promise breaks) or
    ``no_contact`` (after ``after_attempts`` attempts without reaching the debtor)."""
    after_attempts: Integer = Field(default=6, ge=1, le=10_000)
    """For ``no_contact``: attempts since the last conversation that trigger the rung."""
    team: str | None = None
    """Calls only: the team that works them; default is the team covering the stage."""
    history: HistoryRule | None = None
    """Only accounts whose payment history matches (recency, frequency, monetary,
    broken promises, days since contact; see :class:`HistoryRule`)."""

    @model_validator(mode="after")
    def _range_is_ordered(self) -> Rung:
        if self.dpd_from is not None and self.dpd_to is not None and self.dpd_to < self.dpd_from:
            raise ValueError(f"dpd_to ({self.dpd_to}) is before dpd_from ({self.dpd_from})")
        return self


class ScoreSpec(Spec):
    """The predictive collections score the strategy can sort by."""

    auc: Finite = Field(default=0.70, ge=0.5, le=0.99)
    """Area under the ROC curve of the score against the latent payer label. Behavioural
    collection scores typically reach 0.65-0.80 (illustrative, no public figure)."""


class StrategySpec(Spec):
    """Treatment ladder, worklist rule and score."""

    name: str = "ladder"
    """Short name shown in comparisons."""
    description: str = ""
    """What the strategy tries to do, in a sentence."""
    ladder: list[Rung] = Field(default_factory=list)
    """The rungs, in any order."""
    worklist_order: WorklistOrder = "dpd"
    """Default order of every team's worklist."""
    worklist_order_by_team: dict[str, WorklistOrder] = Field(default_factory=dict)
    """Per-team overrides of the order."""
    broken_promises_first: Flag = True
    """Put accounts with a broken promise at the top of the worklist."""
    call_hours: Window | None = None
    """Debtor-local hours the strategy dials in; none means the rule pack's window. With
    ``compliance.enforce = true`` it is intersected with the pack's window."""
    retry_gap_minutes: Integer = Field(default=120, ge=0, le=1440)
    """Minimum time between dial passes over unanswered accounts on one day."""
    skip_pending_promises: Flag = True
    """Do not call accounts whose promise date has not yet come."""
    score: ScoreSpec = ScoreSpec()
    """The predictive score."""
    python: StrategyRef | None = None
    """A strategy written in Python, as ``module:attribute`` (importable from the working
    directory or an installed package). It runs on top of this ladder: its plan can start
    from the ladder's (``view.ladder_plan()``) and hand whole channels back to it
    (``delegate``); see :mod:`sim.python_strategy`. Naming one runs that code, as naming
    a pytest plugin does."""
