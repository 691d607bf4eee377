"""The engine speaks in facts; the catalogue writes them in English or Chinese.

Table-driven: each case is a fact (or advice, or action) and the sentence it must read
as in each language, on a US drill (English-only rule titles) and on a CN drill (rule
titles in both languages). Then whole drills: every explanation of a scored and
debriefed call renders, in Chinese without a word of the English frame.
"""

from __future__ import annotations

import itertools
import json
import re
import string
from typing import get_args

import pytest
from app_support import APP_LIBRARY
from textual.content import Content
from textual.style import Style
from textual.visual import RenderOptions

from trainer.engine import Fact, Scenario, Session, debrief, load_scenario, score
from trainer.engine.channels import PAYMENT_CHANNELS, channel_kind, same_channel, suggestions
from trainer.engine.debrief import Advice
from trainer.engine.facts import CODES
from trainer.engine.model import DebtorType, Outcome
from trainer.i18n import Translator, table
from trainer.messages import CATALOGUE, EN, TERMS, ZH, Messages
from trainer.widgets.layout import NO_LINE_END, NO_LINE_START, Hanging, Rows, wrap

ZH_DRILL = APP_LIBRARY / "app-drill.zh-CN.toml"
"""The app fixture in Chinese, under the CN pack (rule titles in both languages)."""
ZH_PASSING = ("dial.1", "greeting.1", "listen.1", "plan.1", "recap.1")


@pytest.fixture(scope="module")
def zh_drill() -> Scenario:
    return load_scenario(ZH_DRILL)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# -- the catalogue ----------------------------------------------------------------------


def test_every_fact_code_has_a_sentence_in_both_languages() -> None:
    for language, catalogue in CATALOGUE.items():
        assert sorted(CODES - set(catalogue)) == [], language


def test_english_and_chinese_have_the_same_keys_and_fields() -> None:
    assert set(EN) == set(ZH)
    assert {k: fields(v) for k, v in EN.items()} == {k: fields(v) for k, v in ZH.items()}


@pytest.mark.parametrize(("kind", "codes"), [
    ("outcome", get_args(Outcome)),
    ("debtor_type", get_args(DebtorType)),
    ("severity", ("critical", "major", "minor")),
    ("aptness", ("good", "neutral", "poor")),
    ("field", ("amount", "date", "channel")),
])
def test_every_term_the_engine_uses_has_words(kind: str, codes: tuple[str, ...]) -> None:
    for code in codes:
        assert f"{TERMS[kind]}.{code}" in EN


def test_the_interface_tables_do_not_repeat_the_engine_catalogue() -> None:
    """The engine's words are defined once; the app reaches them through its Translator."""
    for language in ("en", "zh-CN"):
        assert set(table(language)) & set(EN) == set()
    assert Translator("zh-CN").label("outcome", "hung_up") == "挂断"
    assert Translator("en")("action.escalate") == "(transfers the call to a supervisor)"


def test_an_unknown_fact_code_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown fact code"):
        Fact.of("tag.first_usage", tag="empathy")


# -- single facts, table-driven -----------------------------------------------------------

