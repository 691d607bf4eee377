"""Strategies written in Python, named from files and the command line.

A collections team's own targeting logic rarely fits a table: "call the debtors whose
payments slowed down first", "send the hardship offer to accounts that broke two
promises". A scenario (``strategy.python = "my_strategies:SlowPayersFirst"``), an
experiment file (``strategy = "..."``) or ``--strategy module:attr`` on ``recoverylab run |
compare | sweep | staff`` can therefore name a Python object as ``module:attribute``.

**This runs the user's own code**, exactly as naming a pytest plugin does: the module is
imported from the working directory or an installed package, with the same rights as
the command itself. Never name a module you would not run.

What the name may point at
    an object with a ``name`` and a ``plan(view)`` method (a :class:`sim.Strategy`), or a
    class or function that returns one: given the scenario when it takes an argument (so
    it can read the scenario's segments, teams or prices), else called bare.

Extending the ladder rather than replacing it
    A strategy written from an empty plan silently stops every letter, bureau report,
    agency placement and legal filing the scenario's ladder makes. Two ways keep them:

    - start from the ladder's plan: ``plan = view.ladder_plan()``, then change it;
    - declare ``delegate = ("letter", "bureau", "legal", "agency")``: those channels
      are taken from the ladder whatever the plan says. ``"call"`` (attempts and team),
      ``"offer"`` and ``"priority"`` can be delegated too.

Mistakes are reported, not absorbed
    A plan that raises, names an action that does not exist, has arrays of the wrong
    length or asks for more dial attempts in a day than the enforced contact policy
    allows stops the run with a :class:`StrategyError` naming the strategy and the day;
    the command line prints it and exits 2, and nothing is written (outputs are staged).

Caching and workers
    A run of a Python strategy is never taken from or put in the run cache: the cache
    key is the scenario's content, and the strategy's behaviour lives in code (the named
    module and everything it imports) that a fingerprint of one file cannot cover. Local
    process workers import the module again (forked on Linux, so the working directory
    and ``sys.path`` carry over); Dask workers import it by name, so on a remote cluster
    the module must be installed there.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from dataclasses import replace
from typing import Any

import numpy as np

from sim.caps import Limits
from sim.channels import mask_actions
from sim.errors import StrategyError
from sim.scenario.root import Scenario
from sim.strategy import BookView, DailyPlan, LadderStrategy, Strategy

PLAN_CHANNELS = ("call", "offer", "priority")
"""Plan parts other than the batch masks that a strategy may hand back to the ladder."""


def delegable() -> tuple[str, ...]:
    """Every name a strategy's ``delegate`` may list: the batch channels, then
    ``call``, ``offer`` and ``priority``."""
    return (*mask_actions(), *PLAN_CHANNELS)


class StrategyImportError(Exception):
    """``module:attribute`` that cannot be imported or is not a strategy."""


def import_attribute(ref: str) -> Any:
    """The object that ``module:attribute`` names (raises :class:`StrategyImportError`).

    The working directory is put on ``sys.path`` first, so a ``my_strategies.py`` next to
    the scenario files is found as ``my_strategies``, as pytest finds a local plugin.
    """
    module_name, sep, attribute = ref.partition(":")
    if not sep or not module_name or not attribute:
        raise StrategyImportError(f"{ref!r} is not of the form module:attribute")
    here = os.getcwd()
    if here not in sys.path:
        sys.path.insert(0, here)
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise StrategyImportError(
            f"cannot import module {module_name!r} ({exc}); it must be importable from "
            f"the working directory ({here}) or an installed package") from None
    except Exception as exc:  # the user's module raised while being imported
        raise StrategyImportError(
            f"importing module {module_name!r} raised {type(exc).__name__}: {exc}") from None
    try:
        return getattr(module, attribute)
    except AttributeError:
        names = sorted(n for n in vars(module) if not n.startswith("_"))
        raise StrategyImportError(
            f"module {module_name!r} has no attribute {attribute!r} "
            f"(it defines: {', '.join(names[:12]) or 'nothing public'})") from None


def check_importable(ref: str) -> str | None:
    """Why ``ref`` cannot name a strategy, or None when it can (for scenario checks)."""
    try:
        target = import_attribute(ref)
    except StrategyImportError as exc:
        return str(exc)
    if not (_is_strategy(target) or callable(target)):
        return (f"{ref} is a {type(target).__name__}, not a strategy (an object with name "
                "and plan(view)) nor a class or function taking the scenario")
    return None


def _is_strategy(obj: object) -> bool:
    return not isinstance(obj, type) and callable(getattr(obj, "plan", None)) \
        and isinstance(getattr(obj, "name", None), str)


def _takes_one_argument(target: Any) -> bool:
    # A class with a bare constructor (the usual ``class X: name = ...``) is built with no
    # arguments; anything that can take one positional argument gets the scenario.
    try:
        inspect.signature(target).bind(None)
    except TypeError:
        return False
    except ValueError:  # no signature to read (a builtin): try the scenario
        return True
    return True


def build(ref: str, scenario: Scenario) -> Strategy:
    """The strategy ``ref`` names for ``scenario`` (constructed with it when callable)."""
    target = import_attribute(ref)
    if _is_strategy(target):
        built = target
    elif callable(target):
        args = (scenario,) if _takes_one_argument(target) else ()
        try:
            built = target(*args)
        except Exception as exc:
            raise StrategyError(ref, 0, f"building it from the scenario raised "
                                        f"{type(exc).__name__}: {exc}") from exc
    else:
        raise StrategyImportError(f"{ref} is a {type(target).__name__}, not a strategy")
    if not _is_strategy(built):
        raise StrategyError(ref, 0, f"{ref}(scenario) returned a {type(built).__name__}, "
                                    "not an object with a name and a plan(view) method")
    return built  # type: ignore[no-any-return]


def strategy_for(scenario: Scenario, given: Strategy | None = None) -> Strategy:
    """The strategy a run uses: ``given``, else the scenario's Python strategy, else its
    ladder. Anything but the bare ladder is wrapped in a :class:`CheckedStrategy`."""
    if given is None and scenario.strategy.python is None:
        return LadderStrategy(scenario)
    ladder = LadderStrategy(scenario)
    if given is not None:
        return CheckedStrategy(given, ladder, _policy_ceiling(scenario))
    ref = scenario.strategy.python
    assert ref is not None
    try:
        inner = build(ref, scenario)
    except StrategyImportError as exc:
        raise StrategyError(ref, 0, str(exc)) from None
    return CheckedStrategy(inner, ladder, _policy_ceiling(scenario), label=ref)


def _policy_ceiling(scenario: Scenario) -> int | None:
    """Most dial attempts a Python strategy may ask for on one account in a day.

    That is what the enforced contact policy allows, or what the scenario's own ladder
    already asks if more (the floor trims a ladder's request to the policy, and a strategy
    that starts from the ladder's plan must not be blamed for it).
    """
    if not scenario.compliance.enforce:
        return None  # a non-enforcing run measures breaches instead of refusing them
    limits = Limits.of(scenario.contact_policy())
    caps = [c for c in (limits.per_day, limits.in_days) if c is not None]
    if not caps:
        return None
    ladder = [r.attempts_per_day for r in scenario.strategy.ladder if r.action == "call"]
    return max(min(caps), *ladder)


class CheckedStrategy:
    """A user strategy run on top of the scenario's ladder, with its plans checked.

    ``delegate`` on the inner strategy lists the channels taken from the ladder's plan.
    """

    def __init__(self, inner: Strategy, ladder: LadderStrategy, max_attempts: int | None,
                 label: str | None = None) -> None:
        self.inner = inner
        self.ladder = ladder
        self.name = str(getattr(inner, "name", "strategy"))
        self.label = f"{self.name!r} ({label})" if label and label != self.name \
            else repr(self.name)
        self.max_attempts = max_attempts
        delegate = tuple(getattr(inner, "delegate", ()) or ())
        unknown = [c for c in delegate if c not in delegable()]
        if unknown or isinstance(getattr(inner, "delegate", ()), str):
            raise StrategyError(self.label, 0, f"delegate names unknown channels {unknown} "
                                f"(expected a tuple of: {', '.join(delegable())})"
                                if unknown else "delegate must be a tuple of channel names, "
                                "not one string")
        self.delegate = delegate

    def plan(self, view: BookView) -> DailyPlan:
        """The inner strategy's plan, checked, with delegated channels from the ladder."""
        cache: list[DailyPlan] = []

        def ladder_plan(v: BookView) -> DailyPlan:
            if not cache:
                cache.append(self.ladder.plan(v))
            # A fresh copy each time: the strategy may edit what it is given.
            return _copy(cache[0])

        offered = replace(view, ladder=ladder_plan)
        try:
            plan = self.inner.plan(offered)
        except StrategyError:
            raise
        except Exception as exc:
            raise StrategyError(self.label, view.day,
                                f"plan() raised {type(exc).__name__}: {exc}") from exc
        self._check(plan, view)
        if self.delegate:
            plan = self._delegated(plan, ladder_plan(view))
        return plan

    def _delegated(self, plan: DailyPlan, ladder: DailyPlan) -> DailyPlan:
        masks = dict(plan.masks)
        for channel in self.delegate:
            if channel in masks or channel in ladder.masks:
                masks[channel] = ladder.masks[channel]
        call = "call" in self.delegate
        return DailyPlan(
            masks=masks,
            call_attempts=ladder.call_attempts if call else plan.call_attempts,
            call_team=ladder.call_team if call else plan.call_team,
            offer=ladder.offer if "offer" in self.delegate else plan.offer,
            priority=ladder.priority if "priority" in self.delegate else plan.priority,
            extra=plan.extra,
        )

    def _check(self, plan: object, view: BookView) -> None:
        def fail(message: str) -> StrategyError:
            return StrategyError(self.label, view.day, message)

        if not isinstance(plan, DailyPlan):
            raise fail(f"plan() returned a {type(plan).__name__}, not a sim.DailyPlan "
                       "(start from DailyPlan.empty(view) or view.ladder_plan())")
        known = mask_actions()
        unknown = sorted(set(plan.masks) - set(known))
        if unknown:
            raise fail(f"unknown action {unknown[0]!r} in plan.masks "
                       f"(expected some of: {', '.join(known)})")
        n = len(view)
        parts = {"call_attempts": plan.call_attempts, "call_team": plan.call_team,
                 "offer": plan.offer, "priority": plan.priority,
                 **{f"masks[{a!r}]": m for a, m in plan.masks.items()}}
        for part, array in parts.items():
            shape = getattr(array, "shape", None)
            if shape != (n,):
                raise fail(f"plan.{part} has shape {shape}, expected ({n},) (one per "
                           "account of the view)")
        attempts = np.asarray(plan.call_attempts)
        if n and int(attempts.min()) < 0:
            raise fail("plan.call_attempts is negative for some accounts")
        if n and not np.isin(plan.offer, (0, 1, 2)).all():
            raise fail("plan.offer holds a code other than 0 (none), 1 (plan), 2 (settlement)")
        teams = len(view.team_names)
        if n and ((plan.call_team < -1) | (plan.call_team >= teams)).any():
            raise fail(f"plan.call_team names a team outside -1..{teams - 1}")
        if not np.isfinite(plan.priority).all():
            raise fail("plan.priority is not finite for some accounts")
        if self.max_attempts is not None and n and "call" not in self.delegate:
            most = int(attempts.max())
            if most > self.max_attempts:
                raise fail(f"asks for {most} dial attempts on one account in a day; the "
                           f"enforced contact policy allows at most {self.max_attempts}")


def _copy(plan: DailyPlan) -> DailyPlan:
    return DailyPlan(
        masks={k: v.copy() for k, v in plan.masks.items()},
        call_attempts=plan.call_attempts.copy(),
        call_team=plan.call_team.copy(),
        offer=plan.offer.copy(),
        priority=plan.priority.copy(),
        extra=dict(plan.extra),
    )
