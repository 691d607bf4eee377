"""Experiment files: a sweep declared in TOML, runnable with ``recoverylab sweep``.

An experiment file names a base scenario and the levers to move::

    name = "early-team-size"
    description = "How recovery of 1-30 DPD responds to the early team's headcount."
    scenario = "../sim/baseline.toml"     # relative to this file
    replications = 10
    seed = 0
    kpis = ["recovery_1_30", "net_charge_off", "total_cost"]   # shown and plotted
    strategy = "my_strategies:SlowPayersFirst"   # optional: a Python strategy (runs that code)

    [overrides]                            # applied to every point (optional)
    "horizon.days" = 120

    [grid]                                 # full factorial ...
    "staffing.teams.early.headcount" = [8, 10, 12, 14]

or, instead of ``[grid]``, an explicit list of points::

    [[points]]
    "staffing.teams.early.headcount" = 8
    "staffing.teams.mid.headcount" = 20

Key paths are quoted because they contain dots; nested tables
(``[grid.staffing.teams.early]`` with ``headcount = [...]``) mean the same thing.
Everything is checked before a single run starts: the file's own keys, the KPI
names, and every key path against the scenario (with did-you-mean suggestions).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sim.errors import ConfigError, Problem, suggest, validate
from sim.experiments.sweep import build_points, expand_grid
from sim.files import read_toml, referenced
from sim.scenario.base import Count, Integer, sized
from sim.scenario.strategy_spec import StrategyRef


def flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested TOML tables to dotted key paths; a non-table value ends a path."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            flat.update(flatten(value, path))
        else:
            flat[path] = value
    return flat


class ExperimentFile(BaseModel):
    """The contents of an experiment TOML file."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    name: str = Field(min_length=1)
    """Short name, used in output titles."""
    description: str = ""
    """What question the experiment answers."""
    scenario: str = Field(min_length=1)
    """Base scenario: a file relative to the experiment file, or a shipped scenario name."""
    replications: Annotated[Integer, Field(ge=1), sized("replications")] = 10
    """Replications per point (the same seeds at every point)."""
    seed: Annotated[Count, Field(lt=2**63)] = 0
    """Root seed."""
    kpis: list[str] | None = None
    """KPIs to print and plot (all KPIs are written to the CSV regardless)."""
    strategy: StrategyRef | None = None
    """A Python strategy as ``module:attribute``, run at every point on top of the base
    scenario's ladder (sets ``strategy.python``; see :mod:`sim.python_strategy`)."""
    overrides: dict[str, Any] = {}
    """Overrides applied to the base scenario before the sweep."""
    grid: dict[str, list[Any]] | None = None
    """Key path -> values, expanded to the full factorial."""
    points: list[dict[str, Any]] | None = None
    """Explicit points, each a table of key path -> value."""

    @field_validator("overrides", "grid", mode="before")
    @classmethod
    def _dotted(cls, value: Any) -> Any:
        return flatten(value) if isinstance(value, Mapping) else value

    @field_validator("points", mode="before")
    @classmethod
    def _dotted_points(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [flatten(v) if isinstance(v, Mapping) else v for v in value]
        return value


@dataclass(frozen=True)
class Experiment:
    """A validated experiment, ready to run."""

    path: Path
    spec: ExperimentFile
    base: Any
    """The base ``Scenario`` with the file's ``overrides`` applied."""
    points: list[dict[str, Any]]
    scenarios: list[Any]

    @property
    def levers(self) -> list[str]:
        return list(dict.fromkeys(k for p in self.points for k in p))


def load_experiment(path: str | Path, strategy: str | None = None) -> Experiment:
    """Read, validate and expand an experiment file (raises :class:`ConfigError`).

    ``strategy`` (``--strategy``) wins over the file's own ``strategy``.
    """
    from sim import load_scenario, shipped

    file = shipped.resolve("experiment", path)
    spec = validate(ExperimentFile, read_toml(file), file)
    if (spec.grid is None) == (spec.points is None):
        raise ConfigError(file, [Problem(
            "grid", "give exactly one of [grid] (full factorial) or [[points]] (explicit list)",
            expected="a [grid] table or [[points]] tables")])
    _check_kpis(spec, file)
    empty = [i for i, point in enumerate(spec.points or []) if not point]
    if empty:
        raise ConfigError(file, [Problem(f"points[{i}]", "the point sets nothing",
                                         expected="at least one key path = value")
                                 for i in empty])
    scenario_path = (file.parent / spec.scenario).resolve()
    if not scenario_path.exists() and not shipped.looks_like_path(spec.scenario):
        # A bare name: the shipped scenario of that name, when there is one.
        scenario_path = shipped.shipped("scenario", spec.scenario) or scenario_path
    if not scenario_path.exists():
        raise ConfigError(file, [Problem("scenario", "scenario file not found",
                                         value=str(scenario_path), expected="an existing file")])
    with referenced(file, "scenario"):
        base = load_scenario(scenario_path)
    if spec.strategy is not None and strategy is None:
        try:
            base = base.with_overrides({"strategy.python": spec.strategy})
        except ConfigError as exc:
            raise ConfigError(file, [Problem("strategy", p.message, p.value, p.expected)
                                     for p in exc.problems]) from None
    if strategy is not None:
        from sim.cli_support import with_strategy

        base = with_strategy(base, strategy)
    if spec.overrides:
        try:
            base = base.with_overrides(dict(spec.overrides))
        except ConfigError as exc:
            raise ConfigError(file, [Problem(f"overrides: {p.key}", p.message, p.value,
                                             p.expected, p.suggestion) for p in exc.problems]
                              ) from None
    grid = spec.grid if spec.grid is not None else spec.points or []
    points = expand_grid(grid, str(file))
    scenarios = build_points(base, points, str(file), from_grid=spec.grid is not None)
    return Experiment(file, spec, base, points, scenarios)


def _check_kpis(spec: ExperimentFile, file: Path) -> None:
    from sim.kpi_catalogue import KPI_NAMES

    problems = [
        Problem(f"kpis[{i}]", "unknown KPI", value=name, expected="a KPI name such as "
                "recovery_1_30 (see `recoverylab schema`)", suggestion=suggest(name, KPI_NAMES))
        for i, name in enumerate(spec.kpis or []) if name not in KPI_NAMES
    ]
    if problems:
        raise ConfigError(file, problems)