# fmt: off
FACTS = [
    # drill, fact, English, Chinese
    ("zh", Fact.of("rule.breach", rule="CN-VERIFY", severity="major"),
     "major breach of CN-VERIFY: Confirm you are speaking to the debtor before discussing "
     "the debt",
     "重大违规 CN-VERIFY：核实对方为债务人本人后，才能谈及欠款"),
    ("zh", Fact.of("rule.critical", rule="CN-THREAT"),
     "critical breach of CN-THREAT: No violence, coercion or intimidation; the drill is failed",
     "严重违规 CN-THREAT：不得使用暴力、胁迫或恐吓，本次练习直接判为不通过"),
    ("en", Fact.of("rule.disabled", rule="US-19"),
     "US-19 (Massachusetts overlay: at most 2 collector calls in 7 days to a home or mobile "
     "(disabled)) is disabled in this pack: no deduction",
     "US-19（马萨诸塞州附加规定：7天内向住宅电话或手机致电不超过2次（已停用））"
     "在本规则包中未启用，不扣分"),
    ("en", Fact.of("tag.first_use", tag="empathy"),
     "first use of Names the debtor's feeling or situation without judging",
     "首次做到：表达理解（我理解您的难处）"),
    ("en", Fact.of("tag.escalating", tag="threat"),
     "escalating behaviour: Threatens consequences (exposure, arrest, legal action not intended)",
     "激化情绪的做法：威胁（曝光、抓人、并不打算采取的法律行动）"),
    ("en", Fact.of("dead_air"),
     "dead air: the debtor was left waiting", "冷场：让对方在电话那头干等"),
    ("en", Fact.of("anger.end", end=30, points=14.0),
     "anger at the end of the call: 30/100 (14.0 of 20)",
     "挂电话时对方的愤怒值：30/100（得 14.0 分，满分 20）"),
    ("en", Fact.of("anger.peak", peak=90, start=75, points=4.0),
     "peak anger 90 against 75 at the start (4.0 of 10)",
     "愤怒值最高到 90，开场时为 75（得 4.0 分，满分 10）"),
    ("en", Fact.of("resolution.right", outcome="instalment_plan", debtor_type="hardship",
                   points=50.0, max=50.0),
     "instalment plan is the right resolution with a debtor in hardship (50.0 of 50)",
     "客户遇到经济困难时，“分期方案”就是最合适的结果（得 50.0 分，满分 50）"),
    ("zh", Fact.of("resolution.rated", ending="ptp", quality=80, halved=True, points=20.0,
                   max=50.0),
     'ending "promise to pay" is rated 80, halved: the promise is one the debtor cannot keep '
     "(20.0 of 50)",
     "结局“承诺还款”在本场景的评分为 80，减半：这个承诺对方根本兑现不了（得 20.0 分，满分 50）"),
    ("en", Fact.of("resolution.escalated", aptness="poor", points=10.0, max=50.0),
     "escalated to a supervisor where escalation is a way to dodge the conversation "
     "(10.0 of 50)",
     "此时转交主管是在回避问题（得 10.0 分，满分 50）"),
    ("en", Fact.of("resolution.outcome", outcome="no_agreement", points=15.0, max=50.0),
     "outcome no agreement (15.0 of 50)", "结局为“未达成一致”（得 15.0 分，满分 50）"),
    ("en", Fact.of("promise.unrealistic"),
     "secured a promise the debtor cannot keep (0 of 20)",
     "谈下的承诺对方根本做不到（得 0 分，满分 20）"),
    ("en", Fact.of("recap.missed"),
     "the promise was never read back (0 of 15)", "没有向对方复述确认承诺（得 0 分，满分 15）"),
    ("en", Fact.of("note.match", field="date", points=5.0),
     "note date matches (5 of 5)", "通话记录中的还款日期与约定一致（得 5 分，满分 5）"),
    ("zh", Fact.of("note.mismatch", field="channel", got="现金", want="手机银行", points=0.0),
     "note channel is '现金', agreed '手机银行' (0 of 5)",
     "通话记录中的还款渠道写的是“现金”，约定的是“手机银行”（得 0 分，满分 5）"),
]
# fmt: on


@pytest.mark.parametrize(("which", "fact", "english", "chinese"), FACTS,
                         ids=[f"{f.code}-{which}" for which, f, *_ in FACTS])
def test_a_fact_reads_naturally_in_each_language(
    drill: Scenario, zh_drill: Scenario, which: str, fact: Fact, english: str, chinese: str
) -> None:
    scenario = zh_drill if which == "zh" else drill
    assert Messages(scenario, "en").fact(fact) == english
    assert Messages(scenario, "zh-CN").fact(fact) == chinese


