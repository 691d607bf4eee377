"""``recoverylab schema``: JSON Schemas of scenario, experiment, rule-pack and drill files.

Editors use them for completion, hover help and checks while a file is typed; see the
README ("Editing files with completion") for the one-line ``#:schema`` header and the
``.taplo.toml`` mapping. The schemas are generated from the loaders' own models
(:mod:`sim.schemas`), so they never drift from what ``recoverylab validate`` accepts.
"""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "print or write the JSON Schemas of the files you edit (for editor completion)"

KINDS = ("scenario", "experiment", "pack", "drill")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", nargs="?", choices=KINDS, default="scenario",
                        help="which file kind (default scenario)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--out", type=Path, default=None, metavar="FILE",
                       help="write this kind's schema to FILE instead of stdout")
    where.add_argument("--out-dir", type=Path, default=None, metavar="DIR",
                       help="write all four as DIR/<kind>.schema.json")


def run(args: argparse.Namespace) -> int:
    from sim import schemas

    if args.out_dir is not None:
        args.out_dir.mkdir(parents=True, exist_ok=True)
        for kind in KINDS:
            _write(args.out_dir / f"{kind}.schema.json", schemas.text(kind))
        return 0
    text = schemas.text(args.kind)
    if args.out is None:
        print(text, end="")
    else:
        _write(args.out, text)
    return 0


def _write(path: Path, text: str) -> None:
    """Whole file or none: write beside the target, then rename over it."""
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    print(f"wrote {path}")
