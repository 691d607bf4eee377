"""End-to-end drills through the Textual app, driven with Pilot like a trainee would."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import (
    PASSING_PATH,
    finish_to_debrief,
    make_app,
    manager_sign_in,
    open_call,
    open_debrief,
    open_manager_report,
    open_storage,
    plain,
    say,
    settle,
    sign_in,
    store_interrupted_drill,
    until,
)
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Input, Static

from trainer.screens.call import CallScreen
from trainer.screens.debrief import DebriefScreen
from trainer.screens.dialogs import ResumeDialog
from trainer.screens.help import HelpScreen
from trainer.screens.manager import ManagerScreen
from trainer.screens.picker import PickerScreen
from trainer.storage import AttemptResult, ScenarioInfo, Storage, StorageError, ViolationRecord


def text_of(screen: object, selector: str) -> str:
    return plain(screen.query_one(selector, Static))  # type: ignore[attr-defined]


async def test_passing_drill_with_a_recorded_promise(tmp_path: Path) -> None:
    app = make_app(tmp_path / "t.db")
    async with app.run_test(size=(100, 32)) as pilot:
        await sign_in(pilot)
        await open_call(pilot)
        for option in PASSING_PATH:
            await say(pilot, option)
        call = app.screen
        assert isinstance(call, CallScreen) and call.session.finished
        assert "promise to pay" in text_of(call, "#call-end")
        # Wrap-up: the note, with the due date typed the way collectors think of it.
        await pilot.press("n")
        await until(pilot, lambda: app.screen.query("#note-amount"))
        await pilot.press(*"50", "enter", *"+7d", "enter", *"debit card", "enter")
        await settle(pilot)
        assert call.session.note is not None
        assert (call.session.note.amount, call.session.note.date) == (50.0, "2026-03-19")
        await open_debrief(pilot)
        debrief = app.screen
        assert debrief.score.passed and not debrief.score.violations
        assert "PASS" in text_of(debrief, "#verdict") or "DISTINCTION" in text_of(debrief,
                                                                                   "#verdict")
        assert "$50.00 · 2026-03-19 · debit card" in text_of(debrief, "#scores")
    storage = open_storage(tmp_path / "t.db")
    [attempt] = storage.attempts("emp042")
    assert attempt.passed and attempt.outcome == "promise_to_pay" and attempt.outcome_score == 100
    assert storage.active_sessions("emp042") == []
    log = storage.turn_log(attempt.session_id)
    assert [a["do"] for a in log] == ["choose"] * len(PASSING_PATH) + ["note"]


async def test_critical_violation_fails_the_drill(tmp_path: Path) -> None:
    app = make_app(tmp_path / "t.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await open_call(pilot)
        await pilot.click("#options", offset=(6, 1))  # the mouse works too: the only option
        await pilot.pause()
        assert app.screen.session.turn == 1
        for option in ("greeting.1", "disclosure.1", "listen.2"):
            await say(pilot, option)
        assert app.screen.session.ending.outcome == "critical_violation"
        assert "✖" in text_of(app.screen, "#call-end")
        await open_debrief(pilot)
        assert not app.screen.score.passed and app.screen.score.critical
        assert "US-13" in text_of(app.screen, "#violations")
        assert "critical violation" in text_of(app.screen, "#verdict")
    storage = open_storage(tmp_path / "t.db")
    [attempt] = storage.attempts()
    assert attempt.critical and not attempt.passed
    assert [v.rule_id for _, v in storage.violations()] == ["US-13"]


async def test_silence_runs_out_the_answer_timer(tmp_path: Path) -> None:
    app = make_app(tmp_path / "t.db", timer=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await open_call(pilot)
        call = app.screen
        await until(pilot, lambda: call.session.turn >= 1)
        assert call.session.turns[0].action == "timeout"
        assert call.session.transcript[-2].action == "timeout"
        await settle(pilot)
        shown = [plain(line) for line in call.query("TranscriptLine")]
        assert any("timer ran out" in line for line in shown), shown
    storage = open_storage(tmp_path / "t.db")
    [active] = storage.active_sessions("emp042")
    assert active.timer_seconds == 1
    assert storage.turn_log(active.id)[0] == {"do": "timeout"}


async def test_escalation_ends_the_call_after_confirmation(tmp_path: Path) -> None:
    app = make_app(tmp_path / "t.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        await open_call(pilot)
        for option in ("dial.1", "greeting.1", "disclosure.1"):
            await say(pilot, option)
        await pilot.press("e", "n")  # changed my mind
        assert not app.screen.session.finished
        await pilot.press("e", "y")
        await settle(pilot)
        assert app.screen.session.ending.outcome == "escalated"
        await open_debrief(pilot)
        # Escalating where the node says it is apt ("good") earns full resolution marks.
        assert app.screen.score.ending == "escalated"
    [attempt] = open_storage(tmp_path / "t.db").attempts()
    assert attempt.outcome == "escalated"


async def test_an_interrupted_drill_is_offered_and_resumed(tmp_path: Path) -> None:
    # What kill -9 leaves behind: an active session with its committed actions.
    db = tmp_path / "t.db"
    sid = store_interrupted_drill(db, ("dial.1", "greeting.1", "disclosure.1"))

    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await until(pilot, lambda: isinstance(app.screen, ResumeDialog))
        assert "after 3 action(s)" in " ".join(str(w.render()) for w in app.screen.query(Static))
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, CallScreen))
        await settle(pilot)
        call = app.screen
        assert call.session.turn == 3 and call.session.node == "listen"
        assert len(call.query("TranscriptLine")) == len(call.session.transcript)
        await finish_to_debrief(pilot, PASSING_PATH[3:])
    storage = open_storage(db)
    assert storage.active_sessions("emp042") == []
    assert [a.session_id for a in storage.attempts()] == [sid]
    assert len(storage.turn_log(sid)) == len(PASSING_PATH)


async def test_discarding_an_interrupted_drill(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    storage = open_storage(db)
    storage.sign_in("emp042", "en")
    info = ScenarioInfo("app-drill", "en-US", "", "Fixture", "hardship", "easy", "us")
    storage.begin_session("emp042", info, 7, "{}")
    storage.close()
    app = make_app(db)
    async with app.run_test() as pilot:
        await sign_in(pilot)
        await until(pilot, lambda: isinstance(app.screen, ResumeDialog))
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
    assert open_storage(db).active_sessions("emp042") == []


def seed_team(db: Path) -> None:
    storage = open_storage(db)
    info = ScenarioInfo("app-drill", "en-US", "", "Fixture", "hardship", "easy", "us")
    for who, overall, critical in (("Ana", 92, False), ("Ben", 30, True), ("Ben", 35, True),
                                   ("Ben", 20, True)):
        storage.sign_in(who, "en")
        sid = storage.begin_session(who.lower(), info, 1, "{}")
        storage.finish_session(sid, "{}", AttemptResult(
            "promise_to_pay", 0 if critical else 100, 60, 70, overall, 75, not critical,
            critical, [ViolationRecord(3, "US-13", "critical", "Threats", "12 CFR 1006.18")]
            if critical else [], {"empathy": (1, 2)}))
    storage.sign_in("Mia Boss", "en")
    storage.set_password("mia boss", "correct horse", role="manager")
    storage.close()


async def test_a_trainee_is_refused_the_manager_report(tmp_path: Path) -> None:
    """Ana signs in as a trainee and presses m: without a manager's password the team
    report (everyone's results) stays shut, whatever she types."""
    db = tmp_path / "t.db"
    seed_team(db)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Ana")
        for name, password in (("Ana", ""), ("Ana", "guess"), ("Mia Boss", "wrong")):
            await manager_sign_in(pilot, name, password)
            await settle(pilot)
            assert not isinstance(app.screen, ManagerScreen)
            assert not any(isinstance(s, ManagerScreen) for s in app.screen_stack)
    stored = open_storage(db)
    assert stored.role("ana") == "trainee"
    raw = stored._read("SELECT salt, digest FROM credentials")[0]
    assert b"correct horse" not in bytes(raw[0]) + bytes(raw[1])
    stored.close()


async def test_manager_report_shows_and_exports(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    seed_team(db)
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_manager_report(pilot, "Ana", "correct horse")
        assert screen.query_one("#trainee-table", DataTable).row_count == 2
        assert screen.query_one("#rule-table", DataTable).row_count == 1
        assert "US-13" in text_of(screen, "#rule-detail")
        assert "Ben" in text_of(screen, "#coaching")
        assert "4 drills" in text_of(screen, "#manager-summary")
        await pilot.press("x")
        await until(pilot, lambda: app.screen.query("#export-dir"))
        app.screen.query_one("#export-dir", Input).value = str(tmp_path / "export")
        await pilot.press("enter")
        await until(pilot, lambda: (tmp_path / "export" / "report.md").exists())
    names = sorted(p.name for p in (tmp_path / "export").iterdir())
    assert names == ["report.md", "rules.csv", "trainees.csv"]
    assert "Ben" in (tmp_path / "export" / "trainees.csv").read_text(encoding="utf-8-sig")


async def test_switching_language_switches_the_whole_ui(tmp_path: Path) -> None:
    app = make_app(tmp_path / "t.db")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        assert "Drills" in text_of(app.screen, "#picker-head")
        await pilot.press("f2")
        await settle(pilot)
        assert "练习场景" in text_of(app.screen, "#picker-head")
        footer_labels = {a.binding.description for a in app.screen.active_bindings.values()}
        assert "我的进度" in footer_labels and "Progress" not in footer_labels
        table = app.screen.query_one("#scenarios", DataTable)
        assert next(c.label.plain for c in table.columns.values()) == "场景"
        await open_call(pilot, "en-US")
        assert "对方情绪" in str(app.screen.query_one("#call-side .card-title", Static).render())
    assert open_storage(tmp_path / "t.db").trainee("emp042").language == "zh-CN"


async def test_switching_to_chinese_shows_chinese_debrief_sentences(tmp_path: Path) -> None:
    app = make_app(tmp_path / "t.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await open_call(pilot, "en-US")
        for option in ("dial.1", "greeting.2", "disclosure.1", "listen.2"):  # threatens police
            await say(pilot, option)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DebriefScreen)
                    and app.screen.review is not None)
        await settle(pilot)
        replay = text_of(app.screen, "#replay")
        assert "critical breach of US-13" in replay and "escalating behaviour: Threatens" in replay
        await pilot.press("f2")
        await settle(pilot)
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        replay = text_of(debrief, "#replay")
        # The engine's explanations, in Chinese; the drill's own lines stay in English.
        assert "严重违规 US-13：" in replay and "本次练习直接判为不通过" in replay
        assert "激化情绪的做法：威胁（曝光、抓人、并不打算采取的法律行动）" in replay
        assert "你：" in replay and "上一句：" in replay
        assert "If this isn't paid, the police can get involved." in replay
        assert "critical breach" not in replay and "escalating behaviour" not in replay
        advice = text_of(debrief, "#advice")
        assert "停止做" in advice and "威胁（曝光、抓人" in advice
        assert "严重违规" in text_of(debrief, "#verdict")


async def test_the_note_suggests_common_channels_not_the_drills_answer(tmp_path: Path) -> None:
    app = make_app(tmp_path / "t.db", language="zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await open_call(pilot, "zh-CN")  # the promise here is paid via "手机银行"
        await pilot.press("n")
        await until(pilot, lambda: bool(app.screen.query("#note-channel")))
        channel = app.screen.query_one("#note-channel", Input)
        assert channel.suggester is not None
        assert await channel.suggester.get_suggestion("银行a") == "银行APP"  # input casefolded
        assert await channel.suggester.get_suggestion("微") == "微信支付"
        assert await channel.suggester.get_suggestion("手机") is None
        assert "支付宝" in channel.placeholder


async def test_help_lists_every_screens_keys(tmp_path: Path) -> None:
    app = make_app(tmp_path / "t.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = "\n".join(str(s.render()) for s in app.screen.query(".section"))
        for label in ("Hang up", "Escalate", "Note promise", "Export CSV + MD", "Retry",
                      "Commands", "Quit"):
            assert label in text
        await pilot.press("escape")
        assert isinstance(app.screen, PickerScreen)


async def test_a_failing_database_write_is_reported_not_fatal(tmp_path: Path) -> None:
    app = make_app(tmp_path / "t.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await open_call(pilot)

        def broken(*_: object) -> int:
            raise StorageError(tmp_path / "t.db", "cannot write the database (disk I/O error)")

        app.db.storage.record_turn = broken  # type: ignore[method-assign]
        await say(pilot, "dial.1")
        await settle(pilot)
        assert app.screen.session.turn == 1  # the drill goes on in memory
        await until(pilot, lambda: any("disk I/O" in str(n.message) for n in app._notifications))


@pytest.mark.parametrize("content", [b"not a database" * 100, None])
def test_cli_refuses_a_bad_database_with_exit_2(tmp_path: Path, content: bytes | None,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from trainer.cli import main

    if content is None:
        blocker = tmp_path / "file"
        blocker.write_text("x")
        db = blocker / "trainer.db"  # a folder that cannot exist
    else:
        db = tmp_path / "bad.db"
        db.write_bytes(content)
    assert main(["--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert str(db) in err and "Traceback" not in err


async def test_retry_starts_a_fresh_call_and_next_opens_the_next_brief(tmp_path: Path) -> None:
    app = make_app(tmp_path / "t.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        order = [s.key for s in app.screen.shown]
        await open_call(pilot, "en-US")
        first = app.screen.session_id
        await pilot.press("x", "y")  # hang up at once, then the debrief
        await open_debrief(pilot)
        assert app.screen.score.ending == "hung_up"
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, CallScreen))
        assert app.screen.session_id != first and app.screen.session.turn == 0
        await pilot.press("x", "y")
        await open_debrief(pilot)
        await pilot.press("n")
        await until(pilot, lambda: type(app.screen).__name__ == "BriefScreen")
        assert app.screen.scenario.key == order[order.index(("app-drill", "en-US")) + 1]
        await pilot.press("escape")
        assert isinstance(app.screen, PickerScreen)  # the stack never grows past one drill
    assert len(open_storage(tmp_path / "t.db").attempts()) == 2


async def test_debrief_page_keys_scroll_the_open_tab_without_focusing_it(tmp_path: Path) -> None:
    app = make_app(tmp_path / "t.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await open_call(pilot)
        await finish_to_debrief(pilot, ("dial.1", "greeting.2", "disclosure.1", "listen.2"))
        await pilot.press("p")
        await pilot.pause()
        replay = app.screen.query_one("#tab-replay VerticalScroll", VerticalScroll)
        assert app.focused is not replay and replay.max_scroll_y > 0 and replay.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        paged = replay.scroll_y
        assert paged > 1
        await pilot.press("up")
        await pilot.pause()
        assert replay.scroll_y == paged - 1
        await pilot.press("end")
        await pilot.pause()
        assert replay.scroll_y == replay.max_scroll_y
        await pilot.press("pageup", "home")
        await pilot.pause()
        assert replay.scroll_y == 0


async def test_lang_flag_beats_the_last_trainees_language(tmp_path: Path) -> None:
    """``--lang en`` after a Chinese-speaking trainee: sign-in opens in English, and the
    new trainee is saved in English and lands in the English list."""
    from app_support import APP_LIBRARY

    from trainer.app import TrainerApp

    db = tmp_path / "t.db"
    before = open_storage(db)
    before.sign_in("Old Hand", "zh-CN")
    before.close()
    app = TrainerApp(open_storage(db), scenario_dir=APP_LIBRARY, seed=7, language="en",
                     language_given=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: type(app.screen).__name__ == "SignInScreen")
        await settle(pilot)
        assert app.tr.language == "en"
        await pilot.press("ctrl+u")
        await sign_in(pilot, "New Person")
        assert app.tr.language == "en"
        assert "Drills" in text_of(app.screen, "#picker-head")
    after = open_storage(db)
    trainee = after.trainee("new person")
    assert trainee is not None and trainee.language == "en"
    after.close()


async def test_the_app_records_how_each_choice_was_made(tmp_path: Path) -> None:
    """Each real decision is kept with its time, options shown, whether the longest was
    picked, and the least time a fast reader needs (what the gaming flags read)."""
    from app_support import open_call, say

    db = tmp_path / "t.db"
    app = make_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        await open_call(pilot)
        for _ in range(3):  # the first option offered each time, whatever it is
            await say(pilot, app.screen.session.options[0].id)
        app.db.drain()
    stored = open_storage(db)
    rows = stored._read("SELECT seq, think_ms, options, chose_longest, min_read_ms"
                        " FROM decisions ORDER BY seq")
    stored.close()
    assert rows, "no decision was recorded"
    assert [r[0] for r in rows] == sorted({r[0] for r in rows})
    assert all(r[1] >= 0 and r[2] >= 2 and r[4] > 0 for r in rows)


async def test_the_manager_chooses_the_report_period(tmp_path: Path) -> None:
    """d on the manager report: a date range like --from/--to; a bad date is explained
    in the dialog, a good range narrows the figures and is shown with them."""
    from datetime import UTC, datetime

    db = tmp_path / "t.db"
    now = [datetime(2026, 3, 1, 12, 0, tzinfo=UTC)]
    storage = Storage.open(db, clock=lambda: now[0])
    info = ScenarioInfo("app-drill", "en-US", "", "Fixture", "hardship", "easy", "us")
    for day, who, overall in ((1, "Ana", 92), (2, "Ben", 30), (3, "Ana", 88)):
        now[0] = now[0].replace(day=day)
        storage.sign_in(who, "en")
        sid = storage.begin_session(who.lower(), info, 1, "{}")
        storage.finish_session(sid, "{}", AttemptResult(
            "promise_to_pay", 100, 60, 70, overall, 75, overall >= 75, False))
    storage.sign_in("Mia Boss", "en")
    storage.set_password("mia boss", "correct horse", role="manager")
    storage.close()
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_manager_report(pilot, "Mia Boss", "correct horse")
        assert screen.report.attempts == 3
        assert "the first drill to the latest drill" in text_of(screen, "#manager-title")
        await pilot.press("d")
        await until(pilot, lambda: bool(app.screen.query("#period-from")))
        await pilot.press(*"2026-03-32", "enter", "enter")
        await settle(pilot)
        assert "is not a date" in text_of(app.screen, ".error")  # still in the dialog
        app.screen.query_one("#period-from", Input).value = "2026-03-02"
        app.screen.query_one("#period-to", Input).value = "2026-03-01"
        await pilot.press("enter")
        await settle(pilot)
        assert "starts after it ends" in text_of(app.screen, ".error")
        app.screen.query_one("#period-to", Input).value = "2026-03-02"
        app.screen.query_one("#period-to", Input).focus()
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen and screen.report.attempts == 1)
        await settle(pilot)
        assert "Period: 2026-03-02 to 2026-03-02" in text_of(screen, "#manager-title")
        assert screen.query_one("#manager-title").region.height == 1  # seen whole at 80x24
        assert [r.name for r in screen.report.trainees] == ["Ben"]
        await pilot.press("d", "escape")  # cancelling keeps the period
        await settle(pilot)
        assert screen.report.attempts == 1
