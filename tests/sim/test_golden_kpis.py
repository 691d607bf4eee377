"""Golden tests: every shipped scenario at seed 0 reproduces its committed KPIs.

A change that moves any KPI of any shipped scenario fails here on purpose: look at the
difference, and if the change is intended, regenerate the files and commit them with it::

    RECOVERYLAB_REGOLD=1 .venv/bin/pytest tests/sim/test_golden_kpis.py

Files: ``tests/sim/golden/<scenario>.csv`` with columns ``kpi,value``.
"""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

import pytest

import sim

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
SHIPPED = sorted((ROOT / "scenarios" / "sim").glob("*.toml"))
REGENERATE = os.environ.get("RECOVERYLAB_REGOLD") == "1"


@pytest.mark.slow
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_scenario_matches_golden(path: Path) -> None:
    result = sim.simulate(sim.load_scenario(path), seed=0)
    assert result.meta["ledger"]["balanced"] == 1
    golden = GOLDEN / f"{path.stem}.csv"
    if REGENERATE:
        GOLDEN.mkdir(exist_ok=True)
        with golden.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["kpi", "value"])
            for kpi, value in sorted(result.kpi_values.items()):
                writer.writerow([kpi, repr(float(value))])
        pytest.skip(f"regenerated {golden.name}")
    assert golden.exists(), f"no golden file; run: RECOVERYLAB_REGOLD=1 pytest {__file__}"
    with golden.open(encoding="utf-8") as handle:
        expected = {row["kpi"]: float(row["value"]) for row in csv.DictReader(handle)}
    assert set(expected) == set(result.kpi_values)
    changed = {k: (expected[k], v) for k, v in result.kpi_values.items()
               if not (math.isnan(v) and math.isnan(expected[k]))
               and not math.isclose(v, expected[k], rel_tol=1e-9, abs_tol=1e-9)}
    assert changed == {}
