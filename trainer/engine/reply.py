"""A typed reply mapped to the authored option it means, and judged on its own words.

In the free-reply mode the trainee types what they would say. The dialogue still runs
on the drill's authored graph, so the reply must be read as one of the options on offer
("which of these did the collector mean?") -- then every drill works in both modes with
no new authoring. And the words themselves are judged: a collector who types a polite
threat has threatened, whatever benign option the sentence resembles.

:func:`match_reply` does both, deterministically:

- **Intent.** Each offered option is described by its authored tags plus the tags the
  conduct analyser finds in its own text; the reply by the tags the analyser finds in
  it. Their overlap (Jaccard) says whether the reply does the same *thing* (verifies,
  empathises, offers a plan, threatens).
- **Wording.** Character bigrams of the folded Chinese (simplified, lower case) and
  English word tokens (chat spellings expanded): the mean of their overlap (Dice) and of
  the share of the reply's features found in the option (a short paraphrase of a long
  option still matches). No segmenter is needed: Chinese bigrams carry most words.
- The two are averaged (wording alone where the reply carries no tag the analyser
  knows, e.g. "dial now": silence about a behaviour is weak evidence). Below
  :data:`THRESHOLD` the reply is a **miss**: the debtor asks what the collector means,
  as a person would, and the trainee rephrases.

Whatever the match, :attr:`ReplyMatch.violations` are the rules the typed words break
(via :func:`trainer.engine.analyse` and the drill's pack): the session scores them like
an option carrying them, so a critical breach fails the drill with its rule cited.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from trainer.engine.analyser import ANALYSED_TAGS, BAD_TAGS, Analysis, analyse
from trainer.engine.model import Choice

THRESHOLD = 0.3
"""Confidence (0-1) at which a reply counts as an option whatever the others score."""
CLEAR_FLOOR = 0.15
CLEAR_MARGIN = 3.0
"""Below :data:`THRESHOLD`, a reply still counts as the best option when it scores at
least ``CLEAR_FLOOR`` and ``CLEAR_MARGIN`` times the runner-up: a short paraphrase
("ok let's ring him now" for "Place the call now.") shares few words, but with nothing
else. Measured on tests/trainer/fixtures/paraphrases.tsv (25 replies in a trainee's own
words): 24 right, 0 wrong, 1 miss (22/0/3 with the threshold alone). Every option's own
words match it in all shipped drills (a test checks it). Typing options of *other*
drills of the same language at a node counted as some option in 17% of 7,074 tries
(13% with the threshold alone), mostly the same act (greeting, identifying oneself)."""
MAX_REPLY_CHARS = 2000
"""A spoken reply is never longer; a longer paste is refused with a message."""
TAG_WEIGHT = 0.5
"""Share of the confidence that comes from doing the same thing (tags); the rest is
similar wording."""

_EN_WORD = re.compile(r"[a-z0-9']+")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True, slots=True)
class Candidate:
    """How well the reply fits one offered option."""

    choice: Choice
    confidence: float
    intent: float
    wording: float


@dataclass(frozen=True, slots=True)
class ReplyMatch:
    """The reading of one typed reply at one decision."""

    text: str
    analysis: Analysis
    candidates: tuple[Candidate, ...]
    """Every offered option, best first (ties: the order in the file)."""
    refusal: str | None = None
    """Why the reply cannot be read at all (``empty``, ``too_long``, ``other_language``):
    the app says so instead of playing it. None for a readable reply."""

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    @property
    def choice(self) -> Choice | None:
        """The option the reply is taken to mean, or None for a miss."""
        best = self.best
        if self.refusal or best is None:
            return None
        runner_up = self.candidates[1].confidence if len(self.candidates) > 1 else 0.0
        clear = best.confidence >= CLEAR_FLOOR and best.confidence >= CLEAR_MARGIN * runner_up
        return best.choice if best.confidence >= THRESHOLD or clear else None

    @property
    def confidence(self) -> float:
        return self.best.confidence if self.best else 0.0

    @property
    def tags(self) -> tuple[str, ...]:
        """Tags the typed words carry, in tag order."""
        return tuple(f.tag for f in self.analysis.findings)

    @property
    def bad_tags(self) -> tuple[str, ...]:
        return tuple(t for t in self.tags if t in BAD_TAGS)

    @property
    def violations(self) -> tuple[str, ...]:
        """Rules broken by the typed words (in the drill's pack), without repeats."""
        return self.analysis.violations


def match_reply(
    text: str, language: str, offered: Sequence[Choice], pack: str | None = None,
    pack_rules: frozenset[str] | None = None,
) -> ReplyMatch:
    """Read ``text`` typed at a decision offering ``offered`` (in the drill's
    ``language``); ``pack`` (a pack id) lets the analysis cite rules, and ``pack_rules``
    keeps only the ids the drill's pack really has. Same input, same result."""
    refusal = _refusal(text)
    analysis = analyse(text[:MAX_REPLY_CHARS], language, pack)
    if refusal is None and analysis.empty:
        refusal = "empty"
    if refusal is None and analysis.other_language:
        refusal = "other_language"
    if pack_rules is not None:
        analysis = _only_rules(analysis, pack_rules)
    if refusal in ("empty", "too_long"):
        return ReplyMatch(text, analysis, (), refusal)
    said = frozenset(analysis.tags)
    words = _features(text, language)
    scored = []
    for choice in offered:
        found, authored = _option_tags(choice.option.text, choice.option.tags, language)
        # Either reading of the option may be the one the trainee meant: what its words
        # carry, or that plus what its author says it does.
        intent = max(_jaccard(said, found), _jaccard(said, found | authored))
        wording = _wording(words, _features(choice.option.text, language))
        # When the analyser names nothing in a short reply ("dial now"), words decide.
        confidence = TAG_WEIGHT * intent + (1 - TAG_WEIGHT) * wording if said else wording
        scored.append(Candidate(choice, round(confidence, 6), intent, wording))
    scored.sort(key=lambda c: (-c.confidence, c.choice.index))
    return ReplyMatch(text, analysis, tuple(scored), refusal)


def _refusal(text: str) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return "empty"
    if len(text) > MAX_REPLY_CHARS:
        return "too_long"
    return None


def _only_rules(analysis: Analysis, known: frozenset[str]) -> Analysis:
    """The analysis with rule ids the drill's pack lacks dropped (a custom pack)."""
    from dataclasses import replace

    findings = tuple(
        replace(f, rules=tuple(r for r in f.rules if r in known)) for f in analysis.findings
    )
    return replace(analysis, findings=findings)


@functools.lru_cache(maxsize=4096)
def _option_tags(
    text: str, authored: tuple[str, ...], language: str
) -> tuple[frozenset[str], frozenset[str]]:
    """What an option does: the tags its words carry, and its analysable authored tags."""
    return analyse(text, language).tags, frozenset(t for t in authored if t in ANALYSED_TAGS)


@functools.lru_cache(maxsize=4096)
def _features(text: str, language: str) -> frozenset[str]:
    """Character bigrams of the Chinese and word tokens of the English, folded."""
    from trainer.engine.analyser.normalise import fold

    folded = fold(text).text
    cjk = "".join(_CJK.findall(folded))
    grams = {cjk[i:i + 2] for i in range(len(cjk) - 1)}
    if len(cjk) == 1:
        grams.add(cjk)
    grams.update(w for w in _EN_WORD.findall(folded) if len(w) > 1 or w.isdigit())
    return frozenset(grams)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def _wording(reply: frozenset[str], option: frozenset[str]) -> float:
    if not reply or not option:
        return 0.0
    shared = len(reply & option)
    return (2 * shared / (len(reply) + len(option)) + shared / len(reply)) / 2
