"""A footer that fits the terminal: compact, then without the palette key, when narrow.

Textual's footer lays its keys out left to right and docks the command-palette key on
the right edge. When the keys are wider than the terminal (an 80-column terminal, a
screen with many keys, or Chinese labels, whose characters take two cells each), the
docked palette key is drawn over the last keys and can cut a wide character in half,
which garbles the line. This footer measures what it will show before composing: if the
keys do not fit, it switches to Textual's compact style (one cell less per key); if they
still do not fit, it leaves out the palette key, which ``ctrl+p`` still opens and the
help screen still lists. It re-measures when the terminal is resized.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual import events
from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.binding import Binding


class FittingFooter(Footer):
    """A :class:`~textual.widgets.Footer` that never draws its keys over each other."""

    def _labels(self) -> tuple[list[tuple[str, str]], tuple[str, str] | None]:
        """(key, description) of each key shown (one per action), and of the palette key."""
        active = self.screen.active_bindings
        shown: dict[str, Binding] = {}
        for _node, binding, _enabled, _tooltip in active.values():
            if binding.show:
                shown.setdefault(binding.action, binding)
        keys = [(self.app.get_key_display(b), b.description) for b in shown.values()]
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is None or not self.app.ENABLE_COMMAND_PALETTE:
            return keys, None
        return keys, (self.app.get_key_display(palette[1]), palette[1].description)

    def _fit(self) -> None:
        width = self.size.width or self.app.size.width
        keys, palette = self._labels()
        # Cells per key, from Textual's footer CSS: normal " k desc ", compact "k desc" + margin.
        text = sum(cell_len(key) + cell_len(desc) for key, desc in keys)
        normal, compact = text + 3 * len(keys), text + 2 * len(keys)
        if palette is not None:
            palette_text = cell_len(palette[0]) + cell_len(palette[1])
            normal += palette_text + 4  # border, padding, space, right padding
            compact += palette_text + 2  # border, space
        narrow = normal > width
        self.set_reactive(Footer.compact, narrow)
        self.set_class(narrow, "-compact")
        self.set_reactive(Footer.show_command_palette, not narrow or compact <= width)

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._fit()
        yield from super().compose()

    def on_resize(self, event: events.Resize) -> None:
        if self._bindings_ready:
            self.refresh(recompose=True)
