"""The README's reliability claims match the code: exit codes, limits, reader bounds."""

from __future__ import annotations

import re
from pathlib import Path

from sim.errors import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK
from sim.files import MAX_FILE_BYTES, MAX_NESTING
from sim.limits import LIMITS
from sim.scenario.base import LOG_ODDS_CEILING, MONEY_CEILING, MULTIPLIER_CEILING
from trainer.engine.conditions import MAX_DEPTH, MAX_LENGTH, MAX_NODES

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
SECTION = README.split("### Exit codes, bad input and limits", 1)[1].split("\n## ", 1)[0]
PROSE = " ".join(SECTION.split())  # line breaks fall anywhere in a paragraph


def _table(first_header: str) -> dict[str, str]:
    """First two columns of the README table whose header starts with ``first_header``."""
    rows = SECTION.split(f"| {first_header} |", 1)[1].split("\n\n", 1)[0].splitlines()[2:]
    return {cells[0].strip("` "): cells[1].strip() for cells in
            (row.strip("|").split("|") for row in rows)}


def test_exit_codes_are_the_ones_the_commands_use() -> None:
    assert set(_table("exit")) == {str(code) for code in (
        EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INTERRUPTED)}


def test_every_size_ceiling_is_stated_with_its_value() -> None:
    stated = {name: int(value.replace(",", "")) for name, value in
              _table("`--limit` name").items()}
    assert stated == {name: limit.default for name, limit in LIMITS.items()}
    assert f"at most {LIMITS['days'].hard_max:,} even when raised" in SECTION  # table cell


def test_reader_and_condition_bounds_are_stated() -> None:
    assert f"at most {MAX_FILE_BYTES // 2**20} MiB" in PROSE
    assert f"nested at most {MAX_NESTING} deep" in PROSE
    assert f"at most {MAX_LENGTH} characters, {MAX_DEPTH} levels deep and {MAX_NODES} terms" \
        in PROSE


def test_number_ranges_are_stated() -> None:
    assert f"multipliers in [0, {MULTIPLIER_CEILING:g}]" in PROSE
    assert f"log-odds shifts in [-{LOG_ODDS_CEILING:g}, {LOG_ODDS_CEILING:g}]" in PROSE
    assert re.search(r"money in \[0, 10\^(\d+)\]", PROSE).group(1) == str(
        len(str(int(MONEY_CEILING))) - 1)
