"""Collection strategies: who gets which treatment today, and in what order.

A strategy sees the delinquent book each morning through a read-only
:class:`BookView` and answers with a :class:`DailyPlan`: boolean masks per channel,
the number of dial attempts per account, the team that should dial, any offer to make
on contact, and a priority that orders every team's worklist. The engine then applies
the compliance policy, capacity and chance -- a strategy cannot breach an enforced rule
pack or conjure staff.

:class:`LadderStrategy` turns a scenario's ``[strategy]`` table (treatment ladder,
escalation triggers, offers, worklist order) into plans. A notebook can pass any object
with a ``name`` and a ``plan(view)`` method instead (the :class:`Strategy` protocol), and
a scenario can name one as ``module:attr`` (:mod:`sim.python_strategy`). Such a strategy
extends the ladder: it starts from the ladder's plan, so letters, bureau reports,
agency placements and filings go on as the scenario says::

    class CallBigBalancesFirst:
        name = "big-first"
        def plan(self, view):
            plan = view.ladder_plan()
            plan.call_attempts[view.dpd >= 5] = np.maximum(plan.call_attempts[view.dpd >= 5], 2)
            plan.priority[:] = view.balance
            return plan
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from sim.channels import mask_actions, one_off_actions
from sim.payment_history import History
from sim.scenario.root import Scenario
from sim.scenario.strategy_spec import HistoryRule, Rung, StrategySpec

NO_OFFER, RESTRUCTURE, SETTLEMENT = 0, 1, 2
ORDER_CODES = {"dpd": 0, "new_first": 1, "balance": 2, "expected_recovery": 3, "score": 4}


@dataclass(frozen=True, slots=True)
class BookView:
    """What a strategy may look at: the delinquent accounts this morning.

    Arrays are aligned with ``index`` (positions in the book). Latent traits (capacity,
    willingness, the payer label) are deliberately absent; ``score`` and ``payer_prob``
    are the predictive model's noisy view of them.
    """

    day: int
    is_business_day: bool
    index: npt.NDArray[np.int64]
    dpd: npt.NDArray[np.int16]
    stage: npt.NDArray[np.int8]
    """0 early, 1 mid, 2 late."""
    segment: npt.NDArray[np.int8]
    """Index into ``segment_names``."""
    segment_names: tuple[str, ...]
    balance: npt.NDArray[np.float64]
    """Balance in major units."""
    score: npt.NDArray[np.float64]
    payer_prob: npt.NDArray[np.float64]
    promise_pending: npt.NDArray[np.bool_]
    broke_promise_yesterday: npt.NDArray[np.bool_]
    attempts_since_contact: npt.NDArray[np.int16]
    placed: npt.NDArray[np.bool_]
    """With a collection agency (in-house work pauses)."""
    in_legal: npt.NDArray[np.bool_]
    """Sued and awaiting judgment."""
    sued: npt.NDArray[np.bool_]
    was_placed: npt.NDArray[np.bool_]
    reported: npt.NDArray[np.bool_]
    has_collateral: npt.NDArray[np.bool_]
    team_names: tuple[str, ...]
    team_of_stage: npt.NDArray[np.int8]
    """Default team per stage (0 early, 1 mid, 2 late); -1 if no team works it."""
    history: History | None = None
    """Payment history (recency, frequency, monetary, broken promises, days since
    contact), computed on first use: see :mod:`sim.payment_history`."""
    ladder: Callable[[BookView], DailyPlan] | None = None
    """The scenario's own ladder, offered to a Python strategy (see :meth:`ladder_plan`)."""

    def __len__(self) -> int:
        return int(self.index.shape[0])

    def ladder_plan(self) -> DailyPlan:
        """Today's plan of the scenario's ladder, to extend rather than replace.

        A Python strategy that starts from this plan keeps every letter, bureau report,
        agency placement and filing the ladder would make, and changes only what it means
        to change.
        """
        if self.ladder is None:
            raise RuntimeError("this view offers no ladder plan (the strategy was not run "
                               "through sim.python_strategy.strategy_for)")
        return self.ladder(self)


