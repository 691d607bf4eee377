"""Writing a command's ``--out`` folder whole, or not at all.

A comparison, a sweep or a playthrough writes several CSVs, plots and transcripts. If it
fails, is killed or is interrupted half-way, the reader must never find a fresh
``runs.csv`` next to a stale ``summary.csv``, nor 102 of 3,003 transcripts. So nothing is
written into the destination itself:

1. Everything goes into a hidden staging folder next to it, ``.<name>.staging-<pid>-*``
   (same parent, so the same file system).
2. When every file is complete, the staging folder *becomes* the destination in one
   rename. An existing destination is swapped out in the same step where the system
   can exchange two names atomically (Linux ``renameat2``), else renamed aside first.
3. A failure or Ctrl-C removes the staging folder; a kill that leaves one behind is
   cleaned by the next run into the same parent (its process id is no longer alive).

The destination is replaced, not merged into, so it must be a folder of outputs: an
existing folder holding other files (a source tree, a home folder) is refused.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

from sim.errors import ConfigError, Problem
from sim.interrupts import interrupted

OUTPUT_SUFFIXES = frozenset({".csv", ".png", ".json", ".txt", ".parquet", ".svg", ".md"})
"""Files an output folder may contain; a folder holding anything else is not replaced."""

_STALE = re.compile(r"^\.(?P<name>.+)\.(?:staging|old)-(?P<pid>\d+)-")

_LANDING: dict[Path, Path] = {}
"""Staging folders open now -> the destination each becomes (see :func:`final_path`)."""


@contextlib.contextmanager
def staged_directory(destination: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield an empty staging folder that replaces ``destination`` when the block succeeds."""
    target = Path(destination)
    _check_replaceable(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(target.parent)
    staging: Path | None = None
    try:
        with _signals_deferred():  # a Ctrl-C between creating and recording it would leak it
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-{os.getpid()}-",
                                            dir=target.parent))
            _LANDING[staging] = target
        yield staging
        with _signals_deferred():
            if interrupted():  # a Ctrl-C some library swallowed still cancels the output
                raise KeyboardInterrupt
            _swap_in(staging, target)
    finally:
        if staging is not None:
            _LANDING.pop(staging, None)
            shutil.rmtree(staging, ignore_errors=True)


def final_path(path: str | os.PathLike[str]) -> Path:
    """Where ``path`` will be once the staging folders it lies in are swapped in.

    A command writing into a staged folder (the demo stages ``out/`` and runs the
    comparison into ``<staging>/compare``) must tell the reader the folder they will
    find, ``out/compare``, never the hidden staging name that is gone when they look."""
    path = Path(path)
    holding = [s for s in _LANDING if path == s or s in path.parents]
    if not holding:
        return path
    staging = max(holding, key=lambda s: len(s.parts))  # the innermost lands first
    return final_path(_LANDING[staging] / path.relative_to(staging))


def clean_stale(parent: Path) -> list[Path]:
    """Remove staging and set-aside folders left in ``parent`` by processes now gone."""
    removed: list[Path] = []
    try:
        entries = list(parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _STALE.match(entry.name)
        if match is None or not entry.is_dir() or entry.is_symlink():
            continue
        if _alive(int(match.group("pid"))):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _check_replaceable(target: Path) -> None:
    """Refuse a destination whose contents are not ours to replace."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise ConfigError(target, [Problem("--out", "exists and is not a folder",
                                           expected="a new or earlier output folder")])
    if not target.is_dir():
        return
    foreign = [p for p in target.rglob("*")
               if p.is_symlink() or (p.is_file() and p.suffix not in OUTPUT_SUFFIXES)]
    if foreign:
        raise ConfigError(target, [Problem(
            "--out", f"folder holds files that are not outputs (e.g. {foreign[0].name}); the "
            "output folder is replaced whole", expected="a new, empty or earlier output folder")])


def _swap_in(staging: Path, target: Path) -> None:
    """Make ``staging`` the ``target`` folder in one rename; the old one goes to staging."""
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        return  # staging now holds the previous output; the caller removes it
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-{os.getpid()}-", dir=target.parent))
    os.rename(target, aside / "old")
    os.rename(staging, target)
    os.rename(aside, staging)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT/SIGTERM for the few system calls of the swap (delivered right after)."""
    wanted = {signal.SIGINT, signal.SIGTERM}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, wanted)
    except (AttributeError, ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
