"""Visual regression snapshots of the trainer at the two sizes it must read well at.

Deterministic by construction (reference §5c): fixture library, debtor seed 7, frozen
database clock, fixed terminal sizes, no cursor blink, no toasts, colour on. Update the
baselines only after reading the HTML diff: ``pytest tests/trainer/test_app_snapshots.py
--snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_support import PASSING_PATH, make_app, open_call, say, settle, sign_in, until
from textual.pilot import Pilot
from textual.widgets import Input


@pytest.fixture(autouse=True)
def _colour_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)


async def still(pilot: Pilot[Any]) -> None:
    """Freeze what moves: cursor blink and toasts."""
    await settle(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()


def test_sign_in_80x24(snap_compare: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "SignInScreen")
        await pilot.press(*"emp042")
        await still(pilot)

    assert snap_compare(make_app(tmp_path / "t.db"), terminal_size=(80, 24),
                        run_before=run_before)


def test_picker_in_chinese_120x40(snap_compare: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await sign_in(pilot, "李伟")
        await still(pilot)

    assert snap_compare(make_app(tmp_path / "t.db", language="zh-CN"), terminal_size=(120, 40),
                        run_before=run_before)


@pytest.mark.parametrize(("size", "path"), [
    ((80, 24), PASSING_PATH[:3]),
    ((120, 40), ("dial.1", "greeting.2", "disclosure.1")),  # wide: side panel, mood moved
], ids=["80x24", "120x40"])
def test_call_mid_drill(snap_compare: Any, tmp_path: Path, size: tuple[int, int],
                        path: tuple[str, ...]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await sign_in(pilot)
        await open_call(pilot)
        for option in path:
            await say(pilot, option)
        await still(pilot)

    assert snap_compare(make_app(tmp_path / "t.db"), terminal_size=size, run_before=run_before)


def test_debrief_of_a_failed_drill_120x40(snap_compare: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await sign_in(pilot)
        await open_call(pilot)
        for option in ("dial.1", "greeting.2", "disclosure.1", "listen.2"):
            await say(pilot, option)
        await pilot.press("enter")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "DebriefScreen")
        await still(pilot)

    assert snap_compare(make_app(tmp_path / "t.db"), terminal_size=(120, 40),
                        run_before=run_before)
