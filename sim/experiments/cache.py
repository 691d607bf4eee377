"""A resumable on-disk cache of finished simulation runs.

A staffing sweep or a 30-replication comparison can take minutes to hours. If it
is interrupted (a laptop lid, a killed job, even ``kill -9``), rerunning it should
only compute what is missing. Each finished run is stored as one small JSON file
holding its KPI values, named by a hash of everything the run reads:

- the scenario's content *after* ``inherit`` (sha256 of its canonical JSON, so any
  edit to the scenario or to a file it inherits is a different key);
- the *content* of the rule pack it names, not the pack's name: an edited custom pack
  (or a shipped one changed by an upgrade) is never served an old result;
- the seed and the replication;
- the package version and a digest of the engine's source, so a changed model
  invalidates old results even before the version is bumped.

A cache must never lie, so anything unexpected in an entry is a miss, never a crash
or a wrong answer: a truncated or corrupt file, something that is not a regular file, a
key that does not match, a value that is not a number or is infinite, or KPI values
edited by hand (each entry carries a checksum of its values). The run is then computed
again and its entry written over the bad one. Writes are atomic: the file is written
under a temporary name in the same folder, flushed to disk, then renamed over its final
name, so a kill at any moment leaves either no file or a complete one.

The command-line tools keep the cache in the user's cache folder
(:func:`default_directory`, from ``platformdirs``); ``--cache DIR`` or the
``RECOVERYLAB_CACHE`` variable moves it and ``--no-cache`` turns it off. Nothing is
written into the current folder unasked.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import os
import tempfile
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

DISTRIBUTION = "recoverylab-collections"
"""The name the package is installed under (its version is part of every key)."""

_FORMAT = 2


def default_directory() -> Path:
    """The user's cache folder for finished runs (``RECOVERYLAB_CACHE`` overrides it).

    On Linux ``~/.cache/recoverylab/runs``; macOS and Windows get their own conventional
    places from ``platformdirs``.
    """
    chosen = os.environ.get("RECOVERYLAB_CACHE")
    if chosen:
        return Path(chosen)
    import platformdirs

    return Path(platformdirs.user_cache_dir("recoverylab", appauthor=False)) / "runs"


@functools.cache
def code_version() -> str:
    """Package version plus a digest of the simulation engine's source."""
    try:
        version = metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        version = "unknown"
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*.py") if not _outside_engine(p.relative_to(root))):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return f"{version}+{digest.hexdigest()[:16]}"


def _outside_engine(relative: Path) -> bool:
    # Experiment orchestration and command-line code cannot change a run's result.
    return relative.parts[0] in {"experiments", "commands"} or relative.name in {
        "cli.py", "cli_support.py", "plots.py", "__main__.py"
    }


def run_fingerprint(scenario: Any) -> str:
    """What a run of ``scenario`` reads: its content after ``inherit`` and its pack's bytes.

    Objects that are not scenarios (test stand-ins) need only a ``fingerprint()``.
    """
    digest = hashlib.sha256(scenario.fingerprint().encode())
    pack = getattr(getattr(scenario, "compliance", None), "pack", None)
    if pack is not None:
        from sim.errors import ConfigError
        from sim.files import read_bytes
        from sim.rules import pack_path

        try:
            digest.update(read_bytes(pack_path(pack), "rule pack"))
        except ConfigError:
            digest.update(b"<unreadable pack>")  # the run itself will report it
    return digest.hexdigest()


class RunCache:
    """Finished runs on disk, keyed by scenario fingerprint, seed, replication and code."""

    def __init__(self, directory: str | os.PathLike[str], version: str | None = None) -> None:
        self.directory = Path(directory)
        self.version = version if version is not None else code_version()

    def __repr__(self) -> str:
        return f"RunCache({str(self.directory)!r})"

    def _fields(self, fingerprint: str, seed: int, replication: int) -> dict[str, object]:
        return {"format": _FORMAT, "fingerprint": fingerprint, "seed": seed,
                "replication": replication, "version": self.version}

    def path(self, fingerprint: str, seed: int, replication: int) -> Path:
        fields = self._fields(fingerprint, seed, replication)
        key = hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()
        return self.directory / key[:2] / f"{key}.json"

    def get(self, fingerprint: str, seed: int, replication: int) -> dict[str, float] | None:
        """The stored KPI values of this run, or None if there is no trustworthy entry."""
        from sim.errors import ConfigError
        from sim.files import read_bytes

        path = self.path(fingerprint, seed, replication)
        try:
            # The one reader: a FIFO or a folder where an entry should be is a miss, not a hang.
            stored = json.loads(read_bytes(path, "cache entry"))
        except (ConfigError, ValueError, RecursionError):
            return None
        if not isinstance(stored, dict) or stored.get("key") != self._fields(
            fingerprint, seed, replication
        ):
            return None
        kpis = stored.get("kpis")
        if not isinstance(kpis, dict) or stored.get("checksum") != _checksum(kpis):
            return None
        if not all(_stored_value(v) for v in kpis.values()):
            return None
        return {str(k): float(v) for k, v in kpis.items()}

    def put(
        self, fingerprint: str, seed: int, replication: int, kpis: Mapping[str, float]
    ) -> None:
        """Store a finished run atomically (complete file or none at all)."""
        path = self.path(fingerprint, seed, replication)
        path.parent.mkdir(parents=True, exist_ok=True)
        values = {str(k): float(v) for k, v in kpis.items()}
        payload = {"key": self._fields(fingerprint, seed, replication), "kpis": values,
                   "checksum": _checksum(values)}
        atomic_write_text(path, json.dumps(payload, sort_keys=True))

    def __len__(self) -> int:
        return sum(1 for _ in self.directory.glob("*/*.json"))


def _stored_value(value: object) -> bool:
    """Whether ``value`` is one :meth:`RunCache.put` could have written.

    ``put`` writes every KPI as a float, so anything else (text, a list, null, a bool, an
    integer -- one with 400 digits would overflow ``float``) is a damaged entry. NaN is a
    real result (the engine's shares of nothing are NaN) and is kept; an infinity is
    treated as damage like the rest: at worst the run is computed again.
    """
    return type(value) is float and not math.isinf(value)


def _checksum(kpis: Mapping[str, Any]) -> str:
    """A digest of the stored values, so an entry edited by hand is a miss."""
    text = json.dumps(kpis, sort_keys=True, allow_nan=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the whole new one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
