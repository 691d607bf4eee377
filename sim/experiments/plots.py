"""Pictures of experiments, for a management deck.

- :func:`forest`: each challenger's effect on each KPI relative to the champion,
  with its confidence interval. Effects are shown in percent of the champion's
  value so KPIs of different units share one axis; an interval that crosses zero
  is drawn grey (no detectable effect).
- :func:`distributions`: the spread of each KPI over replications, per strategy.
- :func:`frontier`: what each extra collector buys: cost against recovery over
  headcount, and recovery, net charge-off and cost per unit collected per headcount.
- :func:`sweep_lines`: a KPI against a swept parameter, with intervals.

matplotlib is imported only when a plot is drawn, and figures are built with the
object API (no pyplot state), so plotting works the same in scripts, worker
threads and notebooks. :func:`save` writes a PNG.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_BETTER = "#1b7837"
_WORSE = "#b2182b"
_NEUTRAL = "#7f7f7f"
_LINE = "#2166ac"


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=110, layout="constrained")


def _direction(kpi: str) -> str | None:
    try:
        from sim.targets import direction  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    try:
        return str(direction(kpi))
    except (KeyError, ValueError):
        return None


def _label(kpi: str) -> str:
    return kpi.replace("_", " ")


def forest(differences: pd.DataFrame, title: str = "Challenger vs champion") -> Figure:
    """Forest plot of relative differences (challenger - champion) with their intervals."""
    frame = differences.dropna(subset=["champion_mean"]).reset_index(drop=True)
    rows = len(frame)
    fig = _figure(8.0, 1.2 + 0.32 * max(rows, 1))
    ax = fig.add_subplot()
    labels = []
    records: list[dict[str, Any]] = frame.to_dict("records")  # type: ignore[assignment]
    for y, row in enumerate(records):
        base = float(row["champion_mean"])
        scale = 100.0 / abs(base) if base else math.nan
        mid = float(row["difference"]) * scale
        low, high = float(row["ci_low"]) * scale, float(row["ci_high"]) * scale
        colour = _NEUTRAL
        if not (low <= 0 <= high) and not math.isnan(low):
            better = _direction(str(row["kpi"]))
            if better is None:
                colour = _LINE
            else:
                colour = _BETTER if (mid > 0) == (better == "max") else _WORSE
        ax.errorbar(mid, -y, xerr=[[mid - low], [high - mid]] if not math.isnan(low) else None,
                    fmt="o", color=colour, capsize=3, markersize=4)
        labels.append(f"{row['challenger']}: {_label(str(row['kpi']))}")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks([-y for y in range(rows)], labels, fontsize=8)
    ax.set_xlabel("difference vs champion, % of champion mean (95% CI)")
    champion = str(frame["champion"].iloc[0]) if rows else ""
    ax.set_title(f"{title} ({champion})" if champion else title)
    ax.grid(axis="x", alpha=0.3)
    ax.margins(y=0.5 / max(rows, 1))
    return fig


def distributions(
    runs: pd.DataFrame, kpis: Sequence[str], by: str = "scenario", columns: int = 3
) -> Figure:
    """Box-and-strip plots of each KPI over replications, one panel per KPI."""
    import numpy as np

    groups = list(dict.fromkeys(runs[by]))
    rows = math.ceil(len(kpis) / columns)
    fig = _figure(3.2 * min(columns, len(kpis)), 0.6 + 2.6 * rows)
    axes = fig.subplots(rows, min(columns, len(kpis)), squeeze=False).ravel()
    jitter = np.random.default_rng(0)  # fixed: the picture must not change between runs
    for ax, kpi in zip(axes, kpis, strict=False):
        data = [runs.loc[runs[by] == g, kpi].dropna().to_numpy() for g in groups]
        ax.boxplot(data, widths=0.5, showfliers=False, medianprops={"color": _LINE})
        for i, values in enumerate(data, start=1):
            ax.scatter(i + jitter.uniform(-0.12, 0.12, values.size), values, s=6, alpha=0.5,
                       color=_NEUTRAL)
        ax.set_xticks(range(1, len(groups) + 1), [str(g) for g in groups], rotation=20,
                      ha="right", fontsize=7)
        ax.set_title(_label(kpi), fontsize=9)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(axis="y", alpha=0.3)
    for ax in axes[len(kpis):]:
        ax.set_visible(False)
    fig.suptitle("KPI distributions over replications")
    return fig


def _band(ax: Any, frame: pd.DataFrame, x: str, kpi: str, colour: str = _LINE) -> None:
    ax.plot(frame[x], frame[f"{kpi}_mean"], marker="o", markersize=3, color=colour)
    if f"{kpi}_ci_low" in frame:
        ax.fill_between(frame[x], frame[f"{kpi}_ci_low"], frame[f"{kpi}_ci_high"],
                        color=colour, alpha=0.2, linewidth=0)


def frontier(
    table: pd.DataFrame,
    *,
    recommended: int | None,
    recovery: str = "recovery_1_30",
    targets: dict[str, float] | None = None,
    title: str = "Staffing frontier",
) -> Figure:
    """Cost against recovery over headcount, plus three KPIs per headcount.

    ``table`` has a ``headcount`` column and ``<kpi>_mean``/``_ci_low``/``_ci_high``
    columns for the recovery KPI, ``total_cost``, ``net_charge_off`` and
    ``cost_per_collected``.
    """
    frame = table.sort_values("headcount")
    fig = _figure(10.0, 7.0)
    (a, b), (c, d) = fig.subplots(2, 2)
    a.plot(frame[f"{recovery}_mean"], frame["total_cost_mean"], marker="o", color=_LINE)
    for row in frame.itertuples(index=False):
        a.annotate(str(row.headcount), (getattr(row, f"{recovery}_mean"), row.total_cost_mean),
                   textcoords="offset points", xytext=(4, 4), fontsize=7)
    a.set_xlabel(_label(recovery))
    a.set_ylabel("total cost")
    a.set_title("Cost against recovery (labels: headcount)", fontsize=10)
    panels = ((b, recovery), (c, "net_charge_off"), (d, "cost_per_collected"))
    for ax, kpi in panels:
        if f"{kpi}_mean" not in frame:
            ax.set_visible(False)
            continue
        _band(ax, frame, "headcount", kpi)
        ax.set_xlabel("headcount")
        ax.set_title(_label(kpi), fontsize=10)
        if targets and kpi in targets:
            ax.axhline(targets[kpi], color=_WORSE, linestyle="--", linewidth=1, label="target")
            ax.legend(fontsize=7)
    for ax in (a, b, c, d):
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=7)
        if recommended is not None and ax is not a:
            ax.axvline(recommended, color=_BETTER, linestyle=":", linewidth=1.2)
    if recommended is not None:
        rec = frame[frame["headcount"] == recommended]
        if not rec.empty:
            a.scatter(rec[f"{recovery}_mean"], rec["total_cost_mean"], s=80, facecolors="none",
                      edgecolors=_BETTER, linewidths=1.5, zorder=3)
    suffix = f": recommended {recommended}" if recommended is not None else ""
    fig.suptitle(title + suffix)
    return fig


def sweep_lines(summary: pd.DataFrame, x: str, kpis: Sequence[str], columns: int = 3) -> Figure:
    """Each KPI's mean and interval against the swept parameter ``x``."""
    rows = math.ceil(len(kpis) / columns)
    fig = _figure(3.4 * min(columns, len(kpis)), 0.6 + 2.6 * rows)
    axes = fig.subplots(rows, min(columns, len(kpis)), squeeze=False).ravel()
    numeric = pd.api.types.is_numeric_dtype(summary[x])
    for ax, kpi in zip(axes, kpis, strict=False):
        part = summary[summary["kpi"] == kpi]
        xs = part[x] if numeric else range(len(part))
        ax.plot(xs, part["mean"], marker="o", markersize=3, color=_LINE)
        ax.fill_between(xs, part["ci_low"], part["ci_high"], color=_LINE, alpha=0.2, linewidth=0)
        if not numeric:
            ax.set_xticks(list(xs), [str(v) for v in part[x]], rotation=20, ha="right",
                          fontsize=7)
        ax.set_title(_label(kpi), fontsize=9)
        ax.set_xlabel(x.rsplit(".", 1)[-1], fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    for ax in axes[len(kpis):]:
        ax.set_visible(False)
    fig.suptitle(f"Sweep over {x} (mean, 95% CI)")
    return fig


def save(fig: Figure, path: str | Path) -> Path:
    """Write ``fig`` as a PNG and return the path."""
    target = Path(path)
    fig.savefig(target, format="png")
    return target
