"""Runs the lexicons over a reply: fold, match each language that the text is written
in, and map the spans back to the characters as typed. Loaded on the first analysis."""

from __future__ import annotations

import functools
import re

from trainer.engine.analyser.normalise import CJK, LATIN_WORD, fold, script_of, with_glossary
from trainer.engine.analyser.patterns import Language, find


@functools.cache
def _languages() -> dict[str, Language]:
    from trainer.engine.analyser.lexicon_en import EN
    from trainer.engine.analyser.lexicon_zh import ZH

    return {"zh": ZH, "en": EN}


@functools.cache
def _typo_words() -> frozenset[str]:
    """English lexicon words long enough (5+ letters) that a typo of them is corrected."""
    words: set[str] = set()
    for cue in _languages()["en"].cues:
        words.update(w for w in re.findall(r"[a-z]{5,}", cue.pattern))
    return frozenset(words)


def tag_spans(text: str, language: str) -> tuple[dict[str, list[tuple[int, int]]], str]:
    """Tag -> spans in ``text`` (as typed), and the script the text is written in."""
    script = script_of(text)
    if script == "none":
        return {}, script
    own = "zh" if language.startswith("zh") else "en"
    readers = {own}
    # Words of the other language are read by its lexicon too: a Chinese reply often
    # mixes in an English phrase ("set up a payment plan"), and a reply may be typed
    # wholly in the other language.
    if own == "zh" and len(LATIN_WORD.findall(text)) >= 2:
        readers.add("en")
    if own == "en" and CJK.search(text):
        readers.add("zh")
    folded = fold(text, _typo_words())
    found: dict[str, list[tuple[int, int]]] = {}
    for name in sorted(readers):
        # The Chinese reader sees mixed-in English words ("account", "loan") as Chinese.
        view = with_glossary(folded) if name == "zh" else folded
        for tag, spans in find(_languages()[name], view.text).items():
            found.setdefault(tag, []).extend(view.span(a, b) for a, b in spans)
    return {tag: sorted(set(spans)) for tag, spans in found.items()}, script
