"""The collector floor: teams, shifts, skills and handle times.

Each team works one or more stages. Its ``headcount`` is split over shifts by share;
``shrinkage`` (breaks, training, meetings, absence) is the share of paid time off the
phones. A share ``inbound_share`` of the team on duty answers inbound calls instead of
dialling. Collectors differ in skill: the log-odds of getting a promise to pay moves by a
per-collector amount drawn once.

Handle time depends on how the call went (no answer is short, a promise long),
including after-call work.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sim.scenario.base import (
    Count,
    Finite,
    Money,
    Positive,
    Probability,
    Spec,
    Window,
    sized,
)
from sim.scenario.portfolio import StageName

Minutes = Annotated[Positive, Field(le=1440.0)]
"""A duration in minutes, at most one day."""


class Shift(Window):
    """A shift in site local time; it must lie inside one day."""

    share: Probability = 1.0
    """Share of the team's headcount on this shift; shares sum to 1."""
    days: Literal["business", "all"] = "business"
    """Worked on business days only, or every day (many Chinese centres work weekends)."""


class HandleTimes(Spec):
    """Mean minutes per call by outcome, including wrap-up."""

    no_answer: Minutes = 0.8
    """Dial, ring, voicemail. Manual dial reaches 100-120 calls a day (Lighthouse 2014) [L-M]."""
    wrong_party: Minutes = 1.5
    """Connected to someone else. Illustrative."""
    rpc: Minutes = 5.0
    """Right-party conversation without a promise. Illustrative; pyworkforce's worked
    example uses a 3-minute average handle time for inbound service calls [M]."""
    ptp: Minutes = 8.0
    """Right-party conversation ending in a promise or plan. Illustrative."""
    inbound: Minutes = 6.0
    """Inbound callback. Illustrative."""


class Team(Spec):
    """A team of collectors working some stages."""

    stages: list[StageName]
    """Stages whose accounts this team calls and whose callbacks it answers."""
    headcount: Annotated[Count, sized("headcount")]
    """Collectors on the team."""
    shifts: list[Shift] = Field(
        default_factory=lambda: [Shift(start="09:00", end="18:00", share=1.0)]
    )
    """Shifts the headcount is split over."""
    hourly_cost: Money = 40.0
    """Loaded cost per paid hour (major units). US collectors earn $10-20/h (CFPB 2016 via
    NCLC) [H]; the CNY default is illustrative."""
    shrinkage: Finite = Field(default=0.3, ge=0.0, lt=1.0)
    """Share of paid time off the phones; 0.3 is the planning convention in pyworkforce's
    examples [M]."""
    inbound_share: Probability = 0.0
    """Share of on-duty collectors answering inbound calls."""
    skill_sd: Annotated[Finite, Field(ge=0.0, le=10.0)] = 0.3
    """Spread (log-odds) of collector skill at winning a promise. Illustrative."""
    handle_times: HandleTimes = HandleTimes()
    """Mean handle time by outcome."""


class Staffing(Spec):
    """All teams and how their work is timed."""

    teams: dict[str, Team]
    """Teams by name."""
    block_minutes: Annotated[Positive, Field(ge=1.0, le=1440.0)] = 60.0
    """A collector takes this much work from the worklist at a time (a dialler batch);
    smaller is finer-grained and slower to simulate."""
    handle_time_distribution: Literal["lognormal", "exponential"] = "lognormal"
    """Shape of handle times around their means."""
    handle_time_cv: Annotated[Positive, Field(le=10.0)] = 0.5
    """Coefficient of variation of lognormal handle times."""
