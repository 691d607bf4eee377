"""Recognising the trainer's database before writing a single byte to it.

``--db FILE`` can name anything: another program's SQLite database, a text file, a file
the trainee may only read, or a database a colleague's session holds locked. Opening
it the usual way is not harmless -- switching to WAL mode and migrating both write -- so
:func:`check_before_open` looks first, reading only:

- the first 100 bytes must be an SQLite header;
- the SQLite ``application_id`` must be RecoveryLab's (:data:`APPLICATION_ID`), or zero
  in a file that is empty or already holds our tables (databases created before the id
  was stamped); any other id, or zero with someone else's tables, is another program's;
- the file and its folder must be writable (WAL keeps ``-wal``/``-shm`` files beside it);
- no other connection may hold the write lock for longer than the busy timeout.

Each refusal says what was found and what to do. :func:`stamp` writes the id into a
database we created or recognised, so the next check is a single header read.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

APPLICATION_ID = 0x52_4C_61_62  # "RLab"
"""SQLite ``PRAGMA application_id`` of a RecoveryLab trainer database."""

SQLITE_MAGIC = b"SQLite format 3\x00"
OUR_TABLES = frozenset({"trainees", "sessions"})
"""Tables every version of our schema has (used only for databases without the id)."""

MOVE_ASIDE = (
    "Move the file aside (it may be restored from a backup), or pass --db with another file."
)


class ForeignDatabaseError(Exception):
    """Raised as :class:`trainer.storage.StorageError` by the caller (no import cycle)."""

    def __init__(self, problem: str, advice: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.advice = advice


def check_before_open(path: Path, busy_timeout_s: float, schema_version: int) -> None:
    """Refuse ``path`` unless it is new, empty, or ours and writable; never writes."""
    if not path.exists():
        folder = path.parent
        if folder.is_dir() and not os.access(folder, os.W_OK):
            raise ForeignDatabaseError(
                f"cannot create the database: the folder {folder} is read-only",
                "Pass --db with a file in a folder you may write to.")
        return  # sqlite reports a missing folder in its own words
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise ForeignDatabaseError("not a regular file (a folder or a device)",
                                   "Pass --db with the path of a database file.")
    if info.st_size == 0:
        _check_writable(path)
        return
    header = _header(path)
    if not header.startswith(SQLITE_MAGIC):
        raise ForeignDatabaseError(
            f"not a RecoveryLab database, or it is damaged (no SQLite header; it starts with "
            f"{header[:16]!r})", MOVE_ASIDE)
    app_id, user_version, tables = _identity(path, header)
    if app_id not in (0, APPLICATION_ID):
        raise ForeignDatabaseError(
            f"this SQLite file belongs to another program (application_id {app_id:#010x}, "
            f"not RecoveryLab's {APPLICATION_ID:#010x})", MOVE_ASIDE)
    if app_id == 0 and tables and not tables >= OUR_TABLES:
        listing = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise ForeignDatabaseError(
            f"this SQLite file belongs to another program (no RecoveryLab application id; "
            f"user_version {user_version}; tables: {listing})", MOVE_ASIDE)
    if app_id == 0 and not tables and user_version != 0:
        raise ForeignDatabaseError(
            f"this SQLite file belongs to another program (no tables, user_version "
            f"{user_version}, no RecoveryLab application id)", MOVE_ASIDE)
    if user_version > schema_version:
        raise ForeignDatabaseError(
            f"schema version {user_version} is newer than this RecoveryLab understands "
            f"({schema_version})", "Upgrade RecoveryLab, or pass --db with another file.")
    _check_writable(path)
    _check_not_locked(path, busy_timeout_s)


def stamp(conn: sqlite3.Connection) -> None:
    """Write :data:`APPLICATION_ID` into a database we created or recognised."""
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _header(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(100)


def _identity(path: Path, header: bytes) -> tuple[int, int, frozenset[str]]:
    """``(application_id, user_version, tables)``, read without writing anything."""
    app_id = int.from_bytes(header[68:72], "big")
    user_version = int.from_bytes(header[60:64], "big")
    tables: frozenset[str] = frozenset()
    try:
        # Read-only and immutable-free: a WAL file's newer pages are seen, nothing written.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            user_version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = frozenset(row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"))
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # the header's values stand; opening proper will explain any damage
    return app_id, user_version, tables


def _check_writable(path: Path) -> None:
    if not os.access(path, os.W_OK):
        mode = stat.filemode(path.stat().st_mode)
        raise ForeignDatabaseError(
            f"the database file is read-only ({mode}); trainees could not save their drills",
            f"Make it writable (chmod u+w {path}), or pass --db with a file you may write.")
    if not os.access(path.parent, os.W_OK):
        raise ForeignDatabaseError(
            f"the folder {path.parent} is read-only; the database keeps its journal beside it",
            "Move the database to a folder you may write to, or pass --db with another file.")


def _check_not_locked(path: Path, busy_timeout_s: float) -> None:
    conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")  # takes the write lock; nothing is written
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise ForeignDatabaseError(
                f"the database is locked by another program ({exc}; waited "
                f"{busy_timeout_s:g} s)",
                "Close the other program or session using it and start again, or pass --db "
                "with another file.") from None
        raise ForeignDatabaseError(f"cannot use the database ({exc})", MOVE_ASIDE) from None
    finally:
        conn.close()
