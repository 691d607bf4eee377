"""Erlang C and Erlang A against the simulated inbound queue.

Workforce planners size an inbound line with a formula: Erlang C (callers wait for
ever) or Erlang A (callers hang up after an exponential patience). The simulator
instead queues each callback in SimPy. Before a manager trusts either for the early
team's inbound desk, it is worth seeing them side by side:

- where the formula's assumptions hold (steady staffing, Poisson arrivals,
  exponential handle times and patience), Erlang A and the simulation should agree
  within the simulation's confidence interval -- a check that the simulated queue is
  sound;
- Erlang C ignores abandonment, so it is the pessimistic textbook figure: it
  predicts a lower service level than callers who give up actually leave behind.

:func:`inbound_desk` reduces a scenario to such a queue: one team becomes a pure
inbound desk of ``seats`` agents (no shrinkage, no outbound dialling, one shift over
the line's opening hours every day), every other team stops answering, and handle
times become exponential. The rest of the scenario -- the book, the messages and
letters that prompt callbacks -- is unchanged, so the load is the scenario's own.

:func:`erlang_vs_simulation` runs the desk at several seat counts and, in each
replication, evaluates the formulas day by day at that day's arrival rate (calls
offered over the opening minutes), weighting days by their calls: the load varies
from day to day, and the formulas are not linear in it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Unpack

import numpy as np
import pandas as pd

from sim.experiments import stats
from sim.experiments.erlang import erlang_a, erlang_c
from sim.experiments.execution import ExecutionOptions, Run, execute

if TYPE_CHECKING:
    from matplotlib.figure import Figure

METRICS = ("service_level", "abandon_rate")
"""Compared metrics: share answered within the threshold, share hanging up."""


def inbound_desk(scenario: Any, team: str, seats: int, *, abandonment: bool = True) -> Any:
    """``scenario`` reduced to one inbound desk of ``seats`` agents on ``team``.

    ``abandonment=False`` makes callers wait for ever (the Erlang C world).
    """
    if seats < 1:
        raise ValueError(f"seats must be at least 1, got {seats}")
    teams = scenario.staffing.teams
    if team not in teams:
        raise ValueError(f"no team named {team!r}; teams: {', '.join(teams)}")
    hours = scenario.calendar.working_hours
    overrides: dict[str, Any] = {
        f"staffing.teams.{name}.inbound_share": 0.0 for name in teams if name != team
    }
    overrides.update({
        f"staffing.teams.{team}.headcount": seats,
        f"staffing.teams.{team}.inbound_share": 1.0,
        f"staffing.teams.{team}.shrinkage": 0.0,
        f"staffing.teams.{team}.shifts": [
            {"start": hours.start, "end": hours.end, "share": 1.0, "days": "all"}],
        "staffing.handle_time_distribution": "exponential",
    })
    if not abandonment:
        overrides["channels.inbound.patience_minutes"] = None
    return scenario.with_overrides(overrides)


def _desk(scenario: Any) -> tuple[int, float]:
    """Seats and mean inbound handle time of the scenario's one answering team."""
    desks = [t for t in scenario.staffing.teams.values() if t.inbound_share > 0]
    if len(desks) != 1:
        raise ValueError("expected a scenario from inbound_desk (one answering team)")
    return int(desks[0].headcount), float(desks[0].handle_times.inbound)


@cache
def _formulas(calls: int, open_minutes: float, handle: float, patience: float | None,
              seats: int, within: float) -> tuple[float, float, float, float]:
    """Erlang C and A service level and abandonment for one day's calls."""
    rate = calls / open_minutes
    c = erlang_c(rate, handle, seats, within)
    a = c if patience is None else erlang_a(rate, handle, patience, seats, within)
    return c.service_level, c.abandon_probability, a.service_level, a.abandon_probability


def queue_run(run: Run) -> dict[str, float]:
    """Simulate one desk replication; return simulated and predicted metrics.

    A run function for :func:`sim.experiments.execution.execute` (module level, so
    it pickles to worker processes and Dask).
    """
    from sim import simulate

    scenario = run.scenario
    result = simulate(scenario, seed=run.seed, replication=run.replication)
    seats, handle = _desk(scenario)
    inbound = scenario.channels.inbound
    hours = scenario.calendar.working_hours
    open_minutes = float(hours.end_minute - hours.start_minute)
    offered = np.asarray(result.daily_columns["inbound_offered"], dtype=np.int64)
    sums, total = np.zeros(4), 0
    for calls in offered[offered > 0].tolist():
        sums += calls * np.asarray(_formulas(
            calls, open_minutes, handle, inbound.patience_minutes, seats,
            inbound.service_level_seconds / 60.0))
        total += calls
    c_sl, c_ab, a_sl, a_ab = (sums / total).tolist() if total else [math.nan] * 4
    kpis = result.kpi_values
    return {
        "seats": float(seats),
        "calls_per_day": float(offered.mean()) if offered.size else math.nan,
        "offered_load": total / (offered.size * open_minutes) * handle if offered.size else 0.0,
        "simulated_service_level": kpis["inbound_service_level"],
        "simulated_abandon_rate": kpis["inbound_abandon_rate"],
        "erlang_a_service_level": float(a_sl),
        "erlang_a_abandon_rate": float(a_ab),
        "erlang_c_service_level": float(c_sl),
        "erlang_c_abandon_rate": float(c_ab),
    }


