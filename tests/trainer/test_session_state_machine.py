"""Hypothesis drives sessions with arbitrary action sequences and checks the invariants.

Whatever a trainee does (any option, dead air, escalating, hanging up, notes at any
time) on the fixture or any shipped drill: moods stay within 0-100, every score
component and the overall stay within 0-100, a critical violation always fails the
drill, and the session survives a JSON round trip unchanged.
"""

from __future__ import annotations

from engine_support import FIXTURE_FILE, SHIPPED_DIR
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from trainer.engine import Session, load_library, load_scenario, score

# A shipped file that fails to load is reported by test_shipped_scenarios, not here.
SCENARIOS = [load_scenario(FIXTURE_FILE), *load_library(SHIPPED_DIR)]


class SessionMachine(RuleBasedStateMachine):
    session: Session

    @initialize(index=st.integers(0, len(SCENARIOS) - 1), seed=st.integers(0, 2**32 - 1))
    def start(self, index: int, seed: int) -> None:
        self.session = Session.start(SCENARIOS[index], seed=seed, trainee="hypothesis")

    def open(self) -> bool:
        return not self.session.finished

    @precondition(lambda self: not self.session.finished and self.session.options)
    @rule(pick=st.integers(0, 50))
    def choose(self, pick: int) -> None:
        self.session.choose(pick % len(self.session.options) + 1)

    @precondition(open)
    @rule()
    def timeout(self) -> None:
        self.session.timeout()

    @precondition(open)
    @rule()
    def escalate(self) -> None:
        self.session.escalate()

    @precondition(open)
    @rule()
    def hang_up(self) -> None:
        self.session.hang_up()

    @rule(amount=st.floats(0, 1e6, allow_nan=False), days=st.integers(0, 60),
          channel=st.sampled_from(["debit card", "online banking", "支付宝", ""]))
    def note(self, amount: float, days: int, channel: str) -> None:
        self.session.record_note(amount, f"2026-04-{days % 28 + 1:02d}", channel)

    @invariant()
    def moods_in_range(self) -> None:
        assert all(0 <= v <= 100 for v in self.session.mood.values())

    @invariant()
    def scores_in_range_and_critical_fails(self) -> None:
        result = score(self.session)
        for value in (result.compliance, result.deescalation, result.outcome, result.overall):
            assert 0.0 <= value <= 100.0
        critical = self.session.scenario.critical_rule_ids
        broke_critical = any(v in critical for t in self.session.turns for v in t.violations)
        assert result.critical == broke_critical
        if broke_critical:
            assert not result.passed and result.overall < result.pass_mark
            assert result.compliance == 0.0
            assert self.session.ending is not None
            assert self.session.ending.outcome == "critical_violation"
        assert result.passed == (result.overall >= result.pass_mark and not result.critical)

    @invariant()
    def json_round_trip(self) -> None:
        text = self.session.to_json()
        copy = Session.from_json(self.session.scenario, text)
        assert copy.to_json() == text
        assert copy.transcript == self.session.transcript
        assert copy.state == self.session.state and copy.note == self.session.note

    @invariant()
    def finished_means_ended(self) -> None:
        assert self.session.finished == (self.session.ending is not None)
        if self.session.finished:
            assert self.session.options == []


SessionMachine.TestCase.settings = settings(
    max_examples=60, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestSession = SessionMachine.TestCase
