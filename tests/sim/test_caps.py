"""The vectorised breach counter agrees with the scalar auditor, call for call."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.caps import DIMENSIONS, Limits, count_breaches
from sim.compliance import Attempt, audit_contact_log, breach_counts
from sim.rules import ContactPolicy

policies = st.builds(
    lambda start, length, per_day, count_all, connected, rolling, quiet: ContactPolicy(
        window_start_minute=start, window_end_minute=min(start + length, 1440),
        max_attempts_per_day=per_day, attempts_count="all" if count_all else "unanswered",
        max_connected_per_day=connected,
        max_attempts_in_days=rolling[0] if rolling else None,
        attempts_window_days=rolling[1] if rolling else None,
        quiet_days_after_conversation=quiet),
    st.integers(0, 1000), st.integers(60, 1440), st.none() | st.integers(1, 4), st.booleans(),
    st.none() | st.integers(1, 3), st.none() | st.tuples(st.integers(1, 6), st.integers(2, 7)),
    st.none() | st.integers(1, 5))

calls = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5), st.integers(0, 1439),
                           st.booleans(), st.booleans()), max_size=60)


@settings(max_examples=150, deadline=None)
@given(policies, calls)
def test_day_by_day_counts_equal_the_audit(policy: ContactPolicy,
                                           log: list[tuple[int, int, int, bool, bool]]) -> None:
    attempts = [Attempt(a, day, minute, conn, "collector" if coll else "debtor")
                for a, day, minute, conn, coll in log]
    expected = breach_counts(audit_contact_log(policy, attempts))
    limits = Limits.of(policy)
    window = 8
    ring = np.zeros((4, window), np.int64)
    last = np.full(4, -32768, np.int64)
    total = dict.fromkeys(DIMENSIONS, 0)
    rows = np.array(log, dtype=np.int64).reshape(-1, 5)
    for day in range(6):
        ring[:, day % window] = 0
        today = rows[rows[:, 1] == day]
        acct = today[:, 0]
        prior = np.zeros(acct.shape[0], np.int64)
        if limits.span is not None:
            cols = [(day - k) % window for k in range(1, limits.span)]
            prior = ring[acct][:, cols].sum(axis=1)
        found = count_breaches(limits, day, acct, today[:, 2].astype(np.float64),
                               day * 1440 + today[:, 2], today[:, 3].astype(bool),
                               today[:, 4].astype(bool), prior, last[acct].astype(np.int16))
        for k, v in found.items():
            total[k] += v
        collector = today[today[:, 4] == 1]
        np.add.at(ring[:, day % window], collector[:, 0], 1)
        for a in today[today[:, 3] == 1][:, 0]:
            last[a] = day
    assert {k: v for k, v in total.items() if v} == expected
