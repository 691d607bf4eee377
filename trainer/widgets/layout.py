"""Labelled text that wraps well in Chinese: a hanging indent, and rows of them.

Much of the trainer is a label followed by text: ``1.`` and an option, ``你：`` and what
was said, ``•`` and a goal, ``-25`` and why. A terminal wraps text at spaces, and
Chinese has none, so a long Chinese sentence is a single "word": placed after its label
it jumps whole to the next line and folds there, leaving the label alone on its line.
:class:`Hanging` lays the label and the text out as two columns instead, the text
wrapping in its own column, so the first line starts beside the label and the
continuation lines align under the text (a hanging indent), in either language.

Both classes are Textual visuals, not widgets: they go wherever text goes (a
``Static``, an ``OptionList`` prompt), keep theme styles such as ``$text-muted``, and
a replay of twenty turns stays a handful of widgets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.content import Content
from textual.strip import Strip
from textual.visual import Visual

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.style import Style
    from textual.visual import RenderOptions


def _content(text: Content | str) -> Content:
    return text if isinstance(text, Content) else Content(text)


class Hanging(Visual):
    """``label`` followed by ``text``; the text wraps in the column after the label."""

    def __init__(self, label: Content | str, text: Content | str) -> None:
        self.label = _content(label)
        self.text = _content(text)

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
        return max(1, self.text.get_height(rules, width - indent))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        indent = self._indent(width)
        if not indent:
            return self._flat().render_strips(width, height, style, options)
        base = style.rich_style
        column = width - indent
        lines = self.text.render_strips(column, height, style, options) or [Strip.blank(column)]
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
