"""``recoverylab run SCENARIO.toml``: simulate one scenario and report its KPIs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

HELP = "simulate one scenario: KPI table, scorecard, CSVs and charts"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from sim.cli_support import add_strategy_argument

    parser.add_argument("scenario", metavar="SCENARIO",
                        help="a scenario file, or a shipped scenario's name (e.g. baseline; "
                             "see: recoverylab scenarios list)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--replication", type=int, default=0, help="replication number")
    parser.add_argument("--days", type=int, default=None, help="override the horizon in days")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="write daily.csv, kpis.csv, scorecard.csv, run.json and PNG charts")
    parser.add_argument("--event-log", action="store_true",
                        help="also keep and write the account-level event log "
                             "(events.parquet)")
    parser.add_argument("--event-log-format", choices=("parquet", "csv"), default="parquet",
                        help="write the event log as Parquet (default) or CSV")
    parser.add_argument("--json", action="store_true",
                        help="print KPIs and scorecard as JSON instead of tables")
    add_strategy_argument(parser)


class _Progress:
    """A progress bar that appears only once a run has taken more than a second."""

    def __init__(self, days: int) -> None:
        import time

        self.days = days
        self.clock = time.perf_counter
        self.started = self.clock()
        self.bar: Any = None

    def __call__(self, day: int, book: object) -> None:
        if self.bar is None:
            if self.clock() - self.started > 1.0 and sys.stderr.isatty():
                from tqdm import tqdm

                self.bar = tqdm(total=self.days, initial=day + 1, unit="day", leave=False,
                                desc="simulating")
        else:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run(args: argparse.Namespace) -> int:
    import sim
    from sim.cli_support import UsageError, with_strategy
    from sim.report import as_json, print_run, write_run

    if args.seed < 0 or args.replication < 0:
        raise UsageError("--seed and --replication must be non-negative")
    scenario = with_strategy(sim.load_scenario(args.scenario), args.strategy)
    if args.days is not None:
        scenario = scenario.with_overrides({"horizon.days": args.days})
    progress = _Progress(scenario.horizon.days)
    try:
        result = sim.simulate(scenario, seed=args.seed, replication=args.replication,
                              event_log=args.event_log, observer=progress)
    finally:
        progress.close()
    if args.json:
        print(as_json(result))
    else:
        print_run(result)
    if args.out is not None:
        written = write_run(result, scenario, args.out,
                            event_log_format=args.event_log_format)
        if not args.json:
            print(f"wrote {len(written)} files to {args.out}/")
    return 0
