"""Surface cues: can a drill be passed without judgement?

A multiple-choice drill teaches nothing if the right answer can be spotted by its shape.
Test writers know the classic giveaways: the correct answer is the longest (the author
added qualifiers to make it exactly right), it is written first, or it is the one that
sounds nicest. A trainee who learns those cues passes the drill and learns nothing about
collections. This module measures the cues on a drill the way a test-maker would:

- **on the best path** (the canonical path :class:`~trainer.engine.search.Searcher`
  finds), at every *decision* (a node offering two or more options), is the best option
  the unique longest? Is it the first written in the file? Under no cue at all, each
  happens at a decision with about ``1/n`` probability (``n`` options), so the shares
  should sit near that **chance** rate;
- **naive strategies** play the whole drill by a rule that reads no meaning: always the
  longest option, always the shortest, always the first in the file, and the *keyword*
  strategy (the option with the most empathy and compliance words, "sorry",
  "understand", "please", 理解, 您 ...). Each must **fail** the drill. They are given
  every benefit: the call note is assumed correct, and ties go to the earlier option.

``recoverylab-train lint`` turns these figures into findings (per drill and over the
whole library) and ``playthrough`` prints them in its summary.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from trainer.engine import machine, scoring
from trainer.engine.machine import EndState
from trainer.engine.model import Choice, Scenario
from trainer.engine.search import ESCALATE, Searcher

LONGEST_CEILING_DRILL = 0.5
"""Largest share of best-path decisions where the best option may be the unique longest,
in one drill. With three or four options chance is 25-33%; ten decisions make a share
above one half unlikely (under 8%) unless length gives the answer away."""
LONGEST_CEILING_LIBRARY = 0.4
"""The same share pooled over every drill of a library (hundreds of decisions: chance
plus a margin)."""
FIRST_CEILING_DRILL = 0.5
FIRST_CEILING_LIBRARY = 0.4
"""The same two ceilings for "the best option is written first in the file"."""

KEYWORDS_EN: tuple[str, ...] = (
    "sorry", "understand", "appreciate", "please", "help", "thank", "thanks", "options",
    "option", "right", "rights", "support", "happy to", "of course", "together",
    "completely", "absolutely", "i hear", "glad", "welcome",
)  # fmt: skip
KEYWORDS_ZH: tuple[str, ...] = (
    "理解", "抱歉", "不好意思", "请", "帮", "谢谢", "感谢", "方案", "权利", "您", "支持",
    "协助", "放心", "没关系", "辛苦", "愿意", "一起",
)  # fmt: skip
"""Empathy and compliance words: what a trainee who "picks the nicest-sounding answer"
is drawn to. English words match whole words, case-insensitively; Chinese ones match
anywhere in the text (Chinese has no spaces)."""

_EN_PATTERN = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in sorted(KEYWORDS_EN, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def keyword_count(text: str, language: str) -> int:
    """How many empathy/compliance words ``text`` contains."""
    if language.startswith("zh"):
        return sum(text.count(word) for word in KEYWORDS_ZH)
    return len(_EN_PATTERN.findall(text))


def length(text: str) -> int:
    """Option length in characters, ignoring surrounding and doubled whitespace."""
    return len(" ".join(text.split()))


Pick = Callable[[Scenario, Sequence[Choice]], Choice]


def _longest(_: Scenario, options: Sequence[Choice]) -> Choice:
    return max(options, key=lambda c: (length(c.option.text), -c.index))


def _shortest(_: Scenario, options: Sequence[Choice]) -> Choice:
    return min(options, key=lambda c: (length(c.option.text), c.index))


def _first(_: Scenario, options: Sequence[Choice]) -> Choice:
    return min(options, key=lambda c: c.index)


def _keyword(scenario: Scenario, options: Sequence[Choice]) -> Choice:
    language = scenario.meta.language
    return max(options, key=lambda c: (keyword_count(c.option.text, language), -c.index))


STRATEGIES: dict[str, Pick] = {
    "always-longest": _longest,
    "always-shortest": _shortest,
    "always-first-in-file": _first,
    "keyword": _keyword,
}
"""Naive strategies, each of which must fail every drill."""


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision on the best path and what its best option looks like."""

    node: str
    best: str
    """The option id the best path takes."""
    options: int
    best_longest: bool
    """The best option is strictly longer than every other available option."""
    best_first: bool
    """The best option comes first in the file among the available options."""
    length_ratio: float
    """Best option's length over the mean length of the others."""


@dataclass(frozen=True, slots=True)
class StrategyRun:
    """A naive strategy played through a drill."""

    name: str
    overall: float
    passed: bool
    outcome: str
    path: tuple[str, ...]


