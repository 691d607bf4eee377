"""Each team's outbound work, booked per day: what collector productivity is read from.

A floor manager compares teams on a few ratios per **collector-hour** (an hour a
collector was on the outbound floor, after shrinkage): dial attempts, conversations
(connected calls), promises to pay taken, and the cash that came in on those promises.
The daily records keep, per team ``t``:

- ``agent_attempts_t``, ``agent_connected_t``, ``agent_rpc_t``, ``agent_ptp_t`` (counts);
- ``handle_minutes_t`` and ``agent_available_minutes_t`` (outbound minutes);
- ``paid_on_promises_t``: cash paid on promises the team's collectors took (a kept
  promise, a settlement, a plan's first instalment), on the day it was paid.

The team totals add up to the floor's (``agent_attempts`` = the teams' sum, and so on).
Cash on promises is an attribution, not a separate flow: the same money is already in
``paid_promise``, ``paid_settlement`` or ``paid_plan``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sim.ledger import Amount, Count, Gauge, Ledger

OUTBOUND_COUNTS = ("agent_attempts", "agent_connected", "agent_rpc", "agent_ptp")
"""Per-team count columns, named ``<count>_<team>``."""

NO_TEAM = -1
"""``promise_team`` of a promise not taken by a collector (robot, inbound, field)."""


@dataclass(frozen=True)
class _TeamMeasures:
    counts: dict[str, tuple[Count, ...]]
    handle: tuple[Gauge, ...]
    available: tuple[Gauge, ...]
    cash: tuple[Amount, ...]


@functools.lru_cache(maxsize=64)
def _measures(teams: tuple[str, ...]) -> _TeamMeasures:
    # Built once per set of teams: a day's booking then only looks measures up.
    return _TeamMeasures(
        counts={k: tuple(Count(f"{k}_{t}") for t in teams) for k in OUTBOUND_COUNTS},
        handle=tuple(Gauge(f"handle_minutes_{t}") for t in teams),
        available=tuple(Gauge(f"agent_available_minutes_{t}") for t in teams),
        cash=tuple(amounts(teams)),
    )


def counts(teams: Sequence[str]) -> list[Count]:
    """The per-team outbound counts of a run with ``teams``."""
    return [Count(f"{kind}_{team}") for team in teams for kind in OUTBOUND_COUNTS]


def gauges(teams: Sequence[str]) -> list[Gauge]:
    """Per-team handle and available outbound minutes."""
    return [Gauge(f"{kind}_{team}") for team in teams
            for kind in ("handle_minutes", "agent_available_minutes")]


def amounts(teams: Sequence[str]) -> list[Amount]:
    """Per-team cash on the team's promises."""
    return [Amount(f"paid_on_promises_{team}") for team in teams]


def book_calls(ledger: Ledger, teams: Sequence[str], team_of_call: npt.NDArray[np.int64],
               code: npt.NDArray[np.int8], handle: npt.NDArray[np.float64],
               connected_from: int, rpc_from: int, ptp: int) -> None:
    """Count the day's outbound calls per team (``code``: the floor's outcome codes)."""
    size = len(teams)
    by = {
        "agent_attempts": np.bincount(team_of_call, minlength=size),
        "agent_connected": np.bincount(team_of_call[code >= connected_from], minlength=size),
        "agent_rpc": np.bincount(team_of_call[code >= rpc_from], minlength=size),
        "agent_ptp": np.bincount(team_of_call[code == ptp], minlength=size),
    }
    minutes = np.bincount(team_of_call, weights=handle, minlength=size)
    m = _measures(tuple(teams))
    for t in range(size):
        for kind, values in by.items():
            ledger.count(m.counts[kind][t], int(values[t]))
        ledger.gauge(m.handle[t], float(minutes[t]))


def book_available(ledger: Ledger, teams: Sequence[str],
                   minutes: npt.NDArray[np.float64]) -> None:
    """Each team's outbound minutes on the floor today."""
    for gauge, value in zip(_measures(tuple(teams)).available, minutes.tolist(), strict=True):
        ledger.gauge(gauge, value)


def book_promise_cash(ledger: Ledger, teams: Sequence[str], team: npt.NDArray[np.int8],
                      paid: npt.NDArray[np.int64]) -> None:
    """Cash (minor units) paid today on promises, credited to the team that took each."""
    mine = team >= 0
    if not mine.any():
        return
    cash = np.bincount(team[mine].astype(np.int64), weights=paid[mine], minlength=len(teams))
    for amount, value in zip(_measures(tuple(teams)).cash, cash.tolist(), strict=True):
        if value:
            ledger.amount(amount, round(value))


def teams_of_promises(accounts: npt.NDArray[np.int64], teams: npt.NDArray[np.int64],
                      made: npt.NDArray[np.int64]) -> npt.NDArray[np.int8]:
    """The team of the call that produced each promise in ``made`` (``accounts[i]`` was
    promised to ``teams[i]``; an account promised twice today keeps its last call's)."""
    order = np.argsort(accounts, kind="stable")
    sorted_accounts = accounts[order]
    last = np.searchsorted(sorted_accounts, made, side="right") - 1
    return teams[order][last].astype(np.int8)
