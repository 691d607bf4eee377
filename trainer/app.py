"""The trainer app: a thin Textual shell over the dialogue engine and the trainee database.

The loop is the one every commercial role-play trainer shares (reference §1): sign in,
pick a drill, read the brief, take the call, read the debrief, retry; a manager watches
the trend. Screens live in :mod:`trainer.screens`, widgets in :mod:`trainer.widgets`;
this module only holds what is app-wide: the database queue, the scenario library
(loaded off the event loop so the first screen appears at once), the current trainee,
the interface language and the command palette.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from sim import shipped
from trainer.i18n import LANGUAGES, Translator
from trainer.screens.base import Localised, localise_bindings
from trainer.storage import LeaseLostError, Storage, StorageError, StorageQueue, Trainee

if TYPE_CHECKING:
    from trainer.engine import Scenario


DEFAULT_SCENARIOS = shipped.folder("drill")
"""The shipped scenario library (``--scenarios DIR`` picks another)."""


class TrainerApp(App[None]):
    """RecoveryLab: practise collection calls with difficult debtors."""

    CSS_PATH = "app.tcss"
    TITLE = "RecoveryLab"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 - Textual's type
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("f2", "switch_language", "Language"),
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
    ]

    def __init__(
        self,
        storage: Storage,
        *,
        scenario_dir: Path | None = None,
        drills: Iterable[Path] = (),
        timer_seconds: int | None = None,
        seed: int | None = None,
        language: str | None = None,
        language_given: bool = False,
    ) -> None:
        super().__init__()
        self.db = StorageQueue(storage)
        self.scenario_dir = scenario_dir
        self.drills = tuple(drills)
        """Only these drill files (``--drill``), instead of a whole folder."""
        self.timer_seconds = timer_seconds
        self._timer_default = timer_seconds or 30
        self.free_reply = False
        """Free-reply mode for this sitting: the trainee types each reply instead of
        choosing one (``r`` in the drill picker)."""
        self.fixed_seed = seed
        self.trainee: Trainee | None = None
        self.tr = Translator(language)
        self.language_given = language_given
        """The user asked for ``language`` (``--lang``): sign-in opens in it, not in the
        last trainee's, and whoever signs in is saved with it."""
        self._library: asyncio.Future[list[Scenario]] | None = None
        self._event_loop: asyncio.AbstractEventLoop | None = None

    # -- start-up ---------------------------------------------------------------------

    def on_mount(self) -> None:
        from trainer.screens.sign_in import SignInScreen

        localise_bindings(self, self.tr)
        self._event_loop = asyncio.get_running_loop()
        self.push_screen(SignInScreen())
        # Parse the scenario files once the first frame is up, so they never delay it.
        self.call_after_refresh(self._start_library)

    def _start_library(self) -> asyncio.Future[list[Scenario]]:
        if self._library is None:
            loop = asyncio.get_running_loop()
            self._library = loop.run_in_executor(None, self._load_library)
        return self._library

    def _load_library(self) -> list[Scenario]:
        from trainer.engine import load_library, load_scenario

        if self.drills:
            return sorted((load_scenario(file) for file in self.drills), key=lambda s: s.key)
        return list(load_library(self.scenario_dir or DEFAULT_SCENARIOS))

    async def library(self) -> list[Scenario]:
        """Every scenario the app can offer (waits for the background load once)."""
        return await self._start_library()

    def new_seed(self) -> int:
        """The debtor's seed for a new drill: fixed in tests, random otherwise."""
        return self.fixed_seed if self.fixed_seed is not None else random.randrange(2**31)

    # -- database -----------------------------------------------------------------------

    async def db_call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Run a storage call off the event loop; a failure is shown, not raised."""
        try:
            return await self.db.call(method, *args, **kwargs)
        except StorageError as exc:
            self.notify(exc.render(), title=self.tr("error.storage"), severity="error",
                        timeout=15)
            return None

    def db_write(self, method: str, *args: Any) -> None:
        """Queue a write without waiting for it; a failure is reported when it happens."""
        self.db.submit(method, *args).add_done_callback(self._report_write)

    def _report_write(self, future: Future[Any]) -> None:
        error = future.exception()  # runs on the database thread: hand over, never wait
        if error is None or self._event_loop is None:
            return
        if isinstance(error, LeaseLostError):
            self._event_loop.call_soon_threadsafe(self._lease_lost, error.session_id)
        else:
            self._event_loop.call_soon_threadsafe(partial(
                self.notify, str(error), title=self.tr("error.storage"), severity="error",
                timeout=15))

    def _lease_lost(self, session_id: int) -> None:
        """A write was refused because another window took the drill over."""
        from trainer.screens.call import CallScreen

        for screen in self.screen_stack:
            if isinstance(screen, CallScreen) and screen.session_id == session_id:
                screen.call_later(screen.lose_lease)

    def on_unmount(self) -> None:
        self.db.close()

    # -- language and navigation ----------------------------------------------------------

    async def set_language(self, language: str) -> None:
        """Switch the whole interface (every open screen and the footer) to ``language``."""
        self.tr = Translator(language)
        localise_bindings(self, self.tr)
        if self.trainee is not None:
            self.db_write("set_language", self.trainee.id, self.tr.language)
        for screen in list(self.screen_stack):
            if isinstance(screen, Localised):
                await screen.retranslate()

    async def action_switch_language(self) -> None:
        index = LANGUAGES.index(self.tr.language)
        await self.set_language(LANGUAGES[(index + 1) % len(LANGUAGES)])

    def action_help(self) -> None:
        from trainer.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_progress(self) -> None:
        from trainer.screens.progress import ProgressScreen

        if self.trainee is not None:
            self.push_screen(ProgressScreen())

    def action_manager(self) -> None:
        """The team report needs a manager's sign-in: a trainee sees only their own."""
        from trainer.screens.dialogs import ManagerSignInDialog

        self.push_screen(ManagerSignInDialog(), self._open_manager)

    async def _open_manager(self, answer: tuple[str, str] | None) -> None:
        from trainer.screens.manager import ManagerScreen

        if answer is None:
            return
        manager = await self.db_call("manager_sign_in", *answer)
        if manager is None:
            self.notify(self.tr("manager.refused"), severity="error")
            return
        self.push_screen(ManagerScreen(manager.id))

    def action_toggle_timer(self) -> None:
        """Turn the per-turn countdown on or off for the drills started from now on."""
        self.timer_seconds = None if self.timer_seconds else self._timer_default
        on = self.tr("timer.on", seconds=self.timer_seconds)
        self.notify(on if self.timer_seconds else self.tr("timer.off"), timeout=3)

    def action_toggle_free_reply(self) -> None:
        """Type replies instead of choosing options, for the drills started from now on."""
        self.free_reply = not self.free_reply
        self.notify(self.tr("reply.mode_typed" if self.free_reply else "reply.mode_options"),
                    timeout=3)
        if hasattr(self.screen, "show_modes"):
            self.screen.show_modes()

    async def action_sign_out(self) -> None:
        from trainer.screens.sign_in import SignInScreen

        self.trainee = None
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(SignInScreen())

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(placeholder=self.tr("cmd.search"),
                                            id="--command-palette"))

    def search_themes(self) -> None:
        """Textual's theme picker, with its search prompt in the interface language."""
        from textual.command import CommandPalette
        from textual.theme import ThemeProvider

        self.push_screen(CommandPalette(providers=[ThemeProvider],
                                        placeholder=self.tr("cmd.search_themes")))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette, in the interface language (Textual's own are English)."""
        tr = self.tr
        commands: list[tuple[str, Callable[[], Any]]] = [
            ("language", self.action_switch_language), ("help", self.action_help),
        ]
        if self.trainee is not None:
            commands += [("progress", self.action_progress), ("sign_out", self.action_sign_out)]
        commands += [("manager", self.action_manager), ("timer", self.action_toggle_timer),
                     ("theme", self.action_change_theme), ("quit", self.action_quit)]
        for name, callback in commands:
            yield SystemCommand(tr(f"cmd.{name}"), tr(f"cmd.{name}.help"), callback)
