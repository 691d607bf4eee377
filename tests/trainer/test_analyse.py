"""The conduct analyser: the issue's own examples, spans, citations, bad input, laziness."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sim.rules import load_rule_pack
from trainer.engine import analyse
from trainer.engine.analyser import (
    ANALYSED_TAGS,
    BAD_TAGS,
    MAX_CHARS,
    AnalysisInputError,
)
from trainer.engine.analyser.citations import CITATIONS, rules_for
from trainer.engine.tags import load_tags

CRITICAL = ("threat", "insult", "false_statement", "disclose_debt")


def test_every_analysed_tag_is_declared_in_tags_toml():
    assert set(load_tags().names) >= ANALYSED_TAGS


@pytest.mark.parametrize(
    ("text", "language", "tag"),
    [
        ("如果您一直不处理，我们只能联系您单位了。", "zh-CN", "threat"),  # a threat said politely
        ("如果您一直不處理，我們只能聯繫您單位了。", "zh-CN", "threat"),  # the same, traditional
        # an implied disclosure
        ("请您让他尽快处理一下他在我们这边的那笔账单。", "zh-CN", "disclose_debt"),
        ("我特别理解您，可是再拖下去就会被列为诈骗，是要坐牢的。", "zh-CN", "false_statement"),
        ("I hate to say it, but if you keep ignoring us we'll have to call your employer.",
         "en", "threat"),
        ("Could you ask him to call us about his unpaid balance?", "en", "disclose_debt"),
        ("I really feel for you, but legally this is fraud now and you could go to jail.", "en",
         "false_statement"),
        ("you're a deadbeat", "en", "insult"),
        ("Are you stuipd?", "en", "insult"),  # a typo of a lexicon word is still read
        # a negator far from the insult does not deny it
        ("I don't have time for losers like you.", "en", "insult"),
        # a lawsuit as leverage, wrapped in regret (from the drills' wording)
        ("If this one breaks too, the file goes to our legal department. I'd hate that for you.",
         "en", "threat"),
        ("我是为您好才说：再拖下去我们就直接起诉。", "zh-CN", "threat"),
        # false promises about credit records
        ("If you pay today, it won't get reported to the credit bureaus at all.", "en",
         "false_statement"),
        ("这次按时还了，之前的逾期记录就不会上报征信了。", "zh-CN", "false_statement"),
    ],
)
def test_violations_said_kindly_or_misspelt_are_caught(text, language, tag):
    assert tag in analyse(text, language).tags


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("逾期记录会按规定报送征信。", "zh-CN"),  # a true, lawful consequence
        ("我们不会联系您的家人。", "zh-CN"),  # a negation
        ("您放心，我们绝不会去您单位，也不会给您通讯录里的人打电话。", "zh-CN"),
        ("欠款不还不会坐牢，这是民事纠纷。", "zh-CN"),
        ("Late payments are reported to the credit bureaus as the rules require.", "en"),
        ("We won't contact your family or your employer.", "en"),
        ("Not paying a debt isn't a crime; it's a civil matter.", "en"),
        ("If this stays unresolved we may consider legal action, "
         "but you'd get written notice first.",
         "en"),
        ("I'm not calling you a liar.", "en"),  # a denied insult
        ("Nothing is going to court. I'm putting a 30-day hold on collections today.", "en"),
        ("I don't want you borrowing from your mum to pay us.", "en"),
    ],
)
def test_lawful_consequences_and_negations_are_not_violations(text, language):
    assert not analyse(text, language).tags & BAD_TAGS


@pytest.mark.parametrize(
    ("text", "language", "tag"),
    [
        ("就是说，您这个情况我们可以申请分期。", "zh-CN", "paraphrase"),  # a spoken filler
        ("So, you can pay through the app today.", "en", "paraphrase"),  # the same in English
        ("There's an option to spread it over 24 months, which would be much lighter", "en",
         "open_question"),  # a relative clause, not a question
    ],
)
def test_fillers_and_relative_clauses_are_not_read_as_what_they_resemble(text, language, tag):
    assert tag not in analyse(text, language).tags


@pytest.mark.parametrize(
    ("text", "language", "tag"),
    [
        ("就是说活儿少了以后，收入只够日常开销，对吧？", "zh-CN", "paraphrase"),
        ("So you've lost your job and the savings have gone on rent. Have I got that right?", "en",
         "paraphrase"),
    ],
)
def test_a_restatement_without_the_filler_pause_is_a_paraphrase(text, language, tag):
    assert tag in analyse(text, language).tags


def test_spans_point_at_the_words_as_typed():
    text = "嗯，如果您一直不處理，我們只能聯繫您單位了。"
    finding = analyse(text, "zh-CN").finding("threat")
    assert finding is not None
    (words,) = finding.words(text)
    assert words.startswith("如果") and "聯繫您單位" in words

    text = "Um, I'm so srory for your loss, u can call us when ur ready"
    finding = analyse(text, "en").finding("empathy")
    assert finding is not None and finding.words(text) == ("I'm so srory",)


def test_a_pack_turns_tags_into_cited_rules():
    text = "你这种老赖，不还钱我们就打给你家里人。"
    cn = analyse(text, "zh-CN", pack="cn")
    assert cn.finding("threat").rules == ("CN-THREAT",)
    assert cn.finding("insult").rules == ("CN-INSULT",)
    assert set(cn.violations) == {"CN-THREAT", "CN-INSULT"}
    assert analyse(text, "zh-CN").violations == ()  # no pack, no rules


@pytest.mark.parametrize("pack_id", sorted(CITATIONS))
def test_citations_name_real_rules_and_critical_tags_cite_critical_rules(pack_id):
    pack = load_rule_pack(pack_id)
    for tag in sorted(ANALYSED_TAGS):
        for rule in rules_for(pack_id, tag):
            assert rule in pack, f"{pack_id}: {tag} cites unknown rule {rule}"
    for tag, category in zip(CRITICAL, ("threat", "insult", "false_statement", "disclosure"),
                             strict=True):
        (rule,) = rules_for(pack_id, tag)
        assert rule in pack.category_rules(category).rules  # read from the pack's category
        assert pack.rule(rule).severity == "critical", f"{pack_id}: {tag} cites {rule}"
        assert tag not in CITATIONS[pack_id]  # declared once, in the pack


@pytest.mark.parametrize(
    ("text", "script"),
    [("", "none"), ("   \n\t ", "none"), ("😀😡🙏", "none"), ("\x00\x07\x1b[31m", "none"),
     ("？？？!!!", "none")],
)
def test_empty_emoji_and_control_characters_give_an_empty_analysis(text, script):
    for language in ("zh-CN", "en"):
        result = analyse(text, language)
        assert result.script == script and result.empty and result.tags == frozenset()


def test_a_long_paste_is_read_only_up_to_the_limit():
    text = "我们可以给您办理分期。" * 1000  # 10,000 characters
    result = analyse(text, "zh-CN")
    assert result.truncated and "offer_plan" in result.tags
    assert all(b <= MAX_CHARS for f in result.findings for _, b in f.spans)


def test_a_reply_in_the_other_language_is_flagged_and_still_read():
    result = analyse("Pay today or we'll let your family know what you owe.", "zh-CN")
    assert result.other_language and "threat" in result.tags
    result = analyse("你这种老赖", "en-US")
    assert result.other_language and "insult" in result.tags
    assert not analyse("您好，我是安信消费金融的小王。", "zh-CN").other_language


def test_mixed_chinese_and_english_is_read_with_both_lexicons():
    result = analyse("我们可以set up a payment plan，您看每月多少合适？", "zh-CN")
    assert "offer_plan" in result.tags and not result.other_language


def test_bad_arguments_are_refused_clearly():
    with pytest.raises(AnalysisInputError, match="language 'fr'"):
        analyse("bonjour", "fr")
    with pytest.raises(AnalysisInputError, match="string"):
        analyse(None, "en")  # type: ignore[arg-type]


def test_importing_the_engine_loads_no_lexicon_and_no_converter():
    code = (
        "import sys, trainer.engine, trainer.app;"
        "print(sorted(m for m in sys.modules"
        " if m.startswith(('opencc', 'trainer.engine.analyser.'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['trainer.engine.analyser.citations']"
