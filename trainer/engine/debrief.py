"""The debrief: what happened at each turn, what it cost, and what would have been better.

Good call coaching replays the call and stops at each decision: what the debtor said,
what the collector answered, which behaviours that showed, which rule it broke (with
the exact citation, because "you can't say that" is not coaching), and what a better
answer would have been. It ends with **Start / Stop / Continue**: behaviours to add,
to drop and to keep, the format several commercial role-play trainers use.

Everything here is derived, not hand-written per scenario:

- the **better answer** at a turn is the option (or the escalate action) from which the
  highest overall score is still reachable, found by :class:`~trainer.engine.search.Searcher`
  over the rest of the scenario graph; it is shown only when it beats the trainee's
  choice;
- **Stop** lists the bad-practice tags used and the rules broken; **Continue** the
  good-practice tags used; **Start** the good-practice tags on the scenario's best path
  that the trainee never showed, plus reading back and noting the promise when those
  were missed.

Like the score, the debrief holds codes (tag names, rule ids, option ids, score facts)
and no sentences of its own; :class:`~trainer.messages.Messages` renders it in
the reader's language, and :meth:`Debrief.render` writes it as plain text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from trainer.engine import scoring
from trainer.engine.machine import EndState
from trainer.engine.model import Scenario
from trainer.engine.scoring import Item, Score, Violation
from trainer.engine.search import ESCALATE, Searcher
from trainer.engine.session import Session
from trainer.messages import Messages

IMPROVEMENT = 0.5
"""A better option is shown only if it can reach at least this many more overall points."""


@dataclass(frozen=True, slots=True)
class TagNote:
    """A behaviour shown at a turn (its label: :meth:`Messages.tag`)."""

    name: str
    polarity: str


@dataclass(frozen=True, slots=True)
class Alternative:
    """The best move at a turn, and the best overall score reachable after it."""

    action: str
    """An option id, or ``"escalate"``."""
    text: str
    """The option's words; empty for escalating (:meth:`Messages.said` names it)."""
    value: float


@dataclass(frozen=True)
class TurnReview:
    """One turn of the call, explained."""

    turn: int
    node: str
    heard: str
    """What the trainee was answering (the last line before the turn)."""
    action: str
    said: str
    """The option's words; empty for a non-verbal action."""
    option: str | None
    tags: tuple[TagNote, ...]
    violations: tuple[Violation, ...]
    mood_before: Mapping[str, int]
    mood_after: Mapping[str, int]
    reply: tuple[str, ...]
    items: tuple[Item, ...]
    """Score items earned or lost at this turn."""
    chosen_value: float
    """Best overall score still reachable after the trainee's move."""
    best: Alternative | None
    """The best move here, when it beats the trainee's by :data:`IMPROVEMENT` or more."""


@dataclass(frozen=True, slots=True)
class Advice:
    """One Start / Stop / Continue entry (its wording: :meth:`Messages.advice`)."""

    kind: Literal["start", "stop", "continue"]
    source: str
    """``tag:<name>`` or ``rule:<id>``."""


@dataclass(frozen=True)
class Debrief:
    scenario: Scenario = field(repr=False, compare=False)
    score: Score
    turns: tuple[TurnReview, ...]
    advice: tuple[Advice, ...]
    best_possible: float
    """The highest overall score the scenario allows (with a correct note)."""
    best_path: tuple[str, ...]
    truncated: bool
    """The search hit its bounds; recommendations are the best found within them."""
    end: EndState | None = field(default=None)

    def advice_of(self, kind: str) -> tuple[Advice, ...]:
        return tuple(a for a in self.advice if a.kind == kind)

    @property
    def call_items(self) -> tuple[Item, ...]:
        """Score items tied to no reviewed turn: the call note, and a reading taken
        before the first turn (the peak anger of a call that never got angrier)."""
        turns = {review.turn for review in self.turns}
        return tuple(item for item in self.score.items if item.turn not in turns)

    def render(self, language: str = "en") -> str:
        """Plain-text debrief: English headings, the explanations in ``language``."""
        say = Messages(self.scenario, language)
        s = self.score
        out = [
            f"Overall {s.overall:.1f} / pass mark {s.pass_mark}: {s.grade.upper()}"
            + (" (critical violation)" if s.critical else ""),
            f"  compliance {s.compliance:.1f}  de-escalation {s.deescalation:.1f}  "
            f"outcome {s.outcome:.1f}  ending {s.ending}",
            f"  best possible in this drill: {self.best_possible:.1f}",
            "",
        ]
        for review in self.turns:
            out.append(f"Turn {review.turn} [{review.node}] {say.said(review.action, review.said)}")
            if review.tags:
                out.append("  tags: " + ", ".join(f"{t.name}({t.polarity})" for t in review.tags))
            for v in review.violations:
                out.append(
                    f"  broke {v.rule_id} ({v.severity}): {say.rule_title(v.rule_id)} — "
                    f"{v.citation}"
                )
            for item in review.items:
                if item.points:
                    out.append(f"  {item.points:+.1f} {item.component}: {say.item(item)}")
            if review.best is not None:
                out.append(
                    f"  better: {say.said(review.best.action, review.best.text)} "
                    f"(up to {review.best.value:.1f}, yours up to {review.chosen_value:.1f})"
                )
        for kind in ("start", "stop", "continue"):
            entries = self.advice_of(kind)
            if entries:
                out.append("")
                out.append(kind.capitalize() + ":")
                out.extend(f"  - {say.advice(a)}" for a in entries)
        return "\n".join(out)


