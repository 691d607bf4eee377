"""Writing the fitted scenario: the base, plus only what the data fitted, each value sourced.

The fitted file ``inherit``-s the base scenario, so everything the data did not speak
to -- the strategy, the staff, the channel effects -- stays exactly as the team wrote
it, and a later change to the base flows through. Each fitted value is preceded by a
comment that gives its 95 % interval, the base value it replaced, and the data it came
from (the moment matched, how many transitions it rests on, observed and simulated).
The file is checked by loading it before it replaces anything at ``--out``.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections import defaultdict
from pathlib import Path

from sim.calibration.fit import INFLOW, Fit, FittedValue, base_value
from sim.calibration.moments import STAGES

STAGE_TABLES = frozenset({"cure_hazard", "partial_payment_hazard"})
"""Fitted tables that need every stage written (their stages have no defaults)."""

MOMENT_WORDS = {
    **{f"cure.{s}": f"{s}-stage account-months that cured by the next snapshot" for s in STAGES},
    **{f"partial.{s}": f"{s}-stage account-months with a payment that did not cure"
       for s in STAGES},
    "recovery.incidence": "charged-off account-months with a payment",
    "recovery.share": "share of the balance paid, in charged-off months with a payment",
    INFLOW: "accounts newly seen in collections per day",
}


def describe_moment(name: str) -> str:
    """The moment in words."""
    if name.startswith("cure.segment."):
        return (f"delinquent account-months of segment {name.removeprefix('cure.segment.')} "
                "that cured by the next snapshot")
    return MOMENT_WORDS.get(name, name)


def _number(value: float) -> str:
    """A TOML float with 4 significant digits."""
    text = f"{value:.4g}"
    return text if any(c in text for c in ".en") else text + ".0"


def _comment(v: FittedValue) -> list[str]:
    rate = v.moment != INFLOW and not v.moment.endswith("share")

    def shown(x: float) -> str:
        return f"{100 * x:.2f} %" if rate else f"{x:.4g}"

    unit = "arrivals" if v.moment == INFLOW else "transitions"
    return [
        f"# {_number(v.value)}, 95 % interval [{_number(v.low)}, {_number(v.high)}]; "
        f"base {_number(v.base)}",
        f"# matched: {describe_moment(v.moment)}: observed {shown(v.observed)} "
        f"(s.e. {shown(v.observed_se)}, {v.count:,} {unit}), simulated {shown(v.simulated)}",
    ]


def render(fit: Fit, inherit: str, name: str, source: str, held_out: list[str]) -> str:
    """The fitted scenario as TOML text."""
    h = fit.history
    dates = [str(d)[:10] for d in h.dates]
    f = fit.scenario
    lines = [
        f"# Fitted by `recoverylab calibrate` on {dt.date.today().isoformat()} from {source}:",
        f"# {h.frame.shape[0]:,} snapshots of {h.frame['account'].nunique():,} accounts, "
        f"{len(dates)} dates {dates[0]} to {dates[-1]}"
        + (f" (held out for the back-test, not fitted: {', '.join(held_out)})." if held_out
           else "."),
        "# Method of simulated moments under the base scenario's strategy, common random",
        f"# numbers, {fit.simulations} simulation runs (see sim.calibration.fit). Only the",
        "# values below were fitted; everything else is the base's.",
        "#",
        "# NOT identified by these data, left as in the base: what each channel adds",
        "# (contact, promise and keep rates, pressure uplift, bureau, agency and legal",
        "# effects). Without variation in treatment (a hold-out group, a champion /",
        "# challenger test) the data show only debtor and treatment together; the fitted",
        "# cure hazards are right only if the base's channel effects are.",
        *(["# Not identified by this history (their moments did not answer them beyond the",
           f"# simulation's noise), left as in the base: {', '.join(fit.unidentified)}."]
          if fit.unidentified else []),
        f"inherit = {_quote(inherit)}",
        f"name = {_quote(name)}",
        f"description = {_quote(f'Calibrated to {Path(source).name}.')}",
    ]
    tables: dict[str, list[FittedValue]] = defaultdict(list)
    for v in fit.values:
        table, _, _ = v.key.rpartition(".")
        tables[table].append(v)
    book = f.portfolio.book
    portfolio_lines = [
        "# counted: delinquent accounts at the first snapshot and their spread by stage",
        f"accounts = {f.portfolio.accounts}",
        # full precision: the three shares must still sum to 1 when read back
        f"book = {{ early = {book.early!r}, mid = {book.mid!r}, late = {book.late!r} }}",
    ]
    for table in sorted(tables, key=_order):
        lines += ["", f"[{table}]"]
        if table == "portfolio":
            lines += portfolio_lines
            portfolio_lines = []
        for v in tables[table]:
            lines += _comment(v)
            lines.append(f"{v.key.rpartition('.')[2]} = {_number(v.value)}")
        if table.rpartition(".")[2] in STAGE_TABLES:
            # A stage table needs all three stages; those not fitted keep the base's value.
            done = {v.key.rpartition(".")[2] for v in tables[table]}
            for stage in STAGES:
                if stage not in done:
                    lines.append("# not fitted: the base's value")
                    lines.append(f"{stage} = {_number(base_value(fit.base, f'{table}.{stage}'))}")
    if portfolio_lines:
        lines += ["", "[portfolio]", *portfolio_lines]
    return "\n".join(lines) + "\n"


def _order(table: str) -> tuple[int, str]:
    head = ("portfolio", "behaviour", "channels")
    first = table.split(".")[0]
    return (head.index(first) if first in head else len(head), table)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def inherit_reference(base_argument: str, base_file: Path, out: Path) -> str:
    """How the fitted file names its base: the shipped name, else a path from ``out``."""
    from sim import shipped

    if not shipped.looks_like_path(base_argument) and not Path(base_argument).exists():
        return base_argument.removesuffix(".toml")
    try:
        return os.path.relpath(base_file.resolve(), out.resolve().parent)
    except ValueError:  # another drive (Windows)
        return str(base_file.resolve())


def write_checked(text: str, out: Path, *, dry_run: bool = False) -> Path:
    """Write ``text`` to ``out`` only if it loads as a scenario; atomically.

    ``dry_run`` only checks (in a temporary file beside ``out``, so that ``inherit``
    resolves as it will), writing nothing."""
    from sim.scenario import load_scenario

    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".toml", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        load_scenario(tmp)
        if not dry_run:
            os.replace(tmp, out)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return out
