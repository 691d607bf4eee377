"""Scenario picker: choose the next drill, filtered, with the trainee's record on each.

A trainee works through the library by debtor type and difficulty; a manager may ask for
one jurisdiction's drills (rule pack) or one language. The table shows the best score and
the number of attempts next to every drill, so the gaps (never tried, never passed) are
visible at a glance, as on the commercial trainers' assignment lists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Select, Static

from trainer.screens.base import TrainerScreen
from trainer.widgets.footer import FittingFooter
from trainer.widgets.meters import truncate

if TYPE_CHECKING:
    from trainer.engine import Scenario
    from trainer.storage import BestScore

FILTERS = ("debtor_type", "difficulty", "language", "rule_pack")
TYPED_MARK = "✎ "
"""Before the title of a drill that certifies only typed replies (one cell wide)."""
DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}


def facet(scenario: Scenario, name: str) -> str:
    """The value of one filter facet for a scenario."""
    return str(getattr(scenario.meta, name))


class PickerScreen(TrainerScreen):
    """The library as a filterable table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open brief", show=True),
        Binding("f", "filters", "Filters"),
        Binding("c", "clear_filters", "Clear filters", show=False),
        Binding("p", "app.progress", "Progress"),
        Binding("m", "app.manager", "Manager"),
        Binding("t", "app.toggle_timer", "Timer"),
        Binding("r", "app.toggle_free_reply", "Replies"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, *, offer_resume: bool = False) -> None:
        super().__init__()
        self.offer_resume = offer_resume
        self.filters: dict[str, str | None] = dict.fromkeys(FILTERS)
        self.scenarios: list[Scenario] = []
        self.shown: list[Scenario] = []
        self.best: dict[tuple[str, str], BestScore] = {}
        self.typed_required: frozenset[str] = frozenset()
        """Drill ids a manager certifies only with typed replies (marked ✎)."""
        self.opened: tuple[str, str] | None = None
        """The drill last opened from this list, to put the cursor back on it."""

    def compose(self) -> ComposeResult:
        yield Static("", id="picker-head", classes="screen-title")
        with Horizontal(id="filters"):
            for name in FILTERS:
                yield Select[str]([], prompt=self.tr(f"filter.{name}"), id=f"filter-{name}",
                                  allow_blank=True, compact=True)
        yield DataTable(id="scenarios", cursor_type="row", zebra_stripes=True)
        yield Static("", id="picker-status", classes="status")
        yield FittingFooter()

    async def populate(self) -> None:
        app = self.trainer
        self.query_one("#picker-status", Static).update(self.tr("picker.loading"))
        self.scenarios = await app.library()
        if app.trainee is not None:
            self.best = await app.db_call("best_scores", app.trainee.id) or {}
        self.typed_required = await app.db_call("typed_required") or frozenset()
        self._head()
        for name in FILTERS:
            values = sorted({facet(s, name) for s in self.scenarios},
                            key=lambda v: (DIFFICULTY_ORDER.get(v, 9), v))
            select = self.query_one(f"#filter-{name}", Select)
            with select.prevent(Select.Changed):
                select.set_options([(self._facet_label(name, v), v) for v in values])
                select.value = self.filters[name] if self.filters[name] in values else Select.NULL
        self._fill()
        self.query_one("#scenarios", DataTable).focus()
        if self.offer_resume:
            self.offer_resume = False
            from trainer.screens.drill import offer_resume

            await offer_resume(app)

    def _facet_label(self, name: str, value: str) -> str:
        return self.tr.label({"rule_pack": "pack"}.get(name, name), value)

    def _head(self) -> None:
        trainee = self.trainer.trainee
        who = trainee.display_name if trainee else ""
        self.query_one("#picker-head", Static).update(self.tr("picker.title", name=who))

    def _fill(self) -> None:
        tr = self.tr
        table: DataTable[Any] = self.query_one("#scenarios", DataTable)
        # Refilling (back from a drill, a resize, new scores) keeps the cursor on the drill
        # the trainee was on, rather than jumping to the top of the list.
        keep = self.opened or (
            self.shown[table.cursor_row].key if 0 <= table.cursor_row < len(self.shown) else None
        )
        self.opened = None
        table.clear(columns=True)
        # Fixed widths for the short columns; the title takes what is left of the screen.
        widths = {"debtor_type": 16 if self.size.width >= 100 else 12, "difficulty": 6,
                  "language": 9, "best": 5, "attempts": 5}
        title_width = max(16, self.size.width - sum(widths.values()) - 2 * 6 - 3)
        table.add_column(tr("col.title"), key="title", width=title_width)
        for key, width in widths.items():
            table.add_column(tr(f"col.{key}"), key=key, width=width)
        self.shown = [
            s for s in self.scenarios
            if all(v is None or facet(s, k) == v for k, v in self.filters.items())
        ]
        mine = "zh" if tr.language.startswith("zh") else "en"
        self.shown.sort(key=lambda s: (DIFFICULTY_ORDER[s.meta.difficulty], s.meta.debtor_type,
                                       s.id, not s.language.startswith(mine), s.language))
        for s in self.shown:
            record = self.best.get(s.key)
            if record is None:
                best = Text("—", style="dim")
            elif record.passed:
                best = Text(f"{record.best:.0f} ✔", style="green")
            else:
                best = Text(f"{record.best:.0f} ✖", style="red")
            mark = TYPED_MARK if s.id in self.typed_required else ""
            table.add_row(
                mark + truncate(s.meta.title, title_width - len(mark)),
                truncate(tr.label("debtor_type", s.meta.debtor_type), widths["debtor_type"]),
                tr.label("difficulty", s.meta.difficulty),
                f"{s.language} {s.meta.rule_pack.upper()}", best,
                str(record.attempts if record else 0),
                key="|".join(s.key),
            )
        keys = [s.key for s in self.shown]
        if keep in keys:
            table.move_cursor(row=keys.index(keep), scroll=True)
        self.show_modes()

    def show_modes(self) -> None:
        """The status line: drills shown, and the sitting's timer and reply mode."""
        tr = self.tr
        status = tr("picker.count", shown=len(self.shown), total=len(self.scenarios))
        timer = self.trainer.timer_seconds
        status += "  ·  " + (tr("timer.on", seconds=timer) if timer else tr("timer.off"))
        status += "  ·  " + tr("reply.mode_typed" if self.trainer.free_reply
                               else "reply.mode_options")
        if any(s.id in self.typed_required for s in self.shown):
            status += "  ·  " + tr("picker.typed_legend")
        self.query_one("#picker-status", Static).update(status)

    def on_resize(self) -> None:
        if self.scenarios:
            self._fill()

    def on_select_changed(self, event: Select.Changed) -> None:
        name = (event.select.id or "").removeprefix("filter-")
        if name in self.filters:
            self.filters[name] = None if event.value is Select.NULL else str(event.value)
            self._fill()

    def action_filters(self) -> None:
        self.query_one("#filter-debtor_type", Select).focus()

    def action_clear_filters(self) -> None:
        self.filters = dict.fromkeys(FILTERS)
        for name in FILTERS:
            select = self.query_one(f"#filter-{name}", Select)
            with select.prevent(Select.Changed):
                select.clear()
        self._fill()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.cursor_row)

    def action_open(self) -> None:
        self._open(self.query_one("#scenarios", DataTable).cursor_row)

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.shown):
            from trainer.screens.brief import BriefScreen

            self.opened = self.shown[row].key
            self.app.push_screen(BriefScreen(self.shown[row], list(self.shown)))

    def on_screen_resume(self) -> None:
        # Back from a drill: scores may have changed.
        self.run_worker(self._refresh_scores(), exclusive=True, group="picker")

    async def _refresh_scores(self) -> None:
        if self.trainer.trainee is not None and self.scenarios:
            self.best = await self.trainer.db_call("best_scores", self.trainer.trainee.id) or {}
            self.typed_required = await self.trainer.db_call("typed_required") or frozenset()
            self._fill()
