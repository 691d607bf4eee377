"""The ``recoverylab`` command: run, compare, sweep and size the collections simulator."""

from __future__ import annotations

from collections.abc import Sequence

from sim.cli_support import dispatch

COMMANDS = {
    "demo": "sim.commands.demo",
    "run": "sim.commands.run",
    "validate": "sim.commands.validate",
    "schema": "sim.commands.schema",
    "compare": "sim.commands.compare",
    "sweep": "sim.commands.sweep",
    "staff": "sim.commands.staff",
    "scenarios": "sim.commands.scenarios",
}
"""Sub-command name -> module implementing it (imported lazily by the dispatcher)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``recoverylab`` console script."""
    return dispatch(
        "recoverylab",
        "Simulate consumer-loan collections strategies and staffing.",
        COMMANDS,
        argv,
    )


if __name__ == "__main__":
    raise SystemExit(main())
