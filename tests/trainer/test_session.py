"""Sessions: seeded variety, the rules of play, transcripts and deterministic replay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from engine_support import FIXTURE_BEST, write_variant

from trainer.engine import (
    MAX_TURNS,
    TIMEOUT_EFFECTS,
    IllegalActionError,
    ReplayError,
    Scenario,
    Session,
    load_scenario,
)
from trainer.engine.conditions import Env
from trainer.engine.machine import candidate_lines

BEST = FIXTURE_BEST


def play(drill: Scenario, ids: list[str], seed: int = 0) -> Session:
    session = Session.start(drill, seed=seed, trainee="t1")
    for option_id in ids:
        session.choose_id(option_id)
    return session


def test_opening(drill: Scenario) -> None:
    session = Session.start(drill, seed=3, trainee="emp042")
    assert session.line.speaker == "narrator" and session.line.at == "dial"
    assert sorted(o.id for o in session.options) == ["dial.1", "dial.2"]
    assert [o.number for o in session.options] == [1, 2]
    assert session.mood == {"anger": 50, "trust": 30, "distress": 40}
    assert not session.finished and session.ending is None and session.turn == 0
    assert session.transcript[0].turn == 0 and session.transcript[0].speaker == "narrator"


def test_choose_by_number_follows_the_shown_order(drill: Scenario) -> None:
    session = Session.start(drill, seed=1)
    shown = session.options
    turn = session.choose(next(o.number for o in shown if o.id == "dial.1"))
    assert turn.option == "dial.1" and turn.node == "dial" and session.node == "greeting"
    assert turn.tags == ("place_call",) and turn.number == 1


def test_same_seed_same_call_other_seeds_vary(drill: Scenario) -> None:
    a, b = play(drill, BEST, seed=11), play(drill, BEST, seed=11)
    assert [e.text for e in a.transcript] == [e.text for e in b.transcript]
    orders = set()
    lines = set()
    for seed in range(12):
        session = play(drill, ["dial.1"], seed=seed)
        orders.add(tuple(o.id for o in session.options))
        lines.add(session.line.text)
    assert len(orders) == 2  # greeting's two options are shown in both orders
    assert lines == {"Hello?", "Hello, Sam speaking."}


def test_effects_clamp_and_flags(drill: Scenario) -> None:
    session = play(drill, ["dial.1", "greeting.1", "verify.1"])
    assert session.mood == {"anger": 50, "trust": 45, "distress": 40}
    assert session.flags == {"verified": True}
    turn = session.choose_id("disclosure.1")
    assert turn.mood_before == turn.mood_after


def test_conditional_route_to_an_ending(drill: Scenario) -> None:
    session = play(drill, ["dial.1", "greeting.2"])  # anger 50 + 25 >= 70: he hangs up
    assert session.finished and session.ending is not None
    assert (session.ending.outcome, session.ending.ending, session.ending.cause) == (
        "hung_up",
        "hangup",
        "ending",
    )
    assert session.line.text == "Forget it. *click*"
    assert session.turns[-1].violations == ("US-VERIFY",)


def test_once_and_when_options(drill: Scenario) -> None:
    session = play(drill, ["dial.1", "greeting.1", "verify.1", "disclosure.1"])
    first = {o.id for o in session.options}
    assert first == {"listen.1", "listen.2", "listen.3"}  # listen.4 needs a second visit
    session.choose_id("listen.2")  # once-only, loops back to listen
    second = {o.id for o in session.options}
    assert second == {"listen.1", "listen.3", "listen.4"}
    with pytest.raises(IllegalActionError):
        session.choose_id("listen.2")


def test_visits_and_turn_in_lines(drill: Scenario) -> None:
    session = play(drill, ["dial.1", "greeting.1", "verify.1", "disclosure.1", "listen.2"])
    assert session.line.text == "I told you already, I'm on unemployment."  # turn 5 <= 6
    session.timeout()
    session.timeout()
    assert session.turn == 7
    listen = drill.nodes["listen"]
    env = session.state.env(drill)
    assert [line.text for line in candidate_lines(listen.lines, env)] == [
        "I told you already, I'm on unemployment.",
        "We've been at this for ages. What do you want?",
    ]


def test_candidate_lines_prefer_conditional_reactions(drill: Scenario) -> None:
    greeting = drill.nodes["greeting"].lines
    angry = candidate_lines(greeting, Env({"anger": 60}, {}))
    calm = candidate_lines(greeting, Env({"anger": 59}, {}))
    assert [line.text for line in angry] == ["Yeah? Who's this?"]
    assert [line.text for line in calm] == ["Hello?", "Hello, Sam speaking."]


def test_option_unlocked_by_flag_and_trust(drill: Scenario) -> None:
    with_flag = play(drill, ["dial.1", "greeting.1", "verify.1", "disclosure.1", "listen.1"])
    assert "plan.3" in {o.id for o in with_flag.options}  # trust 60, verified
    without = play(drill, ["dial.1", "greeting.1", "verify.2", "disclosure.1", "listen.1"])
    assert "plan.3" not in {o.id for o in without.options}  # never verified


def test_critical_violation_ends_the_call_with_the_reaction(drill: Scenario) -> None:
    session = play(drill, ["dial.2"])  # calls at 21:30: US-05
    assert session.finished and session.ending is not None
    assert session.ending.outcome == "critical_violation" and session.ending.cause == "critical"
    assert session.ending.ending is None and session.node == "late"
    assert session.line.text == "It's half nine at night! Who calls at this hour?"
    assert session.options == []
    threat = play(drill, ["dial.1", "greeting.1", "verify.1", "disclosure.1", "listen.3"])
    assert threat.ending is not None and threat.ending.outcome == "critical_violation"
    assert threat.ending.ending == "threatened"
    assert threat.line.text.startswith("The police?")


def test_timeout_costs_mood_and_stays(drill: Scenario) -> None:
    session = play(drill, ["dial.1"])
    before = session.mood
    turn = session.timeout()
    assert session.node == "greeting" and turn.action == "timeout" and turn.option is None
    assert session.mood["anger"] == before["anger"] + TIMEOUT_EFFECTS["anger"]
    assert session.mood["trust"] == before["trust"] + TIMEOUT_EFFECTS["trust"]
    assert session.mood["distress"] == before["distress"]
    assert session.line.text == "Hello? Anyone there?"  # the node's silence line


def test_escalate_and_hang_up_end_the_call(drill: Scenario) -> None:
    escalated = play(drill, ["dial.1"])
    turn = escalated.escalate()
    assert turn.tags == ("escalate",)
    assert escalated.ending is not None
    assert (escalated.ending.outcome, escalated.ending.cause, escalated.ending.escalation) == (
        "escalated",
        "escalate",
        "poor",
    )
    hung = play(drill, ["dial.1", "greeting.1"])
    hung.hang_up()
    assert hung.ending is not None and hung.ending.outcome == "hung_up"
    assert hung.ending.cause == "hang_up"


def test_illegal_actions(drill: Scenario) -> None:
    session = Session.start(drill)
    for bad in (0, 3, -1):
        with pytest.raises(IllegalActionError, match="not offered"):
            session.choose(bad)
    with pytest.raises(IllegalActionError):
        session.choose_id("plan.1")
    session.hang_up()
    for action in (session.timeout, session.escalate, session.hang_up, lambda: session.choose(1)):
        with pytest.raises(IllegalActionError, match="ended"):
            action()
    with pytest.raises(ValueError, match="seed"):
        Session.start(drill, seed=-1)


def test_notes_are_recorded_any_time_and_checked(drill: Scenario) -> None:
    session = play(drill, BEST)
    assert session.finished
    note = session.record_note(100, "2026-03-19", "  debit card ")
    assert (note.amount, note.date, note.channel) == (100.0, "2026-03-19", "debit card")
    with pytest.raises(IllegalActionError):
        session.record_note(100, "19/03/2026", "card")


def test_turn_limit_stops_a_looping_call(drill: Scenario) -> None:
    session = play(drill, ["dial.1"])
    while not session.finished:
        session.timeout()
    assert session.turn == MAX_TURNS
    assert session.ending is not None and session.ending.cause == "turn_limit"
    assert session.ending.outcome == "no_agreement"
    assert session.mood["anger"] == 100 and session.mood["trust"] == 0  # clamped


def test_json_round_trip_replays_exactly(drill: Scenario) -> None:
    session = play(drill, ["dial.1", "greeting.1"], seed=9)
    session.timeout()
    session.record_note(50, "2026-03-20", "cash")
    for option_id in BEST[2:]:
        session.choose_id(option_id)
    text = session.to_json()
    copy = Session.from_json(drill, text)
    assert copy.transcript == session.transcript
    assert copy.state == session.state and copy.note == session.note
    assert copy.to_json() == text
    data = json.loads(text)
    assert data["scenario"]["fingerprint"] == drill.fingerprint()
    assert data["actions"][2] == {"do": "timeout"}


def test_replay_refuses_a_changed_scenario(drill: Scenario, tmp_path: Path) -> None:
    text = play(drill, ["dial.1"]).to_json()
    changed = load_scenario(write_variant(tmp_path, "Right. Go on then.", "Go on."))
    with pytest.raises(ReplayError, match="changed"):
        Session.from_json(changed, text)


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda d: "not json", "not a stored session"),
        (lambda d: json.dumps({**d, "format": "other/9"}), "not a recoverylab.session/1"),
        (
            lambda d: json.dumps({**d, "scenario": {**d["scenario"], "language": "zh-CN"}}),
            "session is for",
        ),
        (
            lambda d: json.dumps({**d, "actions": [{"do": "choose", "option": "plan.1"}]}),
            "cannot be replayed",
        ),
        (lambda d: json.dumps({**d, "actions": [{"do": "dance"}]}), "cannot be replayed"),
        (lambda d: json.dumps({k: v for k, v in d.items() if k != "seed"}), "not a stored session"),
    ],
)
def test_replay_errors(drill: Scenario, mutate: object, fragment: str) -> None:
    data = json.loads(Session.start(drill).to_json())
    with pytest.raises(ReplayError, match=fragment):
        Session.from_json(drill, mutate(data))  # type: ignore[operator]


def test_the_clock_follows_the_nodes_that_move_the_call() -> None:
    """A callback the next afternoon, and a new number in another zone."""
    from datetime import datetime

    from sim import shipped
    from trainer.engine import load_scenario

    stalling = Session.start(load_scenario(shipped.resolve("drill", "stalling-promises.en-US")))
    assert stalling.clock == (datetime(2026, 3, 12, 21, 50), "America/New_York")
    stalling.choose_id("queue.2")
    assert stalling.clock == (datetime(2026, 3, 13, 14, 15), "America/New_York")
    stalling.choose_id("next_day.1")  # later nodes keep the time the call reached
    assert stalling.clock == (datetime(2026, 3, 13, 14, 15), "America/New_York")

    third = load_scenario(shipped.resolve("drill", "third-party-answers.en-US"))
    start = Session.start(third)
    assert start.clock == (datetime(2026, 3, 10, 20, 38), "America/Chicago")
    # The best path (as in the golden transcript) up to the new number in Columbus, Ohio.
    for option in ("queue.2", "hello.1", "not_here.2", "mother_worried.1", "offers_pay.2",
                   "moved.1", "gives_number.3"):
        start.choose_id(option)
    session = start
    assert session.node == "dial_new"
    assert session.clock == (datetime(2026, 3, 10, 21, 46), "America/New_York")


def test_the_clock_follows_a_debtor_line_that_moves_the_call() -> None:
    """stop-calling zh-CN starts at 21:50. Which line the debtor answers with depends on
    the route: waiting until tomorrow, "(next day, 16:10)"; dialling now, "(21:51)". The
    node cannot carry the time, the line does."""
    from datetime import datetime

    from sim import shipped
    from trainer.engine import load_scenario

    drill = load_scenario(shipped.resolve("drill", "stop-calling.zh-CN"))
    waited = Session.start(drill)
    assert waited.clock == (datetime(2026, 9, 16, 21, 50), "Asia/Shanghai")
    waited.choose_id("queue.3")  # not now: tomorrow afternoon
    assert waited.line.text.startswith("（第二天")
    assert waited.clock == (datetime(2026, 9, 17, 16, 10), "Asia/Shanghai")
    assert waited.today.isoformat() == "2026-09-17"
    now = Session.start(drill)
    now.choose_id("queue.1")  # dial now
    assert now.line.text.startswith("（21:51")
    assert now.clock == (datetime(2026, 9, 16, 21, 51), "Asia/Shanghai")
    # A replay says the same lines, so it reaches the same time.
    assert Session.from_json(drill, waited.to_json()).clock == waited.clock


@pytest.mark.parametrize(("drill_name", "path", "option", "due"), [
    # Called back the next morning (Wednesday 04-15): "$1,500 in by Friday" is 04-17.
    ("vulnerable-bereavement.en-US",
     ("dial.2", "greeting.2", "miranda.3", "disclosure.3", "consent.3", "impact.4", "risk.2",
      "needs.2", "husband_card.1"), "next_steps.3", "2026-04-17"),
    ("vulnerable-bereavement.en-US",
     ("dial.2", "greeting.2", "miranda.3", "disclosure.3", "consent.3", "impact.4", "risk.2",
      "needs.2", "husband_card.1"), "next_steps.1", "2026-04-15"),  # "+0d": that morning
    # "这周" from Wednesday 04-15: by Sunday 04-19.
    ("vulnerable-bereavement.zh-CN",
     ("dial.3", "greeting.1", "disclosure.3", "consent.3", "impact.4", "risk.1", "needs.1",
      "husband_card.2"), "next_steps.4", "2026-04-19"),
], ids=["en by Friday", "en today", "zh this week"])
def test_a_promise_counts_its_days_from_the_day_the_call_reached(
        drill_name: str, path: tuple[str, ...], option: str, due: str) -> None:
    """The brief is the evening before; the call happens the next morning. A promise
    "+Nd" made then falls due N days after that morning, and the transcript says so."""
    from sim import shipped
    from trainer.engine import load_scenario
    from trainer.engine.transcript import render

    drill = load_scenario(shipped.resolve("drill", drill_name))
    session = Session.start(drill)
    for step in (*path, option):
        session.choose_id(step)
    assert session.promise is not None
    assert session.promise.due.isoformat() == due
    assert f" on {due} via " in render(session)
