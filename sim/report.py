"""Presenting one run: the KPI table, the scorecard, and the files a run writes.

Shared by ``recoverylab run`` and ``recoverylab demo``. Outputs go through a staging
directory and are renamed into place only when all of them are complete, so an
interrupted run never leaves a fresh ``daily.csv`` beside a stale ``kpis.csv``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.kpi_catalogue import CATALOGUE
from sim.records import RunResult
from sim.scenario.root import Scenario

if TYPE_CHECKING:
    import pandas as pd

HEADLINE = (
    "recovery_1_30", "recovery_31_90", "recovery_90_plus", "cure_rate", "roll_1_30_to_31_90",
    "roll_31_90_to_90_plus", "roll_90_plus_to_writeoff", "loss_rate", "loss_avoided",
    "net_benefit", "benefit_cost_ratio", "collected", "balance_restored",
    "total_cost", "net_charge_off", "net_charge_off_rate", "first_contact_bdays_mean",
    "first_contact_within_3bd", "complaints_per_1000", "breaches", "agent_utilisation",
    "inbound_service_level", "inbound_abandon_rate", "rpc_rate", "ptp_rate",
    "promise_kept_rate",
)
"""KPIs shown in the terminal table (every KPI goes to kpis.csv and --json)."""


def fmt(kpi: str, value: float, currency: str = "") -> str:
    """A KPI value for people: 84.3%, CNY 1,234,567, 2.41."""
    if value is None or math.isnan(value):
        return "-"
    unit = CATALOGUE[kpi].unit if kpi in CATALOGUE else "ratio"
    if unit == "share":
        return f"{value:.1%}"
    if unit == "money":
        return f"{currency} {value:,.0f}".strip()
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def kpi_table(result: RunResult, kpis: Iterable[str] = HEADLINE) -> pd.DataFrame:
    """KPIs for people (a notebook's table): name, value as text, unit, definition."""
    import pandas as pd

    cur = str(result.meta["currency"])
    return pd.DataFrame(
        [{"kpi": k, "value": fmt(k, result.kpi_values[k], cur), "unit": CATALOGUE[k].unit,
          "definition": CATALOGUE[k].description} for k in kpis]
    ).set_index("kpi")


def scorecard_table(result: RunResult) -> pd.DataFrame:
    """The scorecard for people: target, actual and verdict as text, one row per target."""
    import pandas as pd

    cur = str(result.meta["currency"])
    rows = []
    for r in result.scorecard.to_dict("records"):
        sign = ">=" if r["direction"] == "max" else "<="
        verdict = "met" if r["met"] else ("MISSED (veto)" if r["veto"] else "missed")
        rows.append({"target": r["kpi"], "goal": f"{sign} {fmt(r['kpi'], r['target'], cur)}",
                     "actual": fmt(r["kpi"], r["value"], cur), "verdict": verdict})
    return pd.DataFrame(rows, columns=["target", "goal", "actual", "verdict"]).set_index("target")


def compact(kpi: str, value: float) -> str:
    """A KPI value in few characters, for wide comparison tables (money as 93.3M)."""
    unit = CATALOGUE[kpi].unit if kpi in CATALOGUE else "ratio"
    if unit != "money" or value is None or math.isnan(value):
        return fmt(kpi, value)
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:,.1f}{suffix}"
    return f"{value:,.0f}"


def print_run(result: RunResult, kpis: Iterable[str] = HEADLINE) -> None:
    """KPI table and scorecard on stdout, via rich."""
    from rich.console import Console
    from rich.table import Table

    cur = str(result.meta["currency"])
    m = result.meta
    table = Table(title=f"{m['scenario']} (strategy {m['strategy']}, seed {m['seed']}, "
                  f"{m['days']} days, {m['accounts']:,} accounts)", title_justify="left")
    table.add_column("KPI")
    table.add_column("value", justify="right")
    table.add_column("unit")
    for k in kpis:
        unit = CATALOGUE[k].unit
        table.add_row(k, fmt(k, result.kpi_values[k], cur),
                      f"money ({cur})" if unit == "money" and cur else unit)
    console = Console()
    console.print(table)
    console.print("Definitions: `recoverylab run --json`, kpis.csv, or sim.kpi_catalogue.")
    from sim.remarks import remarks

    for line in remarks(result):
        console.print(f"[bold]Note:[/] {line}", highlight=False)
    print_scorecard(result, console)


