"""Golden transcripts: the canonical best and worst call of every shipped drill.

``tests/trainer/golden/<id>.<language>.best.txt`` and ``.worst.txt`` hold the full
rendered transcript (lines, tags, breaches, moods, ending, note, every score item) of
the paths :class:`trainer.engine.search.Searcher` finds, played with seed 0. The test
replays each stored path and compares the text, so any change to the engine, the
scoring, a rule pack or the tags that alters a transcript shows up as a readable diff;
the stored scenario fingerprint says when the drill itself has changed.

Regenerate (after reviewing why they changed) with::

    RECOVERYLAB_REGEN_GOLDEN=1 .venv/bin/pytest tests/trainer/test_golden_transcripts.py

which searches each drill again and rewrites the files.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from engine_support import SHIPPED_DIR

from trainer.engine import Scenario, Session, load_scenario, score
from trainer.engine.loader import scenario_files
from trainer.engine.playthrough import session_for
from trainer.engine.search import Searcher
from trainer.engine.transcript import render

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("RECOVERYLAB_REGEN_GOLDEN") == "1"
FILES = scenario_files(SHIPPED_DIR)
CASES = [(path, kind) for path in FILES for kind in ("best", "worst")]


def golden_path(scenario: Scenario, kind: str) -> Path:
    return GOLDEN / f"{scenario.meta.id}.{scenario.meta.language}.{kind}.txt"


def document(scenario: Scenario, session: Session) -> str:
    return f"# fingerprint: {scenario.fingerprint()}\n" + render(session)


def stored_path(text: str) -> tuple[str, tuple[str, ...]]:
    fingerprint, path = "", ()
    for line in text.splitlines():
        if line.startswith("# fingerprint: "):
            fingerprint = line.removeprefix("# fingerprint: ")
        elif line.startswith("# path: "):
            path = tuple(line.removeprefix("# path: ").split())
    return fingerprint, path


@pytest.mark.parametrize(("path", "kind"), CASES, ids=[f"{p.name}-{k}" for p, k in CASES])
def test_golden_transcript(path: Path, kind: str) -> None:
    scenario = load_scenario(path)
    target = golden_path(scenario, kind)
    if REGENERATE:
        searcher = Searcher(scenario)
        root = searcher.root()
        found = searcher.best(*root) if kind == "best" else searcher.worst(*root)
        GOLDEN.mkdir(exist_ok=True)
        target.write_text(document(scenario, session_for(scenario, found.path)), encoding="utf-8")
    assert target.exists(), (
        f"no golden transcript {target.name}; run RECOVERYLAB_REGEN_GOLDEN=1 "
        ".venv/bin/pytest tests/trainer/test_golden_transcripts.py")
    text = target.read_text(encoding="utf-8")
    fingerprint, actions = stored_path(text)
    assert fingerprint == scenario.fingerprint(), (
        f"{path.name} changed since {target.name} was written; review and regenerate")
    session = session_for(scenario, actions)
    assert document(scenario, session) == text
    result = score(session)
    if kind == "best":
        assert result.passed, "the canonical best path must pass"
    else:
        assert not result.passed, "the canonical worst path must fail"


def test_no_orphan_golden_files() -> None:
    keys = [load_scenario(p).key for p in FILES]
    expected = {f"{i}.{lang}.{k}.txt" for i, lang in keys for k in ("best", "worst")}
    present = {p.name for p in GOLDEN.glob("*.txt")} if GOLDEN.exists() else set()
    assert present <= expected, f"golden files of drills that no longer exist: {present - expected}"
