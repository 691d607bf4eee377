"""Search over the rest of a call: the best (or worst) overall score still reachable.

The debrief's "a better choice here would have been ..." is computed, not written by
hand: from the state of the call just before a choice, every option the trainee could
have picked is played forward through the rest of the scenario graph, and the option
that leaves the highest achievable overall score is the recommendation. The same
search gives each scenario's canonical best and worst paths, which the golden
transcripts and ``recoverylab-train playthrough`` use.

It is an exact depth-first search with memoisation. A node of the search is the
engine :class:`~trainer.engine.machine.State` plus the parts of the score tally that
the final score depends on (:meth:`~trainer.engine.scoring.Tally.key`), so two paths
that reach the same call state with the same score-relevant history are explored
once. The trainee's moves in the search are the scenario's options plus the escalate
action; timeouts and hanging up never improve a call. The call note is assumed to be
written correctly (it is typed after the call, whatever the path). The search is
bounded by :attr:`Searcher.max_turns` turns and :attr:`Searcher.budget` expansions;
if either bound bites, :attr:`Searcher.truncated` is set and the answer is the best
found within the bounds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from trainer.engine import machine, scoring
from trainer.engine.machine import AgreedPromise, EndState, State
from trainer.engine.model import Choice, Scenario
from trainer.engine.scoring import Tally

ESCALATE = "escalate"
"""The action id of escalating to a supervisor in a search path."""


@dataclass(frozen=True, slots=True)
class PathStep:
    """A turn as the search plays it (what scoring reads from a turn)."""

    number: int
    action: str
    tags: tuple[str, ...]
    violations: tuple[str, ...]
    mood_after: Mapping[str, int]
    promise: AgreedPromise | None


@dataclass(frozen=True, slots=True)
class Found:
    """A search answer: the overall score and the actions that reach it."""

    value: float
    path: tuple[str, ...]
    """Option ids (or ``"escalate"``) from the searched state to the end."""


class Searcher:
    """Best- or worst-case search over one scenario, memoised across queries."""

    def __init__(
        self, scenario: Scenario, *, max_turns: int = machine.MAX_TURNS, budget: int = 300_000
    ) -> None:
        self.scenario = scenario
        self.max_turns = max_turns
        self.budget = budget
        self.expanded = 0
        self.truncated = False
        self._exact: dict[tuple[State, tuple[object, ...]], Found] = {}
        self._bound: dict[tuple[State, tuple[object, ...]], float] = {}
        self._worst_memo: dict[tuple[State, tuple[object, ...]], Found] = {}

    # -- public ------------------------------------------------------------------------

    def root(self) -> tuple[State, Tally]:
        return machine.initial(self.scenario), scoring.start(self.scenario)

    def best(self, state: State, tally: Tally) -> Found:
        """Highest overall score reachable from here, and how."""
        return self._search(state, tally, maximise=True)

    def worst(self, state: State, tally: Tally) -> Found:
        """Lowest overall score reachable from here through authored options, and how."""
        return self._search(state, tally, maximise=False)

    def after(self, state: State, tally: Tally, action: str) -> tuple[State, Tally]:
        """The state and tally after one action (an option id or ``"escalate"``)."""
        step = self._step(state, action)
        return step.state, self._extend(state, tally, step, action)

    def actions(self, state: State, *, escalate: bool = True) -> list[str]:
        """Moves the search considers at ``state``: options in file order, then escalate."""
        if state.end is not None:
            return []
        options = [c.id for c in machine.available(self.scenario, state)]
        return [*options, ESCALATE] if escalate else options

    def value_of(self, state: State, tally: Tally, action: str, *, maximise: bool = True) -> Found:
        """Best (or worst) overall reachable after taking ``action`` at ``state``."""
        next_state, next_tally = self.after(state, tally, action)
        found = self._search(next_state, next_tally, maximise=maximise)
        return Found(found.value, (action, *found.path))

    def final(self, state: State, tally: Tally) -> float:
        """Overall score of a finished call (note assumed correct)."""
        end = state.end or EndState("no_agreement", None, "turn_limit")
        return scoring.overall(self.scenario, tally, end, state.promise, scoring.ASSUME_NOTE)

    # -- internals ---------------------------------------------------------------------

    def _step(self, state: State, action: str) -> machine.Step:
        if action == ESCALATE:
            return machine.escalate(self.scenario, state)
        choice: Choice = self.scenario.choice_by_id[action]
        return machine.choose(self.scenario, state, choice)

    def _extend(self, state: State, tally: Tally, step: machine.Step, action: str) -> Tally:
        after = step.state
        if action == ESCALATE:
            tags: tuple[str, ...] = ("escalate",)
            violations: tuple[str, ...] = ()
            kind = "escalate"
        else:
            option = self.scenario.choice_by_id[action].option
            tags, violations, kind = option.tags, option.violations, "choose"
        promise = after.promise if after.promise is not state.promise else None
        turn = PathStep(after.turn, kind, tags, violations, after.mood_map(self.scenario), promise)
        return scoring.add(self.scenario, tally, turn, explain=False)

    def _search(self, state: State, tally: Tally, *, maximise: bool) -> Found:
        if maximise:
            return self._best(state, tally, -1.0)
        return self._worst(state, tally)

    def _cut(self, state: State, tally: Tally) -> Found | None:
        """End the search here if the call is over or a bound is hit."""
        if state.end is not None:
            return Found(self.final(state, tally), ())
        if state.turn >= self.max_turns or self.expanded >= self.budget:
            self.truncated = True
            ended = replace(state, end=EndState("no_agreement", None, "turn_limit"))
            return Found(self.final(ended, tally), ())
        return None

    def _stuck(self, state: State, tally: Tally) -> Found:
        # No option can be taken here (lint reports such nodes): the call goes nowhere.
        return Found(
            self.final(replace(state, end=EndState("no_agreement", None, "turn_limit")), tally), ()
        )

    def _best(self, state: State, tally: Tally, alpha: float) -> Found:
        """Branch and bound: the exact best if it exceeds ``alpha``, else a value <= alpha.

        ``alpha`` is a score already secured elsewhere; a subtree whose optimistic bound
        (:func:`~trainer.engine.scoring.upper_bound`) cannot beat it is not explored. Exact
        answers are memoised; so are proven upper bounds, for later, lower alphas to reuse.
        """
        cut = self._cut(state, tally)
        if cut is not None:
            return cut
        key = (state, tally.key())
        exact = self._exact.get(key)
        if exact is not None:
            return exact
        known_bound = self._bound.get(key)
        if known_bound is not None and known_bound <= alpha:
            return Found(known_bound, ())
        if scoring.upper_bound(self.scenario, tally) <= alpha:
            return Found(alpha, ())
        self.expanded += 1
        children = [(action, *self.after(state, tally, action)) for action in self.actions(state)]
        # Most promising first, so good scores are found early and prune the rest.
        children.sort(key=lambda c: -scoring.upper_bound(self.scenario, c[2]))
        best: Found | None = None
        for action, next_state, next_tally in children:
            floor = alpha if best is None else max(alpha, best.value)
            found = self._best(next_state, next_tally, floor)
            if best is None or found.value > best.value:
                best = Found(found.value, (action, *found.path))
        if best is None:
            best = self._stuck(state, tally)
        if best.value > alpha:
            self._exact[key] = best
        else:
            # Every child is worth at most alpha: remember that bound, not a path.
            self._bound[key] = alpha
        return best

    def _worst(self, state: State, tally: Tally) -> Found:
        # The worst case explores authored options only: it is the canonical bad call,
        # not "escalate at the worst moment".
        cut = self._cut(state, tally)
        if cut is not None:
            return cut
        key = (state, tally.key())
        cached = self._worst_memo.get(key)
        if cached is not None:
            return cached
        self.expanded += 1
        worst: Found | None = None
        for action in self.actions(state, escalate=False):
            next_state, next_tally = self.after(state, tally, action)
            found = self._worst(next_state, next_tally)
            if worst is None or found.value < worst.value:
                worst = Found(found.value, (action, *found.path))
            if worst.value <= 0.0:
                break  # no score is lower than 0: the rest cannot do worse
        if worst is None:
            worst = self._stuck(state, tally)
        self._worst_memo[key] = worst
        return worst
