"""The rules of play: how one trainee action moves the call from one state to the next.

This is the dialogue engine without presentation or randomness. A :class:`State` is
immutable and hashable (where the call is, the debtor's mood, flags, visit counts,
once-only options used, the turn, the promise agreed, how it ended), and each step
function returns a new one. :class:`trainer.engine.session.Session` wraps these
functions with seeded line variants and a transcript; the search behind the debrief and
the ``playthrough`` tool call them directly, thousands of times, which is why they are
plain functions over small tuples.

What a trainee action does:

- **choose an option**: add its mood ``effects`` (each mood clamped to 0-100), apply
  its ``set`` flags, mark a ``once`` option used, record its ``promise``; then follow
  the first route whose ``when`` holds (conditions see the mood *after* the effects)
  and enter that node or ending. If the option breaks a **critical** rule of the pack,
  the call ends there with outcome ``critical_violation``; the node it led to is still
  entered, so the trainee hears the debtor's reaction.
- **timeout** (dead air: the trainee's answer timer ran out): the debtor is left
  waiting, which costs :data:`TIMEOUT_EFFECTS` (anger +5, trust -5, for moods the
  persona has; nothing at a narrator's node, where nobody is on the line yet), and the
  call stays at the same node for another try. Collectors are coached that long
  silences on a collection call read as evasiveness or as not listening, and anger
  rises.
- **escalate**: hand the call to a supervisor; ends with outcome ``escalated``. How
  apt that was is judged by the node's ``escalation`` (see scoring).
- **hang up**: the trainee ends the call; outcome ``hung_up``.

A call that reaches :data:`MAX_TURNS` turns without an ending stops as
``no_agreement``: a looping drill cannot run forever.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from trainer.engine.conditions import Env, Value
from trainer.engine.model import Choice, Line, Promise, Scenario

MAX_TURNS = 60
TIMEOUT_EFFECTS: Mapping[str, int] = {"anger": 5, "trust": -5}
"""Mood cost of a dead-air turn (moods the persona lacks are skipped)."""

Cause = Literal["ending", "critical", "escalate", "hang_up", "turn_limit"]


@dataclass(frozen=True, slots=True)
class EndState:
    """How the call ended."""

    outcome: str
    ending: str | None
    """The scenario ending reached, if any (engine endings such as escalate have none)."""
    cause: Cause
    escalation: str = "neutral"
    """For ``cause == "escalate"``: the aptness of escalating at the node where it happened."""


@dataclass(frozen=True, slots=True)
class AgreedPromise:
    """The promise to pay an option secured, and when."""

    promise: Promise
    option: str
    turn: int
    realistic: bool
    made_on: date
    """The debtor's local date when it was agreed: a promise "+2d" made on a callback
    the next morning falls due two days after *that* morning, not after the brief."""

    @property
    def due(self) -> date:
        """The absolute due date (what a correct call note records)."""
        return self.promise.due(self.made_on)


@dataclass(frozen=True, slots=True)
class State:
    """Everything about a call in progress that later choices can depend on."""

    at: str
    """The node (or, once finished, possibly the ending) the call is at."""
    mood: tuple[int, ...]
    """Aligned with ``scenario.mood_names``."""
    flags: tuple[tuple[str, Value], ...] = ()
    visits: tuple[tuple[str, int], ...] = ()
    used: frozenset[str] = frozenset()
    turn: int = 0
    promise: AgreedPromise | None = None
    end: EndState | None = None

    @property
    def finished(self) -> bool:
        return self.end is not None

    def mood_map(self, scenario: Scenario) -> dict[str, int]:
        return dict(zip(scenario.mood_names, self.mood, strict=True))

    def env(self, scenario: Scenario) -> Env:
        values: dict[str, Value] = dict(self.flags)
        values.update(zip(scenario.mood_names, self.mood, strict=True))
        values["turn"] = self.turn
        return Env(values, dict(self.visits))


@dataclass(frozen=True, slots=True)
class Step:
    """The result of one action."""

    state: State
    entered: str | None
    """The node or ending the call moved into (None for timeout, escalate, hang up)."""
    critical: tuple[str, ...] = ()
    """Critical rule ids broken by this action."""


def initial(scenario: Scenario) -> State:
    """The state as the call opens at the start node."""
    start = scenario.meta.start
    mood = tuple(scenario.persona.mood.values())
    return State(at=start, mood=mood, visits=((start, 1),))


def available(scenario: Scenario, state: State) -> tuple[Choice, ...]:
    """Options the trainee may pick now, in file order (none once the call is over)."""
    if state.end is not None or state.at not in scenario.nodes:
        return ()
    env = state.env(scenario)
    return tuple(
        c
        for c in scenario.choices[state.at]
        if not (c.option.once and c.id in state.used)
        and (c.option.when is None or c.option.when(env))
    )


def candidate_lines(lines: tuple[Line, ...], env: Env) -> tuple[Line, ...]:
    """Lines that may be said now: the most specific reactions win.

    If any conditional line holds, unconditional ones are dropped. If nothing holds (an
    authoring gap that lint reports), the unconditional lines, else all lines, are used.
    """
    conditional = tuple(line for line in lines if line.when is not None and line.when(env))
    if conditional:
        return conditional
    plain = tuple(line for line in lines if line.when is None)
    return plain or lines


def critical_rules(scenario: Scenario, rule_ids: tuple[str, ...]) -> tuple[str, ...]:
    """The enabled critical rules among ``rule_ids``."""
    critical = scenario.critical_rule_ids
    return tuple(rule_id for rule_id in rule_ids if rule_id in critical)


def _clamped(
    mood: tuple[int, ...], names: tuple[str, ...], effects: Mapping[str, int]
) -> tuple[int, ...]:
    return tuple(
        min(100, max(0, value + effects.get(name, 0)))
        for name, value in zip(names, mood, strict=True)
    )


def _visit(state: State, target: str) -> tuple[tuple[str, int], ...]:
    visits = dict(state.visits)
    visits[target] = visits.get(target, 0) + 1
    return tuple(sorted(visits.items()))


def choose(
    scenario: Scenario, state: State, choice: Choice, said: tuple[str, ...] = (),
    today: date | None = None,
) -> Step:
    """Apply an option (the caller has checked it is available). ``said`` are rules the
    trainee's own typed words broke besides the option's: they end the call the same way.
    ``today`` is the debtor's local date now (where the call has moved; default the
    brief's date): a promise agreed here counts its "+Nd" from it."""
    option = choice.option
    turn = state.turn + 1
    mood = (
        _clamped(state.mood, scenario.mood_names, option.effects) if option.effects else state.mood
    )
    flags = state.flags
    if option.set_:
        merged = dict(flags)
        merged.update(option.set_)
        flags = tuple(sorted(merged.items()))
    promise = state.promise
    if option.promise is not None:
        promise = AgreedPromise(option.promise, choice.id, turn, option.realistic,
                                today or scenario.call_date)
    used = state.used | {choice.id} if option.once else state.used
    # Routes see the mood and flags after the option's effects.
    env = State(state.at, mood, flags, state.visits, used, turn).env(scenario)
    target = next(r.to for r in option.routes if r.when is None or r.when(env))
    end: EndState | None = None
    if target in scenario.endings:
        end = EndState(scenario.endings[target].outcome, target, "ending")
    broken = option.violations + tuple(r for r in said if r not in option.violations)
    critical = critical_rules(scenario, broken) if broken else ()
    if critical:
        end = EndState("critical_violation", end.ending if end else None, "critical")
    elif end is None and turn >= MAX_TURNS:
        end = EndState("no_agreement", None, "turn_limit")
    after = State(target, mood, flags, _visit(state, target), used, turn, promise, end)
    return Step(after, target, critical)


