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

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sim.calibration.fit import Fit, fit
from sim.calibration.history import History, check_history, read_history

if TYPE_CHECKING:
    from sim.scenario.root import Scenario

__all__ = ["Calibration", "History", "calibrate", "calibrate_files", "check_history", "fit",
           "read_history"]

EXAMPLE = "example"
"""Name of the shipped example history on the command line."""


@dataclass
class Calibration:
    """What :func:`calibrate` returns."""

    fit: Fit
    """The fit on the training dates."""
    history: History
    """The whole history (training and held-out dates)."""
    held_out: list[str]
    """Held-out snapshot dates, ISO."""

    def summary(self) -> str:
        """A plain-text table of the fitted values."""
        rows = [f"{'parameter':<50} {'base':>10} {'fitted':>10} {'95% interval':>24}"]
        for v in self.fit.values:
            rows.append(f"{v.key:<50} {v.base:>10.4g} {v.value:>10.4g} "
                        f"{f'[{v.low:.4g}, {v.high:.4g}]':>24}")
        return "\n".join(rows)


def split(history: History, holdout: int) -> tuple[History, list[str]]:
    """The history without its last ``holdout`` dates, and those dates."""
    from sim.errors import ConfigError, Problem

    dates = history.dates
    if holdout and len(dates) - holdout < 3:
        raise ConfigError(history.source, [Problem(
            "column date", f"{len(dates)} snapshot dates leave fewer than 3 to fit after "
            f"holding out {holdout}", len(dates), f"at least {holdout + 3} dates, or a smaller "
            "--holdout")])
    if not holdout:
        return history, []
    last = dates[-holdout - 1]
    frame = history.frame[history.frame["date"] <= last].reset_index(drop=True)
    train = History(frame, history.source, history.has_segment, history.has_contacts)
    return train, [str(d)[:10] for d in dates[-holdout:]]


def calibrate(base: Scenario, history: History, *, holdout: int = 3, replications: int = 1,
              seed: int = 0, steps: int = 6,
              progress: Callable[[str], None] | None = None) -> Calibration:
    """Fit ``base`` to ``history`` without its last ``holdout`` dates (the back-test's)."""
    train, held = split(history, holdout)
    result = fit(base, train, replications=replications, seed=seed, steps=steps,
                 progress=progress)
    return Calibration(result, history, held)


def resolve_history(text: str | Path) -> Path:
    """A history path, or the shipped example's for ``example``."""
    if str(text) == EXAMPLE and not Path(text).exists():
        from sim.calibration.example import example_history

        return example_history()
    return Path(text)


def calibrate_files(history: str | Path, scenario: str | Path, out: Path, *,
                    report: Path | None = None, holdout: int = 3, replications: int = 1,
                    seed: int = 0, progress: Callable[[str], None] | None = None) -> Calibration:
    """The ``calibrate`` command: read, fit, write the fitted scenario (and the report).

    Nothing is written unless the fit succeeds; the report folder is staged and swapped
    in whole.
    """
    from sim import shipped
    from sim.calibration.write import inherit_reference, render, write_checked
    from sim.scenario import load_scenario

    base = load_scenario(scenario)
    base_file = shipped.resolve("scenario", scenario)
    hist = read_history(resolve_history(history), list(base.portfolio.segments),
                        base.channels.writeoff.dpd)
    result = calibrate(base, hist, holdout=holdout, replications=replications, seed=seed,
                       progress=progress)
    text = render(result.fit, inherit_reference(str(scenario), base_file, out),
                  f"{base.name}_calibrated", str(history), result.held_out)
    write_checked(text, out, dry_run=True)  # a file that would not load stops us here
    if report is not None:
        from sim.calibration.report import write_report

        write_report(result, report, seed=seed, progress=progress)
    write_checked(text, out)
    return result
