"""Property tests of the analyser: deterministic, never crashes, negation does not flag."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.engine import analyse
from trainer.engine.analyser import BAD_TAGS

LANGUAGES = st.sampled_from(["zh-CN", "en", "en-US", "en-GB"])
ANY_TEXT = st.text(max_size=300) | st.text(
    st.characters(codec="utf-8", categories=("Lo", "Zs", "Po", "Cc", "So", "Ll", "Nd")),
    max_size=300,
)


@settings(max_examples=150, deadline=None)
@given(ANY_TEXT, LANGUAGES)
def test_any_text_is_analysed_the_same_way_twice_and_spans_stay_inside_it(text, language):
    first = analyse(text, language)
    assert first == analyse(text, language)
    for finding in first.findings:
        assert finding.spans
        for start, end in finding.spans:
            assert 0 <= start <= end <= len(text)


ZH_PEOPLE = st.sampled_from(
    ["您的家人", "您单位", "您的同事", "您父母", "您的领导", "您通讯录里的人", "您的朋友"])
ZH_ACTS = st.sampled_from(["联系", "通知", "打给", "告诉", "去找"])
ZH_NEGATIONS = st.sampled_from(["不会", "绝不会", "绝对不会", "从来不会", "不会再"])
ZH_OPENINGS = st.sampled_from(["", "您放心，", "请放心，", "嗯，", "不管怎样，", "如果您还不上，"])


@settings(max_examples=80, deadline=None)
@given(ZH_OPENINGS, ZH_NEGATIONS, ZH_ACTS, ZH_PEOPLE)
def test_a_negated_contact_is_no_threat_in_chinese(opening, negation, act, people):
    text = f"{opening}我们{negation}{act}{people}。"
    assert not analyse(text, "zh-CN").tags & {"threat", "disclose_debt"}, text


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(["如果您一直不处理，", "再不还的话，", "您要是再拖下去，", "不还钱的话，"]),
       ZH_ACTS, ZH_PEOPLE)
def test_the_same_contact_as_leverage_is_a_threat_in_chinese(condition, act, people):
    assert "threat" in analyse(f"{condition}我们就只能{act}{people}了。", "zh-CN").tags


EN_PEOPLE = st.sampled_from(["your family", "your employer", "your boss", "your parents",
                             "your coworkers", "your friends", "your references"])
EN_ACTS = st.sampled_from(["call", "contact", "tell", "ring"])
EN_NEGATIONS = st.sampled_from(
    ["won't", "will not", "will never", "would never", "are not going to"])


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(["", "Don't worry, ", "Just so you know, ", "Even if you can't pay, "]),
       EN_NEGATIONS, EN_ACTS, EN_PEOPLE)
def test_a_negated_contact_is_no_threat_in_english(opening, negation, act, people):
    text = f"{opening}we {negation} {act} {people}."
    assert not analyse(text, "en").tags & {"threat", "disclose_debt"}, text


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(
    ["If you don't pay, ", "If you keep ignoring us, ", "Unless this is paid, "]),
       EN_ACTS, EN_PEOPLE)
def test_the_same_contact_as_leverage_is_a_threat_in_english(condition, act, people):
    assert "threat" in analyse(f"{condition}we'll {act} {people}.", "en").tags


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["我们不会", "我们绝不会", "我不会"]),
       st.sampled_from(["说您是老赖", "把您的事发到网上", "上门找您"]))
def test_negated_violations_do_not_flag_chinese(negation, act):
    assert not analyse(f"{negation}{act}。", "zh-CN").tags & BAD_TAGS
