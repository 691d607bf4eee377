"""Staffing sizing: the fewest collectors that meet the targets, and what one more buys.

Managers ask "how many collectors does the early team need to recover 85 % of
1-30 DPD balances?". More collectors mean more calls, earlier first contact and a
better-answered inbound line, so every target improves (weakly) with headcount,
while the salary bill grows linearly. :func:`size_staff` therefore searches for the
smallest headcount meeting the targets with a monotone search (gallop, then
bisect; see :mod:`sim.experiments.search`) instead of trying every headcount.

**Meeting the targets with confidence p** has two readings, both offered:

- ``criterion="probability"`` (default): the share of simulated periods
  (replications) in which *every* target is met is at least ``p``, shown by the
  one-sided 95 % Clopper-Pearson lower bound of that share (18 of 20 periods do not
  show 90 %; 29 of 29 do). This is the manager's question ("how sure am I that next
  quarter hits the numbers?"); run-to-run variation in who falls delinquent is part of
  the risk. Too few replications to ever show ``p`` is refused up front, with the
  number needed.
- ``criterion="mean"``: the one-sided ``p`` confidence bound of each KPI's mean
  meets its target, i.e. we are ``p``-confident the *average* period does.

**Warm start.** When the targets include the inbound service level or abandonment
and the team answers inbound calls, the search starts from an Erlang A estimate:
the inbound load seen in the first evaluation (calls per open minute, handle time,
patience) gives the agents needed on the line, scaled up by the team's inbound
share and shrinkage. Otherwise it starts from today's headcount.

Every headcount is simulated with the same seeds (common random numbers), so the
frontier (recovery, net charge-off, cost and cost per unit collected against
headcount) is smooth, and the marginal value of one more collector is a paired
difference with its interval.

**Net benefit** (``loss_avoided - total_cost``, against the untreated twin) is what
the frontier shows by headcount: :attr:`StaffingPlan.best_net_benefit` is the
evaluated headcount that maximises it, next to the smallest one meeting the targets,
and :attr:`StaffingPlan.binding` names the target that decides the recommendation.

**Net value** (kept for comparison) is what the collector resolves, net of cost: extra
cash collected plus extra balance returned to performing (cures and re-aged plans),
minus extra cost. Cash alone would mislead: an account cured at 20 DPD pays only its
arrears now and the rest on schedule, while one that rolls to 91+ DPD and then pays in
full shows the whole balance as cash. A bigger early team turns the second kind into the
first, so cash collected can fall while the book gets healthier. Counting a restored
balance at face value ignores re-default risk and the time value of money, so read net
value as an upper bound on what a cure is worth and weigh it with net charge-off.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, Unpack

import numpy as np
import pandas as pd

from sim.errors import ConfigError, Problem, suggest
from sim.experiments import stats
from sim.experiments.execution import ExecutionOptions, Run, execute
from sim.experiments.search import NotReachableError, smallest_satisfying
from sim.headcount import inbound_seats as shift_seats
from sim.headcount import largest_remainder
from sim.style import currency_of

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TOTAL = "total"
"""Pseudo-team: size all teams together, keeping today's mix."""

FRONTIER_KPIS = ("recovery_1_30", "recovery_31_90", "recovery_90_plus", "loss_rate",
                 "loss_avoided", "net_benefit", "benefit_cost_ratio", "net_charge_off",
                 "collected", "total_cost", "cost_per_collected", "roi",
                 "first_contact_within_3bd", "complaints_per_1000",
                 "inbound_service_level", "inbound_abandon_rate", "agent_utilisation")
MARGINAL_KPIS = ("net_benefit", "loss_avoided", "loss_rate", "net_value", "collected",
                 "balance_restored", "total_cost", "net_charge_off",
                 "recovery_1_30", "recovery_31_90", "recovery_90_plus")
BOUND_LEVEL = 0.95
"""Level of the one-sided Clopper-Pearson lower bound on the share of periods meeting
every target (``criterion="probability"``)."""
Criterion = Literal["probability", "mean"]
SOURCE = "staffing request"


