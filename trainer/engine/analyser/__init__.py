"""The conduct analyser: which behaviour tags a collector's own words carry, and where.

In the free-reply mode a trainee types what they would say instead of picking an
option. Scoring still works on behaviour tags (``scenarios/roleplay/tags.toml``), so the
typed words have to be read for the same behaviours an author would have tagged:
a threat, an insult, a lie about the law, a disclosure to a third party, or the good
habits (say who you are, check who you speak to, name the feeling, pin a date).

:func:`analyse` does that offline and deterministically, with a hand-written lexicon per
language (chosen over a trained classifier by measurement; see ``benchmarks/
bench_analyse.py``). It returns an immutable :class:`Analysis`: each tag found with the
spans of the original text that triggered it, so a debrief can underline them, and,
given a rule pack, the rules those tags cite. Nothing is loaded until the first call,
so importing the engine costs the app nothing at start.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.engine.analyser.citations import rules_for

MAX_CHARS = 2000
"""Longer input is analysed up to here only; a spoken reply is never that long."""

BAD_TAGS = frozenset({
    "threat", "insult", "false_statement", "disclose_debt", "pressure", "premature_demand",
    "dismiss_feelings", "blame", "unrealistic_promise",
})
GOOD_TAGS = frozenset({
    "identify_self", "verify_identity", "mini_miranda", "explain_purpose", "empathy",
    "paraphrase", "open_question", "set_boundary", "offer_plan", "pin_date", "recap_promise",
    "signpost_advice", "respect_request",
})
ANALYSED_TAGS = BAD_TAGS | GOOD_TAGS
"""Every tag the analyser can find (a subset of tags.toml, checked by the tests)."""


class AnalysisInputError(ValueError):
    """The language asked for is not one the analyser reads."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One behaviour found: its tag, the spans of text that show it, the rules it cites."""

    tag: str
    spans: tuple[tuple[int, int], ...]
    """Half-open ``(start, end)`` character offsets into the text as typed."""
    rules: tuple[str, ...] = ()
    """Rule ids the tag cites in the pack asked for (empty without a pack)."""

    def words(self, text: str) -> tuple[str, ...]:
        """The triggering words themselves, for a debrief or an error message."""
        return tuple(text[a:b] for a, b in self.spans)


@dataclass(frozen=True, slots=True)
class Analysis:
    """What a reply says about the collector's conduct."""

    text: str
    language: str
    findings: tuple[Finding, ...]
    """One per tag found, in tag order."""
    script: str
    """The script the text is written in: ``zh``, ``en``, ``mixed`` or ``none``."""
    truncated: bool = False
    """True when the text was longer than :data:`MAX_CHARS` and only its start was read."""

    @property
    def tags(self) -> frozenset[str]:
        return frozenset(f.tag for f in self.findings)

    @property
    def empty(self) -> bool:
        """No words at all (blank, or only emoji, punctuation and control characters)."""
        return self.script == "none"

    @property
    def other_language(self) -> bool:
        """The reply is written in the other language than the drill's."""
        expected = "zh" if self.language.startswith("zh") else "en"
        return self.script in ("zh", "en") and self.script != expected

    @property
    def violations(self) -> tuple[str, ...]:
        """Rule ids broken by the bad behaviours found (needs a pack), without repeats."""
        seen: dict[str, None] = {}
        for f in self.findings:
            if f.tag in BAD_TAGS:
                seen.update(dict.fromkeys(f.rules))
        return tuple(seen)

    def finding(self, tag: str) -> Finding | None:
        return next((f for f in self.findings if f.tag == tag), None)


def analyse(text: str, language: str, pack: str | None = None) -> Analysis:
    """The behaviour tags ``text`` carries, with their spans and, given ``pack`` (a pack
    id such as ``cn``), the rules they cite. ``language`` is the drill's language
    (``zh-CN``, ``en``, ``en-US``, ``en-GB``); a reply typed in the other language or a
    mix is read with both lexicons. Same input, same output, on every machine."""
    from trainer.engine.analyser.engine import tag_spans

    if not isinstance(text, str):
        raise AnalysisInputError(f"text must be a string, got {type(text).__name__}")
    if not (language.startswith("zh") or language.startswith("en")):
        raise AnalysisInputError(
            f"language {language!r} is not analysed; expected zh-CN, en, en-US or en-GB"
        )
    truncated = len(text) > MAX_CHARS
    read = text[:MAX_CHARS]
    spans, script = tag_spans(read, language)
    findings = tuple(
        Finding(tag, tuple(spans[tag]), rules_for(pack, tag) if pack else ())
        for tag in sorted(spans)
    )
    return Analysis(text, language, findings, script, truncated)


__all__ = [
    "ANALYSED_TAGS",
    "BAD_TAGS",
    "GOOD_TAGS",
    "MAX_CHARS",
    "Analysis",
    "AnalysisInputError",
    "Finding",
    "analyse",
]
