"""``recoverylab-train [app]``: start the trainer (the default when no command is given)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "Start the role-play trainer (the default command)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", type=Path, metavar="FILE",
        help="training database (default: the per-user data folder, e.g. "
             "~/.local/share/recoverylab/trainer.db)",
    )
    parser.add_argument(
        "--scenarios", type=Path, metavar="DIR",
        help="folder of role-play scenarios (default: the shipped scenarios/roleplay)",
    )
    parser.add_argument(
        "--drill", action="append", default=[], metavar="NAME|FILE",
        help="offer only this drill: a shipped name (abusive-caller, or "
             "abusive-caller.en-US for one language) or a drill file; repeatable",
    )
    parser.add_argument(
        "--timer", type=int, metavar="SECONDS", default=None,
        help="answer countdown per turn, as on a live call (default: off; toggle with t)",
    )
    parser.add_argument(
        "--lang", choices=["zh-CN", "en"], default=None,
        help="interface language before sign-in (a trainee's own choice is remembered)",
    )


def run(args: argparse.Namespace) -> int:
    from sim.errors import EXIT_BAD_INPUT
    from trainer.storage import Storage, StorageError

    if args.timer is not None and not 5 <= args.timer <= 600:
        print(f"recoverylab-train: error: --timer {args.timer}: expected 5-600 seconds",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.scenarios is not None and not args.scenarios.is_dir():
        print(f"recoverylab-train: error: --scenarios {args.scenarios}: not a folder",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    drills = _drills(args.drill)  # a bad name or file exits 2 here, before the UI starts
    try:
        storage = Storage.open(args.db)
    except StorageError as exc:
        print(exc.render(), file=sys.stderr)
        return EXIT_BAD_INPUT
    from trainer.app import TrainerApp

    app = TrainerApp(storage, scenario_dir=args.scenarios, drills=drills,
                     timer_seconds=args.timer, language=args.lang,
                     language_given=args.lang is not None)
    app.run()
    return app.return_code or 0


def _drills(texts: list[str]) -> list[Path]:
    """Drill files for ``--drill`` arguments, each loaded once so a bad one fails now."""
    if not texts:
        # The drill engine pulls in the scenario models (pydantic); a plain start must not
        # wait for them before the first screen, so they load in the background later.
        return []
    from sim import shipped
    from trainer.engine import load_scenario

    files = [file for text in texts for file in shipped.drill_files(text)]
    for file in files:
        load_scenario(file)
    return files
