"""Every shipped role-play scenario (and the fixture) loads, lints clean and plays safely.

Parametrised over the files present in ``scenarios/roleplay/``, so a new drill is
covered the moment it is added; the fixture keeps the tests meaningful even when the
folder is empty.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_support import FIXTURE_FILE, SHIPPED_DIR

from trainer.engine import load_library, load_scenario, score
from trainer.engine.lint import lint_file, lint_library
from trainer.engine.loader import scenario_files
from trainer.engine.playthrough import random_walk
from trainer.engine.search import Searcher

FILES = [*scenario_files(SHIPPED_DIR), FIXTURE_FILE]
WALKS = 25


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_lints_clean(path: Path) -> None:
    _, findings = lint_file(path)
    assert findings == [], "\n".join(f.render() for f in findings)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_plays_safely_and_can_be_passed(path: Path) -> None:
    scenario = load_scenario(path)
    searcher = Searcher(scenario)
    best = searcher.best(*searcher.root())
    assert best.value >= scenario.pass_mark, "the best path must pass the drill"
    assert not searcher.truncated
    for seed in range(WALKS):
        session, stuck = random_walk(scenario, seed)
        assert stuck == [], f"walk {seed}: no option available at {stuck}"
        result = score(session)
        assert 0 <= result.overall <= best.value + 1e-9
        if result.critical:
            assert not result.passed and result.overall < result.pass_mark


def test_library_is_complete() -> None:
    """Each drill ships in zh-CN (CN pack) and en-US (US pack); no file fails to load."""
    library = load_library(SHIPPED_DIR)
    assert [e.render() for e in library.errors] == []
    findings = lint_library(list(library))
    assert findings == [], "\n".join(f.render() for f in findings)
