"""Dates, times and time zones in drills are checked as values, not only as patterns."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_support import write_variant

from sim.errors import ConfigError
from trainer.cli import main
from trainer.engine.lint import lint_file
from trainer.engine.loader import load_scenario

PROMISE = 'date = "+7d"'


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        (PROMISE, 'date = "2026-13-45"', "promise.date"),
        (PROMISE, 'date = "2026-02-30"', "promise.date"),
        (PROMISE, 'date = "soon"', "promise.date"),
        ('local_time = "2026-03-12T18:10"', 'local_time = "2026-03-12T25:10"',
         "brief.local_time"),
        ('local_time = "2026-03-12T18:10"', "local_time = 1773338000", "brief.local_time"),
        ('local_time = "2026-03-12T18:10"', 'local_time = "2026-03-12T18:10+05:00"',
         "brief.local_time"),
        ('when = "2026-03-10T10:05"', 'when = "2026-02-31T10:05"', "contact_history[0].when"),
        ('timezone = "America/New_York"', 'timezone = "America"', "brief.timezone"),
        ('timezone = "America/New_York"', 'timezone = "America/New_Yrok"', "brief.timezone"),
    ],
)
def test_impossible_dates_times_and_zones_are_refused(
    tmp_path: Path, old: str, new: str, key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_variant(tmp_path, old, new)
    with pytest.raises(ConfigError) as info:
        load_scenario(path)
    assert info.value.path == str(path)
    assert any(p.key.endswith(key) for p in info.value.problems), info.value.render()
    _, findings = lint_file(path)
    assert any(f.key.endswith(key) and f.code == "invalid" for f in findings)
    for command in ("lint", "playthrough"):  # bad input to both: exit 2, file and key named
        assert main([command, str(path)]) == 2
        err = capsys.readouterr().err
        assert str(path) in err and key in err and "Traceback" not in err