@dataclass(frozen=True)
class StaffingPlan:
    """The recommendation, the frontier behind it and the value of one more collector."""

    team: str
    headcount: int
    """Recommended headcount (for ``team="total"``: all teams together)."""
    current: int
    """Headcount in the scenario as given."""
    targets: dict[str, float]
    confidence: float
    criterion: str
    frontier: pd.DataFrame
    """One row per headcount evaluated: ``headcount``, ``share_met``, its Clopper-Pearson
    lower bound ``share_met_low``, ``met``, ``binding`` (the target met in the fewest
    replications there), ``met_<kpi>`` (share of replications meeting each target), and
    ``<kpi>_mean``, ``<kpi>_ci_low``, ``<kpi>_ci_high`` for the frontier KPIs."""
    runs: pd.DataFrame
    """One row per headcount and replication, with every KPI."""
    marginal: pd.DataFrame
    """Paired change per KPI from ``headcount`` to ``headcount + 1`` with its CI;
    ``net_value`` is extra cash collected plus extra balance restored minus extra cost."""
    erlang_start: int | None = None
    """Headcount suggested by Erlang A for the inbound line, if used as the start."""
    searched: list[int] = field(default_factory=list)
    """Headcounts in the order the search evaluated them."""
    currency: str = ""
    """ISO code of the scenario's amounts, for the money axes of :meth:`plot`."""

    @property
    def marginal_value(self) -> float:
        """Mean extra net benefit (loss avoided - cost) of one more collector."""
        row = self.marginal[self.marginal["kpi"] == "net_benefit"]
        return float(row["difference"].iloc[0]) if not row.empty else math.nan

    @property
    def best_net_benefit(self) -> int | None:
        """The evaluated headcount with the highest mean net benefit (None without a
        twin). Only headcounts on the frontier are compared: pass ``frontier=`` to
        :func:`size_staff` to widen the comparison."""
        column = "net_benefit_mean"
        if column not in self.frontier or self.frontier[column].isna().all():
            return None
        values = self.frontier[column].to_numpy(dtype=float)
        return int(self.frontier["headcount"].to_numpy()[int(np.nanargmax(values))])

    @property
    def binding(self) -> str:
        """The target met least often at the recommended headcount."""
        row = self.frontier[self.frontier["headcount"] == self.headcount]
        return str(row["binding"].iloc[0]) if not row.empty else ""

    def plot(self) -> Figure:
        from sim.experiments import plots

        recovery = next((k for k in self.targets if k.startswith("recovery")), "recovery_1_30")
        return plots.frontier(self.frontier, recommended=self.headcount, recovery=recovery,
                              targets=self.targets, currency=self.currency,
                              title=f"Staffing frontier, team {self.team}")

    def __repr__(self) -> str:
        return (f"StaffingPlan(team={self.team!r}, headcount={self.headcount}, "
                f"current={self.current}, binding={self.binding!r}, "
                f"best_net_benefit={self.best_net_benefit}, "
                f"marginal_value={self.marginal_value:.6g})")

    def _repr_html_(self) -> str:
        means = [c for c in self.frontier.columns if c.endswith("_mean")]
        table = self.frontier[["headcount", "met", "share_met", *means]]
        return (f"<p>{self!r}</p>{table.to_html(index=False)}"
                f"<p><b>One more collector</b></p>{self.marginal.to_html(index=False)}")


def check_request(
    scenario: Any, team: str, targets: Mapping[str, float], confidence: float
) -> dict[str, float]:
    """Validate the team, the targets and the confidence; return the targets to use."""
    from sim.kpi_catalogue import CATALOGUE

    teams = list(scenario.staffing.teams)
    problems = []
    if team != TOTAL and team not in teams:
        problems.append(Problem("team", f"no team named {team!r}", None,
                                "one of: " + ", ".join([*teams, TOTAL]),
                                suggest(team, [*teams, TOTAL])))
    chosen = dict(targets) if targets else dict(scenario.targets)
    if not chosen:
        problems.append(Problem("targets", "no targets to meet", None,
                                "targets in the scenario's [targets] or given explicitly, "
                                "e.g. recovery_1_30=0.85"))
    for name, value in chosen.items():
        info = CATALOGUE.get(name)
        if info is None:
            problems.append(Problem(f"targets.{name}", "unknown KPI", None,
                                    "a KPI name such as recovery_1_30",
                                    suggest(name, CATALOGUE)))
        elif not math.isfinite(value) or (info.unit == "share" and not 0 <= value <= 1):
            problems.append(Problem(f"targets.{name}", "impossible target", value,
                                    "a share from 0 to 1" if info.unit == "share"
                                    else "a finite number"))
        elif info.unit == "share" and value == (1.0 if info.direction == "max" else 0.0) and \
                name.startswith(("recovery", "inbound")):
            problems.append(Problem(f"targets.{name}", "a perfect score is not reachable", value,
                                    "a share strictly inside (0, 1)"))
    if not 0 < confidence < 1:
        problems.append(Problem("confidence", "confidence must lie strictly between 0 and 1",
                                confidence, "e.g. 0.9"))
    if problems:
        raise ConfigError(SOURCE, problems)
    return chosen


