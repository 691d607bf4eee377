"""Writing experiment outputs so that a reader never sees half of them.

A comparison or a sweep writes several CSVs and plots. If it fails or is killed
half-way, the output directory must not end up with a fresh ``runs.csv`` next to a
stale ``summary.csv``. Everything is first written into a hidden staging directory
inside the destination (same file system, so renames are atomic); only when every
file is complete are they renamed into place, one atomic rename per file. A
failure removes the staging directory and leaves the destination as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def staged_directory(destination: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a scratch directory whose files are moved into ``destination`` on success."""
    target = Path(destination)
    target.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=target))
    try:
        yield staging
        for path in sorted(staging.rglob("*")):
            if path.is_file():
                final = target / path.relative_to(staging)
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
