"""``recoverylab validate FILE...``: check scenario files without running them."""

from __future__ import annotations

import argparse
import sys

HELP = "check scenario files and report every problem (exit 2 if any file is bad)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="SCENARIO",
                        help="scenario files or shipped scenario names")


def run(args: argparse.Namespace) -> int:
    from sim.errors import EXIT_BAD_INPUT, ConfigError
    from sim.scenario import load_scenario

    bad = 0
    for path in args.files:
        try:
            scenario = load_scenario(path)
        except ConfigError as exc:
            bad += 1
            print(exc.render(), file=sys.stderr)
            continue
        teams = ", ".join(f"{k} {t.headcount}" for k, t in scenario.staffing.teams.items())
        print(f"ok: {path} ({scenario.name}: {scenario.portfolio.accounts:,} accounts, "
              f"{scenario.horizon.days} days, pack {scenario.compliance.pack}, teams {teams})")
    return EXIT_BAD_INPUT if bad else 0
