"""Help: every key binding of every screen, in the interface language, on ``?``.

The table is generated from the screens' own ``BINDINGS``, so it cannot drift from what
the keys actually do.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from trainer.screens.base import TrainerModal, binding_key
from trainer.widgets.footer import FittingFooter


def screens_and_bindings() -> list[tuple[str, list[Binding]]]:
    """(help section key, bindings) for the app and each screen, in the order of use."""
    from trainer.app import TrainerApp
    from trainer.screens.brief import BriefScreen
    from trainer.screens.call import CallScreen
    from trainer.screens.debrief import DebriefScreen
    from trainer.screens.dialogs import NotesDialog
    from trainer.screens.manager import ManagerScreen
    from trainer.screens.picker import PickerScreen
    from trainer.screens.progress import ProgressScreen

    sections = [
        ("help.everywhere", TrainerApp), ("help.picker", PickerScreen),
        ("help.brief", BriefScreen), ("help.call", CallScreen), ("help.notes", NotesDialog),
        ("help.debrief", DebriefScreen), ("help.progress", ProgressScreen),
        ("help.manager", ManagerScreen),
    ]
    out = []
    for key, cls in sections:
        bindings = list(Binding.make_bindings(getattr(cls, "BINDINGS", [])))
        if key == "help.everywhere":
            bindings.append(Binding("ctrl+p", "command_palette", "Commands"))
        # One line per action: the first binding of an action (e.g. "1-9") speaks for the rest.
        unique = {binding_key(b): b for b in reversed(bindings)}
        out.append((key, list(reversed(unique.values()))))
    return out


KEY_NAMES = {"escape": "esc", "question_mark": "?", "enter": "enter"}


def key_label(binding: Binding) -> str:
    """How a key is written in the help: ``esc``, ``?``, ``ctrl+q``, ``1-9``."""
    if binding.key_display:
        return binding.key_display
    return "/".join(KEY_NAMES.get(k, k) for k in binding.key.split(","))


class HelpScreen(TrainerModal):
    """All key bindings, grouped by screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", key_display="esc"),
    ]

    def compose(self) -> ComposeResult:
        tr = self.tr
        with Vertical(id="help-box"):
            yield Static(tr("help.title"), classes="dialog-title")
            with VerticalScroll(id="help-body"):
                for section, bindings in screens_and_bindings():
                    yield Static(tr(section), classes="section-title")
                    lines = [
                        Content.assemble((f"{key_label(b):>10}", "bold"), "  ", tr(binding_key(b)))
                        for b in bindings
                    ]
                    yield Static(Content("\n").join(lines), classes="section")
                yield Static(tr("help.mouse"), classes="section")
        yield FittingFooter()

    def action_close(self) -> None:
        self.dismiss(None)
