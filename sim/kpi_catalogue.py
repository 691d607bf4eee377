"""Names, units and meanings of the KPIs a run reports, and which way is better.

The source deck sets four kinds of target: recovery by bucket (at least 85 % of 1-30 DPD,
50 % of 90+), first contact within 3 business days, abusive-collection complaints as a
veto, and cost-benefit (measured here as loss avoided against the untreated twin per
unit of cost, ``benefit_cost_ratio``). This catalogue is the single
list of KPI names; scenario ``[targets]``, scorecards, experiment tables and the CLI all
refer to it. The formulas live in :mod:`sim.kpis`.

Recovery and roll rates are measured on **cohorts**: the accounts that entered
collections in the measured window (from the warm-up day to the horizon) and reached the
bucket early enough to have lived through it before the run ends (the run-off past the
horizon included). The starting book never counts: its accounts begin at their DPD with
a fresh delinquent's traits, not as survivors of the strategy, so the default run needs
no warm-up for these figures (a statistical test checks them against a long warm-up).
Money KPIs (loss, charge-off, collected,
balance restored) are on the accounts entering collections from the warm-up day to the
horizon, followed to resolution (:mod:`sim.runoff`), and compared with the untreated
twin for ``loss_avoided`` and ``net_benefit``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["min", "max"]
"""``max``: more is better (a target is a floor); ``min``: less is better (a ceiling)."""


@dataclass(frozen=True, slots=True)
class KpiInfo:
    """What a KPI means and how to read it."""

    name: str
    unit: str
    """``share`` (0-1), ``money`` (major units of the scenario currency), ``ratio``,
    ``days``, ``seconds``, ``count`` or ``per_1000``."""
    direction: Direction
    description: str


def _k(name: str, unit: str, direction: Direction, description: str) -> KpiInfo:
    return KpiInfo(name, unit, direction, description)


CATALOGUE: dict[str, KpiInfo] = {
    k.name: k
    for k in (
        _k("recovery_1_30", "share", "max",
           "Balance of accounts entering 1-30 DPD that is back to current, restructured "
           "or paid off before 31 DPD, over their balance on entry (the deck's M1 recovery)."),
        _k("recovery_31_90", "share", "max",
           "The same for accounts entering 31 DPD, resolved before 91 DPD."),
        _k("recovery_90_plus", "share", "max",
           "Cash collected from accounts after they reach 91 DPD (before write-off, and "
           "after it within the stated tail, the unsimulated rest at its expected value; "
           "agency gross) over their balance at 91 DPD, for cohorts observed 90 days."),
        _k("cure_rate", "share", "max",
           "Accounts entering collections at 1 DPD that returned to current (paid what was "
           "due or re-aged by a plan) before the horizon, over cohorts observed 30 days."),
        _k("redefault_rate", "share", "min",
           "Measured-cohort accounts that cured (paid up or completed a plan) and later "
           "fell behind again (re-entered collections), over those that cured; a cure "
           "whose re-default window outlasts the simulated days counts with its chance "
           "of re-defaulting in the rest of it (horizon.redefault_risk)."),
        _k("roll_1_30_to_31_90", "share", "min",
           "Accounts entering 1-30 DPD that reached 31 DPD."),
        _k("roll_31_90_to_90_plus", "share", "min",
           "Accounts entering 31 DPD that reached 91 DPD."),
        _k("roll_90_plus_to_writeoff", "share", "min",
           "Accounts entering 91 DPD that were charged off."),
        _k("cohort_balance", "money", "max",
           "Balance on entry (at 1 DPD) of the measured cohorts: accounts entering "
           "collections from the warm-up day to the horizon. The money KPIs below are on "
           "these accounts, followed past the horizon until each one resolved."),
        _k("loss", "money", "min",
           "What the measured cohorts lose: charge-offs plus settlement discounts, net of "
           "every recovery after charge-off (agency, legal, collateral, debt agency) within "
           "the stated post-write-off tail, whose unsimulated rest is valued in closed form; "
           "plus the expected loss of cures that may still re-default after the simulated "
           "days (horizon.redefault_risk)."),
        _k("loss_rate", "share", "min", "Loss over the cohorts' balance on entry."),
        _k("net_charge_off", "money", "min",
           "The cohorts' charge-offs net of every recovery after charge-off within the tail "
           "(realised charge-offs only: no settlement discounts, no expected re-default "
           "loss)."),
        _k("net_charge_off_rate", "share", "min",
           "Net charge-off over the cohorts' balance on entry."),
        _k("collected", "money", "max",
           "Cash the cohorts paid until they resolved, whatever the channel (before agency "
           "commission), including after write-off. A cure brings in only the arrears; see "
           "balance_restored for the rest."),
        _k("balance_restored", "money", "max",
           "The cohorts' balances returned to performing when they cured or were re-aged "
           "by a plan, taken back when the account fell behind again."),
        _k("total_cost", "money", "min",
           "Operating cost from the warm-up day to the horizon: staff, channels, agency "
           "commission, legal, repossession and complaints. In a steady flow it equals the "
           "cost of working one window's cohorts through their whole life."),
        _k("loss_untreated", "money", "min",
           "Loss of the same cohorts in the untreated twin: the same book and random "
           "numbers with no ladder and no staff."),
        _k("loss_avoided", "money", "max",
           "Loss untreated minus loss treated: the money the collection operation saved "
           "against doing nothing at all."),
        _k("incremental_collected", "money", "max",
           "Cash collected minus cash the untreated twin would have received anyway."),
        _k("net_benefit", "money", "max",
           "Loss avoided minus total cost: what the operation is worth after paying for "
           "itself. A manager should add staff while one more collector raises it."),
        _k("benefit_cost_ratio", "ratio", "max",
           "Loss avoided per unit of cost (the deck's cost-benefit, measured against the "
           "untreated twin so that letting accounts roll cannot inflate it)."),
        _k("roi", "ratio", "max",
           "Cash collected per unit of cost. Rewards letting accounts roll and pay late; "
           "prefer benefit_cost_ratio."),
        _k("cost_per_collected", "ratio", "min", "Cost per unit collected (1 / roi)."),
        _k("first_contact_bdays_mean", "days", "min",
           "Mean business days from entering collections to the first right-party "
           "conversation (agent, robot, field or inbound), over contacted accounts."),
        _k("first_contact_within_3bd", "share", "max",
           "Accounts reached within 3 business days of entering collections, over those "
           "entering that were not resolved without contact in that time."),
        _k("complaints_per_1000", "per_1000", "min",
           "Complaints per 1,000 accounts in collections during the run (veto item)."),
        _k("breaches", "count", "min",
           "Calls that broke the rule pack's contact policy (one per limit broken); zero "
           "whenever the policy is enforced."),
        _k("agent_utilisation", "share", "max",
           "Collector handle minutes over available minutes (on shift, net of shrinkage)."),
        _k("inbound_service_level", "share", "max",
           "Inbound calls answered within the service-level threshold over calls offered."),
        _k("inbound_abandon_rate", "share", "min",
           "Inbound calls that hung up before being answered over calls offered."),
        _k("inbound_asa_seconds", "seconds", "min",
           "Average speed of answer: mean wait of every inbound caller offered, answered "
           "or not (a caller who hangs up counts the time they waited). This is the "
           "Erlang convention of sim.experiments.erlang, so the two compare directly."),
        _k("rpc_rate", "share", "max", "Agent call attempts that reached the right party."),
        _k("ptp_rate", "share", "max", "Right-party conversations that ended in a promise."),
        _k("promise_kept_rate", "share", "max", "Promises falling due that were kept."),
        _k("contacts", "count", "max",
           "Right-party conversations of every kind (agent, robot, field, inbound)."),
        _k("agent_attempts", "count", "max", "Outbound agent call attempts."),
        _k("accounts", "count", "max", "Accounts in collections at any time during the run."),
        _k("opening_balance", "money", "max",
           "Balances of the day-0 book plus the inflow's balances on arrival."),
        _k("written_off", "money", "min",
           "The cohorts' gross charge-offs plus settlement discounts forgiven."),
        _k("outstanding_end", "money", "min", "Balance still owed by accounts in collections "
           "or in a plan at the horizon (a snapshot, before the run-off)."),
        _k("score_auc", "share", "max",
           "Realised AUC of the predictive score against the latent payer label."),
    )
}
"""Every KPI a run reports, by name."""

KPI_NAMES: tuple[str, ...] = tuple(CATALOGUE)

DERIVED_UNITS = {"net_value": "money"}
"""Units of measures the experiments build from KPIs (``net_value`` = collected + balance
restored - total cost; see sim.experiments.staffing)."""


def unit_of(name: str) -> str:
    """The unit of a KPI or derived measure; ``ratio`` for a name nobody defined.

    A per-group KPI (``"segment=card:loss"``, :mod:`sim.kpis_by`) has its KPI's unit.
    """
    head, sep, rest = name.partition(":")
    if sep and "=" in head:
        name = rest
    return CATALOGUE[name].unit if name in CATALOGUE else DERIVED_UNITS.get(name, "ratio")
