"""Month-end snapshots of a simulated book, in the history format a team would extract.

Calibration compares like with like: the simulator's book is photographed on the same
dates and by the same rules as a team's data warehouse photographs its real one, and
the same transition counts are read off both (:mod:`sim.calibration.moments`). A
snapshot lists every account still in collections -- delinquent, or charged off with a
balance left -- plus, once, each account that left since the last snapshot: current
again (a cure, or re-aged onto a restructuring plan) or paid off, shown at DPD 0.

The recorder is an ``observer`` of :func:`sim.simulate`: it only reads the book after
each day and never changes it, so a run with it draws exactly the same numbers.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from sim.stages import State

if TYPE_CHECKING:
    import pandas as pd

    from sim.book import Book
    from sim.scenario.root import Scenario


def month_end_days(start: dt.date, days: int) -> list[int]:
    """Simulation days (0 = ``start``) that fall on the last day of a calendar month."""
    return [d for d in range(days) if (start + dt.timedelta(days=d + 1)).day == 1]


class SnapshotRecorder:
    """Collects account snapshots on chosen days; ``frame()`` gives the history table."""

    def __init__(self, scenario: Scenario, days: list[int]) -> None:
        self.days = sorted(set(days))
        self._wanted = set(days)
        self.start = scenario.calendar.start_date
        self.scale = float(10 ** scenario.portfolio.minor_units)
        self.segment_names = list(scenario.portfolio.segments)
        self.products = [scenario.portfolio.segments[s].product for s in self.segment_names]
        self.parts: list[dict[str, npt.NDArray[np.generic]]] = []
        self._shown: npt.NDArray[np.bool_] | None = None
        self._collected: npt.NDArray[np.int64] | None = None

    def __call__(self, day: int, book: Book) -> None:
        if day not in self._wanted:
            return
        if self._shown is None:
            self._shown = np.zeros(book.n, bool)
            self._collected = book.collected.copy()
        assert self._collected is not None
        state = book.state
        charged = state == State.CHARGED_OFF
        active = (state == State.DELINQUENT) | (charged & (book.balance > 0))
        left = self._shown & ~active & (state != State.PENDING)
        rows = np.flatnonzero(active | left)
        paid = book.collected[rows] - self._collected[rows]
        dpd = np.where(active[rows] | charged[rows], book.dpd[rows], 0).astype(np.int64)
        self.parts.append({
            "account": rows.astype(np.int64),
            "day": np.full(rows.shape[0], day, np.int64),
            "dpd": dpd,
            "balance": book.balance[rows].astype(np.int64),
            "paid": paid.astype(np.int64),
            "charged_off": charged[rows],
            "segment": book.segment[rows].astype(np.int64),
        })
        self._collected = book.collected.copy()
        self._shown = active.copy()

    def frame(self, account_prefix: str = "A") -> pd.DataFrame:
        """The snapshots as a history table (columns of :mod:`sim.calibration.history`)."""
        import pandas as pd

        if not self.parts:
            return pd.DataFrame(columns=["account_id", "date", "dpd", "balance", "paid",
                                         "charged_off", "segment", "product"])
        cols = {k: np.concatenate([p[k] for p in self.parts]) for k in self.parts[0]}
        dates = np.datetime64(self.start) + cols["day"].astype("timedelta64[D]")
        names = np.asarray(self.segment_names, dtype=object)
        products = np.asarray(self.products, dtype=object)
        width = max(6, len(str(int(cols["account"].max()) if cols["account"].size else 0)))
        return pd.DataFrame({
            "account_id": [f"{account_prefix}{a:0{width}d}" for a in cols["account"].tolist()],
            "date": pd.to_datetime(dates).strftime("%Y-%m-%d"),
            "dpd": cols["dpd"],
            "balance": cols["balance"] / self.scale,
            "paid": cols["paid"] / self.scale,
            "charged_off": cols["charged_off"],
            "segment": names[cols["segment"]],
            "product": products[cols["segment"]],
        })