@pytest.mark.parametrize(("fact", "authored"), [
    (Fact.of("resolution.right", outcome="instalment_plan", debtor_type="abusive", points=50.0,
             max=50.0),
     "instalment_plan is the right resolution with a abusive debtor (50.0 of 50)"),
    (Fact.of("resolution.rated", ending="ptp", quality=80, points=40.0, max=50.0),
     "ending 'ptp' is rated 80 (40.0 of 50)"),
    (Fact.of("tag.first_use", tag="empathy"), "first use of 表达理解（我理解您的难处）"),
    (Fact.of("rule.breach", rule="CN-VERIFY", severity="major"),
     "major breach of CN-VERIFY: 核实对方为债务人本人后，才能谈及欠款"),
])
def test_authored_transcripts_keep_the_drills_own_terms(
    zh_drill: Scenario, fact: Fact, authored: str
) -> None:
    """Golden transcripts read as they always have: codes as written, labels in the drill's
    language (the golden test checks every shipped drill; this pins the convention)."""
    assert Messages(zh_drill, "en", authored=True).fact(fact) == authored


@pytest.mark.parametrize(("source", "english", "chinese"), [
    ("tag:record_note", "Records the key facts of the call", "记录关键信息"),
    ("rule:CN-THREAT", "No violence, coercion or intimidation (CN-THREAT; {citation})",
     "不得使用暴力、胁迫或恐吓（CN-THREAT；{citation}）"),
])
def test_advice_reads_in_each_language(
    zh_drill: Scenario, source: str, english: str, chinese: str
) -> None:
    citation = zh_drill.pack.rule("CN-THREAT").citation
    advice = Advice("stop", source)
    assert Messages(zh_drill, "en").advice(advice) == english.format(citation=citation)
    assert Messages(zh_drill, "zh-CN").advice(advice) == chinese.format(citation=citation)


@pytest.mark.parametrize(("action", "english", "chinese"), [
    ("timeout", "(silence: the answer timer ran out)", "（沉默：答题时间已到）"),
    ("escalate", "(transfers the call to a supervisor)", "（把电话转给主管）"),
    ("hang_up", "(hangs up)", "（挂断电话）"),
])
def test_non_verbal_actions_are_named_in_each_language(
    drill: Scenario, action: str, english: str, chinese: str
) -> None:
    assert Messages(drill, "en").said(action, "") == english
    assert Messages(drill, "zh").said(action, "") == chinese
    assert Messages(drill, "zh").said(action, "Hello?") == "Hello?"  # words win


# -- whole drills ---------------------------------------------------------------------------


def test_a_debriefed_call_explains_itself_entirely_in_chinese(zh_drill: Scenario) -> None:
    session = Session.start(zh_drill, seed=7)
    for option in ("dial.1", "greeting.2", "listen.1", "plan.1"):
        session.choose_id(option)
    session.choose_id("recap.1")
    session.record_note(250, "2026-03-19", "现金")
    review = debrief(session)
    say = Messages(zh_drill, "zh-CN")
    sentences = [say.item(item) for item in review.score.items]
    sentences += [say.advice(a) for a in review.advice]
    sentences += [say.said(t.best.action, t.best.text) for t in review.turns if t.best]
    assert len(sentences) > 10
    for sentence in sentences:
        assert re.search(r"[\u4e00-\u9fff]", sentence), sentence
        assert not re.search(r"[a-z]", sentence), sentence  # no English word, no code
        assert "{" not in sentence, sentence
    joined = "\n".join(sentences)
    assert "重大违规 CN-VERIFY" in joined and "首次做到：" in joined
    assert "通话记录中的金额写的是“250.00”" in joined


def test_every_item_of_every_worked_path_renders_in_both_languages(drill: Scenario) -> None:
    for actions in (["dial.1", "greeting.1", "verify.2", "disclosure.2", "listen.1", "plan.2"],
                    ["dial.1", "escalate"], ["dial.2"]):
        session = Session.start(drill, seed=0)
        for action in actions:
            session.escalate() if action == "escalate" else session.choose_id(action)
        for language in ("en", "zh-CN"):
            say = Messages(drill, language)
            for item in score(session).items:
                text = say.item(item)
                assert text and "{" not in text and item.fact.code not in text