def headcount_overrides(scenario: Any, team: str, headcount: int) -> dict[str, int]:
    """The override setting ``team`` (or all teams, keeping the mix) to ``headcount``."""
    teams = scenario.staffing.teams
    if team != TOTAL:
        return {f"staffing.teams.{team}.headcount": headcount}
    current = [float(t.headcount) for t in teams.values()]
    counts = largest_remainder(headcount, current if sum(current) > 0 else [1.0] * len(teams))
    return {f"staffing.teams.{name}.headcount": c for name, c in zip(teams, counts, strict=True)}


def current_headcount(scenario: Any, team: str) -> int:
    teams = scenario.staffing.teams
    if team == TOTAL:
        return int(sum(t.headcount for t in teams.values()))
    return int(teams[team].headcount)


def _meets_one(value: float, name: str, target: float) -> bool:
    from sim.targets import is_met

    return is_met(name, target, value)


def success_lower_bound(successes: int, trials: int, level: float = BOUND_LEVEL) -> float:
    """One-sided Clopper-Pearson lower bound on a success probability.

    The exact binomial bound: the smallest ``p`` for which seeing ``successes`` or more
    in ``trials`` still has probability ``1 - level``. With every trial a success it is
    ``(1 - level) ** (1 / trials)``, so 4 successes out of 4 bound the rate only above
    0.47 at 95 %.
    """
    from scipy.stats import beta

    if trials <= 0 or successes <= 0:
        return 0.0
    return float(beta.ppf(1.0 - level, successes, trials - successes + 1))


def replications_needed(share: float, confidence: float, level: float = BOUND_LEVEL,
                        ceiling: int = 100_000) -> int | None:
    """Fewest replications whose lower bound reaches ``confidence`` if ``share`` of them
    meet the targets (None if ``share`` does not exceed ``confidence``)."""
    if share <= confidence:
        return None
    trials = 1
    while trials <= ceiling:
        if success_lower_bound(math.floor(share * trials + 1e-9), trials, level) >= confidence:
            return trials
        trials = trials + 1 if trials < 64 else math.ceil(trials * 1.1)
    return None


def meets(
    values: Sequence[Mapping[str, float]], targets: Mapping[str, float], confidence: float,
    criterion: Criterion, level: float = BOUND_LEVEL,
) -> tuple[bool, float]:
    """Whether runs meet the targets at ``confidence``; also the share of runs meeting all.

    ``probability``: the Clopper-Pearson lower bound (at ``level``) of the share of runs
    meeting every target must reach ``confidence``, so that 18 of 20 never passes for
    "90 %". ``mean``: each KPI's one-sided ``confidence`` bound meets its target.
    """
    from sim.kpi_catalogue import CATALOGUE

    hits = [all(_meets_one(v[k], k, t) for k, t in targets.items()) for v in values]
    share = float(np.mean(hits))
    if criterion == "probability":
        return success_lower_bound(sum(hits), len(hits), level) >= confidence, share
    for name, target in targets.items():
        sign = 1.0 if CATALOGUE[name].direction == "max" else -1.0
        bound = stats.lower_bound([sign * v[name] for v in values], confidence)
        if math.isnan(bound) or bound < sign * target:
            return False, share
    return True, share


def inbound_seats(team: Any, headcount: int, open_from: int, open_to: int) -> float:
    """Time-averaged inbound seats of ``team`` at ``headcount`` over the open hours.

    Mirrors how the floor staffs the line: the headcount is split over shifts (largest
    remainder), ``inbound_share`` of each shift answers inbound, less shrinkage.
    """
    counts = largest_remainder(headcount, [s.share for s in team.shifts])
    length = max(open_to - open_from, 1)
    total = 0.0
    for shift, count in zip(team.shifts, counts, strict=True):
        seats = shift_seats(count, team.inbound_share, team.shrinkage)
        overlap = min(shift.end_minute, open_to) - max(shift.start_minute, open_from)
        total += seats * max(overlap, 0) / length
    return total


