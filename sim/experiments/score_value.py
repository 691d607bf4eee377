"""What a better collections score is worth: recovery gained per step of AUC.

A predictive score ranks delinquent accounts by how likely they are to pay. When
collectors cannot call every account on the worklist, the order decides who is
reached, so a sharper score (a higher AUC) moves calls from accounts that would not
have paid to accounts that will. How much that is worth in cash is what a model
team needs to know before it spends a quarter on a better model.

Run a sweep over ``strategy.score.auc`` with the worklist ordered by the score (see
:func:`sim.experiments.sweep.sweep`). Every AUC sees the same debtors (common random
numbers), so the gain from one AUC to the next is a **paired** difference over
replications, with a t interval far narrower than the spread of the KPI itself.
:func:`value_of_accuracy` tabulates, per AUC, the KPI's level, its gain over the
lowest AUC and its gain over the previous AUC (one "step"), each with an interval;
:func:`plot_value_of_accuracy` draws both. A score only pays where capacity binds:
with staff to call everyone, the order -- and so the AUC -- changes nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from sim.experiments import stats

if TYPE_CHECKING:
    from matplotlib.figure import Figure

AUC = "strategy.score.auc"
"""The key path of the score's accuracy."""


def value_of_accuracy(runs: pd.DataFrame, kpi: str = "collected", lever: str = AUC,
                      confidence: float = stats.CONFIDENCE) -> pd.DataFrame:
    """Per value of ``lever`` (ascending): the KPI's mean and interval, and paired gains.

    ``runs`` is a sweep's tidy table (one row per point and replication). Columns of
    the result: ``auc`` (the lever's value), ``mean``, ``ci_low``, ``ci_high``,
    ``gain``/``gain_low``/``gain_high`` (against the lowest value) and
    ``step_gain``/``step_low``/``step_high`` (against the previous value; NaN on the
    first row).
    """
    if lever not in runs.columns:
        raise ValueError(f"the runs have no column {lever!r}; sweep over it first")
    if kpi not in runs.columns:
        raise ValueError(f"the runs have no KPI {kpi!r}")
    values = sorted(runs[lever].dropna().unique())
    if len(values) < 2:
        raise ValueError(f"need at least two values of {lever!r}, got {values}")
    rows = []
    for i, value in enumerate(values):
        level = stats.t_interval(runs.loc[runs[lever] == value, kpi].to_numpy(), confidence)
        gain = _paired(runs, lever, values[0], value, kpi, confidence) if i else None
        step = _paired(runs, lever, values[i - 1], value, kpi, confidence) if i else None
        rows.append({
            "auc": float(value), "mean": level.mean, "ci_low": level.low,
            "ci_high": level.high,
            "gain": gain.mean if gain else 0.0, "gain_low": gain.low if gain else 0.0,
            "gain_high": gain.high if gain else 0.0,
            "step_gain": step.mean if step else float("nan"),
            "step_low": step.low if step else float("nan"),
            "step_high": step.high if step else float("nan"),
        })
    return pd.DataFrame(rows)


def accuracy_slope(runs: pd.DataFrame, kpi: str = "collected", lever: str = AUC,
                   per: float = 0.05, confidence: float = stats.CONFIDENCE) -> stats.Interval:
    """Average change in ``kpi`` per ``per`` of AUC over the whole sweep, with its interval.

    Each replication saw every AUC with the same debtors, so each gives its own
    least-squares slope of the KPI against AUC; the slopes are independent across
    replications and get a t interval. One number for the whole range is steadier
    than any single step, and it does not multiply the chances of a fluke the way
    reading seven separate steps does.
    """
    import numpy as np

    wide = runs.pivot_table(index="replication", columns=lever, values=kpi, aggfunc="mean")
    wide = wide.dropna()
    x = np.asarray(wide.columns, dtype=np.float64)
    if x.size < 2:
        raise ValueError(f"need at least two values of {lever!r}")
    centred = x - x.mean()
    slopes = wide.to_numpy(dtype=np.float64) @ centred / float(centred @ centred)
    return stats.t_interval(slopes * per, confidence)


def _paired(runs: pd.DataFrame, lever: str, base: object, other: object, kpi: str,
            confidence: float) -> stats.Interval:
    a = runs[runs[lever] == base].set_index("replication")[kpi]
    b = runs[runs[lever] == other].set_index("replication")[kpi]
    shared = a.index.intersection(b.index)
    return stats.t_interval((b.loc[shared] - a.loc[shared]).to_numpy(), confidence)


