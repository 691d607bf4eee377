"""The contact-log auditor: boundary cases on both sides of every limit, and a brute-force check."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.compliance import Attempt, Breach, audit_contact_log, breach_counts
from sim.rules import ContactPolicy, load_rule_pack


def at(
    day: int, hhmm: str, connected: bool = False, by: str = "collector", acct: str = "A"
) -> Attempt:
    hours, minutes = hhmm.split(":")
    return Attempt(acct, day, int(hours) * 60 + int(minutes), connected, by)  # type: ignore[arg-type]


def unanswered(n: int, day: int = 0, start: str = "09:00") -> list[Attempt]:
    """``n`` unanswered collector calls on one day, a minute apart."""
    hours, minutes = map(int, start.split(":"))
    return [Attempt("A", day, hours * 60 + minutes + k, False) for k in range(n)]


def daily(days: range, hhmm: str = "10:00", connected: bool = False) -> list[Attempt]:
    return [at(d, hhmm, connected) for d in days]


# (pack, case, log, breaches expected as (dimension, index of the offending attempt))
BOUNDARIES: list[tuple[str, str, list[Attempt], list[tuple[str, int]]]] = [
    # China: CBA 2026 window 08:00-22:00, <=6 unanswered a day, NIFA <=3 connected a day.
    ("cn", "6th unanswered attempt", unanswered(6), []),
    ("cn", "7th unanswered attempt", unanswered(7), [("max_attempts_per_day", 6)]),
    ("cn", "answered calls do not count as unanswered", [*unanswered(6), at(0, "12:00", True)], []),
    ("cn", "unanswered cap resets next day", unanswered(6) + unanswered(6, day=1), []),
    ("cn", "3rd connected call", [at(0, f"1{k}:00", True) for k in range(3)], []),
    (
        "cn",
        "4th connected call",
        [at(0, f"1{k}:00", True) for k in range(4)],
        [("max_connected_per_day", 3)],
    ),
    ("cn", "07:59", [at(0, "07:59")], [("contact_window", 0)]),
    ("cn", "08:00", [at(0, "08:00")], []),
    ("cn", "21:59", [at(0, "21:59")], []),
    ("cn", "22:00", [at(0, "22:00")], [("contact_window", 0)]),
    ("cn", "21:30 is lawful (the deck's 21:00 is not law)", [at(0, "21:30")], []),
    ("cn", "debtor calls in at 23:00", [at(0, "23:00", True, "debtor")], []),
    ("cn", "no quiet period after a conversation", [at(0, "09:00", True), at(0, "09:30")], []),
    # US: Regulation F 08:00-21:00, 7 calls in 7 days, 7 quiet days after a conversation.
    ("us", "07:59", [at(0, "07:59")], [("contact_window", 0)]),
    ("us", "08:00", [at(0, "08:00")], []),
    ("us", "20:59", [at(0, "20:59")], []),
    ("us", "21:00", [at(0, "21:00")], [("contact_window", 0)]),
    ("us", "7th call in 7 days", daily(range(7)), []),
    ("us", "8th call in 7 days", [*daily(range(7)), at(6, "11:00")], [("max_attempts_in_days", 7)]),
    ("us", "8 calls in 8 days", daily(range(8)), []),
    ("us", "8 calls on one day", unanswered(8), [("max_attempts_in_days", 7)]),
    (
        "us",
        "day 7 after a conversation",
        [at(0, "10:00", True), at(6, "10:00")],
        [("quiet_after_conversation", 1)],
    ),
    ("us", "day 8 after a conversation", [at(0, "10:00", True), at(7, "10:00")], []),
    (
        "us",
        "same day, after the conversation",
        [at(0, "10:00", True), at(0, "15:00")],
        [("quiet_after_conversation", 1)],
    ),
    ("us", "same day, before the conversation", [at(0, "09:00"), at(0, "10:00", True)], []),
    (
        "us",
        "consumer-started conversation opens the quiet period",
        [at(0, "10:00", True, "debtor"), at(6, "10:00")],
        [("quiet_after_conversation", 1)],
    ),
    (
        "us",
        "consumer-started calls do not count toward 7-in-7",
        daily(range(7)) + [at(d, "12:00", False, "debtor") for d in range(3)],
        [],
    ),
    (
        "us",
        "the latest conversation restarts the quiet period",
        [at(0, "10:00", True), at(7, "10:00", True), at(13, "10:00"), at(14, "10:00")],
        [("quiet_after_conversation", 2)],
    ),
    # UK: house policy 08:00-21:00, at most 3 attempts a day of any kind.
    ("uk", "3rd attempt", [*unanswered(2), at(0, "12:00", True)], []),
    (
        "uk",
        "4th attempt, answered or not",
        [*unanswered(3), at(0, "12:00", True)],
        [("max_attempts_per_day", 3)],
    ),
    ("uk", "20:59", [at(0, "20:59")], []),
    ("uk", "21:00", [at(0, "21:00")], [("contact_window", 0)]),
]


@pytest.mark.parametrize(
    ("pack", "log", "expected"),
    [row[0:1] + row[2:] for row in BOUNDARIES],
    ids=[f"{row[0]}: {row[1]}" for row in BOUNDARIES],
)
def test_limit_boundaries(pack: str, log: list[Attempt], expected: list[tuple[str, int]]) -> None:
    breaches = audit_contact_log(load_rule_pack(pack).contact_policy(), log)
    assert sorted((b.dimension, b.index) for b in breaches) == sorted(expected)


def test_accounts_are_audited_separately() -> None:
    policy = load_rule_pack("cn").contact_policy()
    log = [at(0, "09:00", acct="A"), at(0, "09:00", acct="B")] * 6 + [at(0, "10:00", acct="B")]
    [breach] = audit_contact_log(policy, log)
    assert (breach.account, breach.dimension, breach.index) == ("B", "max_attempts_per_day", 12)


def test_breach_names_dimension_account_and_time() -> None:
    policy = load_rule_pack("cn").contact_policy()
    [breach] = audit_contact_log(policy, [Attempt.at("acc-7", datetime(2026, 3, 2, 22, 15), False)])
    assert (breach.account, breach.day, breach.minute) == (
        "acc-7",
        datetime(2026, 3, 2).toordinal(),
        22 * 60 + 15,
    )
    assert str(breach).startswith("account acc-7 day ")
    assert "22:15" in str(breach) and "08:00-22:00" in str(breach)
    assert breach_counts([breach, breach]) == {"contact_window": 2}


def test_attempt_constructors_and_validation() -> None:
    assert Attempt.at_minute("A", 3 * 1440 + 481, True) == Attempt("A", 3, 481, True)
    with pytest.raises(ValueError, match="minute"):
        Attempt("A", 0, 1440, False)
    with pytest.raises(ValueError, match="initiated_by"):
        Attempt("A", 0, 0, False, "robot")  # type: ignore[arg-type]


def test_unlimited_policy_finds_nothing() -> None:
    log = [Attempt("A", 0, m, m % 2 == 0) for m in range(0, 1440, 7)]
    assert audit_contact_log(ContactPolicy(), log) == []


# ---------------------------------------------------------------- brute force


def brute_force(policy: ContactPolicy, log: list[Attempt]) -> set[tuple[Hashable, str]]:
    """(account, dimension) pairs whose limit is broken, recounted the slow, obvious way."""
    broken: set[tuple[Hashable, str]] = set()
    placed = [a for a in log if a.initiated_by == "collector"]
    for a in placed:
        if not policy.window_start_minute <= a.minute < policy.window_end_minute:
            broken.add((a.account, "contact_window"))
    per_day = Counter(
        (a.account, a.day) for a in placed if policy.attempts_count == "all" or not a.connected
    )
    if policy.max_attempts_per_day is not None:
        broken |= {
            (acct, "max_attempts_per_day")
            for (acct, _), n in per_day.items()
            if n > policy.max_attempts_per_day
        }
    connected = Counter((a.account, a.day) for a in placed if a.connected)
    if policy.max_connected_per_day is not None:
        broken |= {
            (acct, "max_connected_per_day")
            for (acct, _), n in connected.items()
            if n > policy.max_connected_per_day
        }
    if policy.max_attempts_in_days is not None and policy.attempts_window_days is not None:
        span = policy.attempts_window_days
        for acct in {a.account for a in placed}:
            days = [a.day for a in placed if a.account == acct]
            for first in range(min(days) - span, max(days) + 1):
                if sum(first <= d < first + span for d in days) > policy.max_attempts_in_days:
                    broken.add((acct, "max_attempts_in_days"))
    if policy.quiet_days_after_conversation is not None:
        quiet = policy.quiet_days_after_conversation
        for i, call in enumerate(log):
            for j, talk in enumerate(log):
                if (
                    call.initiated_by == "collector"
                    and talk.connected
                    and talk.account == call.account
                    and (talk.day, talk.minute, j) < (call.day, call.minute, i)
                    and call.day - talk.day < quiet
                ):
                    broken.add((call.account, "quiet_after_conversation"))
    return broken


minutes = st.one_of(
    st.integers(0, 1439),
    st.sampled_from([479, 480, 481, 1259, 1260, 1261, 1319, 1320, 1321]),
)
attempts = st.builds(
    Attempt,
    account=st.sampled_from(["A", "B"]),
    day=st.integers(0, 12),
    minute=minutes,
    connected=st.booleans(),
    initiated_by=st.sampled_from(["collector", "collector", "debtor"]),
)
small = st.one_of(st.none(), st.integers(1, 5))


@st.composite
def policies(draw: st.DrawFn) -> ContactPolicy:
    shipped = [load_rule_pack(name).contact_policy() for name in ("cn", "us", "uk")]
    if draw(st.booleans()):
        return draw(st.sampled_from(shipped))
    start = draw(st.integers(0, 1438))
    rolling = draw(small)
    return ContactPolicy(
        window_start_minute=start,
        window_end_minute=draw(st.integers(start + 1, 1440)),
        max_attempts_per_day=draw(small),
        attempts_count=draw(st.sampled_from(["unanswered", "all"])),
        max_connected_per_day=draw(small),
        max_attempts_in_days=rolling,
        attempts_window_days=None if rolling is None else draw(st.integers(1, 6)),
        quiet_days_after_conversation=draw(small),
    )


@settings(max_examples=300, deadline=None)
@given(policy=policies(), log=st.lists(attempts, max_size=30))
def test_audit_agrees_with_brute_force_recount(policy: ContactPolicy, log: list[Attempt]) -> None:
    breaches = audit_contact_log(policy, log)
    assert {(b.account, b.dimension) for b in breaches} == brute_force(policy, log)


@settings(max_examples=300, deadline=None)
@given(policy=policies(), log=st.lists(attempts, max_size=30))
def test_dropping_the_breaching_calls_leaves_a_clean_log(
    policy: ContactPolicy, log: list[Attempt]
) -> None:
    breaches: list[Breach] = audit_contact_log(policy, log)
    bad = {b.index for b in breaches}
    assert all(log[i].initiated_by == "collector" for i in bad)
    assert audit_contact_log(policy, [a for i, a in enumerate(log) if i not in bad]) == []
    assert breaches == sorted(breaches, key=lambda b: (b.day, b.minute, b.index))
