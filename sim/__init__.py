"""RecoveryLab simulator: a delinquent consumer-loan portfolio under a collection strategy.

Describe, then run::

    import sim
    scenario = sim.load_scenario("scenarios/sim/baseline.toml")
    result = sim.simulate(scenario, seed=0)
    result.kpis          # every KPI, named and documented
    result.scorecard     # each target met or missed
    variant = scenario.with_overrides({"staffing.teams.early.headcount": 12})

Every public name is imported on first use. The trainer imports small modules such as
``sim.errors`` and ``sim.rules`` on its start-up path, and must not pay for the engine
(numpy, SimPy, scipy) or the experiments (pandas, Dask) before its first screen.
Importing ``sim`` never loads matplotlib, Textual or IPython.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.engine import simulate as simulate
    from sim.errors import StrategyError as StrategyError
    from sim.experiments.compare import Comparison as Comparison
    from sim.experiments.compare import compare as compare
    from sim.experiments.erlang import erlang_a as erlang_a
    from sim.experiments.erlang import erlang_c as erlang_c
    from sim.experiments.erlang import required_agents as required_agents
    from sim.experiments.split import split_test as split_test
    from sim.experiments.staffing import StaffingPlan as StaffingPlan
    from sim.experiments.staffing import size_staff as size_staff
    from sim.experiments.sweep import sweep as sweep
    from sim.records import RunResult as RunResult
    from sim.scenario import Scenario as Scenario
    from sim.scenario import load_scenario as load_scenario
    from sim.strategy import BookView as BookView
    from sim.strategy import DailyPlan as DailyPlan
    from sim.strategy import LadderStrategy as LadderStrategy
    from sim.strategy import Strategy as Strategy

_DEFINED_IN = {
    "simulate": "sim.engine",
    "RunResult": "sim.records",
    "Scenario": "sim.scenario",
    "load_scenario": "sim.scenario",
    "BookView": "sim.strategy",
    "DailyPlan": "sim.strategy",
    "LadderStrategy": "sim.strategy",
    "Strategy": "sim.strategy",
    "StrategyError": "sim.errors",
    "Comparison": "sim.experiments.compare",
    "compare": "sim.experiments.compare",
    "erlang_a": "sim.experiments.erlang",
    "erlang_c": "sim.experiments.erlang",
    "required_agents": "sim.experiments.erlang",
    "split_test": "sim.experiments.split",
    "StaffingPlan": "sim.experiments.staffing",
    "size_staff": "sim.experiments.staffing",
    "sweep": "sim.experiments.sweep",
}
"""Public name -> the module that defines it (never a package that re-exports it)."""

__all__ = sorted(_DEFINED_IN)


def __getattr__(name: str) -> Any:
    # Resolve from the defining module: once ``sim.experiments.compare`` (the module) is
    # imported, a package attribute named ``compare`` would be that module, not the function.
    if name in _DEFINED_IN:
        return getattr(importlib.import_module(_DEFINED_IN[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_DEFINED_IN])
