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
    settle,
    sign_in,
    until,
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


def seed_mixed_calls(db: Path) -> None:
    """Ana passed the hardship fixture drill with options once and failed it typed once;
    Mia Boss is the manager."""
    from app_support import APP_LIBRARY

    from trainer.engine import Session, load_scenario
    from trainer.screens.drill import attempt_result, scenario_info

    scenario = load_scenario(APP_LIBRARY / "app-drill.en-US.toml")
    storage = open_storage(db)
    ana = storage.sign_in("Ana", "en")
    for typed in (False, True):
        session = Session.start(scenario, seed=7, trainee=ana.id)
        sid = storage.begin_session(ana.id, scenario_info(scenario), 7, session.to_json(),
                                    typed=typed)
        for option in PASSING_PATH if not typed else ("dial.1", "greeting.1"):
            if typed:
                session.reply("Um, okay. " + scenario.choice_by_id[option].option.text)
            else:
                session.choose_id(option)
            storage.record_turn(sid, session.actions[-1], session.to_json())
        if typed:
            session.hang_up()
            storage.record_turn(sid, session.actions[-1], session.to_json())
        from trainer.engine import score

        storage.finish_session(sid, session.to_json(), attempt_result(score(session)))
    storage.sign_in("Mia Boss", "en")
    storage.set_password("mia boss", "correct horse", role="manager")
    storage.close()


async def test_a_manager_requires_typed_replies_and_the_trainee_sees_it(tmp_path: Path) -> None:
    """The manager's screen counts Ana's typed call apart (1, not passed) and certifies
    her on hardship by her options pass; pressing f on the fixture drill requires typed
    replies there, and the options pass stops counting. Ana's drill list marks the drill,
    its brief opens in typed mode, and r there switches this one call back (with a
    warning) without changing the sitting's mode."""
    from app_support import open_manager_report
    from textual.widgets import DataTable

    from trainer.report import CORE_DEBTOR_TYPES
    from trainer.screens.picker import PickerScreen

    db = tmp_path / "t.db"
    seed_mixed_calls(db)
    app = make_app(db)
    total = len(CORE_DEBTOR_TYPES)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_manager_report(pilot, "Ana", "correct horse")
        people = screen.query_one("#trainee-table", DataTable)

        def ana(column: str) -> str:
            return str(people.get_row_at(0)[list(people.columns).index(column)])

        assert ana("typed") == "1 (0 passed)" and ana("certified") == f"1/{total}"
        await pilot.press("f")  # the drill list
        await settle(pilot)
        assert ana("certified") == f"1/{total}" and not open_storage(db).typed_required()
        await pilot.press("f")  # the first drill of the list: the fixture drill
        await settle(pilot)
        await until(pilot, lambda: ana("certified") == f"0/{total}")
        assert open_storage(db).typed_required() == {"app-drill"}
        assert notified(app, "only typed passes certify")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
        await settle(pilot)
        picker = app.screen
        table = picker.query_one("#scenarios", DataTable)
        titles = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert all(t.startswith("✎ ") for t in titles), titles  # both languages of it
        assert "✎ typed only" in plain(
            picker.query_one("#picker-status", Static))
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "BriefScreen")
        await settle(pilot)
        brief = app.screen
        status = brief.query_one("#brief-status", Static)
        assert "Replies: typed" in plain(status) and "✎" in plain(status)
        await pilot.press("r")  # this call only: options
        assert "Replies: options" in plain(status) and notified(app, "will not count")
        assert not app.free_reply  # the sitting's mode is untouched
        await pilot.press("r", "enter")
        await until(pilot, lambda: isinstance(app.screen, CallScreen))
        await settle(pilot)
        assert app.screen.free_reply and app.screen.query_one("#reply", Input).display
    stored = open_storage(db)
    [active] = stored.active_sessions("ana")
    assert active.typed
    stored.close()


async def test_an_interrupted_typed_call_resumes_typed_with_its_words(tmp_path: Path) -> None:
    """kill -9 in the middle of a typed call: resuming reopens it in free-reply mode, the
    typed words are on the transcript as they were said, and the call goes on typed to a
    stored pass whose turn log holds every typed reply once. Retrying it stays typed."""
    from app_support import APP_LIBRARY, store_interrupted_drill
    from textual.widgets import Input

    from trainer.engine import load_scenario
    from trainer.screens.dialogs import ResumeDialog

    db = tmp_path / "t.db"
    said = {option: "Um, okay. " + load_scenario(APP_LIBRARY / "app-drill.en-US.toml")
            .choice_by_id[option].option.text for option in PASSING_PATH}
    sid = store_interrupted_drill(db, tuple(said[o] for o in PASSING_PATH[:3]), typed=True)
    app = make_app(db)  # the sitting starts in options mode
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await until(pilot, lambda: isinstance(app.screen, ResumeDialog))
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, CallScreen))
        await settle(pilot)
        call = app.screen
        assert call.free_reply and not app.free_reply
        assert call.query_one("#reply", Input).display
        assert not call.query_one("#options", OptionList).display
        assert call.session.turn == 3 and all(t.typed for t in call.session.turns)
        shown = " ".join(plain(line) for line in call.query("TranscriptLine"))
        for option in PASSING_PATH[:3]:
            assert said[option] in shown, option
        for option in PASSING_PATH[3:]:
            await type_reply(pilot, said[option])
        assert call.session.finished and "promise to pay" in plain(call.query_one("#call-end"))
        await open_debrief(pilot)
        assert app.screen.score.passed
        await pilot.press("r")  # a retry is typed too, though the sitting is in options
        await until(pilot, lambda: isinstance(app.screen, CallScreen)
                    and app.screen.session_id != sid)
        assert app.screen.free_reply and not app.free_reply
    storage = open_storage(db)
    assert [(a["do"], a["text"]) for a in storage.turn_log(sid)] == [
        ("say", said[o]) for o in PASSING_PATH]
    assert [a.session_id for a in storage.attempts()] == [sid]
