"""The account history a team brings to calibration, and the one check it passes first.

A collections team's data warehouse keeps, for every delinquent account, a **snapshot**
at each month end (or each day): how many days past due (DPD) the account is, what it
still owes, and what it paid since the last snapshot. Strung together, an account's
snapshots show whether it **cured** (back to current), **rolled** into the next 30-day
bucket, paid **in part**, or was **charged off** -- and what still came in afterwards.
That is all calibration needs.

One row per account per snapshot date, CSV (optionally gzipped) or Parquet:

===============  =========  ====================================================
column           required   meaning
===============  =========  ====================================================
``account_id``   yes        any stable identifier (text or whole number)
``date``         yes        snapshot date, ``YYYY-MM-DD``
``dpd``          one of     days past due at the snapshot, whole number >= 0
``bucket``       these two  or the reporting bucket instead: ``current``, ``1-30``,
                            ``31-60``, ``61-90``, ``91-120``, ``121-150``, ``151+``
                            or ``charged_off``
``balance``      yes        amount owed at the snapshot, major units (yuan, dollars)
``paid``         yes        amount paid since the previous snapshot, major units
``charged_off``  no         ``true`` once written off (default: ``dpd`` at or past
                            the scenario's write-off DPD, or bucket ``charged_off``)
``segment``      no         the scenario's segment name of the account
``product``      no         e.g. ``unsecured`` / ``secured`` (descriptive only)
``contacts``     no         right-party contacts since the previous snapshot
===============  =========  ====================================================

An account that is current (DPD 0) or owes nothing at a snapshot has **exited**
collections there; rows may stop after that and start again if it falls behind.

The same format is published as a JSON Schema (:func:`json_schema`, shipped as
``scenarios/data/history.schema.json``) for teams that check their extracts elsewhere.
:func:`read_history` checks a file against it and reports every bad column and the rows
where it is bad, as a :class:`sim.errors.ConfigError` (the command exits 2, no
traceback, nothing written).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.errors import ConfigError, Problem, suggest
from sim.stages import BUCKET_LABELS, BUCKET_STARTS

if TYPE_CHECKING:
    import pandas as pd

REQUIRED = ("account_id", "date", "balance", "paid")
"""Columns every history has (plus ``dpd`` or ``bucket``)."""
OPTIONAL = ("dpd", "bucket", "charged_off", "segment", "product", "contacts")
"""Columns a history may have."""
COLUMNS = REQUIRED + OPTIONAL

CURRENT, CHARGED_OFF = "current", "charged_off"
BUCKETS: tuple[str, ...] = (CURRENT, *BUCKET_LABELS, CHARGED_OFF)
"""Bucket codes in order: 0 current, 1..6 the 30-day delinquency buckets, 7 charged off."""
CHARGED_OFF_CODE = len(BUCKETS) - 1

MAX_DPD = 10_000
"""Largest DPD accepted (27 years); a larger one is a unit mistake (minutes, a date)."""
MAX_AMOUNT = 1e12
"""Largest amount accepted, as for scenario money."""
MAX_ROWS_SHOWN = 5
"""Bad rows named per problem; the rest are counted."""

TRUE_WORDS = frozenset({"true", "1", "yes", "y", "t"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "f", ""})


@dataclass(frozen=True)
class History:
    """A checked history: one row per account and snapshot, sorted by account and date.

    ``frame`` columns: ``account`` (str), ``date`` (datetime64), ``bucket`` (int code of
    :data:`BUCKETS`), ``dpd`` (int, -1 where only a bucket was given), ``balance`` and
    ``paid`` (float, major units), ``segment`` (str, ``""`` if none given), ``contacts``
    (float, NaN if none given).
    """

    frame: pd.DataFrame
    source: str
    """The file it was read from."""
    has_segment: bool
    has_contacts: bool

    @property
    def dates(self) -> list[pd.Timestamp]:
        """The snapshot dates, in order."""
        return sorted(self.frame["date"].unique())


def json_schema() -> dict[str, Any]:
    """The history format as a JSON Schema (draft 2020-12) for one row."""
    amount = {"type": "number", "minimum": 0, "maximum": MAX_AMOUNT}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://recoverylab.example/history.schema.json",
        "title": "RecoveryLab account history row",
        "description": (
            "One delinquent account at one snapshot date (month end or day). A history "
            "file (CSV or Parquet) is a table of these rows, at most one per account and "
            "date; it gives dpd or bucket for every row. Amounts in major units."),
        "type": "object",
        "properties": {
            "account_id": {"type": ["string", "integer"], "minLength": 1,
                           "description": "Stable account identifier."},
            "date": {"type": "string", "format": "date",
                     "description": "Snapshot date, YYYY-MM-DD."},
            "dpd": {"type": "integer", "minimum": 0, "maximum": MAX_DPD,
                    "description": "Days past due at the snapshot; 0 = current."},
            "bucket": {"enum": list(BUCKETS),
                       "description": "Reporting bucket, instead of dpd."},
            "balance": {**amount, "description": "Amount owed at the snapshot."},
            "paid": {**amount, "description": "Amount paid since the previous snapshot."},
            "charged_off": {"type": "boolean",
                            "description": "Written off (default: from dpd or bucket)."},
            "segment": {"type": "string", "minLength": 1,
                        "description": "The scenario's segment name."},
            "product": {"type": "string", "minLength": 1,
                        "description": "Product line (descriptive)."},
            "contacts": {"type": "integer", "minimum": 0,
                         "description": "Right-party contacts since the previous snapshot."},
        },
        "required": list(REQUIRED),
        "oneOf": [{"required": ["dpd"], "not": {"required": ["bucket"]}},
                  {"required": ["bucket"], "not": {"required": ["dpd"]}}],
        "additionalProperties": False,
    }


def bucket_code(dpd: np.ndarray) -> np.ndarray:
    """Bucket code (0 current, 1..6) of each DPD."""
    starts = np.asarray(BUCKET_STARTS)
    return np.where(dpd <= 0, 0, np.searchsorted(starts, dpd, side="right")).astype(np.int64)


def read_history(path: str | Path, segments: Iterable[str] | None = None,
                 writeoff_dpd: int = 180) -> History:
    """Read and check a history file; every problem found is raised at once.

    ``segments`` are the scenario's segment names (a ``segment`` outside them is a
    problem); ``writeoff_dpd`` decides ``charged_off`` when the column is absent.
    """
    file = Path(path)
    raw = _load(file)
    return check_history(raw, str(file), segments, writeoff_dpd)


def check_history(raw: pd.DataFrame, source: str, segments: Iterable[str] | None = None,
                  writeoff_dpd: int = 180) -> History:
    """Check a table already in memory (see :func:`read_history`)."""
    import pandas as pd

    problems: list[Problem] = []
    columns = [str(c) for c in raw.columns]
    for col in columns:
        if col not in COLUMNS:
            problems.append(Problem(f"column {col}", "unknown column", col,
                                    "one of: " + ", ".join(COLUMNS), suggest(col, COLUMNS)))
    for col in REQUIRED:
        if col not in columns:
            problems.append(Problem(f"column {col}", "required column missing", None,
                                    f"a column named {col!r}"))
    has_dpd, has_bucket = "dpd" in columns, "bucket" in columns
    if has_dpd == has_bucket:
        problems.append(Problem("column dpd", "give exactly one of dpd and bucket",
                                "both" if has_dpd else "neither",
                                "a dpd column (days past due) or a bucket column"))
    if problems:
        raise ConfigError(source, problems)
    if raw.shape[0] == 0:
        raise ConfigError(source, [Problem("", "the history has no rows", None,
                                           "one row per account and snapshot date")])

    out = pd.DataFrame(index=raw.index)
    account = raw["account_id"]
    text = account.astype(str).str.strip()
    bad = account.isna().to_numpy() | (text == "").to_numpy()
    _flag(problems, "account_id", bad, account, "a non-empty identifier")
    out["account"] = text.to_numpy()

    date_text = raw["date"]
    dates = pd.to_datetime(date_text.astype(str), format="%Y-%m-%d", errors="coerce")
    if date_text.dtype.kind == "M":
        dates = pd.to_datetime(date_text)
    _flag(problems, "date", dates.isna().to_numpy(), date_text, "a date as YYYY-MM-DD")
    out["date"] = dates.dt.normalize().to_numpy()

    for col in ("balance", "paid"):
        values = pd.to_numeric(raw[col], errors="coerce").to_numpy(np.float64)
        bad = ~np.isfinite(values) | (values < 0) | (values > MAX_AMOUNT)
        _flag(problems, col, bad, raw[col], f"an amount from 0 to {MAX_AMOUNT:g}")
        out[col] = values

    if has_dpd:
        dpd = pd.to_numeric(raw["dpd"], errors="coerce").to_numpy(np.float64)
        bad = ~np.isfinite(dpd) | (dpd < 0) | (dpd > MAX_DPD) | (np.round(dpd) != dpd)
        _flag(problems, "dpd", bad, raw["dpd"], f"a whole number of days from 0 to {MAX_DPD}")
        dpd_int = np.where(bad, 0, dpd).astype(np.int64)
        out["dpd"] = dpd_int
        bucket = bucket_code(dpd_int)
        written = dpd_int >= writeoff_dpd
    else:
        labels = raw["bucket"].astype(str).str.strip()
        codes = labels.map({b: i for i, b in enumerate(BUCKETS)})
        bad = codes.isna().to_numpy()
        _flag(problems, "bucket", bad, raw["bucket"], "one of: " + ", ".join(BUCKETS))
        bucket = np.where(bad, 0, codes.fillna(0).to_numpy()).astype(np.int64)
        out["dpd"] = -1
        written = bucket == CHARGED_OFF_CODE

    if "charged_off" in columns:
        flags = raw["charged_off"]
        words = flags.astype(str).str.strip().str.lower()
        yes = words.isin(TRUE_WORDS).to_numpy()
        no = words.isin(FALSE_WORDS).to_numpy() | flags.isna().to_numpy()
        _flag(problems, "charged_off", ~(yes | no), flags, "true or false")
        written = yes
    out["bucket"] = np.where(written, CHARGED_OFF_CODE, bucket)

    if "segment" in columns:
        seg = raw["segment"]
        seg_text = seg.astype(str).str.strip()
        bad = seg.isna().to_numpy() | (seg_text == "").to_numpy()
        _flag(problems, "segment", bad, seg, "a segment name")
        if segments is not None:
            known = list(segments)
            unknown = ~bad & ~seg_text.isin(known).to_numpy()
            if unknown.any():
                first = str(seg_text[unknown].iloc[0])
                _flag(problems, "segment", unknown, seg,
                      "a segment of the scenario: " + ", ".join(known), suggest(first, known))
        out["segment"] = seg_text.to_numpy()
    else:
        out["segment"] = ""

    if "contacts" in columns:
        contacts = pd.to_numeric(raw["contacts"], errors="coerce").to_numpy(np.float64)
        bad = ~np.isfinite(contacts) | (contacts < 0) | (np.round(contacts) != contacts)
        _flag(problems, "contacts", bad, raw["contacts"], "a whole number >= 0")
        out["contacts"] = contacts
    else:
        out["contacts"] = np.nan

    if not problems:
        dup = out.duplicated(["account", "date"], keep="first").to_numpy()
        _flag(problems, "date", dup, raw["date"],
              "at most one row per account_id and date (this row repeats an earlier one)")
    if not problems and out["date"].nunique() < 2:
        problems.append(Problem("column date", "only one snapshot date", None,
                                "at least two dates, so that transitions can be seen"))
    if problems:
        raise ConfigError(source, problems)
    out = out.sort_values(["account", "date"], kind="stable", ignore_index=True)
    return History(out, source, "segment" in columns, "contacts" in columns)


def _flag(problems: list[Problem], column: str, bad: np.ndarray, values: pd.Series,
          expected: str, suggestion: str | None = None) -> None:
    """Add one problem naming ``column`` and the first bad rows (1 = first data row)."""
    rows = np.flatnonzero(bad)
    if rows.shape[0] == 0:
        return
    shown = ", ".join(str(r + 1) for r in rows[:MAX_ROWS_SHOWN])
    more = f" and {rows.shape[0] - MAX_ROWS_SHOWN:,} more" if rows.shape[0] > MAX_ROWS_SHOWN else ""
    first = values.iloc[int(rows[0])]
    shown_value = None if _missing(first) else (first.item() if hasattr(first, "item") else first)
    problems.append(Problem(
        f"column {column}", f"bad value in data row{'s' if rows.shape[0] > 1 else ''} "
        f"{shown}{more} (row 1 is the first after the header)",
        shown_value if shown_value is not None else "(empty)", expected, suggestion))


def _missing(value: object) -> bool:
    try:
        return bool(value is None or (isinstance(value, float) and np.isnan(value)))
    except TypeError:
        return False


READABLE = (".csv", ".csv.gz", ".parquet")
"""File endings read as a history."""


def _load(file: Path) -> pd.DataFrame:
    """The raw table of a regular file, every column as read (CSV columns as text)."""
    import pandas as pd

    name = file.name.lower()
    if not name.endswith(READABLE):
        raise ConfigError(file, [Problem("", "not a history file by its name", file.name,
                                         "a file ending in " + ", ".join(READABLE))])
    try:
        info = os.stat(file)
    except FileNotFoundError:
        raise ConfigError(file, [Problem("", "history file not found")]) from None
    except OSError as exc:
        raise ConfigError(file, [Problem("", f"cannot read history ({exc.strerror})")]) from None
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(file, [Problem("", "not a regular file", None,
                                         "a CSV or Parquet file")])
    try:
        if name.endswith(".parquet"):
            return pd.read_parquet(file)
        return pd.read_csv(file, dtype=str, keep_default_na=False, na_values=[""])
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        kind = "Parquet" if name.endswith(".parquet") else "CSV"
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise ConfigError(file, [Problem("", f"cannot be read as {kind}: {detail}", None,
                                         f"a {kind} table with a header row")]) from None
    except Exception as exc:  # pyarrow raises its own error types for corrupt files
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise ConfigError(file, [Problem("", f"cannot be read: {detail}", None,
                                         "a CSV or Parquet table")]) from None
