"""KPIs by segment and by product: the same definitions, on a slice of the accounts.

A portfolio's average hides its mix. A strategy that lifts recovery on card accounts
and loses it on auto loans can look like no change at all; a secured book that cures
less but loses less after repossession looks worse on recovery than it is. So every
KPI that is a function of the *accounts* (recovery and roll rates by bucket, cure,
first contact, loss, loss rate, charge-off, cash collected, re-default) can be read
per segment (the portfolio's ``[portfolio.segments]``) or per product (``unsecured``,
``secured``, ...), computed by the very functions of :mod:`sim.kpis` on the slice.

Money KPIs add up: the segments' ``loss``, ``collected`` or ``cohort_balance`` sum to
the portfolio's, and a rate is the ratio of those sums (``loss_rate`` of the whole is
the segments' loss over their cohort balance, not the mean of their rates).

What is not split: cost, floor and service KPIs (``total_cost``, ``agent_utilisation``,
inbound service) come from the day's totals, not from accounts; costs are shared
(a collector's hour serves every segment she dials), so a per-segment cost would be an
allocation rule, not a measurement. They are read per **team** instead
(:func:`team_productivity`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from sim.kpis import Arrays, cohort, cohort_money, first_contact, recovery_rates, roll_rates

DIMENSIONS = ("segment", "product")
"""What :func:`kpis_by` can group accounts by (``team`` is read from the floor)."""

ADDITIVE = ("accounts", "cohort_balance", "loss", "net_charge_off", "written_off",
            "collected", "balance_restored")
"""Per-group KPIs that sum to the whole portfolio's value."""


def group_codes(acc: Arrays, meta: Mapping[str, Any], by: str
                ) -> tuple[npt.NDArray[np.int64], tuple[str, ...]]:
    """Each account's group code and the group names, for ``by`` in :data:`DIMENSIONS`."""
    segments = tuple(meta["segment_names"])
    seg = np.asarray(acc["segment"], np.int64)
    if by == "segment":
        return seg, segments
    if by == "product":
        products = tuple(meta["segment_products"])
        names = tuple(dict.fromkeys(products))
        of_segment = np.array([names.index(p) for p in products], np.int64)
        return of_segment[seg], names
    raise ValueError(f"cannot group KPIs by {by!r}; expected one of: "
                     f"{', '.join((*DIMENSIONS, 'team'))}")


def account_kpis(acc: Arrays, warmup: int, days: int, observed: int, writeoff_dpd: int,
                 scale: int) -> dict[str, float]:
    """Every account-based KPI of ``acc`` (a whole book or a slice of it)."""
    out: dict[str, float] = {}
    out.update(recovery_rates(acc, warmup, days, observed))
    out.update(roll_rates(acc, warmup, days, writeoff_dpd, observed))
    out.update(first_contact(acc, warmup))
    out.update(cohort_money(acc, warmup, days, scale))
    out["accounts"] = float(np.asarray(acc["arrival_day"]).shape[0])
    out["measured_accounts"] = float(cohort(acc["arrival_day"], warmup, days - 1).sum())
    return out


def kpis_by(acc: Arrays, meta: Mapping[str, Any], by: str, warmup: int,
            writeoff_dpd: int) -> dict[str, dict[str, float]]:
    """Group name -> account KPIs of that group's accounts (every group, even empty)."""
    codes, names = group_codes(acc, meta, by)
    days = int(meta["days"])
    observed = days + int(meta.get("runoff_days", 0))
    scale = 10 ** int(meta["minor_units"])
    out = {}
    for code, name in enumerate(names):
        rows = codes == code
        part = {k: np.asarray(v)[rows] for k, v in acc.items()}
        out[name] = account_kpis(part, warmup, days, observed, writeoff_dpd, scale)
    return out


def flat(by: str, values: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """``{"segment=card:recovery_1_30": ...}``: per-group KPIs as flat run values, so
    comparisons and sweeps give them intervals and CSV columns like any KPI."""
    return {f"{by}={group}:{kpi}": float(v)
            for group, kpis in values.items() for kpi, v in kpis.items()}


def split_flat_name(name: str) -> tuple[str, str, str] | None:
    """``"segment=card:loss"`` -> ``("segment", "card", "loss")``; None for a plain KPI."""
    head, sep, kpi = name.partition(":")
    by, eq, group = head.partition("=")
    if not sep or not eq or by not in DIMENSIONS:
        return None
    return by, group, kpi


TEAM_COLUMNS = ("collectors", "collector_hours", "attempts", "contacts", "rpc", "promises",
                "cash_on_promises", "attempts_per_hour", "contacts_per_hour",
                "promises_per_hour", "cash_per_collector_hour")
"""The columns of :func:`team_productivity`."""


def team_productivity(daily: Arrays, team_names: Sequence[str], headcount: Sequence[int],
                      warmup: int) -> dict[str, dict[str, float]]:
    """Outbound productivity of each team over the measured days.

    Collector-hours are the minutes the team's collectors were on the outbound floor
    (shifts, after shrinkage), over 60. Cash on promises is what debtors paid on promises
    the team's collectors took (kept promises, the first instalment of a plan and
    settlements), whenever the payment came within the horizon.
    """
    keep = np.asarray(daily["day"]) >= warmup
    out: dict[str, dict[str, float]] = {}
    for team, people in zip(team_names, headcount, strict=True):
        def total(column: str, team: str = team) -> float:
            values = daily.get(f"{column}_{team}")
            return float(np.asarray(values)[keep].sum()) if values is not None else np.nan

        hours = total("agent_available_minutes") / 60
        row = {"collectors": float(people), "collector_hours": hours,
               "attempts": total("agent_attempts"), "contacts": total("agent_connected"),
               "rpc": total("agent_rpc"), "promises": total("agent_ptp"),
               "cash_on_promises": total("paid_on_promises")}
        for what, base in (("attempts_per_hour", "attempts"), ("contacts_per_hour", "contacts"),
                           ("promises_per_hour", "promises"),
                           ("cash_per_collector_hour", "cash_on_promises")):
            row[what] = row[base] / hours if hours > 0 else np.nan
        out[team] = row
    return out
