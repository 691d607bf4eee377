"""Targets and the scorecard: did the run meet what management asked for?

A scenario's ``[targets]`` table maps KPI names to numbers. Whether a number is a floor
or a ceiling is implied by the KPI -- recovery, ROI, service level and first contact
within 3 business days must be *at least* the target; complaints, cost per unit
collected, charge-off, time to first contact and breaches *at most* -- and this module is
the one place that knows it (through :mod:`sim.kpi_catalogue`). Complaints and breaches
are **veto** items: the deck treats abusive-collection complaints as disqualifying
whatever the recovery.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from sim.kpi_catalogue import CATALOGUE, Direction

VETO_KPIS: frozenset[str] = frozenset({"complaints_per_1000", "breaches"})
"""KPIs whose miss fails the scorecard outright (the deck's veto items)."""


def direction(kpi: str) -> Direction:
    """``"max"`` if more is better (the target is a floor), ``"min"`` if less is better."""
    try:
        return CATALOGUE[kpi].direction
    except KeyError:
        from sim.errors import suggest

        near = suggest(kpi, CATALOGUE)
        hint = f"; did you mean {near!r}?" if near else ""
        raise KeyError(f"unknown KPI {kpi!r}{hint}") from None


def is_met(kpi: str, target: float, value: float) -> bool:
    """Whether ``value`` meets ``target``.

    A value that is not a finite number never meets: NaN means "not measurable", and an
    infinite cost or ratio means the arithmetic broke down, not that a target was beaten.
    A non-finite target is never met either.
    """
    if value is None or target is None or not (math.isfinite(value) and math.isfinite(target)):
        return False
    return value >= target if direction(kpi) == "max" else value <= target


def scorecard_rows(
    targets: Mapping[str, float], values: Mapping[str, float]
) -> list[dict[str, Any]]:
    """One row per target: kpi, target, direction, value, met, veto."""
    rows = []
    for kpi, target in targets.items():
        value = float(values.get(kpi, float("nan")))
        rows.append({
            "kpi": kpi,
            "target": float(target),
            "direction": direction(kpi),
            "value": value,
            "met": is_met(kpi, float(target), value),
            "veto": kpi in VETO_KPIS,
        })
    return rows
