"""Labelled text that wraps well in Chinese: a hanging indent, and rows of them.

Much of the trainer is a label followed by text: ``1.`` and an option, ``你：`` and what
was said, ``•`` and a goal, ``-25`` and why. A terminal wraps text at spaces, and
Chinese has none, so a long Chinese sentence is a single "word": placed after its label
it jumps whole to the next line and folds there, leaving the label alone on its line.
:class:`Hanging` lays the label and the text out as two columns instead, the text
wrapping in its own column, so the first line starts beside the label and the
continuation lines align under the text (a hanging indent), in either language.

The text column is also broken into lines the way Chinese is typeset, not only at
spaces: a line may break between any two Chinese characters (so Chinese after a space
fills the line instead of jumping to the next one), never inside a Latin word or a
figure such as "1,946.80", and never so that a line starts with closing punctuation
such as "，" or "。" or ends with an opening bracket (a simple form of 禁则, kinsoku):
the character before such a mark moves down with it.

Both classes are Textual visuals, not widgets: they go wherever text goes (a
``Static``, an ``OptionList`` prompt), keep theme styles such as ``$text-muted``, and
a replay of twenty turns stays a handful of widgets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.content import Content
from textual.strip import Strip
from textual.visual import Visual

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.style import Style
    from textual.visual import RenderOptions


NO_LINE_START = frozenset("，。、；：！？）」』】〕》〉”’…‥·％,.;:!?)]}%")
"""Marks that may not begin a line: they belong to the character before them."""
NO_LINE_END = frozenset("（「『【〔《〈“‘([{")
"""Marks that may not end a line: they belong to the character after them."""
_TOKEN = re.compile(r"[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+\s*|\s+|.")
"""What a line may break between: a run of Latin letters, digits and their marks (a word,
an amount, "APP", "(2026)") with its trailing spaces, a run of spaces, or any other
single character (each Chinese character or mark)."""


def _content(text: Content | str) -> Content:
    return text if isinstance(text, Content) else Content(text)


def _cuts(text: str, width: int) -> list[int]:
    """Offsets at which one paragraph breaks into lines of at most ``width`` cells."""
    tokens = [match.span() for match in _TOKEN.finditer(text)]
    cuts: list[int] = []
    first, used, i = 0, 0, 0  # first token of the current line, cells used, next token
    while i < len(tokens):
        start, end = tokens[i]
        size = cell_len(text[start:end].rstrip())
        if i == first and text[start:end].isspace() and cuts:
            first, i = i + 1, i + 1  # spaces that open a wrapped line are dropped
            continue
        if used + size <= width:
            used += cell_len(text[start:end])
            i += 1
            continue
        if i == first:  # a single word wider than the line: fold it
            fold, cells = start, 0
            while fold < end and cells + cell_len(text[fold]) <= width:
                cells += cell_len(text[fold])
                fold += 1
            fold = max(fold, start + 1)
            cuts.append(fold)
            tokens[i] = (fold, end)
            used = 0
            continue
        j = i  # break before token j, keeping marks with the character they belong to
        while j - 1 > first and (
            text[tokens[j][0]] in NO_LINE_START or text[tokens[j - 1][1] - 1] in NO_LINE_END
        ):
            j -= 1
        cuts.append(tokens[j][0])
        first, used, i = j, 0, j
    return cuts


def wrap(text: Content, width: int) -> list[Content]:
    """``text`` in lines of at most ``width`` cells, broken as described above."""
    lines: list[Content] = []
    for paragraph in text.split("\n", allow_blank=True):
        for line in paragraph.divide(_cuts(paragraph.plain, width)):
            blank = len(line.plain) - len(line.plain.lstrip(" "))
            lines.append((line.divide([blank])[-1] if blank and lines else line).rstrip())
    return lines


class Hanging(Visual):
    """``label`` followed by ``text``; the text wraps in the column after the label."""

    def __init__(self, label: Content | str, text: Content | str) -> None:
        self.label = _content(label)
        self.text = _content(text)
        self._wrapped: tuple[int, list[Content]] = (-1, [])

    def _lines(self, column: int) -> list[Content]:
        """The text wrapped to ``column`` cells (kept: heights and renders ask repeatedly)."""
        if self._wrapped[0] != column:
            self._wrapped = (column, wrap(self.text, column))
        return self._wrapped[1]

    def _indent(self, width: int) -> int:
        """The label's column, or 0 when the space is too narrow for two columns."""
        indent = self.label.cell_length
        return indent if width - indent >= max(8, indent) else 0

    def _flat(self) -> Content:
        return Content.assemble(self.label, self.text)

    @property
    def plain(self) -> str:
        """The text without styles or layout (for tests and logs)."""
        return self._flat().plain

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.label.cell_length + self.text.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        indent = self._indent(width)
        if not indent:
            return self._flat().get_height(rules, width)
        return len(self._lines(width - indent))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        indent = self._indent(width)
        if not indent:
            return self._flat().render_strips(width, height, style, options)
        base = style.rich_style
        column = width - indent
        lines = [
            line.render_strips(column, 1, style, options)[0] if line else Strip.blank(column)
            for line in self._lines(column)[:height]
        ]
        label = self.label.render_strips(indent, 1, style, options)[0]
        label = label.extend_cell_length(indent, base)
        blank = Strip.blank(indent, base)
        return [
            Strip.join([label if i == 0 else blank, line.extend_cell_length(column, base)])
            for i, line in enumerate(lines)
        ]


class Rows(Visual):
    """Visuals (or plain text) one under another, in a single widget."""

    def __init__(self, rows: Iterable[Visual | str]) -> None:
        self.rows = [Content(row) if isinstance(row, str) else row for row in rows]

    @property
    def plain(self) -> str:
        """The text without styles or layout, a line per row (for tests and logs)."""
        return "\n".join(getattr(row, "plain", "") for row in self.rows)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((r.get_optimal_width(rules, container_width) for r in self.rows), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(row.get_height(rules, width) for row in self.rows)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        strips: list[Strip] = []
        for row in self.rows:
            strips += row.render_strips(width, None, style, options)
        return strips if height is None else strips[:height]