@dataclass(slots=True)
class DailyPlan:
    """A strategy's decisions for one day, aligned with the view's ``index``."""

    masks: dict[str, npt.NDArray[np.bool_]]
    """One mask per batch channel (:func:`sim.channels.mask_actions`)."""
    call_attempts: npt.NDArray[np.int8]
    """Agent dial attempts wanted today (0 = do not call)."""
    call_team: npt.NDArray[np.int8]
    """Index into ``view.team_names`` of the team that dials; -1 = the stage's team."""
    offer: npt.NDArray[np.int8]
    """Offer made on contact: 0 none, 1 instalment plan, 2 settlement."""
    priority: npt.NDArray[np.float64]
    """Higher first, in every worklist (calls, visits, filings)."""
    extra: dict[str, object] = field(default_factory=dict)

    @classmethod
    def empty(cls, view: BookView) -> DailyPlan:
        """A plan that does nothing (fill it in)."""
        n = len(view)
        return cls(
            masks={a: np.zeros(n, bool) for a in mask_actions()},
            call_attempts=np.zeros(n, np.int8),
            call_team=np.full(n, -1, np.int8),
            offer=np.zeros(n, np.int8),
            priority=np.zeros(n, np.float64),
        )


@runtime_checkable
class Strategy(Protocol):
    """Anything with a ``name`` and a ``plan(view) -> DailyPlan`` method."""

    name: str

    def plan(self, view: BookView) -> DailyPlan:
        """Decide today's treatments."""
        ...