def debrief(session: Session, *, searcher: Searcher | None = None) -> Debrief:
    """Explain a session turn by turn, with computed better options and advice."""
    scenario = session.scenario
    searcher = searcher or Searcher(scenario)
    result = scoring.score(session)
    tags = scenario.tags

    tally = scoring.start(scenario)
    reviews: list[TurnReview] = []
    heard = session.transcript[0].text if session.transcript else ""
    by_turn: dict[int, list[Item]] = {}
    for item in result.items:
        if item.turn is not None:
            by_turn.setdefault(item.turn, []).append(item)

    options = {c.id: c.option.text for c in scenario.choice_by_id.values()}
    states_after = [*session.history[1:], session.state]
    for turn, before, after in zip(session.turns, session.history, states_after, strict=True):
        after_tally = scoring.add(scenario, tally, turn)
        alternatives = [
            Alternative(
                a,
                options.get(a, ""),
                searcher.value_of(before, tally, a).value,
            )
            for a in searcher.actions(before)
        ]
        # The engine is deterministic, so the best still reachable after the trainee's
        # move is a search from the state that move produced (a finished call scores as is).
        chosen = searcher.best(after, after_tally).value
        top = max(alternatives, key=lambda a: a.value, default=None)
        better = top if top is not None and top.value >= chosen + IMPROVEMENT else None
        reviews.append(
            TurnReview(
                turn=turn.number,
                node=turn.node,
                heard=heard,
                action=turn.action,
                said=turn.text,
                option=turn.option,
                tags=tuple(TagNote(t, tags[t].polarity) for t in turn.tags if t in tags),
                violations=tuple(v for v in result.violations if v.turn == turn.number),
                mood_before=turn.mood_before,
                mood_after=turn.mood_after,
                reply=tuple(line.text for line in turn.lines),
                items=tuple(by_turn.get(turn.number, ())),
                chosen_value=chosen,
                best=better,
            )
        )
        if turn.lines:
            heard = turn.lines[-1].text
        tally = after_tally

    root_state, root_tally = searcher.root()
    best_found = searcher.best(root_state, root_tally)
    advice = _advice(session, result, best_found.path)
    return Debrief(
        scenario,
        result,
        tuple(reviews),
        advice,
        best_found.value,
        best_found.path,
        searcher.truncated,
        session.ending,
    )


def _advice(session: Session, result: Score, best_path: tuple[str, ...]) -> tuple[Advice, ...]:
    scenario = session.scenario
    tags = scenario.tags
    used: dict[str, None] = {}
    for turn in session.turns:
        for name in turn.tags:
            used.setdefault(name)
    advice: list[Advice] = []
    best_tags: dict[str, None] = {}
    for action in best_path:
        if action == ESCALATE:
            best_tags.setdefault("escalate")
            continue
        for name in scenario.choice_by_id[action].option.tags:
            best_tags.setdefault(name)
    for name in best_tags:
        if name in tags and tags[name].polarity == "good" and name not in used:
            advice.append(Advice("start", f"tag:{name}"))
    missed = {i.source for i in result.items if i.component == "outcome" and i.points == 0}
    if session.promise is not None:
        if "tag:recap_promise" in missed and "recap_promise" not in best_tags:
            advice.append(Advice("start", "tag:recap_promise"))
        if missed & {"note", "note:amount", "note:date", "note:channel"}:
            advice.append(Advice("start", "tag:record_note"))
    seen_rules: set[str] = set()
    for v in result.violations:
        if v.rule_id not in seen_rules:
            seen_rules.add(v.rule_id)
            advice.append(Advice("stop", f"rule:{v.rule_id}"))
    for name in used:
        if name in tags and tags[name].polarity == "bad":
            advice.append(Advice("stop", f"tag:{name}"))
    for name in used:
        if name in tags and tags[name].polarity == "good":
            advice.append(Advice("continue", f"tag:{name}"))
    return tuple(advice)
