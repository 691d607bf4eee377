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
