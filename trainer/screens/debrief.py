"""The debrief: scores, violations with citations, a turn-by-turn replay, and advice.

This is where a drill teaches. The verdict comes first (pass or fail against the pass
mark; a critical violation fails whatever else went well), then the four scores, then
each rule broken with its exact citation. The replay walks the call turn by turn and,
where the trainee's choice cost points, shows the better option that the engine's search
found (computed, not hand-written). Start / Stop / Continue closes it, followed by retry
or the next drill.

The engine hands over codes and facts, not sentences; this screen renders them with the
engine's message catalogue in the interface language, so a Chinese-speaking trainee on
a US drill reads the coaching in Chinese and the drill itself in English.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.visual import Visual
from textual.widgets import Static, TabbedContent, TabPane

from trainer.messages import Messages
from trainer.screens.base import TrainerScreen
from trainer.widgets.footer import FittingFooter
from trainer.widgets.layout import Hanging, Rows
from trainer.widgets.meters import delta_text, pad, score_line

if TYPE_CHECKING:
    from trainer.engine import Debrief, Item, Scenario, Score, Session
    from trainer.engine.debrief import Advice, TurnReview

MARKS = {"good": ("✔ ", "$text-success"), "bad": ("✖ ", "$text-error"), "neutral": ("· ", "")}
"""How a behaviour shown at a turn is marked (the symbol reads without colour)."""


class DebriefScreen(TrainerScreen):
    """The scored drill."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "retry", "Retry"),
        Binding("n", "next", "Next drill"),
        Binding("s", "tab('tab-scores')", "Scores", id="tab_scores"),
        Binding("p", "tab('tab-replay')", "Replay", id="tab_replay"),
        Binding("a", "tab('tab-advice')", "Advice", id="tab_advice"),
        Binding("escape", "back", "Back"),
        # The open tab scrolls without first focusing it; help shows one line for all six.
        Binding("pagedown", "scroll_pane('page_down')", "Scroll", id="scroll", show=False,
                key_display="PgUp/PgDn/↑/↓"),
        Binding("pageup", "scroll_pane('page_up')", id="scroll", show=False),
        Binding("down", "scroll_pane('down')", id="scroll", show=False),
        Binding("up", "scroll_pane('up')", id="scroll", show=False),
        Binding("home", "scroll_pane('home')", id="scroll", show=False),
        Binding("end", "scroll_pane('end')", id="scroll", show=False),
    ]

    def __init__(self, scenario: Scenario, session: Session, score: Score,
                 order: list[Scenario], *, typed: bool | None = None) -> None:
        super().__init__()
        self.scenario = scenario
        self.session = session
        self.score = score
        self.order = order
        self.typed = typed
        """The call's reply mode: a retry keeps it (None: the sitting's)."""
        self.review: Debrief | None = None
        self.mix: str | None = None
        """The trainee's outcome mix over their finished drills (read after the call)."""

    def compose(self) -> ComposeResult:
        tr, s = self.tr, self.score
        yield Static(tr("debrief.title", title=self.scenario.meta.title), classes="screen-title")
        if s.passed:
            verdict = Content.styled(
                f"✔ {tr('result.' + s.grade)}  {s.overall:.1f} / {s.pass_mark}",
                "bold $text-success")
        else:
            why = (tr("debrief.critical") if s.critical
                   else tr("debrief.unresolved") if not s.resolved
                   else tr("debrief.below_mark"))
            verdict = Content.styled(
                f"✖ {tr('result.fail')}  {s.overall:.1f} / {s.pass_mark}  ·  {why}",
                "bold $text-error")
        yield Static(verdict, id="verdict", classes="-pass" if s.passed else "-fail")
        with TabbedContent(id="debrief-tabs"):
            with TabPane(tr("debrief.scores"), id="tab-scores"), VerticalScroll():
                yield Static(self._scores(), id="scores", classes="section")
                yield Static(tr("debrief.violations"), classes="section-title")
                yield Static(self._violations(), id="violations", classes="section")
            with TabPane(tr("debrief.replay"), id="tab-replay"), VerticalScroll():
                yield Static(tr("debrief.computing"), id="replay", classes="section")
            with TabPane(tr("debrief.advice"), id="tab-advice"), VerticalScroll():
                yield Static(tr("debrief.computing"), id="advice", classes="section")
        yield FittingFooter()

    async def populate(self) -> None:
        if self.review is None:
            from trainer.engine import debrief

            # The better-option search can take a moment on a big drill: off the loop.
            self.review = await asyncio.to_thread(debrief, self.session)
        trainee = self.trainer.trainee
        if trainee is not None:
            from trainer.report import outcome_mix, render_mix

            attempts = await self.trainer.db_call("attempts", trainee.id) or []
            self.mix = render_mix(outcome_mix(attempts), self.tr)
        self.query_one("#replay", Static).update(self._replay())
        self.query_one("#advice", Static).update(self._advice())
        self.query_one("#scores", Static).update(self._scores())

    # -- content ------------------------------------------------------------------------

    def _scores(self) -> Content:
        tr, s = self.tr, self.score
        rows = [
            score_line(pad(tr("score.overall"), 14), s.overall, 20, s.pass_mark),
            score_line(pad(tr("score.compliance"), 14), s.compliance, 20),
            score_line(pad(tr("score.deescalation"), 14), s.deescalation, 20),
            score_line(pad(tr("score.outcome"), 14), s.outcome, 20),
            Content(""),
            Content.assemble((pad(tr("debrief.ending"), 14), "bold"), " ",
                             tr.label("outcome", s.ending), " · ",
                             (tr("debrief.resolved"), "$text-success") if s.resolved
                             else (tr("debrief.not_resolved"), "$text-warning")),
        ]
        if self.mix is not None:
            rows.append(Content.assemble((pad(tr("debrief.mix"), 14), "bold"), " ", self.mix))
        if self.review is not None:
            rows.append(Content.assemble((pad(tr("debrief.best_possible"), 14), "bold"),
                                         f" {self.review.best_possible:.1f}"))
        note = self.session.note
        rows.append(Content.assemble(
            (pad(tr("call.note"), 14), "bold"), " ",
            tr("debrief.no_note") if note is None else
            f"{tr.money(note.amount, self.scenario.brief.currency)} · {note.date} · {note.channel}",
        ))
        return Content("\n").join(rows)

    @property
    def say(self) -> Messages:
        """The engine's facts in the interface language."""
        return Messages(self.scenario, self.tr.language)

    def _violation(self, rule_id: str, severity: str, turn: int) -> list[Visual]:
        """A broken rule: id, severity and turn on one line; under it, indented, its title
        and citation (a long id leaves too little room beside it at 80 columns, and a
        title there would wrap back under the id)."""
        tr, say = self.tr, self.say
        style = "$text-error" if severity == "critical" else "$text-warning"
        label = Content.assemble(
            ("✖ ", style), (rule_id, "bold"), " ", (f"[{tr.label('severity', severity)}]", style),
            " ", tr("debrief.at_turn", turn=turn))
        return [label, Hanging("    ", Content.assemble(
            say.rule_title(rule_id), "\n", (say.citation(rule_id), "$text-muted")))]

    def _violations(self) -> Visual:
        rows = [row for v in self.score.violations if v.enabled
                for row in self._violation(v.rule_id, v.severity, v.turn)]
        return Rows(rows) if rows else Content.styled(
            "✔ " + self.tr("debrief.no_violations"), "$text-success")

    def _item(self, item: Item, indent: str) -> Hanging:
        """A score item: its points, then the engine's explanation (and a rule's citation)."""
        say, points = self.say, item.points
        style = "$text-success" if points > 0 else "$text-error" if points < 0 else "$text-muted"
        figure = "±0" if not points else f"{points:+.0f}" if points == round(points) else (
            f"{points:+.1f}")
        text = Content(say.item(item))
        rule = item.fact.get("rule")
        if rule is not None:
            text = Content.assemble(text, "\n", (say.citation(str(rule)), "$text-muted"))
        return Hanging(Content.styled(f"{indent}{figure:>5} ", style), text)

    def _turn(self, t: TurnReview) -> list[Visual | str]:
        tr, say = self.tr, self.say
        typed = t.action in ("say", "miss")
        words = self._words(t) if typed else {}
        said: Content | str = say.said(t.action, t.said)
        if typed:
            said = Content(t.said)
            for spans in words.values():
                for start, end in spans:
                    said = said.stylize("underline", start, end)
        rows: list[Visual | str] = [
            Content.styled(tr("debrief.turn", turn=t.turn), "bold"),
            Hanging(Content.styled("  " + tr.lead(tr("debrief.heard")), "$text-muted"), t.heard),
            Hanging(Content.styled("  " + tr.lead(tr("speaker.says", name=tr("speaker.you"))),
                                   "bold"), said),
        ]
        if typed:
            option = self.scenario.choice_by_id.get(t.option or "")
            rows.append(Hanging(
                Content.styled("    " + tr.lead(tr("debrief.read_as")), "$text-muted"),
                option.option.text if option is not None else tr("debrief.missed")))
        for tag in t.tags:
            mark, style = MARKS.get(tag.polarity, MARKS["neutral"])
            label = say.tag(tag.name)
            if words.get(tag.name):
                quoted_words = "”, “".join(t.said[a:b] for a, b in words[tag.name])
                label = f"{label}: “{quoted_words}”"
            rows.append(Hanging(Content.styled("    " + mark, style), label))
        moods = "  ".join(
            f"{tr.label('mood', name)} {t.mood_before.get(name, value)}→{value}"
            f"{delta_text(value - t.mood_before.get(name, value))}"
            for name, value in t.mood_after.items()
        )
        rows.append(Hanging(Content.styled("    " + tr.lead(tr("debrief.mood")), "$text-muted"),
                            moods))
        rows += [self._item(item, "   ") for item in t.items]
        if t.best is not None:
            rows.append(Hanging(
                Content.styled("    ➜ " + tr.lead(tr("debrief.better")), "bold $text-success"),
                Content.assemble(say.said(t.best.action, t.best.text), "\n", (
                    tr("debrief.reach", best=t.best.value, yours=t.chosen_value),
                    "$text-muted")),
            ))
        elif typed and t.option is not None:
            rows.append(Hanging(
                Content.styled("    ➜ " + tr.lead(tr("debrief.better")), "bold $text-success"),
                tr("debrief.best_matched")))
        return rows

    def _words(self, t: TurnReview) -> dict[str, tuple[tuple[int, int], ...]]:
        """Tag -> the spans of the trainee's typed words that carry it (for underlining);
        the analysis is deterministic, so these are the words scored during the call."""
        from trainer.engine import analyse

        shown = {tag.name for tag in t.tags}
        analysis = analyse(t.said, self.scenario.meta.language)
        return {f.tag: f.spans for f in analysis.findings if f.tag in shown}

    def _replay(self) -> Visual:
        if self.review is None:
            return Content(self.tr("debrief.computing"))
        if not self.review.turns:
            return Content(self.tr("debrief.no_turns"))
        rows: list[Visual | str] = []
        for t in self.review.turns:
            rows += [*self._turn(t), ""]
        if self.review.call_items:
            rows.append(Content.styled(self.tr("debrief.whole_call"), "bold"))
            rows += [self._item(item, "") for item in self.review.call_items]
        return Rows(rows)

    def _advice_text(self, advice: Advice) -> Content:
        say = self.say
        subject, _, name = advice.source.partition(":")
        if subject == "tag":
            return Content(say.tag(name))
        return Content.assemble((name, "bold"), " ", say.rule_title(name), "\n",
                                (say.citation(name), "$text-muted"))

    def _advice(self) -> Visual:
        if self.review is None:
            return Content(self.tr("debrief.computing"))
        rows: list[Visual | str] = []
        for kind, mark, style in (("start", "+", "$text-success"), ("stop", "✖", "$text-error"),
                                  ("continue", "✔", "$text-primary")):
            entries = self.review.advice_of(kind)
            rows.append(Content.styled(self.tr(f"advice.{kind}"), f"bold {style}"))
            rows += [Hanging(Content.styled(f"  {mark} ", style), self._advice_text(a))
                     for a in entries] or ["  —"]
            rows.append("")
        if self.review.truncated:
            rows.append(Content.styled(self.tr("debrief.truncated"), "$text-muted"))
        return Rows(rows)

    # -- navigation -----------------------------------------------------------------------

    def action_tab(self, tab: str) -> None:
        self.query_one("#debrief-tabs", TabbedContent).active = tab

    def action_scroll_pane(self, how: str) -> None:
        """Scroll the open tab (``page_down``, ``up``, ``home``...), whatever has focus."""
        pane = self.query_one("#debrief-tabs", TabbedContent).active_pane
        if pane is not None:
            getattr(pane.query_one(VerticalScroll), f"scroll_{how}")(animate=False)

    async def action_retry(self) -> None:
        from trainer.screens.drill import start_drill

        await start_drill(self.trainer, self.scenario, self.order, typed=self.typed)

    async def action_next(self) -> None:
        from trainer.screens.brief import BriefScreen

        keys = [s.key for s in self.order]
        index = keys.index(self.scenario.key) if self.scenario.key in keys else -1
        if 0 <= index < len(self.order) - 1:
            self.app.switch_screen(BriefScreen(self.order[index + 1], self.order))
        else:
            self.notify(self.tr("debrief.last"), timeout=4)
            self.app.pop_screen()

    def action_back(self) -> None:
        self.app.pop_screen()
