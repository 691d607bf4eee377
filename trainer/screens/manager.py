"""The manager's report: per trainee and per rule, and who needs coaching.

The same figures as ``recoverylab-train report`` (both call :func:`trainer.report.build_report`),
shown as three tabs and exportable as CSV and Markdown from here with ``x``. ``d`` chooses
the date range (like ``--from``/``--to``), so the trend reads over a month or since the
last coaching session. The fourth tab lists the drills; ``f`` requires typed replies on
the highlighted one for certification (see :class:`trainer.report.FreeReplyRule`).
"""

from __future__ import annotations

import asyncio
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from trainer.report import (
    ManagerReport,
    Period,
    build_report,
    reason_text,
    render_mix,
    write_report,
)
from trainer.screens.base import TrainerScreen
from trainer.storage import StorageError
from trainer.widgets.footer import FittingFooter
from trainer.widgets.layout import Hanging


class ManagerScreen(TrainerScreen):
    """Team results from the whole database."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "export", "Export"),
        Binding("d", "period", "Period"),
        Binding("f", "require_typed", "Typed required"),
        Binding("r", "reload", "Reload"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, manager_id: str | None = None) -> None:
        super().__init__()
        self.manager_id = manager_id
        """The manager signed in here (who sets what certification requires)."""
        self.report: ManagerReport | None = None
        self.period = Period()
        """The date range shown (open at both ends: every finished drill)."""
        self.drills: list[tuple[str, str]] = []
        """(drill id, title) of the library, for the free-reply requirement."""
        self.typed_required: frozenset[str] = frozenset()

    def compose(self) -> ComposeResult:
        tr = self.tr
        yield Static(tr("manager.title"), id="manager-title", classes="screen-title")
        yield Static(tr("picker.loading"), id="manager-summary", classes="status")
        with TabbedContent(id="manager-tabs"):
            with TabPane(tr("report.trainees"), id="tab-trainees"):
                yield DataTable(id="trainee-table", cursor_type="row", zebra_stripes=True)
            with TabPane(tr("report.rules"), id="tab-rules"):
                yield DataTable(id="rule-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="rule-detail")
            with TabPane(tr("report.coaching"), id="tab-coaching"):
                yield Static("", id="coaching", classes="section")
            with TabPane(tr("report.free_reply"), id="tab-typed"):
                yield Static(tr("manager.typed_hint"), classes="status")
                yield DataTable(id="typed-table", cursor_type="row", zebra_stripes=True)
        yield FittingFooter()

    async def populate(self) -> None:
        storage = self.trainer.db.storage
        # Aggregation reads the whole database: off the event loop, in the db queue.
        try:
            self.report = await self.trainer.db.call_fn(
                partial(build_report, storage, period=self.period))
        except StorageError as exc:
            self.notify(exc.render(), title=self.tr("error.storage"), severity="error")
            return
        self._show()
        mine = "zh" if self.tr.language.startswith("zh") else "en"
        # The title in the reader's language where the drill has one (the last one wins).
        titles = {s.id: s.meta.title for s in sorted(await self.trainer.library(),
                                                     key=lambda s: s.language.startswith(mine))}
        self.drills = sorted(titles.items())
        self.typed_required = await self.trainer.db_call("typed_required") or frozenset()
        self._show_typed()

    def _show_typed(self) -> None:
        """Every drill of the library, and whether only typed passes certify on it."""
        table: DataTable[Any] = self.query_one("#typed-table", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        for key in ("typed_required", "title"):
            table.add_column(self.tr(f"col.{key}"), key=key)
        for drill_id, title in self.drills:
            table.add_row(Text("✎ ✔", "bold") if drill_id in self.typed_required else "—",
                          f"{drill_id}  ·  {title}", key=drill_id)
        if 0 <= row < len(self.drills):
            table.move_cursor(row=row)

    async def action_require_typed(self) -> None:
        """Require typed replies on the highlighted drill for certification, or stop.
        From another tab the first press only opens the drill list."""
        table: DataTable[Any] = self.query_one("#typed-table", DataTable)
        tabs = self.query_one(TabbedContent)
        if tabs.active != "tab-typed":
            tabs.active = "tab-typed"
            table.focus()
            return
        if not self.drills or self.manager_id is None:
            return
        drill_id = self.drills[table.cursor_row][0]
        required = drill_id not in self.typed_required
        await self.trainer.db_call("set_typed_required", drill_id, required, self.manager_id)
        self.typed_required = await self.trainer.db_call("typed_required") or frozenset()
        self._show_typed()
        self.notify(self.tr("manager.typed_on" if required else "manager.typed_off",
                            drill=drill_id), timeout=6)
        await self.populate()  # certification counts change with it

    def _show(self) -> None:
        tr, report = self.tr, self.report
        if report is None:
            return
        pct = "{:.0%}".format
        self.query_one("#manager-summary", Static).update(tr(
            "manager.summary", attempts=report.attempts, trainees=len(report.trainees),
            rate=pct(report.pass_rate), coaching=len(report.coaching)))
        # The period heads the screen: the summary line below is one line at 80 columns.
        self.query_one("#manager-title", Static).update(
            f"{tr('manager.title')}  ·  {self.period.render(tr)}")
        people: DataTable[Any] = self.query_one("#trainee-table", DataTable)
        people.clear(columns=True)
        for key in ("trainee", "attempts", "pass_rate", "best", "criticals", "flags",
                    "think", "top_violations", "certified", "typed", "mix"):
            people.add_column(tr(f"col.{key}"), key=key)
        for r in report.trainees:
            name = Text.assemble(("⚑ ", "yellow") if r.coaching else "  ", r.name)
            people.add_row(
                name, str(r.attempts), pct(r.pass_rate), f"{r.best:.0f}",
                Text(str(r.criticals), "red") if r.criticals else "0",
                Text(", ".join(tr(f"flag.{f}") for f in r.flags), "bold red") if r.flags
                else "—",
                "—" if r.median_think_s is None else f"{r.median_think_s:.1f}",
                ", ".join(f"{rule}×{n}" for rule, n in r.top_violations) or "—",
                f"{r.certified_types}/{len(report.core_types)}",
                tr("report.typed", attempts=r.typed_attempts, passes=r.typed_passes),
                render_mix(dict(r.mix), tr),
            )
        rules: DataTable[Any] = self.query_one("#rule-table", DataTable)
        rules.clear(columns=True)
        for key in ("rule", "severity", "breaches", "pass_rate", "trainees", "rule_title"):
            rules.add_column(tr(f"col.{key}"), key=key)
        for rule in report.rules:
            style = "red" if rule.severity == "critical" else "yellow"
            rules.add_row(rule.rule_id, Text(tr.label("severity", rule.severity), style),
                          str(rule.breaches), pct(rule.pass_rate), str(rule.trainees),
                          rule.title_in(tr.language), key=rule.rule_id)
        self._detail(report.rules[0].rule_id if report.rules else None)
        coaching = [
            Content.assemble(("⚑ ", "$text-warning"), (r.name, "bold"), "\n    ",
                             "; ".join(reason_text(c, tr) for c in r.coaching))
            for r in report.coaching
        ]
        self.query_one("#coaching", Static).update(
            Content("\n").join(coaching) if coaching else tr("report.no_coaching"))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "rule-table":
            self._detail(event.row_key.value)

    def _detail(self, rule_id: str | None) -> None:
        """The highlighted rule in full: the table cuts long titles and has no citation."""
        rule = next((r for r in self.report.rules if r.rule_id == rule_id), None) \
            if self.report else None
        self.query_one("#rule-detail", Static).update(
            Hanging(Content.assemble((rule.rule_id, "bold"), "  "), Content.assemble(
                rule.title_in(self.tr.language), "\n", (rule.citation, "$text-muted")))
            if rule else self.tr("report.no_violations"))

    async def action_reload(self) -> None:
        await self.populate()

    def action_period(self) -> None:
        from trainer.screens.dialogs import PeriodDialog

        async def chosen(period: Period | None) -> None:
            if period is not None:
                self.period = period
                await self.populate()

        self.app.push_screen(PeriodDialog(self.period.since, self.period.until),
                             callback=chosen)

    def action_export(self) -> None:
        from trainer.screens.dialogs import ExportDialog

        default = Path.home() / "recoverylab-reports" / date.today().isoformat()

        async def chosen(folder: Path | None) -> None:
            if folder is None or self.report is None:
                return
            try:
                files = await asyncio.to_thread(write_report, self.report, folder, self.tr)
            except OSError as exc:
                self.notify(self.tr("export.failed", folder=str(folder), reason=exc.strerror),
                            severity="error", timeout=10)
                return
            self.notify(self.tr("export.done", count=len(files), folder=str(folder)), timeout=8)

        self.app.push_screen(ExportDialog(default), callback=chosen)

    def action_back(self) -> None:
        self.app.pop_screen()
