"""The role-play dialogue engine: scenarios, sessions, scoring and debriefs (no Textual).

A new collector learns the job on the phone with people who are angry, frightened,
evasive or grieving, under rules that differ by country. This package lets them
practise first: a scenario is a branching call written by people who know the work,
a session plays it with seeded variety, scoring judges compliance against a cited
rule pack plus de-escalation and outcome, and the debrief shows, turn by turn, what a
better choice would have been. The Textual app, the authoring tools and notebooks all
use the same API::

    from trainer.engine import load_scenario, load_library, Session, score, debrief

    scenario = load_scenario("scenarios/roleplay/abusive-caller.en-US.toml")
    session = Session.start(scenario, seed=7, trainee="emp042")
    session.choose(1)
    result = score(session)
    report = debrief(session)
"""

from trainer.engine.analyser import Analysis, Finding, analyse
from trainer.engine.debrief import Debrief, debrief
from trainer.engine.facts import Fact
from trainer.engine.loader import Library, load_library, load_scenario
from trainer.engine.machine import MAX_TURNS, TIMEOUT_EFFECTS, AgreedPromise, EndState
from trainer.engine.model import Scenario
from trainer.engine.scoring import Item, Score, Violation, score
from trainer.engine.session import (
    EngineError,
    Entry,
    IllegalActionError,
    Line,
    Note,
    OptionView,
    ReplayError,
    Session,
    Turn,
)

__all__ = [
    "MAX_TURNS",
    "TIMEOUT_EFFECTS",
    "AgreedPromise",
    "Analysis",
    "Debrief",
    "EndState",
    "EngineError",
    "Entry",
    "Fact",
    "Finding",
    "IllegalActionError",
    "Item",
    "Library",
    "Line",
    "Note",
    "OptionView",
    "ReplayError",
    "Scenario",
    "Score",
    "Session",
    "Turn",
    "Violation",
    "analyse",
    "debrief",
    "load_library",
    "load_scenario",
    "score",
]
