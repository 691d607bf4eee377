"""A stand-in scenario and run function for testing the execution layer cheaply.

It mimics the contract of ``sim.simulate``: a pure function of (scenario, seed,
replication) drawing from ``SeedSequence([seed, replication])``.
"""

from __future__ import annotations

import hashlib
import time

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