def timeout(scenario: Scenario, state: State) -> Step:
    """Dead air: mood cost, same node, next turn.

    At a narrator's node (before dialling, between calls) nobody is on the line to be
    left waiting, so the debtor's mood does not move.
    """
    node = scenario.nodes.get(state.at)
    waiting = node is not None and node.speaker != "narrator"
    mood = _clamped(state.mood, scenario.mood_names, TIMEOUT_EFFECTS) if waiting else state.mood
    turn = state.turn + 1
    end = EndState("no_agreement", None, "turn_limit") if turn >= MAX_TURNS else None
    return Step(replace(state, mood=mood, turn=turn, end=end), None)


def miss(scenario: Scenario, state: State, said: tuple[str, ...] = ()) -> Step:
    """A typed reply that matches no option: the debtor asks what the collector means,
    the call stays at the node and a turn passes. Rules the words broke still count: a
    critical one ends the call as an option breaking it would."""
    turn = state.turn + 1
    critical = critical_rules(scenario, said)
    end: EndState | None = None
    if critical:
        end = EndState("critical_violation", None, "critical")
    elif turn >= MAX_TURNS:
        end = EndState("no_agreement", None, "turn_limit")
    return Step(replace(state, turn=turn, end=end), None, critical)


def escalate(scenario: Scenario, state: State) -> Step:
    """Hand the call to a supervisor."""
    node = scenario.nodes.get(state.at)
    end = EndState("escalated", None, "escalate", node.escalation if node else "neutral")
    return Step(replace(state, turn=state.turn + 1, end=end), None)


def hang_up(scenario: Scenario, state: State) -> Step:
    """The trainee ends the call."""
    end = EndState("hung_up", None, "hang_up")
    return Step(replace(state, turn=state.turn + 1, end=end), None)
