"""Sweeps: how the KPIs move as one or more policy levers change.

A sweep varies scenario settings named by dotted key paths (the same paths as
``Scenario.with_overrides``), e.g. the early team's headcount, the day agency
placement starts, or the accuracy of the predictive score. ``grid`` is either

- a mapping of key path to a list of values, expanded to the full factorial
  (every combination, in the order written), or
- an explicit list of override dicts, one per point, for designs that are not
  a full grid (a Latin hypercube drawn elsewhere, a hand-picked set of plans).

Every point runs the same replications with the same seeds (common random
numbers), so the differences between neighbouring points are mostly the effect of
the lever. All points are validated before anything runs: a mistyped key path is
reported at once with the nearest valid key.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any, Unpack

import pandas as pd

from sim.errors import ConfigError, Problem
from sim.experiments import stats
from sim.experiments.compare import kpi_columns
from sim.experiments.execution import ExecutionOptions, Run, execute

Grid = Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]]


def expand_grid(grid: Grid, source: str | None = None) -> list[dict[str, Any]]:
    """The list of override dicts a grid stands for (full factorial for a mapping)."""
    where = source or "<grid>"
    if isinstance(grid, Mapping):
        if not grid:
            raise ConfigError(where, [Problem("grid", "the grid is empty",
                                              expected="at least one key path with values")])
        problems = [
            Problem(f"grid.{key}", "no values to sweep", value=values,
                    expected="a non-empty list of values")
            for key, values in grid.items()
            if isinstance(values, str | bytes) or not isinstance(values, Sequence) or not values
        ]
        if problems:
            raise ConfigError(where, problems)
        keys = list(grid)
        size = math.prod(len(grid[k]) for k in keys)
        _check_point_count(size, where, "grid")
        return [dict(zip(keys, combo, strict=True))
                for combo in itertools.product(*(grid[k] for k in keys))]
    _check_point_count(len(grid), where, "points")
    points = [dict(point) for point in grid]
    if not points:
        raise ConfigError(where, [Problem("points", "the list of points is empty",
                                          expected="at least one table of overrides")])
    return points


def _check_point_count(size: int, where: str, key: str) -> None:
    # Counted before expanding: a 10**8-point grid must be refused, not built.
    from sim.limits import ceiling, over

    reason = over("points", size)
    if reason is not None:
        raise ConfigError(where, [Problem(key, reason,
                                          expected=f"at most {ceiling('points'):,} points")])


def build_points(
    base: Any, points: Sequence[Mapping[str, Any]], source: str | None = None, *,
    from_grid: bool = True,
) -> list[Any]:
    """Apply each point's overrides to ``base``; report every bad key path at once."""
    scenarios = []
    problems: dict[str, Problem] = {}
    for index, point in enumerate(points):
        try:
            scenarios.append(base.with_overrides(dict(point)))
        except ConfigError as exc:
            for problem in exc.problems:
                moved = _rehome(problem, "grid" if from_grid else f"points[{index}]")
                problems.setdefault(moved.render(), moved)  # a grid repeats a bad key per point
    if problems:
        raise ConfigError(source or "<grid>", list(problems.values()))
    return scenarios


def _rehome(problem: Problem, prefix: str) -> Problem:
    # The override error names the key inside the scenario; say where the sweep wrote it.
    return Problem(f"{prefix}: {problem.key}" if problem.key else prefix, problem.message,
                   problem.value, problem.expected, problem.suggestion)


def sweep(
    base: Any,
    grid: Grid,
    replications: int = 10,
    seed: int = 0,
    **execution: Unpack[ExecutionOptions],
) -> pd.DataFrame:
    """Run every point of ``grid`` on ``base`` and return one row per run.

    Columns: ``point`` (0-based index), one column per swept key path, then
    ``replication``, ``seed`` and the KPI columns. Summarise with
    :func:`summarise_sweep`. See :func:`sim.experiments.execution.execute` for the
    execution arguments.
    """
    if replications < 1:
        raise ValueError(f"replications must be at least 1, got {replications}")
    points = expand_grid(grid)
    scenarios = build_points(base, points, from_grid=isinstance(grid, Mapping))
    runs = [Run(s, seed, k) for s in scenarios for k in range(replications)]
    values = execute(runs, **execution, description="sweep")
    keys = list(dict.fromkeys(k for p in points for k in p))
    rows = []
    for index, run_spec in enumerate(runs):
        point = index // replications
        levers = {k: points[point].get(k) for k in keys}
        rows.append({"point": point, **levers, "replication": run_spec.replication,
                     "seed": seed, **values[index]})
    frame = pd.DataFrame(rows)
    frame.attrs["levers"] = keys
    return frame


def summarise_sweep(
    runs: pd.DataFrame, kpis: Sequence[str] | None = None, confidence: float = stats.CONFIDENCE
) -> pd.DataFrame:
    """Mean and t interval of each KPI at each point, with the point's lever values."""
    levers = [c for c in runs.attrs.get("levers", []) if c in runs.columns]
    chosen = list(kpis) if kpis is not None else list(kpi_columns(runs.drop(columns=levers)))
    summary = stats.summarise(runs, "point", chosen, confidence)
    settings = runs.drop_duplicates("point").set_index("point")[levers]
    return summary.join(settings, on="point")[["point", *levers, *summary.columns[1:]]]
