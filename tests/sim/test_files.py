"""The one reader: special files, huge files, deep nesting, and blaming the right file."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from sim.errors import ConfigError
from sim.experiments.spec import load_experiment
from sim.files import MAX_FILE_BYTES, MAX_NESTING, read_toml
from sim.scenario.root import load_scenario
from trainer.engine.lint import UnreadableError, lint_file
from trainer.engine.loader import load_scenario as load_drill

ROOT = Path(__file__).resolve().parents[2]
SIM = ROOT / "scenarios" / "sim"
RULES = ROOT / "scenarios" / "rules"
DRILL = ROOT / "scenarios" / "roleplay" / "stop-calling.en-US.toml"


def refusal(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        read_toml(path)
    return info.value


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pack.toml"
    os.mkfifo(fifo)
    error = refusal(fifo)
    assert error.path == str(fifo)
    assert "FIFO" in error.render()


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_refused(device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device}")
    assert "a device, not a regular file" in refusal(Path(device)).render()


def test_a_directory_is_refused(tmp_path: Path) -> None:
    assert "a directory" in refusal(tmp_path).render()


def test_a_file_over_the_size_cap_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    with big.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    assert "file is too large" in refusal(big).render()


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "[" * 5000 + "]" * 5000,
        "x = " + "{a = " * 900 + "1" + "}" * 900,
        "[overrides" + ".a" * 2000 + "]\nb = 1\n",
        "x = " + "[" * (MAX_NESTING + 2) + "]" * (MAX_NESTING + 2),
    ],
    ids=["array-5000", "inline-table-900", "table-header-2000", "just-over-the-limit"],
)
def test_deep_nesting_is_a_named_error_not_a_recursion_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(text, encoding="utf-8")
    error = refusal(path)
    assert error.path == str(path)
    assert "nest too deeply" in error.render()


def test_invalid_utf8_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(b'name = "caf\xe9"\n')
    assert "not UTF-8 text (byte 11" in refusal(path).render()


def _copy_sim(tmp_path: Path) -> Path:
    folder = tmp_path / "sim"
    shutil.copytree(SIM, folder)
    return folder


def _broken_pack(tmp_path: Path) -> Path:
    text = (RULES / "cn.toml").read_text(encoding="utf-8")
    text = re.sub(r'severity = "\w+"', 'severity = "critcal"', text, count=1)
    pack = tmp_path / "rules" / "cn.toml"
    pack.parent.mkdir()
    pack.write_text(text, encoding="utf-8")
    return pack


def _baseline_naming_pack(tmp_path: Path, pack: str) -> Path:
    scenario = _copy_sim(tmp_path) / "baseline.toml"
    scenario.write_text(scenario.read_text(encoding="utf-8").replace(
        'pack = "cn"', f'pack = "{pack}"'), encoding="utf-8")
    return scenario


def test_a_broken_pack_is_blamed_not_the_scenario_that_names_it(tmp_path: Path) -> None:
    pack = _broken_pack(tmp_path)
    scenario = _baseline_naming_pack(tmp_path, "../rules/cn.toml")
    with pytest.raises(ConfigError) as info:
        load_scenario(scenario)
    error = info.value
    assert error.path == str(pack)
    assert error.problems[0].key.endswith("severity")
    assert error.referenced_by == (str(scenario), "compliance.pack")
    assert f"referenced by {scenario} at compliance.pack" in error.render()


def test_a_pack_path_that_is_not_a_pack_is_blamed_on_that_file(tmp_path: Path) -> None:
    scenario = _baseline_naming_pack(tmp_path, "/dev/zero")
    with pytest.raises(ConfigError) as info:
        load_scenario(scenario)
    assert info.value.path == "/dev/zero"
    assert info.value.referenced_by == (str(scenario), "compliance.pack")


@pytest.mark.parametrize("target", ["/dev/zero", "broken"])
def test_a_pack_reached_through_a_symlink_is_named_as_written(tmp_path: Path,
                                                              target: str) -> None:
    """Found by the fuzz test: the link's target was named (``/dev/zero``), not the
    ``rules/uk.toml`` the scenario wrote."""
    link = tmp_path / "rules" / "uk.toml"
    link.parent.mkdir()
    (tmp_path / "elsewhere").mkdir()
    link.symlink_to(_broken_pack(tmp_path / "elsewhere") if target == "broken" else target)
    scenario = _baseline_naming_pack(tmp_path, "../rules/uk.toml")
    with pytest.raises(ConfigError) as info:
        load_scenario(scenario)
    assert info.value.path == str(link)
    assert info.value.referenced_by == (str(scenario), "compliance.pack")


def test_a_problem_in_an_inherited_file_names_that_file_and_its_key(tmp_path: Path) -> None:
    folder = _copy_sim(tmp_path)
    base = folder / "baseline.toml"
    base.write_text(base.read_text(encoding="utf-8").replace(
        "late_fee = 50", "late_fee = inf"), encoding="utf-8")
    child = folder / "understaffed.toml"
    with pytest.raises(ConfigError) as info:
        load_scenario(child)
    assert info.value.path == str(base)
    assert [p.key for p in info.value.problems] == ["portfolio.late_fee"]
    assert info.value.referenced_by == (str(child), "inherit")


def test_a_child_keeps_the_blame_for_its_own_keys(tmp_path: Path) -> None:
    folder = _copy_sim(tmp_path)
    child = folder / "understaffed.toml"
    text = child.read_text(encoding="utf-8")
    child.write_text(re.sub(r"headcount = \d+", "headcount = -1", text, count=1),
                     encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_scenario(child)
    assert info.value.path == str(child)
    assert info.value.referenced_by is None


def test_an_experiment_names_the_scenario_file_it_references(tmp_path: Path) -> None:
    folder = _copy_sim(tmp_path)
    base = folder / "baseline.toml"
    base.write_text(base.read_text(encoding="utf-8").replace("accounts = 7500", "accounts = true"),
                    encoding="utf-8")
    experiment = tmp_path / "exp.toml"
    experiment.write_text('name = "x"\nscenario = "sim/baseline.toml"\n'
                          '[grid]\n"staffing.teams.early.headcount" = [8, 10]\n',
                          encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_experiment(experiment)
    assert info.value.path == str(base.resolve())
    assert info.value.referenced_by == (str(experiment), "scenario")


def test_a_grid_too_large_is_refused_before_it_is_built(tmp_path: Path) -> None:
    experiment = tmp_path / "exp.toml"
    values = ", ".join(str(i) for i in range(1, 101))
    experiment.write_text(
        f'name = "x"\nscenario = "{SIM / "baseline.toml"}"\n[grid]\n'
        + "".join(f'"staffing.teams.{t}.headcount" = [{values}]\n'
                  for t in ("early", "mid", "late"))
        + f'"horizon.days" = [{values}]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_experiment(experiment)
    assert "100,000,000 experiment points" in info.value.render()


def test_a_drill_with_a_broken_pack_blames_the_pack(tmp_path: Path) -> None:
    pack = _broken_pack(tmp_path)
    drill = tmp_path / DRILL.name
    drill.write_text(re.sub(r'rule_pack = "\w+"', f'rule_pack = "{pack}"',
                            DRILL.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_drill(drill)
    assert info.value.path == str(pack)
    assert info.value.referenced_by == (str(drill), "meta.rule_pack")
    with pytest.raises(UnreadableError) as unreadable:
        lint_file(drill)
    assert unreadable.value.error.path == str(pack)
