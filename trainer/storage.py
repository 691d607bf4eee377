"""Where a trainee's work lives: one SQLite file, safe against crashes and neighbours.

A collections floor trains many people on shared machines, and a drill interrupted by a
closed laptop must not cost the trainee their progress. So the store follows three rules:

- **Every completed turn is committed as it happens.** The session's full JSON (which the
  engine replays deterministically) is rewritten with each turn, next to an append-only
  log of the actions. After ``kill -9`` the next start finds the session still ``active``
  and offers to resume it.
- **Two trainees on one file lose nothing.** The database runs in WAL mode so readers
  never wait for writers; every write is one short ``BEGIN IMMEDIATE`` transaction, and
  ``busy_timeout`` makes a writer wait its turn instead of failing.
- **One window writes a drill.** A running drill holds a lease (:meth:`Storage.take_lease`):
  this app instance's id and an expiry it renews while the call is on screen. Every write
  to the drill checks it in the same transaction, so a second window on the same drill
  can only watch it or take it over; the first then stops writing (:class:`LeaseLostError`)
  instead of both appending to one turn log. A killed instance's lease simply runs out.
- **A bad file is explained, not crashed on.** Every ``sqlite3`` error becomes a
  :class:`StorageError` that names the file and says what to do; the CLI prints it and
  exits with code 2.

The schema carries a version (``PRAGMA user_version``) and is brought up to date by the
ordered migrations in :data:`MIGRATIONS` when the file is opened.

Nothing here imports Textual or the dialogue engine: rows go in and out as plain
dataclasses, so the manager report can run headless over the same file.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

APP_NAME = "recoverylab"
BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another process's transaction before giving up."""
LEASE_SECONDS = 30
"""How long a drill stays held by a window that stops renewing (killed, asleep): after
that another window may resume it without taking it over."""

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # version 1: trainees, sessions with their turn log, finished results.
    (
        """CREATE TABLE trainees(
            id TEXT PRIMARY KEY,
            display_name TEXT NOT NULL,
            language TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_seen TEXT NOT NULL)""",
        """CREATE TABLE sessions(
            id INTEGER PRIMARY KEY,
            trainee_id TEXT NOT NULL REFERENCES trainees(id),
            scenario_id TEXT NOT NULL,
            scenario_language TEXT NOT NULL,
            scenario_path TEXT NOT NULL,
            title TEXT NOT NULL,
            debtor_type TEXT NOT NULL,
            difficulty TEXT NOT NULL,
            rule_pack TEXT NOT NULL,
            seed INTEGER NOT NULL,
            timer_seconds INTEGER,
            status TEXT NOT NULL CHECK (status IN ('active', 'finished', 'abandoned')),
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            turns INTEGER NOT NULL DEFAULT 0,
            state_json TEXT NOT NULL)""",
        "CREATE INDEX sessions_by_trainee ON sessions(trainee_id, status)",
        """CREATE TABLE turns(
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            seq INTEGER NOT NULL,
            action TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (session_id, seq))""",
        """CREATE TABLE results(
            session_id INTEGER PRIMARY KEY REFERENCES sessions(id),
            finished_at TEXT NOT NULL,
            outcome TEXT NOT NULL,
            compliance REAL NOT NULL,
            deescalation REAL NOT NULL,
            outcome_score REAL NOT NULL,
            overall REAL NOT NULL,
            pass_mark REAL NOT NULL,
            passed INTEGER NOT NULL,
            critical INTEGER NOT NULL)""",
        """CREATE TABLE violations(
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            turn INTEGER NOT NULL,
            rule_id TEXT NOT NULL,
            severity TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            citation TEXT NOT NULL DEFAULT '')""",
        "CREATE INDEX violations_by_rule ON violations(rule_id)",
        """CREATE TABLE skill_results(
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            skill TEXT NOT NULL,
            good INTEGER NOT NULL,
            bad INTEGER NOT NULL,
            PRIMARY KEY (session_id, skill))""",
        "CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
    # version 2: roles and credentials, per-decision timing, whether a call was resolved.
    (
        "ALTER TABLE trainees ADD COLUMN role TEXT NOT NULL DEFAULT 'trainee'"
        " CHECK (role IN ('trainee', 'manager'))",
        """CREATE TABLE credentials(
            trainee_id TEXT PRIMARY KEY REFERENCES trainees(id),
            algorithm TEXT NOT NULL,
            params TEXT NOT NULL,
            salt BLOB NOT NULL,
            digest BLOB NOT NULL,
            updated_at TEXT NOT NULL)""",
        """CREATE TABLE decisions(
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            seq INTEGER NOT NULL,
            think_ms INTEGER NOT NULL,
            options INTEGER NOT NULL,
            chose_longest INTEGER NOT NULL,
            min_read_ms INTEGER NOT NULL,
            PRIMARY KEY (session_id, seq))""",
        "ALTER TABLE results ADD COLUMN resolved INTEGER",
    ),
    # free-reply mode: what the trainee typed at a decision and the option it was read
    # as (NULL for a miss); both NULL for a multiple-choice decision.
    (
        "ALTER TABLE decisions ADD COLUMN typed TEXT",
        "ALTER TABLE decisions ADD COLUMN matched TEXT",
    ),
    # version 4: which app instance holds a running drill, and until when.
    (
        "ALTER TABLE sessions ADD COLUMN holder TEXT",
        "ALTER TABLE sessions ADD COLUMN lease_until TEXT",
    ),
    # version 5: the reply mode a call was opened in (NULL: filed before), and the drills
    # a manager certifies only when the trainee types the replies.
    (
        "ALTER TABLE sessions ADD COLUMN reply_mode TEXT"
        " CHECK (reply_mode IN ('typed', 'options'))",
        """CREATE TABLE typed_required(
            scenario_id TEXT PRIMARY KEY,
            set_by TEXT NOT NULL REFERENCES trainees(id),
            set_at TEXT NOT NULL)""",
    ),
)
"""Ordered schema migrations; entry ``i`` moves the file from version ``i`` to ``i + 1``."""

