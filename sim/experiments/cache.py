"""A resumable on-disk cache of finished simulation runs.

A staffing sweep or a 30-replication comparison can take minutes to hours. If it
is interrupted (a laptop lid, a killed job, even ``kill -9``), rerunning it should
only compute what is missing. Each finished run is stored as one small JSON file
holding its KPI values, named by a hash of everything that determines the result:

- the scenario's fingerprint (sha256 of its canonical JSON, so any edit to the
  scenario, however small, is a different key and never served a stale result);
- the seed and the replication;
- the package version and a digest of the engine's source and rule packs, so a
  changed model invalidates old results even before the version is bumped.

Writes are atomic: the file is written under a temporary name in the same
directory, flushed to disk, then renamed over its final name. A kill at any moment
leaves either no file or a complete one; stray temporary files are ignored. The
stored key fields are checked again on every read.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

DEFAULT_DIRECTORY = ".recoverylab-cache"
"""Where the command-line tools keep finished runs unless told otherwise."""

_FORMAT = 1


@functools.cache
def code_version() -> str:
    """Package version plus a digest of the simulation engine's source and rule packs."""
    try:
        version = metadata.version("recoverylab")
    except metadata.PackageNotFoundError:
        version = "unknown"
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    files = sorted(p for p in root.rglob("*.py") if not _outside_engine(p.relative_to(root)))
    rules = root.parent / "scenarios" / "rules"
    files += sorted(rules.glob("*.toml")) if rules.is_dir() else []
    for path in files:
        digest.update(str(path.relative_to(root.parent)).encode())
        digest.update(path.read_bytes())
    return f"{version}+{digest.hexdigest()[:16]}"


def _outside_engine(relative: Path) -> bool:
    # Experiment orchestration and command-line code cannot change a run's result.
    return relative.parts[0] in {"experiments", "commands"} or relative.name in {
        "cli.py", "cli_support.py", "plots.py", "__main__.py"
    }


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
        """The stored KPI values of this run, or None if it has not finished before."""
        path = self.path(fingerprint, seed, replication)
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(stored, dict) or stored.get("key") != self._fields(
            fingerprint, seed, replication
        ):
            return None
        kpis = stored.get("kpis")
        if not isinstance(kpis, dict):
            return None
        return {str(k): float(v) for k, v in kpis.items()}

    def put(
        self, fingerprint: str, seed: int, replication: int, kpis: Mapping[str, float]
    ) -> None:
        """Store a finished run atomically (complete file or none at all)."""
        path = self.path(fingerprint, seed, replication)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"key": self._fields(fingerprint, seed, replication),
                   "kpis": {k: float(v) for k, v in kpis.items()}}
        atomic_write_text(path, json.dumps(payload, sort_keys=True))

    def __len__(self) -> int:
        return sum(1 for _ in self.directory.glob("*/*.json"))


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
