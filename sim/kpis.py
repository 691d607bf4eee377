"""KPIs as pure functions of a run's records.

Two kinds of record feed them: the **daily rows** (flows and stocks per day) and the
**account summary** (per-account milestones: when it entered each bucket, with what
balance, when and at what DPD it left, when it was first reached). Every KPI named in
:mod:`sim.kpi_catalogue` is computed here and nowhere else, so a notebook can recompute
any of them from the records and get the same number.

Cohort rules (see the catalogue): a bucket's cohort is the accounts that entered it on or
after the warm-up day and early enough to live through the whole bucket before the
horizon. An empty cohort gives NaN, never zero.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from sim.calendar import Calendar
from sim.stages import NEVER, State

Arrays = Mapping[str, npt.NDArray[Any]]


def account_summary(book: Any, cal: Calendar) -> dict[str, npt.NDArray[Any]]:
    """The per-account milestones KPIs need (copies; the book is not kept)."""
    seen = book.state != State.PENDING
    arrival = book.arrival_day[seen].astype(np.int64)
    contact = book.first_contact_day[seen].astype(np.int64)
    resolved = book.resolved_day[seen].astype(np.int64)
    last = cal.days - 1
    nan = np.nan

    def bdays(to: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        out = cal.business_days_between(np.maximum(arrival, 0), to).astype(np.float64)
        return np.where((to == NEVER) | (arrival < 0), nan, out)

    return {
        "arrival_day": arrival,
        "entered_31": book.entered_31[seen].astype(np.int64),
        "entered_91": book.entered_91[seen].astype(np.int64),
        "balance_at_1": book.balance_at_1[seen].copy(),
        "balance_at_31": book.balance_at_31[seen].copy(),
        "balance_at_91": book.balance_at_91[seen].copy(),
        "first_exit_dpd": book.first_exit_dpd[seen].astype(np.int64),
        "exited_mid": book.exited_mid[seen].copy(),
        "returned_to_current": book.returned_to_current[seen].copy(),
        "charged_off": book.charged_off_amount[seen] > 0,
        "collected_since_91": book.collected_since_91[seen].copy(),
        "first_contact_day": contact,
        "resolved_day": resolved,
        "state": book.state[seen].copy(),
        "first_contact_bdays": bdays(contact),
        "resolved_bdays": bdays(resolved),
        "observed_bdays": bdays(np.full(arrival.shape[0], last, np.int64)),
    }


def _share(num: float, den: float) -> float:
    return num / den if den > 0 else math.nan


def cohort(entered: npt.NDArray[np.int64], warmup: int, last_entry: int) -> npt.NDArray[np.bool_]:
    """Accounts entering on a day in ``[warmup, last_entry]``."""
    return np.asarray((entered >= warmup) & (entered <= last_entry) & (entered != NEVER), bool)


def recovery_rates(acc: Arrays, warmup: int, days: int) -> dict[str, float]:
    """Deck-style recovery by bucket (balance-weighted) on observable cohorts."""
    c1 = cohort(acc["arrival_day"], warmup, days - 30)
    ok1 = (acc["first_exit_dpd"] >= 1) & (acc["first_exit_dpd"] <= 30)
    c31 = cohort(acc["entered_31"], warmup, days - 60)
    c91 = cohort(acc["entered_91"], warmup, days - 90)
    return {
        "recovery_1_30": _share(float(acc["balance_at_1"][c1 & ok1].sum()),
                                float(acc["balance_at_1"][c1].sum())),
        "recovery_31_90": _share(float(acc["balance_at_31"][c31 & acc["exited_mid"]].sum()),
                                 float(acc["balance_at_31"][c31].sum())),
        "recovery_90_plus": _share(float(acc["collected_since_91"][c91].sum()),
                                   float(acc["balance_at_91"][c91].sum())),
    }


def roll_rates(acc: Arrays, warmup: int, days: int, writeoff_dpd: int) -> dict[str, float]:
    """Share of each bucket's entrants that reached the next (account counts)."""
    c1 = cohort(acc["arrival_day"], warmup, days - 30)
    c31 = cohort(acc["entered_31"], warmup, days - 60)
    c91 = cohort(acc["entered_91"], warmup, days - (writeoff_dpd - 91))
    return {
        "cure_rate": _share(float((c1 & acc["returned_to_current"]).sum()), float(c1.sum())),
        "roll_1_30_to_31_90": _share(float((c1 & (acc["entered_31"] != NEVER)).sum()),
                                     float(c1.sum())),
        "roll_31_90_to_90_plus": _share(float((c31 & (acc["entered_91"] != NEVER)).sum()),
                                        float(c31.sum())),
        "roll_90_plus_to_writeoff": _share(float((c91 & acc["charged_off"]).sum()),
                                           float(c91.sum())),
    }


