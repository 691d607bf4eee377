"""The shipped data and its names: found by name from anywhere, in this (editable) checkout.

tests/test_wheel.py asks the same questions of a built wheel in a fresh venv.
"""

from __future__ import annotations

import importlib.resources
import subprocess
import tomllib
from pathlib import Path

import pytest

from sim import shipped
from sim.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def _tracked(folder: str) -> set[str]:
    out = subprocess.run(["git", "ls-files", folder], cwd=ROOT, capture_output=True,
                         text=True, check=False)
    if out.returncode != 0 or not out.stdout:
        pytest.skip("not a git checkout")
    return {line.removeprefix(folder + "/") for line in out.stdout.splitlines()}


def test_the_declared_package_list_covers_every_package_folder() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    on_disk = {str(p.parent.relative_to(ROOT)).replace("/", ".")
               for top in ("sim", "trainer") for p in (ROOT / top).rglob("__init__.py")}
    assert on_disk - set(declared["packages"]) == set()
    assert declared["package-dir"] == {shipped.DATA_PACKAGE: "scenarios"}


def test_editable_install_finds_the_repository_scenarios_through_importlib() -> None:
    root = importlib.resources.files(shipped.DATA_PACKAGE)
    assert Path(str(root)).resolve() == (ROOT / "scenarios").resolve()
    assert shipped.data_root() == root


def test_every_tracked_data_file_is_matched_by_the_package_data_globs() -> None:
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))[
        "tool"]["setuptools"]["package-data"][shipped.DATA_PACKAGE]
    data = ROOT / "scenarios"
    matched = {str(p.relative_to(data)) for g in globs for p in data.glob(g)}
    # Scripts that build data (utterances/compose.py) are not data and do not ship.
    data_files = {p for p in _tracked("scenarios") if not p.endswith(".py")}
    assert data_files <= matched


@pytest.mark.parametrize(("kind", "name", "relative"), [
    ("scenario", "baseline", "sim/baseline.toml"),
    ("scenario", "baseline.toml", "sim/baseline.toml"),
    ("pack", "uk", "rules/uk.toml"),
    ("experiment", "early-team-size", "experiments/early-team-size.toml"),
    ("drill", "abusive-caller.zh-CN", "roleplay/abusive-caller.zh-CN.toml"),
])
def test_shipped_names_resolve_to_shipped_files(
    kind: shipped.Kind, name: str, relative: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    found = shipped.resolve(kind, name) if not name.endswith(".toml") else shipped.shipped(
        kind, name)
    assert found == shipped.data_root() / relative and found.is_file()


def test_a_file_in_the_current_folder_wins_over_a_shipped_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "baseline").write_text("", "utf-8")
    assert shipped.resolve("scenario", "baseline") == Path("baseline")
    assert shipped.resolve("scenario", "sim/baseline.toml") == Path("sim/baseline.toml")


def test_an_unknown_name_lists_what_ships_and_the_nearest(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as caught:
        shipped.resolve("scenario", "basline")
    problem = caught.value.problems[0]
    assert problem.suggestion == "baseline" and "digital_first" in problem.expected


def test_a_drill_id_means_every_language_of_it() -> None:
    files = shipped.drill_files("hardship-job-loss")
    assert [f.name for f in files] == ["hardship-job-loss.en-GB.toml",
                                       "hardship-job-loss.en-US.toml",
                                       "hardship-job-loss.zh-CN.toml"]
    with pytest.raises(ConfigError) as caught:
        shipped.drill_files("abusive-calller")
    assert caught.value.problems[0].suggestion == "abusive-caller"


def test_a_scenario_outside_the_repository_inherits_a_shipped_one_and_names_a_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sim

    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "variant.toml").write_text(
        'inherit = "baseline"\n[compliance]\npack = "uk"\n'
        "[staffing.teams.early]\nheadcount = 17\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    variant = sim.load_scenario("work/variant.toml")
    baseline = sim.load_scenario("baseline")
    assert variant.staffing.teams["early"].headcount == 17
    assert variant.portfolio == baseline.portfolio
    assert variant.compliance.pack == "uk"


def test_a_pack_path_is_relative_to_the_scenario_that_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sim

    (tmp_path / "project" / "rules").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    pack = shipped.shipped("pack", "uk")
    assert pack is not None
    (tmp_path / "project" / "rules" / "uk.toml").write_bytes(pack.read_bytes())
    (tmp_path / "project" / "ours.toml").write_text(
        'inherit = "baseline.toml"\n[compliance]\npack = "rules/uk.toml"\n', "utf-8")
    # A second file elsewhere inherits it: the pack is still the project's.
    (tmp_path / "elsewhere" / "child.toml").write_text(
        'inherit = "../project/ours.toml"\n', "utf-8")
    monkeypatch.chdir(tmp_path / "elsewhere")
    child = sim.load_scenario("child.toml")
    assert Path(child.compliance.pack) == (tmp_path / "project" / "rules" / "uk.toml").resolve()
    assert child.contact_policy() == sim.load_scenario(tmp_path / "project" / "ours.toml"
                                                      ).contact_policy()


def test_a_missing_base_names_the_shipped_scenarios(tmp_path: Path) -> None:
    import sim

    (tmp_path / "a.toml").write_text('inherit = "baselin"\n', "utf-8")
    with pytest.raises(ConfigError) as caught:
        sim.load_scenario(tmp_path / "a.toml")
    problem = caught.value.problems[0]
    assert problem.key == "inherit" and problem.suggestion == "baseline"


def test_scenarios_list_and_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    from sim.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["scenarios", "list"]) == 0
    listing = capsys.readouterr().out
    for name in ("baseline", "early-team-size", "cn", "abusive-caller.zh-CN"):
        assert f"  {name} " in listing
    assert main(["scenarios", "copy", "digital_first", "mine.toml"]) == 0
    assert (tmp_path / "mine.toml").read_bytes() == (
        shipped.folder("scenario") / "digital_first.toml").read_bytes()
    # The copy inherits "baseline.toml", which is not beside it: the shipped one is used.
    assert main(["validate", "mine.toml"]) == 0
    assert main(["scenarios", "copy", "digital_first", "mine.toml"]) == 2
    assert "already exists" in capsys.readouterr().err
    (tmp_path / "drills").mkdir()
    assert main(["scenarios", "copy", "stop-calling", "drills"]) == 0
    assert sorted(p.name for p in (tmp_path / "drills").iterdir()) == [
        "stop-calling.en-US.toml", "stop-calling.zh-CN.toml"]
    assert main(["scenarios", "copy", "stop-calling", "one.toml"]) == 2
    assert not (tmp_path / "one.toml").exists()


def test_trainer_commands_take_shipped_drill_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    from trainer.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["lint", "stop-calling"]) == 0
    assert "2 files checked" in capsys.readouterr().out
    assert main(["lint", "stop-callin"]) == 2
    assert "did you mean 'stop-calling'" in capsys.readouterr().err
    assert main(["app", "--drill", "no-such-drill"]) == 2


async def test_the_app_offers_only_the_drill_asked_for(tmp_path: Path) -> None:
    from trainer.app import TrainerApp
    from trainer.storage import Storage

    app = TrainerApp(Storage.open(tmp_path / "t.db"),
                     drills=shipped.drill_files("stop-calling"))
    async with app.run_test():
        offered = await app.library()
    assert sorted(s.key for s in offered) == [("stop-calling", "en-US"),
                                              ("stop-calling", "zh-CN")]
