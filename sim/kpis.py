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


def account_summary(book: Any, cal: Calendar, days: int) -> dict[str, npt.NDArray[Any]]:
    """The per-account milestones KPIs need (copies; the book is not kept).

    ``days`` is the measured horizon; the book may have run on past it (the run-off),
    and its money columns then hold each account's outcome to resolution.
    """
    seen = book.state != State.PENDING
    arrival = book.arrival_day[seen].astype(np.int64)
    contact = book.first_contact_day[seen].astype(np.int64)
    resolved = book.resolved_day[seen].astype(np.int64)
    last = days - 1
    nan = np.nan

    def bdays(to: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        out = cal.business_days_between(np.maximum(arrival, 0), to).astype(np.float64)
        return np.where((to == NEVER) | (arrival < 0), nan, out)

    return {
        "arrival_day": arrival,
        "segment": book.segment[seen].copy(),
        "entered_31": book.entered_31[seen].astype(np.int64),
        "entered_91": book.entered_91[seen].astype(np.int64),
        "balance_at_1": book.balance_at_1[seen].copy(),
        "balance_at_31": book.balance_at_31[seen].copy(),
        "balance_at_91": book.balance_at_91[seen].copy(),
        "first_exit_dpd": book.first_exit_dpd[seen].astype(np.int64),
        "exited_mid": book.exited_mid[seen].copy(),
        "returned_to_current": book.returned_to_current[seen].copy(),
        "charged_off": book.charged_off_amount[seen] > 0,
        "charged_off_amount": book.charged_off_amount[seen].copy(),
        "recovered_after_co": book.recovered_after_co[seen].copy(),
        "forgiven": book.forgiven[seen].copy(),
        "collected": book.collected[seen].copy(),
        "restored_balance": book.restored_balance[seen].copy(),
        "redefaults": book.redefaults[seen].copy(),
        "open_balance": np.where((book.state[seen] == State.DELINQUENT)
                                 | (book.state[seen] == State.PLAN), book.balance[seen], 0),
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


def _last_entry(days: int, observed: int, span: int) -> int:
    """Last entry day of a bucket cohort: inside the horizon, and early enough to have
    been followed ``span`` days by the end of the run (the run-off included)."""
    return min(days - 1, observed - span)


def bucket_cohort(acc: Arrays, entered: str, warmup: int, days: int, observed: int,
                  span: int) -> npt.NDArray[np.bool_]:
    """Measured-cohort accounts that entered a bucket and were followed ``span`` days.

    Only accounts that entered collections in the measured window (arrival day in
    ``[warmup, days)``) count, whenever they reached the bucket: their whole history was
    simulated under the strategy, so the ones still delinquent at 31 or 91 DPD are the
    true survivors of it (more non-payers the later the bucket). An account of the
    starting book was drawn with a fresh delinquent's traits at whatever DPD it started,
    so counting it would make the later buckets look healthier than a book in steady
    state is; a long warm-up gives the same figures without this rule.
    """
    arrival = acc["arrival_day"]
    window = (arrival >= warmup) & (arrival <= days - 1)
    return cohort(acc[entered], warmup, observed - span) & window


def recovery_rates(acc: Arrays, warmup: int, days: int,
                   observed: int | None = None) -> dict[str, float]:
    """Deck-style recovery by bucket (balance-weighted) on observable cohorts.

    ``observed``: days the run lasted, run-off included (default: the horizon)."""
    seen = days if observed is None else observed
    c1 = cohort(acc["arrival_day"], warmup, _last_entry(days, seen, 30))
    ok1 = (acc["first_exit_dpd"] >= 1) & (acc["first_exit_dpd"] <= 30)
    c31 = bucket_cohort(acc, "entered_31", warmup, days, seen, 60)
    c91 = bucket_cohort(acc, "entered_91", warmup, days, seen, 90)
    # Cash after charge-off counts within the stated tail only, and the part of the tail
    # the run did not simulate at its expected value, as for loss.
    late_cash = float(acc["collected_since_91"][c91].sum())
    if "tail_value" in acc:
        late_cash += float(acc["tail_value"][c91].sum())
    return {
        "recovery_1_30": _share(float(acc["balance_at_1"][c1 & ok1].sum()),
                                float(acc["balance_at_1"][c1].sum())),
        "recovery_31_90": _share(float(acc["balance_at_31"][c31 & acc["exited_mid"]].sum()),
                                 float(acc["balance_at_31"][c31].sum())),
        "recovery_90_plus": _share(late_cash, float(acc["balance_at_91"][c91].sum())),
    }


def roll_rates(acc: Arrays, warmup: int, days: int, writeoff_dpd: int,
               observed: int | None = None) -> dict[str, float]:
    """Share of each bucket's entrants that reached the next (account counts)."""
    seen = days if observed is None else observed
    c1 = cohort(acc["arrival_day"], warmup, _last_entry(days, seen, 30))
    c31 = bucket_cohort(acc, "entered_31", warmup, days, seen, 60)
    c91 = bucket_cohort(acc, "entered_91", warmup, days, seen, writeoff_dpd - 91)
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


def cohort_money(acc: Arrays, warmup: int, days: int, scale: int) -> dict[str, float]:
    """Money of the measured cohorts to resolution, in major units.

    The cohorts are the accounts entering collections from the warm-up day to the
    horizon; the run-off followed them until they resolved (see :mod:`sim.runoff`). An
    account's **loss** is its charge-off plus any settlement discount, net of every
    recovery after charge-off within the stated tail (agency, legal, collateral, debt
    agency; simulated, plus the expected rest of the tail) -- and any balance still open
    when the run stopped, counted as lost. A cure whose re-default window outlasts the
    simulated draws adds its expected re-default loss to ``loss`` (not to
    ``net_charge_off``, which is realised charge-off only), its expected cash after
    re-defaulting to ``collected``, its expected take-back to ``balance_restored`` and
    its chance to ``redefault_rate`` (columns ``redefault_*`` of the account summary;
    see :mod:`sim.runoff`).
    """
    c = cohort(acc["arrival_day"], warmup, days - 1)

    def total(key: str) -> float:
        return float(np.asarray(acc[key])[c].sum()) / scale

    entry = total("balance_at_1")
    charged_off = total("charged_off_amount")
    net_charge_off = charged_off - total("recovered_after_co") - total("tail_value")
    forgiven = total("forgiven")
    # Re-default risk past the last simulated draw, at its expected value (zero where
    # the run simulated every window out, or without re-default).
    redefault_loss = total("redefault_loss") if "redefault_loss" in acc else 0.0
    loss = net_charge_off + forgiven + total("open_balance") + redefault_loss
    # Every account that cured at least once: by paying up, by completing a plan (still
    # cured at the end), or that re-defaulted since (it had cured first).
    cured = c & (acc["returned_to_current"] | (acc["state"] == State.CURED)
                 | (acc["redefaults"] > 0))
    redefaulted = float((cured & (acc["redefaults"] > 0)).sum())
    if "redefault_chance" in acc:
        redefaulted += float(np.asarray(acc["redefault_chance"])[cured].sum())
    valued = "redefault_collected" in acc
    return {
        "cohort_balance": entry,
        "loss": loss,
        "loss_rate": _share(loss, entry),
        "net_charge_off": net_charge_off,
        "net_charge_off_rate": _share(net_charge_off, entry),
        "written_off": charged_off + forgiven,
        "collected": total("collected") + (total("redefault_collected") if valued else 0.0),
        "balance_restored": total("restored_balance")
                            - (total("redefault_restored") if valued else 0.0),
        "redefault_rate": _share(redefaulted, float(cured.sum())),
    }


TWIN_KEYS = ("loss", "collected")
"""What the untreated twin's run contributes to the treated run's KPIs."""


def value_over_untreated(own: Mapping[str, float], twin: Mapping[str, float] | None,
                         total_cost: float) -> dict[str, float]:
    """Loss avoided and net benefit against the untreated twin (NaN without a twin).

    The twin is the same book with the same random numbers and no treatment at all, so
    the difference is what the collection operation bought with its cost.
    """
    if twin is None:
        nan = math.nan
        return {"loss_untreated": nan, "loss_avoided": nan, "incremental_collected": nan,
                "net_benefit": nan, "benefit_cost_ratio": nan}
    avoided = twin["loss"] - own["loss"]
    return {
        "loss_untreated": twin["loss"],
        "loss_avoided": avoided,
        "incremental_collected": own["collected"] - twin["collected"],
        "net_benefit": avoided - total_cost,
        "benefit_cost_ratio": _share(avoided, total_cost),
    }


def flows(daily: Arrays, warmup: int) -> dict[str, float]:
    """Money, activity and service KPIs from the daily rows after the warm-up."""
    keep = daily["day"] >= warmup

    def total(key: str) -> float:
        return float(np.asarray(daily[key])[keep].sum())

    cost = total("cost_total")
    offered = total("inbound_offered")
    return {
        "total_cost": cost,
        "complaints_total": total("complaints"),
        "breaches": total("breaches"),
        "agent_utilisation": _share(total("handle_minutes") + total("inbound_busy_minutes"),
                                    total("agent_available_minutes")),
        "inbound_service_level": _share(total("inbound_within_sl"), offered),
        "inbound_abandon_rate": _share(total("inbound_abandoned"), offered),
        "inbound_asa_seconds": _share(60 * total("inbound_wait_minutes"), offered),
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
    observed = days + int(meta.get("runoff_days", 0))
    out.update(recovery_rates(acc, warmup, days, observed))
    out.update(roll_rates(acc, warmup, days, writeoff_dpd, observed))
    out.update(flows(daily, warmup))
    out.update(first_contact(acc, warmup))
    out.update(cohort_money(acc, warmup, days, scale))
    out["roi"] = _share(out["collected"], out["total_cost"])
    out["cost_per_collected"] = _share(out["total_cost"], out["collected"])
    out.update(value_over_untreated(out, meta.get("twin"), out["total_cost"]))
    accounts = float(meta["accounts"])
    out["accounts"] = accounts
    out["complaints_per_1000"] = _share(1000 * out.pop("complaints_total"), accounts)
    out["opening_balance"] = led["opening"] / scale
    out["outstanding_end"] = float(meta["outstanding_in_collections"]) / scale
    out["score_auc"] = float(meta["score_auc"])
    return out
