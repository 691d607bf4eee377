"""What results by segment, product and team cost on the reference case.

Two parts are added to every replication:

- **in the run**: each day's calls, available minutes and promise cash are booked per
  team (:mod:`sim.team_records`);
- **after the run**: the account KPIs per segment and per product, and the team
  productivity table (:mod:`sim.kpis_by`), which experiments now carry as columns.

Both are timed inside the same replication (the per-team booking functions are wrapped
with a CPU clock), so the ratio does not depend on the machine's load between runs.
Issue 12 allows at most +10 % of the reference case's CPU::

    .venv/bin/python benchmarks/bench_results_by.py            # 100k accounts, 180 days
    .venv/bin/python benchmarks/bench_results_by.py --accounts 10000 --collectors 10
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas as pd  # noqa: F401 - imported up front: its import is not a per-run cost
from bench_engine import scenario_for

import sim
from sim import evening, payment_history, shipped, team_records
from sim import strategy as strategy_module

BUDGET = 0.10
"""Allowed extra CPU over the replication without the per-group results."""


def _timed(fn: Callable[..., Any], spent: list[float]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - start
    return wrapper


def measure(accounts: int, collectors: int, days: int, seed: int,
            strategy: str | None = None) -> dict[str, float]:
    """CPU seconds of one default replication, of its per-group parts, and of the
    payment-history bookkeeping (RFM, issue 12 part 3) that every payment now does."""
    spent, history, rules = [0.0], [0.0], [0.0]
    for name in ("book_calls", "book_available", "book_promise_cash"):
        setattr(team_records, name, _timed(getattr(team_records, name), spent))
    evening.teams_of_promises = _timed(evening.teams_of_promises, spent)  # type: ignore[attr-defined]
    payment_history.record = _timed(payment_history.record, history)
    strategy_module._history_matches = _timed(  # type: ignore[attr-defined]
        strategy_module._history_matches, rules)
    scenario = scenario_for(accounts, collectors, days)
    if strategy is not None:
        # Another shipped scenario's strategy on the same resized book and floor.
        other = sim.load_scenario(shipped.resolve("scenario", strategy))
        scenario = scenario.with_overrides({"strategy": other.strategy.model_dump(mode="json")})
    start = time.process_time()
    result = sim.simulate(scenario, seed=seed)
    run = time.process_time() - start
    start = time.process_time()
    result.grouped_values  # noqa: B018 - computing it is what is measured
    result.kpis_by("team")
    after = time.process_time() - start
    return {"run": run, "booking": spent[0], "after": after, "history": history[0],
            "rules": rules[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--collectors", type=int, default=100)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--strategy", default=None, metavar="SCENARIO",
                        help="run this shipped scenario's strategy instead of the baseline's "
                             "(e.g. payment_history, to time its RFM rules)")
    args = parser.parse_args()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    m = measure(args.accounts, args.collectors, args.days, args.seed, args.strategy)
    without = m["run"] - m["booking"]
    extra = m["booking"] + m["after"]
    print(f"load average before: {load}")
    print(f"{args.accounts:,} accounts, {args.collectors} collectors, {args.days} days, "
          f"seed {args.seed}, strategy {args.strategy or 'baseline'}: "
          f"replication {m['run']:.2f} s CPU (run-off and twin included)")
    print(f"  per-team booking inside it: {m['booking']:.3f} s CPU")
    print(f"  per-segment/product KPIs and team table after it: {m['after']:.3f} s CPU")
    verdict = "met" if extra <= BUDGET * without else "NOT met"
    print(f"  added: {extra:.3f} s = {100 * extra / without:.2f} % of the replication without "
          f"them (budget {100 * BUDGET:.0f} %): {verdict}")
    print(f"  (payment history bookkeeping, RFM, inside it as well: {m['history']:.3f} s CPU "
          f"= {100 * m['history'] / m['run']:.2f} % of the replication)")
    if m["rules"]:
        print(f"  (ladder rules on payment history, features included: {m['rules']:.3f} s CPU "
              f"= {100 * m['rules'] / m['run']:.2f} % of the replication)")


if __name__ == "__main__":
    main()
