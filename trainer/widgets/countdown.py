"""A per-turn answer timer, as on a live call where silence has a cost.

The countdown only shows and counts; the call screen decides what a timeout does
(the engine's ``Session.timeout``: dead air, the debtor reacts, mood worsens).
"""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from trainer.widgets.meters import bar


class Countdown(Static):
    """Seconds left to answer, with a shrinking bar; hidden when no timer is set."""

    remaining: reactive[int] = reactive(0)

    def __init__(self, total: int | None, label: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.total = total or 0
        self.label = label
        self.display = bool(total)
        self.remaining = self.total

    def reset(self) -> None:
        self.remaining = self.total

    def tick(self) -> bool:
        """Count one second down; True when time has just run out."""
        if self.total and self.remaining > 0:
            self.remaining -= 1
            return self.remaining == 0
        return False

    def watch_remaining(self, remaining: int) -> None:
        self.set_class(0 < remaining <= 10, "-urgent")
        if self.total:
            self.update(f"{self.label} {remaining:>3}s {bar(100 * remaining / self.total, 10)}")
