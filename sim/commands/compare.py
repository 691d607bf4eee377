"""``recoverylab compare A.toml B.toml ...``: champion/challenger with honest intervals."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

HELP = "compare strategies (scenario files) with common random numbers and paired intervals"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from sim.cli_support import add_strategy_argument
    from sim.experiments.console import add_execution_arguments

    parser.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                        help="scenario files or shipped names; the first is the champion "
                             "unless --champion (with --strategy, one scenario is enough)")
    parser.add_argument("--champion", default=None, help="name (file stem) of the champion")
    add_execution_arguments(parser, replications=30)
    add_strategy_argument(parser, arm=True)


def run(args: argparse.Namespace) -> int:
    result, kpis = comparison_of(args)
    report(result, kpis, args)
    return 0


def comparison_of(args: argparse.Namespace) -> tuple[Any, list[str]]:
    """Load the scenarios named on the command line and compare them."""
    from sim import load_scenario, shipped
    from sim.cli_support import UsageError, with_strategy
    from sim.experiments.compare import compare
    from sim.experiments.console import chosen_kpis, execution_options

    if len(args.scenarios) + len(args.strategy) < 2:
        raise UsageError("give at least two scenario files (a champion and a challenger), "
                         "or one scenario and --strategy module:attr")
    kpis = chosen_kpis(args)
    arms = {}
    seen: set[object] = set()
    for text in args.scenarios:
        path = shipped.resolve("scenario", text)
        if path.resolve() in seen:
            raise UsageError(f"scenario {path} is given twice")
        seen.add(path.resolve())
        # Strategies are named by file stem; two files with one stem keep their paths.
        arms[path.stem if path.stem not in arms else str(path)] = load_scenario(path)
    first = next(iter(arms.values()))
    for ref in args.strategy:
        # The first scenario under a Python strategy, named by its reference.
        if ref in arms:
            raise UsageError(f"--strategy {ref} is given twice")
        arms[ref] = with_strategy(first, ref)
    if args.champion is not None and args.champion not in arms:
        raise UsageError(f"--champion {args.champion!r} is not one of {', '.join(arms)}")
    result = compare(arms, replications=args.replications, seed=args.seed,
                     champion=args.champion, **execution_options(args))
    return result, kpis


def report(result: Any, kpis: list[str], args: argparse.Namespace) -> None:
    """Print the KPI and difference tables; write CSVs and charts with ``--out``."""
    from sim.experiments.compare import write_comparison
    from sim.experiments.console import fmt, fmt_diff, print_table, wrote
    from sim.experiments.output import staged_directory

    names = result.strategies
    summary = result.summary.set_index(["scenario", "kpi"])
    print_table(
        f"KPIs: mean \u00b1 95% CI over {args.replications} replications (seed {args.seed})",
        ["KPI", *names],
        [[k, *(_cell(k, summary.loc[(n, k)], fmt) for n in names)] for k in kpis],
    )
    diffs = result.differences.set_index(["challenger", "kpi"])
    challengers = [n for n in names if n != result.champion]
    print_table(
        f"Challenger - champion ({result.champion}): mean \u00b1 95% CI, paired by replication; "
        "* = interval excludes 0",
        ["KPI", *challengers],
        [[k, *(_cell(k, diffs.loc[(c, k)], fmt_diff, "difference") for c in challengers)]
         for k in kpis],
    )
    if args.out is None:
        print("(add --out DIR to write the CSVs and plots)")
        return
    with staged_directory(args.out) as staging:
        written = write_comparison(result, staging, kpis)
    wrote(written, args.out)


def _cell(kpi: str, row: Any, show: Callable[[str, float], str], column: str = "mean") -> str:
    from sim.experiments.console import plus_minus

    low, high = float(row["ci_low"]), float(row["ci_high"])
    mark = "*" if column == "difference" and (low > 0 or high < 0) else ""
    return f"{show(kpi, float(row[column]))} {plus_minus(kpi, (high - low) / 2)}{mark}"
