"""Benchmark of the simulation engine.

Reference case (issue 2): 100,000 accounts over 180 days with 100 collectors in three
teams. Here that is the baseline scenario resized to a starting book of 40,000 accounts
plus 60,000 arriving over the 180 days (100,000 accounts simulated), with teams of 45
(early), 35 (mid) and 20 (late). Scaling runs resize book, inflow and teams together
(10k accounts: 10 collectors; 1M: 1,000), because a fixed floor would either idle or
drown.

Every replication is what ``sim.simulate`` does by default: the horizon, the run-off
past it until the measured cohorts resolve, and the untreated twin. The reference case
is also split into its parts (horizon only, run-off, twin) so the cost of each is seen.

Prints, per size: wall and CPU time per replication (CPU time shows the engine's cost
when other work shares the machine), delinquent account-days per second, SimPy
events processed, peak traced memory per account, and -- measured in the same process
as a yardstick -- raw SimPy ``timeout`` events per second and the ratio of the two
rates.

    .venv/bin/python benchmarks/bench_engine.py            # 10k, 100k, 1M
    .venv/bin/python benchmarks/bench_engine.py --skip-1m  # 10k and 100k only
    .venv/bin/python benchmarks/bench_engine.py --reference-only  # 100k, split in parts,
                                                  # against the 1.5x budget
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import simpy

import sim
from sim import shipped

BOOK_SHARE = 0.4
TEAM_SPLIT = {"early": 0.45, "mid": 0.35, "late": 0.20}
BUDGET = 1.5
"""Allowed CPU of a default replication (run-off and twin) over a horizon-only one."""
FILED_CPU_SECONDS = 2.6
FILED_YARDSTICK = 1.34e6
"""The reference case's CPU per replication when issue 9 was filed (horizon only, no
run-off, no twin), and the nearest SimPy yardstick measured on that code (README,
2026-11-28): 2.6 s x 1.34 million events/s = 3.5 million yardstick events."""


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def scenario_for(accounts: int, collectors: int, days: int) -> sim.Scenario:
    """The baseline resized to ``accounts`` simulated accounts and ``collectors`` staff."""
    base = sim.load_scenario(shipped.resolve("scenario", "baseline"))
    heads = {t: round(collectors * s) for t, s in TEAM_SPLIT.items()}
    heads["early"] += collectors - sum(heads.values())
    return base.with_overrides({
        "portfolio.accounts": round(accounts * BOOK_SHARE),
        "portfolio.daily_inflow": accounts * (1 - BOOK_SHARE) / days,
        "horizon.days": days,
        **{f"staffing.teams.{t}.headcount": h for t, h in heads.items()},
    })


def simpy_yardstick(events: int = 400_000) -> float:
    """Raw SimPy speed on this machine now: timeout events per CPU second.

    CPU time, like the engine's figures, so that other work sharing the machine slows
    both alike and the ratio of the two stays meaningful.
    """
    env = simpy.Environment()

    def ticker(env: simpy.Environment) -> object:
        for _ in range(events):
            yield env.timeout(1)

    env.process(ticker(env))
    started = time.process_time()
    env.run()
    return events / (time.process_time() - started)


def measure(accounts: int, collectors: int, days: int, replications: int) -> dict[str, float]:
    scenario = scenario_for(accounts, collectors, days)
    walls, rates, events, cpus = [], [], [], []
    simulated = 0
    for rep in range(replications):
        cpu = time.process_time()
        result = sim.simulate(scenario, seed=0, replication=rep)
        cpus.append(time.process_time() - cpu)
        account_days = float(result.daily["state_delinquent"].sum())
        walls.append(result.meta["wall_seconds"])
        rates.append(account_days / result.meta["wall_seconds"])
        events.append(result.meta["simpy_events"])
        simulated = result.meta["accounts"]
    tracemalloc.start()
    sim.simulate(scenario, seed=0, replication=0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"accounts": simulated, "collectors": collectors, "wall": statistics.median(walls),
            "wall_max": max(walls), "cpu": statistics.median(cpus),
            "account_days_per_s": statistics.median(rates),
            "events": statistics.median(events), "peak_bytes": peak}


def parts(accounts: int, collectors: int, days: int, replications: int) -> dict[str, float]:
    """Median CPU seconds of the reference case's parts, measured one by one."""
    from sim.engine import untreated_money

    full = scenario_for(accounts, collectors, days)
    cut = full.with_overrides({"horizon.runoff": False})
    cases: dict[str, Callable[[int], Any]] = {
        "horizon only": lambda rep: sim.simulate(cut, seed=0, replication=rep, twin=False),
        "horizon + run-off": lambda rep: sim.simulate(full, seed=0, replication=rep, twin=False),
        # The twin exactly as a default replication runs it (no daily records).
        "twin (with run-off)": lambda rep: untreated_money(full, seed=0, replication=rep),
        "all (default)": lambda rep: sim.simulate(full, seed=0, replication=rep, twin=True),
    }
    cpus: dict[str, list[float]] = {name: [] for name in cases}
    runoff_days: list[float] = []
    # Cases interleaved replication by replication, so a change in the machine's load
    # during the run falls on every case alike.
    for rep in range(replications):
        for name, run in cases.items():
            cpu = time.process_time()
            out = run(rep)
            cpus[name].append(time.process_time() - cpu)
            if name == "all (default)":
                runoff_days.append(float(out.meta["runoff_days"]))
    medians = {name: statistics.median(values) for name, values in cpus.items()}
    medians["run-off days"] = statistics.median(runoff_days)
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-1m", action="store_true", help="skip the 1,000,000 case")
    parser.add_argument("--replications", type=int, default=3,
                        help="replications per size (median reported; default 3)")
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--reference-only", action="store_true",
                        help="only the 100k reference case, split into its parts")
    args = parser.parse_args()
    if args.reference_only:
        print(f"load average before: {_load()}")
        yard_before = simpy_yardstick()
        split = parts(100_000, 100, args.days, args.replications)
        runoff_days = split.pop("run-off days")
        yard = (yard_before + simpy_yardstick()) / 2
        print(f"load average after:  {_load()}")
        print(f"SimPy yardstick: {yard:,.0f} timeout events per CPU second")
        for name, cpu in split.items():
            print(f"  {name:<22} {cpu:6.2f} s CPU per replication "
                  f"({cpu * yard / 1e6:5.2f} million yardstick events)")
        runoff = split["horizon + run-off"] - split["horizon only"]
        twin = split["twin (with run-off)"]
        print(f"  {'run-off alone':<22} {runoff:6.2f} s CPU per replication "
              f"({runoff / split['horizon only']:.0%} of the horizon; "
              f"{runoff_days:.0f} days past the horizon)")
        print(f"  {'twin alone':<22} {twin:6.2f} s CPU per replication "
              f"({twin / split['horizon only']:.0%} of the horizon)")
        ratio = split["all (default)"] / split["horizon only"]
        print(f"reference case, everything included: {split['all (default)']:.2f} s CPU per "
              "replication")
        # The horizon-only run is the work a replication did before the run-off and the
        # twin existed, measured here on the same machine in the same run.
        print(f"everything included / horizon only: {ratio:.2f}x "
              f"(budget {BUDGET:.1f}x: {'met' if ratio <= BUDGET else 'NOT met'})")
        # Against the figure at filing, in machine-independent units (yardstick events).
        events = split["all (default)"] * yard
        allowed = BUDGET * FILED_CPU_SECONDS * FILED_YARDSTICK
        print(f"everything included: {events / 1e6:.2f} million yardstick events against "
              f"{BUDGET:.1f} x {FILED_CPU_SECONDS} s x {FILED_YARDSTICK / 1e6:.2f} million/s = "
              f"{allowed / 1e6:.2f} million ({events / allowed * BUDGET:.2f}x the figure at "
              f"filing: {'met' if events <= allowed else 'NOT met'})")
        return
    sizes = [(10_000, 10), (100_000, 100)] + ([] if args.skip_1m else [(1_000_000, 1000)])
    print(f"load average before: {_load()}")
    yard_before = simpy_yardstick()
    rows = []
    for accounts, collectors in sizes:
        reps = args.replications if accounts <= 100_000 else 1
        rows.append(measure(accounts, collectors, args.days, reps))
        print(f"  done {accounts:,} accounts", flush=True)
    yard_after = simpy_yardstick()
    yard = (yard_before + yard_after) / 2
    print(f"load average after: {_load()}")
    print(f"\nSimPy yardstick: {yard:,.0f} timeout events per CPU second "
          f"(before {yard_before:,.0f}, after {yard_after:,.0f})")
    head = (f"{'accounts':>10} {'staff':>6} {'wall s/rep':>11} {'cpu s/rep':>10} "
            f"{'acct-days/s':>12} "
            f"{'SimPy events':>13} {'peak MB':>8} {'B/account':>10} {'ratio':>7}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['accounts']:>10,} {r['collectors']:>6} {r['wall']:>11.2f} {r['cpu']:>10.2f} "
              f"{r['account_days_per_s']:>12,.0f} {r['events']:>13,.0f} "
              f"{r['peak_bytes'] / 1e6:>8.1f} {r['peak_bytes'] / r['accounts']:>10.0f} "
              f"{r['account_days_per_s'] / yard:>7.1f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak RSS {rss:,.0f} MB (interpreter, libraries and all runs); "
          "'peak MB' is tracemalloc's peak during one replication; 'ratio' is account-days/s "
          "over raw SimPy events/s.")
    ref = next(r for r in rows if r["collectors"] == 100)
    print(f"reference case (100k accounts, 100 collectors, {args.days} days): "
          f"{ref['wall']:.2f} s per replication (max {ref['wall_max']:.2f} s; target <= 10 s)")


if __name__ == "__main__":
    main()
