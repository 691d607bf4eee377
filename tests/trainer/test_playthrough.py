"""``recoverylab-train playthrough``: walks, exhaustive folds, transcripts, and its alarms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from engine_support import FIXTURE_FILE, write_variant

from trainer.cli import main
from trainer.engine import Scenario, scoring
from trainer.engine.playthrough import playthrough, random_walk


def test_walks_write_transcripts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["playthrough", str(FIXTURE_FILE), "--walks", "12", "--seed", "5",
                 "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "fixture-hardship.en-US (12 walks)" in printed and "played: ok" in printed
    folder = out / "fixture-hardship.en-US"
    names = sorted(p.name for p in folder.iterdir())
    assert names[:2] == ["best.txt", "walk-0001.txt"] and len(names) == 14
    best = (folder / "best.txt").read_text(encoding="utf-8")
    assert "DISTINCTION" in best and "# path: dial.1 greeting.1 verify.1" in best
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary[0]["scenario"] == "fixture-hardship.en-US"
    assert summary[0]["walks"] == 12 and summary[0]["best"] == 98.2
    assert summary[0]["critical_passes"] == [] and summary[0]["stuck"] == {}
    assert not any(p.name.startswith(".staging") for p in out.iterdir())


def test_exhaustive_reaches_every_ending(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["playthrough", str(FIXTURE_FILE), "--exhaustive", "--max-depth", "30"]) == 0
    printed = capsys.readouterr().out
    assert "paths" in printed and "endings not reached" not in printed


def test_walks_are_reproducible(drill: Scenario) -> None:
    a, _ = random_walk(drill, 17)
    b, _ = random_walk(drill, 17)
    assert a.to_json() == b.to_json()
    assert len({random_walk(drill, s)[0].to_json() for s in range(8)}) > 1


def test_a_critical_path_that_passes_fails_the_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = scoring._components

    def lenient(*args: object) -> tuple[float, float, float, float]:
        c, d, o, _ = real(*args)  # type: ignore[arg-type]
        return c, d, o, 99.0  # a scoring bug: the critical cap is lost

    monkeypatch.setattr(scoring, "_components", lenient)
    assert main(["playthrough", str(FIXTURE_FILE), "--exhaustive"]) == 1
    printed = capsys.readouterr().out
    assert "FAIL path" in printed and "passes despite a critical violation" in printed
    assert "played: FAILED" in printed


def test_a_node_without_options_at_run_time_fails(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    head = "[[nodes.recap.options]]\n"
    never = head + 'when = "trust > 200"\n'
    path = write_variant(tmp_path, head + 'text = "Let me read', never + 'text = "Let me read')
    path.write_text(path.read_text().replace(head + 'text = "Great,', never + 'text = "Great,'))
    assert main(["playthrough", str(path), "--walks", "30"]) == 1
    assert "FAIL node 'recap': no option available at run time" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["--walks", "0"], ["--exhaustive", "--max-depth", "0"],
                                  ["--seed", "-1"]])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["playthrough", str(FIXTURE_FILE), *argv]) == 2
    assert "error" in capsys.readouterr().err


def test_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write_variant(tmp_path, 'start = "dial"', 'start = "nowhere"')
    assert main(["playthrough", str(bad)]) == 2
    assert "meta.start" in capsys.readouterr().err
    assert main(["playthrough", str(tmp_path / "none.en-US.toml")]) == 2


def test_report_ranges(drill: Scenario) -> None:
    report = playthrough(drill, walk_count=20, seed=0)
    assert report.ok and report.best.value == 98.2
    assert report.low <= report.worst.value <= report.best.value <= report.high + 1e-9
    assert sum(report.endings.values()) == 20
