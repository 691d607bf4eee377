"""A simulated team of four, played through the real engine into a real database, and
the manager report's gaming flags read off it.

- the **dodger** calms the debtor, then escalates as soon as the call gets past the
  opening (wherever the drill gives no reason to);
- the **longest-gamer** always picks the longest option and clicks without reading;
- the **competent** trainee plays the best option but slips to a random one 10% of the
  time, reading at a normal pace;
- the **honest** trainee plays the best option, reading at a normal pace.

Only the dodger and the gamer may be flagged; the competent trainee with slips must not
be, and neither may the honest one.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from engine_support import SHIPPED_DIR

from trainer.engine import load_library, machine, scoring
from trainer.engine.cues import length
from trainer.engine.machine import EndState
from trainer.engine.search import ESCALATE, Searcher
from trainer.gaming import min_read_ms
from trainer.report import Period, build_report
from trainer.screens.drill import scenario_info
from trainer.storage import AttemptResult, Decision, Storage

DRILLS = ("abusive-caller", "hardship-job-loss", "stalling-promises", "stop-calling",
          "dispute-identity-theft", "third-party-answers")


def play(scenario, style: str, rng: random.Random):  # type: ignore[no-untyped-def]
    """One call; returns the score and the decisions as the app would record them."""
    searcher = Searcher(scenario, budget=50_000)
    state, tally = searcher.root()
    decisions: list[Decision] = []
    made = 0
    while state.end is None:
        options = machine.available(scenario, state)
        if not options:
            break
        node = scenario.nodes[state.at]
        reading = min_read_ms(len(node.lines[0].text) + sum(length(c.option.text)
                                                           for c in options), scenario.language)
        if style == "dodger" and made >= 3 and node.escalation != "good":
            state, tally = searcher.after(state, tally, ESCALATE)
            break
        if style == "longest":
            pick = max(options, key=lambda c: (length(c.option.text), -c.index)).id
            think = int(reading * 0.3)
        else:
            pick = searcher.best(state, tally).path[0]
            if pick == ESCALATE:
                state, tally = searcher.after(state, tally, ESCALATE)
                break
            if style == "competent" and rng.random() < 0.10:
                pick = rng.choice(options).id
            think = int(reading * rng.uniform(1.5, 3.0))
        if len(options) >= 2:
            longest = max(length(c.option.text) for c in options)
            others = [length(c.option.text) for c in options if c.id != pick]
            chosen = length(scenario.choice_by_id[pick].option.text)
            decisions.append(Decision(think, len(options), chosen == longest and chosen > max(
                others), reading))
        made += 1
        state, tally = searcher.after(state, tally, pick)
    end = state.end or EndState("no_agreement", None, "turn_limit")
    return scoring.finish(scenario, tally, end, state.promise, scoring.ASSUME_NOTE), decisions


def test_flags_find_the_gamers_and_spare_the_competent(tmp_path: Path) -> None:
    library = load_library(SHIPPED_DIR)
    clock = [datetime(2026, 3, 2, 9, tzinfo=UTC)]

    def tick() -> datetime:
        clock[0] += timedelta(hours=1)
        return clock[0]

    storage = Storage(tmp_path / "team.db", clock=tick)
    rng = random.Random(10)
    results: dict[str, list[bool]] = {}
    for style in ("dodger", "longest", "competent", "honest"):
        trainee = storage.sign_in(style, "en")
        for drill in DRILLS:
            for language in ("en-US", "zh-CN"):
                scenario = library.get(drill, language)
                result, decisions = play(scenario, style, rng)
                sid = storage.begin_session(trainee.id, scenario_info(scenario), 0, "{}")
                for seq, d in enumerate(decisions, start=1):
                    storage.record_decision(sid, seq, d)
                storage.finish_session(sid, "{}", AttemptResult(
                    outcome=result.ending, compliance=result.compliance,
                    deescalation=result.deescalation, outcome_score=result.outcome,
                    overall=result.overall, pass_mark=result.pass_mark, passed=result.passed,
                    critical=result.critical, resolved=result.resolved))
                results.setdefault(style, []).append(result.passed)
    report = build_report(storage)
    flags = {row.trainee_id: set(row.flags) for row in report.trainees}
    mix = {row.trainee_id: dict(row.mix) for row in report.trainees}
    assert "escapes" in flags["dodger"]
    assert not any(results["dodger"]), "escaping a call never passes"
    assert {"always_longest", "too_fast"} <= flags["longest"]
    assert flags["competent"] == set()
    assert flags["honest"] == set()
    assert sum(results["honest"]) == len(results["honest"])
    assert mix["dodger"]["escalation"] >= len(DRILLS)
    # The honest trainee's calls end resolved, never by escaping.
    assert mix["honest"]["escalation"] + mix["honest"]["hang_up"] <= 2
    # A date range keeps only the calls finished in it.
    first_day = build_report(storage, period=Period(until=date(2026, 3, 2)))
    assert 0 < first_day.attempts < report.attempts
    storage.close()
