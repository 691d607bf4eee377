"""Free-reply mode in the engine: a typed reply matched to an option, its words scored."""

from __future__ import annotations

import pytest
from engine_support import FIXTURE_BEST, FIXTURE_FILE, FIXTURES, SHIPPED_DIR

from trainer.engine import Session, load_library, load_scenario, score
from trainer.engine.reply import MAX_REPLY_CHARS, THRESHOLD, match_reply
from trainer.engine.session import MISS_LINES, NARRATOR_MISS_LINES

POLITE_THREAT = {
    "zh": "如果您一直不处理，我们只能联系您单位了",
    "en": "If you keep ignoring this, I'm afraid we'll have no choice but to call your employer.",
}
NEGATED = {"zh": "我们不会联系您的家人", "en": "We won't contact your family about this."}


@pytest.fixture(scope="module")
def library():
    return load_library(SHIPPED_DIR, strict=True)


def _family(language: str) -> str:
    return "zh" if language.startswith("zh") else "en"


def test_every_option_typed_word_for_word_matches_itself(library) -> None:
    """The matcher's floor: typing an option's own words must choose that option, at
    every node of every shipped drill (else the mode cannot follow the authored path)."""
    wrong = []
    for scenario in library:
        for choices in scenario.choices.values():
            for choice in choices:
                found = match_reply(choice.option.text, scenario.language, choices,
                                    scenario.pack.pack.id)
                if found.choice is None or found.choice.id != choice.id:
                    wrong.append((scenario.key, choice.id, found.best and found.best.choice.id))
    assert not wrong


def test_compliant_reply_path_in_own_words_passes(drill) -> None:
    """The fixture's best path, each reply said with a spoken filler in front: every one
    matches its option and the drill passes with no violation."""
    session = Session.start(drill, seed=4)
    for option_id in FIXTURE_BEST:
        text = drill.choice_by_id[option_id].option.text
        found, turn = session.reply("Okay, so, " + text)
        assert turn is not None and turn.action == "say", (option_id, found.best)
        assert turn.option == option_id and turn.typed
    result = score(session)
    assert session.finished and result.passed and not result.violations


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_polite_threat_fails_every_drill_with_its_rule_cited(library, language) -> None:
    """Common sense: a threat never passes, however politely typed and wherever."""
    for scenario in library:
        if _family(scenario.language) != language:
            continue
        session = Session.start(scenario, seed=2)
        _, turn = session.reply(POLITE_THREAT[language])
        assert turn is not None and "threat" in turn.tags
        cited = set(turn.violations) & scenario.critical_rule_ids
        assert cited, (scenario.key, turn.violations)
        result = score(session)
        assert session.finished and session.ending.outcome == "critical_violation"
        assert result.critical and not result.passed
        assert cited <= {v.rule_id for v in result.violations}


def test_a_threat_after_a_benign_match_still_fails(drill) -> None:
    """The words count even when the sentence resembles a good option: the matched
    option's own tags do not wash a threat out."""
    session = Session.start(drill, seed=4)
    session.reply(drill.choice_by_id[FIXTURE_BEST[0]].option.text)
    text = drill.choice_by_id[FIXTURE_BEST[1]].option.text
    _, turn = session.reply(text + " " + POLITE_THREAT["en"])
    assert turn is not None and "threat" in turn.tags
    assert score(session).critical


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_negated_contact_is_not_scored_as_a_threat(library, language) -> None:
    scenario = next(s for s in library if _family(s.language) == language)
    session = Session.start(scenario, seed=2)
    found, turn = session.reply(NEGATED[language])
    assert turn is not None
    assert not set(found.tags) & {"threat", "disclose_debt"}
    assert not set(turn.violations) & scenario.critical_rule_ids
    assert not session.finished or session.ending.outcome != "critical_violation"