def test_the_plain_text_debrief_renders_in_chinese(zh_drill: Scenario) -> None:
    session = Session.start(zh_drill, seed=7)
    for option in ("dial.1", "greeting.1", "listen.2"):
        session.choose_id(option)
    text = debrief(session).render("zh-CN")
    assert "严重违规 CN-THREAT：不得使用暴力、胁迫或恐吓" in text
    assert "激化情绪的做法：威胁" in text and "FAIL" in text


def test_sessions_stored_before_facts_replay_and_explain(drill: Scenario) -> None:
    """A session JSON written by the earlier engine (actions only, non-verbal actions as
    codes) replays unchanged and its debrief renders in both languages."""
    stored = json.dumps({
        "actions": [{"do": "choose", "option": "dial.1"}, {"do": "timeout"},
                    {"do": "choose", "option": "greeting.1"},
                    {"amount": 100.0, "channel": "debit card", "date": "2026-03-19",
                     "do": "note"},
                    {"do": "escalate"}],
        "format": "recoverylab.session/1",
        "scenario": {"fingerprint": drill.fingerprint(), "id": drill.meta.id,
                     "language": drill.meta.language},
        "seed": 3, "trainee": "emp042",
    }, ensure_ascii=False, sort_keys=True)
    session = Session.from_json(drill, stored)
    assert [t.action for t in session.turns] == ["choose", "timeout", "choose", "escalate"]
    assert session.to_json() == stored  # still written the same way
    review = debrief(session)
    timeout = review.turns[1]
    assert timeout.said == "" and Messages(drill, "zh").said(timeout.action, timeout.said) == (
        "（沉默：答题时间已到）")
    assert "冷场：让对方在电话那头干等" in review.render("zh")


# -- payment channels -------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "currency", "kind"), [
    ("华信手机银行APP", "CNY", "银行APP"),
    ("北辰APP还款", "CNY", "银行APP"),  # Latin word touching Chinese
    ("安和APP·微信支付", "CNY", "微信支付"),  # the wallet is the channel, the app the door
    ("支付宝", "CNY", "支付宝"),
    ("去网点柜台还", "CNY", "柜台"),
    ("ACH from checking", "USD", "ACH"),
    ("debit card on the Keystone Ridge website", "USD", "debit card"),
    ("Ridgeline online portal", "USD", "online banking"),
    ("check by mail", "USD", "check by mail"),
    ("checking", "USD", "ACH"),  # not "check"
    ("each Friday", "USD", None),  # not "ach"
    ("Direct Debit", "GBP", "Direct Debit"),
    ("standing order", "GBP", "standing order"),
    ("cash", "USD", None),
    ("微信", "EUR", None),  # no list for this currency
])
def test_channel_kinds(text: str, currency: str, kind: str | None) -> None:
    assert channel_kind(text, currency) == kind


def test_every_suggested_channel_is_recognised_as_itself() -> None:
    for currency, channels in PAYMENT_CHANNELS.items():
        assert suggestions(currency) == [c.name for c in channels]
        for channel in channels:
            assert channel_kind(channel.name, currency) == channel.name


@pytest.mark.parametrize(("noted", "agreed", "same"), [
    ("银行APP", "华信手机银行APP", True),
    ("微信支付", "安和APP·微信支付", True),
    ("支付宝", "华信手机银行APP", False),
    ("Debit  Card", "debit card", True),  # same words, whatever the case and spacing
    ("老地方", "老地方", True),  # unknown to the list, but the same words
])
def test_a_note_matches_the_same_kind_of_channel(noted: str, agreed: str, same: bool) -> None:
    assert same_channel(noted, agreed, "CNY" if not noted.isascii() else "USD") is same


