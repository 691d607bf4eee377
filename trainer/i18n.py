"""The trainer's two interface languages: Simplified Chinese and English.

The source deck is Chinese and most trainees on a mainland floor read Chinese first, so
``zh-CN`` is the default; English serves the US and UK drills and their managers. The
language is the trainee's, remembered in the database; switching it re-renders every
screen, not only the scenario text (the scenario keeps its own language, since a drill
is written for one jurisdiction).

Strings live in :mod:`trainer.locales` as flat tables keyed by dotted names
(``picker.title``) with ``str.format`` fields. A key missing in Chinese falls back to
English, and a key missing everywhere shows itself, so a gap is visible but never fatal.
Domain words the engine hands over as codes (debtor types, outcomes, skills, severities)
are translated with :meth:`Translator.label`.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module

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
    """The string table of one interface language."""
    module = import_module(_MODULES[normalise_language(language)])
    strings: Mapping[str, str] = module.STRINGS
    return strings


class Translator:
    """Looks up interface strings in the current language; callable as ``tr(key, **fields)``."""

    def __init__(self, language: str | None = None) -> None:
        self.language = normalise_language(language)
        self._fallback = table("en")
        self._strings = table(self.language)

    def __call__(self, key: str, **fields: object) -> str:
        text = self._strings.get(key) or self._fallback.get(key) or key
        return text.format(**fields) if fields else text

    def has(self, key: str) -> bool:
        return key in self._strings or key in self._fallback

    def label(self, kind: str, code: str) -> str:
        """Translate a domain code (``label("outcome", "hung_up")``), or show it as written."""
        key = f"{kind}.{code}"
        return self(key) if self.has(key) else code.replace("_", " ")

    def number(self, value: float, digits: int = 0) -> str:
        return f"{value:,.{digits}f}"

    def money(self, amount: float, currency: str) -> str:
        symbol = {"CNY": "¥", "USD": "$", "GBP": "£"}.get(currency, currency + " ")
        return f"{symbol}{amount:,.2f}"
