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
    """The shipped simulation scenarios (found through :mod:`sim.shipped`)."""
    from sim import shipped

    return shipped.folder("scenario")


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
    # All parts land together: out/ is swapped in whole once the summary page is written
    # too; a failure on the way (it raises) leaves no output behind.
    with staged_directory(args.out) as stage:
        _demo(console, files, stage, args)
    console.print(f"\nOne-page summary for a deck: {args.out / 'summary.png'}")
    console.print(f"CSVs and charts: {args.out}/compare/ (the comparison) and "
                  f"{args.out}/baseline/ (one baseline run).")
    console.print("Practise collection calls with the role-play trainer: "
                  f"[bold]{_trainer_command()}[/]")
    return 0


def _demo(console: Any, files: list[Path], stage: Path, args: argparse.Namespace) -> None:
    import sim
    from sim.commands import compare as compare_command
    from sim.report import print_scorecard, write_run
    from sim.summary_page import save_summary_page

    console.print(f"Comparing {len(files)} shipped strategies on the baseline portfolio: "
                  f"{args.replications} replications each, common random numbers.")
    # The demo is the compare command with fixed arguments, so both print the same tables.
    parser = argparse.ArgumentParser()
    compare_command.add_arguments(parser)
    compare_args = parser.parse_args([
        *map(str, files), "--champion", STRATEGIES[0], "-r", str(args.replications),
        "--seed", str(args.seed), "--out", str(stage / "compare"),
    ])
    comparison, kpis = compare_command.comparison_of(compare_args)
    compare_command.report(comparison, kpis, compare_args)

    baseline = sim.load_scenario(files[0])
    result = sim.simulate(baseline, seed=args.seed)
    console.print(f"\nBaseline at seed {args.seed}, against the deck's targets:")
    print_scorecard(result, console)
    write_run(result, baseline, stage / "baseline", plots=True)
    # Inside the staging folder, so the page lands with the CSVs it summarises.
    save_summary_page(result, comparison, stage / "summary.png")


def _trainer_command() -> str:
    """How to start the trainer from here: the console script beside this Python."""
    import sys

    script = Path(sys.executable).parent / "recoverylab-train"
    try:
        shown = script.relative_to(Path.cwd())
    except ValueError:
        shown = script
    return str(shown) if script.exists() else "recoverylab-train"

