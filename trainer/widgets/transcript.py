"""The call transcript: who said what, in order, newest at the bottom.

Speakers are told apart by a name in bold and by colour (debtor, trainee, narrator,
third party), so the transcript reads the same under ``NO_COLOR``.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from trainer.widgets.layout import Hanging


class TranscriptLine(Static):
    """One utterance; its CSS class names the speaker."""


class Transcript(VerticalScroll, can_focus=False):
    """A scrolling list of utterances that follows the newest one."""

    def add_lines(self, lines: Iterable[tuple[str, str, str]]) -> None:
        """Append ``(speaker code, label, text)`` lines and scroll to the last (the label
        is the speaker's name as it leads the line: ``"Dana: "``, ``"王丽："``)."""
        widgets = [
            TranscriptLine(Hanging(Content.styled(label, "bold"), text),
                           classes=f"speaker-{speaker}")
            for speaker, label, text in lines
        ]
        if widgets:
            self.mount_all(widgets)
            self.call_after_refresh(self.scroll_end, animate=False)