def erlang_start(scenario: Any, team: str, targets: Mapping[str, float], seed: int) -> int | None:
    """Headcount at which Erlang A says the inbound line meets its targets, or None.

    One pilot run at today's staffing measures the inbound calls offered per open
    minute -- to ``team``'s own line (the daily records count each team's inbound
    calls), or to every line for ``"total"``. Erlang A assumes a steady arrival rate
    and one pooled line, so the estimate is a starting point for the search, not the
    answer.
    """
    from sim import simulate
    from sim.channels import inbound_column
    from sim.experiments.erlang import required_agents

    wanted = {"inbound_service_level", "inbound_abandon_rate"} & set(targets)
    teams = scenario.staffing.teams
    members = dict(teams) if team == TOTAL else {team: teams[team]}
    if not wanted or not any(t.inbound_share > 0 for t in members.values()):
        return None
    daily = simulate(scenario, seed=seed, replication=0).daily
    daily = daily[daily["day"] >= scenario.horizon.warmup_days]
    hours = scenario.calendar.working_hours
    open_minutes = max(hours.end_minute - hours.start_minute, 1)
    offered = "inbound_offered" if team == TOTAL else inbound_column("offered", team)
    rate = float(daily[offered].mean()) / open_minutes
    if not rate > 0:
        return None
    inbound = scenario.channels.inbound
    handle = float(np.mean([t.handle_times.inbound for t in members.values()]))
    needed = required_agents(
        rate, handle,
        service_level=min(targets.get("inbound_service_level", 0.0), 0.999),
        answer_within=inbound.service_level_seconds / 60.0,
        patience=inbound.patience_minutes,
        max_abandon=targets.get("inbound_abandon_rate", 1.0),
    ).agents

    def seats(headcount: int) -> float:
        split = headcount_overrides(scenario, team, headcount)
        return sum(inbound_seats(t, split[f"staffing.teams.{name}.headcount"],
                                 hours.start_minute, hours.end_minute)
                   for name, t in members.items())

    try:
        return smallest_satisfying(lambda h: seats(h) >= needed, start=current_headcount(
            scenario, team), lowest=1, highest=100_000)
    except NotReachableError:
        return None