@dataclass(frozen=True)
class CueReport:
    """Cue figures of one drill."""

    scenario: Scenario
    decisions: tuple[Decision, ...]
    strategies: tuple[StrategyRun, ...]

    @property
    def longest(self) -> int:
        return sum(d.best_longest for d in self.decisions)

    @property
    def first(self) -> int:
        return sum(d.best_first for d in self.decisions)

    @property
    def chance(self) -> float:
        """Expected count of decisions where a cue-free pick lands on one given option."""
        return sum(1 / d.options for d in self.decisions)

    @property
    def longest_share(self) -> float:
        return self.longest / len(self.decisions) if self.decisions else 0.0

    @property
    def first_share(self) -> float:
        return self.first / len(self.decisions) if self.decisions else 0.0

    @property
    def chance_share(self) -> float:
        return self.chance / len(self.decisions) if self.decisions else 0.0

    @property
    def mean_length_ratio(self) -> float:
        ratios = [d.length_ratio for d in self.decisions]
        return sum(ratios) / len(ratios) if ratios else 0.0

    @property
    def passing_strategies(self) -> tuple[StrategyRun, ...]:
        return tuple(run for run in self.strategies if run.passed)


def best_path_decisions(scenario: Scenario, searcher: Searcher | None = None) -> list[Decision]:
    """The decisions on the drill's canonical best path (stops at an escalation)."""
    searcher = searcher or Searcher(scenario, budget=50_000)
    state, tally = searcher.root()
    path = searcher.best(state, tally).path
    out: list[Decision] = []
    for action in path:
        if action == ESCALATE:
            break
        available = machine.available(scenario, state)
        if len(available) >= 2:
            best = scenario.choice_by_id[action]
            best_len = length(best.option.text)
            others = [length(c.option.text) for c in available if c.id != action]
            out.append(
                Decision(
                    node=state.at,
                    best=action,
                    options=len(available),
                    best_longest=best_len > max(others),
                    best_first=best.index == min(c.index for c in available),
                    length_ratio=best_len / (sum(others) / len(others)),
                )
            )
        state, tally = searcher.after(state, tally, action)
    return out


def play_strategy(scenario: Scenario, name: str, pick: Pick) -> StrategyRun:
    """Play the drill always picking by ``pick``; score it with a correct call note."""
    state = machine.initial(scenario)
    tally = scoring.start(scenario)
    searcher = Searcher(scenario)
    path: list[str] = []
    while state.end is None:
        available = machine.available(scenario, state)
        if not available:
            state = machine.hang_up(scenario, state).state  # stuck: lint reports the node
            break
        choice = pick(scenario, available)
        path.append(choice.id)
        state, tally = searcher.after(state, tally, choice.id)
    end = state.end or EndState("no_agreement", None, "turn_limit")
    result = scoring.finish(scenario, tally, end, state.promise, scoring.ASSUME_NOTE)
    return StrategyRun(name, result.overall, result.passed, result.ending, tuple(path))


_CACHE: dict[int, tuple[Scenario, CueReport]] = {}


def cue_report(scenario: Scenario) -> CueReport:
    """Cue figures of a drill (cached per scenario object: lint asks twice)."""
    cached = _CACHE.get(id(scenario))
    if cached is not None and cached[0] is scenario:
        return cached[1]
    report = CueReport(
        scenario,
        tuple(best_path_decisions(scenario)),
        tuple(play_strategy(scenario, name, pick) for name, pick in STRATEGIES.items()),
    )
    _CACHE[id(scenario)] = (scenario, report)
    return report


@dataclass(frozen=True)
class LibraryCues:
    """Cue figures pooled over drills."""

    reports: tuple[CueReport, ...]

    @property
    def decisions(self) -> int:
        return sum(len(r.decisions) for r in self.reports)

    @property
    def longest_share(self) -> float:
        return sum(r.longest for r in self.reports) / self.decisions if self.decisions else 0.0

    @property
    def first_share(self) -> float:
        return sum(r.first for r in self.reports) / self.decisions if self.decisions else 0.0

    @property
    def chance_share(self) -> float:
        return sum(r.chance for r in self.reports) / self.decisions if self.decisions else 0.0

    def passes(self, strategy: str) -> int:
        """Drills the strategy passes."""
        return sum(run.passed for r in self.reports for run in r.strategies if run.name == strategy)


def library_cues(scenarios: Sequence[Scenario]) -> LibraryCues:
    return LibraryCues(tuple(cue_report(s) for s in scenarios))


def render_drill(report: CueReport) -> list[str]:
    """Lines for a drill's cue figures (playthrough's summary)."""
    n = len(report.decisions)
    lines = [
        f"  cues: best option longest at {report.longest}/{n} decisions "
        f"({report.longest_share:.0%}), first in file at {report.first}/{n} "
        f"({report.first_share:.0%}); chance {report.chance_share:.0%}; "
        f"best/others length {report.mean_length_ratio:.2f}x",
    ]
    runs = ", ".join(
        f"{run.name} {run.overall:.1f} {'PASS' if run.passed else 'fail'}"
        for run in report.strategies
    )
    lines.append(f"  naive strategies: {runs}")
    return lines


def render_library(cues: LibraryCues) -> list[str]:
    """Lines for the pooled figures (playthrough's and lint's summary)."""
    drills = len(cues.reports)
    passes = ", ".join(f"{name} passes {cues.passes(name)}/{drills}" for name in STRATEGIES)
    return [
        f"library cues over {cues.decisions} decisions: best option longest "
        f"{cues.longest_share:.1%} (ceiling {LONGEST_CEILING_LIBRARY:.0%}), first in file "
        f"{cues.first_share:.1%} (ceiling {FIRST_CEILING_LIBRARY:.0%}), chance "
        f"{cues.chance_share:.1%}",
        f"naive strategies: {passes} drills",
    ]
