"""The message catalogue: the engine's facts as English or Chinese sentences.

Coaching lands only in the language the trainee thinks in. A mainland floor reads its
feedback in Chinese, written the way a training lead would say it ("首次做到：表达理解",
not a word-for-word gloss of the English), while the drill itself stays in the language
it was written for. So the engine never writes sentences while it scores: it records
:class:`~trainer.engine.facts.Fact` codes and parameters, and :class:`Messages` renders
them on demand in ``en`` or ``zh`` from :data:`CATALOGUE`. The catalogue also holds the
engine's own vocabulary (outcomes, severities, the trainee's non-verbal actions), so
every screen and report names those the same way; the app's string tables fall back
to it rather than repeating it.

This module sits beside the engine rather than in it: the engine stays free of
language, and the app reaches the catalogue on its start-up path without importing the
engine (numpy, the scenario models) before its first screen. It imports nothing from
the trainer at run time.

Two ways to name a drill's terms:

- for a reader (the app, :meth:`~trainer.engine.debrief.Debrief.render`): everything in
  the chosen language, with behaviour labels from ``tags.toml`` and rule titles from
  the pack in that language where the pack has one;
- ``authored=True`` (plain-text transcripts and their golden files): English sentences
  that keep the drill's terms as its author wrote them, outcome and debtor-type codes
  as in the TOML and behaviour and rule descriptions in the drill's language, the way
  a reviewer annotates a recording.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.rules import Rule
    from trainer.engine.debrief import Advice
    from trainer.engine.facts import Fact, Value
    from trainer.engine.model import Scenario
    from trainer.engine.scoring import Item

EN: Mapping[str, str] = {
    # compliance
    "rule.breach": "{severity} breach of {rule}: {title}",
    "rule.critical": "critical breach of {rule}: {title}; the drill is failed",
    "rule.disabled": "{rule} ({title}) is disabled in this pack: no deduction",
    # de-escalation
    "tag.first_use": "first use of {tag}",
    "tag.escalating": "escalating behaviour: {tag}",
    "dead_air": "dead air: the debtor was left waiting",
    "technique.untested": "this drill offers no de-escalation behaviours: technique not tested",
    "anger.end": "anger at the end of the call: {end}/100 ({points:.1f} of 20)",
    "anger.peak": "peak anger {peak} against {start} at the start ({points:.1f} of 10)",
    "anger.change": "anger went from {start} to {end} ({points:.1f} of 10)",
    # outcome: the resolution sentence, then the halving and the points
    "resolution.escalated": "escalated to a supervisor where escalation is {aptness}",
    "resolution.critical": "the call ended on a critical violation",
    "resolution.rated": "ending {ending} is rated {quality}",
    "resolution.right": "{outcome} is the right resolution with {debtor_type}",
    "resolution.outcome": "outcome {outcome}",
    "resolution.halved": ", halved: the promise is one the debtor cannot keep",
    "resolution.points": " ({points:.1f} of {max:.0f})",
    # outcome: the promise craft
    "promise.none": "no promise or plan was secured (0 of 20)",
    "promise.realistic": "secured a realistic promise (20 of 20)",
    "promise.unrealistic": "secured a promise the debtor cannot keep (0 of 20)",
    "recap.done": "read the promise back: amount, date and channel (15 of 15)",
    "recap.missed": "the promise was never read back (0 of 15)",
    "note.assumed": "note assumed to match (15 of 15)",
    "note.none": "no call note was recorded (0 of 15)",
    "note.match": "note {field} matches ({points:.0f} of 5)",
    "note.mismatch": "note {field} is {got!r}, agreed {want!r} ({points:.0f} of 5)",
    # advice
    "advice.rule": "{title} ({rule}; {citation})",
    "quote": "\"{text}\"",
    # the trainee's non-verbal actions, as a transcript shows them
    "action.timeout": "(silence: the answer timer ran out)",
    "action.escalate": "(transfers the call to a supervisor)",
    "action.hang_up": "(hangs up)",
    # terms
    "outcome.promise_to_pay": "promise to pay",
    "outcome.instalment_plan": "instalment plan",
    "outcome.callback_scheduled": "callback scheduled",
    "outcome.escalated": "escalated to a supervisor",
    "outcome.hung_up": "hung up",
    "outcome.complaint": "complaint",
    "outcome.critical_violation": "critical violation",
    "outcome.dispute_logged": "dispute logged",
    "outcome.cease_acknowledged": "cease request acknowledged",
    "outcome.message_left": "message left",
    "outcome.no_agreement": "no agreement",
    "severity.critical": "critical",
    "severity.major": "major",
    "severity.minor": "minor",
    "aptness.good": "apt",
    "aptness.neutral": "neutral",
    "aptness.poor": "a way to dodge the conversation",
    "field.amount": "amount",
    "field.date": "date",
    "field.channel": "channel",
}

ZH: Mapping[str, str] = {
    "rule.breach": "{severity}违规 {rule}：{title}",
    "rule.critical": "严重违规 {rule}：{title}，本次练习直接判为不通过",
    "rule.disabled": "{rule}（{title}）在本规则包中未启用，不扣分",
    "tag.first_use": "首次做到：{tag}",
    "tag.escalating": "激化情绪的做法：{tag}",
    "dead_air": "冷场：让对方在电话那头干等",
    "technique.untested": "本场景没有可用的情绪缓和技巧，此项不考查",
    "anger.end": "挂电话时对方的愤怒值：{end}/100（得 {points:.1f} 分，满分 20）",
    "anger.peak": "愤怒值最高到 {peak}，开场时为 {start}（得 {points:.1f} 分，满分 10）",
    "anger.change": "愤怒值从 {start} 变到 {end}（得 {points:.1f} 分，满分 10）",
    "resolution.escalated": "此时转交主管{aptness}",
    "resolution.critical": "通话以严重违规告终",
    "resolution.rated": "结局{ending}在本场景的评分为 {quality}",
    "resolution.right": "{debtor_type}时，“{outcome}”就是最合适的结果",
    "resolution.outcome": "结局为“{outcome}”",
    "resolution.halved": "，减半：这个承诺对方根本兑现不了",
    "resolution.points": "（得 {points:.1f} 分，满分 {max:.0f}）",
    "promise.none": "没有谈下还款承诺或还款方案（得 0 分，满分 20）",
    "promise.realistic": "谈下了对方做得到的还款承诺（得 20 分，满分 20）",
    "promise.unrealistic": "谈下的承诺对方根本做不到（得 0 分，满分 20）",
    "recap.done": "向对方复述了承诺：金额、日期和还款渠道（得 15 分，满分 15）",
    "recap.missed": "没有向对方复述确认承诺（得 0 分，满分 15）",
    "note.assumed": "按通话记录与承诺一致计分（得 15 分，满分 15）",
    "note.none": "没有填写通话记录（得 0 分，满分 15）",
    "note.match": "通话记录中的{field}与约定一致（得 {points:.0f} 分，满分 5）",
    "note.mismatch": "通话记录中的{field}写的是“{got}”，约定的是“{want}”"
                     "（得 {points:.0f} 分，满分 5）",
    "advice.rule": "{title}（{rule}；{citation}）",
    "quote": "“{text}”",
    "action.timeout": "（沉默：答题时间已到）",
    "action.escalate": "（把电话转给主管）",
    "action.hang_up": "（挂断电话）",
    "outcome.promise_to_pay": "承诺还款",
    "outcome.instalment_plan": "分期方案",
    "outcome.callback_scheduled": "约定回电",
    "outcome.escalated": "已升级主管",
    "outcome.hung_up": "挂断",
    "outcome.complaint": "投诉",
    "outcome.critical_violation": "严重违规",
    "outcome.dispute_logged": "已登记异议",
    "outcome.cease_acknowledged": "已确认停止联系",
    "outcome.message_left": "已留言",
    "outcome.no_agreement": "未达成一致",
    "severity.critical": "严重",
    "severity.major": "重大",
    "severity.minor": "轻微",
    "aptness.good": "是恰当的",
    "aptness.neutral": "可以理解",
    "aptness.poor": "是在回避问题",
    "field.amount": "金额",
    "field.date": "还款日期",
    "field.channel": "还款渠道",
}

VOCABULARY_PREFIXES = frozenset({"debtor_type", "debtor", "family", "channel"})
"""Key prefixes whose words come from ``scenarios/roleplay/vocabulary.toml``."""


class Catalogue(Mapping[str, str]):
    """One language's sentences and terms, with the vocabulary's labels on top.

    The labels (debtor types, outcome families, channels) live in the vocabulary file,
    which is validated when first read. The sign-in screen shows none of them, so the
    file is read when the first label is asked for rather than when the trainer starts.
    """

    def __init__(self, sentences: Mapping[str, str], language: str) -> None:
        self._sentences = sentences
        self._language = language
        self._labels: Mapping[str, str] | None = None

    def _vocabulary(self) -> Mapping[str, str]:
        if self._labels is None:
            from trainer.vocabulary import interface_strings

            self._labels = interface_strings(self._language)
        return self._labels

    def __getitem__(self, key: str) -> str:
        if key.partition(".")[0] in VOCABULARY_PREFIXES and key in self._vocabulary():
            return self._vocabulary()[key]
        return self._sentences[key]

    def __iter__(self) -> Iterator[str]:
        return iter({**self._sentences, **self._vocabulary()})

    def __len__(self) -> int:
        return len({**self._sentences, **self._vocabulary()})


EN = Catalogue(EN, "en")
ZH = Catalogue(ZH, "zh-CN")
CATALOGUE: Mapping[str, Mapping[str, str]] = {"en": EN, "zh": ZH}
"""Sentences and terms per catalogue language; English is complete and the fallback."""

TERMS: Mapping[str, str] = {
    "outcome": "outcome",
    "debtor_type": "debtor",
    "severity": "severity",
    "aptness": "aptness",
    "field": "field",
}
"""Fact parameters that name a term, and the catalogue prefix of their words."""

AUTHORED_TERMS: Mapping[str, str] = {"debtor_type": "a {code} debtor"}
"""How an authored transcript writes a term (default: the code itself)."""


def catalogue_language(language: str) -> str:
    """``zh-CN``, ``zh`` -> ``zh``; anything else -> ``en``."""
    return "zh" if language.lower().startswith("zh") else "en"


def rule_title(rule: Rule, language: str) -> str:
    """A rule's title in ``language`` (``zh-CN`` reads the ``zh`` title), else English."""
    titles = rule.title
    key = language.split("-")[0].lower()
    return titles.get(key) or titles.get("en") or next(iter(titles.values()), "")