def erlang_vs_simulation(
    scenario: Any,
    team: str,
    seats: Sequence[int],
    replications: int = 10,
    seed: int = 0,
    *,
    abandonment: bool = True,
    confidence: float = stats.CONFIDENCE,
    **execution: Unpack[ExecutionOptions],
) -> pd.DataFrame:
    """Simulated inbound service level and abandonment next to Erlang C and A.

    One row per seat count: ``seats``, ``calls_per_day``, ``offered_load`` (Erlangs),
    ``answer_within_seconds`` (the service-level threshold), then for each metric in
    :data:`METRICS` the simulated mean with its interval (``simulated_<m>``, ``_low``,
    ``_high``) and the Erlang A and C predictions (``erlang_a_<m>``, ``erlang_c_<m>``).
    Execution options as for every experiment; results are never cached (the cache
    holds plain KPI runs).
    """
    if replications < 1:
        raise ValueError(f"replications must be at least 1, got {replications}")
    if not seats:
        raise ValueError("give at least one seat count")
    options: ExecutionOptions = {**execution, "run": queue_run}
    options.pop("cache", None)
    desks = [inbound_desk(scenario, team, n, abandonment=abandonment) for n in seats]
    runs = [Run(desk, seed, k) for desk in desks for k in range(replications)]
    values = execute(runs, description="inbound desk", **options)
    tidy = pd.DataFrame(values)
    rows = []
    for n in sorted(set(tidy["seats"].astype(int))):
        part = tidy[tidy["seats"] == n]
        row: dict[str, float] = {
            "seats": n, "calls_per_day": part["calls_per_day"].mean(),
            "offered_load": part["offered_load"].mean(),
            "answer_within_seconds": scenario.channels.inbound.service_level_seconds}
        for metric in METRICS:
            ci = stats.t_interval(part[f"simulated_{metric}"].to_numpy(), confidence)
            # Shares: a t interval may spill past 0 or 1; clip it to what can happen.
            row.update({f"simulated_{metric}": ci.mean,
                        f"simulated_{metric}_low": float(np.clip(ci.low, 0.0, 1.0)),
                        f"simulated_{metric}_high": float(np.clip(ci.high, 0.0, 1.0)),
                        f"erlang_a_{metric}": part[f"erlang_a_{metric}"].mean(),
                        f"erlang_c_{metric}": part[f"erlang_c_{metric}"].mean()})
        rows.append(row)
    return pd.DataFrame(rows)


def plot_erlang_vs_simulation(table: pd.DataFrame,
                              title: str = "Inbound line: simulation against Erlang") -> Figure:
    """Service level and abandonment per seat count: simulated (with CI), Erlang A and C."""
    from sim import style

    fig = style.figure(10.0, 4.2)
    panels = fig.subplots(1, 2)
    within = float(table["answer_within_seconds"].iloc[0])
    names = {"service_level": f"Answered within {within:g} seconds",
             "abandon_rate": "Callers who hung up before an answer"}
    for ax, metric in zip(panels, METRICS, strict=True):
        x = table["seats"]
        mid = table[f"simulated_{metric}"]
        ax.errorbar(x, mid, yerr=[mid - table[f"simulated_{metric}_low"],
                                  table[f"simulated_{metric}_high"] - mid],
                    fmt="o", color=style.BLUE, capsize=4, label="simulation (95% CI)")
        ax.plot(x, table[f"erlang_a_{metric}"], color=style.GREEN, linewidth=1.8,
                label="Erlang A (with abandonment)")
        ax.plot(x, table[f"erlang_c_{metric}"], color=style.RED, linestyle="--",
                linewidth=1.4, label="Erlang C (nobody hangs up)")
        ax.set_xticks(list(x))
        ax.yaxis.set_major_formatter(style.share_formatter())
        top = 1.0 if metric == "service_level" else 1.15 * max(
            0.01, float(table[f"simulated_{metric}_high"].max()),
            float(table[f"erlang_a_{metric}"].max()))
        ax.set_ylim(-0.03 * top, 1.02 * top)
        style.frame(ax, title=names[metric], xlabel="agents on the inbound line",
                    ylabel="share of calls offered")
    panels[0].legend(loc="lower right", frameon=False, fontsize=8)
    style.heading(fig, title)
    return fig
