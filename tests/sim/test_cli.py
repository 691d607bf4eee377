"""The ``recoverylab`` commands end to end on small inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli import main

ROOT = Path(__file__).resolve().parents[2]
SMALL = """
inherit = "{base}"
name = "baseline"
[portfolio]
accounts = 300
daily_inflow = 10
[horizon]
days = 12
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "baseline.toml"
    path.write_text(SMALL.format(base=ROOT / "scenarios/sim/baseline.toml"), encoding="utf-8")
    return path


def test_run_prints_json_with_kpis_and_scorecard(
    small: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(small), "--json", "--seed", "3"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["meta"]["seed"] == 3
    assert payload["ledger_balanced"] is True
    assert {"recovery_1_30", "breaches", "roi"} <= set(payload["kpis"])
    assert {row["kpi"] for row in payload["scorecard"]} >= {"recovery_1_30", "breaches"}


def test_run_writes_csvs_charts_and_event_log(
    small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["run", str(small), "--days", "8", "--out", str(out), "--event-log"]) == 0
    text = capsys.readouterr().out
    assert "recovery_1_30" in text and "Scorecard" in text
    names = {p.name for p in out.iterdir()}
    assert {"daily.csv", "kpis.csv", "scorecard.csv", "run.json", "balances_by_bucket.png",
            "collections_vs_cost.png", "agent_occupancy.png"} <= names
    assert "events.parquet" in names  # always Parquet unless CSV is asked for
    import pandas as pd

    events = pd.read_parquet(out / "events.parquet")
    assert len(events) > 0 and events.dtypes.map(lambda d: d.kind).isin(list("iufbOM")).all()
    assert not [n for n in names if n.startswith(".")]  # no staging leftovers
    assert (out / "balances_by_bucket.png").read_bytes()[:4] == b"\x89PNG"
    assert len((out / "daily.csv").read_text(encoding="utf-8").splitlines()) == 9


def test_csvs_carry_dates_and_currency_codes(small: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    import pandas as pd

    out = tmp_path / "out"
    assert main(["run", str(small), "--days", "6", "--out", str(out)]) == 0
    assert "money (CNY)" in capsys.readouterr().out
    daily = pd.read_csv(out / "daily.csv")
    start = dt.date(2026, 1, 5)  # the baseline's calendar.start_date
    assert list(daily.columns[:2]) == ["day", "date"]
    assert daily["date"].tolist() == [(start + dt.timedelta(days=d)).isoformat()
                                      for d in daily["day"].astype(int)]
    assert {"collected_CNY", "cost_total_CNY", "balance_1-30_CNY"} <= set(daily.columns)
    assert "collected" not in daily.columns and "agent_attempts" in daily.columns
    kpis = pd.read_csv(out / "kpis.csv", keep_default_na=False).set_index("name")
    assert kpis.loc["collected", "currency"] == "CNY"
    assert kpis.loc["recovery_1_30", "currency"] == ""
    scorecard = pd.read_csv(out / "scorecard.csv", keep_default_na=False)
    assert set(scorecard["currency"]) <= {"", "CNY"}


def test_the_event_log_is_csv_only_on_request(small: Path, tmp_path: Path) -> None:
    import pandas as pd

    out = tmp_path / "out"
    assert main(["run", str(small), "--days", "5", "--out", str(out), "--event-log",
                 "--event-log-format", "csv"]) == 0
    names = {p.name for p in out.iterdir()}
    assert "events.csv" in names and "events.parquet" not in names
    assert len(pd.read_csv(out / "events.csv")) > 0


def test_validate_reports_each_file(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(small), str(ROOT / "scenarios/sim/us_regf.toml")]) == 0
    assert capsys.readouterr().out.count("ok: ") == 2


def test_demo_compares_and_points_to_the_trainer(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from sim.commands import demo

    shipped = tmp_path / "shipped"
    shipped.mkdir()
    for name in ("baseline", "challenger"):
        (shipped / f"{name}.toml").write_text(small.read_text(encoding="utf-8"), "utf-8")
    monkeypatch.setattr(demo, "STRATEGIES", ("baseline", "challenger"))
    monkeypatch.setattr(demo, "scenario_dir", lambda: shipped)
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "-r", "2"]) == 0
    text = capsys.readouterr().out
    assert "Challenger - champion (baseline)" in text
    assert "recoverylab-train" in text and "Scorecard" in text
    # The comparison is written into the demo's staging folder: the line names where the
    # files are once it is swapped in, never the staging name that is gone by then.
    [line] = [t for t in text.splitlines() if t.startswith("wrote ")]
    assert line.endswith(f" to {out / 'compare'}/") and "staging" not in line, line
    assert {"runs.csv", "summary.csv", "differences.csv"} <= {
        p.name for p in (out / "compare").iterdir()}
    assert (out / "baseline" / "agent_occupancy.png").exists()


def test_demo_ships_every_scenario_it_names() -> None:
    from sim.commands import demo

    for name in demo.STRATEGIES:
        assert (demo.scenario_dir() / f"{name}.toml").exists(), name