def test_replies_in_a_trainees_own_words_find_their_option() -> None:
    """25 hand-written paraphrases (fixtures/paraphrases.tsv): measured 24 right, 0 wrong,
    1 miss. A wrong match is worse than a miss (the trainee cannot rephrase it away)."""
    drills = {
        "fixture-hardship.en-US": load_scenario(FIXTURE_FILE),
        "app-drill.zh-CN": load_scenario(FIXTURES / "app_library" / "app-drill.zh-CN.toml"),
    }
    right, wrong, missed = 0, [], []
    for line in (FIXTURES / "paraphrases.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        drill_name, node, option_id, text = line.split("\t")
        scenario = drills[drill_name]
        found = match_reply(text, scenario.language, scenario.choices[node],
                            scenario.pack.pack.id)
        if found.choice is None:
            missed.append(text)
        elif found.choice.id == option_id:
            right += 1
        else:
            wrong.append((text, found.choice.id))
    assert not wrong
    assert right >= 24, missed


def test_a_miss_asks_what_the_collector_means_and_keeps_the_options(drill) -> None:
    session = Session.start(drill, seed=4)
    before = [o.id for o in session.options]
    found, turn = session.reply("Purple elephants dance quietly.")
    assert found.choice is None and found.confidence < THRESHOLD
    assert turn is not None and turn.action == "miss"
    expected = NARRATOR_MISS_LINES if drill.nodes[turn.node].speaker == "narrator" else MISS_LINES
    assert turn.lines[0].text == expected["en"]
    assert session.misses == 1 and [o.id for o in session.options] == before
    session.reply("Bananas on a Tuesday.")
    assert session.misses == 2
    found, turn = session.reply(drill.choice_by_id[FIXTURE_BEST[0]].option.text)
    assert turn is not None and turn.action == "say" and session.misses == 0


def test_miss_line_is_in_the_drills_language_and_fits_who_is_there(library) -> None:
    """The debtor asks "什么意思？"; at a narrator's node (before dialling) nobody is on
    the line, so the narrator says the step was not understood."""
    scenario = next(s for s in library if s.language == "zh-CN")
    session = Session.start(scenario, seed=2)
    assert scenario.nodes[session.node].speaker == "narrator"
    _, turn = session.reply("嗯嗯，好的好的")
    assert turn is not None and turn.action == "miss"
    assert turn.lines[0].text == NARRATOR_MISS_LINES["zh"]
    session = Session.start(scenario, seed=2)
    session.choose_id(next(c.id for c in scenario.choices[session.node]
                           if not c.option.violations and c.option.routes[0].to in scenario.nodes
                           and scenario.nodes[c.option.routes[0].to].speaker == "debtor"))
    _, turn = session.reply("嗯嗯，好的好的")
    assert turn is not None and turn.action == "miss"
    assert turn.lines[0].text == MISS_LINES["zh"]


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("😀🙏👍", "empty"),
        ("x" * 10_000, "too_long"),
        ("您好，我是银行的工作人员，请问是本人吗？", "other_language"),
    ],
)
def test_unreadable_replies_take_no_turn(drill, text, refusal) -> None:
    session = Session.start(drill, seed=4)
    found, turn = session.reply(text)
    assert found.refusal == refusal and turn is None
    assert session.actions == [] and session.turn == 0


def test_control_characters_are_read_as_spaces(drill) -> None:
    session = Session.start(drill, seed=4)
    text = drill.choice_by_id[FIXTURE_BEST[0]].option.text
    _, turn = session.reply(text.replace(" ", "\x00\x1b", 2) + "\x07")
    assert turn is not None and turn.option == FIXTURE_BEST[0]
    assert not any(ord(c) < 32 for c in turn.text)


def test_typed_replies_replay_as_read(drill) -> None:
    """The stored reading is replayed (not re-analysed): the same turns, text and score."""
    session = Session.start(drill, seed=9)
    session.reply("What do you think of the weather?")
    for option_id in FIXTURE_BEST[:3]:
        session.reply(drill.choice_by_id[option_id].option.text)
    again = Session.from_json(drill, session.to_json())
    assert [t.__repr__() for t in again.turns] == [t.__repr__() for t in session.turns]
    assert [e.to_dict() for e in again.transcript] == [e.to_dict() for e in session.transcript]


def test_matching_is_deterministic(drill) -> None:
    choices = drill.choices["greeting"]
    texts = ["Hi, this is Sam from the bank, am I speaking with the account holder?",
             "hello", POLITE_THREAT["en"]]
    first = [match_reply(t, "en-US", choices, "us") for t in texts]
    second = [match_reply(t, "en-US", choices, "us") for t in texts]
    assert first == second


def test_too_long_limit_is_a_spoken_reply(drill) -> None:
    session = Session.start(drill, seed=4)
    found, turn = session.reply("a" * (MAX_REPLY_CHARS + 1))
    assert found.refusal == "too_long" and turn is None


def test_lint_cross_check_reports_where_analyser_and_author_disagree(tmp_path) -> None:
    """An option authored as benign that threatens, and one tagged a threat whose words
    are benign: both are listed (and nothing else changes in the fixture)."""
    from engine_support import write_variant

    from trainer.engine.crosscheck import cross_check

    base = {(d.option, d.extra, d.missed) for d in cross_check([load_scenario(FIXTURE_FILE)])}
    path = write_variant(tmp_path, "Great, that's sorted then.",
                         "Great. If you miss it, we'll tell your employer.")
    text = path.read_text(encoding="utf-8").replace(
        "If this isn't paid, the police can get involved.", "Let's see what works for you.")
    path.write_text(text, encoding="utf-8")
    changed = {(d.option, d.extra, d.missed) for d in cross_check([load_scenario(path)])} - base
    assert ("recap.2", ("threat",), ()) in changed
    assert any(option == "listen.3" and "threat" in missed for option, _, missed in changed)


def test_lint_cross_check_is_a_report_not_a_failure(capsys) -> None:
    from trainer.cli import main

    code = main(["lint", "--cross-check", str(FIXTURE_FILE)])
    out = capsys.readouterr().out
    plain = main(["lint", str(FIXTURE_FILE)])
    assert code == plain
    assert "analyser vs authored tags:" in out and "of 20 options disagree" in out
