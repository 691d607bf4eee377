"""Command-line plumbing shared by ``recoverylab compare``, ``sweep`` and ``staff``.

The three commands take the same execution flags, print KPI tables the same way
(shares as percentages, money with thousands separators, differences of shares
in percentage points) and write their outputs through a staging directory, so
this module keeps those conventions in one place.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Mapping
from pathlib import Path

from sim.experiments.execution import BACKENDS, ExecutionOptions
from sim.kpi_catalogue import unit_of

HEADLINE_KPIS = (
    "recovery_1_30", "recovery_31_90", "recovery_90_plus", "cure_rate", "net_charge_off",
    "loss_rate", "net_benefit", "total_cost", "first_contact_within_3bd", "complaints_per_1000",
    "inbound_service_level", "agent_utilisation", "breaches",
)
"""KPIs printed by default (every KPI is always written to the CSVs)."""


def add_execution_arguments(parser: argparse.ArgumentParser, replications: int | None) -> None:
    """Flags for replications, seed, workers, backend, cache and the output directory.

    ``replications=None``: the experiment file supplies replications and seed.
    """
    where = "the experiment file's" if replications is None else str(replications)
    parser.add_argument("-r", "--replications", type=_positive_int, default=replications,
                        help=f"replications per scenario or point (default {where})")
    parser.add_argument("--seed", type=_non_negative_int, default=None if replications is None
                        else 0, help="root seed (default " + ("the file's" if replications is None
                                                               else "0") + ")")
    parser.add_argument("--workers", type=_positive_int, default=None,
                        help="worker processes (default: all cores; 1 runs in-process)")
    parser.add_argument("--backend", choices=BACKENDS, default="local",
                        help="local processes (default) or a dask.distributed cluster")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="dask scheduler address (default: start a LocalCluster)")
    parser.add_argument("--cache", default=None, metavar="DIR",
                        help="keep finished runs here to resume (default: the user cache "
                             "folder, e.g. ~/.cache/recoverylab/runs, or $RECOVERYLAB_CACHE)")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    parser.add_argument("--kpis", default=None, metavar="K1,K2",
                        help="KPIs to print (default: the headline KPIs)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="directory for CSVs and PNG plots")


def execution_options(args: argparse.Namespace) -> ExecutionOptions:
    """The execution options chosen on the command line (``-r`` checked against its ceiling)."""
    from sim.cli_support import UsageError
    from sim.limits import over

    too_many = over("replications", args.replications or 0)
    if too_many is not None:
        raise UsageError(f"--replications: {too_many}")
    return ExecutionOptions(
        workers=args.workers, backend=args.backend, scheduler=args.scheduler,
        cache=None if args.no_cache else (args.cache or True), progress=None,
    )


def chosen_kpis(args: argparse.Namespace, default: tuple[str, ...] = HEADLINE_KPIS) -> list[str]:
    """KPIs named by ``--kpis`` (checked against the catalogue), else ``default``."""
    from sim.errors import ConfigError, Problem, suggest
    from sim.kpi_catalogue import KPI_NAMES

    if not args.kpis:
        return list(default)
    names = [k.strip() for k in args.kpis.split(",") if k.strip()]
    problems = [Problem("--kpis", "unknown KPI", value=k, expected="a KPI name",
                        suggestion=suggest(k, KPI_NAMES)) for k in names if k not in KPI_NAMES]
    if problems or not names:
        raise ConfigError("command line", problems or [Problem("--kpis", "no KPI named")])
    return names


def fmt(kpi: str, value: float, *, difference: bool = False) -> str:
    """A KPI value for people: 84.3%, 1,234,567, 2.41; as a difference: +1.20 pp, +12,345."""
    if value is None or math.isnan(value):
        return "-"
    unit_ = unit_of(kpi)
    if unit_ == "share":
        return f"{value * 100:+.2f} pp" if difference else f"{value:.1%}"
    sign = "+" if difference else ""
    if unit_ in ("money", "count") or abs(value) >= 1000:
        return f"{value:{sign},.0f}"
    return f"{value:{sign}.3g}"


def fmt_diff(kpi: str, value: float) -> str:
    """A difference of KPI values: +1.20 pp for shares, +12,345 for money."""
    return fmt(kpi, value, difference=True)


def plus_minus(kpi: str, half_width: float) -> str:
    """``± 0.26 pp`` / ``± 25,388``: the half-width of an interval in the KPI's units."""
    return "\u00b1 " + fmt_diff(kpi, half_width).lstrip("+")


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    """A right-aligned table on stdout (rich, so it degrades cleanly when piped)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for i, name in enumerate(header):
        table.add_column(name, justify="left" if i == 0 else "right", no_wrap=i == 0)
    for row in rows:
        table.add_row(*row)
    console = Console()
    if not console.is_terminal:
        # Piped into a file or a log: no terminal to fit, so never truncate numbers.
        console = Console(width=200)
    console.print(table)


def parse_targets(items: list[str] | None) -> dict[str, float]:
    """``["recovery_1_30=0.85", ...]`` -> ``{"recovery_1_30": 0.85}``."""
    from sim.cli_support import UsageError

    targets: dict[str, float] = {}
    for item in items or []:
        name, sep, raw = item.partition("=")
        try:
            if not sep or not name.strip():
                raise ValueError
            targets[name.strip()] = float(raw)
        except ValueError:
            raise UsageError(f"--target {item!r}: expected KPI=NUMBER, e.g. "
                             "recovery_1_30=0.85") from None
    return targets


def wrote(paths: Mapping[str, Path] | list[Path], directory: Path) -> None:
    """Say what was written, naming the folder the reader will find (not a staging one)."""
    from sim.experiments.output import final_path

    names = ", ".join(p.name for p in (paths.values() if isinstance(paths, Mapping) else paths))
    print(f"wrote {names} to {final_path(directory)}/")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value
