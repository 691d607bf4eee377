"""Free-reply mode through the app: typed replies, misses, bad input, score and debrief."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from app_support import (
    PASSING_PATH,
    make_app,
    open_call,
    open_debrief,
    open_storage,
    plain,
    sign_in,
)
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from trainer.screens.call import CallScreen

POLITE_THREAT = "如果您一直不处理，我们只能联系您单位了"


async def type_reply(pilot: Pilot[Any], text: str) -> None:
    """Put ``text`` in the reply box (as a paste would) and send it with Enter."""
    box = pilot.app.screen.query_one("#reply", Input)
    box.focus()
    box.value = text
    await pilot.press("enter")
    await pilot.pause()


def notified(app: Any, words: str) -> bool:
    return any(words in str(n.message) for n in app._notifications)


async def start_typed_call(pilot: Pilot[Any], language: str) -> None:
    await sign_in(pilot)
    await pilot.press("r")  # the sitting's reply mode: typed
    await pilot.pause()
    assert pilot.app.free_reply
    await open_call(pilot, language)


async def test_a_compliant_typed_call_passes_and_the_debrief_shows_the_words(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path / "t.db")
    async with app.run_test(size=(100, 32)) as pilot:
        await start_typed_call(pilot, "en-US")
        call = app.screen
        assert isinstance(call, CallScreen)
        assert not call.query_one("#options", OptionList).display  # typing, not choosing
        # One reply really typed key by key; the rest pasted.
        await pilot.press(*"Call", "space", *"now", "enter")
        await pilot.pause()
        assert call.session.turns[-1].option == PASSING_PATH[0]
        for option_id in PASSING_PATH[1:]:
            text = call.scenario.choice_by_id[option_id].option.text
            await type_reply(pilot, "Um, okay. " + text)
            assert call.session.turns[-1].option == option_id, call.session.turns[-1]
        assert call.session.finished and "promise to pay" in plain(call.query_one("#call-end"))
        await open_debrief(pilot)
        debrief = app.screen
        assert debrief.score.passed and not debrief.score.violations
        replay = plain(debrief.query_one("#replay", Static))
        assert "Um, okay." in replay
        # Each typed turn says which option the words were read as.
        assert replay.count("Read as:") == len(PASSING_PATH)
        assert call.scenario.choice_by_id["plan.1"].option.text in replay
    storage = open_storage(tmp_path / "t.db")
    [attempt] = storage.attempts("emp042")
    assert attempt.passed
    assert [a["do"] for a in storage.turn_log(attempt.session_id)] == ["say"] * len(PASSING_PATH)
    rows = sqlite3.connect(tmp_path / "t.db").execute(
        "SELECT typed, matched FROM decisions ORDER BY seq").fetchall()
    assert [m for _, m in rows] == list(PASSING_PATH)
    assert rows[0][0] == "Call now" and all(t.startswith("Um, okay. ") for t, _ in rows[1:])


async def test_a_polite_threat_typed_fails_the_drill_with_the_rule_cited(tmp_path: Path) -> None:
    app = make_app(tmp_path / "t.db", language="zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_typed_call(pilot, "zh-CN")
        await type_reply(pilot, "现在拨打。")
        await type_reply(pilot, POLITE_THREAT)
        call = app.screen
        assert call.session.ending.outcome == "critical_violation"
        assert "✖" in plain(call.query_one("#call-end"))
        await open_debrief(pilot)
        debrief = app.screen
        assert debrief.score.critical and not debrief.score.passed
        assert "CN-THREAT" in plain(debrief.query_one("#violations", Static))
        replay = plain(debrief.query_one("#replay", Static))
        assert POLITE_THREAT in replay
        # The threat is named with the words that carried it (underlined in the replay),
        # and the dialling reply shows the option it was read as.
        threat_row = next(line for line in replay.splitlines() if "✖" in line)
        assert "我们只能联系您单位”" in threat_row
        assert "理解为" in replay
    storage = open_storage(tmp_path / "t.db")
    [attempt] = storage.attempts()
    assert attempt.critical and not attempt.passed
    assert "CN-THREAT" in [v.rule_id for _, v in storage.violations()]


async def test_bad_input_is_answered_in_the_app_and_two_misses_show_the_options(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path / "t.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_typed_call(pilot, "en-US")
        call = app.screen
        for text, words in [
            ("", "in words"),
            ("🙂🙂🙂", "in words"),
            ("x" * 10_000, "10000 characters"),
            ("您好，请问是王丽女士本人吗？", "reply in English"),
        ]:
            await type_reply(pilot, text)
            assert notified(app, words), words
            assert call.session.turn == 0 and not call.session.finished
        # Control characters (a paste with a NUL and an escape sequence) read as spaces.
        await type_reply(pilot, "Place\x00the\x1b[2J call now")
        assert call.session.turn == 1 and "\x00" not in call.session.turns[-1].text
        options = call.query_one("#options", OptionList)
        await type_reply(pilot, "Purple elephants dance quietly.")
        assert call.session.turns[-1].action == "miss" and not options.display
        assert "What do you mean?" in call.session.transcript[-1].text
        await type_reply(pilot, "Bananas on a Tuesday afternoon.")
        assert call.session.misses == 2 and options.display
        assert notified(app, "options are shown")
        # With the options shown the call's keys work again once the box is left.
        await pilot.press("escape")
        number = next(o.number for o in call.session.options if o.id == "greeting.1")
        await pilot.press(str(number))
        await pilot.pause()
        assert call.session.turns[-1].option == "greeting.1" and call.session.misses == 0
        assert not options.display  # next decision: typing again
