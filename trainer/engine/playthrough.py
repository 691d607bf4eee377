"""Automated playthroughs: play a drill many ways and check what can happen.

Lint reads the graph; a playthrough *plays* it, conditions and moods included, which
is what authors of branching stories ask for: random autoplay over many runs,
which endings were reached, and transcripts a person can read. Two modes:

- **walks**: N seeded random walks through a :class:`~trainer.engine.session.Session`
  (mostly options, now and then dead air, an escalation or a hang-up, and a call note
  that is sometimes wrong), each with a transcript;
- **exhaustive**: every sequence of authored options up to a turn bound, folded with
  memoisation over (engine state, score-relevant tally), so loops and merging branches
  are explored once. It reports endings that can never happen in play (a condition
  that never holds), which lint's graph check cannot see.

Both modes assert the invariant the trainer's credibility rests on: **no path with a
critical violation passes**. Both report nodes where no option is available at run
time (an engine error for a trainee), the score range, and the canonical best and
worst paths found by :class:`~trainer.engine.search.Searcher`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from trainer.engine import scoring
from trainer.engine.machine import EndState, State
from trainer.engine.model import Scenario
from trainer.engine.scoring import Score, Tally
from trainer.engine.search import ESCALATE, Found, Searcher
from trainer.engine.session import Session

TIMEOUT_P = 0.05
ESCALATE_P = 0.02
HANG_UP_P = 0.01
WRONG_NOTE_P = 0.3
"""Random-walk probabilities of the trainee's non-option actions and of a wrong note."""


@dataclass(frozen=True, slots=True)
class Walk:
    session: Session
    score: Score


@dataclass
class Report:
    """What a playthrough found for one scenario."""

    scenario: Scenario
    mode: str
    best: Found
    worst: Found
    best_session: Session
    worst_session: Session
    low: float
    high: float
    endings: dict[str, int] = field(default_factory=dict)
    """Ending id (or engine outcome in brackets) -> times reached (paths, or walks)."""
    critical_passes: list[str] = field(default_factory=list)
    """Descriptions of paths with a critical violation that passed: must stay empty."""
    stuck: dict[str, int] = field(default_factory=dict)
    """Node -> times the call reached it with no option available."""
    walks: list[Walk] = field(default_factory=list)
    paths: int = 0
    truncated: bool = False

    @property
    def unreached(self) -> list[str]:
        return [e for e in self.scenario.endings if e not in self.endings]

    @property
    def ok(self) -> bool:
        return not self.critical_passes and not self.stuck


def session_for(
    scenario: Scenario, path: tuple[str, ...], *, seed: int = 0, trainee: str = "playthrough"
) -> Session:
    """Play a search path (option ids / ``"escalate"``) and write the matching note."""
    session = Session.start(scenario, seed=seed, trainee=trainee)
    for action in path:
        if action == ESCALATE:
            session.escalate()
        else:
            session.choose_id(action)
    if session.promise is not None:
        p = session.promise.promise
        session.record_note(p.amount, session.promise.due, p.channel)
    return session


def random_walk(scenario: Scenario, seed: int) -> tuple[Session, list[str]]:
    """One seeded random walk; returns the session and the nodes where it was stuck."""
    rng = np.random.default_rng([seed, 0x5EED])
    session = Session.start(scenario, seed=seed, trainee="walk")
    stuck: list[str] = []
    while not session.finished:
        roll = rng.random()
        if not session.options:
            stuck.append(session.node)
            session.escalate()
        elif roll < HANG_UP_P:
            session.hang_up()
        elif roll < HANG_UP_P + ESCALATE_P:
            session.escalate()
        elif roll < HANG_UP_P + ESCALATE_P + TIMEOUT_P:
            session.timeout()
        else:
            session.choose(int(rng.integers(len(session.options))) + 1)
    if session.promise is not None:
        p = session.promise.promise
        amount = p.amount * (2 if rng.random() < WRONG_NOTE_P else 1)
        session.record_note(amount, session.promise.due, p.channel)
    return session, stuck


def _label(end: EndState) -> str:
    """The scenario ending reached, or the engine outcome in brackets."""
    return end.ending if end.ending is not None else f"({end.outcome})"


def invariant_breaches(result: Score, where: str) -> list[str]:
    """Ways a scored path breaks "a critical violation always fails the drill"."""
    out = []
    if result.critical and (result.passed or result.overall >= result.pass_mark):
        out.append(f"{where}: overall {result.overall} passes despite a critical violation")
    if result.ending == "critical_violation" and not result.critical:
        out.append(f"{where}: ended critical_violation without a critical rule")
    return out


def walks(scenario: Scenario, count: int, seed: int, report: Report) -> None:
    """Add ``count`` random walks (seeds ``seed .. seed+count-1``) to ``report``."""
    for i in range(count):
        session, stuck = random_walk(scenario, seed + i)
        result = scoring.score(session)
        report.walks.append(Walk(session, result))
        for node in stuck:
            report.stuck[node] = report.stuck.get(node, 0) + 1
        assert session.ending is not None
        label = _label(session.ending)
        report.endings[label] = report.endings.get(label, 0) + 1
        report.low = min(report.low, result.overall)
        report.high = max(report.high, result.overall)
        report.critical_passes.extend(invariant_breaches(result, f"walk seed {seed + i}"))


