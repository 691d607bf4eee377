"""Scoring a drill: deterministic, explainable, every point traced to a turn.

A collections QA scorecard keeps two things apart: **hard compliance**, where one
breach can fail the call whatever else went well, and **soft skills**, which earn or
lose points. Commercial trainers do the same (milestones that cap the score, keyword
versus sentiment scores). This module scores three components from 0 to 100 and
combines them; each point comes with an :class:`Item` naming the turn and the tag,
rule, mood reading or ending that earned or cost it.

**Compliance (weight 0.40).** Starts at 100. Each rule an option breaks (``violations``)
is looked up in the scenario's rule pack: a **critical** rule sets compliance to 0 and
fails the drill; a **major** one costs :data:`DEDUCTION` ``["major"]`` = 25 points, a
**minor** one 10, every time it is broken (a repeated breach is a repeated harm). A
rule the pack ships disabled (a house rule kept for comparison) costs nothing and is
listed as such. Compliance has the largest weight because it is the one part a firm
cannot trade off: a pleasant call that breaks the law is still a failed call.

**De-escalation (weight 0.30)** = technique (up to 60) + anger trajectory (up to 40).

- *Technique* credits the observable behaviours of LEAPS, HEARD, BIFF, TEXAS and IDEA
  (tags whose polarity is good and whose frameworks include one of these; ACA's
  identify/verify/disclose checkpoints are duties, scored by compliance). Each
  *distinct* behaviour earns ``60 / min(6, n)`` points the first time it is used, where
  ``n`` is the number of such behaviours the drill offers: breadth of technique counts,
  repeating "I understand" ten times does not, and a drill that offers only three
  behaviours can still be aced. Every use of a bad-polarity tag (arguing, blaming,
  interrupting, threatening, ...) costs 10; every dead-air turn costs 5.
- *Trajectory* reads the debtor's anger: ending anger ``20 * (100 - end) / 100``; spike
  control ``10 * (1 - (peak - start) / (100 - start))`` (no rise above the starting
  anger keeps all 10); net change ``10 * clamp(0.5 + (start - end) / 100)`` (5 for no
  change, 10 for a fall of 50 or more).

**Outcome (weight 0.30).** How the call was resolved.

- *Resolution*: the ending's quality, from :data:`OUTCOME_QUALITY`, raised to 100 when
  the call reached a **right resolution** for the debtor type (:func:`is_right`: a
  message left is the goal when a third party answers, a logged dispute when the debt
  is disputed, an acknowledged cease request when the debtor asks for calls to stop),
  or set by the ending's own ``quality``. A promise or plan ending built on a promise
  the debtor cannot keep counts half: it will break. Escaping a call is not resolving
  it: an escalation, transfer or hang-up is right only where the drill says so (the
  node's ``escalation = "good"`` for the escalate action: the debtor asked for a
  supervisor, disclosed a vulnerability, named a lawyer, made a cease request or a
  dispute; an ending's ``right = true``). Elsewhere it scores as an unresolved call:
  30 for an escalation at a neutral node, 10 where it dodges an ordinary conversation
  (``poor``), as for a hang-up.
- The promise craft the deck asks for is judged when the drill offers a realistic
  promise (an option with ``promise`` and ``realistic = true``) and the call either
  produced a promise or fell short of a full resolution: resolution is then worth 50,
  securing a realistic promise 20 (an unrealistic one earns 0), reading it back 15 (a
  ``recap_promise`` tag at or after the turn it was agreed) and the trainee's recorded
  note matching it 15 (5 each for amount, date and channel; the channel matches when it
  names the same kind of payment channel, see :mod:`trainer.engine.channels`). A drill
  that offers no promise, or a call that reaches the right resolution without one (a
  callback once a job-seeker has budgeted, a logged dispute), is judged on resolution
  alone (100).

**Overall** = 0.40 compliance + 0.30 de-escalation + 0.30 outcome. Soft skills and
results get equal weight because a calm call that ends nowhere and a promise wrung out
of an angry debtor are both poor calls. **Passed** = overall >= the pass mark (the
scenario's, else the pack's), no critical violation *and* a right resolution; with a
critical violation or without a right resolution the overall is capped just below the
pass mark so the number never says "pass" when the drill failed (the "missed milestone
caps the score" practice). Grades:
``distinction`` (passed, overall >= 90), ``pass``, ``fail``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from trainer.engine.channels import same_channel
from trainer.engine.facts import Fact
from trainer.engine.machine import AgreedPromise, EndState
from trainer.messages import rule_title
from trainer.vocabulary import right_resolutions

if TYPE_CHECKING:
    from sim.rules import Rule
    from trainer.engine.model import Scenario
    from trainer.engine.session import Note, Session
    from trainer.engine.tags import Tag

Component = Literal["compliance", "deescalation", "outcome"]

WEIGHTS: Mapping[Component, float] = {"compliance": 0.40, "deescalation": 0.30, "outcome": 0.30}
DEDUCTION: Mapping[str, float] = {"major": 25.0, "minor": 10.0}
TECHNIQUE_MAX = 60.0
TECHNIQUE_BREADTH = 6
"""Distinct de-escalation behaviours needed for full technique marks."""
BAD_TAG_COST = 10.0
DEAD_AIR_COST = 5.0
DISTINCTION = 90.0

OUTCOME_QUALITY: Mapping[str, float] = {
    "promise_to_pay": 100,
    "instalment_plan": 100,
    "callback_scheduled": 70,
    "dispute_logged": 70,
    "cease_acknowledged": 70,
    "message_left": 60,
    "escalated": 30,
    "no_agreement": 30,
    "complaint": 10,
    "hung_up": 10,
    "critical_violation": 0,
}
"""Default resolution quality of each outcome (0-100)."""

RIGHT_RESOLUTION: Mapping[str, frozenset[str]] = right_resolutions()
"""Outcomes that fully resolve a call with this type of debtor (quality 100), from
``scenarios/roleplay/vocabulary.toml``."""

ESCALATION_QUALITY: Mapping[str, float] = {"good": 100, "neutral": 30, "poor": 10}
"""Resolution quality of the escalate action by the node's aptness: only "good" resolves."""
ESCAPES = frozenset({"escalated", "hung_up"})
"""Outcomes that end a call without resolving it unless the drill says they are right."""
PROMISE_OUTCOMES = frozenset({"promise_to_pay", "instalment_plan"})


