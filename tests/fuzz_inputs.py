"""A seeded generator of broken input files, mutated from the shipped ones.

Each :class:`Mutant` is one shipped file of every kind that ships (a simulation
scenario, an experiment, a rule pack, a role-play drill, the tag list, the trainer's
vocabulary, a file of the utterance corpus) with one thing wrong: a key deleted, a value
of the wrong type, a non-finite or huge number, nesting thousands deep, invalid UTF-8, a
special file (FIFO, ``/dev/zero``, a folder) where a file is expected, or a reference to
a file that is missing or itself broken. It knows which file is at fault and, where it
can, which key, so a test can check that the error message blames the right place.

The files are written with a small TOML writer (inline tables only) because the mutated
data is no longer something the original text could be edited into.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import random
import shutil
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim import shipped

SCENARIOS = shipped.data_root()

SMALL_SCENARIO = """inherit = "baseline.toml"
name = "small"
[portfolio]
accounts = 200
daily_inflow = 5
[horizon]
days = 8
"""
"""A quick scenario that experiments point at, so an accepted mutant runs in a second."""

KINDS = ("scenario", "experiment", "pack", "drill", "tags", "vocabulary", "corpus")

MUTATIONS = ("deleted-key", "wrong-type", "non-finite", "huge-number", "deep-nesting",
             "invalid-utf8", "special-file", "broken-reference")
CORPUS_MUTATIONS = ("deleted-key", "wrong-type", "huge-number", "invalid-utf8",
                    "special-file", "broken-reference")
"""A TSV file has no numbers or nesting: a huge text or file stands for a huge number."""
DEEP = "__deep__"


@dataclass(frozen=True)
class Mutant:
    """One broken input and where the blame belongs."""

    kind: str
    """Which shipped file kind was mutated (one of :data:`KINDS`)."""
    mutation: str
    """What was done, e.g. ``non-finite`` or ``deep-nesting``."""
    entry: Path
    """The file given to the commands (a scenario, experiment or drill)."""
    culprit: Path
    """The file that is wrong (the entry itself, or a file it references)."""
    key: str | None
    """The last part of the key that is wrong, when there is one to name."""
    must_refuse: bool
    """False for mutations that may leave a valid file (a deleted optional key)."""
    vocabulary: Path | None = None
    """The vocabulary the trainer must read instead of the shipped one (kind vocabulary)."""


def dump_toml(data: dict[str, Any]) -> str:
    """TOML text for ``data``: top-level keys, every table inline (nesting is unbounded)."""
    return "".join(f"{_key(k)} = {_value(v)}\n" for k, v in data.items())


def _key(key: str) -> str:
    return json.dumps(str(key), ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(type(value))


def leaves(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every (path, value) of scalars and containers below the top level."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*path, key), value
            yield from leaves(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield (*path, i), value
            yield from leaves(value, (*path, i))


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _delete(data: Any, path: tuple[Any, ...]) -> None:
    for part in path[:-1]:
        data = data[part]
    del data[path[-1]]


def _leaf_name(path: tuple[Any, ...]) -> str | None:
    named = [p for p in path if isinstance(p, str)]
    return named[-1] if named else None


def _numbers(data: Any, skip: tuple[str, ...]) -> list[tuple[Any, ...]]:
    return [path for path, value in leaves(data)
            if isinstance(value, int | float) and not isinstance(value, bool)
            and not any(part in skip for part in path)]


class Generator:
    """Writes mutants of the shipped files into a folder, deterministically per seed."""

    # Keys whose values may legitimately be of several types (drill flags), or are free text.
    LOOSE = ("set", "effects_note")

    def __init__(self, folder: Path, seed: int) -> None:
        self.folder = folder
        self.rng = random.Random(seed)
        self.count = 0

    # -- the shipped files each kind starts from -------------------------------------
    def _sources(self, kind: str) -> list[Path]:
        if kind == "scenario":
            return sorted((SCENARIOS / "sim").glob("*.toml"))
        if kind == "experiment":
            return sorted((SCENARIOS / "experiments").glob("*.toml"))
        if kind == "pack":
            return sorted((SCENARIOS / "rules").glob("*.toml"))
        if kind == "drill":
            return sorted((SCENARIOS / "roleplay").glob("*.*.toml"))
        if kind == "vocabulary":
            return [SCENARIOS / "roleplay" / "vocabulary.toml"]
        if kind == "corpus":
            return sorted((SCENARIOS / "utterances").glob("*.tsv"))
        return [SCENARIOS / "roleplay" / "tags.toml"]

    def _workspace(self) -> Path:
        """A fresh folder holding copies of what the entry files reference."""
        self.count += 1
        work = self.folder / f"m{self.count:04d}"
        shutil.copytree(SCENARIOS / "sim", work / "sim")
        (work / "sim" / "small.toml").write_text(SMALL_SCENARIO, encoding="utf-8")
        (work / "rules").mkdir()
        (work / "roleplay").mkdir()
        return work

    # -- mutations of parsed data --------------------------------------------------------
    def mutate(self, kind: str) -> Mutant:
        """One mutant of ``kind``; the mutation is drawn from the seeded generator."""
        if kind == "corpus":
            return self._mutate_corpus()
        source = self.rng.choice(self._sources(kind))
        data = tomllib.loads(source.read_text(encoding="utf-8"))
        if kind == "experiment":
            data["scenario"] = "sim/small.toml"  # before mutating: the mutation may hit it
        mutation = self.rng.choice(MUTATIONS)
        work = self._workspace()
        key: str | None = None
        must = True
        raw: bytes | None = None
        special: str | None = None
        if mutation == "deleted-key":
            path = self.rng.choice([p for p, _ in leaves(data)])
            _delete(data, path)
            key, must = None, False
        elif mutation == "wrong-type":
            path = self.rng.choice([p for p, v in leaves(data)
                                    if not any(part in self.LOOSE for part in p)])
            original = _get(data, path)
            _set(data, path, _wrong_type(original))
            key = _leaf_name(path)
        elif mutation in ("non-finite", "huge-number"):
            numbers = _numbers(data, self.LOOSE)
            if not numbers:
                return self.mutate(kind)
            path = self.rng.choice(numbers)
            new = (self.rng.choice([math.inf, -math.inf, math.nan]) if mutation == "non-finite"
                   else self.rng.choice([10**30, 2**63 - 1, 1e300, -(10**30)]))
            _set(data, path, new)
            key = _leaf_name(path)
            # A root seed may be any 64-bit number, so 2**63 - 1 is a valid one.
            must = not (key == "seed" and new == 2**63 - 1)
        elif mutation == "deep-nesting":
            # An existing value becomes an array nested `depth` deep. At 200 the parser
            # copes and the reader's own limit names the key; deeper, the parser's stack
            # gives out first and only the file can be named.
            depth = self.rng.choice([200, 2000, 5000])
            path = self.rng.choice([p for p, _ in leaves(data)])
            _set(data, path, DEEP)
            raw = dump_toml(data).replace(json.dumps(DEEP), "[" * depth + "]" * depth).encode()
            key = _leaf_name(path) if depth == 200 else None
        elif mutation == "invalid-utf8":
            text = dump_toml(data).encode()
            cut = self.rng.randrange(len(text))
            raw = text[:cut] + b"\xff\xfe" + text[cut:]
        elif mutation == "special-file":
            # A folder given to lint/playthrough is a library to scan, not a bad file.
            kinds = ["fifo", "/dev/zero"] + ([] if kind == "drill" else ["directory"])
            special = self.rng.choice(kinds)
        return self._write(kind, source, data, raw, special, mutation, key, must, work)

    def _write(self, kind: str, source: Path, data: dict[str, Any], raw: bytes | None,
               special: str | None, mutation: str, key: str | None, must: bool,
               work: Path) -> Mutant:
        broken_reference = mutation == "broken-reference"
        if kind == "scenario":
            culprit = work / "sim" / source.name
            entry = culprit
            if broken_reference:
                # The scenario inherits from a base that does not exist.
                data = {**data, "inherit": "no-such-base.toml"}
                key = "inherit"
        elif kind == "experiment":
            culprit = entry = work / source.name
            if broken_reference:
                data["scenario"] = "sim/missing.toml"
                key = "scenario"
        elif kind == "pack":
            culprit = work / "rules" / source.name
            entry = work / "sim" / "baseline.toml"
            base = tomllib.loads(entry.read_text(encoding="utf-8"))
            base.setdefault("compliance", {})["pack"] = f"../rules/{source.name}"
            if broken_reference:
                base["compliance"]["pack"] = "../rules/missing.toml"
                culprit, key = entry, "pack"
            entry.write_text(dump_toml(base), encoding="utf-8")
            data = dict(data)
        elif kind == "drill":
            culprit = entry = work / "roleplay" / source.name
            shutil.copy(SCENARIOS / "roleplay" / "tags.toml", work / "roleplay" / "tags.toml")
            if broken_reference:
                data["meta"]["rule_pack"] = "../rules/missing.toml"
                key = "rule_pack"
        elif kind == "vocabulary":  # read by every drill; nothing names it by path
            culprit = work / "roleplay" / "vocabulary.toml"
            drill = self.rng.choice(self._sources("drill"))
            entry = work / "roleplay" / drill.name
            shutil.copy(drill, entry)
            if broken_reference:
                special = "fifo"
        else:  # tags: the drill uses the tag list beside it
            culprit = work / "roleplay" / "tags.toml"
            drill = self.rng.choice(self._sources("drill"))
            entry = work / "roleplay" / drill.name
            shutil.copy(drill, entry)
            if broken_reference:  # a tag list that is not there falls back to the shipped one
                special = "fifo"
        vocabulary = culprit if kind == "vocabulary" else None
        if special is not None:
            if kind in ("tags", "vocabulary") or not broken_reference:
                culprit = _make_special(culprit, special)
                if kind in ("scenario", "experiment", "drill"):
                    entry = culprit
            return Mutant(kind, mutation, entry, culprit, None, True, vocabulary)
        culprit.write_bytes(raw if raw is not None else dump_toml(data).encode())
        return Mutant(kind, mutation, entry, culprit, key, must, vocabulary)

    def _mutate_corpus(self) -> Mutant:
        """A corpus folder holding one mutated ``<language>.tsv`` (``analyse-eval --corpus``)."""
        source = self.rng.choice(self._sources("corpus"))
        lines = source.read_text(encoding="utf-8").splitlines()
        mutation = self.rng.choice(CORPUS_MUTATIONS)
        self.count += 1
        folder = self.folder / f"m{self.count:04d}" / "utterances"
        folder.mkdir(parents=True)
        culprit = folder / source.name
        number = self.rng.randrange(1, len(lines))  # a row, never the header
        cells = lines[number].split("\t")
        where = f"line {number + 1}"
        key: str | None = where
        raw: bytes | None = None
        if mutation == "deleted-key":  # a cell missing: the row has 4 columns
            del cells[self.rng.randrange(len(cells))]
        elif mutation == "wrong-type":
            column = self.rng.choice(["language", "split", "tags"])
            cells[("id", "language", "split", "tags", "text").index(column)] = "7"
            key = f"{where}.{column}"
        elif mutation == "huge-number":
            if self.rng.random() < 0.5:  # a line longer than a line can be
                cells[4] = "x" * self.rng.choice([1001, 100_000])
                key = f"{where}.text"
            else:  # a file past the reader's size limit
                cells[4] = "x" * (6 * 1024 * 1024)
                key = None
        elif mutation == "invalid-utf8":
            text = "\n".join(lines).encode()
            cut = self.rng.randrange(len(text))
            raw = text[:cut] + b"\xff\xfe" + text[cut:]
            key = None
        elif mutation == "special-file":
            _make_special(culprit, self.rng.choice(["fifo", "/dev/zero", "directory"]))
            return Mutant("corpus", mutation, folder, culprit, None, True)
        else:  # broken-reference: --corpus names a folder without corpus files
            return Mutant("corpus", mutation, folder, folder, None, True)
        lines[number] = "\t".join(cells)
        culprit.write_bytes(raw if raw is not None else ("\n".join(lines) + "\n").encode())
        return Mutant("corpus", mutation, folder, culprit, key, True)


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _wrong_type(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return 7
    if isinstance(value, dict):
        return 7
    if isinstance(value, list):
        return "x"
    return {"x": 1}


def _make_special(path: Path, what: str) -> Path:
    path.unlink(missing_ok=True)  # the workspace holds a regular copy of the file
    if what == "fifo":
        os.mkfifo(path)
        return path
    if what == "directory":
        path.mkdir()
        return path
    path.symlink_to(what)
    return path
