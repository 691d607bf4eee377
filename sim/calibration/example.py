"""The shipped example history: how it was made, so that anyone can make it again.

``scenarios/data/example_book.csv.gz`` is the account history of a made-up Chinese
card and consumer-loan book, written in the history format
(:mod:`sim.calibration.history`). It was produced by this process:

1. **The true book** is ``scenarios/data/example_book.truth.toml``: the shipped
   baseline at a third of its size (2,500 delinquent accounts, 87 new ones a day, teams
   of 5, 3 and 2 collectors) working the baseline's strategy, with behaviour set apart
   from the baseline's illustrative defaults -- untreated cure hazards 0.028 / 0.015 /
   0.003 a day by stage, partial payments 0.009 / 0.006 / 0.004, prime cards curing
   1.25 times and subprime loans 0.65 times as readily as the rest, and after charge-off
   a daily recovery hazard of 0.0012 paying 30 % of the balance on average. The
   starting book is in its steady state (``starting_traits = "survivors"``).
2. **Simulated** for 361 days from 5 January 2026 (seed 0, replication 0), the book is
   photographed at each of the 12 month ends from 31 January to 31 December
   (:mod:`sim.calibration.snapshots`).
3. **Warehouse noise**: 0.5 % of the rows are dropped at random (seed 1), as a monthly
   extract that missed some accounts; the transitions across such a gap are then more
   than 45 days long and are not read. Balances and payments are in yuan with two
   decimals; account ids are ``CN`` and six digits.

Run ``python -m sim.calibration.example OUT.csv.gz`` to make it again: with the engine
that made it (main of 5 December 2026, commit c46e588) the file is identical byte for
byte on any machine; a later engine change that moves the draws gives another book from
the same process.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import sim
from sim import shipped
from sim.calibration.snapshots import SnapshotRecorder, month_end_days

TRUTH = "example_book.truth.toml"
HISTORY = "example_book.csv.gz"
DROP_SHARE = 0.005
"""Share of rows dropped as warehouse gaps."""


def data_folder() -> Path:
    """The shipped ``data/`` folder of example histories."""
    return shipped.data_root() / "data"


def example_history() -> Path:
    """Path of the shipped example history."""
    return data_folder() / HISTORY


def truth_file() -> Path:
    """Path of the scenario that generated it."""
    return data_folder() / TRUTH


def make(out: Path) -> Path:
    """Generate the example history into ``out`` (CSV, gzipped if it ends in .gz)."""
    scenario = sim.load_scenario(truth_file())
    recorder = SnapshotRecorder(scenario, month_end_days(scenario.calendar.start_date,
                                                         scenario.horizon.days))
    sim.simulate(scenario, seed=0, replication=0, observer=recorder)
    frame = recorder.frame("CN")
    keep = np.random.default_rng(1).random(frame.shape[0]) >= DROP_SHARE
    frame = frame[keep]
    # mtime 0: the gzip header then carries no date, so the file is the same every time.
    frame.to_csv(out, index=False, float_format="%.2f",
                 compression={"method": "gzip", "mtime": 0} if out.name.endswith(".gz") else None)
    return out


if __name__ == "__main__":
    print(make(Path(sys.argv[1]) if len(sys.argv) > 1 else example_history()))
