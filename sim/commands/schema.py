"""``recoverylab schema``: the JSON Schema of scenario files, for editors."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

HELP = "print the JSON Schema of scenario files (for editor completion and checks)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None, metavar="FILE",
                        help="write the schema to FILE instead of stdout")


def run(args: argparse.Namespace) -> int:
    from sim.scenario import Scenario

    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "RecoveryLab simulation scenario"
    text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    if args.out is None:
        print(text, end="")
    else:
        import os
        import tempfile

        args.out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{args.out.name}.", dir=args.out.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, args.out)
        print(f"wrote {args.out}")
    return 0
