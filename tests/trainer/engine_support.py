"""Helpers shared by the trainer-engine tests (imported by module name, like conftest)."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_FILE = FIXTURES / "fixture-hardship.en-US.toml"
REPO = Path(__file__).resolve().parents[2]
SHIPPED_DIR = REPO / "scenarios" / "roleplay"
FIXTURE_BEST = ["dial.1", "greeting.1", "verify.1", "disclosure.1", "listen.1", "plan.1",
                "recap.1", "close.1"]
"""The fixture drill's best path, as option ids (the search test proves it is the best)."""


def fixture_text() -> str:
    return FIXTURE_FILE.read_text(encoding="utf-8")


def write_variant(tmp_path: Path, old: str, new: str, name: str = FIXTURE_FILE.name) -> Path:
    """A copy of the fixture with one exact text replaced (the text must occur)."""
    text = fixture_text()
    assert old in text, f"fixture no longer contains {old!r}"
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path
