"""Helpers for the Textual app's tests (imported by module name, like engine_support).

The app runs on a fixture library (``fixtures/app_library``: one short drill in English
and Chinese), a fixed debtor seed and a frozen database clock, so every run is the same.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from trainer.app import TrainerApp
from trainer.storage import Storage

APP_LIBRARY = Path(__file__).parent / "fixtures" / "app_library"
FROZEN = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)

PASSING_PATH = ("dial.1", "greeting.1", "disclosure.1", "listen.1", "plan.1", "recap.1")
"""Identify and verify, mini-Miranda, empathy, a realistic plan, read it back."""


def plain(widget: Static) -> str:
    """What a Static shows, as text (a hanging-indent visual or plain content)."""
    visual = widget.render()
    return getattr(visual, "plain", str(visual))


def frozen_clock() -> datetime:
    return FROZEN


def open_storage(db: Path) -> Storage:
    return Storage.open(db, clock=frozen_clock)


def make_app(db: Path, *, timer: int | None = None, language: str = "en",
             library: Path = APP_LIBRARY) -> TrainerApp:
    return TrainerApp(open_storage(db), scenario_dir=library, timer_seconds=timer, seed=7,
                      language=language)


def make_shipped_app(db: Path, language: str = "en") -> TrainerApp:
    """The app on the shipped drill library (for what only a real drill shows)."""
    from sim import shipped

    return make_app(db, language=language, library=shipped.folder("drill"))


async def open_brief(pilot: Pilot[Any], key: tuple[str, str]) -> None:
    """From the picker: open the brief of the drill ``(id, language)``."""
    picker = pilot.app.screen
    keys = [s.key for s in picker.shown]
    picker.query_one("#scenarios", DataTable).move_cursor(row=keys.index(key))
    await pilot.press("enter")
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "BriefScreen")
    await settle(pilot)


async def open_shipped_call(pilot: Pilot[Any], key: tuple[str, str]) -> None:
    """From the picker: open the brief of drill ``(id, language)`` and start the call."""
    from trainer.screens.call import CallScreen

    await open_brief(pilot, key)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, CallScreen))
    await settle(pilot)


async def open_debrief(pilot: Pilot[Any]) -> None:
    """On the call-ended screen: Enter opens the debrief (and the result is stored)."""
    await pilot.press("enter")
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "DebriefScreen")
    await settle(pilot)


async def finish_to_debrief(pilot: Pilot[Any], path: tuple[str, ...]) -> None:
    """Play the options ``path`` to the end of the call, then open the debrief."""
    for option in path:
        await say(pilot, option)
    await open_debrief(pilot)


async def open_progress(pilot: Pilot[Any]) -> None:
    """From the debrief: back to the drill list, then the trainee's progress."""
    await pilot.press("escape")
    await settle(pilot)
    await pilot.press("p")
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "ProgressScreen")
    await settle(pilot)


def store_interrupted_drill(db: Path, steps: tuple[str, ...], *, title: str = "Fixture",
                            language: str = "en-US", typed: bool = False) -> int:
    """What kill -9 leaves behind: trainee ``emp042``'s fixture drill, filed as active
    with ``steps`` committed turn by turn and no window holding it: option ids, or with
    ``typed`` the replies typed in free-reply mode. Returns the session id."""
    from trainer.engine import Session, load_scenario
    from trainer.storage import ScenarioInfo

    scenario = load_scenario(APP_LIBRARY / f"app-drill.{language}.toml")
    session = Session.start(scenario, seed=7, trainee="emp042")
    storage = open_storage(db)
    storage.sign_in("emp042", "en")
    info = ScenarioInfo("app-drill", language, str(scenario.path), title, "hardship", "easy",
                        "us" if language.startswith("en") else "cn")
    sid = storage.begin_session("emp042", info, 7, session.to_json(), typed=typed)
    for step in steps:
        if typed:
            session.reply(step)
        else:
            session.choose_id(step)
        storage.record_turn(sid, session.actions[-1], session.to_json())
    storage.close()
    return sid


async def manager_sign_in(pilot: Pilot[Any], name: str, password: str) -> None:
    """Press m and fill in the manager sign-in dialog."""
    from textual.widgets import Input

    app = pilot.app
    await pilot.press("m")
    await until(pilot, lambda: bool(app.screen.query("#manager-password")))
    app.screen.query_one("#manager-name", Input).value = name
    app.screen.query_one("#manager-password", Input).value = password
    await pilot.click("#confirm")
    await settle(pilot)


async def open_manager_report(pilot: Pilot[Any], name: str, password: str) -> Any:
    """Sign in as ``name`` and open the manager report with the manager's password
    (returns the ManagerScreen)."""
    app = pilot.app
    await sign_in(pilot, name)
    await manager_sign_in(pilot, "Mia Boss", password)
    await until(pilot, lambda: type(app.screen).__name__ == "ManagerScreen"
                and app.screen.report is not None)
    await settle(pilot)
    return app.screen


async def settle(pilot: Pilot[Any]) -> None:
    """Let pending messages, workers and queued database writes finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    app: TrainerApp = pilot.app  # type: ignore[assignment]
    app.db.drain(timeout=10)
    await pilot.pause()


async def until(pilot: Pilot[Any], condition: Callable[[], bool], tries: int = 300) -> None:
    """Wait (up to ~15 s on a loaded machine) for ``condition``; fail if it never holds."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never reached the expected state")


async def sign_in(pilot: Pilot[Any], name: str = "emp042") -> None:
    from trainer.screens.picker import PickerScreen

    await until(pilot, lambda: type(pilot.app.screen).__name__ == "SignInScreen")
    await pilot.press(*name, "enter")
    def picker_ready() -> bool:  # a resume dialog may already sit on top of it
        return any(isinstance(s, PickerScreen) and s.shown for s in pilot.app.screen_stack)

    await until(pilot, picker_ready)
    await settle(pilot)


async def open_call(pilot: Pilot[Any], language: str = "en-US") -> None:
    """From the picker: open the fixture drill's brief, then start the call."""
    from trainer.screens.call import CallScreen

    picker = pilot.app.screen
    table = picker.query_one("#scenarios", DataTable)
    table.move_cursor(row=[s.key for s in picker.shown].index(("app-drill", language)))
    await pilot.press("enter")
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "BriefScreen")
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, CallScreen))
    await settle(pilot)


async def say(pilot: Pilot[Any], option_id: str) -> None:
    """Pick the option with this id by pressing its (shuffled) number key."""
    session = pilot.app.screen.session
    number = next(o.number for o in session.options if o.id == option_id)
    await pilot.press(str(number))
    await pilot.pause()