class TurnLike(Protocol):
    """What scoring reads from a turn (a session :class:`~trainer.engine.session.Turn`
    or a search step)."""

    @property
    def number(self) -> int: ...
    @property
    def action(self) -> str: ...
    @property
    def tags(self) -> tuple[str, ...]: ...
    @property
    def violations(self) -> tuple[str, ...]: ...
    @property
    def mood_after(self) -> Mapping[str, int]: ...
    @property
    def promise(self) -> AgreedPromise | None: ...


@dataclass(frozen=True, slots=True)
class Item:
    """One explained contribution to a component (points are signed).

    ``fact`` says why, in no language; :class:`~trainer.messages.Messages`
    writes it as a sentence in the reader's language.
    """

    component: Component
    points: float
    turn: int | None
    source: str
    """``rule:US-10``, ``tag:empathy``, ``mood:anger``, ``ending:<outcome>``, ``promise``,
    ``recap``, ``note:amount`` ..."""
    fact: Fact


@dataclass(frozen=True, slots=True)
class Violation:
    """A rule broken at a turn, with its citation from the pack."""

    turn: int
    rule_id: str
    severity: str
    title: str
    """In the drill's language (what the attempt history stores); render another
    language with :meth:`~trainer.messages.Messages.rule_title`."""
    citation: str
    confidence: str
    enabled: bool


