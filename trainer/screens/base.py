"""What every trainer screen shares: translated bindings and a rebuild on language change.

Screens keep their state in plain attributes and build their widgets from it in
``compose``; ``populate`` then fills data that needs the database. Switching language
therefore only has to re-run both, which is how the whole UI (footer included) changes
language at once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from trainer.app import TrainerApp
    from trainer.i18n import Translator


def localise_bindings(node: DOMNode, tr: Translator) -> None:
    """Give every binding of ``node`` its description in the current language.

    The description is the string ``key.<name>``, where the name is the binding's ``id``
    or else its action. Textual reads footer labels from the node's binding map; the
    map's lists are shared with the class, so they are replaced rather than edited.
    """
    bindings: BindingsMap = node._bindings
    bindings.key_to_bindings = {
        key: [
            replace(b, description=tr(binding_key(b))) if tr.has(binding_key(b)) else b
            for b in group
        ]
        for key, group in bindings.key_to_bindings.items()
    }


def localise_screen(screen: Screen[Any], tr: Translator) -> None:
    """Localise the bindings of ``screen`` and of every widget on it.

    Textual's own widgets bring English footer labels (the open filter list of a
    ``Select`` shows "esc Dismiss menu"); any whose ``key.<name>`` string exists is
    translated like the trainer's own.
    """
    localise_bindings(screen, tr)
    for widget in screen.query("*"):
        localise_bindings(widget, tr)


def binding_key(binding: Binding) -> str:
    """The string-table key of a binding: ``key.<id>`` or ``key.<action name>``."""
    name = binding.id or binding.action.split("(")[0].rsplit(".", 1)[-1]
    return f"key.{name}"


class Localised:
    """Mixin for screens: ``tr``, ``populate`` and ``retranslate``."""

    @property
    def trainer(self) -> TrainerApp:
        return cast("TrainerApp", cast(Screen[Any], self).app)

    @property
    def tr(self) -> Translator:
        return self.trainer.tr

    async def populate(self) -> None:
        """Fill widgets with data after (re)composition; screens override this."""

    async def retranslate(self) -> None:
        screen = cast(Screen[Any], self)
        await screen.recompose()
        localise_screen(screen, self.tr)
        await self.populate()
        screen.refresh_bindings()


class TrainerScreen(Localised, Screen[Any]):
    """A full screen of the trainer."""

    async def on_mount(self) -> None:
        # Textual calls on_mount of every class in the MRO: subclasses override populate().
        localise_screen(self, self.tr)
        await self.populate()


class TrainerModal(Localised, ModalScreen[Any]):
    """A dialog over a screen; escape closes it."""

    async def on_mount(self) -> None:
        # Textual calls on_mount of every class in the MRO: subclasses override populate().
        localise_screen(self, self.tr)
        await self.populate()
