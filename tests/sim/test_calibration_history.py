"""The account-history format: the shipped schema, the example, and every kind of bad input
named by file, column and rows (exit 2, no traceback, nothing written)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import numpy as np
import pandas as pd
import pytest

from sim.calibration.example import example_history, truth_file
from sim.calibration.history import (
    BUCKETS,
    CHARGED_OFF_CODE,
    check_history,
    json_schema,
    read_history,
)
from sim.calibration.moments import transitions
from sim.errors import ConfigError
from sim.shipped import data_root

GOOD = [
    {"account_id": "A1", "date": "2026-01-31", "dpd": "12", "balance": "5000", "paid": "0"},
    {"account_id": "A1", "date": "2026-02-28", "dpd": "40", "balance": "5000", "paid": "0"},
    {"account_id": "A1", "date": "2026-03-31", "dpd": "0", "balance": "4400", "paid": "600"},
    {"account_id": "A2", "date": "2026-01-31", "dpd": "170", "balance": "900", "paid": "0"},
    {"account_id": "A2", "date": "2026-02-28", "dpd": "198", "balance": "800", "paid": "100"},
]


def _csv(tmp_path: Path, rows: list[dict[str, str]], name: str = "h.csv") -> Path:
    path = tmp_path / name
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _problems(exc: pytest.ExceptionInfo[ConfigError]) -> str:
    return exc.value.render()


def test_the_shipped_json_schema_is_the_one_the_code_publishes() -> None:
    shipped = json.loads((data_root() / "data" / "history.schema.json").read_text("utf-8"))
    assert shipped == json_schema()
    jsonschema.Draft202012Validator.check_schema(shipped)


def test_the_shipped_example_passes_the_validator_and_its_rows_the_json_schema() -> None:
    history = read_history(example_history())
    assert history.has_segment and len(history.dates) == 12
    raw = pd.read_csv(example_history(), dtype=str).head(500)
    validator = jsonschema.Draft202012Validator(json_schema(),
                                                format_checker=jsonschema.FormatChecker())
    for row in raw.to_dict("records"):
        typed = {"account_id": row["account_id"], "date": row["date"], "dpd": int(row["dpd"]),
                 "balance": float(row["balance"]), "paid": float(row["paid"]),
                 "charged_off": row["charged_off"] == "True", "segment": row["segment"],
                 "product": row["product"]}
        validator.validate(typed)


def test_the_example_history_is_small_enough_to_ship_and_made_by_the_documented_truth() -> None:
    assert example_history().stat().st_size < 3 * 1024 * 1024
    assert truth_file().is_file()


def test_the_json_schema_and_the_validator_refuse_the_same_bad_rows(tmp_path: Path) -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    bad_rows = [
        {"account_id": "A9", "date": "2026-02-28", "dpd": -1, "balance": 1.0, "paid": 0.0},
        {"account_id": "A9", "date": "2026-02-28", "dpd": 3, "balance": -5.0, "paid": 0.0},
        {"account_id": "A9", "date": "2026-02-28", "bucket": "0-29", "balance": 1.0,
         "paid": 0.0},
        {"account_id": "A9", "date": "2026-02-28", "dpd": 3, "balance": 1.0, "paid": 0.0,
         "colour": "red"},
    ]
    for bad in bad_rows:
        assert not validator.is_valid(bad)
        rows = [{k: str(v) for k, v in r.items()} for r in GOOD] if "dpd" in bad else [
            {**{k: v for k, v in r.items() if k != "dpd"}, "bucket": "1-30"} for r in GOOD]
        rows = [{**r, "colour": "blue"} for r in rows] if "colour" in bad else rows
        with pytest.raises(ConfigError):
            read_history(_csv(tmp_path, [*rows, {k: str(v) for k, v in bad.items()}]))


def test_a_good_history_reads_into_buckets_and_transitions(tmp_path: Path) -> None:
    h = read_history(_csv(tmp_path, GOOD))
    f = h.frame
    assert list(f["bucket"]) == [1, 2, 0, 6, CHARGED_OFF_CODE]
    t = transitions(h)
    # A1: 1-30 -> 31-60 (a roll), 31-60 -> current (a cure); A2: 151+ -> charged off.
    assert list(t["rolled"]) == [True, False, True]
    assert list(t["cured"]) == [False, True, False]
    assert list(t["paid"]) == [0.0, 600.0, 100.0]


def test_buckets_instead_of_dpd_give_the_same_codes(tmp_path: Path) -> None:
    rows = [{**{k: v for k, v in r.items() if k != "dpd"}, "bucket": b}
            for r, b in zip(GOOD, ["1-30", "31-60", "current", "151+", "charged_off"],
                            strict=True)]
    h = read_history(_csv(tmp_path, rows, "b.csv"))
    assert list(h.frame["bucket"]) == [1, 2, 0, 6, CHARGED_OFF_CODE]
    assert BUCKETS[CHARGED_OFF_CODE] == "charged_off"


def test_parquet_reads_like_csv(tmp_path: Path) -> None:
    frame = pd.DataFrame(GOOD).astype({"dpd": int, "balance": float, "paid": float})
    frame.to_parquet(tmp_path / "h.parquet", index=False)
    a = read_history(tmp_path / "h.parquet").frame
    b = read_history(_csv(tmp_path, GOOD)).frame
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize(("change", "column", "rows_named"), [
    ({1: {"dpd": "forty"}}, "column dpd", "data row 2 "),
    ({0: {"balance": "-3"}, 3: {"balance": "inf"}}, "column balance", "data rows 1, 4 "),
    ({2: {"date": "31/03/2026"}}, "column date", "data row 3 "),
    ({4: {"paid": ""}}, "column paid", "data row 5 "),
    ({0: {"account_id": ""}}, "column account_id", "data row 1 "),
    ({1: {"date": "2026-01-31"}}, "column date", "data row 2 "),  # a repeated account/date
    ({1: {"dpd": "12.5"}}, "column dpd", "data row 2 "),
])
def test_bad_values_are_named_by_column_and_row(tmp_path: Path, change: dict[int, dict[str, str]],
                                                column: str, rows_named: str) -> None:
    rows = [dict(r) for r in GOOD]
    for i, values in change.items():
        rows[i].update(values)
    path = _csv(tmp_path, rows)
    with pytest.raises(ConfigError) as exc:
        read_history(path)
    text = _problems(exc)
    assert str(path) in text and column in text and rows_named in text


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    rows = [dict(r) for r in GOOD]
    rows[0]["dpd"] = "x"
    rows[1]["paid"] = "-1"
    with pytest.raises(ConfigError) as exc:
        read_history(_csv(tmp_path, rows))
    assert len(exc.value.problems) == 2


def test_missing_and_unknown_columns_are_named_with_the_nearest(tmp_path: Path) -> None:
    rows = [{("balanse" if k == "balance" else k): v for k, v in r.items()} for r in GOOD]
    with pytest.raises(ConfigError) as exc:
        read_history(_csv(tmp_path, rows))
    text = _problems(exc)
    assert "column balanse: unknown column" in text and "did you mean 'balance'" in text
    assert "column balance: required column missing" in text


def test_both_or_neither_of_dpd_and_bucket_is_refused(tmp_path: Path) -> None:
    both = [{**r, "bucket": "1-30"} for r in GOOD]
    with pytest.raises(ConfigError, match="exactly one of dpd and bucket"):
        read_history(_csv(tmp_path, both))
    neither = [{k: v for k, v in r.items() if k != "dpd"} for r in GOOD]
    with pytest.raises(ConfigError, match="exactly one of dpd and bucket"):
        read_history(_csv(tmp_path, neither))


def test_a_segment_the_scenario_lacks_is_named_with_the_nearest(tmp_path: Path) -> None:
    rows = [{**r, "segment": "prime_cards" if i == 3 else "prime_card"}
            for i, r in enumerate(GOOD)]
    with pytest.raises(ConfigError) as exc:
        read_history(_csv(tmp_path, rows), segments=["prime_card", "subprime_loan"])
    text = _problems(exc)
    assert "column segment" in text and "data row 4 " in text and "'prime_card'" in text


def test_files_that_are_not_histories_are_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        read_history(tmp_path / "missing.csv")
    with pytest.raises(ConfigError, match="ending in"):
        read_history(tmp_path / "history.xlsx")
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(ConfigError, match="not a regular file"):
        read_history(tmp_path / "dir.csv")
    (tmp_path / "broken.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(ConfigError, match="cannot be read"):
        read_history(tmp_path / "broken.parquet")
    (tmp_path / "empty.csv").write_text("account_id,date,dpd,balance,paid\n", "utf-8")
    with pytest.raises(ConfigError, match="no rows"):
        read_history(tmp_path / "empty.csv")
    one_date = [r for r in GOOD if r["date"] == "2026-01-31"]
    with pytest.raises(ConfigError, match="only one snapshot date"):
        read_history(_csv(tmp_path, one_date))


def test_charged_off_column_overrides_the_dpd_rule(tmp_path: Path) -> None:
    rows = [{**r, "charged_off": "false"} for r in GOOD]
    rows[0]["charged_off"] = "true"
    rows[1]["charged_off"] = "maybe"
    with pytest.raises(ConfigError, match="column charged_off"):
        read_history(_csv(tmp_path, rows))
    rows[1]["charged_off"] = "no"
    f = read_history(_csv(tmp_path, rows)).frame
    assert list(f["bucket"]) == [CHARGED_OFF_CODE, 2, 0, 6, 6]


def test_check_history_takes_a_table_in_memory() -> None:
    frame = pd.DataFrame(GOOD)
    h = check_history(frame, "<memory>")
    # A zero of the dates' own unit: numpy 1.26 refuses to compare nanoseconds with 0.
    zero = np.timedelta64(0, "ns")
    assert h.source == "<memory>" and np.all(np.diff(h.frame["date"].to_numpy()[:3]) > zero)
def test_the_command_names_the_bad_history_and_exits_2_writing_nothing(tmp_path: Path) -> None:
    rows = [dict(r) for r in GOOD]
    rows[2]["dpd"] = "soon"
    path = _csv(tmp_path, rows)
    out = tmp_path / "fitted.toml"
    done = subprocess.run([sys.executable, "-m", "sim", "calibrate", str(path), "--scenario",
                           "baseline", "--out", str(out), "--report", str(tmp_path / "rep")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert str(path) in done.stderr and "column dpd" in done.stderr and "data row 3 " in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists() and not (tmp_path / "rep").exists()
