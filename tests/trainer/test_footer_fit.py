"""The footer fits an 80-column terminal in both languages (no key drawn over another).

Chinese labels take two cells a character; before the fitting footer, the docked
command-palette key was drawn over the debrief's last keys and cut ``中文`` in half.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_support import make_app, open_call, say, settle, sign_in, until
from textual.pilot import Pilot
from textual.widgets import Footer


def assert_footer_fits(pilot: Pilot[Any]) -> None:
    footer = pilot.app.screen.query_one(Footer)
    keys = [k.region for k in footer.query("FooterKey") if k.display]
    assert sum(r.width for r in keys) <= footer.size.width, type(pilot.app.screen).__name__
    for i, a in enumerate(keys):  # the docked palette key overlaps nothing
        assert not any(a.overlaps(b) for b in keys[i + 1:]), type(pilot.app.screen).__name__


@pytest.mark.parametrize("language", ["en", "zh-CN"])
async def test_footer_fits_80_columns_on_every_drill_screen(tmp_path: Path,
                                                             language: str) -> None:
    app = make_app(tmp_path / "t.db", language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        assert_footer_fits(pilot)
        await open_call(pilot)
        assert_footer_fits(pilot)
        for option in ("dial.1", "greeting.2", "disclosure.1", "listen.2"):
            await say(pilot, option)
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "DebriefScreen")
        await settle(pilot)
        assert_footer_fits(pilot)
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        assert not footer.compact and footer.show_command_palette  # room again: full footer
