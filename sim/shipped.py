"""Shipped data: the scenarios, rule packs, drills and experiment files that come with
the package, found by name wherever the package is installed.

A collections team starts from examples: a baseline book under today's strategy, its
challengers, the rule packs of three jurisdictions, the role-play drills and their
behaviour tags, and sweep files. They live in the repository's ``scenarios/`` folder,
and the wheel carries the same files as the data package ``recoverylab_scenarios``
(``pyproject.toml`` maps the folder onto that package name). They are always found
through :mod:`importlib.resources`, so an editable checkout and a wheel installed into
any virtual environment answer alike, whatever the current folder.

Every command takes a shipped *name* or a *path*:

- ``baseline`` is the shipped simulation scenario ``sim/baseline.toml``;
- ``cn`` is the shipped rule pack ``rules/cn.toml``;
- ``abusive-caller`` is every language of that drill, ``abusive-caller.en-US`` one file;
- ``early-team-size`` is the shipped experiment ``experiments/early-team-size.toml``.

An existing file always wins over a shipped name, and text that looks like a path (it
has a folder separator or ends in ``.toml``) is never taken for a name, so a user's own
``baseline.toml`` in the current folder is the one that runs. This module only says
*which* file is meant; reading it stays with the loaders and their one reader.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sim.errors import ConfigError, Problem, suggest

DATA_PACKAGE = "recoverylab_scenarios"
"""Import name under which the repository's ``scenarios/`` folder is installed."""

Kind = Literal["scenario", "pack", "drill", "experiment"]


@dataclass(frozen=True, slots=True)
class Shelf:
    """One kind of shipped file: its folder inside the data package and how to name it."""

    folder: str
    """Sub-folder of the data package."""
    pattern: str
    """Glob of the files that count (``tags.toml`` and READMEs do not)."""
    what: str
    """How a person calls this kind of file, for messages."""


SHELVES: dict[Kind, Shelf] = {
    "scenario": Shelf("sim", "*.toml", "simulation scenario"),
    "pack": Shelf("rules", "*.toml", "rule pack"),
    "drill": Shelf("roleplay", "*.*.toml", "role-play drill"),
    "experiment": Shelf("experiments", "*.toml", "experiment"),
}
"""Where each kind of shipped file lives."""


def data_root() -> Path:
    """The folder holding the shipped data (the repository's ``scenarios/`` when editable).

    Wheels are installed unpacked, so the resources are real files; a zipped install
    (which pip never makes) is refused with an explanation rather than half-working.
    """
    root = importlib.resources.files(DATA_PACKAGE)
    if not isinstance(root, Path):
        raise RuntimeError(f"the shipped data ({DATA_PACKAGE}) must be installed as files, "
                           f"not inside an archive: {root}")
    return root


def folder(kind: Kind) -> Path:
    """The shipped folder of one kind (e.g. the drills' ``roleplay/``)."""
    return data_root() / SHELVES[kind].folder


def tags_file() -> Path:
    """The shipped behaviour-tag vocabulary that drills use unless they bring their own."""
    return folder("drill") / "tags.toml"


def names(kind: Kind) -> list[str]:
    """Shipped names of one kind, sorted (``baseline``, ``abusive-caller.en-US``, ...)."""
    return sorted(p.name.removesuffix(".toml") for p in folder(kind).glob(SHELVES[kind].pattern))


def shipped(kind: Kind, name: str) -> Path | None:
    """The shipped file called ``name`` (``.toml`` optional), or None if none ships."""
    stem = name.removesuffix(".toml")
    if not stem or "/" in stem or "\\" in stem or stem.startswith("."):
        return None
    return folder(kind) / f"{stem}.toml" if stem in names(kind) else None


def looks_like_path(text: str) -> bool:
    """True for text a person means as a file: a folder separator or a ``.toml`` suffix."""
    return "/" in text or "\\" in text or text.endswith(".toml")


def resolve(kind: Kind, text: str | Path) -> Path:
    """The file meant by a shipped name or a path (see the module docstring for the rules).

    A path is returned as given, even if missing, so the reader reports it in its usual
    words. A bare word that is neither an existing file nor a shipped name raises
    :class:`ConfigError` listing what ships, with the nearest name.
    """
    if isinstance(text, Path) or looks_like_path(text) or Path(text).exists():
        return Path(text)
    found = shipped(kind, text)
    if found is not None:
        return found
    raise unknown(kind, text)


def unknown(kind: Kind, text: str) -> ConfigError:
    """The error for a name that is neither a file nor shipped."""
    available = names(kind)
    what = SHELVES[kind].what
    return ConfigError(text, [Problem(
        "", f"no file and no shipped {what} of this name", None,
        "a path to a .toml file, or one of: " + ", ".join(available),
        suggest(text, available))])


def drill_files(text: str | Path) -> list[Path]:
    """Files meant by a drill argument: a path (file or folder), ``id.language`` or ``id``.

    ``abusive-caller`` means every shipped language of that drill, so
    ``recoverylab-train lint abusive-caller`` checks the Chinese and English versions.
    """
    if isinstance(text, Path) or looks_like_path(text) or Path(text).exists():
        return [Path(text)]
    exact = shipped("drill", text)
    if exact is not None:
        return [exact]
    languages = [n for n in names("drill") if n.split(".", 1)[0] == text]
    if languages:
        return [folder("drill") / f"{n}.toml" for n in languages]
    ids = sorted({n.split(".", 1)[0] for n in names("drill")})
    raise ConfigError(text, [Problem(
        "", "no file and no shipped role-play drill of this name", None,
        "a path, a drill id (" + ", ".join(ids) + ") or id.language",
        suggest(text, [*ids, *names("drill")]))])
