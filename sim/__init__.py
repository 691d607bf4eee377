"""RecoveryLab simulator: a delinquent consumer-loan portfolio under a collection strategy.

Describe, then run::

    import sim
    scenario = sim.load_scenario("scenarios/sim/baseline.toml")
    result = sim.simulate(scenario, seed=0)
    result.kpis          # every KPI, named and documented
    result.scorecard     # each target met or missed
    variant = scenario.with_overrides({"staffing.teams.early.headcount": 12})

Importing ``sim`` loads numpy, pydantic and SimPy but never matplotlib, Textual or
IPython; pandas is imported only when a table is first asked for.
"""

from typing import TYPE_CHECKING, Any

from sim.engine import simulate
from sim.records import RunResult
from sim.scenario import Scenario, load_scenario
from sim.strategy import BookView, DailyPlan, LadderStrategy, Strategy

__all__ = [
    "BookView",
    "DailyPlan",
    "LadderStrategy",
    "RunResult",
    "Scenario",
    "Strategy",
    "load_scenario",
    "simulate",
]

# Experiments (compare, split_test, sweep, size_staff, Erlang C/A) need pandas, so they
# are imported on first use: ``sim.compare(...)`` works without slowing ``import sim``.
if TYPE_CHECKING:
    from sim.experiments.compare import Comparison as Comparison
    from sim.experiments.compare import compare as compare
    from sim.experiments.erlang import erlang_a as erlang_a
    from sim.experiments.erlang import erlang_c as erlang_c
    from sim.experiments.erlang import required_agents as required_agents
    from sim.experiments.split import split_test as split_test
    from sim.experiments.staffing import StaffingPlan as StaffingPlan
    from sim.experiments.staffing import size_staff as size_staff
    from sim.experiments.sweep import sweep as sweep

_EXPERIMENTS = ("Comparison", "StaffingPlan", "compare", "erlang_a", "erlang_c",
                "required_agents", "size_staff", "split_test", "sweep")


def __getattr__(name: str) -> Any:
    if name in _EXPERIMENTS:
        import importlib

        from sim.experiments import PUBLIC

        # From the defining module: once ``sim.experiments.compare`` (the module) is
        # imported, the package attribute ``compare`` is that module, not the function.
        return getattr(importlib.import_module(f"sim.experiments.{PUBLIC[name]}"), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
