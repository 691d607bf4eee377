"""Defects a trainee met in the app, each driven through Pilot the way they met it."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import (
    finish_to_debrief,
    make_app,
    make_shipped_app,
    open_brief,
    open_call,
    open_progress,
    open_shipped_call,
    plain,
    say,
    settle,
    sign_in,
    store_interrupted_drill,
    until,
)
from textual.widgets import Static


async def test_a_rule_breach_lowers_the_skill_in_progress(tmp_path: Path) -> None:
    """Talking about the debt before verifying (US-VERIFY, no conduct tag) is a breach of
    conduct: progress must not show conduct as untested or excellent right after it."""
    app = make_app(tmp_path / "t.db")
    async with app.run_test(size=(100, 32)) as pilot:
        await sign_in(pilot)
        await open_call(pilot)
        await finish_to_debrief(
            pilot, ("dial.1", "greeting.2", "disclosure.1", "listen.1", "plan.1", "recap.1")
        )
        assert [v.rule_id for v in app.screen.score.violations] == ["US-VERIFY"]
        await open_progress(pilot)
        skills = plain(app.screen.query_one("#skills", Static))
        [conduct] = [line for line in skills.splitlines() if line.startswith("Conduct")]
        assert "0.0" in conduct and "needs work" in conduct.lower(), skills


async def test_untried_debtor_types_are_marked_apart_from_failed_ones(tmp_path: Path) -> None:
    app = make_app(tmp_path / "t.db")
    async with app.run_test(size=(100, 32)) as pilot:
        await sign_in(pilot)
        await open_call(pilot)
        await finish_to_debrief(pilot, ("dial.1", "greeting.1", "disclosure.1", "listen.2"))
        assert app.screen.score.critical
        await open_progress(pilot)
        shown = plain(app.screen.query_one("#certification", Static))
        assert "✖ Hardship" in shown, shown  # failed: a critical breach on the only try
        assert "· Abusive" in shown and "✖ Abusive" not in shown, shown  # never tried
        assert "not tried yet" in shown and "tried, not passed yet" in shown, shown


async def test_the_timer_spares_the_mood_before_dialling_and_keeps_the_order(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path / "t.db", timer=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await open_call(pilot)
        session = app.screen.session
        before = dict(session.scenario.persona.mood)  # the call may already have timed out
        await until(pilot, lambda: session.turn >= 1)
        assert session.turns[0].action == "timeout" and session.turns[0].node == "dial"
        assert session.mood == before  # nobody was on the line to be kept waiting
        await say(pilot, "dial.1")
        await until(pilot, lambda: session.state.at == "greeting")
        for _ in range(3):  # several timeouts in a row at the same node
            shown = [o.id for o in session.options]
            turns = session.turn
            await until(pilot, lambda: session.turn > turns)  # noqa: B023
            assert session.turns[-1].action == "timeout"
            assert [o.id for o in session.options] == shown
        assert session.mood["anger"] > before["anger"]  # dead air on a live call still costs


def test_options_keep_their_order_across_timeouts_for_every_seed() -> None:
    from app_support import APP_LIBRARY

    from trainer.engine import Session, load_scenario

    scenario = load_scenario(APP_LIBRARY / "app-drill.en-US.toml")
    for seed in range(20):
        session = Session(scenario, seed=seed, trainee="t")
        session.choose_id("dial.1")
        shown = [o.id for o in session.options]
        for _ in range(4):
            session.timeout()
            assert [o.id for o in session.options] == shown, seed


async def test_a_quoted_title_is_not_quoted_twice_in_the_resume_dialog(tmp_path: Path) -> None:
    from trainer.screens.dialogs import ResumeDialog

    db = tmp_path / "t.db"
    title = '"Stop calling me!" The hounded debtor'
    store_interrupted_drill(db, ("dial.1",), title=title)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await until(pilot, lambda: isinstance(app.screen, ResumeDialog))
        shown = " ".join(plain(w) for w in app.screen.query(Static))
        assert title in shown, shown
        assert "“\"" not in shown and "\"”" not in shown, shown


async def test_textuals_own_strings_are_translated_in_the_chinese_ui(tmp_path: Path) -> None:
    from textual.command import CommandPalette
    from textual.widgets import Input

    app = make_app(tmp_path / "t.db", language="zh-CN")
    async with app.run_test(size=(100, 32)) as pilot:
        await sign_in(pilot)
        await pilot.press("f", "enter")  # focus the first filter and open its list
        await settle(pilot)
        labels = [b.description for _, b, _, _ in app.screen.active_bindings.values() if b.show]
        assert "收起列表" in labels and "Dismiss menu" not in labels, labels
        await pilot.press("escape")
        app.search_themes()
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await settle(pilot)
        placeholder = app.screen.query_one(Input).placeholder
        assert placeholder == "搜索主题…", placeholder


def test_no_two_drills_of_a_language_open_their_titles_alike() -> None:
    """A trainee picks a drill by its title: "Stop calling me!" (an abusive debtor) and
    "Stop calling me" (a cease request) were read as the same drill."""
    import re
    from collections import defaultdict

    from trainer.engine import load_scenario
    from trainer.engine.tags import DEFAULT_TAGS_FILE

    openings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(DEFAULT_TAGS_FILE.parent.glob("*.*-*.toml")):  # drills: <id>.<lang>.toml
        meta = load_scenario(path).meta
        words = re.sub(r"[\W_]+", " ", meta.title.lower()).split()
        opening = " ".join(words[:2]) if meta.language.startswith("en") else "".join(words)[:4]
        openings[(meta.language, opening)].append(path.name)
    assert all(len(names) == 1 for names in openings.values()), {
        k: v for k, v in openings.items() if len(v) > 1
    }


async def test_the_drill_list_keeps_its_cursor_after_esc_from_a_brief(tmp_path: Path) -> None:
    from app_support import open_storage
    from textual.widgets import DataTable

    from trainer.app import TrainerApp
    from trainer.engine.tags import DEFAULT_TAGS_FILE
    from trainer.screens.brief import BriefScreen
    from trainer.screens.picker import PickerScreen

    app = TrainerApp(open_storage(tmp_path / "t.db"), scenario_dir=DEFAULT_TAGS_FILE.parent,
                     timer_seconds=None, seed=7, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        picker = app.screen
        table = picker.query_one("#scenarios", DataTable)
        await pilot.press("down", "down", "down", "down", "down")
        chosen = picker.shown[table.cursor_row].key
        assert table.cursor_row == 5
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, BriefScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
        await settle(pilot)
        assert picker.shown[table.cursor_row].key == chosen


async def test_f2_at_sign_in_is_a_language_choice_that_sticks(tmp_path: Path) -> None:
    from app_support import open_storage

    from trainer.screens.picker import PickerScreen

    storage = open_storage(tmp_path / "t.db")
    storage.sign_in("emp042", "zh-CN")  # the last trainee, remembered in Chinese
    storage.close()
    app = make_app(tmp_path / "t.db", language="zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: type(app.screen).__name__ == "SignInScreen")
        await settle(pilot)
        assert app.tr.language == "zh-CN"
        await pilot.press("f2")
        await settle(pilot)
        assert app.tr.language == "en"
        await pilot.press("enter")  # the name is pre-filled: sign in again
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
        await settle(pilot)
        assert app.tr.language == "en" and app.trainee.language == "en"
    storage = open_storage(tmp_path / "t.db")
    assert storage.trainee("emp042").language == "en"


async def test_at_80_columns_the_brief_header_is_one_line(
    tmp_path: Path,
) -> None:
    app = make_shipped_app(tmp_path / "t.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await open_brief(pilot, ("stalling-promises", "en-US"))
        header = app.screen.query_one(".screen-title", Static)
        assert header.region.height == 1, plain(header)
        assert "pass mark 75" in plain(header).lower(), plain(header)


async def test_a_call_that_ends_is_stored_before_the_debrief(tmp_path: Path) -> None:
    """Dying on the call-ended screen used to lose the attempt: the result was stored only
    when the debrief opened. Now the turn that ends the call carries its score, and a
    wrap-up note re-scores it; a second connection (what is left after a kill) sees both."""
    from app_support import PASSING_PATH, open_storage

    from trainer.screens.call import CallScreen

    db = tmp_path / "t.db"
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await open_call(pilot)
        for option in PASSING_PATH:
            await say(pilot, option)
        await settle(pilot)
        call = app.screen
        assert isinstance(call, CallScreen) and call.session.finished
        other = open_storage(db)  # another process reading the file, the app still running
        [ended] = other.attempts("emp042")
        assert ended.outcome == "promise_to_pay" and other.active_sessions("emp042") == []
        without_note = ended.outcome_score
        # The wrap-up note (written after the call, as on a real floor) re-scores it.
        await pilot.press("n")
        await until(pilot, lambda: app.screen.query("#note-amount"))
        await pilot.press(*"50", "enter", *"+7d", "enter", *"debit card", "enter")
        await settle(pilot)
        [noted] = other.attempts("emp042")
        assert noted.outcome_score > without_note and noted.finished_at == ended.finished_at
        assert [a["do"] for a in other.turn_log(ended.session_id)][-1] == "note"
        other.close()
        assert isinstance(app.screen, CallScreen)  # never reached the debrief
    storage = open_storage(db)
    [attempt] = storage.attempts("emp042")
    assert attempt.passed and attempt.outcome_score == noted.outcome_score
    assert storage.active_sessions("emp042") == []


async def test_two_windows_on_one_drill_lose_nothing(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Two app instances, one trainee, one drill: the second may watch or take over, never
    write beside the first; after a takeover the first is refused and only watches. Every
    stored action is one that was played, once, in order, and the attempt is kept."""
    from app_support import PASSING_PATH, open_storage

    from trainer.screens import call as call_screen
    from trainer.screens.call import CallScreen
    from trainer.screens.dialogs import ResumeDialog

    # The first window must not notice the takeover by renewing its lease before it tries
    # to play on (what this test is about); renewal noticing it is tested below.
    monkeypatch.setattr(call_screen, "RENEW_SECONDS", 3600)

    db = tmp_path / "t.db"
    first, second = make_app(db), make_app(db)
    async with first.run_test(size=(80, 24)) as one:
        await sign_in(one)
        await open_call(one)
        for option in PASSING_PATH[:2]:
            await say(one, option)
        await settle(one)
        async with second.run_test(size=(80, 24)) as two:
            await sign_in(two)
            await until(two, lambda: isinstance(second.screen, ResumeDialog))
            buttons = {b.id for b in second.screen.query("Button")}
            assert buttons == {"takeover", "view", "later"}, buttons
            await two.press("r")  # a plain resume is not offered for a drill held elsewhere
            assert isinstance(second.screen, ResumeDialog)
            await two.press("v")
            await until(two, lambda: isinstance(second.screen, CallScreen))
            watching = second.screen
            assert watching.read_only and watching.session.turn == 2
            await two.press("1", "x", "e", "n")  # nothing a watcher presses plays the call
            assert watching.session.turn == 2 and isinstance(second.screen, CallScreen)
            # The watcher follows the first window's call as it is stored.
            await say(one, PASSING_PATH[2])
            await settle(one)
            await until(two, lambda: watching.session.turn == 3)
            # Take over: from here the second window plays.
            await two.press("o")
            await until(two, lambda: not watching.read_only)
            await say(two, PASSING_PATH[3])
            await settle(two)
            # The first window does not know yet and plays on: refused, it now watches.
            playing = first.screen
            await say(one, PASSING_PATH[3])
            await until(one, lambda: playing.read_only)
            await until(one, lambda: playing.session.turn == 4)
            for option in PASSING_PATH[4:]:
                await say(two, option)
            await settle(two)
            assert watching.session.finished
            await until(one, lambda: playing.session.finished)
    storage = open_storage(db)
    [attempt] = storage.attempts("emp042")
    assert attempt.passed and storage.active_sessions("emp042") == []
    assert [a["option"] for a in storage.turn_log(attempt.session_id)] == list(PASSING_PATH)


