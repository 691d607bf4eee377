"""A radio button whose state shows without colour: ``(●)`` when on, ``( )`` when off.

Textual's radio button draws the same dot in both states and tells them apart by colour
alone, which is lost under ``NO_COLOR`` and on monochrome terminals.
"""

from __future__ import annotations

from textual.widgets import RadioButton


class MarkedRadioButton(RadioButton):
    """A radio button that draws its dot only when selected."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 - Textual's constant
        return "●" if self.value else " "
