"""A stand-in scenario and run function for testing the execution layer cheaply.

It mimics the contract of ``sim.simulate``: a pure function of (scenario, seed,
replication) drawing from ``SeedSequence([seed, replication])``.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from sim.experiments.execution import Run


class Toy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    level: float = 1.0
    delay: float = 0.0

    def fingerprint(self) -> str:
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()


def toy_run(run: Run) -> dict[str, float]:
    if run.scenario.delay:
        time.sleep(run.scenario.delay)
    rng = np.random.default_rng(np.random.SeedSequence([run.seed, run.replication]))
    noise = rng.normal(size=200)
    return {"kpi": float(run.scenario.level + noise.mean()), "other": float(rng.random())}


def toml_text(data: dict[str, object]) -> str:
    """A minimal TOML writer for test scenarios (tables, inline values; None omitted)."""
    lines: list[str] = []

    def inline(value: object) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return repr(value)
        if isinstance(value, str):
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, list):
            return "[" + ", ".join(inline(v) for v in value) + "]"
        if isinstance(value, dict):
            items = [f"{json.dumps(str(k))} = {inline(v)}" for k, v in value.items()
                     if v is not None]
            return "{ " + ", ".join(items) + " }"
        raise TypeError(f"cannot write {value!r} as TOML")

    def table(prefix: str, mapping: dict[str, object]) -> None:
        scalars = {k: v for k, v in mapping.items() if not isinstance(v, dict) and v is not None}
        if prefix and scalars:
            lines.append(f"[{prefix}]")
        for key, value in scalars.items():
            lines.append(f"{json.dumps(key)} = {inline(value)}")
        for key, value in mapping.items():
            if isinstance(value, dict):
                table(f"{prefix}.{json.dumps(key)}" if prefix else json.dumps(key), value)

    table("", data)
    return "\n".join(lines) + "\n"


def write_scenario(path: Path, scenario: object) -> Path:
    """Write a ``sim.Scenario`` as a TOML file that loads back to an equal scenario."""
    path.write_text(toml_text(scenario.model_dump(mode="json")), encoding="utf-8")  # type: ignore[attr-defined]
    return path


TINY = {
    "portfolio.accounts": 600, "portfolio.daily_inflow": 15, "horizon.days": 60,
    "staffing.teams.early.headcount": 3, "staffing.teams.mid.headcount": 2,
    "staffing.teams.late.headcount": 1,
}
"""Overrides shrinking the baseline to a run of about 0.2 s (600 accounts, 60 days)."""


def tiny_baseline() -> object:
    import sim

    root = Path(__file__).resolve().parents[2]
    return sim.load_scenario(root / "scenarios" / "sim" / "baseline.toml").with_overrides(TINY)
