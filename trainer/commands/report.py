"""``recoverylab-train report``: the manager report from a training database, headless.

Writes ``trainees.csv``, ``rules.csv`` and ``report.md`` into ``--out`` (each file is
written whole or not at all), the same figures as the app's manager screen.
``--from`` / ``--to`` limit it to the drills finished in a date range (both inclusive,
dates of this computer's time zone), e.g. a month or the weeks since a coaching session.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

HELP = "Write the manager report (CSV and Markdown) from a training database."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, metavar="FILE",
                        help="training database (default: the per-user one)")
    parser.add_argument("--out", type=Path, metavar="DIR", required=True,
                        help="folder to write trainees.csv, rules.csv and report.md into")
    parser.add_argument("--lang", choices=["zh-CN", "en"], default="en",
                        help="language of report.md (CSVs use fixed English headers)")
    parser.add_argument("--from", dest="since", type=iso_date, metavar="YYYY-MM-DD",
                        help="only drills finished on or after this day (default: the first)")
    parser.add_argument("--to", dest="until", type=iso_date, metavar="YYYY-MM-DD",
                        help="only drills finished on or before this day (default: the latest)")


def iso_date(text: str) -> date:
    """A calendar day written ``YYYY-MM-DD`` (argparse turns the error into exit 2)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; expected YYYY-MM-DD with a real month and day, "
            "e.g. 2026-03-01") from None


def run(args: argparse.Namespace) -> int:
    from sim.cli_support import UsageError
    from sim.errors import EXIT_BAD_INPUT
    from trainer.i18n import Translator
    from trainer.report import Period, build_report, write_report
    from trainer.storage import Storage, StorageError, default_db_path

    try:
        period = Period(args.since, args.until)
    except ValueError:
        raise UsageError(f"--from {args.since} is after --to {args.until}; the period would "
                         "hold no day") from None
    path = args.db or default_db_path()
    if not path.is_file():
        print(f"error: {path}: no training database here", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        storage = Storage.open(path)
        try:
            report = build_report(storage, period=period)
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
    print(f"{period.render(Translator('en'))}: {report.attempts} drills by "
          f"{len(report.trainees)} trainees; {len(report.coaching)} need coaching")
    for file in written:
        print(f"wrote {file}")
    return 0
