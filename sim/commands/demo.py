"""``recoverylab demo``: run every shipped strategy once and compare them.

This is what ``make demo`` runs on a fresh clone: each scenario in ``scenarios/sim``
(the baseline, its strategy variants, an understaffed floor and the US variant) at
seed 0, a side-by-side table of the key KPIs, the baseline's scorecard, CSVs and charts
in ``--out``, and how to start the role-play trainer. One replication each is a
preview, not a decision: ``recoverylab compare`` runs replications with paired
intervals.
"""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "run each shipped scenario once, compare key KPIs, write CSVs and charts"

SCENARIOS = ("baseline", "digital_first", "call_intensive", "early_restructuring",
             "agency_at_60", "score_prioritised", "understaffed", "us_regf")
"""Shipped scenarios the demo runs, in table order (the baseline first)."""

COMPARED = ("recovery_1_30", "recovery_31_90", "recovery_90_plus", "cure_rate",
            "net_charge_off_rate", "collected", "balance_restored", "total_cost", "roi",
            "first_contact_within_3bd", "complaints_per_1000", "agent_utilisation",
            "inbound_service_level", "breaches")


def scenario_dir() -> Path:
    """The repository's ``scenarios/sim`` (the project installs editable)."""
    return Path(__file__).resolve().parents[2] / "scenarios" / "sim"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("out"), metavar="DIR",
                        help="where to write CSVs and charts (default out/)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")


def run(args: argparse.Namespace) -> int:
    import sys
    import time

    from rich.console import Console
    from rich.table import Table

    import sim
    from sim.experiments.output import staged_directory
    from sim.report import compact, print_scorecard, write_run

    console = Console()
    err = Console(stderr=True)
    loaded = [sim.load_scenario(scenario_dir() / f"{name}.toml") for name in SCENARIOS]
    results = []
    for scenario in loaded:
        started = time.perf_counter()
        result = sim.simulate(scenario, seed=args.seed)
        results.append(result)
        err.print(f"ran {scenario.name:<20} {time.perf_counter() - started:5.1f} s  "
                  f"({result.meta['accounts']:,} accounts, {scenario.horizon.days} days)")
        write_run(result, scenario, args.out / scenario.name, plots=scenario.name == "baseline")
    rows = [{"kpi": kpi, **{s.name: r.kpi_values[kpi] for s, r in zip(loaded, results,
                                                                       strict=True)}}
            for kpi in COMPARED]
    # As many scenario columns as the terminal fits; the rest go in a second table.
    per_table = max(1, (console.width - 28) // 11)
    for first in range(0, len(loaded), per_table):
        chunk = list(zip(loaded, results, strict=True))[first:first + per_table]
        table = Table(title=f"Shipped strategies, one run each at seed {args.seed} (use "
                      "`recoverylab compare` for intervals)" if first == 0 else None,
                      title_justify="left")
        table.add_column("KPI", no_wrap=True)
        for scenario, _ in chunk:
            table.add_column(f"{scenario.name}\n({scenario.portfolio.currency})",
                             justify="right", overflow="fold")
        for kpi in COMPARED:
            table.add_row(kpi, *(compact(kpi, r.kpi_values[kpi]) for _, r in chunk))
        console.print(table)
    print_scorecard(results[0], console)
    import pandas as pd

    with staged_directory(args.out) as stage:
        pd.DataFrame(rows).to_csv(stage / "comparison.csv", index=False)
    console.print(f"\nCSVs and charts are in {args.out}/ (baseline charts in "
                  f"{args.out}/baseline/*.png).")
    console.print("Practise collection calls with the role-play trainer: "
                  "[bold].venv/bin/recoverylab-train[/]")
    sys.stdout.flush()
    return 0
