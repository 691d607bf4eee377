"""Following cohorts to resolution: the run-off past the horizon and the write-off tail.

A collections KPI cut off at the horizon rewards letting accounts roll: an account that
is 150 DPD on the last day has lost nothing yet. So the accounts that **enter**
collections in the measured window (from the warm-up day to the horizon) are followed
past the horizon -- the same strategy and floor keep working the book, but no new
accounts arrive -- until each of them is **resolved**: cured, closed, settled, or
charged off, with no judgment or collateral sale still pending.

A charged-off balance is not all lost: agencies and debt buyers keep recovering for
years. A cohort's loss counts recoveries for a stated tail after charge-off
(``channels.writeoff.tail_days``). Once the cohorts are resolved, the part of the tail
not yet simulated is **valued** in closed form (:func:`expected_tail_share`) instead of
simulated day by day; ``horizon.writeoff_tail = "simulate"`` runs it out instead, which
is how the valuation is tested.

The run-off has no inflow, so the floor has spare capacity there: accounts of the last
weeks of the window get more attention than they would in a steady flow. Their outcome
is then slightly better than a continuing book would give them; a long window dilutes
the effect.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sim.stages import NEVER, State

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

REPO_DONE = NEVER - 1
"""``repo_day`` once the collateral has been sold (see the evening's late stage)."""


def measured_cohort(arrival_day: npt.NDArray[np.integer], warmup: int, days: int) -> I64:
    """Indices of accounts entering collections on a day in ``[warmup, days)``."""
    arrival = arrival_day.astype(np.int64)
    return np.flatnonzero((arrival >= warmup) & (arrival < days))


def unresolved(state: npt.NDArray[np.int8], legal_day: npt.NDArray[np.int16],
               repo_day: npt.NDArray[np.int16]) -> npt.NDArray[np.bool_]:
    """Accounts still in collections or in a plan, or waiting for a judgment or a sale."""
    open_state = (state == State.DELINQUENT) | (state == State.PLAN)
    return np.asarray(open_state | (legal_day != NEVER) | (repo_day < REPO_DONE), bool)


def mean_writeoff_share(share: float) -> float:
    """Mean share of the remaining balance one post-write-off payment covers.

    The engine draws ``min(share * (0.5 + U), 1)`` with ``U`` uniform on [0, 1].
    """
    low, high = 0.5 * share, 1.5 * share
    if high <= 1.0:
        return share
    if low >= 1.0:
        return 1.0
    # Uniform on [low, high], capped at 1: integrate the two pieces.
    return ((1.0 - low * low) / 2.0 + (high - 1.0)) / (high - low)


def expected_tail_share(daily_chance: F64, mean_share: float, days_left: I64) -> F64:
    """Expected share of a charged-off balance recovered in ``days_left`` more days.

    Each day a payment comes with probability ``daily_chance`` and covers on average
    ``mean_share`` of what is left, independently of the past, so the expected balance
    left after ``t`` days is ``(1 - daily_chance * mean_share) ** t`` of today's.
    """
    keep = 1.0 - np.minimum(daily_chance, 1.0) * mean_share
    return np.asarray(1.0 - keep ** np.maximum(days_left, 0), np.float64)