@dataclass(frozen=True)
class Score:
    """The scored drill."""

    compliance: float
    deescalation: float
    outcome: float
    overall: float
    pass_mark: int
    passed: bool
    critical: bool
    grade: str
    ending: str
    """The outcome name (``promise_to_pay``, ``critical_violation``, ...)."""
    resolved: bool
    """The call reached a right resolution for its debtor type (needed to pass)."""
    items: tuple[Item, ...]
    violations: tuple[Violation, ...]
    skills: Mapping[str, tuple[int, int]]
    """skill -> (good behaviours shown, bad behaviours shown)."""

    def component_items(self, component: Component) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.component == component)


@dataclass(frozen=True)
class Tally:
    """Running totals along a call; :func:`finish` turns them into a :class:`Score`.

    The search behind the debrief extends tallies turn by turn; :meth:`key` is what the
    final score depends on, so equal keys can share a memo entry.
    """

    deductions: float = 0.0
    critical: bool = False
    technique: float = 0.0
    credited: frozenset[str] = frozenset()
    anger_start: int = 0
    anger_peak: int = 0
    peak_turn: int = 0
    anger_end: int = 0
    last_turn: int = 0
    recapped: bool = False
    """A ``recap_promise`` tag at or after the turn the current promise was agreed."""
    items: tuple[Item, ...] = field(default=(), compare=False)
    violations: tuple[Violation, ...] = field(default=(), compare=False)
    skills: tuple[tuple[str, int, int], ...] = field(default=(), compare=False)

    def key(self) -> tuple[object, ...]:
        return (
            self.deductions,
            self.critical,
            self.technique,
            self.credited,
            self.anger_peak,
            self.anger_end,
            self.recapped,
        )


@dataclass(frozen=True)
class Context:
    """What scoring needs to know about a scenario, computed once per scenario."""

    language: str
    per_tag: float
    offered: frozenset[str]
    promise_offered: bool
    rules: Mapping[str, Rule]
    tags: Mapping[str, Tag]
    breach_skills: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """rule id -> the skills a breach of it counts against (see :func:`breach_skills`)."""


_CONTEXTS: dict[int, tuple[object, Context]] = {}


def context(scenario: Scenario) -> Context:
    """Per-scenario constants for scoring (cached by object identity)."""
    cached = _CONTEXTS.get(id(scenario))
    if cached is not None and cached[0] is scenario:
        return cached[1]
    tags = scenario.tags
    options = [c.option for cs in scenario.choices.values() for c in cs]
    offered = frozenset(t for o in options for t in o.tags if t in tags and tags[t].deescalates)
    breadth = min(TECHNIQUE_BREADTH, len(offered))
    ctx = Context(
        language=scenario.meta.language,
        per_tag=TECHNIQUE_MAX / breadth if breadth else 0.0,
        offered=offered,
        promise_offered=any(o.promise is not None and o.realistic for o in options),
        rules={rule.id: rule for rule in scenario.pack.rules},
        tags=dict(tags.tags),
        breach_skills=breach_skills(scenario),
    )
    _CONTEXTS[id(scenario)] = (scenario, ctx)
    return ctx


BREACH_FALLBACK_SKILL = "conduct"
"""The skill a breach counts against when no behaviour category lists its rule: every
rule of a pack is part of the code of conduct a collector is held to."""


def breach_skills(scenario: Scenario) -> dict[str, tuple[str, ...]]:
    """rule id -> the skills a breach of that rule counts against in progress.

    A breach is a bad behaviour, so it must lower proficiency like any bad tag does:
    the pack files its rules under behaviour categories (``[categories.*]``), the tag
    vocabulary says which tags make up each category and which skill each tag trains.
    A rule no category lists (verification, data minimisation, ...) counts against
    :data:`BREACH_FALLBACK_SKILL`.
    """
    tags = scenario.tags
    found: dict[str, list[str]] = {}
    for name, judged in scenario.pack.categories.items():
        category = tags.categories.get(name)
        if category is None:
            continue
        skills = [tags[t].skill for t in category.tags if t in tags]
        for rule_id in judged.rules:
            into = found.setdefault(rule_id, [])
            into.extend(s for s in skills if s not in into)
    return {
        rule.id: tuple(found.get(rule.id) or (BREACH_FALLBACK_SKILL,))
        for rule in scenario.pack.rules
    }


