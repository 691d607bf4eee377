"""The ``recoverylab-train`` command: the trainer app and its authoring and reporting tools."""

from __future__ import annotations

from collections.abc import Sequence

from sim.interrupts import quiet_while_starting

COMMANDS = {
    "lint": "trainer.commands.lint",
    "playthrough": "trainer.commands.playthrough",
    "app": "trainer.commands.app",
    "report": "trainer.commands.report",
    "manager": "trainer.commands.manager",
    "analyse-eval": "trainer.commands.analyse_eval",
}
"""Sub-command name -> module implementing it (imported lazily by the dispatcher)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``recoverylab-train`` console script."""
    # Imported here, under the quiet Ctrl-C handler: pydantic, numpy and the command's
    # own modules take a moment to load, and an interrupt then should still exit 130.
    with quiet_while_starting():
        from sim.cli_support import dispatch

        return dispatch(
            "recoverylab-train",
            "Practise collection calls with difficult debtors, scored against cited rules.",
            COMMANDS,
            argv,
            default="app",
        )


if __name__ == "__main__":
    raise SystemExit(main())