def describe_steps(table: pd.DataFrame, kpi: str = "collected", currency: str = "",
                   slope: stats.Interval | None = None, per: float = 0.05) -> str:
    """One line per AUC step of :func:`value_of_accuracy`: the paired gain, its interval
    and whether it is a real gain, a real loss or not distinguishable from zero; first,
    if given, the average per ``per`` of AUC from :func:`accuracy_slope` (computed with
    the same ``per``)."""
    from sim.experiments.verdict import BETTER, WORSE, interval_text, verdict
    from sim.style import label

    def judged(low: float, high: float) -> str:
        words = {BETTER: "a real gain", WORSE: "a real loss"}
        return words.get(verdict(kpi, low, high), "not distinguishable from zero")

    lines = [f"{label(kpi)}, each step against the one before (paired, 95% CI):"]
    if slope is not None:
        said = interval_text(kpi, slope.mean, slope.low, slope.high, currency)
        lines.insert(0, f"{label(kpi)}, average over the whole range, per +{per:g} AUC: "
                        f"{said}: {judged(slope.low, slope.high)}")
    records: list[dict[str, Any]] = table.to_dict("records")  # type: ignore[assignment]
    for before, row in itertools.pairwise(records):
        said = interval_text(kpi, row["step_gain"], row["step_low"], row["step_high"], currency)
        lines.append(f"  AUC {before['auc']:.2f} -> {row['auc']:.2f}: {said}: "
                     f"{judged(row['step_low'], row['step_high'])}")
    return "\n".join(lines)


def plot_value_of_accuracy(
    tables: pd.DataFrame | Mapping[str, pd.DataFrame], kpi: str = "collected",
    currency: str = "", title: str = "What a better score is worth",
) -> Figure:
    """Left: the KPI against AUC with its interval. Right: the paired gain of each step.

    ``tables`` is one :func:`value_of_accuracy` table, or several by name (say, one
    per staffing level) drawn side by side in different colours.
    """
    import numpy as np

    from sim import style
    from sim.kpi_catalogue import CATALOGUE

    named = {"": tables} if isinstance(tables, pd.DataFrame) else dict(tables)
    unit = CATALOGUE[kpi].unit if kpi in CATALOGUE else "ratio"
    fmt = (style.money_formatter(currency) if unit == "money"
           else style.share_formatter() if unit == "share" else None)
    name = style.label(kpi)
    fig = style.figure(10.0, 4.4)
    level, steps = fig.subplots(1, 2)
    colours = [style.BLUE, style.ORANGE, style.GREEN, style.RED]
    width = 0.8 / len(named)
    for i, (series, table) in enumerate(named.items()):
        colour = colours[i % len(colours)]
        level.plot(table["auc"], table["mean"], marker="o", color=colour,
                   label=series or None)
        level.fill_between(table["auc"], table["ci_low"], table["ci_high"], color=colour,
                           alpha=0.2, linewidth=0)
        rest = table.iloc[1:]
        x = np.arange(len(rest)) + (i - (len(named) - 1) / 2) * width
        real = [lo > 0 or hi < 0 for lo, hi in zip(rest["step_low"], rest["step_high"],
                                                   strict=True)]
        steps.bar(x, rest["step_gain"], width=width * 0.9,
                  color=[colour if r else style.GREY for r in real])
        steps.errorbar(x, rest["step_gain"],
                       yerr=[rest["step_gain"] - rest["step_low"],
                             rest["step_high"] - rest["step_gain"]],
                       fmt="none", ecolor="black", capsize=3, linewidth=1)
    first = next(iter(named.values()))
    labels = [f"{a:.2f}→{b:.2f}" for a, b in itertools.pairwise(first["auc"])]
    steps.set_xticks(range(len(labels)), labels, rotation=30 if len(labels) > 4 else 0)
    steps.set_xlim(-0.7, len(labels) - 0.3)
    steps.axhline(0, color="black", linewidth=0.8)
    style.frame(level, title=f"{name.capitalize()} by score accuracy (95% CI)",
                xlabel="score accuracy (AUC)", ylabel=_unit_label(name, unit, currency))
    style.frame(steps, title="Change from each step up in AUC (paired, 95% CI)",
                xlabel="AUC step (grey: not distinguishable from zero)",
                ylabel=f"change in {_unit_label(name, unit, currency)}")
    if len(named) > 1:
        level.legend(loc="best", frameon=False, fontsize=8)
    for ax in (level, steps):
        if fmt is not None:
            ax.yaxis.set_major_formatter(fmt)
    style.heading(fig, title)
    return fig


def _unit_label(name: str, unit: str, currency: str) -> str:
    if unit == "money":
        return f"{name} ({currency})" if currency else name
    if unit == "share":
        return f"{name} (% of balance)"
    return f"{name} ({unit})"
