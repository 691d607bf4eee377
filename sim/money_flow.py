"""Where the book loses its money: the stage flow counted in money, not accounts.

A head of collections asks "at which stage do we lose the money?", and a count of
accounts cannot answer it: a thousand small card debts that roll are worth less than a
hundred car loans. This follows the balance of the measured cohorts (accounts entering
collections in the measured window, followed to resolution by the run-off) through the
stages: what enters each stage, what is resolved there (paid, cured, restructured or
settled), what rolls on, what is finally charged off, what is recovered after the
charge-off, and what is lost.

Balances grow with fees while an account is delinquent, so a stage can pass on more
than its entrants owed on entry; the table shows that rather than hiding it. A stage
that no cohort account reached is NaN, never zero.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.kpis import cohort
from sim.stages import NEVER

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from sim.records import RunResult


def money_by_stage(result: RunResult) -> pd.DataFrame:
    """Money entering, resolved in and rolling out of each stage, in major units.

    Columns: ``stage``, ``entering``, ``resolved``, ``rolled_on`` and ``outcome``
    (what rolling on means there). More rows close the account: ``charged off``
    (the late stage's roll-on), ``recovered after charge-off`` (agency, legal, sale and
    the valued tail), ``settlement discounts``, ``expected re-default loss`` (cures whose
    re-default window outlasts the simulated days, valued as in :mod:`sim.runoff`) and
    ``lost`` (the run's ``loss`` KPI: charge-off and settlement discounts net of every
    later recovery, the expected re-default loss, plus anything still open).
    """
    import pandas as pd

    acc = result.accounts
    days = int(result.meta["days"])
    scale: int = 10 ** int(result.meta["minor_units"])
    measured = cohort(acc["arrival_day"], result.warmup_days, days - 1)

    def total(key: str, where: Any = True) -> float:
        return float(np.asarray(acc[key])[measured & where].sum()) / scale

    into_mid = total("balance_at_31", acc["entered_31"] != NEVER)
    into_late = total("balance_at_91", acc["entered_91"] != NEVER)
    charged_off = total("charged_off_amount")
    stages = (("early (1-30 DPD)", total("balance_at_1"), into_mid, "rolled to mid"),
              ("mid (31-90 DPD)", into_mid, into_late, "rolled to late"),
              ("late (91+ DPD)", into_late, charged_off, "charged off"))
    rows = [{"stage": stage, "entering": enter if enter > 0 else math.nan,
             "resolved": enter - out if enter > 0 else math.nan,
             "rolled_on": out if enter > 0 else math.nan, "outcome": outcome}
            for stage, enter, out, outcome in stages]
    recovered = total("recovered_after_co") + total("tail_value")
    kpis = result.kpi_values
    rows += [{"stage": "recovered after charge-off", "entering": math.nan,
              "resolved": recovered, "rolled_on": math.nan, "outcome": ""},
             {"stage": "settlement discounts", "entering": math.nan,
              "resolved": total("forgiven"), "rolled_on": math.nan, "outcome": ""},
             {"stage": "expected re-default loss", "entering": math.nan,
              "resolved": total("redefault_loss") if "redefault_loss" in acc else 0.0,
              "rolled_on": math.nan, "outcome": "cures' windows past the run"},
             {"stage": "lost", "entering": math.nan, "resolved": kpis["loss"],
              "rolled_on": math.nan, "outcome": f"{kpis['loss_rate']:.1%} of the balance"}]
    return pd.DataFrame(rows)


def money_by_stage_text(result: RunResult) -> pd.DataFrame:
    """:func:`money_by_stage` for people: amounts as ``CN¥114m``, unknowns blank."""
    from sim.style import money

    table = money_by_stage(result).set_index("stage")
    cur = str(result.meta["currency"])
    for column in ("entering", "resolved", "rolled_on"):
        table[column] = [money(v, cur) if math.isfinite(v) else "" for v in table[column]]
    return table


def describe_money_by_stage(result: RunResult) -> str:
    """The table's answer in two sentences, with the run's currency."""
    from sim.style import money

    # Plain floats keyed by stage and column: the sentences below do arithmetic on cells.
    cells: dict[str, dict[str, float]] = {
        str(row["stage"]): {key: float(row[key]) for key in ("entering", "resolved", "rolled_on")}
        for row in money_by_stage(result).to_dict(orient="records")
    }
    cur = str(result.meta["currency"])
    entering = cells["early (1-30 DPD)"]["entering"]
    charged = cells["late (91+ DPD)"]["rolled_on"]
    lost = cells["lost"]["resolved"]
    if not (entering > 0 and math.isfinite(charged)):
        return "No measured account reached charge-off: the horizon is too short to say."
    shares = [cells[stage]["rolled_on"] / cells[stage]["entering"]
              for stage in ("early (1-30 DPD)", "mid (31-90 DPD)", "late (91+ DPD)")]
    return (f"Of {money(entering, cur)} entering collections, {money(charged, cur)} "
            f"({charged / entering:.1%}) reaches charge-off from the late stage, and "
            f"{money(lost, cur)} ({lost / entering:.1%}) is finally lost once recoveries "
            "after charge-off and settlement discounts are counted. The early stage passes "
            f"on {shares[0]:.0%} of the money entering it, the mid stage {shares[1]:.0%}, "
            f"and the late stage charges off {shares[2]:.0%}.")


def plot_money_by_stage(result: RunResult) -> Figure:
    """Bars per stage in money: resolved there (blue) and rolled on (orange, red)."""
    from sim import style

    table = money_by_stage(result).iloc[:3]
    cur = str(result.meta["currency"])
    fig = style.figure(9.0, 3.6)
    ax = fig.add_subplot()
    y = [2, 1, 0]
    resolved = table["resolved"].fillna(0.0).to_numpy()
    rolled = table["rolled_on"].fillna(0.0).to_numpy()
    ax.barh(y, resolved, color=style.LIGHT_BLUE, label="resolved in the stage")
    ax.barh(y[:2], rolled[:2], left=resolved[:2], color=style.ORANGE,
            label="rolled on to the next stage")
    ax.barh(y[2:], rolled[2:], left=resolved[2:], color=style.RED, label="charged off")
    for row, yy in zip(table.to_dict("records"), y, strict=True):
        text = ("  not reached by any measured account" if not row["entering"] > 0 else
                f" {style.money(row['rolled_on'], cur)} {row['outcome']} "
                f"({row['rolled_on'] / row['entering']:.0%})")
        ax.text(max(row["entering"], 0.0) if row["entering"] > 0 else 0, yy, text,
                va="center", fontsize=9)
    ax.set_yticks(y, list(table["stage"]))
    ax.xaxis.set_major_formatter(style.money_formatter(cur))
    ax.set_xlim(0, float(np.nanmax(table["entering"].to_numpy())) * 1.45)
    style.frame(ax, title="Where the book's money goes, stage by stage",
                xlabel=f"{cur}, measured cohorts followed to resolution", ylabel="", grid="x")
    ax.legend(loc="lower right", frameon=False, fontsize=9)
    return fig
