"""``recoverylab compare | sweep | staff``: outputs written whole, bad input exits 2."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from sim.cli import main
from sim.experiments.spec import load_experiment

sys.path.insert(0, str(Path(__file__).parent))
from experiments_toy import tiny_baseline, write_scenario

ROOT = Path(__file__).resolve().parents[2]
EXPERIMENTS = sorted((ROOT / "scenarios" / "experiments").glob("*.toml"))


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("scenarios")
    tiny = tiny_baseline()
    calls = tiny.with_overrides({"strategy.ladder[2].attempts_per_day": 4})
    return {"champion": write_scenario(folder / "champion.toml", tiny),
            "calls": write_scenario(folder / "calls.toml", calls)}


def _experiment(folder: Path, scenario: Path, body: str) -> Path:
    path = folder / "experiment.toml"
    path.write_text(f'name = "test"\nscenario = "{scenario}"\nreplications = 2\n{body}')
    return path


FAST = ["--workers", "1", "--no-cache"]


def test_compare_prints_and_writes_everything(files: dict[str, Path], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(["compare", str(files["champion"]), str(files["calls"]), "-r", "2", *FAST,
                 "--out", str(out), "--kpis", "recovery_1_30,collected"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "recovery_1_30" in printed and "calls" in printed and "pp" in printed
    assert sorted(p.name for p in out.iterdir()) == [
        "differences.csv", "differences.png", "distributions.png", "runs.csv", "summary.csv"]


def test_sweep_runs_an_experiment_file(files: dict[str, Path], tmp_path: Path) -> None:
    experiment = _experiment(tmp_path, files["champion"],
                             '[grid]\n"staffing.teams.early.headcount" = [2, 3]\n')
    out = tmp_path / "out"
    assert main(["sweep", str(experiment), *FAST, "--out", str(out)]) == 0
    assert {"runs.csv", "summary.csv", "sweep.png", "distributions.png"} == {
        p.name for p in out.iterdir()}
    assert len((out / "runs.csv").read_text().splitlines()) == 1 + 2 * 2


def test_staff_recommends_a_headcount(files: dict[str, Path], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(["staff", str(files["champion"]), "--team", "early", "--target",
                 "inbound_service_level=0.8", "-r", "3", "--confidence", "0.3", *FAST,
                 "--out", str(out)])
    assert code == 0
    assert "recommended headcount for early:" in capsys.readouterr().out
    assert {"frontier.csv", "runs.csv", "marginal.csv", "frontier.png"} == {
        p.name for p in out.iterdir()}


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["sweep", "{grid_typo}"], "did you mean 'headcount'"),
        (["sweep", "{grid_empty}"], "the grid is empty"),
        (["staff", "{champion}", "--team", "early", "--target", "recovery_1_30=1.5"],
         "impossible target"),
        (["staff", "{champion}", "--team", "collections"], "no team named 'collections'"),
        (["staff", "{champion}", "--target", "recovery_1_30"], "expected KPI=NUMBER"),
        (["compare", "{champion}", "{champion}"], "given twice"),
        (["compare", "{champion}", "{calls}", "--kpis", "recovery"], "unknown KPI"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message_and_writes_nothing(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    command: list[str], message: str,
) -> None:
    paths = {
        "grid_typo": _experiment(tmp_path, files["champion"],
                                 '[grid]\n"staffing.teams.early.headcont" = [2]\n'),
        "grid_empty": (tmp_path / "empty.toml"),
        **{k: str(v) for k, v in files.items()},
    }
    paths["grid_empty"].write_text(
        f'name = "e"\nscenario = "{files["champion"]}"\n[grid]\n')
    out = tmp_path / "out"
    argv = [a.format(**paths) for a in command] + [*FAST, "--out", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


def test_a_failure_midway_leaves_the_output_directory_as_it_was(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sim.experiments import plots

    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.csv").write_text("old")

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(plots, "save", broken)
    with pytest.raises(RuntimeError):
        main(["compare", str(files["champion"]), str(files["calls"]), "-r", "2", *FAST,
              "--out", str(out)])
    assert [p.name for p in out.iterdir()] == ["summary.csv"]
    assert (out / "summary.csv").read_text() == "old"


@pytest.mark.parametrize("path", EXPERIMENTS, ids=[p.stem for p in EXPERIMENTS])
def test_shipped_experiment_files_are_valid(path: Path) -> None:
    experiment = load_experiment(path)
    assert experiment.points and len(experiment.scenarios) == len(experiment.points)


def test_the_shipped_experiments_cover_grid_and_points() -> None:
    kinds = {load_experiment(p).spec.grid is None for p in EXPERIMENTS}
    assert len(EXPERIMENTS) >= 3 and kinds == {True, False}
