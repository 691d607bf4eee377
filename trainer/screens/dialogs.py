"""Small dialogs: resume a drill, confirm an irreversible action, the call note, export.

The call note is where the collector writes down the promise (amount, date, channel),
as the source deck asks; the score compares it with what was actually agreed. Dates
may be typed as ``+3d`` (three days after the call), which is how collectors think of
"Friday", and are stored as ISO dates.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Static

from trainer.messages import quoted
from trainer.screens.base import TrainerModal
from trainer.storage import ActiveSession
from trainer.widgets.meters import truncate


class ResumeDialog(TrainerModal):
    """An unfinished drill was found: resume it, discard it, or decide later.

    A drill another window is playing cannot simply be resumed (both would write one
    turn log): it can be taken over, or watched read-only.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('resume')", "Resume", id="resume"),
        Binding("d", "choose('discard')", "Discard", id="discard"),
        Binding("t", "choose('takeover')", "Take over", id="takeover"),
        Binding("v", "choose('view')", "Watch", id="view"),
        Binding("escape", "choose('later')", "Later", id="later"),
    ]
    HELD_CHOICES = ("takeover", "view", "later")
    FREE_CHOICES = ("resume", "discard", "later")

    def __init__(self, record: ActiveSession) -> None:
        super().__init__()
        self.record = record

    def compose(self) -> ComposeResult:
        tr, r = self.tr, self.record
        with Vertical(classes="dialog"):
            yield Static(tr("resume.title"), classes="dialog-title")
            when = datetime.fromisoformat(r.updated_at).astimezone()  # stored in UTC
            body = "resume.held" if r.held_elsewhere else "resume.body"
            yield Static(tr(body, title=quoted(r.scenario.title), turns=r.turns,
                            when=when.strftime("%Y-%m-%d %H:%M")))
            variants = {"resume": "primary", "takeover": "warning", "view": "primary",
                        "discard": "error", "later": "default"}
            with Horizontal(classes="dialog-buttons"):
                for choice in self._choices():
                    yield Button(tr(f"resume.{choice}"), variant=variants[choice],  # type: ignore[arg-type]
                                 id=choice, compact=True)

    def _choices(self) -> tuple[str, ...]:
        return self.HELD_CHOICES if self.record.held_elsewhere else self.FREE_CHOICES

    async def populate(self) -> None:
        self.query_one(f"#{self._choices()[0]}", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "choose" or parameters[0] in self._choices()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


class ConfirmDialog(TrainerModal):
    """Yes or no before an action that ends the call."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="yes"),
        Binding("n,escape", "answer(False)", "No", id="no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.tr("confirm.yes"), variant="warning", id="yes", compact=True)
                yield Button(self.tr("confirm.no"), variant="primary", id="no", compact=True)

    async def populate(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def parse_note_date(text: str, call_date: date) -> str:
    """``2026-03-15`` or ``+3d`` (days after the call) -> ISO date; ValueError otherwise."""
    text = text.strip()
    if text.startswith("+") and text.endswith("d") and text[1:-1].isdigit():
        return (call_date + timedelta(days=int(text[1:-1]))).isoformat()
    return date.fromisoformat(text).isoformat()


class FormDialog(TrainerModal):
    """A dialog of input fields with a confirm and a cancel button.

    Enter moves to the next field and confirms on the last; the confirm button confirms;
    Escape and the cancel button dismiss with None. A subclass lists its fields in
    :attr:`FIELDS` and says what confirming means in :meth:`confirm`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    FIELDS: ClassVar[tuple[str, ...]] = ()
    """The ids of the inputs, in the order Enter walks them."""

    async def populate(self) -> None:
        self.query_one(f"#{self.FIELDS[0]}", Input).focus()

    def value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        index = self.FIELDS.index(event.input.id or self.FIELDS[0])
        if index + 1 < len(self.FIELDS):
            self.query_one(f"#{self.FIELDS[index + 1]}", Input).focus()
        else:
            self.confirm()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.confirm()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def confirm(self) -> None:
        raise NotImplementedError

    def buttons(self, confirm: str) -> ComposeResult:
        """The confirm and cancel buttons, in the dialog's button row."""
        with Horizontal(classes="dialog-buttons"):
            yield Button(confirm, variant="primary", id="confirm", compact=True)
            yield Button(self.tr("notes.cancel"), id="cancel", compact=True)

    def show_error(self, text: str) -> None:
        error = self.query_one(".error", Static)
        error.update(text)
        error.display = True


class NotesDialog(FormDialog):
    """Record the promise: amount, date and channel. Returns the three, or None.

    The channel field suggests the jurisdiction's common payment channels (the same for
    every drill of that currency), never the drill's own wording, which would give the
    answer away.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *FormDialog.BINDINGS,  # listed again so the help shows Escape with the note keys
        Binding("ctrl+s", "save", "Save note"),
    ]
    FIELDS = ("note-amount", "note-date", "note-channel")

    def __init__(
        self, call_date: date, currency: str, current: tuple[float, str, str] | None = None,
    ) -> None:
        super().__init__()
        self.call_date = call_date
        self.currency = currency
        self.current = current

    def compose(self) -> ComposeResult:
        from trainer.engine.channels import suggestions

        tr = self.tr
        amount, when, channel = self.current or ("", "", "")
        channels = suggestions(self.currency)
        with Vertical(classes="dialog", id="notes-dialog"):
            yield Static(tr("notes.title"), classes="dialog-title")
            yield Label(tr("notes.amount", currency=self.currency))
            yield Input(str(amount), type="number", id="note-amount")
            yield Label(tr("notes.date", today=self.call_date.isoformat()))
            yield Input(when, placeholder="YYYY-MM-DD / +3d", id="note-date")
            yield Label(tr("notes.channel"))
            # The common channels as a hint; typing completes them (right arrow accepts).
            yield Input(channel, id="note-channel", placeholder=truncate(" / ".join(channels), 50),
                        suggester=SuggestFromList(channels, case_sensitive=False))
            error = Static("", id="note-error", classes="error")
            error.display = False
            yield error
            yield from self.buttons(tr("notes.save"))

    def action_save(self) -> None:
        self.confirm()

    def confirm(self) -> None:
        try:
            amount = float(self.value("note-amount"))
            if amount <= 0:
                raise ValueError
        except ValueError:
            self.show_error(self.tr("notes.bad_amount"))
            return
        try:
            when = parse_note_date(self.value("note-date"), self.call_date)
        except ValueError:
            self.show_error(self.tr("notes.bad_date"))
            return
        channel = " ".join(self.value("note-channel").split())
        if not channel:
            self.show_error(self.tr("notes.bad_channel"))
            return
        self.dismiss((amount, when, channel))


class ExportDialog(FormDialog):
    """Ask where to write the manager report (CSV and Markdown)."""

    FIELDS = ("export-dir",)

    def __init__(self, default: Path) -> None:
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.tr("export.title"), classes="dialog-title")
            yield Label(self.tr("export.folder"))
            yield Input(str(self.default), id="export-dir")
            yield from self.buttons(self.tr("export.write"))

    def confirm(self) -> None:
        value = self.value("export-dir").strip()
        self.dismiss(Path(value).expanduser() if value else None)


class ManagerSignInDialog(FormDialog):
    """Ask for a manager's name and password before the team report opens.

    Dismisses with ``(name, password)`` or None; the app checks them against the salted
    hash in the database (:meth:`trainer.storage.Storage.manager_sign_in`).
    """

    FIELDS = ("manager-name", "manager-password")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.tr("manager.sign_in"), classes="dialog-title")
            yield Label(self.tr("manager.name"))
            yield Input(id="manager-name")
            yield Label(self.tr("manager.password"))
            yield Input(password=True, id="manager-password")
            yield from self.buttons(self.tr("manager.open"))

    def confirm(self) -> None:
        self.dismiss((self.value("manager-name"), self.value("manager-password")))


class PeriodDialog(FormDialog):
    """Choose the date range of the manager report: from, to (either may stay empty).

    Dismisses with a :class:`trainer.report.Period`, or None when cancelled.
    """

    FIELDS = ("period-from", "period-to")

    def __init__(self, since: date | None, until: date | None) -> None:
        super().__init__()
        self.since = since
        self.until = until

    def compose(self) -> ComposeResult:
        tr = self.tr
        with Vertical(classes="dialog"):
            yield Static(tr("period.title"), classes="dialog-title")
            yield Label(tr("period.from"))
            yield Input(self.since.isoformat() if self.since else "",
                        placeholder="YYYY-MM-DD", id="period-from")
            yield Label(tr("period.to"))
            yield Input(self.until.isoformat() if self.until else "",
                        placeholder="YYYY-MM-DD", id="period-to")
            error = Static("", classes="error")
            error.display = False
            yield error
            yield from self.buttons(tr("period.apply"))

    def confirm(self) -> None:
        from trainer.report import Period

        days: list[date | None] = []
        for field in self.FIELDS:
            text = self.value(field).strip()
            try:
                days.append(date.fromisoformat(text) if text else None)
            except ValueError:
                self.show_error(self.tr("period.bad_date", value=text))
                return
        try:
            self.dismiss(Period(*days))
        except ValueError:
            self.show_error(self.tr("period.backwards"))
