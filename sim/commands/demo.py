"""``recoverylab demo``: compare the shipped strategies on the baseline portfolio.

This is what ``make demo`` runs on a fresh clone. It is the main job of the tool in
miniature: the baseline strategy (champion) against each shipped challenger
(digital-first, call-intensive, early restructuring, agency placement at 60 DPD and a
score-prioritised worklist), with common random numbers and paired 95% intervals, then
the baseline's scorecard against the deck's targets, CSVs and charts in ``--out``, and
how to start the role-play trainer.

A handful of replications keeps the demo to well under a minute on two cores; the
intervals are correspondingly wide. Decision-grade comparisons use
``recoverylab compare ... -r 30``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

HELP = "compare the shipped strategies on the baseline portfolio; write CSVs and charts"

STRATEGIES = ("baseline", "digital_first", "call_intensive", "early_restructuring",
              "agency_at_60", "score_prioritised")
"""Shipped strategy scenarios on the baseline portfolio; the first is the champion."""


def scenario_dir() -> Path:
    """The repository's ``scenarios/sim`` (the project installs editable)."""
    return Path(__file__).resolve().parents[2] / "scenarios" / "sim"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("out"), metavar="DIR",
                        help="where to write CSVs and charts (default out/)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("-r", "--replications", type=int, default=5,
                        help="replications per strategy (default 5; use 30 to decide)")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from sim.experiments.output import staged_directory

    console = Console()
    files = [scenario_dir() / f"{name}.toml" for name in STRATEGIES]
    # Both parts land together: out/ is swapped in whole once the baseline is written too.
    try:
        with staged_directory(args.out) as stage:
            status = _demo(console, files, stage, args)
            if status != 0:
                raise _PartFailedError(status)  # leaves no output behind
    except _PartFailedError as failed:
        return failed.status
    console.print(f"\nCSVs and charts: {args.out}/compare/ (the comparison) and "
                  f"{args.out}/baseline/ (one baseline run).")
    console.print("Practise collection calls with the role-play trainer: "
                  "[bold].venv/bin/recoverylab-train[/]")
    return 0


class _PartFailedError(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _demo(console: Any, files: list[Path], stage: Path, args: argparse.Namespace) -> int:
    import sim
    from sim.commands import compare as compare_command
    from sim.report import print_scorecard, write_run

    console.print(f"Comparing {len(files)} shipped strategies on the baseline portfolio: "
                  f"{args.replications} replications each, common random numbers.")
    # The demo is the compare command with fixed arguments, so both print the same tables.
    parser = argparse.ArgumentParser()
    compare_command.add_arguments(parser)
    compare_args = parser.parse_args([
        *map(str, files), "--champion", STRATEGIES[0], "-r", str(args.replications),
        "--seed", str(args.seed), "--out", str(stage / "compare"),
    ])
    status = compare_command.run(compare_args)
    if status != 0:
        return status

    baseline = sim.load_scenario(files[0])
    result = sim.simulate(baseline, seed=args.seed)
    console.print(f"\nBaseline at seed {args.seed}, against the deck's targets:")
    print_scorecard(result, console)
    write_run(result, baseline, stage / "baseline", plots=True)
    return 0