def first_contact(acc: Arrays, warmup: int) -> dict[str, float]:
    """Business days from entering collections to the first right-party conversation."""
    new = (acc["arrival_day"] >= warmup)
    observable = new & (acc["observed_bdays"] >= 3)
    contact = acc["first_contact_bdays"]
    resolved = acc["resolved_bdays"]
    contacted = ~np.isnan(contact)
    self_resolved = (~np.isnan(resolved) & (resolved <= 3)
                     & (~contacted | (acc["first_contact_day"] > acc["resolved_day"])))
    within = contacted & (contact <= 3)
    den = observable & ~self_resolved
    times = contact[new & contacted]
    return {
        "first_contact_bdays_mean": float(times.mean()) if times.shape[0] else math.nan,
        "first_contact_within_3bd": _share(float((den & within).sum()), float(den.sum())),
    }


def flows(daily: Arrays, warmup: int) -> dict[str, float]:
    """Money, activity and service KPIs from the daily rows after the warm-up."""
    keep = daily["day"] >= warmup

    def total(key: str) -> float:
        return float(np.asarray(daily[key])[keep].sum())

    collected = total("collected")
    cost = total("cost_total")
    offered = total("inbound_offered")
    return {
        "collected": collected,
        "total_cost": cost,
        "roi": _share(collected, cost),
        "cost_per_collected": _share(cost, collected),
        "net_charge_off": total("charged_off_amount") - total("paid_post_writeoff"),
        "complaints_total": total("complaints"),
        "breaches": total("breaches"),
        "agent_utilisation": _share(total("handle_minutes") + total("inbound_busy_minutes"),
                                    total("agent_available_minutes")),
        "inbound_service_level": _share(total("inbound_within_sl"), offered),
        "inbound_abandon_rate": _share(total("inbound_abandoned"), offered),
        "inbound_asa_seconds": _share(60 * total("inbound_wait_minutes"),
                                      total("inbound_answered")),
        "rpc_rate": _share(total("agent_rpc"), total("agent_attempts")),
        "ptp_rate": _share(total("agent_ptp"), total("agent_rpc")),
        "promise_kept_rate": _share(total("promises_kept"), total("promises_due")),
        "contacts": total("contacts"),
        "agent_attempts": total("agent_attempts"),
    }


def compute_kpis(daily: Arrays, acc: Arrays, meta: Mapping[str, Any], warmup: int,
                 writeoff_dpd: int) -> dict[str, float]:
    """Every catalogue KPI from the records (values in major units where money)."""
    days = int(meta["days"])
    scale = 10 ** int(meta["minor_units"])
    led = meta["ledger"]
    out: dict[str, float] = {}
    out.update(recovery_rates(acc, warmup, days))
    out.update(roll_rates(acc, warmup, days, writeoff_dpd))
    out.update(flows(daily, warmup))
    out.update(first_contact(acc, warmup))
    accounts = float(meta["accounts"])
    out["accounts"] = accounts
    out["complaints_per_1000"] = _share(1000 * out.pop("complaints_total"), accounts)
    out["opening_balance"] = led["opening"] / scale
    out["net_charge_off_rate"] = _share(out["net_charge_off"], out["opening_balance"])
    out["written_off"] = (led["charged_off"] + led["forgiven"]) / scale
    out["outstanding_end"] = float(meta["outstanding_in_collections"]) / scale
    out["score_auc"] = float(meta["score_auc"])
    out["balance_restored"] = float(meta["balance_restored"]) / scale
    return out
