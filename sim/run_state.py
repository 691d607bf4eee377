"""What every step of a run reads and nobody changes: the run's context.

A replication's mutable state is split into components, each in its own module and
each changed only through its own interface:

- the **book** (:class:`sim.accounts.Accounts`): accounts' columns, index sets, today's
  marks, and the only ways money moves on an account;
- the **ledger** (:class:`sim.ledger.Ledger`): every money movement and count;
- the **policy** (:class:`sim.policy.Policy`): the strategy, the contact rules and the
  breach tally;
- the **floor** (:class:`sim.staffed_floor.StaffedFloor`): the SimPy clock, collectors,
  the inbound line and the staff cost.

The day's steps (:class:`sim.morning.Morning`, :class:`sim.evening.Evening`) are built
from the components they use, named in their constructors, plus this read-only
:class:`RunContext`; :mod:`sim.engine` wires them together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sim.calendar import Calendar
from sim.eventlog import EventLog
from sim.promises import KIND_FULL, KIND_PARTIAL, KIND_PLAN, KIND_SETTLE
from sim.rates import Rates
from sim.rng import Streams
from sim.scenario.root import Scenario

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]

__all__ = [
    "F64",
    "I64",
    "KIND_FULL",
    "KIND_PARTIAL",
    "KIND_PLAN",
    "KIND_SETTLE",
    "B",
    "RunContext",
]


@dataclass(frozen=True, slots=True, eq=False)
class RunContext:
    """The read-only inputs of one replication's steps."""

    sc: Scenario
    cal: Calendar
    streams: Streams
    """Named random streams (common random numbers: one per stochastic source)."""
    rates: Rates
    days: int
    """The measured horizon; the run-off may go on past it."""
    scale: int
    """Minor units per major unit of the currency (100 for cents)."""
    untreated: bool
    """No ladder and nobody on the floor: the days skip planning and batches."""
    keep_records: bool
    """Daily rows and the inbound line (off for the untreated twin)."""
    log: EventLog | None
    """The account-level event log, when kept."""
