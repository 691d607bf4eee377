"""The trainer's first screen waits for nothing it does not show.

Start-up time is measured in ``benchmarks/bench_trainer_startup.py``; this test guards
the structure behind it. The sign-in screen needs no drill engine, no scenario models
and no vocabulary labels, so neither pydantic (which validates those files) nor the
engine may be imported before that screen is drawn: they load in the background, or
when a drill is opened.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

FIRST_SCREEN = r"""
import sys
import textual.app

from trainer.cli import main

seen = {}
run = textual.app.App.run


def first_frame_only(self, *args, **kwargs):
    async def note_and_quit(pilot):
        seen.update({name: name in sys.modules for name in sys.argv[2:]})
        seen["screen"] = type(self.screen).__name__
        self.exit()

    return run(self, headless=True, auto_pilot=note_and_quit)


textual.app.App.run = first_frame_only
main(["--db", sys.argv[1], "--lang", "en"])
print(seen)
"""


def _modules_at_first_screen(tmp_path: Path, *names: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", FIRST_SCREEN, str(tmp_path / "t.db"), *names],
        capture_output=True, text=True, timeout=120, check=True,
        cwd=tmp_path,  # the installed package, not a source tree the folder happens to hold
    )
    return ast.literal_eval(done.stdout.strip().splitlines()[-1])


def test_the_sign_in_screen_is_drawn_before_pydantic_or_the_engine_is_imported(
    tmp_path: Path,
) -> None:
    seen = _modules_at_first_screen(
        tmp_path, "pydantic", "trainer.engine", "trainer.vocabulary", "numpy"
    )
    assert seen.pop("screen") == "SignInScreen"
    assert seen == {
        "pydantic": False, "trainer.engine": False, "trainer.vocabulary": False,
        "numpy": False,
    }


def test_a_vocabulary_label_is_still_translated_once_asked_for() -> None:
    from trainer.i18n import Translator

    assert Translator("en").label("debtor_type", "abusive") == "Abusive"
    assert Translator("zh-CN").label("debtor_type", "abusive") == "辱骂型"
    assert Translator("zh-CN").label("channel", "call") == "电话"