class Messages:
    """Renders a scenario's facts, advice and actions in one language."""

    def __init__(self, scenario: Scenario, language: str, *, authored: bool = False) -> None:
        self.scenario = scenario
        self.language = catalogue_language(language)
        self.authored = authored
        self._table = CATALOGUE[self.language]
        # Behaviour labels and rule titles: the reader's language, or the drill's own.
        self._names = scenario.meta.language if authored else language

    def __call__(self, key: str, **fields: object) -> str:
        text = self._table.get(key) or EN.get(key) or key
        return text.format(**fields) if fields else text

    def tag(self, name: str) -> str:
        tags = self.scenario.tags
        return tags[name].label(self._names) if name in tags else name

    def rule_title(self, rule_id: str) -> str:
        try:
            return rule_title(self.scenario.pack.rule(rule_id), self._names)
        except KeyError:
            return ""

    def citation(self, rule_id: str) -> str:
        try:
            return self.scenario.pack.rule(rule_id).citation
        except KeyError:
            return ""

    def term(self, kind: str, code: str) -> str:
        if self.authored:
            return AUTHORED_TERMS.get(kind, "{code}").format(code=code)
        key = f"{TERMS[kind]}.{code}"
        return self(key) if key in EN else code.replace("_", " ")

    def fact(self, fact: Fact) -> str:
        fields: dict[str, Value] = {}
        for name, value in fact.params:
            if name == "rule":
                fields["title"] = self.rule_title(str(value))
                fields[name] = value
            elif name == "tag":
                fields[name] = self.tag(str(value))
            elif name == "ending":
                fields[name] = self._ending(str(value))
            elif name in TERMS:
                fields[name] = self.term(name, str(value))
            else:
                fields[name] = value
        text = self(fact.code, **fields)
        if fact.code.startswith("resolution."):
            if fact.get("halved"):
                text += self("resolution.halved")
            text += self("resolution.points", **fields)
        return text

    def _ending(self, ending_id: str) -> str:
        """An ending as the author named it, or (for a reader) by its outcome."""
        if self.authored:
            return repr(ending_id)
        ending = self.scenario.endings.get(ending_id)
        return self("quote", text=self.term("outcome", ending.outcome) if ending else ending_id)

    def item(self, item: Item) -> str:
        return self.fact(item.fact)

    def action(self, action: str) -> str:
        """A non-verbal action (``timeout``, ``escalate``, ``hang_up``) as a transcript line."""
        return self(f"action.{action}")

    def said(self, action: str, text: str) -> str:
        """What the trainee said, or their non-verbal action when they said nothing."""
        return text or self.action(action)

    def advice(self, advice: Advice) -> str:
        subject, _, name = advice.source.partition(":")
        if subject == "rule":
            title, citation = self.rule_title(name), self.citation(name)
            return self("advice.rule", title=title, rule=name, citation=citation)
        return self.tag(name)


OPENING_QUOTES = "\"“「『‘'"
"""Marks a title may already open with (many drill titles are a debtor's quoted words)."""


def quoted(title: str) -> str:
    """``title`` in curly quotes, unless it already starts with a quotation of its own
    (“\"Stop calling me!\" The hounded debtor” would show the marks twice)."""
    return title if title[:1] in OPENING_QUOTES else f"“{title}”"
