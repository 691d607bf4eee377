"""Benchmark: calibrating the shipped example history (target, issue 12: at most 10 min).

    .venv/bin/python benchmarks/bench_calibrate.py            # fit + report, as the CLI
    .venv/bin/python benchmarks/bench_calibrate.py --no-report

Runs what ``recoverylab calibrate example --scenario <example_book.base.toml> --out
... --report ...`` runs (three months held out for the back-test) and prints the CPU
time and wall time of the whole calibration, the number of simulation runs and the CPU
time per run, the load average before and after (the machine is shared: wall time
under load says little, CPU time says what the work costs), and how each fitted value
compares with the truth the example was generated from.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-report", action="store_true", help="fit only, no report")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="keep fitted.toml and the report in DIR (default: a temporary folder)")
    args = parser.parse_args()

    import sim
    from sim.calibration import calibrate_files
    from sim.calibration.example import truth_file
    from sim.calibration.fit import base_value

    base = truth_file().with_name("example_book.base.toml")
    load_before = os.getloadavg()
    cpu, wall = time.process_time(), time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.keep or Path(scratch)
        out = Path(tmp) / "fitted.toml"
        result = calibrate_files("example", base, out,
                                 report=None if args.no_report else Path(tmp) / "report",
                                 progress=lambda text: print("  " + text, flush=True))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    load_after = os.getloadavg()
    runs = result.fit.simulations + (0 if args.no_report else 2)
    print(f"calibration of the shipped example{' (fit only)' if args.no_report else ''}:")
    print(f"  CPU time   {cpu:8.1f} s  (target 600 s)  {'MET' if cpu <= 600 else 'NOT MET'}")
    print(f"  wall time  {wall:8.1f} s")
    print(f"  simulation runs {runs}, CPU per run {cpu / runs:.1f} s")
    print(f"  load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
          f"(2 cores)")
    truth = sim.load_scenario(truth_file())
    print(f"  {'parameter':<50} {'truth':>9} {'fitted':>9}  95% interval        inside")
    for v in result.fit.values:
        t = base_value(truth, v.key)
        print(f"  {v.key:<50} {t:9.4g} {v.value:9.4g}  [{v.low:.4g}, {v.high:.4g}]"
              f"  {'yes' if v.low <= t <= v.high else 'no'}")
    if result.fit.unidentified:
        print("  not identified (kept at base): " + ", ".join(result.fit.unidentified))


if __name__ == "__main__":
    main()
