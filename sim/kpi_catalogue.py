"""Names, units and meanings of the KPIs a run reports, and which way is better.

The source deck sets four kinds of target: recovery by bucket (at least 85 % of 1-30 DPD,
50 % of 90+), first contact within 3 business days, abusive-collection complaints as a
veto, and cost-benefit (amount collected per unit of cost). This catalogue is the single
list of KPI names; scenario ``[targets]``, scorecards, experiment tables and the CLI all
refer to it. The formulas live in :mod:`sim.kpis`.

Recovery and roll rates are measured on **cohorts**: the accounts that enter a bucket
during the run, after the warm-up, early enough to have lived through the whole bucket
before the horizon. Accounts already inside a bucket on day 0 are not counted for it.
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
           "Cash collected from accounts after they reach 91 DPD (before or after write-off, "
           "agency gross) over their balance at 91 DPD, for cohorts observed 90 days."),
        _k("cure_rate", "share", "max",
           "Accounts entering collections at 1 DPD that returned to current (paid what was "
           "due or re-aged by a plan) before the horizon, over cohorts observed 30 days."),
        _k("roll_1_30_to_31_90", "share", "min",
           "Accounts entering 1-30 DPD that reached 31 DPD."),
        _k("roll_31_90_to_90_plus", "share", "min",
           "Accounts entering 31 DPD that reached 91 DPD."),
        _k("roll_90_plus_to_writeoff", "share", "min",
           "Accounts entering 91 DPD that were charged off."),
        _k("net_charge_off", "money", "min",
           "Balances charged off at the write-off DPD minus recoveries after write-off."),
        _k("net_charge_off_rate", "share", "min",
           "Net charge-off over the balance of all accounts in the run (book plus inflow)."),
        _k("collected", "money", "max",
           "All cash received (before agency commission), including after write-off. A "
           "cure brings in only the arrears; see balance_restored for the rest."),
        _k("balance_restored", "money", "max",
           "Balances returned to performing when accounts cured or were re-aged by a plan "
           "(counted at that moment): the value of a cure that cash collected misses, since "
           "a cured loan is repaid later on its schedule."),
        _k("total_cost", "money", "min",
           "Staff, channel, agency commission, legal, repossession and complaint costs."),
        _k("roi", "ratio", "max", "Amount collected per unit of cost (the deck's cost-benefit)."),
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
           "Average speed of answer of inbound calls."),
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
           "Gross charge-offs plus settlement discounts forgiven."),
        _k("outstanding_end", "money", "min", "Balance still owed by accounts in collections "
           "or in a plan at the horizon."),
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
    """The unit of a KPI or derived measure; ``ratio`` for a name nobody defined."""
    return CATALOGUE[name].unit if name in CATALOGUE else DERIVED_UNITS.get(name, "ratio")
