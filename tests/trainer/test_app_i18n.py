"""The two interface languages stay complete and consistent with the code."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from trainer.i18n import Translator, normalise_language, strings, table

TRAINER = Path(__file__).resolve().parents[2] / "trainer"
LITERAL_KEY = re.compile(r"""\btr\(\s*["']([a-z_]+\.[a-z_.0-9-]+)["']""")


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_chinese_and_english_have_the_same_keys_and_fields() -> None:
    en, zh = table("en"), table("zh-CN")
    assert set(en) == set(zh)
    assert {k: fields(v) for k, v in en.items()} == {k: fields(v) for k, v in zh.items()}


def test_every_key_the_code_asks_for_exists() -> None:
    en = strings("en")  # the interface's own table, then the engine's catalogue
    used = {
        key
        for path in TRAINER.rglob("*.py") if "engine" not in path.parts
        for key in LITERAL_KEY.findall(path.read_text(encoding="utf-8"))
    }
    assert used, "the pattern no longer finds tr() calls"
    assert sorted(used - set(en)) == []


def test_domain_codes_have_labels_in_both_languages() -> None:
    from typing import get_args

    from trainer.engine.model import Outcome
    from trainer.vocabulary import debtor_types

    for language in ("en", "zh-CN"):
        tr = Translator(language)
        for kind, codes in (("debtor_type", debtor_types()), ("outcome", get_args(Outcome))):
            for code in codes:
                assert tr.has(f"{kind}.{code}"), (language, kind, code)


@pytest.mark.parametrize(("code", "expected"), [
    ("zh-CN", "zh-CN"), ("zh", "zh-CN"), ("en-US", "en"), ("en-GB", "en"), (None, "zh-CN"),
])
def test_language_codes_normalise(code: str | None, expected: str) -> None:
    assert normalise_language(code) == expected


def test_missing_keys_show_themselves_and_labels_fall_back() -> None:
    tr = Translator("zh-CN")
    assert tr("no.such.key") == "no.such.key"
    assert tr.label("outcome", "hung_up") == "挂断"
    assert tr.label("mood", "shame") == "shame"
    assert tr("picker.count", shown=1, total=2) == "显示 1 / 共 2 个场景"
