"""A drill built to give nothing away, for the tests of lint's teaching checks.

Eight decisions with three options each: the right answer sits at varying positions and
is never longer than the others; a tempting wrong option is the longest at one node, the
shortest at another, first in the file at a third, and the one stuffed with polite words
at a fourth, so each naive strategy walks into a critical breach somewhere.
"""

from __future__ import annotations

from pathlib import Path

WIDTH = 64
"""Every option is padded to this many characters unless a cue is planted on purpose."""

GOOD_TAGS = ("empathy", "open_question", "paraphrase", "listen", "summarise", "offer_callback",
             "thank_disclosure", "signpost_advice")
CRITICAL = (("threat", "US-14"), ("disclose_debt", "US-10"), ("false_statement", "US-13"),
            ("insult", "US-14"))
GOOD_AT = (1, 2, 0, 2, 1, 0, 2, 1)
"""File position of the right answer at each node (first at 2 of 8 decisions)."""


def _pad(text: str, width: int = WIDTH) -> str:
    return (text + " " + "so" * width)[:width] if len(text) < width else text


def _option(text: str, tags: list[str], nxt: str, violations: list[str] | None = None,
            anger: int = 0) -> str:
    lines = ["", f'text = "{text}"', f"tags = {tags!r}".replace("'", '"')]
    if violations:
        lines.append(f"violations = {violations!r}".replace("'", '"'))
    if anger:
        lines.append(f"effects = {{ anger = {anger} }}")
    lines.append(f'next = "{nxt}"')
    return "\n".join(lines)


def teaching_drill_text(**changes: str) -> str:
    """The drill's TOML; ``changes`` replace exact substrings (for variants)."""
    parts = ['''[meta]
id = "teaching"
title = "A drill with no cues"
debtor_type = "hardship"
difficulty = "easy"
language = "en-US"
rule_pack = "us"
start = "n1"

[brief]
debtor_name = "Ann Lee"
creditor = "Bank"
product = "card"
currency = "USD"
balance = 900
dpd = 40
local_time = "2026-03-12T10:00"
timezone = "America/Chicago"

[persona]
description = "Worried, out of work."
mood = { anger = 50, trust = 40 }
''']
    for i in range(8):
        node = f"n{i + 1}"
        after = f"n{i + 2}" if i < 7 else "callback"
        good = _option(_pad(f"Right answer {i + 1}: what would help you most this week"),
                       [GOOD_TAGS[i]], after, anger=-10)
        weak = _option(_pad(f"Weak answer {i + 1}: let us not go over that again now"),
                       ["argue"], after if i < 7 else "hung", anger=5)
        tag, rule = CRITICAL[i % 4]
        bad_text = f"Breach {i + 1}: we will tell your employer what you owe"
        if i == 1:  # the longest option is a breach: always-longest fails
            bad_text = _pad(bad_text, WIDTH + 12)
        elif i == 2:  # the shortest option is a breach: always-shortest fails
            bad_text = f"Breach {i + 1}: pay now"
        elif i == 3:  # the politest option is a breach: keyword fails
            bad_text = _pad("Sorry, please understand, I appreciate it; thank you; I will tell"
                            " your boss")
        else:
            bad_text = _pad(bad_text)
        bad = _option(bad_text, [tag], "breach", [rule], anger=30)
        order = [weak, bad]
        if i == 0:
            order = [bad, weak]  # the first option is a breach: always-first fails
        order.insert(GOOD_AT[i], good)
        parts.append(f'\n[nodes.{node}]\nlines = [{{ text = "Debtor speaks at {node}." }}]\n')
        parts.extend(f"\n[[nodes.{node}.options]]{opt}\n" for opt in order)
    parts.append('''
[endings.callback]
outcome = "callback_scheduled"
lines = [{ text = "Thursday at ten, then." }]

[endings.hung]
outcome = "hung_up"
lines = [{ text = "*click*" }]

[endings.breach]
outcome = "complaint"
lines = [{ text = "I'm reporting you." }]
''')
    text = "".join(parts)
    for old, new in changes.items():
        assert old in text, f"{old!r} not in the teaching drill"
        text = text.replace(old, new)
    return text


def write_teaching_drill(tmp_path: Path, **changes: str) -> Path:
    path = tmp_path / "teaching.en-US.toml"
    path.write_text(teaching_drill_text(**changes), encoding="utf-8")
    return path
