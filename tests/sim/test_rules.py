"""Rule packs: the shipped catalogues, the loader's error messages, and contact-policy folding."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from sim.errors import ConfigError, validate
from sim.rules import (
    RULES_DIR,
    ContactPolicy,
    RulePack,
    UnknownRuleError,
    available_packs,
    load_rule_pack,
)

PACKS = ("cn", "us", "uk")

# The ids CONTRACTS.md promises to role-play authors: (pack, id, kind, severity, authority).
# None means the contract leaves it open.
CONTRACT = [
    ("cn", "CN-TIME", "event", "critical", None),
    ("cn", "CN-ATTEMPTS", "event", "major", None),
    ("cn", "CN-CONNECTED", "event", "major", None),
    ("cn", "CN-IDENTIFY", "utterance", "major", None),
    ("cn", "CN-VERIFY", "state", "major", None),
    ("cn", "CN-THIRD-DISCLOSE", "utterance", "critical", None),
    ("cn", "CN-THIRD-COLLECT", "utterance", "critical", None),
    ("cn", "CN-THREAT", "utterance", "critical", None),
    ("cn", "CN-INSULT", "utterance", "critical", None),
    ("cn", "CN-FALSE", "utterance", "critical", None),
    ("cn", "CN-IMPERSONATE", "utterance", "critical", None),
    ("cn", "CN-HARASS", "utterance", "major", None),
    ("cn", "CN-PIPL-MIN", "utterance", "major", None),
    ("cn", "CN-RECORD", "state", "minor", None),
    ("cn", "CN-OBJECTION", "state", "major", None),
    ("cn", "CN-CRIME", "utterance", "critical", None),
    ("cn", "CN-CONSUMER", "utterance", "major", None),
    ("cn", "CN-HOUSE-TIME", "event", "minor", "house"),
    ("us", "US-01", "event", None, None),
    ("us", "US-02", "event", None, None),
    ("us", "US-05", "event", "critical", None),
    ("us", "US-06", "state", "critical", None),
    ("us", "US-07", "state", "critical", None),
    ("us", "US-08", "state", "critical", None),
    ("us", "US-09", "state", "critical", None),
    ("us", "US-10", "utterance", "critical", None),
    ("us", "US-11", "utterance", "major", None),
    ("us", "US-12", "utterance", "major", None),
    ("us", "US-13", "utterance", "critical", None),
    ("us", "US-14", "utterance", "critical", None),
    ("us", "US-15", "utterance", "major", None),
    ("us", "US-16", "utterance", "critical", None),
    ("us", "US-17", "state", "major", None),
    ("us", "US-18", "state", "minor", None),
    ("us", "US-VERIFY", "state", "major", None),
    ("uk", "UK-02", "state", "major", None),
    ("uk", "UK-03", "utterance", "major", None),
    ("uk", "UK-04", "utterance", "major", None),
    ("uk", "UK-05", "utterance", "major", None),
    ("uk", "UK-06", "utterance", "critical", None),
    ("uk", "UK-07", "utterance", "critical", None),
    ("uk", "UK-08", "state", "major", None),
    ("uk", "UK-09", "state", "major", None),
    ("uk", "UK-VERIFY", "state", "major", None),
    ("uk", "UK-HARASS", "utterance", "critical", None),
    ("uk", "UK-TIME", "event", "major", "house"),
    ("uk", "UK-ATTEMPTS", "event", "major", "house"),
]


def hhmm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


# ---------------------------------------------------------------- the shipped packs


def test_the_three_packs_ship() -> None:
    assert set(PACKS) <= set(available_packs())


@pytest.mark.parametrize("name", PACKS)
def test_pack_loads_by_name_and_by_path_with_pass_mark_75(name: str) -> None:
    by_name = load_rule_pack(name)
    by_path = load_rule_pack(RULES_DIR / f"{name}.toml")
    assert by_name == by_path
    assert by_name.id == name
    assert by_name.pass_mark == 75
    assert len(set(by_name.ids)) == len(by_name.ids)


@pytest.mark.parametrize(("pack", "rule_id", "kind", "severity", "authority"), CONTRACT)
def test_contract_rule_ids_exist_with_agreed_kind_and_severity(
    pack: str, rule_id: str, kind: str, severity: str | None, authority: str | None
) -> None:
    rule = load_rule_pack(pack).rule(rule_id)
    assert rule.kind == kind
    if severity is not None:
        assert rule.severity == severity
    if authority is not None:
        assert rule.authority == authority


@pytest.mark.parametrize("name", PACKS)
def test_every_rule_is_cited_titled_and_rated(name: str) -> None:
    pack = load_rule_pack(name)
    for rule in pack.rules:
        assert rule.citation.strip(), rule.id
        assert rule.confidence in ("V", "S", "M"), rule.id
        assert set(rule.title) == set(pack.pack.language_keys), rule.id
        assert all(text.strip() for text in rule.title.values()), rule.id
        if rule.confidence == "M" or rule.authority == "house":
            assert len(rule.note) > 40, f"{rule.id}: unverified or house rules must explain why"
        if rule.kind == "event":
            assert rule.check is not None and rule.params is not None, rule.id
        else:
            assert rule.check is None and rule.params is None, rule.id


@pytest.mark.parametrize("name", PACKS)
def test_titles_are_bilingual(name: str) -> None:
    # The trainer's interface is Chinese or English, whatever the drill's own language.
    pack = load_rule_pack(name)
    assert set(pack.pack.language_keys) == {"zh", "en"}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in pack.pack.name["zh"])
    for rule in pack.rules:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.title["zh"]), rule.id
        assert rule.title["en"].isascii(), rule.id


def test_cn_never_enforces_the_decks_0800_2100_window() -> None:
    pack = load_rule_pack("cn")
    deck = (hhmm("08:00"), hhmm("21:00"))
    for rule in pack.select(lambda r: r.check == "contact_window" and r.enabled):
        assert rule.window() != deck, f"{rule.id} presents the deck's window as an enabled rule"
        assert rule.authority != "house"
    house = pack.rule("CN-HOUSE-TIME")
    assert (house.window(), house.enabled, house.authority, house.confidence) == (
        deck,
        False,
        "house",
        "M",
    )
    assert "no" in house.citation.lower() and "source" in house.citation.lower()
    policy = pack.contact_policy()
    assert (policy.window_start_minute, policy.window_end_minute) == (hhmm("08:00"), hhmm("22:00"))


EXPECTED_POLICIES = {
    "cn": ContactPolicy(
        window_start_minute=480,
        window_end_minute=1320,
        max_attempts_per_day=6,
        attempts_count="unanswered",
        max_connected_per_day=3,
    ),
    "us": ContactPolicy(
        window_start_minute=480,
        window_end_minute=1260,
        max_attempts_in_days=7,
        attempts_window_days=7,
        quiet_days_after_conversation=7,
    ),
    "uk": ContactPolicy(
        window_start_minute=480,
        window_end_minute=1260,
        max_attempts_per_day=3,
        attempts_count="all",
    ),
}


@pytest.mark.parametrize("name", PACKS)
def test_contact_policy_folds_the_enabled_event_rules(name: str) -> None:
    assert load_rule_pack(name).contact_policy() == EXPECTED_POLICIES[name]


def test_uk_contact_limits_are_labelled_house_policy() -> None:
    pack = load_rule_pack("uk")
    for rule in pack.select(lambda r: r.kind == "event"):
        assert rule.authority == "house", rule.id
        assert "house" in rule.citation.lower(), rule.id


def test_pack_is_picklable_and_cached() -> None:
    pack = load_rule_pack("cn")
    assert pickle.loads(pickle.dumps(pack)) == pack
    assert load_rule_pack("cn") is pack


def test_rule_lookup_suggests_the_nearest_id() -> None:
    pack = load_rule_pack("cn")
    assert pack.rule("CN-TIME").severity == "critical"
    assert "CN-TIME" in pack and "CN-NOPE" not in pack
    with pytest.raises(UnknownRuleError) as caught:
        pack.rule("CN-TIM")
    assert isinstance(caught.value, KeyError)
    assert caught.value.suggestion == "CN-TIME"
    assert "did you mean 'CN-TIME'" in str(caught.value)


# ---------------------------------------------------------------- loader errors

CN_TEXT = (RULES_DIR / "cn.toml").read_text(encoding="utf-8")


def broken_pack(tmp_path: Path, old: str, new: str, *, stem: str = "cn") -> Path:
    assert old in CN_TEXT, f"fixture text not in cn.toml: {old!r}"
    path = tmp_path / f"{stem}.toml"
    path.write_text(CN_TEXT.replace(old, new, 1), encoding="utf-8")
    return path


# (what is wrong, old text, new text, key reported, words in the message, did-you-mean)
LOADER_ERRORS = [
    (
        "unknown key",
        'confidence = "S"',
        'confidnce = "S"',
        "rules[0].confidnce",
        "unknown key",
        "confidence",
    ),
    (
        "params typo",
        'start = "08:00"',
        'strat = "08:00"',
        "rules[0].params.strat",
        "unknown key",
        "start",
    ),
    (
        "bad severity",
        'severity = "critical"',
        'severity = "crtical"',
        "rules[0].severity",
        "one of: critical, major, minor",
        None,
    ),
    (
        "bad confidence",
        'confidence = "S"',
        'confidence = "X"',
        "rules[0].confidence",
        "one of: V, S, M",
        None,
    ),
    ("bad kind", 'kind = "event"', 'kind = "evnt"', "rules[0].kind", "did you mean 'event'", None),
    (
        "bad check",
        'check = "contact_window"',
        'check = "contact_windw"',
        "rules[0].check",
        "did you mean 'contact_window'",
        None,
    ),
    (
        "event rule without check",
        'check = "contact_window"\n',
        "",
        "rules[0]",
        "needs a `check`",
        None,
    ),
    (
        "check with wrong params",
        "params = { max = 3 }",
        "params = { days = 3 }",
        "rules[2]",
        "missing: max",
        None,
    ),
    ("bad clock time", 'start = "08:00"', 'start = "8am"', "rules[0].params.start", "HH:MM", None),
    (
        "window ends before it starts",
        'params = { start = "08:00", end = "22:00" }',
        'params = { start = "22:00", end = "08:00" }',
        "rules[0]",
        "start must be before end",
        None,
    ),
    ("zero cap", "max = 6", "max = 0", "rules[1].params.max", "> 0", None),
    ("non-integer cap", "max = 6", 'max = "6"', "rules[1].params.max", "integer", None),
    ("duplicate id", 'id = "CN-ATTEMPTS"', 'id = "CN-TIME"', "", "used twice", None),
    (
        "missing title language",
        'title = { zh = "22:00至次日08:00之间不得催收（债务人同意的除外）", ',
        "title = { ",
        "",
        "missing: zh",
        None,
    ),
    (
        "empty citation",
        'citation = "中华人民共和国刑法 第二百九十三条之一（《刑法修正案（十一）》增设）"',
        'citation = ""',
        "rules[13].citation",
        "at least 1 character",
        None,
    ),
    (
        "utterance rule with a check",
        'kind = "utterance"\nseverity = "major"\n',
        'kind = "utterance"\nseverity = "major"\ncheck = "contact_window"\n',
        "rules[4]",
        "only event rules",
        None,
    ),
    (
        "pass mark out of range",
        "pass_mark = 75",
        "pass_mark = 175",
        "pack.pass_mark",
        "<= 100",
        None,
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "key", "words", "suggestion"),
    [row[1:] for row in LOADER_ERRORS],
    ids=[row[0] for row in LOADER_ERRORS],
)
def test_bad_pack_is_reported_with_file_key_and_fix(
    tmp_path: Path, old: str, new: str, key: str, words: str, suggestion: str | None
) -> None:
    path = broken_pack(tmp_path, old, new)
    with pytest.raises(ConfigError) as caught:
        load_rule_pack(path)
    error = caught.value
    assert error.path == str(path.resolve())
    keys = [p.key for p in error.problems]
    if key:
        assert key in keys, error.render()
    text = error.render()
    assert words in text
    if suggestion is not None:
        assert suggestion in [p.suggestion for p in error.problems], text


def test_pack_id_must_match_file_name(tmp_path: Path) -> None:
    path = broken_pack(tmp_path, 'id = "cn"', 'id = "cn"', stem="china")
    with pytest.raises(ConfigError) as caught:
        load_rule_pack(path)
    [problem] = caught.value.problems
    assert (problem.key, problem.value, problem.expected) == ("pack.id", "cn", "'china'")


def test_unknown_pack_name_lists_the_packs() -> None:
    with pytest.raises(ConfigError) as caught:
        load_rule_pack("uss")
    [problem] = caught.value.problems
    assert problem.suggestion == "us"
    assert all(name in problem.expected for name in PACKS)


def test_missing_pack_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_rule_pack(tmp_path / "nope.toml")


# ---------------------------------------------------------------- folding and tightening


def pack_with(*event_rules: dict[str, Any]) -> dict[str, Any]:
    """A minimal pack (as parsed TOML) holding the given event rules."""
    base = {
        "title": {"en": "t"},
        "kind": "event",
        "severity": "major",
        "authority": "house",
        "citation": "test",
        "confidence": "M",
    }
    return {
        "pack": {
            "id": "t",
            "name": {"en": "T"},
            "jurisdiction": "XX",
            "languages": ["en"],
            "pass_mark": 75,
            "version": "1",
        },
        "rules": [{"id": f"TT-{i}", **base, **rule} for i, rule in enumerate(event_rules)],
    }


def test_fold_keeps_the_tightest_value_per_dimension() -> None:
    pack = RulePack.model_validate(
        pack_with(
            {"check": "contact_window", "params": {"start": "08:00", "end": "22:00"}},
            {"check": "contact_window", "params": {"start": "09:00", "end": "23:00"}},
            {"check": "max_attempts_per_day", "params": {"max": 6, "counts": "unanswered"}},
            {"check": "max_attempts_per_day", "params": {"max": 4, "counts": "all"}},
            {"check": "max_attempts_in_days", "params": {"max": 7, "days": 7}},
            {"check": "max_attempts_in_days", "params": {"max": 5, "days": 10}},
            {"check": "quiet_after_conversation", "params": {"days": 3}},
            {"check": "quiet_after_conversation", "params": {"days": 7}},
            {"check": "max_connected_per_day", "params": {"max": 2}},
            {"check": "max_connected_per_day", "params": {"max": 3}},
            {"check": "max_connected_per_day", "params": {"max": 1}, "enabled": False},
        )
    )
    assert pack.contact_policy() == ContactPolicy(
        window_start_minute=540,
        window_end_minute=1320,
        max_attempts_per_day=4,
        attempts_count="all",
        max_connected_per_day=2,
        max_attempts_in_days=5,
        attempts_window_days=10,
        quiet_days_after_conversation=7,
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            {"check": "max_attempts_per_day", "params": {"max": 6, "counts": "unanswered"}},
            {"check": "max_attempts_per_day", "params": {"max": 10, "counts": "all"}},
        ),
        (
            {"check": "max_attempts_in_days", "params": {"max": 7, "days": 7}},
            {"check": "max_attempts_in_days", "params": {"max": 3, "days": 3}},
        ),
        (
            {"check": "contact_window", "params": {"start": "08:00", "end": "12:00"}},
            {"check": "contact_window", "params": {"start": "13:00", "end": "18:00"}},
        ),
    ],
    ids=["counts differ", "rolling spans differ", "windows disjoint"],
)
def test_rules_that_cannot_be_ordered_are_rejected(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    with pytest.raises(ConfigError, match="TT-1"):
        validate(RulePack, pack_with(first, second), "t.toml")


TIGHTER = [
    ("cn", {"window_start_minute": 540}),
    ("cn", {"window_end_minute": 1260}),
    ("cn", {"max_attempts_per_day": 4}),
    ("cn", {"attempts_count": "all"}),
    ("cn", {"max_connected_per_day": 2}),
    ("cn", {"quiet_days_after_conversation": 1}),
    ("cn", {"max_attempts_in_days": 20, "attempts_window_days": 7}),
    ("us", {"max_attempts_in_days": 5, "attempts_window_days": 10}),
    ("us", {"quiet_days_after_conversation": 10}),
    ("us", {"max_attempts_per_day": 3}),
    ("uk", {"max_attempts_per_day": 3}),
]


@pytest.mark.parametrize(("name", "fields"), TIGHTER)
def test_tightening_is_accepted(name: str, fields: dict[str, Any]) -> None:
    base = load_rule_pack(name).contact_policy()
    tight = base.tightened(**fields)
    assert tight.model_dump() == {**base.model_dump(), **fields}


LOOSER = [
    ("cn", {"window_start_minute": 420}, "window_start_minute"),
    ("cn", {"window_end_minute": 1380}, "window_end_minute"),
    ("cn", {"max_attempts_per_day": 7}, "max_attempts_per_day"),
    ("cn", {"max_attempts_per_day": None}, "max_attempts_per_day"),
    ("cn", {"max_connected_per_day": 4}, "max_connected_per_day"),
    ("us", {"max_attempts_in_days": 8}, "max_attempts_in_days"),
    ("us", {"attempts_window_days": 6}, "attempts_window_days"),
    ("us", {"quiet_days_after_conversation": 6}, "quiet_days_after_conversation"),
    ("us", {"quiet_days_after_conversation": None}, "quiet_days_after_conversation"),
    ("uk", {"attempts_count": "unanswered"}, "attempts_count"),
]


@pytest.mark.parametrize(("name", "fields", "key"), LOOSER)
def test_loosening_is_refused_naming_the_key(name: str, fields: dict[str, Any], key: str) -> None:
    base = load_rule_pack(name).contact_policy()
    with pytest.raises(ConfigError) as caught:
        base.tightened(source="scenario.toml", key_prefix="compliance", **fields)
    error = caught.value
    assert error.path == "scenario.toml"
    assert [p.key for p in error.problems] == [f"compliance.{key}"]
    assert "never loosen" in error.render()


def test_tightened_reports_typos_and_bad_values_with_prefix() -> None:
    base = load_rule_pack("cn").contact_policy()
    with pytest.raises(ConfigError) as caught:
        base.tightened(key_prefix="compliance", max_attempt_per_day=3)
    [problem] = caught.value.problems
    assert problem.key == "compliance.max_attempt_per_day"
    assert problem.suggestion == "max_attempts_per_day"
    with pytest.raises(ConfigError, match="attempts_window_days go together"):
        load_rule_pack("us").contact_policy().tightened(attempts_window_days=None)


def test_policy_window_is_half_open() -> None:
    policy = load_rule_pack("cn").contact_policy()
    assert not policy.allows_minute(hhmm("07:59"))
    assert policy.allows_minute(hhmm("08:00"))
    assert policy.allows_minute(hhmm("21:59"))
    assert not policy.allows_minute(hhmm("22:00"))
