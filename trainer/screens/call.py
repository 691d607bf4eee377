"""The call: the transcript, the debtor's mood, the options, the clock and the note.

Everything on this screen mirrors a real collection call. The debtor's mood moves with
each answer (the meters show the last change), silence costs something when the
per-turn countdown is on, and the two ways out that a collector always has, handing
over to a supervisor and hanging up, are one key away (with a confirmation, because
both end the drill). The note (promise amount, date, channel) can be written during the
call or in the wrap-up after it, as on a real floor.

In free-reply mode (``r`` in the drill picker) the trainee types each reply in a box
instead of choosing: the engine reads it as the option it means; a reply it cannot place
makes the debtor ask what is meant, and after two such misses the options are shown.
While typing, every key goes to the box: ``esc`` leaves it for the call's keys and ``/``
returns to it (the footer shows which).

Every action is committed to the database as soon as the engine accepts it. The window
that plays the call holds its lease (renewed while the call is on screen); a window that
finds the drill held elsewhere opens it read-only, following the stored call, and may
take it over, after which the first window is told and only watches.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from trainer.messages import Messages
from trainer.screens.base import TrainerScreen
from trainer.screens.drill import finish_drill, record_action
from trainer.storage import LEASE_SECONDS
from trainer.widgets.countdown import Countdown
from trainer.widgets.footer import FittingFooter
from trainer.widgets.layout import Hanging, Rows
from trainer.widgets.meters import mood_line, pad, truncate
from trainer.widgets.transcript import Transcript

if TYPE_CHECKING:
    from trainer.engine import Scenario, Session
    from trainer.engine.reply import ReplyMatch
    from trainer.engine.session import Entry


FOLLOW_SECONDS = 2.0
"""How often a watching window reads the drill the other window is playing."""
RENEW_SECONDS = LEASE_SECONDS / 3
"""How often the playing window renews its lease (three chances before it runs out)."""


class CallScreen(TrainerScreen):
    """One drill in progress."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "choose(1)", "Choose", key_display="1-9"),
        *(Binding(str(n), f"choose({n})", "Choose", show=False) for n in range(2, 10)),
        Binding("n", "note", "Note"),
        Binding("e", "escalate", "Escalate"),
        Binding("x", "hang_up", "Hang up"),
        Binding("enter", "debrief", "Debrief"),
        Binding("o", "take_over", "Take over", id="takeover"),
        Binding("escape", "leave", "Back", id="back"),
        Binding("escape", "leave_reply", "Keys"),
        Binding("slash", "type_reply", "Type reply", key_display="/"),
    ]

    def __init__(self, scenario: Scenario, session: Session, session_id: int,
                 timer_seconds: int | None, order: list[Scenario], *,
                 read_only: bool = False, free_reply: bool | None = None) -> None:
        super().__init__()
        self.read_only = read_only
        """Another window holds this drill: this one shows it and writes nothing."""
        self.scenario = scenario
        self.session = session
        self.session_id = session_id
        self.timer_seconds = timer_seconds
        self.order = order
        # Meters show the last turn's change, also for a drill resumed mid-call.
        self.previous_mood = dict(session.turns[-1].mood_before if session.turns
                                  else session.start_mood)
        self._leaving = False
        self._shown = 0  # transcript entries on screen
        self._timer_started = False
        self._lease_started = False
        self.free_reply = self.trainer.free_reply if free_reply is None else free_reply
        """Typed replies for this call: as chosen on the brief (default the sitting's
        mode), or as the call was opened when it is resumed."""

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="call-bar", classes="screen-title")
        yield Static("", id="mood-line")
        with Horizontal(id="call-body"):
            with Vertical(id="call-main"):
                yield Transcript(id="transcript")
                yield Countdown(self.timer_seconds, self.tr("call.timer"), id="countdown")
                if self.free_reply:
                    yield Input(placeholder=self.tr("reply.placeholder"), id="reply")
                yield OptionList(id="options")
                yield Static("", id="call-end")
            with Vertical(id="call-side"):
                yield Static(self.tr("call.mood"), classes="card-title")
                yield Static("", id="moods")
                yield Static(self.tr("call.note"), classes="card-title")
                yield Static("", id="note-summary")
                yield Static(self.tr("brief.goals"), classes="card-title")
                yield Static(Rows(Hanging("• ", goal) for goal in self.scenario.brief.goals),
                             id="call-goals")
        yield FittingFooter()

    async def populate(self) -> None:
        self._shown = 0
        self._show_new_entries()
        self._refresh()
        if self.timer_seconds and not self._timer_started:
            self._timer_started = True
            self.set_interval(1.0, self._tick, name="answer-timer")
        if not self._lease_started:
            self._lease_started = True
            self.set_interval(RENEW_SECONDS, self._keep_lease, name="lease")
            self.set_interval(FOLLOW_SECONDS, self._follow, name="follow")

    def _show_new_entries(self) -> None:
        entries = self.session.transcript[self._shown:]
        self._shown += len(entries)
        self.query_one(Transcript).add_lines(self._lines(entries))

    def _lines(self, entries: list[Entry]) -> list[tuple[str, str, str]]:
        say = Messages(self.scenario, self.tr.language)
        names = {
            "debtor": self.scenario.brief.debtor_name,
            "trainee": self.tr("speaker.you"),
            "narrator": self.tr("speaker.narrator"),
            "third_party": self.tr("speaker.third_party"),
        }
        return [
            (e.speaker, self.tr.lead(self.tr("speaker.says", name=names.get(e.speaker, e.speaker))),
             say.said(e.action, e.text) if e.action else e.text)
            for e in entries
        ]

    def _refresh(self) -> None:
        """Bring bar, meters, note, options and end panel up to date with the session."""
        tr, s, brief = self.tr, self.session, self.scenario.brief
        at, zone = s.clock  # where the narrator has moved the call, not only where it began
        rest = "  ·  ".join(["", tr("call.local_time", time=at.strftime("%H:%M"), zone=zone),
                             tr("call.turn", turn=s.turn)])
        # One line even at 80 columns: the title gives way, the clock and turn never do.
        title = truncate(self.scenario.meta.title, max(12, self.size.width - cell_len(rest) - 2))
        self.query_one("#call-bar", Static).update(Content.assemble((title, "bold"), rest))
        mood = s.mood
        width = max(cell_len(self._mood_label(name)) for name in mood)
        meters = [
            mood_line(name, pad(self._mood_label(name), width), value,
                      value - self.previous_mood.get(name, value), 8)
            for name, value in mood.items()
        ]
        self.query_one("#moods", Static).update(Content("\n").join(meters))
        self.query_one("#mood-line", Static).update(Content("  ").join(
            mood_line(name, self._mood_label(name), value,
                      value - self.previous_mood.get(name, value), 6)
            for name, value in mood.items()
        ))
        note = s.note
        self.query_one("#note-summary", Static).update(
            tr("call.note_none") if note is None else
            f"{tr.money(note.amount, brief.currency)}\n{note.date}\n{note.channel}"
        )
        options = self.query_one("#options", OptionList)
        options.clear_options()
        if not s.finished:
            options.add_options(
                Option(Hanging(Content.styled(f"{o.number}. ", "bold"), o.text), id=o.id)
                for o in s.options
            )
        # Typing: the options stay hidden until the debtor has failed to follow twice.
        hidden = self.free_reply and s.misses < 2
        options.display = not s.finished and not hidden
        # Disabled once over (so focus never comes back to it after a dialog),
        # hidden or watched.
        options.disabled = s.finished or hidden or self.read_only
        if self.free_reply:
            box = self.query_one("#reply", Input)
            box.display = not s.finished
            box.disabled = s.finished or self.read_only
        end = self.query_one("#call-end", Static)
        end.display = s.finished or self.read_only
        if self.read_only:
            end.set_class(False, "-critical")
            end.update(Content.assemble(
                *([(tr("call.ended", outcome=tr.label("outcome", s.ending.outcome)), "bold"),
                   "\n"] if s.ending is not None else []),
                tr("call.watching")))
            self.set_focus(None)
        elif s.finished and s.ending is not None:
            self.query_one("#countdown", Countdown).display = False
            critical = s.ending.outcome == "critical_violation"
            end.set_class(critical, "-critical")
            end.update(Content.assemble(
                ("✖ " if critical else "■ ", "bold"),
                (tr("call.ended", outcome=tr.label("outcome", s.ending.outcome)), "bold"),
                "\n", tr("call.wrap_up"),
            ))
            self.set_focus(None)
        else:
            options.highlighted = 0 if s.options else None
            if self.free_reply:
                self.query_one("#reply", Input).focus()
            else:
                options.focus()
            self._shown_at = time.monotonic()  # the trainee starts reading these options
        self.refresh_bindings()

    def _mood_label(self, name: str) -> str:
        return self.tr.label("mood", name)

    def _typing(self) -> bool:
        """The reply box has the keys (free-reply mode, call on)."""
        return self.free_reply and isinstance(self.focused, Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("take_over", "leave"):
            return self.read_only
        if self.read_only and action in ("choose", "escalate", "hang_up", "note", "debrief"):
            return False
        if action == "leave_reply":
            return self._typing() and not self.session.finished
        if action == "type_reply":
            return self.free_reply and not self._typing() and not self.session.finished
        if action in ("choose", "escalate", "hang_up", "note") and self._typing():
            return False  # the letters go into the reply box
        if action in ("choose", "escalate", "hang_up"):
            return not self.session.finished
        if action == "debrief":
            return self.session.finished
        return True

    # -- actions ------------------------------------------------------------------------

    def _act(self, act: Callable[[], object]) -> None:
        """Play one engine action, show it, commit it, restart the answer timer."""
        self.previous_mood = self.session.mood  # the meters show this turn's change
        act()
        self._after_act()

    def _after_act(self) -> None:
        self._show_new_entries()
        record_action(self.trainer, self.session_id, self.session)
        self._refresh()
        self.query_one("#countdown", Countdown).reset()

    def action_choose(self, number: int) -> None:
        if self.read_only or self.session.finished or number > len(self.session.options):
            self.app.bell()
            return
        self._record_decision(number)
        self._act(lambda: self.session.choose(number))

    def _record_decision(self, number: int) -> None:
        """Keep how the choice was made (time, longest shown, reading time) for the
        manager's gaming flags; a one-option node is no decision."""
        from trainer.engine.cues import length
        from trainer.gaming import min_read_ms
        from trainer.storage import Decision

        views = self.session.options
        if len(views) < 2 or self.session_id is None:
            return
        lengths = [length(v.text) for v in views]
        chosen = lengths[number - 1]
        longest = chosen == max(lengths) and lengths.count(chosen) == 1
        think = int(1000 * (time.monotonic() - getattr(self, "_shown_at", time.monotonic())))
        reading = min_read_ms(sum(lengths), self.scenario.meta.language)
        self.trainer.db_write("record_decision", self.session_id, len(self.session.turns) + 1,
                              Decision(think, len(views), longest, reading))

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()  # the footer shows the keys of where the focus is

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    def action_leave_reply(self) -> None:
        self.set_focus(None)

    def action_type_reply(self) -> None:
        if self.free_reply and not self.session.finished:
            self.query_one("#reply", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """A typed reply: refused with a reason, or played as read (say or miss)."""
        if event.input.id != "reply" or self.session.finished or self.read_only:
            return
        event.stop()
        from trainer.engine.reply import MAX_REPLY_CHARS

        text = event.value
        language = self.scenario.meta.language
        found = self._read_reply(text)
        if found.refusal is not None:
            message = {
                "empty": lambda: self.tr("reply.empty"),
                "too_long": lambda: self.tr("reply.too_long", chars=len(text),
                                            limit=MAX_REPLY_CHARS),
                "other_language": lambda: self.tr(
                    "reply.other_language",
                    language="中文" if language.startswith("zh") else "English"),
            }[found.refusal]()
            self.notify(message, severity="warning", timeout=6)
            if found.refusal == "too_long":
                event.input.value = ""
            return
        event.input.value = ""
        if self.session.turns and self.session.turns[-1].action == "miss" \
                and not self.session.finished:
            misses = self.session.misses
            key = "reply.options_shown" if misses == 2 else "reply.miss"
            if misses <= 2:
                self.notify(self.tr(key, misses=misses), severity="warning", timeout=5)

    def _read_reply(self, text: str) -> ReplyMatch:
        """Play ``text`` through the engine (one turn unless refused) and commit it."""
        from trainer.storage import Decision

        views = self.session.options
        think = int(1000 * (time.monotonic() - getattr(self, "_shown_at", time.monotonic())))
        mood = self.session.mood
        found, turn = self.session.reply(text)
        if turn is None:
            return found
        self.previous_mood = mood
        self._after_act()
        self.trainer.db_write(
            "record_decision", self.session_id, len(self.session.turns),
            Decision(think, len(views), False, 0, turn.text, turn.option),
        )
        return found

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_choose(event.option_index + 1)

    def _tick(self) -> None:
        if self.read_only or self.session.finished or self.app.screen is not self:
            return  # the clock pauses under a dialog and stops when the call ends
        if self.query_one("#countdown", Countdown).tick():
            self._act(self.session.timeout)
            self.notify(self.tr("call.timed_out"), severity="warning", timeout=4)

    def action_escalate(self) -> None:
        self._confirm("call.confirm_escalate", self.session.escalate)

    def action_hang_up(self) -> None:
        self._confirm("call.confirm_hang_up", self.session.hang_up)

    def _confirm(self, question: str, act: Callable[[], object]) -> None:
        from trainer.screens.dialogs import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes and not self.session.finished and not self.read_only:
                self._act(act)

        self.app.push_screen(ConfirmDialog(self.tr(question)), callback=answered)

    def action_note(self) -> None:
        from trainer.screens.dialogs import NotesDialog

        note = self.session.note

        def saved(values: tuple[float, str, str] | None) -> None:
            if values is not None and not self.read_only:
                self.session.record_note(*values)
                record_action(self.trainer, self.session_id, self.session)
                self._refresh()
                self.notify(self.tr("notes.saved"), timeout=3)

        self.app.push_screen(
            NotesDialog(self.session.today, self.scenario.brief.currency,
                        (note.amount, note.date, note.channel) if note else None),
            callback=saved,
        )

    async def action_debrief(self) -> None:
        if not self.session.finished or self._leaving:
            return
        self._leaving = True
        from trainer.screens.debrief import DebriefScreen

        result = await finish_drill(self.trainer, self.session_id, self.session)
        self.trainer.db_write("release_lease", self.session_id)
        self.app.switch_screen(DebriefScreen(self.scenario, self.session, result, self.order,
                                             typed=self.free_reply))

    # -- one window writes a drill --------------------------------------------------------

    async def _keep_lease(self) -> None:
        """Renew the lease while the call is on screen; notice a takeover even when the
        trainee is only reading."""
        if self.read_only or self._leaving:
            return
        held = await self.trainer.db_call("renew_lease", self.session_id)
        if held is False:  # None: the database failed, and that is already on screen
            await self.lose_lease()

    async def lose_lease(self) -> None:
        """Another window took the drill over: stop writing, show what it stored."""
        if self.read_only:
            return
        self.read_only = True
        self.notify(self.tr("call.taken_over"), severity="warning", timeout=10)
        await self._reload()

    async def _follow(self) -> None:
        """While watching, show what the window holding the drill has stored."""
        if self.read_only:
            await self._reload()

    async def _reload(self) -> None:
        """Rebuild the call from the stored actions (the other window's truth)."""
        from trainer.engine import Session
        from trainer.engine.session import ReplayError

        state = await self.trainer.db_call("session_state", self.session_id)
        if state is not None and state != self.session.to_json():
            try:
                stored = Session.from_json(self.scenario, state)
            except ReplayError:
                return  # keep showing what we have; nothing here writes
            self.previous_mood = dict(stored.turns[-1].mood_before if stored.turns
                                      else stored.start_mood)
            if stored.transcript[:self._shown] != self.session.transcript[:self._shown]:
                # This window played a turn the other one never stored: show the truth.
                await self.query_one(Transcript).remove_children()
                self._shown = 0
            self.session = stored
            self._show_new_entries()
        self._refresh()

    async def action_take_over(self) -> None:
        """Take the drill over from the other window, from where it stored it."""
        if not self.read_only:
            return
        if await self.trainer.db_call("take_lease", self.session_id, takeover=True):
            await self._reload()
            self.read_only = False
            self._refresh()
            self.query_one("#countdown", Countdown).reset()
            self.notify(self.tr("call.took_over"), timeout=5)

    def action_leave(self) -> None:
        if self.read_only:
            self.app.pop_screen()