def test_the_note_score_credits_a_channel_of_the_same_kind(zh_drill: Scenario) -> None:
    session = Session.start(zh_drill, seed=7)
    for option in ZH_PASSING:
        session.choose_id(option)
    session.record_note(300, "2026-03-19", "银行APP")  # agreed: "手机银行"
    channel = [i for i in score(session).items if i.source == "note:channel"]
    assert [(i.points, i.fact.code) for i in channel] == [(5.0, "note.match")]


# -- layout -------------------------------------------------------------------------------


LONG = "您好，我是海港银行信用卡中心的小李，请问是王丽女士本人吗？"


def lines(visual: Hanging | Rows, width: int) -> list[str]:
    options = RenderOptions(get_style=Style.parse, rules={})
    strips = visual.render_strips(width, None, Style(), options)
    assert len(strips) == visual.get_height({}, width)
    return [strip.text for strip in strips]


def test_chinese_text_starts_beside_its_label_and_hangs_under_itself() -> None:
    shown = lines(Hanging(Content("你："), LONG), 20)
    assert shown[0] == "你：您好，我是海港银"
    assert all(line.startswith("    ") for line in shown[1:]) and len(shown) == 4
    assert "".join(line.strip() for line in shown).replace("你：", "", 1) == LONG


def test_rows_stack_labelled_and_plain_lines() -> None:
    shown = lines(Rows([Hanging("• ", "short"), "plain", Hanging("-25 ", LONG)]), 20)
    assert shown[:3] == ["• short" + " " * 13, "plain", "-25 您好，我是海港银"]


BREAKS = [
    "一天接这么多电话，还影响您跑单，换谁都烦，这个我理解。您表哥接到电话的事，我这边看到您3月5号"
    "登记过，我再帮您催一下核查，联系人本来就不应该被这么打扰。",
    "可以。今天先在江澄银行APP从8816还2,000元，12月10号发工资后还剩下的1,946.80元，也在APP里还。",
    "他说：“我明天（周五）一定还。”然后挂了。",
    "Thanks for telling me that. What does a normal pay period look like right now?",
]


@pytest.mark.parametrize("text", BREAKS, ids=["commas", "figures", "brackets", "english"])
def test_chinese_lines_break_by_the_typesetting_rules(text: str) -> None:
    figures = re.findall(r"\d[\d,.]*\d", text)
    for width in range(8, 80):
        shown = [line.plain for line in wrap(Content(text), width)]
        assert all(Content(line).cell_length <= width for line in shown), width
        assert "".join(shown).replace(" ", "") == text.replace(" ", "")  # nothing lost
        for before, after in itertools.pairwise(shown):
            assert after[:1] not in NO_LINE_START and before[-1:] not in NO_LINE_END, width
        for figure in figures:  # "1,946.80" is never cut in two
            if len(figure) < width // 2:
                assert any(figure in line for line in shown), (width, figure)


def test_chinese_after_a_space_fills_the_line_instead_of_jumping() -> None:
    """Chinese may break between any two characters, so a long run after a space
    ("CN-HARASS：不得以电话……") continues on the same line."""
    shown = [line.plain for line in wrap(Content(
        "重大违规 CN-HARASS：不得以电话、短信等方式频繁骚扰，侵扰他人私人生活安宁"), 30)]
    assert shown[0] == "重大违规 CN-HARASS：不得以电"
    assert [line.plain for line in wrap(Content("What does a normal pay period look like"),
                                        20)] == ["What does a normal", "pay period look like"]


def test_a_label_too_wide_for_two_columns_falls_back_to_plain_wrapping() -> None:
    assert lines(Hanging("Better: ", "x"), 10) == ["Better: x"]


@pytest.mark.parametrize(("label", "led"), [
    ("Heard:", "Heard: "), ("上一句：", "上一句："), ("王丽：", "王丽："), ("Dana:", "Dana: "),
])
def test_labels_lead_their_text_with_the_right_spacing(label: str, led: str) -> None:
    assert Translator("en").lead(label) == led
