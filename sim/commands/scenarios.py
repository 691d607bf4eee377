"""``recoverylab scenarios list|copy``: what ships with the package, and a copy to edit.

A planner usually starts from a shipped file: copy the baseline out, change the
headcount or the ladder, and run the copy. A copied strategy variant keeps its
``inherit = "baseline.toml"`` line and, with no ``baseline.toml`` beside it, starts from
the shipped baseline; a copied drill keeps using the shipped tag vocabulary and pack.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from sim.shipped import Kind

HELP = "list the shipped scenarios, rule packs, drills and experiments, or copy one out"

ORDER: tuple[Kind, ...] = ("scenario", "experiment", "pack", "drill")
"""Kinds in the order ``list`` prints them and ``copy`` looks a name up."""

TITLES = {"scenario": "Simulation scenarios (recoverylab run NAME)",
          "experiment": "Experiments (recoverylab sweep NAME)",
          "pack": "Rule packs (compliance.pack = \"NAME\")",
          "drill": "Role-play drills (recoverylab-train --drill NAME)"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list what ships, with one line on each")
    listing.add_argument("--kind", choices=list(ORDER), default=None, help="only this kind")
    copy = actions.add_parser("copy", help="copy a shipped file out for editing")
    copy.add_argument("name", metavar="NAME",
                      help="a shipped name (baseline, cn, early-team-size, abusive-caller, "
                           "abusive-caller.en-US)")
    copy.add_argument("dest", type=Path, metavar="DEST",
                      help="a file to create, or an existing folder to copy into")
    copy.add_argument("--force", action="store_true", help="replace files that exist")


def run(args: argparse.Namespace) -> int:
    if args.action == "list":
        return _list(args.kind)
    return _copy(args.name, args.dest, force=args.force)


def _list(kind: str | None) -> int:
    from sim import shipped

    for shelf in [cast("Kind", kind)] if kind else ORDER:
        print(TITLES[shelf])
        for name in shipped.names(shelf):
            print(f"  {name:<32} {_summary(shelf, name)}".rstrip())
    print(f"\n(shipped data: {shipped.data_root()}; copy one out with "
          "`recoverylab scenarios copy NAME DEST`)")
    return 0


def _summary(kind: Kind, name: str) -> str:
    """One line about a shipped file, from its own description or title."""
    from sim import shipped
    from sim.files import read_toml

    path = shipped.shipped(kind, name)
    if path is None:
        return ""
    data = read_toml(path)
    meta = data.get("meta") or data.get("pack") or {}
    text = data.get("description") or meta.get("title") or meta.get("name") or ""
    if isinstance(text, dict):  # bilingual titles: the English one
        text = text.get("en") or next(iter(text.values()), "")
    text = " ".join(str(text).split())
    return text if len(text) <= 72 else text[:71] + "\u2026"


def _copy(name: str, dest: Path, *, force: bool) -> int:
    import shutil
    import tempfile

    from sim import shipped
    from sim.cli_support import UsageError

    sources = _sources(name)
    into_folder = dest.is_dir() or len(sources) > 1
    if len(sources) > 1 and not dest.is_dir():
        raise UsageError(f"{name!r} is {len(sources)} files ({', '.join(p.name for p in sources)});"
                         f" DEST must be an existing folder, and {dest} is not one")
    targets = [dest / source.name if into_folder else dest for source in sources]
    existing = [str(t) for t in targets if t.exists()]
    if existing and not force:
        raise UsageError(f"{', '.join(existing)} already exists; add --force to replace it")
    for target in targets:
        if not target.parent.is_dir():
            raise UsageError(f"{target.parent} is not a folder")
    for source, target in zip(sources, targets, strict=True):
        # Whole file or nothing: write beside the target, then rename over it.
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.",
                                         delete=False) as handle:
            temporary = Path(handle.name)
        try:
            shutil.copyfile(source, temporary)
            temporary.replace(target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        print(f"copied {shipped.SHELVES[_kind_of(source)].what} {source.stem} -> {target}")
    return 0


def _sources(name: str) -> list[Path]:
    """The shipped files a name means, searching the kinds in :data:`ORDER`."""
    from sim import shipped
    from sim.errors import ConfigError, Problem, suggest

    for kind in ORDER:
        found = shipped.shipped(kind, name)
        if found is not None:
            return [found]
    drills = [n for n in shipped.names("drill") if n.split(".", 1)[0] == name]
    if drills:
        return [shipped.folder("drill") / f"{n}.toml" for n in drills]
    everything = [n for kind in ORDER for n in shipped.names(kind)]
    raise ConfigError(name, [Problem("", "nothing ships under this name", None,
                                     "a shipped name (see: recoverylab scenarios list)",
                                     suggest(name, everything))])


def _kind_of(path: Path) -> Kind:
    from sim import shipped

    return next(kind for kind in ORDER if path.parent == shipped.folder(kind))