@dataclass(frozen=True, slots=True)
class _Fold:
    low: float
    high: float
    endings: tuple[tuple[str, int], ...]
    paths: int
    critical_passes: tuple[str, ...]
    stuck: tuple[str, ...]


def exhaustive(scenario: Scenario, max_depth: int, report: Report) -> None:
    """Fold every option sequence up to ``max_depth`` turns into ``report``."""
    searcher = Searcher(scenario)
    memo: dict[tuple[State, tuple[object, ...]], _Fold] = {}
    truncated = False

    def leaf(state: State, tally: Tally, path: tuple[str, ...]) -> _Fold:
        end = state.end or EndState("no_agreement", None, "turn_limit")
        result = scoring.finish(scenario, tally, end, state.promise, scoring.ASSUME_NOTE)
        breaches = invariant_breaches(result, "path " + " ".join(path))
        return _Fold(result.overall, result.overall, ((_label(end), 1),), 1, tuple(breaches), ())

    def fold(state: State, tally: Tally, path: tuple[str, ...]) -> _Fold:
        nonlocal truncated
        if state.end is not None:
            return leaf(state, tally, path)
        if state.turn >= max_depth:
            truncated = True
            return leaf(
                replace(state, end=EndState("no_agreement", None, "turn_limit")), tally, path
            )
        key = (state, tally.key())
        if key in memo:
            return memo[key]
        actions = searcher.actions(state, escalate=False)
        if not actions:
            out = _Fold(0.0, 0.0, (), 0, (), (state.at,))
            memo[key] = out
            return out
        parts = [fold(*searcher.after(state, tally, a), (*path, a)) for a in actions]
        endings: dict[str, int] = {}
        for part in parts:
            for name, n in part.endings:
                endings[name] = endings.get(name, 0) + n
        reached = [p for p in parts if p.paths]
        out = _Fold(
            min((p.low for p in reached), default=0.0),
            max((p.high for p in reached), default=0.0),
            tuple(sorted(endings.items())),
            sum(p.paths for p in parts),
            tuple(c for p in parts for c in p.critical_passes)[:5],
            tuple(sorted({s for p in parts for s in p.stuck})),
        )
        memo[key] = out
        return out

    state, tally = searcher.root()
    total = fold(state, tally, ())
    report.low = min(report.low, total.low)
    report.high = max(report.high, total.high)
    for name, n in total.endings:
        report.endings[name] = report.endings.get(name, 0) + n
    report.critical_passes.extend(total.critical_passes)
    for node in total.stuck:
        report.stuck[node] = report.stuck.get(node, 0) + 1
    report.paths = total.paths
    report.truncated = report.truncated or truncated


def playthrough(
    scenario: Scenario, *, walk_count: int = 0, seed: int = 0, max_depth: int | None = None
) -> Report:
    """Canonical best and worst paths, then walks or an exhaustive fold."""
    searcher = Searcher(scenario)
    state, tally = searcher.root()
    best = searcher.best(state, tally)
    worst = searcher.worst(state, tally)
    best_session = session_for(scenario, best.path, seed=seed, trainee="best")
    worst_session = session_for(scenario, worst.path, seed=seed, trainee="worst")
    report = Report(
        scenario,
        "exhaustive" if max_depth is not None else "walks",
        best,
        worst,
        best_session,
        worst_session,
        low=min(best.value, worst.value),
        high=max(best.value, worst.value),
        truncated=searcher.truncated,
    )
    for name, session in (("best", best_session), ("worst", worst_session)):
        report.critical_passes.extend(
            invariant_breaches(scoring.score(session), f"canonical {name} path")
        )
    if max_depth is not None:
        exhaustive(scenario, max_depth, report)
    if walk_count:
        walks(scenario, walk_count, seed, report)
    return report


def summary(report: Report) -> dict[str, Any]:
    """A JSON-friendly summary of a report."""
    from trainer.engine.cues import cue_report

    s = report.scenario
    cues = cue_report(s)
    return {
        "scenario": f"{s.meta.id}.{s.meta.language}",
        "mode": report.mode,
        "paths": report.paths,
        "walks": len(report.walks),
        "best": report.best.value,
        "worst": report.worst.value,
        "low": report.low,
        "high": report.high,
        "endings": dict(sorted(report.endings.items())),
        "unreached": report.unreached,
        "critical_passes": report.critical_passes,
        "stuck": report.stuck,
        "truncated": report.truncated,
        "cues": {
            "decisions": len(cues.decisions),
            "best_longest": cues.longest,
            "best_first_in_file": cues.first,
            "chance_share": round(cues.chance_share, 4),
            "best_to_others_length": round(cues.mean_length_ratio, 3),
            "strategies": {
                run.name: {"overall": run.overall, "passed": run.passed, "ending": run.outcome}
                for run in cues.strategies
            },
        },
    }
