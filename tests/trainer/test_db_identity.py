"""Opening a database: recognised by its SQLite application_id before anything is written."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from trainer.db_identity import APPLICATION_ID, ForeignDatabaseError, check_before_open
from trainer.storage import SCHEMA_VERSION, Storage, StorageError


def _foreign(path: Path, user_version: int = 0, table: str = "invoices") -> str:
    conn = sqlite3.connect(path)
    conn.execute(f"CREATE TABLE {table}(id INTEGER)")
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.commit()
    conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("user_version", [0, 1, 5])
def test_another_programs_database_is_refused_and_not_modified(
    tmp_path: Path, user_version: int
) -> None:
    path = tmp_path / "other.db"
    digest = _foreign(path, user_version)
    with pytest.raises(StorageError) as info:
        Storage.open(path)
    text = info.value.render()
    assert "another program" in text and "newer" not in text
    assert f"user_version {user_version}" in text and "invoices" in text
    assert "--db" in info.value.advice
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest  # not switched to WAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_database_with_another_application_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE trainees(id TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="application_id 0x000004d2"):
        Storage.open(path)


def test_our_database_carries_our_application_id(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    Storage.open(path).close()
    assert sqlite3.connect(path).execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    Storage.open(path).close()  # and is recognised the next time


def test_an_older_database_without_the_id_is_recognised_by_its_tables(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    Storage.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 0")
    conn.commit()
    conn.close()
    Storage.open(path).close()
    assert sqlite3.connect(path).execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write read-only files")
def test_a_read_only_database_is_refused_at_start(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    Storage.open(path).close()
    path.chmod(0o444)
    with pytest.raises(StorageError, match="read-only"):
        Storage.open(path)


def test_a_read_only_database_is_refused_at_start_even_for_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "t.db"
    Storage.open(path).close()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == path and
                        mode == os.W_OK else real_access(p, mode))
    with pytest.raises(StorageError) as info:
        Storage.open(path)
    assert "read-only" in info.value.problem and "chmod u+w" in info.value.advice


def test_a_locked_database_is_refused_at_start(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    Storage.open(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(ForeignDatabaseError, match="locked") as info:
            check_before_open(path, 0.1, SCHEMA_VERSION)
        assert "Close the other program" in info.value.advice
    finally:
        holder.execute("ROLLBACK")
        holder.close()