class LadderStrategy:
    """The data-driven strategy of a scenario's ``[strategy]`` table.

    Schedule rungs are compiled into lookup tables indexed by (segment, DPD), so a day's
    plan costs a handful of array gathers however long the ladder is.
    """

    def __init__(self, scenario: Scenario) -> None:
        spec: StrategySpec = scenario.strategy
        self.name = spec.name
        self.spec = spec
        self._segments = tuple(scenario.portfolio.segments)
        self._teams = tuple(scenario.staffing.teams)
        self._width = scenario.channels.writeoff.dpd + 1
        self._minor = 10 ** scenario.portfolio.minor_units
        size = len(self._segments) * self._width
        self._actions = mask_actions()
        self._one_off = one_off_actions()
        self._tables = {a: np.zeros(size, bool) for a in self._actions}
        self._attempts = np.zeros(size, np.int8)
        self._team = np.full(size, -1, np.int8)
        self._offer = np.zeros(size, np.int8)
        self._special: list[tuple[Rung, npt.NDArray[np.bool_]]] = []
        for rung in spec.ladder:
            table = self._rung_table(rung, scenario)
            if rung.trigger != "schedule" or rung.min_balance > 0 or rung.history is not None:
                self._special.append((rung, table))
            elif rung.action == "call":
                self._attempts[table] = np.maximum(self._attempts[table], rung.attempts_per_day)
                if rung.team is not None:
                    self._team[table] = self._teams.index(rung.team)
            elif rung.action in ("restructure_offer", "settlement_offer"):
                code = RESTRUCTURE if rung.action == "restructure_offer" else SETTLEMENT
                self._offer[table] = code
            else:
                self._tables[rung.action] |= table
        team_orders = [ORDER_CODES[spec.worklist_order_by_team.get(t, spec.worklist_order)]
                       for t in self._teams]
        self._team_order = np.array(team_orders or [0], np.int8)

    def _rung_table(self, rung: Rung, scenario: Scenario) -> npt.NDArray[np.bool_]:
        """Boolean table over (segment, DPD) of where and when the rung fires."""
        w = self._width
        lo, hi = scenario.stage_range(rung.stage) if rung.stage else (1, w - 1)
        lo = rung.dpd_from if rung.dpd_from is not None else lo
        hi = rung.dpd_to if rung.dpd_to is not None else hi
        dpd = np.arange(w)
        in_range = (dpd >= lo) & (dpd <= min(hi, w - 1))
        if rung.on_dpd is not None and rung.action in self._one_off:
            # A one-off action missed on its day (a weekend filing, a full quota) stays due.
            when = dpd >= min(rung.on_dpd)
            if rung.stage or rung.dpd_to is not None:
                when &= dpd <= hi
        elif rung.on_dpd is not None:
            when = np.isin(dpd, rung.on_dpd) & (dpd >= 1)
            if rung.stage or rung.dpd_from is not None or rung.dpd_to is not None:
                when &= in_range
        elif rung.trigger == "broken_promise":
            when = in_range
        else:
            when = in_range & ((dpd - lo) % rung.every_days == 0)
        segs = np.array([rung.segments is None or s in rung.segments for s in self._segments])
        return (segs[:, None] & when[None, :]).ravel()

    def plan(self, view: BookView) -> DailyPlan:
        """Today's plan from the compiled ladder."""
        key = view.segment.astype(np.int64) * self._width + np.minimum(view.dpd, self._width - 1)
        workable = ~(view.placed | view.in_legal)
        masks = {a: self._tables[a][key] & workable for a in self._actions}
        attempts = self._attempts[key]
        team = self._team[key]
        offer = self._offer[key]
        for rung, table in self._special:
            fires = table[key] & workable & (view.balance >= rung.min_balance)
            if rung.trigger == "broken_promise":
                fires &= view.broke_promise_yesterday
            elif rung.trigger == "no_contact":
                fires &= view.attempts_since_contact >= rung.after_attempts
            if rung.history is not None:
                fires &= _history_matches(rung.history, view)
            if rung.action == "call":
                attempts = np.where(fires, np.maximum(attempts, rung.attempts_per_day), attempts)
                if rung.team is not None:
                    team = np.where(fires, np.int8(self._teams.index(rung.team)), team)
            elif rung.action in ("restructure_offer", "settlement_offer"):
                code = RESTRUCTURE if rung.action == "restructure_offer" else SETTLEMENT
                offer = np.where(fires, np.int8(code), offer)
            else:
                masks[rung.action] = masks[rung.action] | fires
        # One-off actions happen once per account.
        masks["agency"] &= ~view.was_placed
        masks["legal"] &= ~view.sued
        masks["bureau"] &= ~view.reported
        masks["repossess"] &= view.has_collateral
        call = workable & (attempts > 0)
        if self.spec.skip_pending_promises:
            call &= ~view.promise_pending
        attempts = np.where(call, attempts, 0).astype(np.int8)
        return DailyPlan(
            masks=masks,
            call_attempts=attempts,
            call_team=team,
            offer=offer,
            priority=self.priority(view, team),
        )

    def priority(self, view: BookView, team: npt.NDArray[np.int8]) -> npt.NDArray[np.float64]:
        """Worklist priority under each team's order rule (higher first)."""
        resolved = np.where(team >= 0, team, view.team_of_stage[view.stage])
        order = self._team_order[np.maximum(resolved, 0)]
        codes = np.unique(order)
        if codes.shape[0] == 1:
            priority = _order_key(int(codes[0]), view)
        else:
            priority = np.empty(len(view), np.float64)
            for code in codes:
                rows = order == code
                priority[rows] = _order_key(int(code), view)[rows]
        if self.spec.broken_promises_first:
            # Broken promises jump the queue: collectors chase them while the memory is fresh.
            priority = priority + view.broke_promise_yesterday * 1e15
        return np.asarray(priority, dtype=np.float64)


def _history_matches(rule: HistoryRule, view: BookView) -> npt.NDArray[np.bool_]:
    """Accounts of the view whose payment history meets every condition of ``rule``."""
    if view.history is None:
        raise ValueError("a history rung needs the view's payment history (BookView.history)")
    ok = np.ones(len(view), bool)
    for name, bounds in rule.conditions():
        value = view.history.feature(name, rule.window_days)
        if bounds.min is not None:
            ok &= value >= bounds.min
        if bounds.max is not None:
            ok &= value <= bounds.max
    return ok


def _order_key(code: int, view: BookView) -> npt.NDArray[np.float64]:
    """Sort key of a worklist order code (see :data:`ORDER_CODES`); higher is called first."""
    if code == 0:
        return view.dpd.astype(np.float64)
    if code == 1:
        return -view.dpd.astype(np.float64)
    if code == 2:
        return view.balance
    if code == 3:
        return view.payer_prob * view.balance
    return view.score
