"""Text normalisation that remembers where every character came from.

A typed reply arrives in any form: full-width digits, traditional characters, capitals,
chat spellings ("u", "ur", "gonna"), keyboard typos. The lexicons are written once, in
simplified Chinese and lower-case standard English, so the reply is folded into that
form first. The debrief must underline the words the trainee actually typed, though,
so every character of the folded text keeps the index of the character it came from:
a span found in the folded text maps straight back to the original.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")

EN_CHAT = {
    "u": "you", "ur": "your", "gonna": "going to", "wanna": "want to", "cuz": "because",
    "coz": "because", "pls": "please", "plz": "please", "wont": "won't", "dont": "don't",
    "cant": "can't", "im": "i'm", "ill": "i'll", "ive": "i've", "youre": "you're",
    "thats": "that's", "isnt": "isn't", "doesnt": "doesn't", "didnt": "didn't", "ok": "okay",
    "u're": "you're", "u'd": "you'd", "u've": "you've", "u'll": "you'll", "ur's": "yours",
    "tmrw": "tomorrow", "tmr": "tomorrow", "r": "are", "ya": "you", "b4": "before",
}
"""Chat spellings folded into the words the English lexicon is written in."""


@dataclass(frozen=True, slots=True)
class Folded:
    """Normalised text plus, for each of its characters, the index in the original."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the folded text back onto the original text."""
        if end <= start:
            return (self.origin[start], self.origin[start]) if start < len(self.origin) else (0, 0)
        return self.origin[start], self.origin[end - 1] + 1


@functools.cache
def _t2s():  # type: ignore[no-untyped-def]
    """OpenCC's traditional->simplified converter, built once on first use."""
    import opencc

    return opencc.OpenCC("t2s").convert


def _char(c: str) -> str:
    """One character folded: full-width to half-width, lower case; never longer than 1."""
    folded = unicodedata.normalize("NFKC", c)
    if len(folded) != 1:
        folded = c
    lower = folded.lower()
    return lower if len(lower) == 1 else folded


def fold(text: str, typo_words: frozenset[str] = frozenset()) -> Folded:
    """Fold ``text`` for matching: NFKC, lower case, traditional->simplified, chat words.

    Control characters become spaces (never removed, so indices stay aligned).
    ``typo_words`` are lexicon words that a one-edit typo in the reply is corrected to.
    """
    chars = [" " if CONTROL.match(c) else _char(c) for c in text]
    base = "".join(chars)
    if CJK.search(base):
        simplified = _t2s()(base)
        if len(simplified) == len(base):
            base = simplified
        else:  # a phrase conversion changed the length: convert one character at a time
            base = "".join(s if len(s := _t2s()(c)) == 1 else c for c in base)
    base = base.replace("\u2019", "'").replace("\u2018", "'")
    out: list[str] = []
    origin: list[int] = []
    last = 0
    for match in re.finditer(r"[a-z0-9']+", base):
        for i in range(last, match.start()):
            out.append(base[i])
            origin.append(i)
        word = match.group()
        replacement = EN_CHAT.get(word) or _correct(word, typo_words)
        if replacement == word:
            out.extend(word)
            origin.extend(range(match.start(), match.end()))
        else:
            out.extend(replacement)
            # Every character of the replacement points into the typed word.
            width = match.end() - match.start()
            origin.extend(match.start() + min(k, width - 1) for k in range(len(replacement)))
        last = match.end()
    for i in range(last, len(base)):
        out.append(base[i])
        origin.append(i)
    return Folded("".join(out), tuple(origin))


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


@functools.cache
def _typo_index(words: frozenset[str]) -> dict[str, str]:
    """Each one-deletion form of a lexicon word -> that word (SymSpell's trick).

    A typed word one edit away from a lexicon word (a dropped, added, swapped or wrong
    letter) shares a one-deletion form with it, so a dictionary lookup finds it.
    Forms that two lexicon words share are dropped: those are ambiguous.
    """
    index: dict[str, str] = {}
    clash: set[str] = set()
    for word in sorted(words):
        for form in _deletes(word) | {word}:
            if form in index and index[form] != word:
                clash.add(form)
            index.setdefault(form, word)
    return {k: v for k, v in index.items() if k not in clash}


def _correct(word: str, typo_words: frozenset[str]) -> str:
    """``word`` or the lexicon word it is a one-edit typo of.

    Real words are often one edit from other real words, so the edits allowed are the
    ones that rarely make a real word: five-letter words only for a swap of two letters
    ("lsoer" -> "loser"; "count" must not become "court"); a dropped letter only in a
    word of seven letters or more ("taking" must not become "talking")."""
    if len(word) < 5 or not typo_words or word in typo_words:
        return word
    index = _typo_index(typo_words)
    for form in (word, *sorted(_deletes(word))):
        hit = index.get(form)
        if hit is None or abs(len(hit) - len(word)) > 1 or hit[0] != word[0]:
            continue
        if len(word) < len(hit) and len(word) < 7:
            continue
        if max(len(hit), len(word)) >= 6 or sorted(hit) == sorted(word):
            return hit
    return word


def script_of(text: str) -> str:
    """``"zh"`` when the text has Chinese characters and few English words, ``"en"`` when
    it has English words and no Chinese, ``"mixed"`` when both count, ``"none"`` else."""
    cjk = len(CJK.findall(text))
    latin = len(LATIN_WORD.findall(text))
    if cjk and latin:
        return "zh" if cjk >= 2 * latin else ("en" if latin >= 2 * cjk else "mixed")
    if cjk:
        return "zh"
    if latin:
        return "en"
    return "none"


ZH_GLOSSARY = {
    "account": "账户", "credit card": "信用卡", "repayment": "还款", "payment": "还款",
    "installment": "分期", "instalment": "分期", "confirm": "确认", "plan": "方案",
    "overdue": "逾期", "lawyer": "律师", "debt": "欠款", "loan": "贷款", "date": "日期",
    "call": "电话", "sms": "短信", "pressure": "压力", "colleague": "同事", "colleagues": "同事",
    "job": "工作", "boss": "领导", "company": "公司", "family": "家人", "police": "警察",
    "court": "法院", "bank": "银行", "interest": "利息", "sorry": "抱歉", "deadline": "期限",
    "hr": "人事部",
}
"""English words Chinese speakers mix into a reply, read as the Chinese the lexicon knows."""

_GLOSSARY_PATTERN = re.compile(
    r"(?<![a-z])(?:" + "|".join(sorted(map(re.escape, ZH_GLOSSARY), key=len, reverse=True))
    + r")(?![a-z])"
)


def with_glossary(folded: Folded) -> Folded:
    """``folded`` with mixed-in English words replaced by their Chinese, origins kept."""
    out: list[str] = []
    origin: list[int] = []
    last = 0
    for m in _GLOSSARY_PATTERN.finditer(folded.text):
        out.append(folded.text[last:m.start()])
        origin.extend(folded.origin[last:m.start()])
        chinese = ZH_GLOSSARY[m.group()]
        out.append(chinese)
        width = m.end() - m.start()
        origin.extend(folded.origin[m.start() + min(k, width - 1)] for k in range(len(chinese)))
        last = m.end()
    if not out:
        return folded
    out.append(folded.text[last:])
    origin.extend(folded.origin[last:])
    return Folded("".join(out), tuple(origin))
