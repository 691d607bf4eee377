"""The one-page summary: what a head of collections pastes into a deck.

Four panels on one 16:9 page, each answering one question a steering meeting asks:

- **Scorecard** -- does today's strategy meet the deck's targets (met, missed, veto)?
- **Stage flow** -- of every 1,000 accounts that go delinquent, how many are resolved
  in each stage and how many roll on to charge-off?
- **Money by source** -- where the cash comes from (self-cure, promises, plans,
  settlements, agency, legal, collateral) and what collecting it cost.
- **Verdict** -- did any challenger strategy beat the champion, KPI by KPI, counting
  only differences whose paired 95% interval excludes zero?

The small print says which scenario, seed and replications produced the figures and
the currency of every amount, so the page still makes sense without the terminal
session around it.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim import style
from sim.ledger import SOURCES as CASH_SOURCES

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from sim.experiments.compare import Comparison
    from sim.records import RunResult

VERDICT_KPIS = ("net_benefit", "loss_avoided", "recovery_1_30", "recovery_90_plus",
                "net_charge_off", "total_cost", "first_contact_within_3bd",
                "complaints_per_1000")
"""KPIs the verdict panel shows, in order of preference (the first five available)."""

SOURCES = {source.column: source.label for source in CASH_SOURCES}
"""Daily cash columns by source, with the words a collections manager uses."""


def summary_page(result: RunResult, comparison: Comparison | None = None,
                 title: str | None = None) -> Figure:
    """Scorecard, stage flow, money by source and the comparison verdict on one page."""
    from sim.flow import draw_stage_flow

    currency = str(result.meta["currency"])
    fig = style.figure(16.0, 9.0)
    grid = fig.add_gridspec(2, 2, height_ratios=(1, 1), width_ratios=(1, 1.15))
    name, strategy = str(result.meta["scenario"]), str(result.meta["strategy"])
    heading = title or ("Collections strategy review: " + name
                        + (f" (strategy {strategy})" if strategy != name else ""))
    style.heading(fig, heading, fontsize=16)
    _scorecard(fig.add_subplot(grid[0, 0]), result, currency)
    draw_stage_flow(fig.add_subplot(grid[0, 1]), result.kpi_values,
                    title="Stage flow: where delinquent accounts end up")
    _money(fig.add_subplot(grid[1, 0]), result, currency)
    _verdict(fig.add_subplot(grid[1, 1]), comparison, currency)
    m = result.meta
    note = (f"Scorecard, flow and money: scenario {m['scenario']}, seed {m['seed']}, "
            f"{m['accounts']:,} accounts over {m['days']} days. Money in {currency}.")
    if comparison is not None:
        note += f"  Verdict: {comparison.note}; paired 95% intervals."
    style.footnote(fig, note, fontsize=8)
    return fig


def save_summary_page(result: RunResult, comparison: Comparison | None,
                      path: str | Path) -> Path:
    """Draw :func:`summary_page` and write it as a PNG."""
    target = Path(path)
    summary_page(result, comparison).savefig(target, format="png")
    return target


def _scorecard(ax: Axes, result: RunResult, currency: str) -> None:
    rows: list[dict[str, Any]] = result.scorecard.to_dict("records")  # type: ignore[assignment]
    ax.set_axis_off()
    ax.set_title("Scorecard against the targets", loc="left", fontsize=12, fontweight="bold")
    if not rows:
        ax.text(0, 0.5, "no targets in this scenario", fontsize=11, color=style.GREY)
        return
    met = sum(bool(r["met"]) for r in rows)
    ax.text(0, 0.96, f"{met} of {len(rows)} targets met", fontsize=11, va="top",
            transform=ax.transAxes)
    step = min(0.8 / len(rows), 0.1)
    for i, r in enumerate(rows):
        y = 0.84 - i * step
        kpi = str(r["kpi"])
        sign = "\u2265" if r["direction"] == "max" else "\u2264"
        colour = style.GREEN if r["met"] else style.RED
        word = "met" if r["met"] else ("MISSED (veto)" if r["veto"] else "missed")
        ax.text(0.0, y, style.label(kpi), fontsize=10, transform=ax.transAxes, va="center")
        ax.text(0.50, y, f"{sign} {style.value_text(kpi, float(r['target']), currency)}",
                fontsize=10, transform=ax.transAxes, va="center", ha="right", color=style.GREY)
        ax.text(0.70, y, style.value_text(kpi, float(r["value"]), currency), fontsize=10,
                transform=ax.transAxes, va="center", ha="right", fontweight="bold")
        ax.text(0.76, y, word, fontsize=10, transform=ax.transAxes, va="center", color=colour,
                fontweight="bold" if r["veto"] and not r["met"] else "normal")


def _money(ax: Axes, result: RunResult, currency: str) -> None:
    daily = result.daily
    sources = [(label, float(daily[c].sum())) for c, label in SOURCES.items() if c in daily]
    sources = [(label, v) for label, v in sources if v > 0]
    sources.sort(key=lambda item: item[1])
    cost = float(daily["cost_total"].sum()) if "cost_total" in daily else math.nan
    labels = [label for label, _ in sources] + ["cost of collecting"]
    values = [v for _, v in sources] + [cost]
    colours = [style.BLUE] * len(sources) + [style.RED]
    ax.barh(range(len(values)), values, color=colours)
    ax.set_yticks(range(len(values)), labels, fontsize=9)
    total = sum(v for _, v in sources)
    for y, value in enumerate(values):
        share = f" ({value / total:.0%})" if y < len(sources) and total > 0 else ""
        ax.text(value, y, f" {style.money(value, currency)}{share}", va="center", fontsize=9)
    ax.xaxis.set_major_formatter(style.money_formatter(currency))
    ax.set_xlim(0, max([v for v in values if math.isfinite(v)] + [1.0]) * 1.3)
    style.frame(ax, title=f"Money by source: {style.money(total, currency)} collected, "
                f"{style.money(cost, currency)} spent", xlabel=f"{currency} over the run",
                ylabel="", grid="x")


def _verdict(ax: Axes, comparison: Comparison | None, currency: str) -> None:
    from sim.experiments.verdict import BETTER, WORSE, change_text, verdicts

    ax.set_axis_off()
    ax.set_title("Verdict: challengers against the champion", loc="left", fontsize=12,
                 fontweight="bold")
    if comparison is None:
        ax.text(0, 0.5, "no comparison was run", fontsize=11, color=style.GREY)
        return
    import textwrap

    kpis = [k for k in VERDICT_KPIS if k in comparison.kpis][:4]
    table = verdicts(comparison.differences, kpis)
    challengers = [c for c in comparison.strategies if c != comparison.champion]
    ax.text(0, 0.96, f"champion: {comparison.champion}; a coloured cell is a difference the "
            "95% interval confirms", fontsize=10, va="top", transform=ax.transAxes)
    columns = [0.26 + i * (0.74 / max(len(kpis), 1)) for i in range(len(kpis))]
    for x, kpi in zip(columns, kpis, strict=True):
        ax.text(x, 0.86, textwrap.fill(style.label(kpi), 16), fontsize=9, ha="left",
                va="center", transform=ax.transAxes, fontweight="bold")
    step = min(0.75 / max(len(challengers), 1), 0.12)
    cells = {(str(r["challenger"]), str(r["kpi"])): r for r in table.to_dict("records")}
    for i, name in enumerate(challengers):
        y = 0.76 - i * step
        ax.text(0.0, y, name, fontsize=10, va="center", transform=ax.transAxes)
        for x, kpi in zip(columns, kpis, strict=True):
            row = cells.get((name, kpi))
            if row is None:
                continue
            colour = {BETTER: style.GREEN, WORSE: style.RED}.get(str(row["verdict"]), style.GREY)
            text = change_text(kpi, float(row["difference"]), currency)
            ax.text(x, y, text, fontsize=9, va="center", transform=ax.transAxes, color=colour,
                    fontweight="bold" if colour != style.GREY else "normal")