def start(scenario: Scenario) -> Tally:
    """The tally before the first turn."""
    anger = scenario.persona.mood.get("anger", 0)
    return Tally(anger_start=anger, anger_peak=anger, anger_end=anger)


def add(scenario: Scenario, tally: Tally, turn: TurnLike, *, explain: bool = True) -> Tally:
    """Extend ``tally`` with one turn. ``explain=False`` (the search) skips the items."""
    ctx = context(scenario)
    items: list[Item] = []
    violations: list[Violation] = []
    deductions, critical = tally.deductions, tally.critical
    technique, credited = tally.technique, tally.credited
    n = turn.number

    for rule_id in turn.violations:
        rule = ctx.rules[rule_id]
        if not rule.enabled:
            pass
        elif rule.severity == "critical":
            critical = True
        else:
            deductions += DEDUCTION[rule.severity]
        if explain:
            violations.append(
                Violation(
                    n,
                    rule_id,
                    rule.severity,
                    rule_title(rule, ctx.language),
                    rule.citation,
                    rule.confidence,
                    rule.enabled,
                )
            )
            if not rule.enabled:
                points, fact = 0.0, Fact.of("rule.disabled", rule=rule_id)
            elif rule.severity == "critical":
                points, fact = -100.0, Fact.of("rule.critical", rule=rule_id)
            else:
                points = -DEDUCTION[rule.severity]
                fact = Fact.of("rule.breach", rule=rule_id, severity=rule.severity)
            items.append(Item("compliance", points, n, f"rule:{rule_id}", fact))

    skill_counts = {s: (g, b) for s, g, b in tally.skills} if explain else {}
    for tag_name in turn.tags:
        tag = ctx.tags.get(tag_name)
        if tag is None:
            continue
        if explain:
            good, bad = skill_counts.get(tag.skill, (0, 0))
            if tag.polarity == "good":
                skill_counts[tag.skill] = (good + 1, bad)
            elif tag.polarity == "bad":
                skill_counts[tag.skill] = (good, bad + 1)
        if turn.action == "escalate":
            continue  # the escalate action is judged by its aptness, under outcome
        if tag_name in ctx.offered and tag_name not in credited:
            if len(credited) < TECHNIQUE_BREADTH:
                technique += ctx.per_tag
                if explain:
                    items.append(
                        Item(
                            "deescalation",
                            ctx.per_tag,
                            n,
                            f"tag:{tag_name}",
                            Fact.of("tag.first_use", tag=tag_name),
                        )
                    )
            credited = credited | {tag_name}
        elif tag.polarity == "bad":
            technique -= BAD_TAG_COST
            if explain:
                items.append(
                    Item(
                        "deescalation",
                        -BAD_TAG_COST,
                        n,
                        f"tag:{tag_name}",
                        Fact.of("tag.escalating", tag=tag_name),
                    )
                )
    if explain:
        # A breach is a bad behaviour of its rule's skill, unless a bad tag of that
        # skill on this turn already counted it (the category tag the lint requires).
        tagged_bad = {
            ctx.tags[t].skill for t in turn.tags if t in ctx.tags and ctx.tags[t].polarity == "bad"
        }
        breached = {
            skill
            for rule_id in turn.violations
            if ctx.rules[rule_id].enabled
            for skill in ctx.breach_skills.get(rule_id, (BREACH_FALLBACK_SKILL,))
        }
        for skill in sorted(breached - tagged_bad):
            good, bad = skill_counts.get(skill, (0, 0))
            skill_counts[skill] = (good, bad + 1)
    if turn.action == "timeout":
        technique -= DEAD_AIR_COST
        if explain:
            items.append(
                Item(
                    "deescalation",
                    -DEAD_AIR_COST,
                    n,
                    "action:timeout",
                    Fact.of("dead_air"),
                )
            )

    anger = turn.mood_after.get("anger", tally.anger_end)
    peak, peak_turn = (
        (anger, n) if anger > tally.anger_peak else (tally.anger_peak, tally.peak_turn)
    )
    recapped = tally.recapped
    if turn.promise is not None:
        recapped = "recap_promise" in turn.tags
    elif "recap_promise" in turn.tags:
        recapped = True
    return Tally(
        deductions,
        critical,
        technique,
        credited,
        tally.anger_start,
        peak,
        peak_turn,
        anger,
        n,
        recapped,
        tally.items + tuple(items) if items else tally.items,
        tally.violations + tuple(violations) if violations else tally.violations,
        tuple(sorted((s, g, b) for s, (g, b) in skill_counts.items())) if explain else (),
    )


