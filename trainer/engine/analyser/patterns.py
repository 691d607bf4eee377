"""The shape of a lexicon entry and the engine that applies a lexicon to folded text.

A conduct lexicon is a list of :class:`Cue` entries: a regular expression that signals a
behaviour tag, written against folded text (simplified Chinese, lower-case English).
Three refinements keep a cue honest:

* **negation** -- "我们不会联系您的家人" and "we won't call your employer" contain the words
  of a threat but say the opposite. A negatable cue is dropped when a negator stands
  just before its core (the named group ``core``, or the whole match), inside the same
  clause and with no new subject in between ("if you don't pay, *we'll* call ..." is
  still a threat: the negation belongs to the condition).
* **unless** -- a true, lawful consequence is not a threat or a lie ("逾期记录会按规定
  报送征信", "late payments are reported as the rules require"). A cue may name words
  that, in the same sentence, mark the statement as lawful and neutral.
* **requires** -- some words are a violation only in a certain frame: contacting
  someone's employer is a threat when it is leverage ("再不还...", "unless ..."), not when
  it is a neutral fact. A cue may name words that must appear in the same sentence.
* **negation gap** -- for some tags a negator governs the core only when nothing but glue
  words stand between them: "you're not a loser" is no insult, but "I don't have time
  for losers like you" is one, although "don't" stands eight words before "losers".
* **masking** -- one behaviour can hide another's words: restating the debtor's plan is a
  paraphrase or a recap, not an offer. :data:`MASKS` says which tag's span silences
  which other tag in the same sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cue:
    """One lexicon entry: ``pattern`` signals ``tag`` (see the module docstring)."""

    tag: str
    pattern: str
    negatable: bool = False
    unless: str | None = None
    requires: str | None = None
    negation_gap: str | None = None
    """When set, a negator counts only if the words between it and the core match this."""
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)
    unless_compiled: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    requires_compiled: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    gap_compiled: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "gap_compiled", re.compile(self.negation_gap) if self.negation_gap else None
        )
        object.__setattr__(self, "compiled", re.compile(self.pattern))
        object.__setattr__(
            self, "unless_compiled", re.compile(self.unless) if self.unless else None
        )
        object.__setattr__(
            self, "requires_compiled", re.compile(self.requires) if self.requires else None
        )


@dataclass(frozen=True)
class Language:
    """What the engine needs to know about one language's grammar of negation."""

    cues: tuple[Cue, ...]
    negator: re.Pattern[str]
    """A negation word or phrase."""
    new_subject: re.Pattern[str]
    """Words that start a new clause subject, which end a negation's reach."""
    clause_break: re.Pattern[str]
    sentence_break: re.Pattern[str]
    reach: int
    """How many characters before a core a negator may stand."""


MASKS: dict[str, frozenset[str]] = {
    "offer_plan": frozenset({
        "recap_promise", "paraphrase", "false_statement", "disclose_debt", "pressure",
        "explain_purpose", "signpost_advice",
    }),
    "explain_purpose": frozenset({
        "mini_miranda", "disclose_debt", "unrealistic_promise", "set_boundary", "false_statement",
    }),
    "mini_miranda": frozenset({"disclose_debt"}),
    "pin_date": frozenset({"recap_promise"}),
    "open_question": frozenset({
        "paraphrase", "pin_date", "blame", "insult", "verify_identity", "pressure",
        "premature_demand", "recap_promise",
    }),
    "respect_request": frozenset({"paraphrase", "recap_promise"}),
    "paraphrase": frozenset({"unrealistic_promise"}),
    "premature_demand": frozenset({"verify_identity", "identify_self"}),
}
"""tag -> tags whose presence in the same sentence means the first is not meant."""


def _start_of(breaks: re.Pattern[str], text: str, before: int) -> int:
    start = 0
    for m in breaks.finditer(text, 0, before):
        start = m.end()
    return start


def _end_of(breaks: re.Pattern[str], text: str, after: int) -> int:
    m = breaks.search(text, after)
    return m.start() if m else len(text)


def negated(lang: Language, text: str, core_start: int, gap: re.Pattern[str] | None = None) -> bool:
    """Does a negator govern the word that starts at ``core_start``? With ``gap``, only
    if the words between the negator and the core are all glue (see :class:`Cue`)."""
    clause = _start_of(lang.clause_break, text, core_start)
    window = text[max(clause, core_start - lang.reach):core_start]
    last = None
    for m in lang.negator.finditer(window):
        last = m
    if last is None:
        return False
    between = window[last.end():]
    if gap is not None and not gap.fullmatch(between):
        return False
    return not lang.new_subject.search(between)


def find(lang: Language, text: str) -> dict[str, list[tuple[int, int]]]:
    """Spans of folded ``text`` per tag, after negation, lawful guards and masks."""
    found: dict[str, list[tuple[int, int]]] = {}
    for cue in lang.cues:
        for m in cue.compiled.finditer(text):
            if m.end() == m.start():
                continue
            has_core = "core" in cue.compiled.groupindex and m.group("core")
            core = m.start("core") if has_core else m.start()
            if cue.negatable and negated(lang, text, core, cue.gap_compiled):
                continue
            if cue.unless_compiled is not None or cue.requires_compiled is not None:
                s = _start_of(lang.sentence_break, text, m.start())
                e = _end_of(lang.sentence_break, text, max(m.start(), m.end() - 1))
                if cue.unless_compiled is not None and cue.unless_compiled.search(text, s, e):
                    continue
                required = cue.requires_compiled
                if required is not None and not required.search(text, s, e):
                    continue
            found.setdefault(cue.tag, []).append((m.start(), m.end()))
    for tag, maskers in MASKS.items():
        if tag not in found:
            continue
        masking = [span for other in maskers for span in found.get(other, [])]
        if not masking:
            continue
        kept = []
        for span in found[tag]:
            # The sentence the span sits in (a span may end on its own full stop).
            s = _start_of(lang.sentence_break, text, span[0])
            e = _end_of(lang.sentence_break, text, max(span[0], span[1] - 1))
            if not any(s <= a < e for a, _ in masking):
                kept.append(span)
        if kept:
            found[tag] = kept
        else:
            del found[tag]
    return {tag: _merge(spans) for tag, spans in found.items()}


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
