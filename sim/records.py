"""What a run returns: flat records, KPIs, a scorecard and metadata.

:class:`RunResult` keeps the engine's records (one row per day, per-account milestones)
and computes ``kpi_values`` -- a flat dict of floats that is cheap to pickle and ship
between processes. pandas tables (``daily``, ``kpis``, ``scorecard``) are built on first
access, so experiments that only need numbers never pay for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from sim.eventlog import EventLog
from sim.kpi_catalogue import CATALOGUE
from sim.kpis import compute_kpis
from sim.targets import scorecard_rows

if TYPE_CHECKING:
    import pandas as pd

    from sim.compliance import Attempt


class RunResult:
    """Records, KPIs and metadata of one replication."""

    def __init__(
        self,
        *,
        daily_rows: list[dict[str, float]],
        accounts: dict[str, npt.NDArray[Any]],
        meta: dict[str, Any],
        targets: dict[str, float],
        events: EventLog | None,
        blocks: list[tuple[int, float, float]] | None,
        warmup_days: int,
        writeoff_dpd: int,
    ) -> None:
        keys = list(daily_rows[0]) if daily_rows else ["day"]
        self.daily_columns: dict[str, npt.NDArray[Any]] = {
            k: np.array([row.get(k, np.nan) for row in daily_rows]) for k in keys
        }
        """Daily records as columns (``daily`` is the same as a DataFrame)."""
        self.accounts = accounts
        """Per-account milestones (see :func:`sim.kpis.account_summary`)."""
        self.warmup_days = warmup_days
        """Days before the measured window: accounts arriving earlier are not measured."""
        self.meta = meta
        """Scenario name, seed, replication, days, accounts, simpy_events, wall_seconds,
        ledger (minor units) and more."""
        self.targets = targets
        self.events = events
        self.blocks = blocks
        """(collector, start, end) of every work block, when the event log was on."""
        self.kpi_values: dict[str, float] = compute_kpis(
            self.daily_columns, accounts, meta, warmup_days, writeoff_dpd)
        """Every KPI by name (money in major units)."""
        self.writeoff_dpd = writeoff_dpd
        self._by: dict[str, dict[str, dict[str, float]]] = {}
        self._frames: dict[str, pd.DataFrame] = {}

    def values_by(self, by: str) -> dict[str, dict[str, float]]:
        """Group -> account KPIs of the group, for ``by`` = ``"segment"`` or ``"product"``
        (see :mod:`sim.kpis_by`)."""
        if by not in self._by:
            from sim.kpis_by import kpis_by

            self._by[by] = kpis_by(self.accounts, self.meta, by, self.warmup_days,
                                   self.writeoff_dpd)
        return self._by[by]

    @property
    def grouped_values(self) -> dict[str, float]:
        """Per-segment and per-product KPIs as flat values (``"segment=card:loss"``), the
        extra columns experiments carry so comparisons give them intervals."""
        from sim.kpis_by import DIMENSIONS, flat

        out: dict[str, float] = {}
        for by in DIMENSIONS:
            out.update(flat(by, self.values_by(by)))
        return out

    def kpis_by(self, by: str) -> pd.DataFrame:
        """One row per segment, product or team (``by``), one column per KPI.

        ``segment`` and ``product``: every account-based KPI of the accounts in the group
        (money KPIs add up to the portfolio's). ``team``: each team's outbound
        productivity (collector-hours, attempts, contacts, promises, cash, per hour).
        """
        import pandas as pd

        if by == "team":
            from sim.kpis_by import team_productivity

            values = team_productivity(self.daily_columns, self.meta["team_names"],
                                       self.meta["team_headcount"], self.warmup_days)
        else:
            values = self.values_by(by)
        frame = pd.DataFrame.from_dict(values, orient="index")
        frame.index.name = by
        return frame

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_frames"] = {}
        state["_by"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    @property
    def daily(self) -> pd.DataFrame:
        """One row per day: balances and counts by bucket, payments and costs by channel,
        attempts, contacts, promises, complaints, breaches, occupancy, inbound service
        (in total and per team: ``inbound_offered_early``, ...)."""
        if "daily" not in self._frames:
            import pandas as pd

            self._frames["daily"] = pd.DataFrame(self.daily_columns)
        return self._frames["daily"]

    @property
    def kpis(self) -> pd.DataFrame:
        """name, value, unit, description for every KPI."""
        if "kpis" not in self._frames:
            import pandas as pd

            rows = [{"name": k, "value": v, "unit": CATALOGUE[k].unit,
                     "description": CATALOGUE[k].description}
                    for k, v in self.kpi_values.items() if k in CATALOGUE]
            self._frames["kpis"] = pd.DataFrame(rows)
        return self._frames["kpis"]

    @property
    def scorecard(self) -> pd.DataFrame:
        """kpi, target, direction, value, met, veto for every target of the scenario."""
        if "scorecard" not in self._frames:
            import pandas as pd

            rows = scorecard_rows(self.targets, self.kpi_values)
            self._frames["scorecard"] = pd.DataFrame(
                rows, columns=["kpi", "target", "direction", "value", "met", "veto"])
        return self._frames["scorecard"]

    def event_log(self) -> pd.DataFrame:
        """The account-level event log (run with ``event_log=True``)."""
        if self.events is None:
            raise ValueError("this run kept no event log; simulate(..., event_log=True)")
        return self.events.frame()

    def contact_log(self) -> list[Attempt]:
        """Every call in debtor-local time, for :func:`sim.compliance.audit_contact_log`."""
        if self.events is None:
            raise ValueError("this run kept no event log; simulate(..., event_log=True)")
        return self.events.contacts()

    def __repr__(self) -> str:
        m = self.meta
        return (f"RunResult(scenario={m['scenario']!r}, seed={m['seed']}, "
                f"replication={m['replication']}, days={m['days']}, accounts={m['accounts']})")
