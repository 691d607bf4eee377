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

A cure is not resolved for good either: a cured account may re-default within a window
after the cure (``behaviour.redefault``). Following every cure through its whole window
would keep the run-off going for the window's length after the last cure, with an
almost empty book. So past the horizon no re-default is drawn; the rest of each cured
cohort account's window is **valued**: its chance of re-defaulting there
(:func:`redefault_chance`, exact for the engine's daily draws) times its balance times
a **loss given re-default** (:func:`share_after_redefault`), measured in the same run on
the cohort accounts that did re-default before the horizon.
``horizon.redefault_risk = "simulate"`` follows every window out instead, which is how
the valuation is tested.

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


MIN_REDEFAULTS = 20
"""Re-defaulted cohort accounts of a payer class needed to measure its loss given
re-default; with fewer the class's first-time loss share stands in (see
:func:`loss_given_redefault`)."""


def redefault_draws_left(resolved_day: npt.NDArray[np.integer], window: int,
                         first_unsimulated: int) -> I64:
    """Daily re-default draws a cured account still faces after the last simulated day.

    The engine draws on every day ``d`` with ``0 <= d - resolved_day < window``, the cure
    day included; the days from ``first_unsimulated`` on were not simulated.
    """
    cured = resolved_day.astype(np.int64)
    return np.clip(cured + window - first_unsimulated, 0, window)


def redefault_chance(hazard: F64, draws_left: I64) -> F64:
    """Chance of re-defaulting in ``draws_left`` more daily draws at daily hazard
    ``hazard`` (each day's chance is ``1 - exp(-hazard)``, so surviving ``n`` days is
    ``exp(-hazard * n)``)."""
    return np.asarray(-np.expm1(-hazard * np.maximum(draws_left, 0)), np.float64)


def share_after_redefault(payer: npt.NDArray[np.bool_], redefaulted: npt.NDArray[np.bool_],
                          amount: F64, base: F64, first_amount: F64,
                          first_base: F64) -> F64:
    """What a re-default leads to, as a share of the balance owed at re-default, by payer
    class: with each account's loss as ``amount``, the **loss given re-default**; with
    the cash it paid after re-defaulting, or the balance it restored by curing again,
    the recovery or restoration given re-default.

    Derivation: a re-defaulted account re-enters collections at 1 DPD with its own
    traits and its own cure threshold, under the same strategy, and cannot re-default
    again; so what happens to it after a re-default past the horizon is what happened to
    the cohort accounts of its class that re-defaulted before the horizon and were
    followed to resolution. The share is their ``amount`` over their ``base`` (balance
    at re-default), balance-weighted. It is measured per payer label, because the
    non-payers' three-fold hazard makes re-defaulters mostly non-payers, who lose far
    more. A class with fewer than :data:`MIN_REDEFAULTS` re-defaults uses the share over
    every re-defaulter; only a run with no re-default at all falls back on the class's
    first-time share (``first_amount`` over entry balance ``first_base``), an upper
    bound for losses: a first-time entrant has not yet shown it can cure, and a
    re-defaulter has (untreated, it cures again at the same point of its integrated
    hazard, so it loses nothing). Returns ``[non-payer, payer]``.
    """
    out = np.zeros(2)
    pooled = redefaulted & (base > 0)
    for cls in (0, 1):
        mine = payer == bool(cls)
        again = mine & pooled
        if int(again.sum()) < MIN_REDEFAULTS:
            again = pooled
        if again.any():
            out[cls] = float(amount[again].sum()) / float(base[again].sum())
        elif float(first_base[mine].sum()) > 0:
            out[cls] = float(first_amount[mine].sum()) / float(first_base[mine].sum())
    return out
