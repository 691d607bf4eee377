"""Facts: what the engine found, as codes and parameters, in no language.

A QA reviewer's margin note ("major breach of US-VERIFY at turn 3", "anger fell from
75 to 15") is the same observation whether the coaching is read in Shanghai or in
Ohio; only the words differ. So scoring and the debrief record each observation as a
:class:`Fact`: a code from :data:`CODES` and the parameters the sentence needs (a rule
id, a tag name, a turn, points). :mod:`trainer.messages` turns facts into
English or Chinese sentences when, and in the language in which, they are read; the
facts themselves can be compared, tested and stored without caring about language.
"""

from __future__ import annotations

from dataclasses import dataclass

Value = str | int | float | bool

CODES: frozenset[str] = frozenset({
    # compliance: a rule broken at a turn
    "rule.breach",        # rule, severity
    "rule.critical",      # rule
    "rule.disabled",      # rule
    # de-escalation: technique
    "tag.first_use",      # tag
    "tag.escalating",     # tag
    "dead_air",
    "technique.untested",
    # de-escalation: the debtor's anger over the call
    "anger.end",          # end, points
    "anger.peak",         # peak, start, points
    "anger.change",       # start, end, points
    # outcome: how the call ended (each with points, max and halved)
    "resolution.escalated",  # aptness
    "resolution.critical",
    "resolution.rated",      # ending, quality
    "resolution.right",      # outcome, debtor_type
    "resolution.outcome",    # outcome
    # outcome: the promise craft
    "promise.none",
    "promise.realistic",
    "promise.unrealistic",
    "recap.done",
    "recap.missed",
    "note.assumed",
    "note.none",
    "note.match",         # field, points
    "note.mismatch",      # field, got, want, points
})
"""Every fact code the engine emits; the message catalogue has a sentence for each."""


@dataclass(frozen=True, slots=True)
class Fact:
    """One observation: a code from :data:`CODES` and its parameters."""

    code: str
    params: tuple[tuple[str, Value], ...] = ()
    """Sorted ``(name, value)`` pairs, so equal facts compare and hash equal."""

    @classmethod
    def of(cls, code: str, **params: Value) -> Fact:
        if code not in CODES:
            raise ValueError(f"unknown fact code {code!r}")
        return cls(code, tuple(sorted(params.items())))

    def get(self, name: str, default: Value | None = None) -> Value | None:
        return next((value for key, value in self.params if key == name), default)

    def as_dict(self) -> dict[str, Value]:
        return dict(self.params)
