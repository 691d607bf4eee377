"""The life of one drill between the engine and the database: start, resume, finish.

The engine's :class:`~trainer.engine.Session` is the truth of a call; the database keeps
its JSON (scenario fingerprint, seed, actions) after every action, so a drill can be
rebuilt after a crash by replaying those actions. The action that ends the call is
committed together with the score and its evidence (violations with citations, skills
shown), so a call that has ended counts even if the app dies before the debrief; a
wrap-up note after it re-scores the call in the same way. That is what progress and the
manager report read.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from trainer.messages import quoted
from trainer.storage import ActiveSession, AttemptResult, ScenarioInfo, ViolationRecord

if TYPE_CHECKING:
    from trainer.app import TrainerApp
    from trainer.engine import Scenario, Session
    from trainer.engine.scoring import Score


def scenario_info(scenario: Scenario) -> ScenarioInfo:
    return ScenarioInfo(
        scenario_id=scenario.meta.id, language=scenario.meta.language,
        path=str(scenario.path or ""), title=scenario.meta.title,
        debtor_type=scenario.meta.debtor_type, difficulty=scenario.meta.difficulty,
        rule_pack=scenario.meta.rule_pack,
    )


def attempt_result(score: Score) -> AttemptResult:
    """What the database keeps of a scored drill."""
    return AttemptResult(
        outcome=score.ending, compliance=score.compliance, deescalation=score.deescalation,
        outcome_score=score.outcome, overall=score.overall, pass_mark=score.pass_mark,
        passed=score.passed, critical=score.critical, resolved=score.resolved,
        violations=[
            ViolationRecord(v.turn, v.rule_id, v.severity, v.title, v.citation)
            for v in score.violations if v.enabled
        ],
        skills=dict(score.skills),
    )


async def start_drill(app: TrainerApp, scenario: Scenario, order: list[Scenario], *,
                      typed: bool | None = None) -> None:
    """Open a new call on ``scenario`` (replacing the brief) and file it as active;
    ``typed``: in free-reply mode (default: the sitting's mode)."""
    from trainer.engine import Session
    from trainer.screens.call import CallScreen

    assert app.trainee is not None
    typed = app.free_reply if typed is None else typed
    seed = app.new_seed()
    session = Session.start(scenario, seed=seed, trainee=app.trainee.id)
    session_id = await app.db_call(
        "begin_session", app.trainee.id, scenario_info(scenario), seed, session.to_json(),
        app.timer_seconds, typed=typed,
    )
    if session_id is None:
        return  # could not file the drill: the storage error is on screen
    app.switch_screen(CallScreen(scenario, session, session_id, app.timer_seconds, order,
                                 free_reply=typed))


def record_action(app: TrainerApp, session_id: int, session: Session) -> None:
    """Commit the action just taken (the last one in the session) with the session JSON,
    and with the score once the call has ended."""
    from trainer.engine import score

    result = attempt_result(score(session)) if session.finished else None
    app.db_write("record_turn", session_id, session.actions[-1], session.to_json(), result)


async def finish_drill(app: TrainerApp, session_id: int, session: Session) -> Score:
    """Score a finished call and store the result; returns the score.

    The result is normally stored already, with the turn that ended the call; storing it
    again (the same values) also covers a call resumed from a version that stored
    results only here."""
    from trainer.engine import score

    result = score(session)
    await app.db_call("finish_session", session_id, session.to_json(), attempt_result(result))
    return result


async def _find_scenario(app: TrainerApp, record: ActiveSession) -> Scenario | None:
    for scenario in await app.library():
        if scenario.key == (record.scenario.scenario_id, record.scenario.language):
            return scenario
    if record.scenario.path:
        from trainer.engine import load_scenario

        try:
            return await asyncio.to_thread(load_scenario, record.scenario.path)
        except Exception:  # any failure means "cannot resume", said below
            return None
    return None


async def offer_resume(app: TrainerApp) -> None:
    """If the signed-in trainee left a drill unfinished, ask whether to resume it."""
    from trainer.screens.dialogs import ResumeDialog

    if app.trainee is None:
        return
    active: list[ActiveSession] = await app.db_call("active_sessions", app.trainee.id) or []
    if not active:
        return
    record = active[0]

    async def decided(choice: str | None) -> None:
        if choice in ("resume", "takeover", "view"):
            await resume_drill(app, record, takeover=choice == "takeover",
                               read_only=choice == "view")
        elif choice == "discard":
            await app.db_call("abandon_session", record.id)
            await offer_resume(app)  # an older unfinished drill, if any

    app.push_screen(ResumeDialog(record), callback=decided)


async def resume_drill(app: TrainerApp, record: ActiveSession, *, takeover: bool = False,
                      read_only: bool = False) -> None:
    """Rebuild an unfinished drill by replaying its stored actions, and reopen the call.

    The call is reopened holding the drill's lease (``takeover`` takes it from another
    window), or ``read_only`` to watch a drill another window holds. If another window
    took the drill meanwhile, it opens read-only."""
    from trainer.engine import Session
    from trainer.engine.session import ReplayError
    from trainer.screens.call import CallScreen

    scenario = await _find_scenario(app, record)
    session: Any = None
    problem = app.tr("resume.missing", title=quoted(record.scenario.title))
    if scenario is not None:
        try:
            session = Session.from_json(scenario, record.state_json)
        except ReplayError as exc:
            problem = app.tr("resume.failed", reason=str(exc))
    if session is None or scenario is None:
        # Set it aside (kept, never scored) so it is not offered again at every start.
        await app.db_call("abandon_session", record.id)
        app.notify(problem, severity="error", timeout=12)
        return
    if not read_only:
        held = await app.db_call("take_lease", record.id, takeover=takeover)
        if held is None:
            return  # the storage error is on screen
        if not held:
            read_only = True
            app.notify(app.tr("resume.held_now"), severity="warning", timeout=8)
    app.push_screen(CallScreen(scenario, session, record.id, record.timer_seconds, [scenario],
                               read_only=read_only, free_reply=record.typed))