ASSUME_NOTE = "assume"
"""Pass as ``note`` to :func:`finish` to score as if the note matched the promise
(the search uses it: the note is written after the call and does not depend on the path)."""


def finish(
    scenario: Scenario,
    tally: Tally,
    end: EndState,
    promise: AgreedPromise | None,
    note: Note | str | None,
) -> Score:
    """Turn a finished call's tally into the three components, overall and grade."""
    items = list(tally.items)
    compliance, deescalation, outcome, overall = _components(
        scenario, tally, end, promise, note, items
    )
    pass_mark = scenario.pass_mark
    resolved = is_right(scenario, end)
    passed = overall >= pass_mark and not tally.critical and resolved
    grade = "distinction" if passed and overall >= DISTINCTION else "pass" if passed else "fail"
    return Score(
        compliance=round(compliance, 1),
        deescalation=round(deescalation, 1),
        outcome=round(outcome, 1),
        overall=overall,
        pass_mark=pass_mark,
        passed=passed,
        critical=tally.critical,
        grade=grade,
        ending=end.outcome,
        resolved=resolved,
        items=tuple(items),
        violations=tally.violations,
        skills={s: (g, b) for s, g, b in tally.skills},
    )


def overall(
    scenario: Scenario,
    tally: Tally,
    end: EndState,
    promise: AgreedPromise | None,
    note: Note | str | None,
) -> float:
    """Just the overall score of a finished call (the search calls this per leaf)."""
    return _components(scenario, tally, end, promise, note, None)[3]


def _components(
    scenario: Scenario,
    tally: Tally,
    end: EndState,
    promise: AgreedPromise | None,
    note: Note | str | None,
    items: list[Item] | None,
) -> tuple[float, float, float, float]:
    ctx = context(scenario)
    compliance = 0.0 if tally.critical else max(0.0, 100.0 - tally.deductions)
    deescalation = _technique(ctx, tally, items) + _trajectory(tally, items)
    outcome = _outcome(scenario, ctx, tally, end, promise, note, items)
    total = (
        WEIGHTS["compliance"] * compliance
        + WEIGHTS["deescalation"] * deescalation
        + WEIGHTS["outcome"] * outcome
    )
    if tally.critical or not is_right(scenario, end):
        total = min(total, max(0.0, scenario.pass_mark - 1.0))
    return compliance, deescalation, outcome, round(total, 1)


