"""The run cache: exact round trips, no stale hits, and resumption after kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from sim.experiments.cache import RunCache, code_version
from sim.experiments.execution import Run, execute

sys.path.insert(0, str(Path(__file__).parent))
from experiments_toy import Toy, toy_run


def test_round_trip_is_exact(tmp_path: Path) -> None:
    cache = RunCache(tmp_path, version="v1")
    kpis = {"a": 0.1 + 0.2, "b": float("nan"), "c": float("inf"), "d": 1e-300}
    cache.put("f" * 64, 3, 7, kpis)
    got = cache.get("f" * 64, 3, 7)
    assert got is not None
    assert got["a"] == kpis["a"] and got["d"] == kpis["d"] and got["c"] == kpis["c"]
    assert got["b"] != got["b"]  # NaN survives as NaN
    assert cache.get("f" * 64, 3, 8) is None
    assert cache.get("f" * 64, 4, 7) is None
    assert RunCache(tmp_path, version="v2").get("f" * 64, 3, 7) is None


def test_changed_scenario_is_never_served(tmp_path: Path) -> None:
    calls: list[Run] = []

    def counting(run: Run) -> dict[str, float]:
        calls.append(run)
        return toy_run(run)

    runs = [Run(Toy(level=1.0), 0, r) for r in range(3)]
    first = execute(runs, run=counting, workers=1, cache=tmp_path)
    assert execute(runs, run=counting, workers=1, cache=tmp_path) == first
    assert len(calls) == 3
    changed = [Run(Toy(level=1.5), 0, r) for r in range(3)]
    second = execute(changed, run=counting, workers=1, cache=tmp_path)
    assert len(calls) == 6
    assert [s["kpi"] - f["kpi"] for s, f in zip(second, first, strict=True)] == pytest.approx(
        [0.5] * 3
    )


def test_a_corrupt_or_foreign_entry_is_a_miss(tmp_path: Path) -> None:
    cache = RunCache(tmp_path, version="v1")
    cache.put("a" * 64, 0, 0, {"x": 1.0})
    path = cache.path("a" * 64, 0, 0)
    path.write_text('{"key": {"fingerprint": "')  # truncated
    assert cache.get("a" * 64, 0, 0) is None
    other = cache.path("b" * 64, 0, 0)
    other.parent.mkdir(parents=True, exist_ok=True)
    other.write_text(json.dumps({"key": {"fingerprint": "c" * 64}, "kpis": {"x": 2.0}}))
    assert cache.get("b" * 64, 0, 0) is None


def test_code_version_names_the_package() -> None:
    assert code_version().startswith("0.") or code_version().startswith("unknown")
    assert "+" in code_version()


SCRIPT = """
import sys
sys.path.insert(0, {here!r})
from experiments_toy import Toy, toy_run
from sim.experiments.execution import Run, execute
runs = [Run(Toy(level=2.0, delay=0.05), 1, r) for r in range(40)]
execute(runs, run=toy_run, workers=1, cache={cache!r}, progress=False)
"""


@pytest.mark.slow
def test_resume_after_kill_9_recomputes_only_missing_runs(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    script = SCRIPT.format(here=str(Path(__file__).parent), cache=str(cache_dir))
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)])
    cache = RunCache(cache_dir)
    deadline = time.monotonic() + 60
    while len(cache) < 8 and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    survived = len(cache)
    assert 8 <= survived < 40, "the child should have been killed mid-way"
    for entry in cache_dir.glob("*/*.json"):  # every visible entry is complete
        assert set(json.loads(entry.read_text())) == {"key", "kpis"}

    calls: list[int] = []

    def counting(run: Run) -> dict[str, float]:
        calls.append(run.replication)
        return toy_run(run)

    runs = [Run(Toy(level=2.0, delay=0.05), 1, r) for r in range(40)]
    resumed = execute(runs, run=counting, workers=1, cache=cache_dir)
    assert len(calls) == 40 - survived
    fresh = execute(runs, run=toy_run, workers=1)
    assert resumed == fresh
