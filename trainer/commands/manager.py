"""``recoverylab-train manager NAME``: make someone a manager and set their password.

The team report and other trainees' results open only after a manager signs in with
this password. The password is read without echo (or from standard input when it is
not a terminal) and stored as a salted scrypt hash, never as text.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "make a trainee a manager and set their password (stored as a salted hash)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="the manager's name or employee id")
    parser.add_argument("--db", type=Path, metavar="FILE",
                        help="training database (default: the per-user one)")


def run(args: argparse.Namespace) -> int:
    import getpass

    from sim.errors import EXIT_BAD_INPUT
    from trainer.storage import Storage, StorageError, trainee_key

    if sys.stdin.isatty():
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            print("error: the two passwords differ", file=sys.stderr)
            return EXIT_BAD_INPUT
    else:
        password = sys.stdin.readline().rstrip("\n")
    if not password or not trainee_key(args.name):
        print("error: a manager needs a name and a non-empty password", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        storage = Storage.open(args.db)
        try:
            trainee = storage.sign_in(args.name)
            storage.set_password(trainee.id, password, role="manager")
        finally:
            storage.close()
    except StorageError as exc:
        print(exc.render(), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"{trainee.display_name} is a manager")
    return 0
