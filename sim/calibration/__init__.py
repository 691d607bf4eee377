"""Calibration: fitting the simulator's behaviour to a team's own account history.

Every behaviour default in RecoveryLab is illustrative. A strategy team's first question
is whether the simulator behaves like *its* book, so this package takes the book's
history -- monthly (or daily) account snapshots, :mod:`sim.calibration.history` -- and
fits what that history can tell:

- how readily delinquent accounts **cure** in each stage and segment, and so how many
  **roll** on (in the simulator an account that does not pay what is due ages a day a
  day, so roll is what cure leaves);
- how often they **pay in part**;
- what still comes in after **charge-off**, how often and how much;
- how many new accounts reach collections each day.

The history was produced under the team's own strategy, so these rates mix the debtors'
behaviour with the treatment's effect. They are fitted by simulating the base scenario
-- which must describe that strategy and staff -- until it shows the same rates
(:mod:`sim.calibration.fit`, the method of simulated moments under common random
numbers). What no such history can tell is how much each channel adds: that takes
variation in treatment (hold-out groups, champion/challenger tests), and the base's
values for it are kept.

The result is a scenario file that inherits the base and overrides only the fitted
values, each with its interval and its data (:mod:`sim.calibration.write`), and
optionally a report comparing observed and simulated books month by month, with a
back-test on held-out months (:mod:`sim.calibration.report`).
"""

from __future__ import annotations

from sim.calibration.history import History, check_history, read_history

__all__ = ["History", "check_history", "read_history"]