async def test_a_window_renewing_its_lease_notices_a_takeover(tmp_path: Path) -> None:
    """The trainee of the first window may only be reading: the lease renewal tells them."""
    from app_support import open_storage

    db = tmp_path / "t.db"
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await open_call(pilot)
        await say(pilot, "dial.1")
        await settle(pilot)
        call = app.screen
        await call._keep_lease()
        assert not call.read_only  # still ours: renewed
        other = open_storage(db)  # another window takes it over
        assert other.take_lease(call.session_id, takeover=True)
        await call._keep_lease()
        assert call.read_only and call.check_action("choose", (1,)) is False
        other.close()


@pytest.mark.parametrize(("drill", "before", "option", "node", "after"), [
    # The narrator's node moves the call: scheduling it for Friday 14:15.
    (("stalling-promises", "en-US"), "21:50", "queue.2", "next_day", "14:15"),
    # Only one of the debtor's lines moves it: held until the morning, Denise answers
    # "(Next morning, 10:02 am Eastern)"; dialling at once, she would answer at 21:12.
    (("vulnerable-bereavement", "en-US"), "21:12", "dial.2", "greeting", "10:02"),
], ids=["narrator node", "debtor line"])
async def test_the_call_header_follows_the_call_to_the_next_day(
        tmp_path: Path, drill: tuple[str, str], before: str, option: str, node: str,
        after: str) -> None:
    """The header shows the debtor's local time the call has reached, wherever the drill
    moves it; it used to keep the brief's time."""
    app = make_shipped_app(tmp_path / "t.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await open_shipped_call(pilot, drill)
        header = app.screen.query_one("#call-bar", Static)
        assert f"{before} (America/New_York)" in plain(header), plain(header)
        await say(pilot, option)
        await settle(pilot)
        assert app.screen.session.node == node
        assert f"{after} (America/New_York)" in plain(header), plain(header)
        assert header.region.height == 1
