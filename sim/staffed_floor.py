"""The floor component: the SimPy clock, the collectors on their shifts and the inbound line.

A collections floor is people on shifts: each team's headcount is split over its
shifts, and each shift's people over outbound dialling and the inbound line
(:mod:`sim.headcount`, the one copy of that arithmetic). :class:`StaffedFloor` builds
that from the scenario -- the collectors, the inbound seat roster, the minutes each
team has available and the daily staff cost -- and owns the SimPy environment, the
outbound :class:`sim.floor.Floor` and the :class:`sim.floor.InboundDesk`.

What the floor needs of the book it is handed explicitly: a ``draw`` callback that
gives the pre-drawn call outcomes of accounts entering a pass, and (under a quiet rule)
the book's "spoken to today" column, which the collectors read to skip such debtors.
It never books money; the evening reads what happened from :meth:`Floor.harvest` and
:meth:`InboundDesk.close_day` and books it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import simpy

from sim.calendar import MINUTES_PER_DAY, Calendar
from sim.floor import Collector, DrawFn, Floor, InboundDesk
from sim.headcount import inbound_people, inbound_seats, largest_remainder
from sim.rng import Streams
from sim.scenario.root import Scenario
from sim.stages import STAGE_NAMES

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]


class CountingEnvironment(simpy.Environment):
    """A SimPy environment that counts the events it processes."""

    def __init__(self) -> None:
        super().__init__()
        self.events_processed = 0

    def step(self) -> None:
        self.events_processed += 1
        super().step()


class StaffedFloor:
    """The floor component (see the module docstring)."""

    __slots__ = (
        "_handle_cv",
        "_handle_dist",
        "_inbound_handle",
        "available_in",
        "available_out",
        "collector_team",
        "collectors",
        "desk",
        "env",
        "inbound_route",
        "outbound",
        "rosters",
        "staff_cost",
        "team_names",
        "team_of_stage",
    )

    def __init__(self, sc: Scenario, cal: Calendar, streams: Streams, *, span: int, scale: int,
                 hour_profile: F64, draw: DrawFn, record_blocks: bool) -> None:
        staffing = sc.staffing
        self.team_names = tuple(staffing.teams)
        teams = list(staffing.teams.values())
        self.env = CountingEnvironment()
        handle = np.array([[t.handle_times.no_answer, t.handle_times.wrong_party,
                            t.handle_times.rpc, t.handle_times.ptp] for t in teams]).reshape(-1, 4)
        self.outbound = Floor(
            self.env,
            team_count=len(teams),
            block_minutes=staffing.block_minutes,
            shrinkage=[t.shrinkage for t in teams],
            handle_means=handle,
            hour_profile=hour_profile,
            retry_gap=float(sc.strategy.retry_gap_minutes),
            draw=draw,
            record_blocks=record_blocks,
        )
        stage_team = np.full(3, -1, np.int8)
        for s, stage in enumerate(STAGE_NAMES):
            for i, t in enumerate(teams):
                if stage in t.stages:
                    stage_team[s] = i
                    break
        self.team_of_stage = stage_team
        """The team working each stage (-1: none)."""
        # Collectors, inbound seats and the daily staff cost, shift by shift.
        self.collectors: list[Collector] = []
        staff_cost = np.zeros(span)
        self.available_out = np.zeros((len(teams), span))
        """Outbound minutes each team has on each day, net of shrinkage."""
        self.available_in = np.zeros((len(teams), span))
        """Inbound seat minutes each team has on each day."""
        rosters: list[list[tuple[float, int]]] = []
        capacities: list[int] = []
        business = cal.is_business_day
        for ti, (name, team) in enumerate(staffing.teams.items()):
            counts = largest_remainder(team.headcount, [s.share for s in team.shifts])
            skills = streams[f"skill:{name}"].normal(0.0, team.skill_sd,
                                                     size=max(team.headcount, 1))
            k = 0
            per_day: list[list[tuple[int, int]]] = [[] for _ in range(span)]
            for shift, count in zip(team.shifts, counts, strict=True):
                inbound = inbound_people(count, team.inbound_share)
                seats = inbound_seats(count, team.inbound_share, team.shrinkage)
                length = shift.end_minute - shift.start_minute
                worked = np.ones(span, bool) if shift.days == "all" else business
                staff_cost += worked * count * length / 60 * team.hourly_cost
                self.available_out[ti] += worked * (count - inbound) * length * (1 - team.shrinkage)
                self.available_in[ti] += worked * seats * length
                for _ in range(count - inbound):
                    self.collectors.append(Collector(
                        id=len(self.collectors), team=ti, shift_start=shift.start_minute,
                        shift_end=shift.end_minute, all_days=shift.days == "all",
                        skill=float(skills[k])))
                    k += 1
                k += inbound
                if seats:
                    for wd in np.flatnonzero(worked).tolist():
                        per_day[wd] += [(shift.start_minute, seats), (shift.end_minute, -seats)]
            schedule: list[tuple[float, int]] = []
            peak = 0
            for day, moves in enumerate(per_day):
                level = 0
                for minute, delta in sorted(moves):
                    level += delta
                    peak = max(peak, level)
                    schedule.append((float(day * MINUTES_PER_DAY + minute), level))
            rosters.append(schedule)
            capacities.append(peak)
        self.staff_cost = np.round(staff_cost * scale).astype(np.int64)
        self.collector_team = np.array([c.team for c in self.collectors], np.int64)
        """Team of each collector (by id), to book calls per team."""
        """Each day's staff cost, minor units."""
        self.desk = InboundDesk(self.env, capacities,
                                sc.channels.inbound.service_level_seconds / 60)
        self.rosters = rosters
        # Where inbound calls go: the stage's team if it has seats, else any team with seats.
        with_seats = [i for i, c in enumerate(capacities) if c > 0]
        route = np.zeros(3, np.int64)
        for s in range(3):
            own = int(stage_team[s])
            if own >= 0 and capacities[own] > 0:
                route[s] = own
            else:
                route[s] = with_seats[0] if with_seats else max(own, 0)
        self.inbound_route = route
        """The team whose line answers each stage's callers."""
        self._handle_dist = staffing.handle_time_distribution
        self._handle_cv = staffing.handle_time_cv
        self._inbound_handle = np.array([t.handle_times.inbound for t in teams] or [6.0])

    @property
    def staffed(self) -> bool:
        """Whether anyone dials or answers the phone."""
        return bool(self.collectors) or any(self.desk.capacity)

    def keep_quiet_after_talking(self, spoke_today: npt.NDArray[np.bool_],
                                 on_answer: Callable[[int], None]) -> None:
        """A quiet period after a conversation: collectors skip the accounts flagged in
        ``spoke_today``, and ``on_answer(account)`` flags a debtor whose callback is
        answered (so nobody dials them again that day)."""
        self.outbound.skip_spoken(spoke_today)
        self.desk.when_answered(on_answer)

    def start(self, days: Any, span: int, business: npt.NDArray[np.bool_]) -> None:
        """Run ``days`` (the day process) with every collector and roster until it ends."""
        env = self.env
        days_proc = env.process(days)
        for c in self.collectors:
            env.process(self.outbound.collector_process(c, span, business))
        for t, schedule in enumerate(self.rosters):
            if schedule:
                env.process(self.desk.roster(t, schedule))
        env.run(until=days_proc)

    def handle_noise(self, rng: np.random.Generator, n: int) -> F64:
        """Multiplicative handle-time noise with mean 1."""
        if self._handle_dist == "exponential":
            return rng.exponential(1.0, n)
        sigma2 = math.log1p(self._handle_cv ** 2)
        return rng.lognormal(-sigma2 / 2, math.sqrt(sigma2), n)

    def inbound_service(self, team: I64, rng: np.random.Generator) -> F64:
        """Talk minutes of callers routed to ``team`` (the team's mean times noise)."""
        return self._inbound_handle[team] * self.handle_noise(rng, team.shape[0])

    def queue_callers(self, team: I64, account: I64, at: F64, patience: F64 | None,
                      service: F64, draw: F64) -> None:
        """Put today's callers on their team's line (a line with no seats loses them).

        ``patience`` is each caller's minutes before hanging up (``None``: they wait)."""
        desk = self.desk
        for t in [t for t, c in enumerate(desk.capacity) if c == 0]:
            desk.unanswered(t, int((team == t).sum()))
        waits: list[float | None] = ([None] * team.shape[0] if patience is None
                                     else patience.tolist())
        talk, u = service.tolist(), draw.tolist()
        for i, (t, acct, when) in enumerate(zip(team.tolist(), account.tolist(), at.tolist(),
                                                strict=True)):
            if desk.capacity[t] > 0:
                self.env.process(desk.caller(t, acct, when, waits[i], talk[i], u[i]))
