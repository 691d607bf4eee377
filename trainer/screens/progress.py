"""Progress: a trainee's attempts over time, proficiency per skill, certification.

Certification is the gate a training lead uses before a new collector takes live calls:
a pass on every core debtor type, and no critical violation in the latest drill of each
(:mod:`trainer.report` has the exact rules). Proficiency is recency-weighted, so the
screen shows where the trainee is now, not the average of their first week.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from trainer.report import (
    CORE_DEBTOR_TYPES,
    FreeReplyRule,
    certification,
    outcome_mix,
    proficiency,
    render_mix,
)
from trainer.screens.base import TrainerScreen
from trainer.storage import Attempt
from trainer.widgets.footer import FittingFooter
from trainer.widgets.meters import bar, level_style, pad, trend, truncate


class ProgressScreen(TrainerScreen):
    """The signed-in trainee's record."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

    def compose(self) -> ComposeResult:
        tr = self.tr
        trainee = self.trainer.trainee
        yield Static(tr("progress.title", name=trainee.display_name if trainee else ""),
                     classes="screen-title")
        with VerticalScroll(id="progress-body"):
            yield Static(tr("progress.certification"), classes="section-title")
            yield Static("", id="certification", classes="section")
            yield Static(tr("progress.mix"), classes="section-title")
            yield Static("", id="mix", classes="section")
            yield Static(tr("progress.skills"), classes="section-title")
            yield Static("", id="skills", classes="section")
            yield Static(tr("progress.attempts"), classes="section-title")
            yield Static("", id="trend", classes="section")
            yield DataTable(id="attempts", cursor_type="row", zebra_stripes=True)
        yield FittingFooter()

    async def populate(self) -> None:
        trainee = self.trainer.trainee
        if trainee is None:
            return
        attempts: list[Attempt] = await self.trainer.db_call("attempts", trainee.id) or []
        evidence = await self.trainer.db_call("skill_evidence", trainee.id) or []
        rule = FreeReplyRule(await self.trainer.db_call("typed_required") or frozenset(),
                             await self.trainer.db_call("typed_sessions") or frozenset())
        self._certification(attempts, rule)
        self.query_one("#mix", Static).update(render_mix(outcome_mix(attempts), self.tr))
        self._skills(evidence)
        self._attempts(attempts)

    def _certification(self, attempts: list[Attempt], rule: FreeReplyRule) -> None:
        tr = self.tr
        cert = certification(attempts, CORE_DEBTOR_TYPES, rule)
        head = (
            Content.styled("✔ " + tr("progress.certified"), "bold $text-success")
            if cert.certified else
            Content.styled("○ " + tr("progress.not_certified", done=cert.done,
                                     total=len(cert.per_type)), "bold $text-warning")
        )
        marks = [
            Content.assemble(self._mark(ok, kind in cert.tried),
                             pad(tr.label("debtor_type", kind), 18))
            for kind, ok in cert.per_type.items()
        ]
        per_row = max(1, (self.size.width - 6) // 20)
        rows = [Content("").join(marks[i:i + per_row]) for i in range(0, len(marks), per_row)]
        legend = Content.assemble(
            self._mark(True, True), (tr("progress.mark_certified"), "$text-muted"), "   ",
            self._mark(False, True), (tr("progress.mark_failed"), "$text-muted"), "   ",
            self._mark(False, False), (tr("progress.mark_untried"), "$text-muted"),
        )
        self.query_one("#certification", Static).update(
            Content("\n").join([head, *rows, legend])
        )

    @staticmethod
    def _mark(certified: bool, tried: bool) -> tuple[str, str]:
        """✔ certified, ✖ tried and not (yet) certified, · never tried: failing a type and
        not having tried it call for different next steps."""
        if certified:
            return ("✔ ", "$text-success")
        return ("✖ ", "$text-error") if tried else ("· ", "$text-muted")

    def _skills(self, evidence: list[tuple[int, str, int, int]]) -> None:
        tr = self.tr
        lines = []
        for level in proficiency(evidence).values():
            label = pad(tr.label("skill", level.skill), 12)
            if level.score is None:
                lines.append(Content.assemble((label, "bold"), " ", bar(0, 16), "   —  ",
                                              (tr("progress.no_evidence"), "$text-muted")))
                continue
            style = level_style(level.score, high_is_bad=False)
            lines.append(Content.assemble(
                (label, "bold"), " ", (bar(level.score, 16), style),
                f" {level.score:>5.1f}  ", (tr.label("tier", level.tier or ""), style),
            ))
        self.query_one("#skills", Static).update(Content("\n").join(lines))

    def _attempts(self, attempts: list[Attempt]) -> None:
        tr = self.tr
        self.query_one("#trend", Static).update(
            trend([(a.overall, a.passed) for a in attempts], self.size.width - 8)
            if attempts else tr("progress.none"))
        table: DataTable[Any] = self.query_one("#attempts", DataTable)
        table.clear(columns=True)
        for key in ("when", "score", "result", "debtor_type", "title"):
            table.add_column(tr(f"col.{key}"), key=key)
        for a in reversed(attempts):
            verdict = (Text("✔ " + tr("result.pass"), "green") if a.passed
                       else Text("✖ " + tr("result.fail"), "red"))
            when = datetime.fromisoformat(a.finished_at).astimezone()
            table.add_row(when.strftime("%m-%d %H:%M"), f"{a.overall:.0f}", verdict,
                          tr.label("debtor_type", a.scenario.debtor_type),
                          truncate(a.scenario.title, 48))

    def action_back(self) -> None:
        self.app.pop_screen()
