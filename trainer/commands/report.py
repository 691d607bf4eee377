"""``recoverylab-train report``: the manager report from a training database, headless.

Writes ``trainees.csv``, ``rules.csv`` and ``report.md`` into ``--out`` (each file is
written whole or not at all), the same figures as the app's manager screen.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "Write the manager report (CSV and Markdown) from a training database."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, metavar="FILE",
                        help="training database (default: the per-user one)")
    parser.add_argument("--out", type=Path, metavar="DIR", required=True,
                        help="folder to write trainees.csv, rules.csv and report.md into")
    parser.add_argument("--lang", choices=["zh-CN", "en"], default="en",
                        help="language of report.md (CSVs use fixed English headers)")


def run(args: argparse.Namespace) -> int:
    from sim.errors import EXIT_BAD_INPUT
    from trainer.i18n import Translator
    from trainer.report import build_report, write_report
    from trainer.storage import Storage, StorageError, default_db_path

    path = args.db or default_db_path()
    if not path.is_file():
        print(f"error: {path}: no training database here", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        storage = Storage.open(path)
        try:
            report = build_report(storage)
        finally:
            storage.close()
    except StorageError as exc:
        print(exc.render(), file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        written = write_report(report, args.out, Translator(args.lang))
    except OSError as exc:
        print(f"error: {args.out}: cannot write the report ({exc.strerror})", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"{report.attempts} drills by {len(report.trainees)} trainees; "
          f"{len(report.coaching)} need coaching")
    for file in written:
        print(f"wrote {file}")
    return 0
