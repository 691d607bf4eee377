"""Patterns that suggest a trainee is gaming the drills rather than learning from them.

A score says how a call went; it cannot say *how the trainee chose*. A manager wants to
know who passes by a trick: always picking the longest answer (the classic test-taking
cue), clicking faster than anyone can read the options, or escaping the hard part of a
call by handing it to a supervisor. Each flag needs enough evidence to be fair, so a
competent trainee with the odd slip is never flagged:

- ``always_longest``: at least :data:`MIN_DECISIONS` decisions and the longest option
  chosen at :data:`LONGEST_SHARE` of them or more. With options alike in length a
  trainee who reads lands on the longest about a third of the time (chance);
- ``too_fast``: at least :data:`MIN_DECISIONS` decisions and :data:`FAST_SHARE` or more
  of them made faster than a fast reader could read the debtor's line and the options
  (:data:`READING_RATE` characters a second);
- ``escapes``: at least :data:`MIN_CALLS` calls and :data:`ESCAPE_SHARE` or more of them
  ended by escalating or hanging up;
- ``pass_by_escalation``: at least 2 passes and half or more of them by escalation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trainer.storage import Attempt, Decision
from trainer.vocabulary import vocabulary

READING_RATE = {"zh": 12.0, "en": 30.0}
"""Characters a second a fast reader takes in: about 700 Chinese characters or 350 English
words a minute, the top of ordinary reading speed. Choosing faster is not reading."""
MIN_DECISIONS = 10
MIN_CALLS = 4
LONGEST_SHARE = 0.7
FAST_SHARE = 0.5
ESCAPE_SHARE = 0.4
FLAGS = ("always_longest", "too_fast", "escapes", "pass_by_escalation")


def min_read_ms(text_chars: int, language: str) -> int:
    """The least milliseconds a fast reader needs for ``text_chars`` characters."""
    rate = READING_RATE["zh" if language.startswith("zh") else "en"]
    return round(1000 * text_chars / rate)


@dataclass(frozen=True, slots=True)
class Habits:
    """How a trainee chooses, from their decisions and finished calls."""

    decisions: int
    longest_share: float
    fast_share: float
    median_think_s: float | None
    calls: int
    escape_share: float
    passes: int
    escalation_passes: int

    @property
    def flags(self) -> tuple[str, ...]:
        out = []
        if self.decisions >= MIN_DECISIONS and self.longest_share >= LONGEST_SHARE:
            out.append("always_longest")
        if self.decisions >= MIN_DECISIONS and self.fast_share >= FAST_SHARE:
            out.append("too_fast")
        if self.calls >= MIN_CALLS and self.escape_share >= ESCAPE_SHARE:
            out.append("escapes")
        if self.passes >= 2 and self.escalation_passes * 2 >= self.passes:
            out.append("pass_by_escalation")
        return tuple(out)


def habits(attempts: Sequence[Attempt], decisions: Sequence[Decision]) -> Habits:
    v = vocabulary()
    n = len(decisions)
    times = sorted(d.think_ms for d in decisions)
    median = None
    if times:
        mid = len(times) // 2
        median = (times[mid] if len(times) % 2 else (times[mid - 1] + times[mid]) / 2) / 1000
    escapes = [a for a in attempts if v.family(a.outcome) in ("escalation", "hang_up")]
    passes = [a for a in attempts if a.passed]
    return Habits(
        decisions=n,
        longest_share=sum(d.chose_longest for d in decisions) / n if n else 0.0,
        fast_share=sum(d.think_ms < d.min_read_ms for d in decisions) / n if n else 0.0,
        median_think_s=median,
        calls=len(attempts),
        escape_share=len(escapes) / len(attempts) if attempts else 0.0,
        passes=len(passes),
        escalation_passes=sum(v.family(a.outcome) == "escalation" for a in passes),
    )
