"""Experiments on the simulator: compare strategies, sweep levers, size staffing.

- :func:`compare` -- champion/challenger on the whole population with common random
  numbers; :func:`split_test` -- the industry's 90/10 split of one population.
- :func:`sweep` -- full-factorial grids or explicit lists of overrides.
- :func:`size_staff` -- the smallest headcount meeting targets, with the frontier
  and the marginal value of one more collector.
- :func:`erlang_c`, :func:`erlang_a`, :func:`required_agents` -- the inbound queue.

All run locally in processes by default or on Dask (``backend="dask"``), cache
finished runs on request, and give identical results on any backend. These names are
imported on first use, so ``import sim`` stays free of pandas and plotting.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.experiments.compare import Comparison as Comparison
    from sim.experiments.compare import compare as compare
    from sim.experiments.erlang import QueueMetrics as QueueMetrics
    from sim.experiments.erlang import erlang_a as erlang_a
    from sim.experiments.erlang import erlang_c as erlang_c
    from sim.experiments.erlang import required_agents as required_agents
    from sim.experiments.execution import ExecutionOptions as ExecutionOptions
    from sim.experiments.spec import load_experiment as load_experiment
    from sim.experiments.split import split_test as split_test
    from sim.experiments.staffing import StaffingPlan as StaffingPlan
    from sim.experiments.staffing import size_staff as size_staff
    from sim.experiments.sweep import summarise_sweep as summarise_sweep
    from sim.experiments.sweep import sweep as sweep

PUBLIC = {
    "compare": "compare", "Comparison": "compare", "split_test": "split",
    "sweep": "sweep", "summarise_sweep": "sweep", "load_experiment": "spec",
    "size_staff": "staffing", "StaffingPlan": "staffing", "ExecutionOptions": "execution",
    "erlang_a": "erlang", "erlang_c": "erlang", "required_agents": "erlang",
    "QueueMetrics": "erlang",
}
"""Public name -> module inside ``sim.experiments``."""

__all__ = sorted(PUBLIC)


def __getattr__(name: str) -> Any:
    module = PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'sim.experiments' has no attribute {name!r}")
    return getattr(importlib.import_module(f"sim.experiments.{module}"), name)
