"""The trainer's two interface languages: Simplified Chinese and English.

The source deck is Chinese and most trainees on a mainland floor read Chinese first, so
``zh-CN`` is the default; English serves the US and UK drills and their managers. The
language is the trainee's, remembered in the database; switching it re-renders every
screen, not only the scenario text (the scenario keeps its own language, since a drill
is written for one jurisdiction).

Strings live in :mod:`trainer.locales` as flat tables keyed by dotted names
(``picker.title``) with ``str.format`` fields. The engine's own words (outcomes,
severities, the trainee's non-verbal actions) and its explanations live once, in the
engine's catalogue (:mod:`trainer.messages`); a key the interface tables lack is
looked up there. A key missing in Chinese falls back to English, and a key missing
everywhere shows itself, so a gap is visible but never fatal. Domain words handed over
as codes (debtor types, outcomes, skills, severities) are translated with
:meth:`Translator.label`.
"""

from __future__ import annotations

import unicodedata
from collections import ChainMap
from collections.abc import Mapping
from importlib import import_module

from trainer.messages import CATALOGUE, catalogue_language

LANGUAGES: tuple[str, ...] = ("zh-CN", "en")
"""Interface languages, default first."""

LANGUAGE_NAMES: Mapping[str, str] = {"zh-CN": "简体中文", "en": "English"}

_MODULES = {"zh-CN": "trainer.locales.zh_cn", "en": "trainer.locales.en"}


def normalise_language(code: str | None) -> str:
    """Map a stored or scenario language code (``en-US``, ``zh``) to an interface language."""
    if not code:
        return LANGUAGES[0]
    code = code.strip()
    if code in _MODULES:
        return code
    return "zh-CN" if code.lower().startswith("zh") else "en"


def table(language: str) -> Mapping[str, str]:
    """The interface's own string table of one language (without the engine's words)."""
    module = import_module(_MODULES[normalise_language(language)])
    strings: Mapping[str, str] = module.STRINGS
    return strings


def strings(language: str) -> Mapping[str, str]:
    """Every string the interface shows in ``language``: its own table, then the engine's."""
    # The catalogue is not copied: copying would read the vocabulary file at start-up.
    return ChainMap(dict(table(language)), CATALOGUE[catalogue_language(language)])


class Translator:
    """Looks up interface strings in the current language; callable as ``tr(key, **fields)``."""

    def __init__(self, language: str | None = None) -> None:
        self.language = normalise_language(language)
        self._fallback = strings("en")
        self._strings = strings(self.language)

    def __call__(self, key: str, **fields: object) -> str:
        text = self._strings.get(key) or self._fallback.get(key) or key
        return text.format(**fields) if fields else text

    def has(self, key: str) -> bool:
        return key in self._strings or key in self._fallback

    def label(self, kind: str, code: str) -> str:
        """Translate a domain code (``label("outcome", "hung_up")``), or show it as written."""
        key = f"{kind}.{code}"
        return self(key) if self.has(key) else code.replace("_", " ")

    def lead(self, label: str) -> str:
        """``label`` ready to stand before its text: followed by a space, unless it ends
        in a full-width mark such as "：", which carries its own spacing in Chinese."""
        wide = bool(label) and unicodedata.east_asian_width(label[-1]) in "WF"
        return label if wide else label + " "

    def number(self, value: float, digits: int = 0) -> str:
        return f"{value:,.{digits}f}"

    def money(self, amount: float, currency: str) -> str:
        symbol = {"CNY": "¥", "USD": "$", "GBP": "£"}.get(currency, currency + " ")
        return f"{symbol}{amount:,.2f}"