def size_staff(
    scenario: Any,
    team: str = TOTAL,
    targets: Mapping[str, float] | None = None,
    confidence: float = 0.9,
    replications: int = 30,
    seed: int = 0,
    *,
    criterion: Criterion = "probability",
    bound_level: float = BOUND_LEVEL,
    min_headcount: int = 1,
    max_headcount: int | None = None,
    frontier: Iterable[int] = (),
    **execution: Unpack[ExecutionOptions],
) -> StaffingPlan:
    """Smallest headcount of ``team`` (or ``"total"``) meeting ``targets`` at ``confidence``.

    ``targets`` maps KPI names to numbers (direction implied by the KPI); default:
    the scenario's ``[targets]``. ``max_headcount`` bounds the search (default: four
    times today's headcount, at least 50); if the targets are still missed there, a
    :class:`ConfigError` says so. ``frontier``: extra headcounts to simulate for the
    frontier table and plot (the search itself only visits a handful). See the module
    docstring for ``criterion``.
    """
    if criterion not in ("probability", "mean"):
        raise ConfigError(SOURCE, [Problem("criterion", "unknown criterion", criterion,
                                           "probability or mean")])
    chosen = check_request(scenario, team, targets or {}, confidence)
    if criterion == "probability" and success_lower_bound(
            replications, replications, bound_level) < confidence:
        needed = replications_needed(1.0, confidence, bound_level)
        raise ConfigError(SOURCE, [Problem(
            "replications", f"{replications} replications cannot show {confidence:g} "
            f"confidence: even if every one met the targets, the {bound_level:.0%} "
            "Clopper-Pearson lower bound of the success rate would be "
            f"{success_lower_bound(replications, replications, bound_level):.3f}",
            replications, f"at least {needed} replications (all meeting the targets), "
            "or a lower confidence")])
    today = current_headcount(scenario, team)
    ceiling = max_headcount if max_headcount is not None else max(50, 4 * today)
    evaluated: dict[int, list[dict[str, float]]] = {}
    order: list[int] = []

    def evaluate(headcount: int) -> list[dict[str, float]]:
        if headcount not in evaluated:
            variant = scenario.with_overrides(headcount_overrides(scenario, team, headcount))
            runs = [Run(variant, seed, k) for k in range(replications)]
            evaluated[headcount] = execute(
                runs, **execution, description=f"{team} = {headcount}")
            order.append(headcount)
        return evaluated[headcount]

    def good_enough(headcount: int) -> bool:
        return meets(evaluate(headcount), chosen, confidence, criterion, bound_level)[0]

    start = min(max(today, min_headcount), ceiling)
    warm = erlang_start(scenario, team, chosen, seed) if execution.get("run") is None else None
    if warm is not None:
        start = min(max(warm, min_headcount), ceiling)
    try:
        best = smallest_satisfying(good_enough, start=start, lowest=min_headcount,
                                   highest=ceiling)
    except NotReachableError:
        top = evaluated.get(ceiling, [])
        share = meets(top, chosen, confidence, criterion, bound_level)[1] if top else 0.0
        needed = replications_needed(share, confidence, bound_level)
        more = (f"; {share:.0%} of {len(top)} replications met them at {ceiling}, so about "
                f"{needed} replications could show it" if needed and criterion ==
                "probability" and needed > replications else "")
        raise ConfigError(SOURCE, [Problem(
            "targets", f"not met with up to {ceiling} collectors ({team}) at confidence "
            f"{confidence:g}{more}", dict(chosen),
            "less demanding targets, a lower confidence, more replications, or a larger "
            "max headcount")]) from None
    evaluate(best + 1)  # the marginal collector
    for headcount in sorted(set(frontier)):
        if headcount >= 0:
            evaluate(headcount)
    plan = _plan(team, best, today, chosen, confidence, criterion, evaluated, order, warm,
                 bound_level)
    return replace(plan, currency=currency_of(scenario))


def _plan(
    team: str, best: int, today: int, targets: dict[str, float], confidence: float,
    criterion: Criterion, evaluated: Mapping[int, list[dict[str, float]]], order: list[int],
    warm: int | None, bound_level: float = BOUND_LEVEL,
) -> StaffingPlan:
    rows = [{"headcount": h, "replication": k, **v}
            for h in sorted(evaluated) for k, v in enumerate(evaluated[h])]
    runs = pd.DataFrame(rows)
    frontier_rows = []
    for h in sorted(evaluated):
        values = evaluated[h]
        met, share = meets(values, targets, confidence, criterion, bound_level)
        row: dict[str, Any] = {
            "headcount": h, "met": met, "share_met": share,
            "share_met_low": success_lower_bound(round(share * len(values)), len(values),
                                                 bound_level)}
        each = {k: float(np.mean([_meets_one(v[k], k, t) for v in values]))
                for k, t in targets.items()}
        row.update({f"met_{k}": v for k, v in each.items()})
        # The binding target: met least often (ties: the first listed).
        row["binding"] = min(each, key=lambda k: each[k]) if each else ""
        for kpi in FRONTIER_KPIS:
            if kpi in runs.columns:
                ci = stats.t_interval(runs.loc[runs["headcount"] == h, kpi].to_numpy())
                row.update({f"{kpi}_mean": ci.mean, f"{kpi}_ci_low": ci.low,
                            f"{kpi}_ci_high": ci.high})
        frontier_rows.append(row)
    pair = runs[runs["headcount"].isin([best, best + 1])].copy()
    if {"collected", "balance_restored", "total_cost"} <= set(pair.columns):
        pair["net_value"] = pair["collected"] + pair["balance_restored"] - pair["total_cost"]
    kpis = [k for k in MARGINAL_KPIS if k in pair.columns]
    marginal = stats.paired_differences(pair, by="headcount", champion=best, kpis=kpis)
    marginal = marginal.drop(columns=["challenger", "champion"]).rename(
        columns={"champion_mean": "mean_at", "challenger_mean": "mean_plus_one"}
    ).assign(**{"from": best, "to": best + 1})
    return StaffingPlan(team, best, today, targets, confidence, criterion,
                        pd.DataFrame(frontier_rows), runs, marginal, warm, list(order))
