"""Lint's teaching checks: severity follows the category, and no surface cue gives the
answer away (best option longest or first in the file; naive strategies passing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_support import FIXTURE_BEST, FIXTURE_FILE
from teaching_support import WIDTH, write_teaching_drill

from sim.errors import ConfigError
from sim.rules import RULES_DIR, load_rule_pack
from trainer.cli import main
from trainer.engine import load_scenario, score
from trainer.engine.cues import STRATEGIES, cue_report, keyword_count, library_cues
from trainer.engine.lint import lint_file, lint_library
from trainer.engine.session import Session
from trainer.engine.tags import load_tags


def codes(path: Path) -> list[str]:
    _, findings = lint_file(path)
    return [f.code for f in findings]


def test_a_drill_without_cues_lints_clean(tmp_path: Path) -> None:
    path = write_teaching_drill(tmp_path)
    assert codes(path) == []
    report = cue_report(load_scenario(path))
    assert len(report.decisions) == 8
    assert report.longest == 0 and report.first == 2
    assert [run.passed for run in report.strategies] == [False] * len(STRATEGIES)
    assert main(["lint", str(path)]) == 0


def test_fixture_first_option_strategy_is_the_best_path_and_is_flagged() -> None:
    """The fixture writes its answer first everywhere: always-first plays exactly the
    best path and scores what a session along it scores."""
    scenario = load_scenario(FIXTURE_FILE)
    report = cue_report(scenario)
    first = next(r for r in report.strategies if r.name == "always-first-in-file")
    assert list(first.path) == FIXTURE_BEST
    session = Session.start(scenario, seed=0, trainee="t")
    for option in FIXTURE_BEST:
        session.choose_id(option)
    p = session.promise
    assert p is not None
    session.record_note(p.promise.amount, p.due, p.promise.channel)
    assert first.overall == score(session).overall and first.passed
    assert report.first == len(report.decisions) == 8
    _, findings = lint_file(FIXTURE_FILE)
    flagged = {f.message.split()[3] for f in findings if f.code == "naive-pass"}
    assert "always-first-in-file" in flagged and "cue-first" in {f.code for f in findings}


def test_longest_answers_are_flagged_per_drill_and_over_the_library(tmp_path: Path) -> None:
    long = "x" * (WIDTH + 20)
    changes = {f"Right answer {i}: what would help you most this week": f"Right answer {i} {long}"
               for i in range(1, 9)}
    path = write_teaching_drill(tmp_path, **changes)
    scenario = load_scenario(path)
    report = cue_report(scenario)
    assert report.longest == 8 and report.longest_share == 1.0
    assert "cue-longest" in codes(path)
    # always-longest now plays the right answer at every node but n2's breach (still
    # longer): it still fails, and the library check sees the pooled share.
    assert "library-cue-longest" in [f.code for f in lint_library([scenario])]
    assert library_cues([scenario]).longest_share == 1.0


def test_each_strategy_fails_only_through_its_planted_trap(tmp_path: Path) -> None:
    """Remove the trap that catches always-longest (n2's padded breach): the strategy
    then plays the right answers and lint reports that it passes."""
    long = "y" * (WIDTH + 30)
    changes = {f"Right answer {i}: what would help you most this week": f"Right answer {i} {long}"
               for i in range(1, 9)}
    path = write_teaching_drill(tmp_path, **changes)
    run = next(r for r in cue_report(load_scenario(path)).strategies if r.name == "always-longest")
    assert run.passed and run.outcome == "callback_scheduled"
    _, findings = lint_file(path)
    assert any(f.code == "naive-pass" and "always-longest" in f.message for f in findings)


@pytest.mark.parametrize(("text", "language", "count"), [
    ("I'm sorry, I understand. Please, let me help.", "en-US", 4),
    ("Thanks for telling me; you have the right to options.", "en-GB", 3),
    ("Pay the balance by Friday.", "en-US", 0),
    ("Rightly so", "en-US", 0),  # whole words only
    ("不好意思，请您理解，我们帮您想方案。", "zh-CN", 7),
    ("今天必须还清。", "zh-CN", 0),
])  # fmt: skip
def test_keyword_count(text: str, language: str, count: int) -> None:
    assert keyword_count(text, language) == count


# -- severity follows the category -------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "code"), [
    # a threat citing only a mild rule
    ('tags = ["threat"]\nviolations = ["US-14"]', 'tags = ["threat"]\nviolations = ["US-15"]',
     "category-severity"),
    # a lie citing nothing
    ('tags = ["false_statement"]\nviolations = ["US-13"]', 'tags = ["false_statement"]',
     "category-severity"),
    # an insult cited but not tagged: scoring and reports would not see the category
    ('tags = ["insult"]', 'tags = ["argue"]', "category-tag"),
    # a non-critical category (contact breach) must still cite one of its rules
    ('tags = ["argue"]', 'tags = ["argue", "contact_breach"]', "category-citation"),
])  # fmt: skip
def test_severity_follows_the_category(tmp_path: Path, old: str, new: str, code: str) -> None:
    path = write_teaching_drill(tmp_path, **{old: new})
    assert code in codes(path)


def test_a_polite_threat_is_still_critical(tmp_path: Path) -> None:
    """The politest option (n4) is a threat to tell the employer; citing only the major
    third-party-location rule, it is refused, as is n8's breach with the same change."""
    path = write_teaching_drill(
        tmp_path, **{'tags = ["insult"]\nviolations = ["US-14"]':
                     'tags = ["threat"]\nviolations = ["US-11"]'})
    _, findings = lint_file(path)
    assert [f.key for f in findings if f.code == "category-severity"] == [
        "nodes.n4.options[1].violations", "nodes.n8.options[2].violations"]


def test_every_pack_judges_every_category() -> None:
    categories = set(load_tags().categories)
    assert categories == {"threat", "insult", "false_statement", "disclosure",
                          "contact_breach", "ignore_request"}
    for name in ("cn", "us", "uk"):
        pack = load_rule_pack(name)
        assert set(pack.categories) == categories, name
        for category in ("threat", "insult", "false_statement", "disclosure"):
            assert pack.categories[category].critical, (name, category)
    assert load_rule_pack("us").categories["ignore_request"].critical


def test_a_critical_category_cannot_list_a_milder_rule(tmp_path: Path) -> None:
    text = (RULES_DIR / "us.toml").read_text(encoding="utf-8")
    old = 'rules = ["US-13"]'
    assert old in text
    path = tmp_path / "us.toml"
    path.write_text(text.replace(old, 'rules = ["US-13", "US-15"]'), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_rule_pack(path)
    assert "US-15" in caught.value.render() and "critical" in caught.value.render()
