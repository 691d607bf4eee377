"""``recoverylab staff SCENARIO.toml --team early``: how many collectors meet the targets."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "find the smallest headcount meeting the targets, with the frontier behind it"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from sim.cli_support import add_strategy_argument
    from sim.experiments.console import add_execution_arguments

    parser.add_argument("scenario", metavar="SCENARIO",
                        help="a scenario file or a shipped scenario's name")
    parser.add_argument("--team", default="total",
                        help="team to size, or 'total' for all teams keeping the mix "
                             "(default total)")
    parser.add_argument("--target", action="append", metavar="KPI=VALUE",
                        help="target to meet, repeatable (default: the scenario's [targets])")
    parser.add_argument("--confidence", type=float, default=0.9,
                        help="required confidence of meeting the targets (default 0.9)")
    parser.add_argument("--criterion", choices=("probability", "mean"), default="probability",
                        help="probability: that share of periods meets every target (default); "
                             "mean: the one-sided bound of each mean meets its target")
    parser.add_argument("--min-headcount", type=int, default=1, help="lowest headcount to try")
    parser.add_argument("--max-headcount", type=int, default=None,
                        help="highest headcount to try (default max(50, 4 x today's))")
    parser.add_argument("--frontier", type=_span, default=(), metavar="LO:HI[:STEP]",
                        help="also simulate these headcounts for the frontier, e.g. 8:24:2")
    add_execution_arguments(parser, replications=30)
    add_strategy_argument(parser)


def run(args: argparse.Namespace) -> int:
    from sim import load_scenario
    from sim.cli_support import with_strategy
    from sim.experiments import plots
    from sim.experiments.console import (
        chosen_kpis,
        execution_options,
        fmt,
        fmt_diff,
        parse_targets,
        print_table,
        wrote,
    )
    from sim.experiments.output import staged_directory
    from sim.experiments.staffing import size_staff

    scenario = with_strategy(load_scenario(args.scenario), args.strategy)
    plan = size_staff(
        scenario, team=args.team, targets=parse_targets(args.target),
        confidence=args.confidence, replications=args.replications, seed=args.seed,
        criterion=args.criterion, min_headcount=args.min_headcount,
        max_headcount=args.max_headcount, frontier=args.frontier, **execution_options(args),
    )
    wanted = chosen_kpis(args, (*plan.targets, *SHOWN))
    shown = [k for k in dict.fromkeys(wanted) if f"{k}_mean" in plan.frontier.columns]
    print_table(
        f"Frontier for team {plan.team} ({args.replications} replications per headcount; "
        f"'met' = {plan.criterion} criterion at {plan.confidence:g})",
        ["headcount", "met", "share met", "lower bound", "binding", *shown],
        [[str(row["headcount"]) + (" <" if row["headcount"] == plan.headcount else ""),
          "yes" if row["met"] else "no", f"{row['share_met']:.0%}",
          f"{row['share_met_low']:.0%}", str(row["binding"]),
          *(fmt(k, row[f"{k}_mean"]) for k in shown)]
         for row in plan.frontier.to_dict("records")],
    )
    print_table(
        f"One more collector: {plan.headcount} -> {plan.headcount + 1} (paired, 95% CI)",
        ["KPI", "change", "95% CI"],
        [[k, fmt_diff(k, row["difference"]),
          f"[{fmt_diff(k, row['ci_low'])}, {fmt_diff(k, row['ci_high'])}]"]
         for row in plan.marginal.to_dict("records") for k in [str(row["kpi"])]],
    )
    targets = ", ".join(f"{k} {'>=' if _is_floor(k) else '<='} {fmt(k, v)}"
                        for k, v in plan.targets.items())
    print(f"recommended headcount for {plan.team}: {plan.headcount} (today {plan.current}); "
          f"targets: {targets}; binding: {plan.binding}")
    if plan.best_net_benefit is not None:
        print(f"highest net benefit among the headcounts simulated: {plan.best_net_benefit}")
    if args.out is None:
        print("(add --out DIR to write the CSVs and plots)")
        return 0
    with staged_directory(args.out) as staging:
        plan.frontier.to_csv(staging / "frontier.csv", index=False)
        plan.runs.to_csv(staging / "runs.csv", index=False)
        plan.marginal.to_csv(staging / "marginal.csv", index=False)
        plots.save(plan.plot(), staging / "frontier.png")
        written = sorted(p.name for p in staging.iterdir())
    wrote([Path(n) for n in written], args.out)
    return 0


SHOWN = ("recovery_1_30", "loss_rate", "net_benefit", "benefit_cost_ratio", "total_cost")
"""Frontier columns printed besides the targets (all are in frontier.csv)."""


def _span(text: str) -> range:
    try:
        parts = [int(p) for p in text.split(":")]
        if len(parts) not in (2, 3) or parts[0] < 0:
            raise ValueError
        return range(parts[0], parts[1] + 1, parts[2] if len(parts) == 3 else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected LO:HI or LO:HI:STEP, got {text!r}") from None


def _is_floor(kpi: str) -> bool:
    from sim.kpi_catalogue import CATALOGUE

    return CATALOGUE[kpi].direction == "max"
