"""How delinquent accounts flow through the collection stages: the roll-rate chain.

Collections managers read a portfolio as a flow. Of every 1,000 accounts that miss a
payment, most pay within the early stage (1-30 DPD); the rest **roll** into the mid
stage (31-90 DPD), some of those roll on into the late stage (91 DPD to write-off), and
what the late stage does not recover is **charged off**. Each stage's roll rate says
what share of its entrants it passes on; chaining them turns three ratios into one
picture of where the book's losses are made (the "flow rate" view of loss forecasting).

The rates come from a run's KPIs (``roll_1_30_to_31_90``, ``roll_31_90_to_90_plus``,
``roll_90_plus_to_writeoff``), each measured on its own cohort of entrants, so the
chain is the steady-state flow the strategy would produce, not a head count of one
cohort. A rate that a short run cannot observe (its cohort never reaches the next
stage before the horizon) is NaN, and every count downstream of it is NaN too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

STAGES: tuple[tuple[str, str, str], ...] = (
    ("early (1-30 DPD)", "roll_1_30_to_31_90", "rolled to mid"),
    ("mid (31-90 DPD)", "roll_31_90_to_90_plus", "rolled to late"),
    ("late (91+ DPD)", "roll_90_plus_to_writeoff", "charged off"),
)
"""Each stage's label, the KPI of its roll rate and what rolling on means there."""


def stage_flow(kpi_values: Mapping[str, float], per: int = 1000) -> pd.DataFrame:
    """Accounts entering, resolved in and rolling out of each stage, per ``per`` entrants.

    ``kpi_values`` is a run's :attr:`~sim.RunResult.kpi_values` or any mapping with the
    three roll rates (for example the mean over replications). Columns: ``stage``,
    ``entering``, ``resolved`` (paid, cured or restructured in the stage), ``rolled_on``
    (into the next stage, or charged off from the late stage), ``outcome`` (what rolling
    on means) and ``roll_rate``.
    """
    import pandas as pd

    rows = []
    entering = float(per)
    for stage, kpi, outcome in STAGES:
        rate = float(kpi_values.get(kpi, math.nan))
        rolled = entering * rate
        rows.append({"stage": stage, "entering": entering, "resolved": entering - rolled,
                     "rolled_on": rolled, "outcome": outcome, "roll_rate": rate})
        entering = rolled
    return pd.DataFrame(rows)


def plot_stage_flow(kpi_values: Mapping[str, float], per: int = 1000,
                    title: str = "Where delinquent accounts end up") -> Figure:
    """Horizontal bars per stage: accounts resolved there and accounts rolling on."""
    from sim import style

    fig = style.figure(9.0, 3.6)
    draw_stage_flow(fig.add_subplot(), kpi_values, per, title)
    return fig


def draw_stage_flow(ax: Any, kpi_values: Mapping[str, float], per: int = 1000,
                    title: str = "Where delinquent accounts end up", fontsize: float = 9) -> None:
    """:func:`plot_stage_flow` on an existing axis (for pages that combine charts)."""
    from sim import style

    table = stage_flow(kpi_values, per)
    y = list(range(len(table)))[::-1]
    resolved = table["resolved"].fillna(0.0).to_numpy()
    rolled = table["rolled_on"].fillna(0.0).to_numpy()
    ax.barh(y, resolved, color=style.LIGHT_BLUE, label="resolved in the stage")
    ax.barh(y[:-1], rolled[:-1], left=resolved[:-1], color=style.ORANGE,
            label="rolled on to the next stage")
    ax.barh(y[-1:], rolled[-1:], left=resolved[-1:], color=style.RED, label="charged off")
    records: list[dict[str, Any]] = table.to_dict("records")  # type: ignore[assignment]
    for row, yy in zip(records, y, strict=True):
        if math.isnan(row["roll_rate"]):
            ax.text(0, yy, "  not observed in this run (horizon too short)", va="center",
                    fontsize=fontsize, color=style.GREY)
            continue
        ax.text(row["entering"] + per * 0.01, yy,
                f"{row['resolved']:,.0f} resolved, {row['rolled_on']:,.0f} {row['outcome']} "
                f"({row['roll_rate']:.0%})", va="center", fontsize=fontsize)
    ax.set_yticks(y, list(table["stage"]))
    ax.set_xlim(0, per * 1.45)
    style.frame(ax, title=title, xlabel=f"accounts, per {per:,} entering collections",
                ylabel="", grid="x")
    ax.legend(loc="lower right", frameon=False, fontsize=fontsize)
