"""The one reader for every input file: scenarios, experiments, rule packs, drills, tags,
the vocabulary and the utterance corpus.

An analyst's file can be wrong in ways that have nothing to do with its contents: the
path names a FIFO (reading never ends), a device such as ``/dev/zero`` (reading never
ends and fills memory), a directory, a 2 GB log file renamed ``.toml``, or a file that
nests tables thousands deep so that the parser runs out of stack. Every loader reads
through :func:`read_toml` (or :func:`read_text` for the corpus's TSV files), which
refuses all of these with a :class:`sim.errors.ConfigError` that names the file -- exit
code 2, no traceback -- before any model sees the data.

When one file leads to another (a scenario ``inherit``-s a base, names a rule pack; an
experiment names a scenario; a drill uses a ``tags.toml``), :func:`referenced` wraps the
read so that a problem in the second file is reported against *that* file and its keys,
together with the file and key that pointed at it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sim.errors import ConfigError, Problem

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Largest input file read (5 MiB). The biggest shipped file is well under 100 KiB; a
larger one is almost certainly the wrong file, and reading it whole would cost memory."""

MAX_NESTING = 64
"""Deepest nesting of tables and arrays accepted. Shipped files nest at most 6 deep; the
limit keeps every later step (merging, flattening, validation) far from Python's stack
limit."""


def read_bytes(path: str | Path, what: str = "file") -> bytes:
    """The bytes of a regular file no larger than :data:`MAX_FILE_BYTES`.

    Opened without blocking so a FIFO cannot stall the read; anything that is not a
    regular file (FIFO, device, socket, directory) is refused by its kind.
    """
    file = Path(path)
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ConfigError(file, [Problem("", f"{what} not found")]) from None
    except IsADirectoryError:
        raise ConfigError(file, [_not_regular("a directory", what)]) from None
    except OSError as exc:
        raise ConfigError(file, [Problem("", f"cannot read {what} ({exc.strerror})")]) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(file, [_not_regular(_kind(info.st_mode), what)])
        if info.st_size > MAX_FILE_BYTES:
            raise ConfigError(file, [_too_big(info.st_size)])
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ConfigError(file, [Problem("", f"cannot read {what} ({exc.strerror})")]) from None
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:  # grew while we read it
        raise ConfigError(file, [_too_big(len(raw))])
    return raw


def read_text(path: str | Path, what: str = "file", expected: str = "a UTF-8 text file") -> str:
    """The text of a UTF-8 file read by :func:`read_bytes` (a byte-order mark dropped)."""
    file = Path(path)
    raw = read_bytes(file, what)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = Problem("", f"not UTF-8 text (byte {exc.start} cannot be decoded)",
                          expected=expected)
        raise ConfigError(file, [problem]) from None
    return text.removeprefix("\ufeff")  # a byte-order mark some editors write


def read_toml(path: str | Path) -> dict[str, Any]:
    """Parse a TOML file read by :func:`read_bytes`; every failure is a ConfigError."""
    file = Path(path)
    text = read_text(file, expected="a UTF-8 TOML file")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(file, [Problem("", f"invalid TOML: {exc}")]) from None
    except RecursionError:
        raise ConfigError(file, [_too_deep()]) from None
    except (ValueError, OverflowError, MemoryError) as exc:  # decoder limits, e.g. huge ints
        raise ConfigError(file, [Problem("", f"invalid TOML: {exc}")]) from None
    key = deepest_key(data)
    if key is not None:
        raise ConfigError(file, [_too_deep(key)])
    return data


def deepest_key(data: object, limit: int = MAX_NESTING) -> str | None:
    """The key path where ``data`` nests deeper than ``limit``, or None (no recursion)."""
    stack: list[tuple[object, int, str]] = [(data, 0, "")]
    while stack:
        node, depth, key = stack.pop()
        if depth > limit:
            return key or "(top level)"
        if isinstance(node, dict):
            for name, value in node.items():
                stack.append((value, depth + 1, f"{key}.{name}" if key else str(name)))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                stack.append((value, depth + 1, f"{key}[{i}]"))
    return None


@contextlib.contextmanager
def referenced(by: str | Path, key: str) -> Iterator[None]:
    """Report problems raised inside as the referenced file's, noting who pointed at it.

    ``with referenced(scenario_file, "compliance.pack"): load_rule_pack(...)`` -- a
    ConfigError about the pack keeps the pack's path and keys and gains
    "referenced by <scenario_file> at compliance.pack". Errors already about ``by``
    itself pass through unchanged.
    """
    try:
        yield
    except ConfigError as exc:
        if exc.referenced_by is None and Path(exc.path) != Path(by):
            raise exc.with_reference(str(by), key) from None
        raise


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def _not_regular(kind: str, what: str) -> Problem:
    return Problem("", f"{kind}, not a regular file", expected=f"a regular {what}")


def _too_big(size: int) -> Problem:
    return Problem("", f"file is too large ({size / 1024 / 1024:.1f} MiB)",
                   expected=f"at most {MAX_FILE_BYTES // 1024 // 1024} MiB")


def _too_deep(key: str = "") -> Problem:
    return Problem(key, "tables or arrays nest too deeply",
                   expected=f"at most {MAX_NESTING} levels of nesting")
