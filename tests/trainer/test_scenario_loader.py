"""Loading scenarios: the fixture loads, and each kind of mistake is named precisely."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from engine_support import FIXTURE_FILE, write_variant

from sim.errors import ConfigError
from trainer.engine import Scenario, load_library, load_scenario
from trainer.engine.model import Promise


def test_fixture_loads_with_pack_tags_and_ids(drill: Scenario) -> None:
    assert drill.key == ("fixture-hardship", "en-US")
    assert drill.pack.id == "us"
    assert drill.pass_mark == drill.pack.pass_mark
    assert "empathy" in drill.tags
    ids = [c.id for c in drill.choices["listen"]]
    assert ids == ["listen.1", "listen.2", "listen.3", "listen.4"]
    assert drill.flag_names == {"verified"}
    assert drill.mood_names == ("anger", "trust", "distress")
    assert "US-13" in drill.critical_rule_ids and "US-12" not in drill.critical_rule_ids


def test_fingerprint_is_stable_and_content_sensitive(drill: Scenario, tmp_path: Path) -> None:
    again = load_scenario(FIXTURE_FILE)
    assert again.fingerprint() == drill.fingerprint()
    changed = load_scenario(write_variant(tmp_path, "Right. Go on then.", "Go on."))
    assert changed.fingerprint() != drill.fingerprint()


def test_scenario_pickles_with_its_pack(drill: Scenario) -> None:
    copy = pickle.loads(pickle.dumps(drill))
    assert copy.fingerprint() == drill.fingerprint()
    assert copy.pack.id == "us"


@pytest.mark.parametrize(
    ("old", "new", "key", "fragment", "suggestion"),
    [
        ('start = "dial"', 'start = "dail"', "meta.start", "start must name a node", "dial"),
        (
            'next = "verify"\n\n[[nodes.greeting',
            'next = "verfy"\n\n[[nodes.greeting',
            "nodes.greeting.options[0].next",
            "names no node",
            "verify",
        ),
        (
            '{ to = "disclosure" }]',
            '{ to = "disclosre" }]',
            "nodes.greeting.options[1].next[1].to",
            "names no node",
            "disclosure",
        ),
        (
            'tags = ["identify_self"]',
            'tags = ["identify_slef"]',
            "nodes.greeting.options[0].tags[0]",
            "unknown tag",
            "identify_self",
        ),
        (
            'violations = ["US-VERIFY"]\neffects = { anger = 25',
            'violations = ["US-VERIF"]\neffects = { anger = 25',
            "nodes.greeting.options[1].violations[0]",
            "has no such rule",
            "US-VERIFY",
        ),
        (
            "effects = { trust = 5 }",
            "effects = { trsut = 5 }",
            "nodes.greeting.options[0].effects.trsut",
            "not a mood",
            "trust",
        ),
        (
            'when = "trust >= 40 and verified"',
            'when = "trust >= 40 and verifed"',
            "nodes.plan.options[2].when",
            "unknown name 'verifed'",
            "verified",
        ),
        (
            "visits('listen') >= 2",
            "visits('lisen') >= 2",
            "nodes.listen.options[3].when",
            "names no node or ending",
            "listen",
        ),
        (
            '{ text = "Yeah? Who\'s this?", when = "anger >= 60" }',
            '{ text = "Yeah? Who\'s this?", when = "anger ** 2 >= 60" }',
            "nodes.greeting.lines[0].when",
            "not allowed",
            None,
        ),
        (
            '[{ when = "anger >= 70", to = "hangup" }, { to = "disclosure" }]',
            '[{ when = "anger >= 70", to = "hangup" }]',
            "nodes.greeting.options[1].next[0].when",
            "last route must have no `when`",
            None,
        ),
        (
            'debtor_type = "hardship"',
            'debtor_type = "hardshp"',
            "meta.debtor_type",
            "unknown debtor type",
            None,
        ),
        (
            'timezone = "America/New_York"',
            'timezone = "America/New_Yrok"',
            "brief.timezone",
            "unknown time zone",
            "America/New_York",
        ),
        (
            '"US-13", "US-VERIFY"]',
            '"US-13", "US-VRIFY"]',
            "brief.rules_in_play[3]",
            "has no such rule",
            "US-VERIFY",
        ),
        ("anger = 50\n", "angry = 50\n", "persona.mood", "needs an `anger` mood", None),
        (
            "set = { verified = true }",
            "set = { anger = true }",
            "nodes.verify.options[0].set.anger",
            "cannot reuse a mood",
            None,
        ),
        (
            'escalation = "poor"\nlines = [\n  { text = "Yeah',
            'escalaton = "poor"\nlines = [\n  { text = "Yeah',
            "nodes.greeting.escalaton",
            "unknown key",
            "escalation",
        ),
        (
            'date = "+7d"',
            'date = "next week"',
            "nodes.plan.options[0].promise.date",
            "not a promise date",
            None,
        ),
        ('rule_pack = "us"', 'rule_pack = "usa"', "meta.rule_pack", "no rule pack named", "us"),
    ],
)
def test_problems_name_key_and_suggest(
    tmp_path: Path, old: str, new: str, key: str, fragment: str, suggestion: str | None
) -> None:
    path = write_variant(tmp_path, old, new)
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    error = caught.value
    assert error.path == str(path)
    matching = [p for p in error.problems if p.key == key]
    assert matching, f"no problem at {key}; got {[p.key for p in error.problems]}"
    rendered = error.render()
    assert fragment in rendered
    if suggestion is not None:
        assert any(p.suggestion == suggestion for p in matching) or suggestion in rendered


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write_variant(tmp_path, 'tags = ["identify_self"]', 'tags = ["nope"]')
    text = path.read_text().replace('violations = ["US-13"]', 'violations = ["US-99"]')
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    assert {p.key for p in caught.value.problems} >= {
        "nodes.greeting.options[0].tags[0]",
        "nodes.listen.options[2].violations[0]",
    }


def test_unreadable_files_are_config_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.en-US.toml"
    bad.write_text("[meta\nid=", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_scenario(bad)
    with pytest.raises(ConfigError, match="file not found"):
        load_scenario(tmp_path / "missing.en-US.toml")


def test_library_keeps_good_files_and_reports_bad_ones(tmp_path: Path) -> None:
    (tmp_path / FIXTURE_FILE.name).write_text(FIXTURE_FILE.read_text(encoding="utf-8"))
    (tmp_path / "broken.en-US.toml").write_text("[meta]\nid = 3\n", encoding="utf-8")
    (tmp_path / "tags.toml").write_text(
        (Path(__file__).resolve().parents[2] / "scenarios/roleplay/tags.toml").read_text()
    )
    library = load_library(tmp_path)
    assert [s.key for s in library] == [("fixture-hardship", "en-US")]
    assert len(library.errors) == 1 and library.errors[0].path.endswith("broken.en-US.toml")
    assert library.get("fixture-hardship", "en-US").meta.title.startswith("Fixture")
    assert library.languages("fixture-hardship") == ("en-US",)
    with pytest.raises(ConfigError):
        load_library(tmp_path, strict=True)


def test_library_rejects_duplicate_id_and_language(tmp_path: Path) -> None:
    text = FIXTURE_FILE.read_text(encoding="utf-8")
    (tmp_path / "a.en-US.toml").write_text(text)
    (tmp_path / "b.en-US.toml").write_text(text)
    library = load_library(tmp_path)
    assert len(library) == 1
    assert "same id and language" in library.errors[0].render()


def test_library_of_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a folder"):
        load_library(tmp_path / "nope")


@pytest.mark.parametrize(
    ("date", "due"), [("+0d", "2026-03-12"), ("+7d", "2026-03-19"), ("2026-04-01", "2026-04-01")]
)
def test_promise_dates_resolve_against_the_call_date(drill: Scenario, date: str, due: str) -> None:
    promise = Promise(amount=10, date=date, channel="card")
    assert promise.due(drill.call_date).isoformat() == due


def test_engine_imports_no_textual() -> None:
    """The dialogue engine stays pure: the app, tests and notebooks share it headless."""
    import subprocess
    import sys

    code = "import sys, trainer.engine; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
