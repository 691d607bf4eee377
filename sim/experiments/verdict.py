"""Which champion/challenger differences are real, read off their confidence intervals.

A challenger "wins" on a KPI only when the whole confidence interval of its paired
difference from the champion lies on the better side of zero; when the interval
straddles zero the honest verdict is "no detectable difference" at this number of
replications (more replications narrow the interval; they do not change a real
effect). Which side is better is the KPI's direction (:func:`sim.targets.direction`):
more recovery is better, more cost is worse.

:func:`verdicts` adds the verdict to a differences table;
:func:`explain` writes it out as sentences an analyst can paste into a memo, so a
notebook never hard-codes a conclusion that the next run might contradict.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from sim.targets import direction

BETTER, WORSE, UNCLEAR = "better", "worse", "no detectable difference"
DERIVED = {"net_value": "max"}
"""Directions of measures built from KPIs.

``net_value`` = collected + balance restored - total cost (see sim.experiments.staffing).
"""


def verdict(kpi: str, low: float, high: float) -> str:
    """``better``, ``worse`` or ``no detectable difference`` for an interval of
    challenger minus champion on ``kpi``."""
    if math.isnan(low) or math.isnan(high) or low <= 0 <= high:
        return UNCLEAR
    higher = low > 0
    better = DERIVED[kpi] if kpi in DERIVED else direction(kpi)
    return BETTER if higher == (better == "max") else WORSE


def verdicts(differences: pd.DataFrame, kpis: Sequence[str] | None = None) -> pd.DataFrame:
    """The differences table (``challenger, kpi, difference, ci_low, ci_high, ...``)
    restricted to ``kpis`` (default: all, in their order) with a ``verdict`` column."""
    frame = differences
    if kpis is not None:
        order = {k: i for i, k in enumerate(kpis)}
        frame = frame[frame["kpi"].isin(order)]
        frame = frame.assign(_order=frame["kpi"].map(order)).sort_values(
            ["challenger", "_order"], kind="stable").drop(columns="_order")
    labels = [verdict(str(k), float(lo), float(hi)) for k, lo, hi in
              zip(frame["kpi"], frame["ci_low"], frame["ci_high"], strict=True)]
    return frame.assign(verdict=labels).reset_index(drop=True)


def change_text(kpi: str, value: float, currency: str = "") -> str:
    """A change in a KPI for people: ``+1.25 points`` for shares, ``-CN¥45.6k`` for money.

    A KPI that no run observed (say recovery at 90+ on a horizon too short to reach
    that stage) has no difference to show, and says so rather than printing ``nan``.
    """
    from sim.kpi_catalogue import unit_of
    from sim.style import money

    if not math.isfinite(value):
        return "not observed"
    unit = unit_of(kpi)
    if unit == "share":
        return f"{100 * value:+.2f} points"
    if unit == "money":
        sign = "+" if value >= 0 else "-"
        return sign + money(abs(value), currency)
    return f"{value:+,.3g}"


def interval_text(kpi: str, mid: float, low: float, high: float, currency: str = "") -> str:
    """``+1.25 points [+0.80 points to +1.70 points]``: a change and its interval."""
    return (f"{change_text(kpi, mid, currency)} [{change_text(kpi, low, currency)} to "
            f"{change_text(kpi, high, currency)}]")


def summary_table(comparison: Any, kpis: Sequence[str] | None = None,
                  currency: str = "") -> pd.DataFrame:
    """KPI x strategy table of ``mean [low, high]`` for people: shares in %, money in
    ``currency`` (``CN¥6.82m``), other KPIs to three significant digits."""
    from sim.style import value_text as _level

    chosen = list(kpis) if kpis is not None else list(comparison.kpis)
    frame = comparison.summary[comparison.summary["kpi"].isin(chosen)]
    cells = [f"{_level(k, m, currency)} [{_level(k, lo, currency)}, {_level(k, hi, currency)}]"
             for k, m, lo, hi in zip(frame["kpi"], frame["mean"], frame["ci_low"],
                                     frame["ci_high"], strict=True)]
    wide = frame.assign(cell=cells).pivot(index="kpi", columns="scenario", values="cell")
    table: pd.DataFrame = wide.loc[chosen, comparison.strategies]
    return table


def explain(comparison: Any, kpis: Sequence[str] | None = None, currency: str = "") -> str:
    """One sentence per challenger and KPI: the difference, its interval and the verdict.

    ``comparison`` is a :class:`sim.experiments.compare.Comparison` (anything with
    ``differences``, ``champion``, ``confidence`` and ``meta['replications']``).
    Shares are given in percentage points, money in ``currency``.
    """
    from sim.style import label

    table = verdicts(comparison.differences, kpis)
    level = f"{comparison.confidence:.0%}"
    runs = comparison.meta.get("replications", "?")
    lines = [f"Each challenger against the champion {comparison.champion!r}, "
             f"paired over {runs} replications ({level} confidence intervals):"]
    for challenger, part in table.groupby("challenger", sort=False):
        lines.append(f"- {challenger}:")
        records: list[dict[str, Any]] = part.to_dict("records")  # type: ignore[assignment]
        for row in records:
            kpi = str(row["kpi"])
            said = interval_text(kpi, float(row["difference"]), float(row["ci_low"]),
                                 float(row["ci_high"]), currency)
            lines.append(f"    {label(kpi)}: {said} -> {row['verdict']}")
    return "\n".join(lines)


def explain_marginal(plan: Any, currency: str = "") -> str:
    """What one more collector changes, per KPI, with its interval and verdict.

    ``plan`` is a :class:`sim.experiments.staffing.StaffingPlan`; ``net_value`` is the
    extra cash collected plus extra balance restored to performing, minus the extra cost.
    """
    from sim.style import label

    records: list[dict[str, Any]] = plan.marginal.to_dict("records")
    if not records:
        return "no marginal collector was evaluated"
    first = records[0]
    lines = [f"One more collector on team {plan.team} ({first['from']} -> {first['to']}), "
             f"paired over the same replications (95% confidence intervals):"]
    for row in records:
        kpi = str(row["kpi"])
        said = interval_text(kpi, float(row["difference"]), float(row["ci_low"]),
                             float(row["ci_high"]), currency)
        lines.append(f"    {label(kpi)}: {said} -> "
                     f"{verdict(kpi, float(row['ci_low']), float(row['ci_high']))}")
    return "\n".join(lines)
