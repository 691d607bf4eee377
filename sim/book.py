"""The delinquent book as columns of numpy arrays, one element per account.

Accounts never become SimPy processes: at 100,000 accounts a process waking daily would
cost one event per account-day. Instead every account is a row across these arrays
(struct-of-arrays), and the engine updates whole columns at once. The arrays are sized
once for the starting book plus the whole inflow (drawn up front), so an account's index
never changes; inflow accounts wait in the ``PENDING`` state until their arrival day.

Money is kept in integer minor units (fen, cents), so the ledger balances exactly.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sim.behaviour import propensity
from sim.calendar import Calendar
from sim.payment_history import SLOTS
from sim.rng import Streams
from sim.scenario.root import Scenario
from sim.score import draw_score, payer_probability
from sim.stages import NEVER, State

I16 = npt.NDArray[np.int16]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]
B = npt.NDArray[np.bool_]

NO_DAY = -32768
"""Day stamp meaning "never" for things that look back (last conversation)."""


class Book:
    """Every account's state, traits and history, column by column."""

    def __init__(self, n: int, window_days: int) -> None:
        self.n = n
        # identity and static traits
        self.segment = np.zeros(n, np.int8)
        self.zone = np.zeros(n, np.int8)
        self.arrival_day = np.zeros(n, np.int16)
        self.capacity = np.zeros(n, np.float64)
        self.willingness = np.zeros(n, np.float64)
        self.payer = np.zeros(n, bool)
        self.score = np.zeros(n, np.float64)
        self.payer_prob = np.zeros(n, np.float64)
        self.cure_threshold = np.zeros(n, np.float64)
        # money (minor units)
        self.balance = np.zeros(n, np.int64)
        self.due = np.zeros(n, np.int64)
        self.instalment = np.zeros(n, np.int64)
        self.collateral = np.zeros(n, np.int64)
        self.collected = np.zeros(n, np.int64)
        self.collected_since_91 = np.zeros(n, np.int64)
        # dynamic state
        self.state = np.full(n, State.PENDING, np.int8)
        self.dpd = np.zeros(n, np.int16)
        self.cumhaz = np.zeros(n, np.float64)
        self.pressure = np.zeros(n, np.float32)
        self.reported = np.zeros(n, bool)
        self.promise_day = np.full(n, NEVER, np.int16)
        self.promise_amount = np.zeros(n, np.int64)
        self.promise_kind = np.zeros(n, np.int8)
        # payment history (sim.payment_history): the last SLOTS payments, broken promises
        self.pay_days = np.full((n, SLOTS), NO_DAY, np.int16)
        self.pay_amounts = np.zeros((n, SLOTS), np.int64)
        self.pay_count = np.zeros(n, np.int32)
        self.broken_promises = np.zeros(n, np.int16)
        self.promise_team = np.full(n, -1, np.int8)
        """Team whose collector took the pending promise (-1: robot, inbound, field)."""
        self.broken_day = np.full(n, NO_DAY, np.int16)
        self.plan_due_day = np.full(n, NEVER, np.int16)
        self.plan_paid = np.zeros(n, np.int8)
        self.plans_started = np.zeros(n, np.int8)
        """Times the account has been re-aged onto a plan (capped by policy)."""
        self.placed_until = np.full(n, NO_DAY, np.int16)
        self.placed_day = np.full(n, NO_DAY, np.int16)
        self.legal_day = np.full(n, NEVER, np.int16)
        self.sued = np.zeros(n, bool)
        self.repo_day = np.full(n, NEVER, np.int16)
        self.last_conversation = np.full(n, NO_DAY, np.int16)
        self.attempts_since_contact = np.zeros(n, np.int16)
        self.attempt_ring = np.zeros((n, window_days), np.int8)
        """Collector-initiated call attempts per day over the last ``window_days`` days."""
        # history for KPIs
        self.balance_at_1 = np.zeros(n, np.int64)
        self.balance_at_31 = np.zeros(n, np.int64)
        self.balance_at_91 = np.zeros(n, np.int64)
        self.entered_31 = np.full(n, NEVER, np.int16)
        self.entered_91 = np.full(n, NEVER, np.int16)
        self.first_exit_dpd = np.zeros(n, np.int16)
        """DPD at the first payment that took the account out of delinquency (0 = none)."""
        self.exited_mid = np.zeros(n, bool)
        self.returned_to_current = np.zeros(n, bool)
        self.resolved_day = np.full(n, NEVER, np.int16)
        self.first_contact_day = np.full(n, NEVER, np.int16)
        self.charged_off_amount = np.zeros(n, np.int64)
        self.recovered_after_co = np.zeros(n, np.int64)
        """Cash received after charge-off within the stated tail (every source)."""
        self.forgiven = np.zeros(n, np.int64)
        """Settlement discount written off by agreement."""
        self.restored_balance = np.zeros(n, np.int64)
        """Balance that went back to performing when the account returned to current."""
        self.redefaults = np.zeros(n, np.int8)
        """Times the account fell behind again after a cure (see the evening's re-default)."""
        self.redefault_balance = np.zeros(n, np.int64)
        """Balance owed (late fee included) when the account re-defaulted: what a loss
        given re-default is a share of."""
        self.restored_at_redefault = np.zeros(n, np.int64)
        """Restored balance left once a re-default took its cure's balance back."""
        self.collected_at_redefault = np.zeros(n, np.int64)
        """Cash the account had paid when it re-defaulted (what it pays after is the
        re-default's own recovery)."""

    def nbytes(self) -> int:
        """Memory held by the columns."""
        return sum(v.nbytes for v in vars(self).values() if isinstance(v, np.ndarray))


