"""Sign in: a name or employee id, no password, and the trainee's language.

Training records belong to a person, so the first screen asks who is practising. There
is no password: the app runs on a training floor, and the record is for coaching, not
for audit. The language chosen here is remembered for the trainee; the last trainee's
name is offered again, and an unfinished drill of theirs is offered for resuming.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Button, Input, Label, RadioSet, Static

from trainer.i18n import LANGUAGE_NAMES, LANGUAGES
from trainer.screens.base import TrainerScreen
from trainer.widgets.choice import MarkedRadioButton
from trainer.widgets.footer import FittingFooter


class SignInScreen(TrainerScreen):
    """Who is training, and in which language."""

    def __init__(self) -> None:
        super().__init__()
        self.name_value = ""
        self.language_chosen = False
        self._prefilled = False
        self._following_last = False
        """True while the screen switches to the last trainee's language by itself."""

    def compose(self) -> ComposeResult:
        tr = self.tr
        with Center(), Vertical(id="sign-in-box"):
            yield Static(tr("app.name"), id="brand")
            yield Static(tr("signin.tagline"), id="tagline")
            yield Label(tr("signin.prompt"))
            yield Input(self.name_value, placeholder=tr("signin.placeholder"), id="name")
            yield Label(tr("signin.language"))
            with RadioSet(id="language"):
                for code in LANGUAGES:
                    yield MarkedRadioButton(LANGUAGE_NAMES[code], value=code == tr.language,
                                      name=code)
            yield Button(tr("signin.button"), variant="primary", id="go")
            yield Static("", id="sign-in-error")
        yield FittingFooter()

    async def populate(self) -> None:
        if not self._prefilled:
            self._prefilled = True
            last = await self.trainer.db_call("last_trainee")
            if last is not None:
                self.name_value = last.display_name
                name = self.query_one("#name", Input)
                name.value = last.display_name
                name.select_all()  # Enter signs them in again; typing replaces the name
                if last.language != self.tr.language and not self.trainer.language_given:
                    self._following_last = True
                    try:
                        await self.trainer.set_language(last.language)
                    finally:
                        self._following_last = False
                    return
        self.query_one("#name", Input).focus()

    async def retranslate(self) -> None:
        # Any switch the trainee makes here (F2, the palette, the radio buttons) is their
        # choice and is remembered; only following the last trainee's language is not.
        if not self._following_last:
            self.language_chosen = True
        await super().retranslate()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.name_value = event.value

    async def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        code = event.pressed.name or LANGUAGES[0]
        if code != self.tr.language:
            self.language_chosen = True
            await self.trainer.set_language(code)

    async def on_input_submitted(self) -> None:
        await self.sign_in()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "go":
            await self.sign_in()

    async def sign_in(self) -> None:
        app = self.trainer  # kept: this screen is gone once the picker replaces it
        name = " ".join(self.name_value.split())
        if not name:
            self.query_one("#sign-in-error", Static).update(self.tr("signin.empty"))
            return
        # A language chosen here, or asked for with --lang, is the trainee's from now on.
        trainee = await app.db_call("sign_in", name, self.tr.language,
                                    remember=self.language_chosen or app.language_given)
        if trainee is None:
            return  # the storage error has been shown
        app.trainee = trainee
        if trainee.language != app.tr.language:
            await app.set_language(trainee.language)
        from trainer.screens.picker import PickerScreen

        # Not awaited: this screen is the one being replaced, and awaiting its own
        # removal from inside its handler would deadlock.
        app.switch_screen(PickerScreen(offer_resume=True))
