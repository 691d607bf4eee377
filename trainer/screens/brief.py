"""The brief: everything a collector should read before dialling.

Account facts, the contact history, the debtor's local time, the goals and the rules in
play. Reading them is part of the drill: the local time decides whether a call is lawful
at all (22:00-08:00 in China under the 2026 CBA guideline, 08:00-21:00 in the US under
Regulation F), and the contact history decides whether one more attempt is harassment.
The brief states the facts and leaves the judgement to the trainee.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from trainer.messages import Messages
from trainer.screens.base import TrainerScreen
from trainer.widgets.footer import FittingFooter
from trainer.widgets.layout import Hanging, Rows
from trainer.widgets.meters import truncate

if TYPE_CHECKING:
    from trainer.engine import Scenario


class BriefScreen(TrainerScreen):
    """The pre-call brief of one scenario."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Start call"),
        Binding("t", "toggle_timer", "Timer"),
        Binding("r", "toggle_reply", "Replies"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, scenario: Scenario, order: list[Scenario] | None = None) -> None:
        super().__init__()
        self.scenario = scenario
        self.order = order or [scenario]
        self.typed = False
        """This call's reply mode: the sitting's, typed where the manager requires it for
        certification; ``r`` changes it for this drill only."""
        self.required = False
        """A manager requires typed replies on this drill for certification."""
        self._mode_chosen = False

    async def populate(self) -> None:
        if not self._mode_chosen:  # once: a language switch re-populates, keeping the choice
            self._mode_chosen = True
            self.required = self.scenario.id in (await self.trainer.db_call("typed_required")
                                                 or frozenset())
            self.typed = self.trainer.free_reply or self.required
        self.query_one("#brief-status", Static).update(self._timer_text())

    def compose(self) -> ComposeResult:
        tr, s = self.tr, self.scenario
        b, meta = s.brief, s.meta
        facts = "  " + " · ".join([tr.label("debtor_type", meta.debtor_type),
                                   tr.label("difficulty", meta.difficulty), meta.language,
                                   meta.rule_pack.upper(),
                                   tr("brief.pass_mark", mark=s.pass_mark)])
        # One line even at 80 columns: the title gives way, the facts never do.
        width = self.app.size.width or 80
        title = truncate(meta.title, max(12, width - cell_len(facts) - 2))
        yield Static(Content.assemble((title, "bold"), (facts, "$text-muted")),
                     classes="screen-title")
        with VerticalScroll(id="brief-body"):
            with Horizontal(id="brief-top"):
                with Vertical(classes="card"):
                    yield Static(tr("brief.account"), classes="card-title")
                    rows = [
                        (tr("brief.debtor"), b.debtor_name),
                        (tr("brief.creditor"), b.creditor),
                        (tr("brief.product"), b.product),
                        (tr("brief.balance"), tr.money(b.balance, b.currency)),
                    ]
                    if b.minimum_due is not None:
                        rows.append((tr("brief.minimum_due"), tr.money(b.minimum_due, b.currency)))
                    rows.append((tr("brief.dpd"), tr("brief.days", days=b.dpd)))
                    yield Static(Content("\n").join(
                        Content.assemble((f"{label}: ", "bold"), value) for label, value in rows
                    ))
                with Vertical(classes="card", id="local-time"):
                    yield Static(tr("brief.local_time"), classes="card-title")
                    yield Static(Content.assemble(
                        (b.local_time.strftime("%H:%M"), "bold"), "\n",
                        tr(f"weekday.{b.local_time.weekday()}"), " ",
                        b.local_time.strftime("%Y-%m-%d"), "\n", (b.timezone, "$text-muted"),
                    ), id="clock")
            yield from self._section("brief.persona", [s.persona.description])
            yield from self._section("brief.facts", b.facts)
            yield Static(tr("brief.history"), classes="section-title")
            if b.contact_history:
                yield Static(Content("\n").join(
                    Content.assemble(
                        (e.when.strftime("%m-%d %H:%M"), "bold"), "  ",
                        f"{tr.label('channel', e.channel):<6}", "  ", e.outcome,
                    )
                    for e in b.contact_history
                ), classes="section")
            else:
                yield Static(tr("brief.no_history"), classes="section")
            yield from self._section("brief.goals", b.goals)
            yield Static(tr("brief.rules"), classes="section-title")
            rules = self._rule_lines()
            yield Static(Rows(rules) if rules else tr("brief.no_rules"), id="brief-rules",
                         classes="section")
        yield Static(self._timer_text(), id="brief-status", classes="status")
        yield FittingFooter()

    def _section(self, title_key: str, items: tuple[str, ...] | list[str]) -> ComposeResult:
        if items:
            yield Static(self.tr(title_key), classes="section-title")
            yield Static(Rows(Hanging("• ", item) for item in items), classes="section")

    def _rule_lines(self) -> list[Hanging]:
        """Id, severity, then the title; a title too long for the line (they run to 105
        cells) wraps under its own first word, not back under the id."""
        lines = []
        say = Messages(self.scenario, self.tr.language)
        rules = {rule.id: rule for rule in self.scenario.pack.rules}
        for rule_id in self.scenario.brief.rules_in_play:
            severity = rules[rule_id].severity if rule_id in rules else ""
            title = say.rule_title(rule_id)
            style = "$text-error" if severity == "critical" else "$text-warning"
            lines.append(Hanging(Content.assemble(
                (f"{rule_id:<18}", "bold"),
                (f"[{self.tr.label('severity', severity)}] ", style) if severity else "",
            ), title))
        return lines

    def _timer_text(self) -> str:
        """The status line: timer, this call's reply mode, how to start."""
        tr = self.tr
        timer = self.trainer.timer_seconds
        text = tr("timer.on", seconds=timer) if timer else tr("timer.off")
        mode = tr("reply.mode_typed" if self.typed else "reply.mode_options")
        if self.required:
            mode += " " + tr("reply.required_mark")
        return f"{text}  ·  {mode}  ·  {tr('brief.start_hint')}"

    def action_toggle_timer(self) -> None:
        self.trainer.action_toggle_timer()
        self.query_one("#brief-status", Static).update(self._timer_text())

    def action_toggle_reply(self) -> None:
        """Type or choose, for this drill only (the sitting's mode stays as it is)."""
        self.typed = not self.typed
        self.query_one("#brief-status", Static).update(self._timer_text())
        if self.required and not self.typed:
            self.notify(self.tr("reply.required_warning"), severity="warning", timeout=6)

    async def action_start(self) -> None:
        from trainer.screens.drill import start_drill

        await start_drill(self.trainer, self.scenario, self.order, typed=self.typed)

    def action_back(self) -> None:
        self.app.pop_screen()