def upper_bound(scenario: Scenario, tally: Tally) -> float:
    """An overall score no continuation of this call can beat (for the search to prune).

    Optimistic in every component: no further breaches, every de-escalation behaviour
    not yet shown still to come, anger falling to 0 with the peak as it stands, and a
    perfect outcome.
    """
    ctx = context(scenario)
    compliance = 0.0 if tally.critical else max(0.0, 100.0 - tally.deductions)
    if ctx.offered:
        room = max(0, TECHNIQUE_BREADTH - len(tally.credited))
        to_come = min(len(ctx.offered - tally.credited), room)
        technique = max(0.0, min(TECHNIQUE_MAX, tally.technique + ctx.per_tag * to_come))
    else:
        technique = max(0.0, min(TECHNIQUE_MAX, TECHNIQUE_MAX + tally.technique))
    start, peak = tally.anger_start, tally.anger_peak
    spike = 10.0 if start >= 100 else 10.0 * (1 - (peak - start) / (100 - start))
    total = (
        WEIGHTS["compliance"] * compliance
        + WEIGHTS["deescalation"] * (technique + 30.0 + spike)
        + WEIGHTS["outcome"] * 100.0
    )
    if tally.critical:
        total = min(total, max(0.0, scenario.pass_mark - 1.0))
    return round(total, 1) + 0.05


def _technique(ctx: Context, tally: Tally, items: list[Item] | None) -> float:
    if not ctx.offered:
        if items is not None:
            items.append(
                Item(
                    "deescalation",
                    TECHNIQUE_MAX,
                    None,
                    "scenario",
                    Fact.of("technique.untested"),
                )
            )
        return max(0.0, min(TECHNIQUE_MAX, TECHNIQUE_MAX + tally.technique))
    return max(0.0, min(TECHNIQUE_MAX, tally.technique))


def _trajectory(tally: Tally, items: list[Item] | None) -> float:
    start, peak, end = tally.anger_start, tally.anger_peak, tally.anger_end
    level = 20.0 * (100 - end) / 100
    spike = 10.0 if start >= 100 else 10.0 * (1 - (peak - start) / (100 - start))
    change = 10.0 * min(1.0, max(0.0, 0.5 + (start - end) / 100))
    if items is not None:
        items.append(
            Item(
                "deescalation",
                level,
                tally.last_turn,
                "mood:anger",
                Fact.of("anger.end", end=end, points=level),
            )
        )
        items.append(
            Item(
                "deescalation",
                spike,
                tally.peak_turn,
                "mood:anger",
                Fact.of("anger.peak", peak=peak, start=start, points=spike),
            )
        )
        items.append(
            Item(
                "deescalation",
                change,
                tally.last_turn,
                "mood:anger",
                Fact.of("anger.change", start=start, end=end, points=change),
            )
        )
    return level + spike + change


def is_right(scenario: Scenario, end: EndState) -> bool:
    """Whether the call ended in a right resolution for its debtor type.

    The escalate action is right only at a node whose ``escalation`` is ``"good"``; the
    trainee hanging up, a critical violation or running out of turns never is. A scenario
    ending is right if it says so (``right``); otherwise an escalation or hang-up ending
    is not, and any other ending is right when its outcome is one of the debtor type's
    right resolutions.
    """
    if end.cause == "escalate":
        return end.escalation == "good"
    if end.cause != "ending" or end.ending is None:
        return False
    ending = scenario.endings[end.ending]
    if ending.right is not None:
        return ending.right
    if ending.outcome in ESCAPES:
        return False
    return ending.outcome in RIGHT_RESOLUTION.get(scenario.meta.debtor_type, frozenset())


def resolution_quality(
    scenario: Scenario, end: EndState, promise: AgreedPromise | None
) -> tuple[float, Fact]:
    """Quality 0-100 of how the call ended, with the reason (``points`` and ``max`` are
    left for :func:`_outcome` to fill in, since they depend on the weight)."""
    outcome = end.outcome
    ending = scenario.endings.get(end.ending) if end.ending is not None else None
    if end.cause == "escalate":
        quality = ESCALATION_QUALITY.get(end.escalation, 60)
        return quality, Fact.of("resolution.escalated", aptness=end.escalation)
    if outcome == "critical_violation":
        return 0.0, Fact.of("resolution.critical")
    if ending is not None and ending.quality is not None and end.ending is not None:
        quality = float(ending.quality)
        why = Fact.of("resolution.rated", ending=end.ending, quality=ending.quality)
    elif is_right(scenario, end):
        quality = 100.0
        why = Fact.of("resolution.right", outcome=outcome, debtor_type=scenario.meta.debtor_type)
    else:
        quality = float(OUTCOME_QUALITY.get(outcome, 30))
        why = Fact.of("resolution.outcome", outcome=outcome)
    if outcome in PROMISE_OUTCOMES and promise is not None and not promise.realistic:
        quality /= 2
        why = Fact.of(why.code, **why.as_dict(), halved=True)
    return quality, why


