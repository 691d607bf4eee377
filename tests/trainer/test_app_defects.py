"""Defects a trainee met in the app, each driven through Pilot the way they met it."""

from __future__ import annotations

from pathlib import Path

from app_support import make_app, open_call, say, settle, sign_in, until
from textual.widgets import Static

from trainer.screens.debrief import DebriefScreen
from trainer.screens.progress import ProgressScreen


def plain(widget: Static) -> str:
    visual = widget.render()
    return getattr(visual, "plain", str(visual))


async def finish_to_debrief(pilot, path: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    for option in path:
        await say(pilot, option)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, DebriefScreen))
    await settle(pilot)


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
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ProgressScreen))
        await settle(pilot)
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
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ProgressScreen))
        await settle(pilot)
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
