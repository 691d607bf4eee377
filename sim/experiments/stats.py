"""Honest uncertainty for simulated KPIs: means, t intervals and paired differences.

Strategy effects in collections are single-digit percentages, about the size of the
run-to-run noise of one replication. Each replication is one independent draw of
the whole portfolio, so a KPI's replications are i.i.d. and its mean gets a
Student-t interval. Two strategies run with common random numbers (the same seed
and replication see the same debtors) are compared replication by replication: the
paired difference cancels the noise both runs share, which is why its interval is
far narrower than the one built from two independent samples.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

CONFIDENCE = 0.95


@dataclass(frozen=True, slots=True)
class Interval:
    """A sample mean with its two-sided Student-t confidence interval."""

    n: int
    mean: float
    sd: float
    low: float
    high: float

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2


def t_interval(values: ArrayLike, confidence: float = CONFIDENCE) -> Interval:
    """Mean and t interval of i.i.d. values (NaNs dropped; NaN bounds when n < 2)."""
    from scipy import stats

    data = np.asarray(values, dtype=np.float64)
    data = data[~np.isnan(data)]
    n = int(data.size)
    if n == 0:
        return Interval(0, math.nan, math.nan, math.nan, math.nan)
    mean = float(data.mean())
    if n < 2:
        return Interval(n, mean, math.nan, math.nan, math.nan)
    sd = float(data.std(ddof=1))
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * sd / math.sqrt(n)
    return Interval(n, mean, sd, mean - half, mean + half)


BOOTSTRAP_RESAMPLES = 4000
"""Resamples of a bootstrap interval: enough for a stable 95% percentile interval."""


def share_interval(values: ArrayLike, confidence: float = CONFIDENCE) -> Interval:
    """Mean and interval of a share (each value in [0, 1]) that never leaves [0, 1].

    With few replications or a share near 0 or 1 the t interval can run past the ends
    (``71.7% [40.2%, 103.1%]``), which no reader should see. Then the percentile
    bootstrap of the mean is used instead: every resampled mean of values in [0, 1] lies
    in [0, 1], and it is as good as the t interval where the t interval is sound. The
    resampling is seeded, so the same runs always give the same interval.
    """
    ci = t_interval(values, confidence)
    if ci.n < 2 or math.isnan(ci.low) or (ci.low >= 0.0 and ci.high <= 1.0):
        return ci
    data = np.asarray(values, dtype=np.float64)
    data = data[~np.isnan(data)]
    rng = np.random.default_rng(0)
    means = rng.choice(data, size=(BOOTSTRAP_RESAMPLES, data.size), replace=True).mean(axis=1)
    tail = (1 - confidence) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return Interval(ci.n, ci.mean, ci.sd, float(max(low, 0.0)), float(min(high, 1.0)))


def lower_bound(values: ArrayLike, confidence: float) -> float:
    """One-sided lower confidence bound of the mean (upper bound: negate the values)."""
    interval = t_interval(values, 2 * confidence - 1)
    return interval.low


def summarise(
    runs: pd.DataFrame, by: str | Sequence[str], kpis: Sequence[str], confidence: float = CONFIDENCE
) -> pd.DataFrame:
    """One row per group and KPI: n, mean, sd and the interval of the mean.

    The t interval, except for shares whose t interval would leave [0, 1]
    (:func:`share_interval`).
    """
    from sim.kpi_catalogue import unit_of

    keys = [by] if isinstance(by, str) else list(by)
    rows = []
    for group, frame in runs.groupby(keys, sort=False):
        labels = group if isinstance(group, tuple) else (group,)
        for kpi in kpis:
            interval = share_interval if unit_of(kpi) == "share" else t_interval
            ci = interval(frame[kpi].to_numpy(), confidence)
            rows.append(
                {**dict(zip(keys, labels, strict=True)), "kpi": kpi, "n": ci.n, "mean": ci.mean,
                 "sd": ci.sd, "ci_low": ci.low, "ci_high": ci.high}
            )
    return pd.DataFrame(rows)


def paired_differences(
    runs: pd.DataFrame,
    *,
    by: str,
    champion: Hashable,
    kpis: Sequence[str],
    pair_on: str = "replication",
    confidence: float = CONFIDENCE,
) -> pd.DataFrame:
    """Challenger minus champion per KPI, paired on ``pair_on``, with t intervals.

    ``relative`` is the mean difference as a share of the champion's mean,
    ``p_value`` the two-sided paired t-test of "no difference", and
    ``variance_ratio`` = ``(Var A + Var B) / Var(A - B)``: how many times smaller the
    variance of the paired difference is than it would be with independent samples
    (above 1 when the runs share random numbers).
    """
    from scipy import stats

    if champion not in set(runs[by]):
        raise ValueError(f"champion {champion!r} is not one of {sorted(set(runs[by]))}")
    base = runs[runs[by] == champion].set_index(pair_on)
    rows = []
    for name, frame in runs[runs[by] != champion].groupby(by, sort=False):
        other = frame.set_index(pair_on)
        shared = base.index.intersection(other.index)
        for kpi in kpis:
            a = base.loc[shared, kpi].to_numpy(dtype=np.float64)
            b = other.loc[shared, kpi].to_numpy(dtype=np.float64)
            ci = t_interval(b - a, confidence)
            champ_mean, challenger_mean = float(a.mean()), float(b.mean())
            if ci.n >= 2 and ci.sd > 0:
                p_value = float(2 * stats.t.sf(abs(ci.mean) / (ci.sd / math.sqrt(ci.n)), ci.n - 1))
            else:
                p_value = math.nan if ci.n < 2 or ci.mean == 0 else 0.0
            rows.append(
                {"challenger": name, "champion": champion, "kpi": kpi, "n": ci.n,
                 "champion_mean": champ_mean, "challenger_mean": challenger_mean,
                 "difference": ci.mean, "ci_low": ci.low, "ci_high": ci.high,
                 "relative": ci.mean / champ_mean if champ_mean else math.nan,
                 "p_value": p_value, "variance_ratio": _variance_ratio(a, b)}
            )
    return pd.DataFrame(rows)


def _variance_ratio(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
    if a.size < 2:
        return math.nan
    separate = float(a.var(ddof=1) + b.var(ddof=1))
    paired = float((b - a).var(ddof=1))
    if paired > 0:
        return separate / paired
    return math.inf if separate > 0 else math.nan
