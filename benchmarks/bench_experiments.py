"""Benchmark the experiment runner: local scaling, Dask overhead, a 30-replication comparison.

Run from the repository root on a quiet machine (each figure is the best of ``--repeat``
timings, so a burst of load from elsewhere inflates it less)::

    .venv/bin/python benchmarks/bench_experiments.py            # all three, ~5 minutes
    .venv/bin/python benchmarks/bench_experiments.py --quick    # smaller workloads

It prints:

0. the runner's own efficiency: 24 stand-in runs that each sleep 0.5 s, so the
   speed-up of 2 workers over 1 is not disturbed by other programs competing for the
   cores (ideal 2.0x; this is pure scheduling, pickling and chunking overhead);
1. the speed-up of 2 local worker processes over 1 (in-process) on the same runs
   (target >= 1.8x on 2 cores);
2. Dask's overhead over the local backend on the same runs, with a fresh
   ``LocalCluster`` (start-up included) and with an already running client
   (target <= 15 %);
3. the wall time of a 2-strategy, 30-replication comparison on the reference
   (baseline) scenario, with the CRN variance ratio of a few KPIs.

No cache is used, so every run is computed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios" / "sim"


def timed(label: str, action: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall time of ``repeat`` calls, printed as it goes."""
    best, result = float("inf"), None
    for attempt in range(repeat):
        start = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - start
        best = min(best, seconds)
        print(f"  {label}: {seconds:.2f} s" + (f" (try {attempt + 1})" if repeat > 1 else ""),
              flush=True)
    return best, result


def sleeping_run(run: Any) -> dict[str, float]:
    """A stand-in run of fixed duration (sleeps, so it needs no CPU)."""
    time.sleep(0.5)
    return {"replication": float(run.replication)}


def on_running_cluster(action: Callable[[Any], Any]) -> Any:
    """Call ``action(client)`` on a started 2-worker LocalCluster whose workers have
    already imported the simulator (what a notebook user with a cluster has), with the
    worker profiler and monitors quieted as the runner does for its own clusters."""
    import dask
    import distributed

    from sim.experiments.execution import QUIET_WORKERS

    with dask.config.set(QUIET_WORKERS), distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        client.run(lambda: __import__("sim.experiments.compare"))
        return action(client)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller workloads")
    parser.add_argument("--repeat", type=int, default=1, help="timings per figure (best kept)")
    parser.add_argument("--skip", default="", help="comma list of parts to skip: 0,1,2,3")
    args = parser.parse_args()
    skip = set(args.skip.split(","))

    import sim
    from sim.experiments.compare import compare
    from sim.experiments.execution import Run, execute

    baseline = sim.load_scenario(SCENARIOS / "baseline.toml")
    challenger = sim.load_scenario(SCENARIOS / "call_intensive.toml")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
          f"python {sys.version.split()[0]}")
    reps = 3 if args.quick else 6
    runs = [Run(s, 0, k) for k in range(reps) for s in (baseline, challenger)]
    quiet: dict[str, Any] = {"progress": False}

    if "0" not in skip:
        print("\n0. runner efficiency: 24 stand-in runs of 0.5 s (sleeping)")
        stand_ins = [Run(baseline, 0, k) for k in range(24)]
        one, _ = timed("workers=1", lambda: execute(stand_ins, run=sleeping_run, workers=1,
                                                     **quiet), 1)
        two, _ = timed("workers=2", lambda: execute(stand_ins, run=sleeping_run, workers=2,
                                                     **quiet), args.repeat)
        print(f"  speed-up 2 vs 1 workers: {one / two:.2f}x (ideal 2.00x)")
        if "2" not in skip:
            fresh, _ = timed("dask, new LocalCluster(2)", lambda: execute(
                stand_ins, run=sleeping_run, workers=2, backend="dask", **quiet), 1)
            warm, _ = on_running_cluster(lambda client: timed("dask, running client", lambda: (
                execute(stand_ins, run=sleeping_run, backend="dask", scheduler=client,
                        **quiet)), 1))
            print(f"  Dask overhead vs local: {fresh / two - 1:+.1%} with cluster start-up, "
                  f"{warm / two - 1:+.1%} on a running cluster")

    if "1" not in skip:
        print(f"\n1. local scaling: {len(runs)} baseline-sized runs")
        one, serial = timed("workers=1 (in-process)", lambda: execute(runs, workers=1, **quiet),
                            args.repeat)
        two, pooled = timed("workers=2 (process pool)", lambda: execute(runs, workers=2, **quiet),
                            args.repeat)
        assert pooled == serial, "results differ between 1 and 2 workers"
        print(f"  per run {one / len(runs):.2f} s; speed-up 2 vs 1 workers: {one / two:.2f}x "
              "(target >= 1.8x); results identical")

    if "2" not in skip:
        sweep_runs = [Run(s, 0, k) for k in range(2 * reps) for s in (baseline, challenger)]
        print(f"\n2. Dask overhead: the same {len(sweep_runs)} runs on 2 workers")
        local, expected = timed("local pool", lambda: execute(sweep_runs, workers=2, **quiet),
                                args.repeat)
        fresh, got = timed("dask, new LocalCluster(2) per call", lambda: execute(
            sweep_runs, workers=2, backend="dask", **quiet), args.repeat)
        assert got == expected, "results differ between local and dask"
        warm, got = on_running_cluster(lambda client: timed("dask, running client", lambda: (
            execute(sweep_runs, backend="dask", scheduler=client, **quiet)), args.repeat))
        assert got == expected
        print(f"  overhead vs local: {fresh / local - 1:+.1%} with cluster start-up, "
              f"{warm / local - 1:+.1%} on a running cluster (target <= 15%); results identical")

    if "3" not in skip:
        replications = 10 if args.quick else 30
        print(f"\n3. compare baseline vs call_intensive, {replications} replications, "
              "all cores")
        seconds, result = timed("wall time", lambda: compare(
            {"baseline": baseline, "call_intensive": challenger}, replications=replications,
            progress=False), 1)
        print(f"  {2 * replications} runs in {seconds:.1f} s "
              f"({seconds / (2 * replications):.2f} s per run of wall time)")
        table = result.differences.set_index("kpi")
        for kpi in ("recovery_1_30", "collected", "net_charge_off", "total_cost"):
            row = table.loc[kpi]
            print(f"  {kpi}: difference {row['difference']:.6g} "
                  f"[{row['ci_low']:.6g}, {row['ci_high']:.6g}], "
                  f"CRN variance ratio {row['variance_ratio']:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
