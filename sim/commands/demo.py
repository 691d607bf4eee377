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

    import sim
    from sim.commands import compare as compare_command
    from sim.report import print_scorecard, write_run

    console = Console()
    files = [scenario_dir() / f"{name}.toml" for name in STRATEGIES]
    console.print(f"Comparing {len(files)} shipped strategies on the baseline portfolio: "
                  f"{args.replications} replications each, common random numbers.")
    # The demo is the compare command with fixed arguments, so both print the same tables.
    parser = argparse.ArgumentParser()
    compare_command.add_arguments(parser)
    compare_args = parser.parse_args([
        *map(str, files), "--champion", STRATEGIES[0], "-r", str(args.replications),
        "--seed", str(args.seed), "--out", str(args.out / "compare"),
    ])
    comparison, kpis = compare_command.comparison_of(compare_args)
    compare_command.report(comparison, kpis, compare_args)

    baseline = sim.load_scenario(files[0])
    result = sim.simulate(baseline, seed=args.seed)
    console.print(f"\nBaseline at seed {args.seed}, against the deck's targets:")
    print_scorecard(result, console)
    write_run(result, baseline, args.out / "baseline", plots=True)
    page = _write_summary(result, comparison, args.out / "summary.png")
    console.print(f"\nOne-page summary for a deck: {page}")
    console.print(f"CSVs and charts: {args.out}/compare/ (the comparison) and "
                  f"{args.out}/baseline/ (one baseline run).")
    console.print("Practise collection calls with the role-play trainer: "
                  f"[bold]{_trainer_command()}[/]")
    return 0


def _trainer_command() -> str:
    """How to start the trainer from here: the console script beside this Python."""
    import sys

    script = Path(sys.executable).parent / "recoverylab-train"
    try:
        shown = script.relative_to(Path.cwd())
    except ValueError:
        shown = script
    return str(shown) if script.exists() else "recoverylab-train"


def _write_summary(result: object, comparison: object, path: Path) -> Path:
    """The one-page PNG, written whole or not at all (it may replace last run's)."""
    import os
    import tempfile

    from sim.summary_page import save_summary_page

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".png", dir=path.parent)
    os.close(fd)
    try:
        save_summary_page(result, comparison, temporary)  # type: ignore[arg-type]
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
