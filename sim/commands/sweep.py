"""``recoverylab sweep EXPERIMENT.toml``: move policy levers and watch the KPIs."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "run a sweep declared in an experiment file (scenarios/experiments/*.toml)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from sim.cli_support import add_strategy_argument
    from sim.experiments.console import add_execution_arguments

    parser.add_argument("experiment", metavar="EXPERIMENT",
                        help="an experiment file or a shipped experiment's name "
                             "(e.g. early-team-size)")
    add_execution_arguments(parser, replications=None)
    add_strategy_argument(parser)


def run(args: argparse.Namespace) -> int:
    from sim.experiments import plots
    from sim.experiments.console import (
        HEADLINE_KPIS,
        chosen_kpis,
        execution_options,
        fmt,
        print_table,
        wrote,
    )
    from sim.experiments.output import staged_directory
    from sim.experiments.spec import load_experiment
    from sim.experiments.sweep import summarise_sweep, sweep
    from sim.style import currency_of

    experiment = load_experiment(args.experiment, strategy=args.strategy)
    spec = experiment.spec
    kpis = chosen_kpis(args, tuple(spec.kpis) if spec.kpis else HEADLINE_KPIS)
    replications = args.replications or spec.replications
    seed = spec.seed if args.seed is None else args.seed
    runs = sweep(experiment.base, experiment.points, replications, seed,
                 **execution_options(args))
    runs.attrs["levers"] = experiment.levers
    summary = summarise_sweep(runs, kpis)
    settings = _setting_labels(experiment.points)
    means = summary.pivot(index="point", columns="kpi", values="mean").to_dict("index")
    levers = experiment.levers
    # One lever: columns are its values; several: "headcount=12, auc=0.8" per point.
    header = [str(p[levers[0]]) for p in experiment.points] if len(levers) == 1 \
        else [settings[i] for i in range(len(experiment.points))]
    print_table(
        f"{spec.name}: mean over {replications} replications per point (seed {seed})"
        + (f"; columns: {levers[0]}" if len(levers) == 1 else ""),
        ["KPI", *header],
        [[k, *(fmt(k, means[p][k]) for p in range(len(experiment.points)))] for k in kpis],
    )
    if args.out is None:
        print("(add --out DIR to write the CSVs and plots)")
        return 0
    with staged_directory(args.out) as staging:
        runs.to_csv(staging / "runs.csv", index=False)
        summarise_sweep(runs).to_csv(staging / "summary.csv", index=False)
        # One lever: plot against its values; several: against each point's label.
        x = levers[0] if len(levers) == 1 else "setting"
        currency = currency_of(experiment.base)
        shown = summary.assign(setting=summary["point"].map(settings))
        plots.save(plots.sweep_lines(shown, x, kpis, currency=currency), staging / "sweep.png")
        labelled = runs.assign(scenario=runs["point"].map(settings))
        plots.save(plots.distributions(labelled, kpis, currency=currency),
                   staging / "distributions.png")
        written = sorted(p.name for p in staging.iterdir())
    wrote([Path(n) for n in written], args.out)
    return 0


def _setting_labels(points: list[dict[str, object]]) -> dict[int, str]:
    # Only the last part of each key path: "headcount=12", not the whole dotted path.
    return {i: ", ".join(f"{k.rsplit('.', 1)[-1]}={v}" for k, v in p.items())
            for i, p in enumerate(points)}