SCHEMA_VERSION = len(MIGRATIONS)


class StorageError(Exception):
    """The training database cannot be used; the message says why and what to do."""

    def __init__(self, path: str | Path, problem: str, advice: str = "") -> None:
        self.path = str(path)
        self.problem = problem
        self.advice = advice
        super().__init__(self.render())

    def render(self) -> str:
        """Format the problem for a terminal, headed by the file name."""
        text = f"error: {self.path}: {self.problem}"
        return f"{text}\n  {self.advice}" if self.advice else text


class LeaseLostError(ValueError):
    """Another window took this drill over: this one may no longer write it."""

    def __init__(self, session_id: int) -> None:
        self.session_id = session_id
        super().__init__(f"session {session_id} is now held by another window")


def default_db_path() -> Path:
    """The per-user database path (e.g. ``~/.local/share/recoverylab/trainer.db``)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "trainer.db"


def trainee_key(name: str) -> str:
    """Normalise what a trainee typed at sign-in into their stable id."""
    return " ".join(name.split()).casefold()


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Trainee:
    id: str
    display_name: str
    language: str


@dataclass(frozen=True, slots=True)
class ScenarioInfo:
    """What the store needs to know about a drill to file and report it."""

    scenario_id: str
    language: str
    path: str
    title: str
    debtor_type: str
    difficulty: str
    rule_pack: str


@dataclass(frozen=True, slots=True)
class ActiveSession:
    """An unfinished drill, with everything needed to rebuild it."""

    id: int
    trainee_id: str
    scenario: ScenarioInfo
    seed: int
    timer_seconds: int | None
    turns: int
    state_json: str
    updated_at: str
    held_elsewhere: bool = False
    """Another window holds a live lease on it: it may be watched or taken over, not
    simply resumed."""
    typed: bool = False
    """Opened in free-reply mode: it resumes in that mode."""


@dataclass(frozen=True, slots=True)
class ViolationRecord:
    turn: int
    rule_id: str
    severity: str
    title: str = ""
    citation: str = ""


@dataclass(frozen=True, slots=True)
class AttemptResult:
    """The scored end of a drill, as the debrief computed it."""

    outcome: str
    compliance: float
    deescalation: float
    outcome_score: float
    overall: float
    pass_mark: float
    passed: bool
    critical: bool
    violations: Sequence[ViolationRecord] = ()
    skills: dict[str, tuple[int, int]] = field(default_factory=dict)
    """skill -> (good behaviours shown, bad behaviours shown) in this drill."""
    resolved: bool | None = None
    """The call reached a right resolution for its debtor type (None: not recorded)."""


@dataclass(frozen=True, slots=True)
class Attempt:
    """A finished drill as the progress screen and the manager report read it."""

    session_id: int
    trainee_id: str
    trainee_name: str
    scenario: ScenarioInfo
    finished_at: str
    outcome: str
    compliance: float
    deescalation: float
    outcome_score: float
    overall: float
    passed: bool
    critical: bool


@dataclass(frozen=True, slots=True)
class Decision:
    """How a trainee made one choice (what the gaming flags read)."""

    think_ms: int
    """From the options appearing to the choice."""
    options: int
    chose_longest: bool
    """The option chosen was strictly the longest shown."""
    min_read_ms: int
    """The least time a fast reader needs for the debtor's line and the options shown
    (:data:`trainer.gaming.READING_RATE`); choosing faster means not reading."""
    typed: str | None = None
    """Free-reply mode: the words the trainee typed (None for a multiple-choice pick)."""
    matched: str | None = None
    """Free-reply mode: the option id the words were read as (None for a miss)."""


ROLES = ("trainee", "manager")
SCRYPT_PARAMS = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
"""scrypt cost: 16 MiB and well under a second per check, as the standard library allows."""


def hash_password(password: str) -> tuple[str, str, bytes, bytes]:
    """``(algorithm, params, salt, digest)`` of a fresh salted scrypt hash."""
    import hashlib
    import os

    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **SCRYPT_PARAMS)
    return "scrypt", json.dumps(SCRYPT_PARAMS, sort_keys=True), salt, digest


def verify_password(password: str, algorithm: str, params: str, salt: bytes,
                    digest: bytes) -> bool:
    """Recompute the hash with the stored salt and parameters; compare in constant time."""
    import hashlib
    import hmac

    if algorithm != "scrypt":
        return False
    got = hashlib.scrypt(password.encode("utf-8"), salt=salt, **json.loads(params))
    return hmac.compare_digest(got, digest)


@dataclass(frozen=True, slots=True)
class BestScore:
    best: float
    attempts: int
    passed: bool


class Storage:
    """A trainee database file. Thread-safe: one connection behind a lock."""

    def __init__(self, path: str | Path, *, clock: Callable[[], datetime] = _utcnow) -> None:
        self.path = Path(path)
        self._clock = clock
        self._lock = threading.RLock()
        self.instance = uuid.uuid4().hex
        """This window's id in drill leases (one app instance opens one Storage)."""
        self._recognise()
        self._conn = self._connect()
        self._stamp()

    # -- opening -------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # explicit BEGIN/COMMIT: we choose transaction bounds
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise self._explain(exc) from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
                raise StorageError(
                    self.path, "cannot switch the database to WAL mode",
                    "Use a file on a local disk (WAL does not work on some network shares).",
                )
            # FULL: a committed turn survives a power cut, not only a killed process.
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise StorageError(self.path, f"the database is damaged ({check})", _MOVE_ASIDE)
            self._migrate(conn)
        except sqlite3.Error as exc:
            conn.close()
            raise self._explain(exc) from None
        except StorageError:
            conn.close()
            raise
        return conn

    def _recognise(self) -> None:
        """Refuse another program's, a read-only or a locked file before writing to it."""
        from trainer.db_identity import ForeignDatabaseError, check_before_open

        try:
            check_before_open(self.path, BUSY_TIMEOUT_MS / 1000, SCHEMA_VERSION)
        except ForeignDatabaseError as exc:
            raise StorageError(self.path, exc.problem, exc.advice) from None

    def _stamp(self) -> None:
        """Mark the file as RecoveryLab's (SQLite application_id) once it is ours."""
        from trainer.db_identity import stamp

        with self._write() as db:
            stamp(db)

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StorageError(
                self.path,
                f"schema version {version} is newer than this RecoveryLab understands "
                f"({SCHEMA_VERSION})",
                "Upgrade RecoveryLab, or pass --db with another file.",
            )
        if version == SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise StorageError(
                    self.path, "this SQLite file belongs to another program", _MOVE_ASIDE
                )
            for step in MIGRATIONS[version:]:
                for statement in step:
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _explain(self, exc: sqlite3.Error) -> StorageError:
        text = str(exc)
        if any(word in text for word in ("not a database", "malformed", "corrupt")):
            return StorageError(
                self.path, f"not a RecoveryLab database, or it is damaged ({text})", _MOVE_ASIDE
            )
        if "readonly" in text or "unable to open" in text or "disk I/O" in text:
            return StorageError(
                self.path, f"cannot write the database ({text})",
                "Check that the folder exists and you may write to it, or pass --db FILE.",
            )
        if "locked" in text or "busy" in text:
            return StorageError(
                self.path, f"the database stayed busy for {BUSY_TIMEOUT_MS // 1000} s ({text})",
                "Another program holds it open for writing; try again.",
            )
        if "full" in text:
            return StorageError(self.path, f"the disk is full ({text})", "Free some space.")
        return StorageError(self.path, text)

    @classmethod
    def open(cls, path: str | Path | None = None, **kwargs: Any) -> Storage:
        """Open (creating if needed) the database at ``path`` or the per-user default."""
        if path is None:
            path = default_db_path()
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    path, f"cannot create the data folder ({exc.strerror})"
                ) from None
        return cls(path, **kwargs)

    def close(self) -> None:
        """Hand back this window's leases (a clean exit frees its drills at once), then
        close the file."""
        with self._lock:
            try:
                with self._write() as db:
                    db.execute("UPDATE sessions SET holder = NULL, lease_until = NULL"
                               " WHERE holder = ?", (self.instance,))
            except StorageError:
                pass  # the leases run out on their own; closing must not fail
            self._conn.close()

    # -- plumbing ------------------------------------------------------------------

    def _now(self) -> str:
        return self._clock().isoformat(timespec="seconds")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction; taking the write lock up front avoids deadlocks."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise self._explain(exc) from None

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                cur = self._conn.execute(sql, params)
                cur.row_factory = sqlite3.Row
                return cur.fetchall()
            except sqlite3.Error as exc:
                raise self._explain(exc) from None

    # -- trainees ------------------------------------------------------------------

    def sign_in(self, name: str, language: str | None = None, *, remember: bool = False) -> Trainee:
        """Find or create the trainee; return them with their remembered language.

        A new trainee starts in ``language``; an existing one keeps their remembered
        language unless ``remember`` asks to store ``language`` instead.
        """
        key = trainee_key(name)
        if not key:
            raise ValueError("a trainee needs a name or an employee id")
        now = self._now()
        with self._write() as db:
            row = db.execute("SELECT language FROM trainees WHERE id = ?", (key,)).fetchone()
            if row is None:
                lang = language or "zh-CN"
                db.execute(
                    "INSERT INTO trainees (id, display_name, language, created_at, last_seen)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (key, " ".join(name.split()), lang, now, now),
                )
            else:
                lang = language if remember and language else row[0]
                db.execute(
                    "UPDATE trainees SET last_seen = ?, language = ? WHERE id = ?",
                    (now, lang, key),
                )
            db.execute(
                "INSERT INTO settings VALUES ('last_trainee', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key,),
            )
        return self.trainee(key)  # type: ignore[return-value]

    def trainee(self, trainee_id: str) -> Trainee | None:
        rows = self._read(
            "SELECT id, display_name, language FROM trainees WHERE id = ?", (trainee_id,)
        )
        return Trainee(*rows[0]) if rows else None

    def last_trainee(self) -> Trainee | None:
        rows = self._read("SELECT value FROM settings WHERE key = 'last_trainee'")
        return self.trainee(rows[0][0]) if rows else None

    def set_language(self, trainee_id: str, language: str) -> None:
        with self._write() as db:
            db.execute("UPDATE trainees SET language = ? WHERE id = ?", (language, trainee_id))

    # -- sessions ------------------------------------------------------------------

    def begin_session(
        self,
        trainee_id: str,
        scenario: ScenarioInfo,
        seed: int,
        state_json: str,
        timer_seconds: int | None = None,
        *,
        typed: bool = False,
    ) -> int:
        """File a new drill as active, before its first turn, and return its id; this
        window holds its lease. ``typed``: the call is opened in free-reply mode."""
        now = self._now()
        s = scenario
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO sessions (trainee_id, scenario_id, scenario_language, scenario_path,"
                " title, debtor_type, difficulty, rule_pack, seed, timer_seconds, status,"
                " started_at, updated_at, turns, state_json, holder, lease_until, reply_mode)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, 0, ?, ?, ?, ?)",
                (trainee_id, s.scenario_id, s.language, s.path, s.title, s.debtor_type,
                 s.difficulty, s.rule_pack, seed, timer_seconds, now, now, state_json,
                 self.instance, self._lease_end(), "typed" if typed else "options"),
            )
            return int(cur.lastrowid or 0)

    def record_turn(self, session_id: int, action: dict[str, Any], state_json: str,
                    result: AttemptResult | None = None) -> int:
        """Commit one completed turn: append the action, replace the session JSON.

        With ``result`` (the turn that ended the call, or a wrap-up note after it) the
        score is stored in the same transaction, so a call that has ended is never lost,
        whatever happens to the app afterwards. A finished call takes further turns only
        with a result: the wrap-up re-scores it, nothing else may change it.
        """
        now = self._now()
        with self._write() as db:
            row = db.execute(
                "SELECT turns, status FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
            if row is None or row[1] not in ("active", "finished") or (
                    row[1] == "finished" and result is None):
                raise ValueError(f"session {session_id} is not active")
            self._check_holder(db, session_id)
            seq = int(row[0]) + 1
            db.execute(
                "INSERT INTO turns VALUES (?, ?, ?, ?)",
                (session_id, seq, json.dumps(action, ensure_ascii=False), now),
            )
            db.execute(
                "UPDATE sessions SET turns = ?, state_json = ?, updated_at = ? WHERE id = ?",
                (seq, state_json, now, session_id),
            )
            if result is not None:
                self._store_result(db, session_id, state_json, result, now)
            return seq

    def finish_session(self, session_id: int, state_json: str, result: AttemptResult) -> None:
        """Close a drill with its score, violations and skill evidence, atomically."""
        now = self._now()
        with self._write() as db:
            self._check_holder(db, session_id)
            self._store_result(db, session_id, state_json, result, now)

    @staticmethod
    def _store_result(db: sqlite3.Connection, session_id: int, state_json: str,
                      result: AttemptResult, now: str) -> None:
        """Mark the session finished and (re)write its result; ``finished_at`` keeps the
        moment the call first ended, a later wrap-up only updates the scores."""
        r = result
        db.execute(
            "UPDATE sessions SET status = 'finished', state_json = ?, updated_at = ? "
            "WHERE id = ?",
            (state_json, now, session_id),
        )
        db.execute(
            "INSERT INTO results (session_id, finished_at, outcome, compliance,"
            " deescalation, outcome_score, overall, pass_mark, passed, critical, resolved)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(session_id) DO UPDATE SET"
            " outcome = excluded.outcome, compliance = excluded.compliance,"
            " deescalation = excluded.deescalation, outcome_score = excluded.outcome_score,"
            " overall = excluded.overall, pass_mark = excluded.pass_mark,"
            " passed = excluded.passed, critical = excluded.critical,"
            " resolved = excluded.resolved",
            (session_id, now, r.outcome, r.compliance, r.deescalation, r.outcome_score,
             r.overall, r.pass_mark, int(r.passed), int(r.critical),
             None if r.resolved is None else int(r.resolved)),
        )
        db.execute("DELETE FROM violations WHERE session_id = ?", (session_id,))
        db.executemany(
            "INSERT INTO violations VALUES (?, ?, ?, ?, ?, ?)",
            [(session_id, v.turn, v.rule_id, v.severity, v.title, v.citation)
             for v in r.violations],
        )
        db.execute("DELETE FROM skill_results WHERE session_id = ?", (session_id,))
        db.executemany(
            "INSERT INTO skill_results VALUES (?, ?, ?, ?)",
            [(session_id, skill, good, bad) for skill, (good, bad) in r.skills.items()],
        )

    def abandon_session(self, session_id: int) -> None:
        """Mark a drill the trainee chose not to resume; it stays out of scores."""
        with self._write() as db:
            db.execute(
                "UPDATE sessions SET status = 'abandoned', updated_at = ? "
                "WHERE id = ? AND status = 'active'",
                (self._now(), session_id),
            )

    def active_sessions(self, trainee_id: str) -> list[ActiveSession]:
        """Unfinished drills of a trainee, most recent first (what resume offers)."""
        rows = self._read(
            f"SELECT id, trainee_id, {_SCENARIO_COLUMNS}, seed, timer_seconds, turns,"
            " state_json, updated_at, holder, lease_until, reply_mode FROM sessions"
            " WHERE trainee_id = ? AND status = 'active' ORDER BY updated_at DESC, id DESC",
            (trainee_id,),
        )
        return [
            ActiveSession(
                id=r["id"], trainee_id=r["trainee_id"], scenario=_scenario(r), seed=r["seed"],
                timer_seconds=r["timer_seconds"], turns=r["turns"], state_json=r["state_json"],
                updated_at=r["updated_at"],
                held_elsewhere=self._held_elsewhere(r["holder"], r["lease_until"]),
                typed=r["reply_mode"] == "typed",
            )
            for r in rows
        ]

    def turn_log(self, session_id: int) -> list[dict[str, Any]]:
        rows = self._read(
            "SELECT action FROM turns WHERE session_id = ? ORDER BY seq", (session_id,)
        )
        return [json.loads(r[0]) for r in rows]

    def session_state(self, session_id: int) -> str | None:
        rows = self._read("SELECT state_json FROM sessions WHERE id = ?", (session_id,))
        return rows[0][0] if rows else None

    # -- leases (schema version 3) ---------------------------------------------------

    def _lease_end(self) -> str:
        return (self._clock() + timedelta(seconds=LEASE_SECONDS)).isoformat(timespec="seconds")

    def _held_elsewhere(self, holder: str | None, until: str | None) -> bool:
        """Another window holds a lease that has not run out."""
        return (holder is not None and holder != self.instance and until is not None
                and datetime.fromisoformat(until) > self._clock())

    def _check_holder(self, db: sqlite3.Connection, session_id: int) -> None:
        """Writes to a drill come only from the window holding it (or from anyone when
        no window does, as for drills filed before leases existed)."""
        row = db.execute("SELECT holder FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is not None and row[0] is not None and row[0] != self.instance:
            raise LeaseLostError(session_id)

    def take_lease(self, session_id: int, *, takeover: bool = False) -> bool:
        """Hold ``session_id`` for this window; False if another window holds it and
        ``takeover`` was not asked for. Taking over makes the other window's next write
        fail with :class:`LeaseLostError`."""
        with self._write() as db:
            row = db.execute(
                "SELECT holder, lease_until FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
            if row is None:
                raise ValueError(f"no session {session_id}")
            if self._held_elsewhere(*row) and not takeover:
                return False
            db.execute("UPDATE sessions SET holder = ?, lease_until = ? WHERE id = ?",
                       (self.instance, self._lease_end(), session_id))
            return True

    def renew_lease(self, session_id: int) -> bool:
        """Extend this window's lease; False once another window has taken the drill."""
        with self._write() as db:
            cur = db.execute("UPDATE sessions SET lease_until = ? WHERE id = ? AND holder = ?",
                             (self._lease_end(), session_id, self.instance))
            return cur.rowcount == 1

    def release_lease(self, session_id: int) -> None:
        """Let go of a drill this window holds (leaving the call)."""
        with self._write() as db:
            db.execute("UPDATE sessions SET holder = NULL, lease_until = NULL"
                       " WHERE id = ? AND holder = ?", (session_id, self.instance))

    # -- free reply required for certification (schema version 5) --------------------

    def set_typed_required(self, scenario_id: str, required: bool, manager_id: str) -> None:
        """Require (or stop requiring) typed replies on drill ``scenario_id`` (every
        language of it) for certification. Only a manager may set it."""
        if not scenario_id or not scenario_id.strip():
            raise ValueError("a drill id is needed, e.g. 'hardship-job-loss'")
        if self.role(manager_id) != "manager":
            raise PermissionError(f"{manager_id!r} is not a manager; only a manager sets what "
                                  "certification requires")
        with self._write() as db:
            if required:
                db.execute("INSERT INTO typed_required VALUES (?, ?, ?) ON CONFLICT(scenario_id)"
                           " DO UPDATE SET set_by = excluded.set_by, set_at = excluded.set_at",
                           (scenario_id, manager_id, self._now()))
            else:
                db.execute("DELETE FROM typed_required WHERE scenario_id = ?", (scenario_id,))

    def typed_required(self) -> frozenset[str]:
        """Drill ids that certify only a call the trainee typed."""
        return frozenset(r[0] for r in self._read("SELECT scenario_id FROM typed_required"))

    def typed_sessions(self) -> frozenset[int]:
        """Calls said in the trainee's own words: typed replies (matched or not) and no
        option picked from a list, by the turn log (what was played, not the mode the
        call opened in). Showing the options after two misses is a help; taking one makes
        the call a multiple-choice one."""
        rows = self._read(
            "SELECT session_id FROM turns GROUP BY session_id HAVING"
            " sum(json_extract(action, '$.do') IN ('say', 'miss')) > 0"
            " AND sum(json_extract(action, '$.do') = 'choose') = 0")
        return frozenset(r[0] for r in rows)

    # -- history -------------------------------------------------------------------

    def attempts(self, trainee_id: str | None = None) -> list[Attempt]:
        """Finished drills, oldest first; all trainees unless one is named."""
        where = "WHERE s.trainee_id = ?" if trainee_id else ""
        rows = self._read(
            f"SELECT s.id, s.trainee_id, t.display_name, {_SCENARIO_COLUMNS}, r.finished_at,"
            " r.outcome, r.compliance, r.deescalation, r.outcome_score, r.overall, r.passed,"
            " r.critical FROM sessions s JOIN results r ON r.session_id = s.id"
            f" JOIN trainees t ON t.id = s.trainee_id {where}"
            " ORDER BY r.finished_at, s.id",
            (trainee_id,) if trainee_id else (),
        )
        return [
            Attempt(
                session_id=r["id"], trainee_id=r["trainee_id"], trainee_name=r["display_name"],
                scenario=_scenario(r), finished_at=r["finished_at"], outcome=r["outcome"],
                compliance=r["compliance"], deescalation=r["deescalation"],
                outcome_score=r["outcome_score"], overall=r["overall"],
                passed=bool(r["passed"]), critical=bool(r["critical"]),
            )
            for r in rows
        ]

    def best_scores(self, trainee_id: str) -> dict[tuple[str, str], BestScore]:
        """(scenario id, language) -> best overall score, attempts and whether any passed."""
        rows = self._read(
            "SELECT s.scenario_id, s.scenario_language, MAX(r.overall), COUNT(*), MAX(r.passed)"
            " FROM sessions s JOIN results r ON r.session_id = s.id WHERE s.trainee_id = ?"
            " GROUP BY s.scenario_id, s.scenario_language",
            (trainee_id,),
        )
        return {(r[0], r[1]): BestScore(r[2], r[3], bool(r[4])) for r in rows}

    def violations(self, trainee_id: str | None = None) -> list[tuple[int, ViolationRecord]]:
        """(session id, violation) for finished drills, in turn order."""
        where = "WHERE s.trainee_id = ?" if trainee_id else ""
        rows = self._read(
            "SELECT v.session_id, v.turn, v.rule_id, v.severity, v.title, v.citation"
            f" FROM violations v JOIN sessions s ON s.id = v.session_id {where}"
            " ORDER BY v.session_id, v.turn",
            (trainee_id,) if trainee_id else (),
        )
        return [(r[0], ViolationRecord(r[1], r[2], r[3], r[4], r[5])) for r in rows]

    def skill_evidence(self, trainee_id: str | None = None) -> list[tuple[int, str, int, int]]:
        """(session id, skill, good, bad) for finished drills, oldest drill first."""
        where = "WHERE s.trainee_id = ?" if trainee_id else ""
        rows = self._read(
            "SELECT k.session_id, k.skill, k.good, k.bad FROM skill_results k"
            f" JOIN sessions s ON s.id = k.session_id {where} ORDER BY k.session_id, k.skill",
            (trainee_id,) if trainee_id else (),
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def trainees(self) -> list[Trainee]:
        rows = self._read("SELECT id, display_name, language FROM trainees ORDER BY id")
        return [Trainee(*r) for r in rows]

    # -- roles and credentials (schema version 2) ---------------------------------------

    def role(self, trainee_id: str) -> str | None:
        """``trainee`` or ``manager`` (None for an unknown id)."""
        rows = self._read("SELECT role FROM trainees WHERE id = ?", (trainee_id,))
        return rows[0][0] if rows else None

    def set_password(self, trainee_id: str, password: str, *, role: str | None = None) -> None:
        """Store a salted hash of ``password`` (never the password), optionally the role."""
        if role is not None and role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if not password:
            raise ValueError("a password may not be empty")
        algorithm, params, salt, digest = hash_password(password)
        with self._write() as db:
            if db.execute("SELECT 1 FROM trainees WHERE id = ?", (trainee_id,)).fetchone() is None:
                raise ValueError(f"no trainee {trainee_id!r}")
            db.execute(
                "INSERT INTO credentials VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(trainee_id) DO "
                "UPDATE SET algorithm = excluded.algorithm, params = excluded.params, "
                "salt = excluded.salt, digest = excluded.digest, updated_at = excluded.updated_at",
                (trainee_id, algorithm, params, salt, digest, self._now()),
            )
            if role is not None:
                db.execute("UPDATE trainees SET role = ? WHERE id = ?", (role, trainee_id))

    def check_password(self, trainee_id: str, password: str) -> bool:
        """Whether ``password`` matches the stored hash (False without credentials)."""
        rows = self._read(
            "SELECT algorithm, params, salt, digest FROM credentials WHERE trainee_id = ?",
            (trainee_id,),
        )
        if not rows:
            return False
        algorithm, params, salt, digest = rows[0]
        return verify_password(password, algorithm, params, bytes(salt), bytes(digest))

    def manager_sign_in(self, name: str, password: str) -> Trainee | None:
        """The manager with this name if the password is right, else None."""
        key = trainee_key(name)
        if self.role(key) != "manager" or not self.check_password(key, password):
            return None
        return self.trainee(key)

    # -- decisions (schema version 2) ----------------------------------------------------

    def record_decision(self, session_id: int, seq: int, decision: Decision) -> None:
        """How one choice was made: time taken, options shown, longest chosen, reading."""
        with self._write() as db:
            self._check_holder(db, session_id)
            db.execute(
                "INSERT OR REPLACE INTO decisions (session_id, seq, think_ms, options,"
                " chose_longest, min_read_ms, typed, matched) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, seq, decision.think_ms, decision.options,
                 int(decision.chose_longest), decision.min_read_ms, decision.typed,
                 decision.matched),
            )

    def decisions(self, trainee_id: str | None = None) -> list[tuple[int, Decision]]:
        """(session id, decision) of finished drills, in order."""
        where = "AND s.trainee_id = ?" if trainee_id else ""
        rows = self._read(
            "SELECT d.session_id, d.think_ms, d.options, d.chose_longest, d.min_read_ms,"
            " d.typed, d.matched FROM decisions d JOIN sessions s ON s.id = d.session_id"
            f" WHERE s.status = 'finished' {where} ORDER BY d.session_id, d.seq",
            (trainee_id,) if trainee_id else (),
        )
        return [(r[0], Decision(r[1], r[2], bool(r[3]), r[4], r[5], r[6])) for r in rows]


_MOVE_ASIDE = (
    "Move the file aside (it may be restored from a backup), or pass --db with another file."
)

_SCENARIO_COLUMNS = (
    "scenario_id, scenario_language, scenario_path, title, debtor_type, difficulty, rule_pack"
)


def _scenario(row: sqlite3.Row) -> ScenarioInfo:
    return ScenarioInfo(
        scenario_id=row["scenario_id"], language=row["scenario_language"],
        path=row["scenario_path"], title=row["title"], debtor_type=row["debtor_type"],
        difficulty=row["difficulty"], rule_pack=row["rule_pack"],
    )


class StorageQueue:
    """Runs :class:`Storage` calls on one background thread, strictly in order.

    The app never touches SQLite on its event loop: a write that waits on another
    process's lock (up to ``busy_timeout``) must not freeze the screen. One thread keeps
    the turns of a drill in the order they were played.
    """

    def __init__(self, storage: Storage) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.storage = storage
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="recoverylab-db")
        self._last: Future[Any] | None = None

    def submit(self, method: str, *args: Any, **kwargs: Any) -> Future[Any]:
        """Queue ``storage.<method>(*args)``; the future carries its result or error."""
        future = self._pool.submit(getattr(self.storage, method), *args, **kwargs)
        self._last = future
        return future

    async def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Run ``storage.<method>(*args)`` in order with the queued writes and await it."""
        import asyncio

        return await asyncio.wrap_future(self.submit(method, *args, **kwargs))

    async def call_fn(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn(*args)`` (e.g. a report over the storage) on the database thread."""
        import asyncio

        future = self._pool.submit(fn, *args)
        self._last = future
        return await asyncio.wrap_future(future)

    def drain(self, timeout: float | None = None) -> None:
        """Block until everything queued so far is written (used at exit and in tests)."""
        if self._last is not None:
            wait([self._last], timeout=timeout)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self.storage.close()
