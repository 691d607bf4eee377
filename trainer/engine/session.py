"""A trainee's drill in progress: seeded, recorded, replayable.

A :class:`Session` plays one scenario for one trainee. It adds three things to the
rules of play in :mod:`trainer.engine.machine`:

- **Variety without luck.** Debtor lines have variants, and the options at each node
  are shown in a shuffled order, so a drill cannot be memorised as "press 2 three
  times". Both draws come from a numpy ``Generator`` seeded by ``(seed, turn)``, so the
  same seed and the same actions always give the same call, on any machine.
- **A transcript**: every line said, by whom, the option chosen, its tags and
  violations, and the mood after, as a trainer would annotate a recorded call.
- **Replay.** A session is its scenario fingerprint, seed, trainee and the list of
  actions. :meth:`Session.to_json` stores exactly that; :meth:`Session.from_json`
  re-runs the actions and refuses a scenario that has changed since.

The trainee may also record the call note (amount, date, channel of the promise)
at any time, including after the call: wrap-up notes are part of the job and are
scored against the promise actually agreed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from trainer.engine import machine
from trainer.engine.machine import AgreedPromise, EndState, State
from trainer.engine.model import Choice, Scenario

if TYPE_CHECKING:
    from trainer.engine.reply import ReplyMatch

FORMAT = "recoverylab.session/1"
"""The stored form: scenario fingerprint, seed, trainee and actions. Nothing in it is
language-dependent (non-verbal actions are stored as codes), so sessions written by any
earlier version of this format replay unchanged."""


class EngineError(Exception):
    """Misuse of the engine (an action that is not possible now)."""


class IllegalActionError(EngineError, ValueError):
    """An option number that is not offered, or an action after the call ended."""


class ReplayError(EngineError, ValueError):
    """A stored session that cannot be replayed against this scenario."""


@dataclass(frozen=True, slots=True)
class Line:
    """Something said by the debtor, a narrator or a third party."""

    speaker: str
    text: str
    at: str
    """The node or ending it belongs to."""


@dataclass(frozen=True, slots=True)
class OptionView:
    """An option as offered to the trainee: number on screen, text, stable id."""

    number: int
    text: str
    id: str


@dataclass(frozen=True, slots=True)
class Note:
    """What the trainee recorded about the promise."""

    amount: float
    date: str
    channel: str


@dataclass(frozen=True, slots=True)
class Turn:
    """One trainee action and its consequences."""

    number: int
    action: str
    """``choose``, ``timeout``, ``escalate`` or ``hang_up``."""
    node: str
    """Where the trainee acted."""
    option: str | None
    text: str
    """The option's words; empty for a non-verbal action (render it with
    :meth:`~trainer.messages.Messages.said`)."""
    tags: tuple[str, ...]
    violations: tuple[str, ...]
    mood_before: Mapping[str, int]
    mood_after: Mapping[str, int]
    lines: tuple[Line, ...]
    """What was said in reply (the reaction, and the ending's line if the call ended)."""
    end: EndState | None
    promise: AgreedPromise | None
    """The promise secured by this turn, if any."""
    escalation: str
    """The node's ``escalation`` aptness when the trainee acted."""
    typed: bool = False
    """The trainee typed ``text`` (free-reply mode): ``say`` matched ``option``, ``miss``
    matched none. ``tags`` and ``violations`` then include what the words carry."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the transcript."""

    turn: int
    speaker: str
    """``trainee``, ``debtor``, ``narrator`` or ``third_party``."""
    text: str
    """The words said; empty for the trainee's non-verbal actions (see ``action``)."""
    at: str
    option: str | None = None
    tags: tuple[str, ...] = ()
    violations: tuple[str, ...] = ()
    mood: Mapping[str, int] | None = None
    """Mood after the trainee's turn (trainee entries only)."""
    action: str | None = None
    """The trainee's action (``choose``, ``say``, ``miss``, ``timeout``, ``escalate``,
    ``hang_up``); trainee entries only."""
    typed: bool = False
    """The words are the trainee's own (free-reply mode), not an option's."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "turn": self.turn,
            "speaker": self.speaker,
            "text": self.text,
            "at": self.at,
        }
        if self.option is not None:
            out["option"] = self.option
        if self.tags:
            out["tags"] = list(self.tags)
        if self.violations:
            out["violations"] = list(self.violations)
        if self.mood is not None:
            out["mood"] = dict(self.mood)
        if self.action is not None:
            out["action"] = self.action
        if self.typed:
            out["typed"] = True
        return out


class Session:
    """One drill. Create with :meth:`start` or :meth:`from_json`."""

    def __init__(self, scenario: Scenario, seed: int, trainee: str) -> None:
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        self.scenario = scenario
        self.seed = seed
        self.trainee = trainee
        self.state: State = machine.initial(scenario)
        self.start_mood: Mapping[str, int] = dict(scenario.persona.mood)
        self.turns: list[Turn] = []
        self.history: list[State] = []
        """The engine state just before each turn (the debrief searches from these)."""
        self.transcript: list[Entry] = []
        self.actions: list[dict[str, Any]] = []
        self.note: Note | None = None
        self.lines: tuple[Line, ...] = ()
        self._offered: tuple[Choice, ...] = ()
        self._clock: tuple[datetime, str] = (scenario.brief.local_time, scenario.brief.timezone)
        rng = self._rng(0)
        self.lines = (self._say(scenario.meta.start, rng),)
        self.transcript.extend(self._entries(0, self.lines))
        self._offer(rng)

    @classmethod
    def start(cls, scenario: Scenario, seed: int = 0, trainee: str = "") -> Session:
        """Open the call: the first line is said and the first options offered."""
        return cls(scenario, seed, trainee)

    # -- what the trainee sees -------------------------------------------------------

    @property
    def line(self) -> Line:
        """The last thing said to the trainee."""
        return self.lines[-1]

    @property
    def options(self) -> list[OptionView]:
        """Options on offer now, numbered from 1 in the (seeded) order shown."""
        return [OptionView(i + 1, c.option.text, c.id) for i, c in enumerate(self._offered)]

    @property
    def mood(self) -> dict[str, int]:
        return self.state.mood_map(self.scenario)

    @property
    def flags(self) -> dict[str, Any]:
        return dict(self.state.flags)

    @property
    def node(self) -> str:
        return self.state.at

    @property
    def turn(self) -> int:
        return self.state.turn

    @property
    def finished(self) -> bool:
        return self.state.end is not None

    @property
    def ending(self) -> EndState | None:
        return self.state.end

    @property
    def promise(self) -> AgreedPromise | None:
        return self.state.promise

    @property
    def clock(self) -> tuple[datetime, str]:
        """The debtor's local date-time and zone now: the brief's, moved on by every node
        entered and every line said that set a time (``local_time``, in ``timezone`` or
        the brief's zone: a callback the next afternoon, the clock passing 22:00, a new
        number in another zone, a debtor's line "(next day, 16:10) Hello?")."""
        return self._clock

    @property
    def today(self) -> date:
        """The debtor's local date now: a promise or a call note counts "+Nd" from it."""
        return self._clock[0].date()

    @property
    def escalation(self) -> str:
        """How apt escalating would be at the current node."""
        node = self.scenario.nodes.get(self.state.at)
        return node.escalation if node is not None else "neutral"

    # -- actions -----------------------------------------------------------------------

    def choose(self, number: int) -> Turn:
        """Pick the option shown as ``number`` (1-based)."""
        self._check_open()
        if not isinstance(number, int) or not 1 <= number <= len(self._offered):
            raise IllegalActionError(
                f"option {number!r} is not offered; choose 1-{len(self._offered)}"
                if self._offered
                else "no option is offered here; escalate or hang up"
            )
        return self._choose(self._offered[number - 1])

    def choose_id(self, option_id: str) -> Turn:
        """Pick an offered option by its id (replays and tools use this)."""
        self._check_open()
        for choice in self._offered:
            if choice.id == option_id:
                return self._choose(choice)
        raise IllegalActionError(f"option {option_id!r} is not offered at node {self.state.at!r}")

    @property
    def misses(self) -> int:
        """Typed replies in a row at this node that matched no option (the app shows the
        options after two)."""
        count = 0
        for turn in reversed(self.turns):
            if turn.action != "miss" or turn.node != self.state.at:
                break
            count += 1
        return count

    def reply(self, text: str) -> tuple[ReplyMatch, Turn | None]:
        """Say ``text`` in the trainee's own words (free-reply mode).

        The reply is read by :func:`trainer.engine.reply.match_reply`. A readable reply
        always takes a turn: matched, the call goes on as if its option were chosen
        (action ``say``); unmatched, the debtor asks what the collector means (``miss``).
        Either way the rules the typed words break are scored like an option's, and a
        critical one ends the call. A reply that cannot be read (empty, too long, the
        other language) takes no turn: the match says why (``refusal``) and the turn is
        None."""
        from trainer.engine.reply import match_reply

        self._check_open()
        cleaned = CONTROL_CHARS.sub(" ", text) if isinstance(text, str) else text
        found = match_reply(
            cleaned, self.scenario.meta.language, self._offered, self.scenario.pack.pack.id,
            frozenset(r.id for r in self.scenario.pack.rules),
        )
        if found.refusal is not None:
            return found, None
        choice = found.choice
        said = {
            "do": "say" if choice is not None else "miss",
            "text": found.text,
            "option": choice.id if choice is not None else None,
            "tags": list(found.tags),
            "violations": list(found.violations),
        }
        return found, self._said(said)

    def timeout(self) -> Turn:
        """The trainee's answer timer ran out: dead air at the same node."""
        self._check_open()
        step = machine.timeout(self.scenario, self.state)
        self.actions.append({"do": "timeout"})
        return self._record("timeout", None, step, lines_from=self.state.at)

    def escalate(self) -> Turn:
        """Transfer the call to a supervisor; ends the drill."""
        self._check_open()
        step = machine.escalate(self.scenario, self.state)
        self.actions.append({"do": "escalate"})
        return self._record("escalate", None, step)

    def hang_up(self) -> Turn:
        """End the call; ends the drill."""
        self._check_open()
        step = machine.hang_up(self.scenario, self.state)
        self.actions.append({"do": "hang_up"})
        return self._record("hang_up", None, step)

    def record_note(self, amount: float, date: str | date, channel: str) -> Note:
        """Record the call note (allowed during or after the call; the last note counts)."""
        when = date if isinstance(date, str) else date.isoformat()
        try:
            amount = float(amount)
            _iso_date(when)
        except (TypeError, ValueError):
            raise IllegalActionError(
                f"a note needs a number and an ISO date (YYYY-MM-DD), got {amount!r}, {when!r}"
            ) from None
        self.note = Note(amount, when, str(channel).strip())
        self.actions.append(
            {"do": "note", "amount": amount, "date": when, "channel": self.note.channel}
        )
        return self.note

    # -- persistence -------------------------------------------------------------------

    def to_json(self) -> str:
        """The session as JSON: scenario fingerprint, seed, trainee and actions."""
        return json.dumps(
            {
                "format": FORMAT,
                "scenario": {
                    "id": self.scenario.meta.id,
                    "language": self.scenario.meta.language,
                    "fingerprint": self.scenario.fingerprint(),
                },
                "seed": self.seed,
                "trainee": self.trainee,
                "actions": self.actions,
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, scenario: Scenario, text: str) -> Session:
        """Replay a stored session against ``scenario`` (which must be unchanged)."""
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise ReplayError(f"not a {FORMAT} document")
            recorded = data["scenario"]
            seed, trainee, actions = data["seed"], data["trainee"], data["actions"]
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise ReplayError(f"not a stored session: {exc}") from None
        if (recorded.get("id"), recorded.get("language")) != scenario.key:
            raise ReplayError(
                f"session is for {recorded.get('id')}.{recorded.get('language')}, "
                f"not {scenario.meta.id}.{scenario.meta.language}"
            )
        if recorded.get("fingerprint") != scenario.fingerprint():
            raise ReplayError(
                f"scenario {scenario.meta.id}.{scenario.meta.language} has changed since "
                "this session was recorded; it cannot be replayed faithfully"
            )
        session = cls(scenario, seed, trainee)
        for i, action in enumerate(actions):
            try:
                session.apply(action)
            except (EngineError, KeyError, TypeError) as exc:
                raise ReplayError(f"action {i} ({action!r}) cannot be replayed: {exc}") from None
        return session

    def apply(self, action: Mapping[str, Any]) -> None:
        """Apply one recorded action (the inverse of what :attr:`actions` records)."""
        kind = action["do"]
        if kind == "choose":
            self.choose_id(action["option"])
        elif kind == "timeout":
            self.timeout()
        elif kind == "escalate":
            self.escalate()
        elif kind == "hang_up":
            self.hang_up()
        elif kind in ("say", "miss"):
            self._check_open()
            self._said(action)
        elif kind == "note":
            self.record_note(action["amount"], action["date"], action["channel"])
        else:
            raise IllegalActionError(f"unknown action {kind!r}")

    # -- internals ---------------------------------------------------------------------

    def _rng(self, turn: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, turn])

    def _check_open(self) -> None:
        if self.finished:
            raise IllegalActionError("the call has ended")

    def _choose(self, choice: Choice) -> Turn:
        step = machine.choose(self.scenario, self.state, choice, today=self.today)
        self.actions.append({"do": "choose", "option": choice.id})
        return self._record("choose", choice, step, lines_from=step.entered)

    def _said(self, action: Mapping[str, Any]) -> Turn:
        """Play a typed reply as read (also on replay: the stored reading is used, so a
        later analyser cannot change a recorded call)."""
        text = str(action["text"])
        tags = tuple(str(t) for t in action.get("tags", ()))
        said = tuple(str(r) for r in action.get("violations", ()))
        unknown = [r for r in said if r not in {rule.id for rule in self.scenario.pack.rules}]
        if unknown:
            raise IllegalActionError(f"rules {unknown} are not in this drill's pack")
        record = {"do": action["do"], "text": text, "option": action.get("option"),
                  "tags": list(tags), "violations": list(said)}
        if action["do"] == "say":
            choice = next((c for c in self._offered if c.id == action.get("option")), None)
            if choice is None:
                raise IllegalActionError(
                    f"option {action.get('option')!r} is not offered at node {self.state.at!r}"
                )
            step = machine.choose(self.scenario, self.state, choice, said, today=self.today)
            self.actions.append(record)
            return self._record("say", choice, step, lines_from=step.entered,
                                typed=(text, tags, said))
        step = machine.miss(self.scenario, self.state, said)
        self.actions.append(record)
        return self._record("miss", None, step, typed=(text, tags, said))

    def _say(self, at: str, rng: np.random.Generator, *, silence: bool = False) -> Line:
        """Say a line of node or ending ``at`` and move the clock where it says: to the
        node's time on entering it (not again for dead air there), then to the line's."""
        brief = self.scenario.brief
        if at in self.scenario.nodes:
            node = self.scenario.nodes[at]
            speaker = node.speaker
            pool = node.silence if silence and node.silence else node.lines
            if node.local_time is not None and not silence:
                self._clock = (node.local_time, node.timezone or brief.timezone)
        else:
            ending = self.scenario.endings[at]
            speaker, pool = ending.speaker, ending.lines
        candidates = machine.candidate_lines(pool, self.state.env(self.scenario))
        line = (
            candidates[int(rng.integers(len(candidates)))] if len(candidates) > 1 else candidates[0]
        )
        if line.local_time is not None:
            self._clock = (line.local_time, line.timezone or brief.timezone)
        return Line(speaker, line.text, at)

    def _offer(self, rng: np.random.Generator, *, keep_order: bool = False) -> None:
        """Shuffle the options for a new visit to a node. ``keep_order`` (after a timeout,
        the same node again) keeps the order on screen: numbers that move under the
        trainee's finger while they read would punish the pause twice."""
        choices = machine.available(self.scenario, self.state)
        if keep_order:
            ids = {c.id for c in choices}
            kept = [c for c in self._offered if c.id in ids]
            shown = {c.id for c in kept}
            new = [c for c in choices if c.id not in shown]
            order = rng.permutation(len(new)) if len(new) > 1 else range(len(new))
            self._offered = tuple(kept + [new[int(i)] for i in order])
            return
        order = rng.permutation(len(choices)) if len(choices) > 1 else range(len(choices))
        self._offered = tuple(choices[int(i)] for i in order)

    def _entries(self, turn: int, lines: tuple[Line, ...]) -> list[Entry]:
        return [Entry(turn, line.speaker, line.text, line.at) for line in lines]

    def _record(
        self, action: str, choice: Choice | None, step: machine.Step, lines_from: str | None = None,
        typed: tuple[str, tuple[str, ...], tuple[str, ...]] | None = None,
    ) -> Turn:
        before = self.state
        node_id = before.at
        escalation = (
            self.scenario.nodes[node_id].escalation if node_id in self.scenario.nodes else "neutral"
        )
        self.state = step.state
        rng = self._rng(self.state.turn)
        lines: list[Line] = []
        if lines_from is not None:
            lines.append(self._say(lines_from, rng, silence=action == "timeout"))
        elif action == "miss" and self.state.end is None:
            speaker = self.scenario.nodes[node_id].speaker
            lines.append(
                Line(speaker, what_do_you_mean(self.scenario.meta.language, speaker), node_id)
            )
        self.lines = tuple(lines) if lines else self.lines
        option = choice.option if choice is not None else None
        tags: tuple[str, ...] = option.tags if option is not None else ()
        if action == "escalate":
            tags = ("escalate",)
        violations = option.violations if option is not None else ()
        text = option.text if option is not None else ""
        if typed is not None:
            # The trainee's own words: what they carry counts on top of the option's.
            text = typed[0]
            tags = tags + tuple(t for t in typed[1] if t not in tags)
            violations = violations + tuple(r for r in typed[2] if r not in violations)
        mood_after = self.mood
        promise = self.state.promise if self.state.promise is not before.promise else None
        turn = Turn(
            number=self.state.turn,
            action=action,
            node=node_id,
            option=choice.id if choice is not None else None,
            text=text,
            tags=tags,
            violations=violations,
            mood_before=before.mood_map(self.scenario),
            mood_after=mood_after,
            lines=tuple(lines),
            end=self.state.end,
            promise=promise,
            escalation=escalation,
            typed=typed is not None,
        )
        self.turns.append(turn)
        self.history.append(before)
        self.transcript.append(
            Entry(
                turn.number, "trainee", text, node_id, turn.option, tags, violations, mood_after,
                action, typed is not None,
            )
        )
        self.transcript.extend(self._entries(turn.number, turn.lines))
        self._offer(rng, keep_order=action in ("timeout", "miss") and self.state.at == node_id)
        return turn


MISS_LINES = {"zh": "什么意思？", "en": "What do you mean?"}
"""What the debtor (or whoever answered) says to a reply that matches nothing."""
NARRATOR_MISS_LINES = {
    "zh": "（没看懂您这一步要做什么，请换个说法。）",
    "en": "(It is not clear what you want to do here: say it another way.)",
}
"""At a narrator's node (before dialling) nobody is on the line to ask."""

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
"""Characters a paste may carry that are not words (stored and shown as spaces)."""


def what_do_you_mean(language: str, speaker: str = "debtor") -> str:
    lines = NARRATOR_MISS_LINES if speaker == "narrator" else MISS_LINES
    return lines["zh" if language.startswith("zh") else "en"]


def _iso_date(text: str) -> date:
    return date.fromisoformat(text)