def sample_book(scenario: Scenario, calendar: Calendar, streams: Streams,
                window_days: int) -> tuple[Book, npt.NDArray[np.int64]]:
    """Draw the starting book and the whole inflow; return the book and the index of the
    first inflow account of each day (length ``days + 1``).

    Only strategy-independent streams are used, in a fixed order, so every strategy run
    with the same seed sees the same debtors (common random numbers).
    """
    p = scenario.portfolio
    days = scenario.horizon.days  # inflow arrives over the horizon only (not the run-off)
    inflow = streams["inflow"].poisson(p.daily_inflow, size=days).astype(np.int64)
    n = p.accounts + int(inflow.sum())
    book = Book(n, window_days)
    starts = np.concatenate(([p.accounts], p.accounts + np.cumsum(inflow))).astype(np.int64)

    rng = streams["portfolio"]
    names = list(p.segments)
    shares = np.array([p.segments[k].share for k in names])
    book.segment[:] = rng.choice(len(names), size=n, p=shares / shares.sum())
    zone_shares = np.array([z.share for z in scenario.calendar.debtor_zones])
    book.zone[:] = rng.choice(len(zone_shares), size=n, p=zone_shares / zone_shares.sum())

    scale = 10 ** p.minor_units
    normal = rng.standard_normal(n)
    traits = streams["traits"]
    u_payer = traits.random(n)
    for s, name in enumerate(names):
        seg = p.segments[name]
        rows = book.segment == s
        bal = seg.balance.median * np.exp(seg.balance.sigma * normal[rows])
        bal = np.clip(bal, seg.balance.minimum, seg.balance.maximum)
        book.balance[rows] = np.round(bal * scale).astype(np.int64)
        k = int(rows.sum())
        book.capacity[rows] = _beta(traits, seg.capacity.mean, seg.capacity.concentration, k)
        book.willingness[rows] = _beta(traits, seg.willingness.mean,
                                       seg.willingness.concentration, k)
        book.instalment[rows] = np.maximum(
            np.round(book.balance[rows] * seg.instalment_share).astype(np.int64), 1)
        if seg.product == "secured" and seg.collateral_ratio is not None:
            book.collateral[rows] = np.round(book.balance[rows] * seg.collateral_ratio).astype(
                np.int64)
    book.payer[:] = u_payer < propensity(book.capacity, book.willingness)
    book.cure_threshold[:] = streams["self_cure"].exponential(size=n)
    book.score[:] = draw_score(book.payer, scenario.strategy.score.auc, streams["score"])
    book.payer_prob[:] = payer_probability(book.score, scenario.strategy.score.auc,
                                           float(book.payer.mean()) if n else 0.5)

    # Starting book: spread over stages, uniform DPD within each stage.
    m = p.accounts
    stage_shares = np.array([p.book.early, p.book.mid, p.book.late])
    stage = rng.choice(3, size=m, p=stage_shares / stage_shares.sum())
    lo = np.array([scenario.stage_range(s)[0] for s in ("early", "mid", "late")])
    hi = np.array([scenario.stage_range(s)[1] for s in ("early", "mid", "late")])
    dpd0 = (lo[stage] + np.floor(rng.random(m) * (hi[stage] - lo[stage] + 1))).astype(np.int16)
    book.dpd[:m] = dpd0
    book.state[:m] = State.DELINQUENT
    book.arrival_day[:m] = 1 - dpd0
    book.arrival_day[m:] = np.repeat(np.arange(days, dtype=np.int16), inflow)
    cycles = 1 + (dpd0.astype(np.int64) - 1) // 30
    book.due[:m] = np.minimum(book.instalment[:m] * cycles, book.balance[:m])
    accelerated = dpd0 >= p.accelerate_at_dpd
    book.due[:m][accelerated] = book.balance[:m][accelerated]
    book.due[m:] = np.minimum(book.instalment[m:], book.balance[m:])
    book.balance_at_1[:] = book.balance
    # Book accounts already past a stage boundary entered it before or on day 0.
    book.entered_31[:m] = np.where(dpd0 >= 31, 31 - dpd0, book.entered_31[:m])
    book.entered_91[:m] = np.where(dpd0 >= 91, 91 - dpd0, book.entered_91[:m])
    book.balance_at_31[:m] = np.where(dpd0 >= 31, book.balance[:m], 0)
    book.balance_at_91[:m] = np.where(dpd0 >= 91, book.balance[:m], 0)
    return book, starts


def _beta(rng: np.random.Generator, mean: float, concentration: float, k: int) -> F64:
    """``k`` draws of Beta(mean * c, (1 - mean) * c), kept inside (0, 1)."""
    draws = rng.beta(mean * concentration, (1 - mean) * concentration, size=k)
    return np.clip(draws, 1e-6, 1 - 1e-6)
