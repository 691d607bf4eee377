"""What a history shows: transition rates between snapshots, with their uncertainty.

Between two consecutive snapshots of one account (about a month apart) a delinquent
account does one of three things. It **cures** -- is current again or owes nothing at
the next snapshot (it paid what was due, was re-aged onto a plan, or settled); it
**rolls** into a later 30-day bucket or to charge-off; or it stays. Separately it may
pay **in part** without curing. A charged-off account may still **recover** something.
The rates of these events by stage and segment are the *moments* that calibration
matches (:mod:`sim.calibration.fit`).

Every rate is a mean over transitions, so its sampling error is known. Transitions of
the same account are not independent draws (a debtor who paid in part last month is
more likely to again), so the covariance of all moments together is the
**cluster-robust** one: each account's contributions are summed before they are
squared. That is what the fitted parameters' intervals rest on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from sim.calibration.history import CHARGED_OFF_CODE, History

if TYPE_CHECKING:
    import pandas as pd

STAGES = ("early", "mid", "late")
STAGE_OF_BUCKET = np.array([-1, 0, 1, 1, 2, 2, 2, -1])
"""Stage of each bucket code (current and charged off have none)."""
MAX_GAP_DAYS = 45
"""Consecutive snapshots further apart than this are not read as one transition."""


def transitions(history: History) -> pd.DataFrame:
    """One row per pair of consecutive snapshots of an account (at most 45 days apart).

    Columns: ``account``, ``date`` (of the later snapshot), ``segment``, ``bucket``,
    ``balance`` (at the earlier), ``next_bucket``, ``next_balance``, ``paid`` (between
    the two), ``cured``, ``rolled``, ``partial``, ``stage`` (-1 if not delinquent).
    """
    import pandas as pd

    f = history.frame
    same = (f["account"].to_numpy()[1:] == f["account"].to_numpy()[:-1])
    gap = (f["date"].to_numpy()[1:] - f["date"].to_numpy()[:-1]) / np.timedelta64(1, "D")
    pair = np.flatnonzero(same & (gap <= MAX_GAP_DAYS))
    a, b = pair, pair + 1
    bucket = f["bucket"].to_numpy()[a]
    nb = f["bucket"].to_numpy()[b]
    nbal = f["balance"].to_numpy()[b]
    paid = f["paid"].to_numpy()[b]
    delinquent = (bucket >= 1) & (bucket < CHARGED_OFF_CODE)
    cured = delinquent & ((nb == 0) | (nbal <= 0))
    return pd.DataFrame({
        "account": f["account"].to_numpy()[a],
        "date": f["date"].to_numpy()[b],
        "segment": f["segment"].to_numpy()[a],
        "bucket": bucket,
        "balance": f["balance"].to_numpy()[a],
        "next_bucket": nb,
        "next_balance": nbal,
        "paid": paid,
        "cured": cured,
        "rolled": delinquent & ~cured & (nb > bucket),
        "partial": delinquent & ~cured & (paid > 0),
        "stage": np.where(delinquent, STAGE_OF_BUCKET[bucket], -1),
    })


@dataclass(frozen=True)
class Moment:
    """One rate read off the transitions: which ones count, and what is averaged."""

    name: str
    """e.g. ``cure.early``, ``partial.mid``, ``cure.segment.subprime_loan``."""
    label: str
    """In words, for the report and the fitted file's comments."""


@dataclass(frozen=True)
class Moments:
    """Values, counts and cluster-robust covariance of a set of moments."""

    names: tuple[str, ...]
    values: npt.NDArray[np.float64]
    counts: npt.NDArray[np.int64]
    """Transitions each moment averages over."""
    events: npt.NDArray[np.float64]
    """Sum of the averaged quantity (the events, for a rate)."""
    cov: npt.NDArray[np.float64]

    def value(self, name: str) -> float:
        return float(self.values[self.names.index(name)])

    def se(self, name: str) -> float:
        i = self.names.index(name)
        return float(np.sqrt(self.cov[i, i]))


def moment_names(segments: list[str], reference: str | None) -> tuple[str, ...]:
    """The moments calibration matches, in a fixed order."""
    names = [f"cure.{s}" for s in STAGES] + [f"partial.{s}" for s in STAGES]
    names += [f"cure.segment.{s}" for s in segments if s != reference]
    names += ["recovery.incidence", "recovery.share"]
    return tuple(names)


