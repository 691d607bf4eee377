"""``recoverylab calibrate HISTORY --scenario BASE --out FITTED.toml``: fit behaviour to a
team's own account history (see :mod:`sim.calibration`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "fit behaviour to an account history; write a scenario that inherits the base"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("history", metavar="HISTORY",
                        help="account history, CSV (.csv, .csv.gz) or Parquet; "
                             "`example` is the shipped example book")
    parser.add_argument("--scenario", required=True, metavar="BASE",
                        help="the scenario describing the strategy and staff the history "
                             "was produced under (a file or a shipped name)")
    parser.add_argument("--out", required=True, type=Path, metavar="FITTED.toml",
                        help="where to write the fitted scenario")
    parser.add_argument("--report", type=Path, default=None, metavar="DIR",
                        help="also write the calibration report (Markdown, CSV, PNG charts)")
    parser.add_argument("--holdout", type=int, default=3, metavar="N",
                        help="last N snapshot dates kept out of the fit for the back-test "
                             "(default 3; 0 fits on every date)")
    parser.add_argument("--replications", type=int, default=1, metavar="R",
                        help="simulated books per run of the fit (default 1: a book the "
                             "size of the data)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the simulations")


def run(args: argparse.Namespace) -> int:
    from sim.calibration import calibrate_files
    from sim.cli_support import UsageError

    if args.holdout < 0 or args.replications < 1 or args.seed < 0:
        raise UsageError("--holdout and --seed must be >= 0 and --replications >= 1")
    if args.out.suffix != ".toml":
        raise UsageError(f"--out {args.out}: the fitted scenario is a .toml file")
    result = calibrate_files(args.history, args.scenario, args.out, report=args.report,
                             holdout=args.holdout, replications=args.replications,
                             seed=args.seed,
                             progress=lambda text: print(text, file=sys.stderr, flush=True))
    print(result.summary())
    print(f"wrote {args.out}")
    if args.report is not None:
        print(f"wrote {args.report}/")
    return 0
