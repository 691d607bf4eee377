"""The ``recoverylab`` command: run, compare, sweep and size the collections simulator."""

from __future__ import annotations

from collections.abc import Sequence

from sim.interrupts import quiet_while_starting

COMMANDS = {
    "demo": "sim.commands.demo",
    "run": "sim.commands.run",
    "validate": "sim.commands.validate",
    "schema": "sim.commands.schema",
    "compare": "sim.commands.compare",
    "sweep": "sim.commands.sweep",
    "staff": "sim.commands.staff",
    "scenarios": "sim.commands.scenarios",
    "calibrate": "sim.commands.calibrate",
}
"""Sub-command name -> module implementing it (imported lazily by the dispatcher)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``recoverylab`` console script."""
    # Imported here, under the quiet Ctrl-C handler: pydantic, numpy and the command's
    # own modules take a moment to load, and an interrupt then should still exit 130.
    with quiet_while_starting():
        from sim.cli_support import dispatch

        return dispatch(
            "recoverylab",
            "Simulate consumer-loan collections strategies and staffing.",
            COMMANDS,
            argv,
        )


if __name__ == "__main__":
    raise SystemExit(main())
