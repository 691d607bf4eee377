"""Text meters whose meaning survives without colour.

A trainee under ``NO_COLOR`` (or colour-blind, or on a monochrome terminal) must still
read the debtor's mood and their own scores, so every meter carries its number, a bar
of solid and light blocks, and a word or arrow; colour only reinforces it.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content

FULL, EMPTY = "█", "░"

# Moods where a high reading is bad for the call (the rest, like trust, are good when high).
HIGH_IS_BAD = frozenset({"anger", "distress", "fear", "frustration", "shame", "stress"})


def pad(text: str, cells: int) -> str:
    """Left-align ``text`` in ``cells`` terminal cells (a Chinese character takes two)."""
    return text + " " * max(0, cells - cell_len(text))


def truncate(text: str, cells: int) -> str:
    """Cut ``text`` to ``cells`` terminal cells, ending with an ellipsis when cut."""
    if cell_len(text) <= cells:
        return text
    out, used = [], 0
    for char in text:
        width = cell_len(char)
        if used + width > cells - 1:
            break
        out.append(char)
        used += width
    return "".join(out) + "…"


def bar(value: float, width: int) -> str:
    """``value`` (0-100) as ``width`` cells of solid and light blocks."""
    filled = round(max(0.0, min(100.0, value)) * width / 100)
    return FULL * filled + EMPTY * (width - filled)


def level_style(value: float, high_is_bad: bool) -> str:
    """Theme colour for a 0-100 reading: error, warning or success."""
    good = 100 - value if high_is_bad else value
    if good >= 60:
        return "$text-success"
    if good >= 35:
        return "$text-warning"
    return "$text-error"


def delta_text(change: int) -> str:
    if change > 0:
        return f"▲{change}"
    if change < 0:
        return f"▼{-change}"
    return ""


def mood_line(name: str, label: str, value: int, change: int, width: int) -> Content:
    """One meter: ``Anger  ████░░░░  55 ▲5`` with the bar coloured by how bad it is."""
    style = level_style(value, name in HIGH_IS_BAD)
    return Content.assemble(
        (label, "bold"), " ",
        (bar(value, width), style), " ",
        f"{value:>3}", " ",
        (delta_text(change), style),
    )


def score_line(label: str, value: float, width: int, pass_mark: float | None = None) -> Content:
    """A 0-100 score bar; below the pass mark (when given) it reads as a warning."""
    if pass_mark is None:
        style = level_style(value, high_is_bad=False)
    else:
        style = "$text-success" if value >= pass_mark else "$text-error"
    return Content.assemble((label, "bold"), " ", (bar(value, width), style), f" {value:>5.1f}")


BLOCKS = " ▁▂▃▄▅▆▇█"


def trend(points: list[tuple[float, bool]], width: int, rows: int = 3) -> Content:
    """Scores of the latest drills, oldest to newest: a column of blocks per drill
    (height = score), then a row of pass/fail marks, so the shape reads without colour."""
    shown = points[-max(1, width // 2):]
    lines = []
    for row in range(rows):
        floor = 8 * (rows - 1 - row)  # eighths of a cell already filled by lower rows
        lines.append(Content.assemble(*(
            (BLOCKS[max(0, min(8, round(score / 100 * 8 * rows) - floor))] + " ",
             "$text-success" if passed else "$text-error")
            for score, passed in shown
        )))
    lines.append(Content.assemble(*(
        ("✔ " if passed else "✖ ", "$text-success" if passed else "$text-error")
        for _, passed in shown
    )))
    return Content("\n").join(lines)