def indicators(t: pd.DataFrame, names: tuple[str, ...]) -> tuple[npt.NDArray[np.bool_],
                                                                 npt.NDArray[np.float64]]:
    """For each moment, which transitions count (mask) and the value averaged."""
    n = t.shape[0]
    mask = np.zeros((n, len(names)), bool)
    value = np.zeros((n, len(names)), np.float64)
    stage = t["stage"].to_numpy()
    delinquent = stage >= 0
    charged = (t["bucket"].to_numpy() == CHARGED_OFF_CODE) & (t["balance"].to_numpy() > 0)
    paid = t["paid"].to_numpy()
    for k, name in enumerate(names):
        kind, _, rest = name.partition(".")
        if kind in ("cure", "partial") and rest in STAGES:
            mask[:, k] = stage == STAGES.index(rest)
            value[:, k] = t["cured" if kind == "cure" else "partial"].to_numpy()
        elif name.startswith("cure.segment."):
            mask[:, k] = delinquent & (t["segment"].to_numpy() == name.removeprefix(
                "cure.segment."))
            value[:, k] = t["cured"].to_numpy()
        elif name == "recovery.incidence":
            mask[:, k] = charged
            value[:, k] = paid > 0
        elif name == "recovery.share":
            mask[:, k] = charged & (paid > 0)
            with np.errstate(divide="ignore", invalid="ignore"):
                value[:, k] = np.where(mask[:, k], np.minimum(paid / t["balance"].to_numpy(),
                                                              1.0), 0.0)
        else:
            raise ValueError(f"unknown moment {name!r}")
    return mask, value


def measure(t: pd.DataFrame, names: tuple[str, ...]) -> Moments:
    """The moments of a transitions table, with their cluster-robust covariance."""
    mask, value = indicators(t, names)
    counts = mask.sum(axis=0).astype(np.int64)
    sums = (value * mask).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    # Influence of each transition on each mean, summed within accounts (clusters).
    psi = np.where(mask, (value - np.nan_to_num(means)) / np.maximum(counts, 1), 0.0)
    codes = np.unique(t["account"].to_numpy(), return_inverse=True)[1]
    clustered = np.zeros((int(codes.max()) + 1 if codes.size else 0, len(names)))
    np.add.at(clustered, codes, psi)
    cov = clustered.T @ clustered
    return Moments(names, means, counts, sums, cov)


def roll_rates_by_month(t: pd.DataFrame) -> pd.DataFrame:
    """Share of accounts in each delinquent bucket that rolled on, by snapshot month."""
    d = t[t["stage"] >= 0]
    return (d.groupby(["date", "bucket"])["rolled"].mean().unstack("bucket")
            .rename(columns=lambda b: int(b)))


def balances_by_bucket(history: History) -> pd.DataFrame:
    """Balance owed in each bucket at each snapshot date (major units)."""
    f = history.frame
    return f.groupby(["date", "bucket"])["balance"].sum().unstack("bucket", fill_value=0)


def cure_curve(history: History, months: int = 6) -> npt.NDArray[np.float64]:
    """Share of accounts first seen in 1-30 DPD that have exited after 1..months snapshots.

    Only accounts that entered after the first snapshot count (their start is seen), and
    each horizon only among accounts observed that long.
    """
    f = history.frame
    first_date = f["date"].min()
    g = f.groupby("account", sort=False)
    start = g["date"].transform("min")
    fresh = (start > first_date) & (g["bucket"].transform("first") == 1)
    f = f[fresh.to_numpy()]
    if f.empty:
        return np.full(months, np.nan)
    order = f.groupby("account", sort=False).cumcount().to_numpy()
    exited = ((f["bucket"].to_numpy() == 0) | (f["balance"].to_numpy() <= 0))
    accounts = f["account"].to_numpy()
    codes, inv = np.unique(accounts, return_inverse=True)
    first_exit = np.full(codes.shape[0], np.iinfo(np.int64).max)
    np.minimum.at(first_exit, inv[exited], order[exited])
    start_date = f.groupby("account")["date"].min().reindex(codes).to_numpy()
    end = f["date"].max()
    out = np.full(months, np.nan)
    for m in range(1, months + 1):
        horizon = start_date + np.timedelta64(30 * m, "D")
        seen = horizon <= end
        if seen.any():
            out[m - 1] = float((first_exit[seen] <= m).mean())
    return out
