"""The collector floor in SimPy: collectors on shifts working prioritised worklists, and
inbound callbacks queueing for agents.

What competes for capacity is simulated as discrete events; everything else is a daily
batch. Each morning the engine hands every team a **worklist**: the accounts to dial,
sorted by the strategy's priority, split by debtor time zone so that nobody is dialled
outside their local window. Collectors are SimPy processes. On shift, a collector takes
a **work block** -- the next accounts on the list whose calls fill about
``staffing.block_minutes`` -- draws the block's outcomes in one vectorised step (the hour
of day and the collector's skill matter), and yields one timeout for the block. This is
how a dialler hands out batches, and it keeps SimPy at one event per block instead of one
per call (a 100-collector floor makes about 20,000 calls a day).

Unanswered accounts come back in a later **pass**, after ``strategy.retry_gap_minutes``,
up to the day's attempt allowance that the compliance policy left them.

Inbound callbacks (prompted by an SMS or a letter, or spontaneous) are individual SimPy
processes queueing for a team's inbound seats -- a ``PriorityResource`` whose capacity
follows the shift roster -- and hang up after an exponential patience. Reduced to this
queue alone, the model is an M/M/c+M system and is tested against Erlang C.

Shrinkage (breaks, coaching, absence) stretches each block: a collector with 30 %
shrinkage spends ``block / 0.7`` minutes of shift per block of handle time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import simpy

from sim.calendar import MINUTES_PER_DAY

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

SKIPPED, NO_ANSWER, WRONG_PARTY, RPC, PTP = -1, 0, 1, 2, 3
"""Outbound call outcome codes (a promise implies a right-party contact). ``SKIPPED``
marks an account passed over because the debtor spoke to us earlier in the day and the
policy wants a quiet period after a conversation."""


@dataclass(slots=True)
class CallDraws:
    """Per-account uniforms pre-transformed so that a block's outcomes are comparisons.

    A call reaches the right party when ``rpc_ratio < hour_factor`` (the ratio is the
    uniform over the base contact chance), connects at all when ``conn_ratio <
    hour_factor``, and ends in a promise when ``promise_gap < collector_skill``
    (``logit(u) - base promise log-odds``). ``noise`` scales the mean handle time.
    """

    rpc_ratio: F64
    conn_ratio: F64
    promise_gap: F64
    noise: F64


@dataclass(slots=True)
class Pass:
    """One sweep over a zone's worklist; later passes retry the unanswered."""

    account: I64
    priority: F64
    allowed: npt.NDArray[np.int8]
    number: int
    open_at: float
    draws: CallDraws
    pointer: int = 0
    code: npt.NDArray[np.int8] = field(default_factory=lambda: np.zeros(0, np.int8))
    start: F64 = field(default_factory=lambda: np.zeros(0))
    handle: F64 = field(default_factory=lambda: np.zeros(0))
    collector: npt.NDArray[np.int32] = field(default_factory=lambda: np.zeros(0, np.int32))

    def __post_init__(self) -> None:
        n = self.account.shape[0]
        self.code = np.zeros(n, np.int8)
        self.start = np.zeros(n)
        self.handle = np.zeros(n)
        self.collector = np.zeros(n, np.int32)


@dataclass(slots=True)
class ZoneList:
    """A team's worklist for debtors in one time zone, with the day's dialling window."""

    zone: int
    window_open: float
    """Absolute SimPy minute the zone's local dialling window opens today."""
    window_close: float
    local_offset: int
    """Debtor local minus site time, minutes."""
    passes: list[Pass]

    @property
    def current(self) -> Pass:
        return self.passes[-1]


@dataclass(frozen=True, slots=True)
class Collector:
    """One collector: team, shift and skill (log-odds added to promise chances)."""

    id: int
    team: int
    shift_start: int
    """Minutes after site midnight."""
    shift_end: int
    all_days: bool
    """Works every day (else business days only)."""
    skill: float


@dataclass(slots=True)
class TeamDay:
    """A team's outbound state for one day."""

    zones: list[ZoneList]
    day_start: float


@dataclass(slots=True)
class CallLog:
    """Outbound calls made today, gathered at the end of the day."""

    account: list[I64] = field(default_factory=list)
    code: list[npt.NDArray[np.int8]] = field(default_factory=list)
    start: list[F64] = field(default_factory=list)
    handle: list[F64] = field(default_factory=list)
    collector: list[npt.NDArray[np.int32]] = field(default_factory=list)


