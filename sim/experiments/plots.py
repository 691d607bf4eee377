"""Pictures of experiments, for a management deck.

- :func:`forest`: each challenger's effect on each KPI against the champion, with its
  paired confidence interval, one panel per unit (percentage points, money, counts) so
  every axis is read in its own unit; an interval that crosses zero is drawn grey (no
  detectable effect).
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

from sim import style

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_BETTER = "#1b7837"
_WORSE = "#b2182b"
_NEUTRAL = "#7f7f7f"
_LINE = "#2166ac"


def _direction(kpi: str) -> str | None:
    from sim.kpi_catalogue import CATALOGUE

    return CATALOGUE[kpi].direction if kpi in CATALOGUE else None


def _format_axis(ax: Any, kpi: str, axis: str = "y", currency: str = "") -> None:
    """Percent ticks for shares, ``CN¥1.2m`` ticks for money, 1.2M / 350k for counts."""
    from matplotlib.ticker import FuncFormatter

    from sim.kpi_catalogue import unit_of as unit

    target = ax.yaxis if axis == "y" else ax.xaxis
    kind = unit(kpi)
    if kind == "share":
        target.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.1%}"))
    elif kind == "money":
        target.set_major_formatter(style.money_formatter(currency))
    elif kind == "count":
        target.set_major_formatter(FuncFormatter(_short_number))


def _short_number(value: float, _: object = None) -> str:
    size = abs(value)
    if size >= 1e9:
        return f"{value / 1e9:.3g}B"
    if size >= 1e6:
        return f"{value / 1e6:.3g}M"
    if size >= 1e4:
        return f"{value / 1e3:.3g}k"
    return f"{value:,.0f}" if size >= 100 else f"{value:.3g}"


FOREST_ROWS = 12
"""Most rows in one forest panel; a deck slide holds about that many. The rest are in
differences.csv."""

UNIT_AXES = {"share": "percentage points", "money": "", "count": "count", "days": "days",
             "ratio": "ratio", "per_1000": "per 1,000 accounts", "seconds": "seconds"}
"""Axis words of a forest panel by KPI unit (money is labelled with its currency)."""

UNIT_TITLES = {"share": "Shares", "money": "Money", "count": "Counts", "days": "Days",
               "ratio": "Ratios", "per_1000": "Rates per 1,000 accounts", "seconds": "Seconds"}
"""Panel titles of a forest plot by KPI unit."""


def forest(
    differences: pd.DataFrame, title: str = "Challenger vs champion", currency: str = "",
    note: str = "", max_rows: int = FOREST_ROWS,
) -> Figure:
    """Forest plot of paired differences (challenger - champion), one panel per KPI unit.

    A KPI is read in its own unit: shares in percentage points, money in ``currency``,
    counts as counts, so the axis says what a dot means. Each panel keeps the
    ``max_rows`` rows with the clearest effects (largest |difference| over the
    interval's half-width); the rest are in the CSV and the panel says so. Rows whose
    difference and interval are all zero (a KPI that never moved, such as breaches
    under an enforced pack) carry no information and are left out, and so is a panel
    left empty by that.
    """
    from sim.kpi_catalogue import unit_of

    frame = differences.copy()
    moved = ~((frame["difference"] == 0) & (frame["ci_low"] == 0) & (frame["ci_high"] == 0))
    frame = frame[moved]
    frame["unit"] = frame["kpi"].map(unit_of)
    panels: list[tuple[str, pd.DataFrame, int]] = []
    for unit, part in frame.groupby("unit", sort=False):
        half = (part["ci_high"] - part["ci_low"]).abs() / 2
        clarity = part["difference"].abs() / half.where(half > 0, float("inf"))
        clarity = clarity.where(half > 0, part["difference"].abs())
        kept = part.assign(_clarity=clarity.fillna(0)).nlargest(max_rows, "_clarity")
        order = {k: i for i, k in enumerate(dict.fromkeys(part["kpi"]))}
        kept = kept.sort_values("kpi", key=lambda k: k.map(order), kind="stable")
        panels.append((str(unit), kept, len(part)))
    heights = [max(len(p), 1) for _, p, _ in panels] or [1]
    fig = style.figure(9.5, 1.2 + 0.32 * sum(heights) + 0.55 * len(heights))
    champion = str(frame["champion"].iloc[0]) if len(frame) else ""
    style.heading(fig, f"{title} ({champion})" if champion else title)
    if not panels:
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, "no KPI moved", ha="center", va="center")
        ax.set_axis_off()
        _footnote(fig, note)
        return fig
    axes = fig.subplots(len(panels), 1, squeeze=False, height_ratios=heights).ravel()
    for ax, (unit, part, total) in zip(axes, panels, strict=True):
        _forest_panel(ax, part, unit, currency)
        shown = f" ({len(part)} of {total} rows; all in differences.csv)" if total > len(
            part) else ""
        axis = UNIT_AXES.get(unit, unit) if unit != "money" else (currency or "money")
        heading = UNIT_TITLES.get(unit, unit.replace("_", " ").capitalize())
        if unit == "money" and currency:
            heading += f" ({currency})"
        style.frame(ax, title=f"{heading}{shown}", grid="x",
                    xlabel=f"challenger - champion, {axis} (95% CI, paired)", ylabel="")
    _footnote(fig, "green better, red worse, grey no detectable difference"
              + (f"  |  {note}" if note else ""))
    return fig


def _forest_panel(ax: Any, part: pd.DataFrame, unit: str, currency: str) -> None:
    records: list[dict[str, Any]] = part.to_dict("records")  # type: ignore[assignment]
    scale = 100.0 if unit == "share" else 1.0  # shares are drawn in percentage points
    labels, notes = [], []
    for y, row in enumerate(records):
        kpi = str(row["kpi"])
        mid = float(row["difference"]) * scale
        low, high = float(row["ci_low"]) * scale, float(row["ci_high"]) * scale
        colour = _NEUTRAL
        if not math.isnan(low) and not low <= 0 <= high:
            better = _direction(kpi)
            colour = _LINE if better is None else (
                _BETTER if (mid > 0) == (better == "max") else _WORSE)
        ax.errorbar(mid, -y, xerr=None if math.isnan(low) else [[mid - low], [high - mid]],
                    fmt="o", color=colour, capsize=3, markersize=4)
        if y and kpi != records[y - 1]["kpi"]:
            ax.axhline(-y + 0.5, color="#dddddd", linewidth=0.8)
        labels.append(f"{style.label(kpi)}: {row['challenger']}")
        half = (float(row["ci_high"]) - float(row["ci_low"])) / 2
        notes.append(_note(kpi, float(row["difference"]), half, currency))
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks([-y for y in range(len(records))], labels, fontsize=8)
    right = ax.secondary_yaxis("right")
    right.set_yticks([-y for y in range(len(records))], notes, fontsize=7)
    right.tick_params(length=0)
    if unit == "money":
        ax.xaxis.set_major_formatter(style.money_formatter(currency))
    ax.margins(y=0.5 / max(len(records), 1))
    ax.tick_params(axis="x", labelsize=7)


def _footnote(fig: Figure, text: str) -> None:
    """The small print under a figure: what was run (scenario, seed, replications)."""
    style.footnote(fig, text)


def _note(kpi: str, difference: float, half_width: float, currency: str) -> str:
    """``+CN¥45.6k ± CN¥12.3k`` for money, ``+1.20 pp ± 0.26 pp`` for shares."""
    from sim.experiments.console import fmt_diff, plus_minus
    from sim.kpi_catalogue import unit_of as unit

    if unit(kpi) == "money":
        sign = "-" if difference < 0 else "+"
        return (f"{sign}{style.money(abs(difference), currency)} "
                f"\u00b1 {style.money(half_width, currency)}")
    return f"{fmt_diff(kpi, difference)} {plus_minus(kpi, half_width)}"


def distributions(
    runs: pd.DataFrame, kpis: Sequence[str], by: str = "scenario", columns: int = 3,
    currency: str = "", note: str = "",
) -> Figure:
    """Box-and-strip plots of each KPI over replications, one panel per KPI.

    A KPI that is zero in every run (breaches under an enforced rule pack) says nothing
    in a box plot and is left out, with its name in the footnote.
    """
    import numpy as np

    silent = [k for k in kpis if runs[k].fillna(0).eq(0).all()]
    shown = [k for k in kpis if k not in silent] or list(kpis[:1])
    groups = list(dict.fromkeys(runs[by]))
    width = min(columns, len(shown))
    rows = math.ceil(len(shown) / columns)
    fig = style.figure(3.2 * width, 0.9 + 2.6 * rows)
    axes = fig.subplots(rows, width, squeeze=False).ravel()
    jitter = np.random.default_rng(0)  # fixed: the picture must not change between runs
    for ax, kpi in zip(axes, shown, strict=False):
        data = [runs.loc[runs[by] == g, kpi].dropna().to_numpy() for g in groups]
        ax.boxplot(data, widths=0.5, showfliers=False, medianprops={"color": _LINE})
        for i, values in enumerate(data, start=1):
            ax.scatter(i + jitter.uniform(-0.12, 0.12, values.size), values, s=6, alpha=0.5,
                       color=_NEUTRAL)
        ax.set_xticks(range(1, len(groups) + 1), [str(g) for g in groups], rotation=20,
                      ha="right", fontsize=7)
        style.frame(ax, title=style.label(kpi), xlabel="", ylabel="")
        ax.title.set_fontsize(9)
        _format_axis(ax, kpi, currency=currency)
        ax.tick_params(axis="y", labelsize=7)
    for ax in axes[len(shown):]:
        ax.set_visible(False)
    style.heading(fig, "KPI distributions over replications")
    zero = f"zero in every run, not drawn: {', '.join(map(style.label, silent))}" if silent else ""
    _footnote(fig, "  |  ".join(t for t in (note, zero) if t))
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
    currency: str = "",
) -> Figure:
    """Cost against recovery over headcount, plus three KPIs per headcount.

    ``table`` has a ``headcount`` column and ``<kpi>_mean``/``_ci_low``/``_ci_high``
    columns for the recovery KPI, ``total_cost``, ``net_charge_off`` and
    ``cost_per_collected``. Each target KPI gets its own panel (so the target that
    binds, often the inbound service level, is drawn), then net charge-off and cost per
    unit collected. Every target is a dashed red line (on the cost-recovery panel too);
    money is shown in ``currency``.
    """
    goals = targets or {}
    frame = table.sort_values("headcount")
    fig = style.figure(10.0, 7.0)
    (a, b), (c, d) = fig.subplots(2, 2)
    a.plot(frame[f"{recovery}_mean"], frame["total_cost_mean"], marker="o", color=_LINE)
    for row in frame.itertuples(index=False):
        a.annotate(str(row.headcount), (getattr(row, f"{recovery}_mean"), row.total_cost_mean),
                   textcoords="offset points", xytext=(4, 4), fontsize=7)
    a.set_xlabel(style.label(recovery))
    a.set_ylabel(f"total cost ({currency})" if currency else "total cost")
    _format_axis(a, recovery, "x")
    _format_axis(a, "total_cost", currency=currency)
    if recovery in goals:
        a.axvline(goals[recovery], color=_WORSE, linestyle="--", linewidth=1,
                  label=f"{style.label(recovery)} target")
    if "total_cost" in goals:
        a.axhline(goals["total_cost"], color=_WORSE, linestyle="--", linewidth=1,
                  label="total cost target")
    if {recovery, "total_cost"} & set(goals):
        a.legend(fontsize=7)
    a.set_title("Cost against recovery (labels: headcount)", fontsize=10)
    # Every target gets a panel (the binding one may be the inbound service level, not
    # recovery); net charge-off and cost per unit collected fill the panels left.
    wanted = [recovery, *(k for k in goals if k not in (recovery, "total_cost")
                          and f"{k}_mean" in frame), "net_charge_off", "cost_per_collected"]
    panels = tuple(zip((b, c, d), list(dict.fromkeys(wanted))[:3], strict=False))
    for ax, kpi in panels:
        if f"{kpi}_mean" not in frame:
            ax.set_visible(False)
            continue
        _band(ax, frame, "headcount", kpi)
        ax.set_xlabel("headcount")
        ax.set_title(style.label(kpi), fontsize=10)
        _format_axis(ax, kpi, currency=currency)
        if kpi in goals:
            ax.axhline(goals[kpi], color=_WORSE, linestyle="--", linewidth=1, label="target")
            ax.legend(fontsize=7)
    from matplotlib.ticker import MaxNLocator

    for ax in (a, b, c, d):
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=7)
        ax.margins(x=0.08, y=0.1)
        if ax is not a:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if recommended is not None and ax is not a:
            ax.axvline(recommended, color=_BETTER, linestyle=":", linewidth=1.2)
    if recommended is not None:
        rec = frame[frame["headcount"] == recommended]
        if not rec.empty:
            a.scatter(rec[f"{recovery}_mean"], rec["total_cost_mean"], s=80, facecolors="none",
                      edgecolors=_BETTER, linewidths=1.5, zorder=3)
    suffix = f": recommended {recommended}" if recommended is not None else ""
    style.heading(fig, title + suffix)
    return fig


def sweep_lines(
    summary: pd.DataFrame, x: str, kpis: Sequence[str], columns: int = 3, currency: str = ""
) -> Figure:
    """Each KPI's mean and interval against the swept parameter ``x``; money in ``currency``."""
    rows = math.ceil(len(kpis) / columns)
    fig = style.figure(3.4 * min(columns, len(kpis)), 0.6 + 2.6 * rows)
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
        ax.set_title(style.label(kpi), fontsize=9)
        _format_axis(ax, kpi, currency=currency)
        ax.set_xlabel(x.rsplit(".", 1)[-1], fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    for ax in axes[len(kpis):]:
        ax.set_visible(False)
    style.heading(fig, f"Sweep over {x} (mean, 95% CI)")
    return fig


def save(fig: Figure, path: str | Path) -> Path:
    """Write ``fig`` as a PNG and return the path."""
    target = Path(path)
    fig.savefig(target, format="png")
    return target