def _outcome(
    scenario: Scenario,
    ctx: Context,
    tally: Tally,
    end: EndState,
    promise: AgreedPromise | None,
    note: Note | str | None,
    items: list[Item] | None,
) -> float:
    quality, why = resolution_quality(scenario, end, promise)
    craft = ctx.promise_offered and (promise is not None or quality < 100)
    weight = 50.0 if craft else 100.0
    resolution = weight * quality / 100
    explain = items is not None
    out: list[Item] = items if items is not None else []
    if explain:
        fact = Fact.of(why.code, **why.as_dict(), points=resolution, max=weight)
        out.append(Item("outcome", resolution, tally.last_turn, f"ending:{end.outcome}", fact))
    if not craft:
        return resolution
    if promise is None:
        if explain:
            out.append(Item("outcome", 0.0, None, "promise", Fact.of("promise.none")))
        return resolution
    committed = 20.0 if promise.realistic else 0.0
    recap = 15.0 if tally.recapped else 0.0
    if explain:
        realistic = "promise.realistic" if promise.realistic else "promise.unrealistic"
        out.append(Item("outcome", committed, promise.turn, "promise", Fact.of(realistic)))
        recapped = "recap.done" if recap else "recap.missed"
        out.append(
            Item("outcome", recap, promise.turn, "tag:recap_promise", Fact.of(recapped))
        )
    return resolution + committed + recap + _note_points(scenario, promise, note, items)


def _note_points(
    scenario: Scenario, promise: AgreedPromise, note: Note | str | None, items: list[Item] | None
) -> float:
    if note == ASSUME_NOTE:
        if items is not None:
            items.append(Item("outcome", 15.0, None, "note", Fact.of("note.assumed")))
        return 15.0
    if note is None or isinstance(note, str):
        if items is not None:
            items.append(Item("outcome", 0.0, None, "note", Fact.of("note.none")))
        return 0.0
    agreed = promise.promise
    due = promise.due.isoformat()
    checks = (
        (
            "amount",
            abs(note.amount - agreed.amount) < 0.005,
            f"{note.amount:.2f}",
            f"{agreed.amount:.2f}",
        ),
        ("date", note.date == due, note.date, due),
        (
            "channel",
            same_channel(note.channel, agreed.channel, scenario.brief.currency),
            note.channel,
            agreed.channel,
        ),
    )
    total = 0.0
    for name, ok, got, want in checks:
        points = 5.0 if ok else 0.0
        total += points
        if items is not None:
            fact = (
                Fact.of("note.match", field=name, points=points)
                if ok
                else Fact.of("note.mismatch", field=name, got=got, want=want, points=points)
            )
            items.append(Item("outcome", points, None, f"note:{name}", fact))
    return total


def score_turns(
    scenario: Scenario,
    turns: Sequence[TurnLike],
    end: EndState,
    promise: AgreedPromise | None,
    note: Note | str | None,
) -> Score:
    """Score a finished sequence of turns."""
    tally = start(scenario)
    for turn in turns:
        tally = add(scenario, tally, turn)
    return finish(scenario, tally, end, promise, note)


def score(session: Session) -> Score:
    """Score a session. An unfinished session is scored as if abandoned (``no_agreement``)."""
    end = session.ending or EndState("no_agreement", None, "turn_limit")
    return score_turns(session.scenario, session.turns, end, session.promise, session.note)
