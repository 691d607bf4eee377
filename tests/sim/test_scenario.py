"""Scenario files: loading, inheritance, overrides, fingerprints, and error messages that
name the file, the key, the value and the fix."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main
from sim.errors import ConfigError
from sim.scenario import Scenario, load_scenario

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios" / "sim").glob("*.toml"))

BASE = """
name = "t"
[portfolio]
accounts = 100
[portfolio.segments.a]
share = 0.6
balance = { median = 5000 }
[portfolio.segments.b]
share = 0.4
balance = { median = 5000 }
[staffing.teams.early]
stages = ["early"]
headcount = 2
"""


def problems(tmp_path: Path, text: str) -> list[tuple[str, str, str | None]]:
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_scenario(path)
    assert str(path) in info.value.render()
    return [(p.key, p.message, p.suggestion) for p in info.value.problems]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_scenarios_load_and_pickle(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.name == path.stem
    assert pickle.loads(pickle.dumps(scenario)) == scenario


def test_a_variant_inherits_everything_it_does_not_state() -> None:
    base = load_scenario(ROOT / "scenarios/sim/baseline.toml")
    variant = load_scenario(ROOT / "scenarios/sim/understaffed.toml")
    assert variant.staffing.teams["early"].headcount < base.staffing.teams["early"].headcount
    assert variant.strategy == base.strategy
    assert variant.portfolio == base.portfolio
    assert variant.description != base.description


def test_with_overrides_changes_only_the_path_and_validates() -> None:
    base = load_scenario(ROOT / "scenarios/sim/baseline.toml")
    changed = base.with_overrides({"staffing.teams.early.headcount": 3,
                                   "strategy.ladder[0].on_dpd": [1, 2]})
    assert changed.staffing.teams["early"].headcount == 3
    assert changed.strategy.ladder[0].on_dpd == [1, 2]
    assert changed.staffing.teams["mid"] == base.staffing.teams["mid"]
    assert base.staffing.teams["early"].headcount == 14  # the original is untouched
    with pytest.raises(ConfigError) as info:
        base.with_overrides({"staffing.teams.early.headcont": 3})
    assert info.value.problems[0].suggestion == "headcount"
    with pytest.raises(ConfigError) as info:
        base.with_overrides({"staffing.teams.early.headcount": -1})
    assert info.value.problems[0].key == "staffing.teams.early.headcount"


def test_fingerprint_tracks_content_and_is_stable_across_processes() -> None:
    path = ROOT / "scenarios/sim/baseline.toml"
    base = load_scenario(path)
    assert base.fingerprint() == load_scenario(path).fingerprint()
    assert base.fingerprint() != base.with_overrides({"horizon.days": 90}).fingerprint()
    code = f"import sim; print(sim.load_scenario({str(path)!r}).fingerprint())"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.strip()
    assert other == base.fingerprint()


def test_unknown_key_gets_did_you_mean(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE + "[horizon]\ndayz = 30\n")
    assert ("horizon.dayz", "unknown key", "days") in found


def test_shares_must_sum_to_one(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE.replace("share = 0.4", "share = 0.3"))
    assert found[0][0] == "portfolio.segments"
    assert "sum to 0.9" in found[0][1]


def test_shift_outside_the_day(tmp_path: Path) -> None:
    text = BASE + 'shifts = [{ start = "22:00", end = "06:00" }]\n'
    found = problems(tmp_path, text)
    assert found[0][0] == "staffing.teams.early.shifts[0]"
    assert "outside the day" in found[0][1]
    found = problems(tmp_path, BASE + 'shifts = [{ start = "08:00", end = "25:00" }]\n')
    assert found[0][0] == "staffing.teams.early.shifts[0].end"


def test_strategy_naming_a_missing_team(tmp_path: Path) -> None:
    text = BASE + '[strategy]\nworklist_order_by_team = { erly = "score" }\n'
    found = problems(tmp_path, text)
    assert found == [("strategy.worklist_order_by_team.erly", "no team named 'erly'", "early")]
    text = BASE + '[[strategy.ladder]]\naction = "call"\nstage = "mid"\nteam = "ealy"\n'
    assert problems(tmp_path, text)[0][2] == "early"


def test_negative_rate(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE + "[behaviour.cure_hazard]\nearly = -0.1\nmid = 0.0\n"
                     "late = 0.0\n")
    assert found[0][0] == "behaviour.cure_hazard.early"


def test_a_scenario_cannot_loosen_its_rule_pack(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE + '[compliance]\npack = "us"\nwindow_end = "22:00"\n')
    assert found[0][0] == "compliance.window_end_minute"
    assert "never loosen" in found[0][1]
    found = problems(tmp_path, BASE + '[compliance]\npack = "usa"\n')
    assert found[0][2] == "us"


def test_unknown_target_and_broken_inheritance(tmp_path: Path) -> None:
    assert problems(tmp_path, BASE + "[targets]\nrecovery_1_3 = 0.8\n")[0][2] == "recovery_1_30"
    (tmp_path / "base.toml").write_text(BASE, encoding="utf-8")
    assert problems(tmp_path, 'inherit = "bse.toml"\n')[0][2] == "base.toml"


@pytest.mark.parametrize("command", ["run", "validate"])
def test_cli_reports_bad_input_with_exit_2_and_no_traceback(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "typo.toml"
    typo.write_text(BASE + "[horizon]\ndayz = 3\n", encoding="utf-8")
    shares = tmp_path / "shares.toml"
    shares.write_text(BASE.replace("share = 0.4", "share = 0.3"), encoding="utf-8")
    for bad, expected in ((typo, "did you mean 'days'?"), (shares, "at portfolio.segments")):
        assert main([command, str(bad)]) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert str(bad) in err and expected in err


def test_schema_lists_every_table(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert set(Scenario.model_fields) <= set(schema["$defs"]["Scenario"]["properties"])
    assert "Delinquent accounts in the starting book" in json.dumps(schema)