def print_scorecard(result: RunResult, console: Any = None) -> None:
    """Targets met (green) or missed (red); missed veto items are flagged."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    rows = result.scorecard.to_dict("records")
    if not rows:
        console.print("no targets in this scenario")
        return
    cur = str(result.meta["currency"])
    table = Table(title="Scorecard", title_justify="left")
    for name, justify in (("target", "left"), ("goal", "right"), ("actual", "right"),
                          ("", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        sign = ">=" if r["direction"] == "max" else "<="
        verdict = "[green]met[/]" if r["met"] else (
            "[bold red]MISSED (veto)[/]" if r["veto"] else "[red]missed[/]")
        table.add_row(r["kpi"], f"{sign} {fmt(r['kpi'], r['target'], cur)}",
                      fmt(r["kpi"], r["value"], cur), verdict)
    console.print(table)


MONEY_PREFIXES = ("balance_", "paid_", "cost_")
MONEY_COLUMNS = frozenset({"collected", "charged_off_amount"})
"""Daily columns in currency (major units); the rest are counts, minutes or shares."""


def is_money_column(name: str) -> bool:
    """True for a daily column holding an amount of money."""
    return name in MONEY_COLUMNS or name.startswith(MONEY_PREFIXES)


def daily_with_dates(daily: pd.DataFrame, start: Any) -> pd.DataFrame:
    """The daily table with a ``date`` column beside ``day`` (day 0 is the start date).

    A planner reads "2026-03-02", not "day 56"; the day number stays for joins.
    """
    import pandas as pd

    days = daily["day"].astype("int64")
    dates = pd.Timestamp(start) + pd.to_timedelta(days, unit="D")
    out = daily.copy()
    out.insert(1, "date", dates.dt.date)
    return out


def money_in_header(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    """Money columns renamed with their ISO currency code (``collected_CNY``).

    A CSV travels without its scenario, and a bare "¥" cannot tell yuan from yen.
    """
    if not currency:
        return frame
    return frame.rename(columns={c: f"{c}_{currency}" for c in frame.columns
                                 if is_money_column(str(c))})


def with_currency(frame: pd.DataFrame, currency: str, kpi_column: str) -> pd.DataFrame:
    """A KPI table with a ``currency`` column: the ISO code on money KPIs, blank elsewhere."""
    out = frame.copy()
    money = out[kpi_column].map(lambda k: k in CATALOGUE and CATALOGUE[k].unit == "money")
    out["currency"] = money.map({True: currency, False: ""})
    return out


GROUPINGS = ("segment", "product", "team")
"""The ``kpis_by_<grouping>.csv`` files a run writes."""


def grouped_table(result: RunResult, by: str, currency: str) -> pd.DataFrame:
    """``result.kpis_by(by)`` in long form: group, kpi, value and the money currency."""
    wide = result.kpis_by(by)
    long = wide.reset_index().melt(id_vars=by, var_name="kpi", value_name="value")
    money = long["kpi"].map(lambda k: (k in CATALOGUE and CATALOGUE[k].unit == "money")
                            or k in ("cash_on_promises", "cash_per_collector_hour"))
    long["currency"] = money.map({True: currency, False: ""})
    return long


def run_note(result: RunResult) -> str:
    """What a chart of this run shows, for its small print: scenario, seed, size."""
    m = result.meta
    return (f"scenario {m['scenario']} (strategy {m['strategy']}), seed {m['seed']}, "
            f"replication {m['replication']}; {m['accounts']:,} accounts over {m['days']} days; "
            f"money in {m['currency']}")


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def as_json(result: RunResult) -> str:
    """KPIs, scorecard and run metadata as JSON (NaN becomes null)."""
    meta_keys = ("scenario", "strategy", "seed", "replication", "days", "accounts",
                 "collectors", "simpy_events", "wall_seconds", "currency", "fingerprint")
    payload = {
        "kpis": result.kpi_values,
        "scorecard": result.scorecard.to_dict("records"),
        "meta": {k: result.meta[k] for k in meta_keys},
        "ledger_balanced": bool(result.meta["ledger"]["balanced"]),
    }
    return json.dumps(_clean(payload), indent=2, allow_nan=False)


EVENT_LOG_FORMATS = ("parquet", "csv")
"""How the account-level event log is written: Parquet (default), or CSV on request."""


def write_run(result: RunResult, scenario: Scenario, out: Path, *, plots: bool = True,
              prefix: str = "", event_log_format: str = "parquet") -> list[Path]:
    """Write CSVs, JSON metadata, charts (and the event log if kept) atomically.

    The event log of a baseline run is about 1.5 million rows: Parquet (pyarrow is a
    dependency) keeps it typed, compressed and quick to load; ``event_log_format="csv"``
    writes CSV instead for tools that read nothing else. The format never depends on
    what happens to be installed.
    """
    from sim.experiments.output import staged_directory

    if event_log_format not in EVENT_LOG_FORMATS:
        raise ValueError(f"event_log_format must be one of {EVENT_LOG_FORMATS}, "
                         f"got {event_log_format!r}")

    currency = str(result.meta["currency"])
    names: list[str] = []
    with staged_directory(out) as stage:
        dated = daily_with_dates(result.daily, scenario.calendar.start_date)
        money_in_header(dated, currency).to_csv(stage / f"{prefix}daily.csv", index=False)
        with_currency(result.kpis, currency, "name").to_csv(stage / f"{prefix}kpis.csv",
                                                            index=False)
        with_currency(result.scorecard, currency, "kpi").to_csv(
            stage / f"{prefix}scorecard.csv", index=False)
        (stage / f"{prefix}run.json").write_text(as_json(result) + "\n", encoding="utf-8")
        names += [f"{prefix}daily.csv", f"{prefix}kpis.csv", f"{prefix}scorecard.csv",
                  f"{prefix}run.json"]
        for by in GROUPINGS:
            name = f"{prefix}kpis_by_{by}.csv"
            grouped_table(result, by, currency).to_csv(stage / name, index=False)
            names.append(name)
        if result.events is not None:
            name = f"{prefix}events.{event_log_format}"
            frame = result.event_log()
            if name.endswith(".parquet"):
                frame.to_parquet(stage / name, index=False)
            else:
                frame.to_csv(stage / name, index=False)
            names.append(name)
        if plots:
            from sim.plots import run_charts

            charts = run_charts(result.daily_columns, scenario.portfolio.currency,
                                scenario.calendar.start_date, stage, prefix, run_note(result))
            names += [c.name for c in charts]
    return [out / n for n in names]
