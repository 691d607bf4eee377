"""Sentences for the numbers that surprise: what a run's odd KPI values mean.

A KPI table that prints ``inbound abandon rate 100.0%`` without a word reads like a
broken simulator, when it usually means a decision: nobody staffs the inbound line
(on a small floor, a team's inbound share of one collector rounds to no seat). A
recovery rate shown as ``-`` means no account reached that stage within the horizon,
not that nothing was recovered. Each remark here is drawn from the run's own figures,
never guessed, and says what would change the number.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.records import RunResult

STAGE_KPIS = {
    "recovery_31_90": "31-90 days past due", "recovery_90_plus": "91+ days past due",
    "roll_31_90_to_90_plus": "31-90 days past due",
    "roll_90_plus_to_writeoff": "91+ days past due",
}
"""KPIs measured on a stage that a short horizon may never reach."""


def remarks(result: RunResult) -> list[str]:
    """One plain sentence for each surprising figure of a run, in the order read."""
    kpis, daily, days = result.kpi_values, result.daily, int(result.meta["days"])
    said: list[str] = []
    offered = float(daily["inbound_offered"].sum()) if "inbound_offered" in daily else 0.0
    answered = float(daily["inbound_answered"].sum()) if "inbound_answered" in daily else 0.0
    if offered > 0 and answered == 0:
        said.append(
            f"Inbound: none of the {offered:,.0f} callers was answered, so the abandonment "
            "rate is 100%. Nobody staffs the inbound line: no team has an inbound seat at "
            "this headcount (a team's inbound share of its collectors rounds to zero).")
    elif offered > 0 and kpis.get("inbound_abandon_rate", 0.0) >= 0.5:
        said.append(
            f"Inbound: {kpis['inbound_abandon_rate']:.0%} of callers hung up before an "
            "answer; the inbound seats are far too few for the calls the ladder prompts.")
    unseen = sorted({stage for kpi, stage in STAGE_KPIS.items()
                     if kpi in kpis and not math.isfinite(kpis[kpi])})
    if unseen:
        said.append(
            f"Not observed ({', '.join(unseen)}): no account entering collections in the "
            f"measured window reached that stage within the {days}-day horizon, so its "
            "rates read '-'. A longer horizon measures them.")
    if kpis.get("breaches", 0.0) > 0:
        said.append(
            f"Compliance: {kpis['breaches']:,.0f} contacts broke the rule pack. A breach "
            "is a veto item: the strategy fails the scorecard whatever it collects.")
    return said