DrawFn = Callable[[I64], CallDraws]
"""Engine callback: call draws for accounts entering a pass."""


class Floor:
    """Worklists and collectors of every team."""

    def __init__(
        self,
        env: simpy.Environment,
        *,
        team_count: int,
        block_minutes: float,
        shrinkage: Sequence[float],
        handle_means: F64,
        hour_profile: F64,
        retry_gap: float,
        draw: DrawFn,
        record_blocks: bool,
    ) -> None:
        self.env = env
        self.block_minutes = block_minutes
        self.shrinkage = np.asarray(shrinkage, np.float64)
        self.handle_means = handle_means
        """(teams, 4) mean handle minutes by outcome code."""
        self.hour_profile = hour_profile
        self.retry_gap = retry_gap
        self.draw = draw
        self.teams: list[TeamDay | None] = [None] * team_count
        self.busy_minutes = np.zeros(team_count)
        self.blocks: list[tuple[int, float, float]] | None = [] if record_blocks else None
        """(collector, start, end) of every block, when recording (tests, event log)."""
        self.spoke_today: npt.NDArray[np.bool_] | None = None
        """When set (quiet-after-conversation enforced), accounts flagged here are skipped."""
        mean_guess = handle_means.mean(axis=1) if handle_means.size else np.ones(team_count)
        # Plain Python containers: a block reads them once each, and scalar indexing of
        # numpy arrays costs more than the arithmetic it feeds.
        self._mean_handle: list[float] = [float(m) for m in mean_guess]
        self._handle_by_team = [np.asarray(row, np.float64) for row in handle_means]
        self._hour_factor: list[float] = [float(h) for h in hour_profile]

    def skip_spoken(self, spoke_today: npt.NDArray[np.bool_]) -> None:
        """Skip accounts flagged in ``spoke_today`` (a quiet period after a conversation)."""
        self.spoke_today = spoke_today

    # -- the day's worklists ------------------------------------------------------------
    def set_worklist(self, team: int, day_start: float, zones: list[ZoneList]) -> None:
        """Install a team's worklist for the day (replacing yesterday's)."""
        self.teams[team] = TeamDay(zones=zones, day_start=day_start)

    def harvest(self) -> CallLog:
        """Every call made today, and clear the worklists."""
        log = CallLog()
        for t, team_day in enumerate(self.teams):
            if team_day is None:
                continue
            for zl in team_day.zones:
                for p in zl.passes:
                    k = p.pointer
                    if k:
                        made = p.code[:k] != SKIPPED
                        log.account.append(p.account[:k][made])
                        log.code.append(p.code[:k][made])
                        log.start.append(p.start[:k][made])
                        log.handle.append(p.handle[:k][made])
                        log.collector.append(p.collector[:k][made])
            self.teams[t] = None
        return log

    # -- collectors ---------------------------------------------------------------------
    def collector_process(
        self, c: Collector, days: int, business: npt.NDArray[np.bool_]
    ) -> Generator[simpy.Event, Any, None]:
        """A collector's working life: each worked day, blocks from shift start to end."""
        env = self.env
        stretch = 1.0 / (1.0 - float(self.shrinkage[c.team]))
        for day in range(days):
            if not (c.all_days or business[day]):
                continue
            start = day * MINUTES_PER_DAY + c.shift_start
            end = day * MINUTES_PER_DAY + c.shift_end
            if env.now < start:
                yield env.timeout(start - env.now)
            while env.now < end:
                step = self._work(c, float(env.now), end, stretch)
                if step is None:
                    break
                yield env.timeout(step)

    def _work(self, c: Collector, now: float, end: float, stretch: float) -> float | None:
        """Do one block (return its elapsed minutes), or return the wait until work may
        appear; ``None`` when nothing more can come today."""
        team_day = self.teams[c.team]
        if team_day is None:
            return None
        best: ZoneList | None = None
        best_priority = -math.inf
        next_time = math.inf
        for zl in team_day.zones:
            if now >= zl.window_close:
                continue
            p = self._open_pass(zl, now)
            if p is None:
                continue
            start_at = max(zl.window_open, p.open_at)
            if start_at > now:
                next_time = min(next_time, start_at)
                continue
            head = float(p.priority[p.pointer])
            if head > best_priority:
                best, best_priority = zl, head
        if best is None:
            if next_time >= end:
                return None
            return next_time - now
        budget = min(self.block_minutes, (end - now) / stretch)
        busy = self._block(c, best, now, budget)
        if busy <= 0.0:
            return None
        return busy * stretch

    def _open_pass(self, zl: ZoneList, now: float) -> Pass | None:
        """The zone's pass with work left, building the next retry pass when one ends."""
        p = zl.current
        if p.pointer < p.account.shape[0]:
            return p
        if p.account.shape[0] == 0:
            return None
        retry = (p.code == NO_ANSWER) & (p.allowed > p.number)
        retry[p.pointer:] = False
        if not retry.any():
            return None
        account = p.account[retry]
        first_start = float(p.start[retry][0])
        nxt = Pass(
            account=account,
            priority=p.priority[retry],
            allowed=p.allowed[retry],
            number=p.number + 1,
            open_at=max(now, first_start + self.retry_gap),
            draws=self.draw(account),
        )
        zl.passes.append(nxt)
        return nxt

    def _block(self, c: Collector, zl: ZoneList, now: float, budget: float) -> float:
        """Dial the next accounts of the zone's pass for up to ``budget`` minutes."""
        p = zl.passes[-1]
        i = p.pointer
        team = c.team
        mean = self._mean_handle[team]
        j = i + min(p.account.shape[0] - i, int(budget / mean * 1.5) + 2)
        hour_factor = self._hour_factor[int(((now + zl.local_offset) % MINUTES_PER_DAY) // 60)]
        d = p.draws
        rpc = d.rpc_ratio[i:j] < hour_factor
        code = (d.conn_ratio[i:j] < hour_factor).view(np.int8) + rpc.view(np.int8)
        code += (rpc & (d.promise_gap[i:j] < c.skill)).view(np.int8)
        handle = self._handle_by_team[team].take(code) * d.noise[i:j]
        if self.spoke_today is not None:
            skip = self.spoke_today[p.account[i:j]]
            if skip.any():
                code[skip] = SKIPPED
                handle[skip] = 0.0
        ends = handle.cumsum()
        starts = ends - handle
        # Calls must start inside the block budget and the debtor's window.
        m = int(starts.searchsorted(min(budget, zl.window_close - now)))
        if m == 0:
            return 0.0
        j = i + m
        p.code[i:j] = code[:m]
        p.start[i:j] = starts[:m] + now
        p.handle[i:j] = handle[:m]
        p.collector[i:j] = c.id
        p.pointer = j
        busy = float(ends[m - 1])
        self.busy_minutes[team] += busy
        # Learn the team's mean handle time so blocks are sized well.
        self._mean_handle[team] = 0.9 * mean + 0.1 * busy / m
        if self.blocks is not None:
            self.blocks.append((c.id, now, now + busy))
        return busy


# -- inbound --------------------------------------------------------------------------
@dataclass(slots=True)
class InboundStats:
    """One team's inbound counters for the current day."""

    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    within_sl: int = 0
    wait_total: float = 0.0
    busy: float = 0.0
    queue_area: float = 0.0
    """Integral of the number waiting over time (for Little's law)."""


@dataclass(slots=True)
class Answered:
    """Answered callbacks of the day (columns)."""

    account: list[int] = field(default_factory=list)
    time: list[float] = field(default_factory=list)
    wait: list[float] = field(default_factory=list)
    draw: list[float] = field(default_factory=list)
    team: list[int] = field(default_factory=list)


class InboundDesk:
    """Inbound seats of every team, with a roster that follows the shifts."""

    def __init__(self, env: simpy.Environment, capacities: Sequence[int],
                 service_level_minutes: float) -> None:
        self.env = env
        self.seats = [simpy.PriorityResource(env, capacity=max(c, 1)) for c in capacities]
        self.capacity = list(capacities)
        self._blockers: list[list[simpy.resources.resource.PriorityRequest]] = [
            [] for _ in capacities
        ]
        self.sl = service_level_minutes
        self.stats = [InboundStats() for _ in capacities]
        self.answered = Answered()
        self.abandoned_accounts: list[int] = []
        self.on_answer: Callable[[int], None] | None = None
        """Called with the account when a callback is answered (the engine's hook)."""
        self._waiting = [0] * len(capacities)
        self._queued: dict[int, int] = {}
        """Accounts with a caller waiting now, and how many (a queue can outlive its day)."""
        self._last_change = [0.0] * len(capacities)
        for t, cap in enumerate(capacities):
            if cap == 0:
                self._set_blockers(t, 1)  # a seatless team: the one placeholder seat is blocked
            else:
                self._set_blockers(t, cap)  # closed until the roster opens seats

    def when_answered(self, callback: Callable[[int], None]) -> None:
        """Call ``callback(account)`` whenever a callback is answered."""
        self.on_answer = callback

    def _set_blockers(self, team: int, count: int) -> None:
        """Hold ``count`` seats out of service (blockers jump the caller queue)."""
        blockers = self._blockers[team]
        while len(blockers) < count:
            blockers.append(self.seats[team].request(priority=-1))
        while len(blockers) > count:
            # Prefer withdrawing a blocker still waiting, else free a held seat.
            waiting = [b for b in blockers if not b.triggered]
            victim = waiting[-1] if waiting else blockers[-1]
            blockers.remove(victim)
            if victim.triggered:
                self.seats[team].release(victim)
            else:
                victim.cancel()

    def roster(
        self, team: int, schedule: list[tuple[float, int]]
    ) -> Generator[simpy.Event, Any, None]:
        """Open and close seats at the given absolute times: ``[(time, seats), ...]``."""
        cap = self.capacity[team]
        for when, seats in schedule:
            if when > self.env.now:
                yield self.env.timeout(when - self.env.now)
            if cap > 0:
                self._set_blockers(team, cap - min(seats, cap))

    def _queue_change(self, team: int, delta: int) -> None:
        now = float(self.env.now)
        self.stats[team].queue_area += self._waiting[team] * (now - self._last_change[team])
        self._last_change[team] = now
        self._waiting[team] += delta

    def caller(self, team: int, account: int, delay: float, patience: float | None,
               service: float, draw: float) -> Generator[simpy.Event, Any, None]:
        """One debtor calling in: wait for a seat or hang up, then talk.

        Every counter is looked up when its event happens, not when the caller arrived:
        a caller still queued at midnight is counted as offered on the day they called
        and as answered (with their whole wait) on the day a seat takes them.
        """
        env = self.env
        yield env.timeout(delay)
        self.stats[team].offered += 1
        arrive = float(env.now)
        self._queue_change(team, +1)
        self._queued[account] = self._queued.get(account, 0) + 1
        request = self.seats[team].request(priority=0)
        if patience is None:
            yield request
        else:
            yield request | env.timeout(patience)
        self._queue_change(team, -1)
        self._queued[account] -= 1
        if not self._queued[account]:
            del self._queued[account]
        wait = float(env.now) - arrive
        stats = self.stats[team]
        # ASA convention (the Erlang one): every caller's wait counts, answered or not.
        stats.wait_total += wait
        if not request.triggered:
            request.cancel()
            stats.abandoned += 1
            self.abandoned_accounts.append(account)
            return
        if self.on_answer is not None:
            self.on_answer(account)
        stats.answered += 1
        if wait <= self.sl:
            stats.within_sl += 1
        stats.busy += service
        a = self.answered
        a.account.append(account)
        a.time.append(float(env.now))
        a.wait.append(wait)
        a.draw.append(draw)
        a.team.append(team)
        yield env.timeout(service)
        self.seats[team].release(request)

    def unanswered(self, team: int, count: int) -> None:
        """Count ``count`` callers to a line with no seats: offered, never answered.

        Nobody is ever rostered on such a line, so no SimPy process is needed: the
        callers hang up at once (a wait of zero).
        """
        self.stats[team].offered += count
        self.stats[team].abandoned += count

    @property
    def waiting(self) -> int:
        """Callers queued right now, over every line."""
        return sum(self._waiting)

    def queued_accounts(self) -> npt.NDArray[np.int64]:
        """Accounts whose caller is still waiting, e.g. one carried over from yesterday.

        Such a debtor is about to be spoken to, so the morning's robot calls and
        worklists leave them alone: dialling them first and then answering their call
        would put an attempt and a conversation in the wrong order for a quiet-period rule.
        """
        return np.fromiter(self._queued, np.int64, len(self._queued))

    def close_day(self) -> tuple[list[InboundStats], Answered, list[int]]:
        """Today's counters and answered calls; start fresh counters for tomorrow."""
        for t in range(len(self.stats)):
            self._queue_change(t, 0)
        out = (self.stats, self.answered, self.abandoned_accounts)
        self.stats = [InboundStats() for _ in self.capacity]
        self.answered = Answered()
        self.abandoned_accounts = []
        return out
