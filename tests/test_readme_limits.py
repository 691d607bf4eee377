"""The README's reliability claims match the code: exit codes, limits, reader bounds."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from sim.errors import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK
from sim.files import MAX_FILE_BYTES, MAX_NESTING
from sim.limits import LIMITS
from sim.scenario import base
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


# (type, values accepted, values refused): the README's number rules, as the types apply them.
NUMBER_RULES = [
    (base.Finite, [0.0, -3, 1e300], [math.inf, -math.inf, math.nan, True, "1", 10**400]),
    (base.Probability, [0, 0.5, 1], [-0.01, 1.01, math.nan]),
    (base.Hazard, [0, 1], [-1e-9, 1.5]),
    (base.Multiplier, [0, MULTIPLIER_CEILING], [-0.1, MULTIPLIER_CEILING + 0.1]),
    (base.LogOdds, [-LOG_ODDS_CEILING, LOG_ODDS_CEILING],
     [-LOG_ODDS_CEILING - 0.1, LOG_ODDS_CEILING + 0.1]),
    (base.Money, [0, MONEY_CEILING], [-1, MONEY_CEILING * 1.01, math.inf]),
    (base.Integer, [0, 14, -3], [True, 14.0, "14"]),
    (base.Count, [0, 14], [-1, False]),
    (base.Flag, [True, False], [1, 0, "yes", "true"]),
]


@pytest.mark.parametrize(("kind", "accepted", "refused"), NUMBER_RULES,
                         ids=["Finite", "Probability", "Hazard", "Multiplier", "LogOdds",
                              "Money", "Integer", "Count", "Flag"])
def test_the_number_rules_stated_are_the_ones_applied(
    kind: object, accepted: list[object], refused: list[object]
) -> None:
    adapter = TypeAdapter(kind)
    for value in accepted:
        adapter.validate_python(value)
    for value in refused:
        with pytest.raises(ValidationError):
            adapter.validate_python(value)


def test_the_fuzz_sizes_stated_are_the_ones_run() -> None:
    from fuzz_inputs import KINDS
    from test_fuzz_inputs import DEFAULT_SLOW_SEEDS, FAST_PER_KIND, FAST_SEEDS, SLOW_PER_KIND

    assert (f"fast part runs {len(FAST_SEEDS) * FAST_PER_KIND * len(KINDS)} mutants, its "
            f"`slow` part {SLOW_PER_KIND * len(KINDS)} mutants a seed for "
            f"{DEFAULT_SLOW_SEEDS} seeds") in PROSE
