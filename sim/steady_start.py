"""A starting book in steady state: survivors' traits at each DPD, from a burn-in.

A book at 60 days past due is not a fresh draw of debtors. Whoever could and would pay
mostly paid in the first weeks -- the more so the harder the book is worked -- so the
accounts still delinquent at 60 DPD are mostly the ones that will not. Drawing the
starting book with fresh arrivals' traits at every DPD gives the floor a book that
answers, promises and pays far better than the one it really inherits.

Survival in collections depends on the strategy (calls, promises, plans), so no closed
form gives it: surviving the untreated self-cure hazards alone leaves far too many
latent payers at 31-90 DPD. Instead each run does a **burn-in**: the scenario's own
inflow and its own strategy, on a floor scaled down in proportion (``BURN_IN_SCALE`` of
the inflow and of every team), from an empty book for as many days as the write-off DPD,
so that every DPD up to write-off holds accounts that survived the whole way there.
Each starting account then takes the traits (segment, payer label, capacity,
willingness, score and balance) of a survivor in the same 30-day bucket; its DPD stays
the scenario's. The burn-in has random streams of its own and always runs the
scenario's own strategy, so every strategy compared on a scenario starts from the same
book (common random numbers) -- the book today's strategy left behind.

Not carried over: a survivor's contact history (fatigue, pressure, promises pending)
and the partial payments it made; the starting book begins with a clean slate on those.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from sim.stages import State, bucket_of

if TYPE_CHECKING:
    from sim.book import Book
    from sim.scenario.root import Scenario

BURN_IN_SCALE = 0.25
"""Share of the inflow and of every team's headcount the burn-in runs with."""
TRAITS = ("segment", "payer", "capacity", "willingness", "score", "payer_prob")
"""Book columns a starting account takes over from its survivor."""


def burn_in_scenario(scenario: Scenario) -> Scenario:
    """The scenario's inflow and strategy on a scaled-down floor, from an empty book, for
    as many days as the write-off DPD (no run-off, no twin, no shock)."""
    teams = scenario.staffing.teams
    return scenario.with_overrides({
        "portfolio.accounts": 0,
        "portfolio.daily_inflow": scenario.portfolio.daily_inflow * BURN_IN_SCALE,
        "portfolio.shock": None,
        "portfolio.starting_traits": "fresh",
        **{f"staffing.teams.{name}.headcount": max(1, round(team.headcount * BURN_IN_SCALE))
           for name, team in teams.items() if team.headcount > 0},
        "horizon.days": scenario.channels.writeoff.dpd,
        "horizon.warmup_days": 0,
        "horizon.runoff": False,
        "horizon.untreated_twin": False,
        "horizon.writeoff_tail": "value",
    })


def survivors(scenario: Scenario, seed: int, replication: int) -> Book | None:
    """The burn-in's book at its end (``None`` when the scenario has no inflow)."""
    from sim.engine import Run

    if scenario.portfolio.daily_inflow <= 0:
        return None
    run = Run(burn_in_scenario(scenario), seed, replication, strategy=None, event_log=False,
              observer=None, keep_records=False, namespace="burn-in:")
    run.execute()
    return run.book


def adopt_survivors_traits(book: Book, starting: int, donors: Book | None, fee_minor: int,
                           scenario: Scenario, rng: np.random.Generator) -> None:
    """Give each of the first ``starting`` accounts the traits of a survivor at its DPD.

    A survivor is drawn uniformly from the burn-in's delinquent accounts in the same
    30-day bucket (the nearest bucket holding any, if that one is empty). The balance
    comes from the survivor as it entered collections; what falls due follows from it
    and the account's own DPD as for a fresh draw.
    """
    if donors is None or starting == 0:
        return
    pool = np.flatnonzero(donors.state == State.DELINQUENT)
    if pool.shape[0] == 0:
        return
    pool_bucket = bucket_of(donors.dpd[pool])
    order = np.argsort(pool_bucket, kind="stable")
    pool, pool_bucket = pool[order], pool_bucket[order]
    buckets = np.unique(pool_bucket)
    own = bucket_of(book.dpd[:starting])
    # The nearest bucket that holds survivors (ties: the later one).
    near = buckets[np.abs(buckets[None, :] - own[:, None]).argmin(axis=1)]
    lo = np.searchsorted(pool_bucket, near, side="left")
    hi = np.searchsorted(pool_bucket, near, side="right")
    donor = pool[lo + (rng.random(starting) * (hi - lo)).astype(np.int64)]
    rows = np.arange(starting)
    for name in TRAITS:
        getattr(book, name)[rows] = getattr(donors, name)[donor]
    balance = np.maximum(donors.balance_at_1[donor] - fee_minor, 1)
    _reprice(book, rows, balance, scenario)


def _reprice(book: Book, rows: npt.NDArray[np.int64], balance: npt.NDArray[np.int64],
             scenario: Scenario) -> None:
    """Balances, instalments, collateral and what is due of starting accounts."""
    p = scenario.portfolio
    segs = list(p.segments.values())
    share = np.array([s.instalment_share for s in segs])
    ratio = np.array([s.collateral_ratio if s.product == "secured" and s.collateral_ratio
                      is not None else 0.0 for s in segs])
    seg = book.segment[rows]
    book.balance[rows] = balance
    book.instalment[rows] = np.maximum(np.round(balance * share[seg]).astype(np.int64), 1)
    book.collateral[rows] = np.round(balance * ratio[seg]).astype(np.int64)
    dpd = book.dpd[rows].astype(np.int64)
    cycles = 1 + (dpd - 1) // 30
    due = np.minimum(book.instalment[rows] * cycles, balance)
    book.due[rows] = np.where(dpd >= p.accelerate_at_dpd, balance, due)
    book.balance_at_1[rows] = balance
    book.balance_at_31[rows] = np.where(dpd >= 31, balance, 0)
    book.balance_at_91[rows] = np.where(dpd >= 91, balance, 0)
