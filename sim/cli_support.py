"""A small dispatcher shared by the ``recoverylab`` and ``recoverylab-train`` commands.

Each sub-command lives in its own module exposing ``add_arguments(parser)`` and
``run(args) -> int``. Modules are imported only when their command is used, so
``recoverylab --help`` stays fast and a heavy dependency of one command (Textual,
matplotlib, Dask) never slows down another.

Bad input files raise :class:`sim.errors.ConfigError`; the dispatcher prints the
explanation on stderr and exits with code 2, never with a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, cast

from sim.errors import EXIT_BAD_INPUT, EXIT_INTERRUPTED, ConfigError, StrategyError
from sim.interrupts import interrupted, watching

if TYPE_CHECKING:  # the scenario models are heavy; the dispatcher must start fast
    from sim.scenario import Scenario


class Command(Protocol):
    """What a sub-command module provides."""

    HELP: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Declare the command's arguments."""

    def run(self, args: argparse.Namespace) -> int:
        """Execute the command and return the process exit code."""


class UsageError(Exception):
    """A command-line mistake that argparse cannot see (e.g. two flags that conflict)."""


def dispatch(
    prog: str,
    description: str,
    commands: Mapping[str, str],
    argv: Sequence[str] | None = None,
    default: str | None = None,
) -> int:
    """Parse ``argv``, run the chosen command, and map input errors to exit code 2.

    With ``default``, arguments that do not start with a command name go to that
    command, so a bare ``recoverylab-train`` (or ``recoverylab-train --db F``) opens the app.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if default is not None and not (argv and (argv[0] in commands or argv[0] in ("-h", "--help"))):
        # ``recoverylab-train --db F`` means ``recoverylab-train app --db F``.
        argv = [default, *argv]
    parser = argparse.ArgumentParser(prog=prog, description=description)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module_name in commands.items():
        module = cast(Command, importlib.import_module(module_name))
        sub_parser = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub_parser)
        add_limit_argument(sub_parser)
        sub_parser.set_defaults(_module=module)
    args = parser.parse_args(argv)
    module = cast(Command, args._module)
    try:
        with watching():
            apply_limits(args.limit)
            status = module.run(args)
            if interrupted():  # pressed, but a library swallowed the KeyboardInterrupt
                raise KeyboardInterrupt
            return status
    except ConfigError as exc:
        print(exc.render(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except StrategyError as exc:  # a user's Python strategy failed mid-run
        print(exc.render(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except UsageError as exc:
        print(f"{prog} {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def add_limit_argument(parser: argparse.ArgumentParser) -> None:
    """``--limit NAME=N``: raise one size ceiling of :mod:`sim.limits` on purpose."""
    from sim.limits import LIMITS

    parser.add_argument(
        "--limit", action="append", default=[], metavar="NAME=N",
        help="raise a size ceiling on purpose (repeatable); names: " + ", ".join(LIMITS),
    )


def apply_limits(settings: Sequence[str]) -> None:
    """Apply ``--limit`` values; a malformed one is a :class:`UsageError`."""
    from sim.limits import LIMITS, raise_limit

    for setting in settings:
        name, _, value = setting.partition("=")
        if name not in LIMITS or not value.isdigit() or int(value) < 1:
            raise UsageError(f"--limit {setting!r}: expected NAME=N with N a positive whole "
                             f"number and NAME one of: {', '.join(LIMITS)}")
        try:
            raise_limit(name, int(value))
        except ValueError as exc:
            raise UsageError(f"--limit {setting!r}: {exc}") from None


def add_strategy_argument(parser: argparse.ArgumentParser, *, arm: bool = False) -> None:
    """``--strategy module:attr``: run a Python strategy (the user's own code)."""
    what = ("compare the first scenario under this Python strategy as one more arm "
            "(repeatable)" if arm else "run this Python strategy on top of the scenario's "
            "ladder (sets strategy.python)")
    parser.add_argument("--strategy", action="append" if arm else "store",
                        default=[] if arm else None, metavar="MODULE:ATTR",
                        help=what + "; imported from the working directory or an installed "
                                    "package, so it runs that code like a pytest plugin")


def with_strategy(scenario: Scenario, ref: str | None) -> Scenario:
    """``scenario`` with ``strategy.python = ref``; a bad ``ref`` is a ConfigError that
    names ``--strategy``."""
    if ref is None:
        return scenario
    try:
        return scenario.with_overrides({"strategy.python": ref})
    except ConfigError as exc:
        raise ConfigError("--strategy", exc.problems) from None
