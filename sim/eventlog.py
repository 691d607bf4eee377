"""The optional account-level event log: what happened to whom, and when.

Off by default because it costs memory and time; when on, the engine appends whole
arrays per event type and day (never a Python object per event), and the log becomes a
DataFrame at the end. A separate **contact log** keeps every call in the debtor's local
time, which is what :func:`sim.compliance.audit_contact_log` audits.

Written as CSV, or Parquet when pyarrow happens to be installed.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import pandas as pd

    from sim.compliance import Attempt


@dataclass(slots=True)
class EventLog:
    """Chunks of events, one array per column per append."""

    chunks: list[tuple[str, int, Any, npt.NDArray[np.int64], Any, Any]] = field(
        default_factory=list
    )
    contact_chunks: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64],
                               npt.NDArray[np.bool_], npt.NDArray[np.bool_]]] = field(
        default_factory=list
    )

    def add(self, event: str, day: int, account: npt.NDArray[np.int64], *,
            minute: Any = np.nan, amount: Any = 0, detail: Any = "") -> None:
        """Record ``event`` for each account (minute, amount in minor units, detail may be
        scalars or arrays aligned with ``account``)."""
        if account.shape[0]:
            self.chunks.append((event, day, minute, np.asarray(account, np.int64), amount, detail))

    def add_contacts(self, account: npt.NDArray[np.int64], local_minute: npt.NDArray[np.int64],
                     connected: npt.NDArray[np.bool_], by_collector: npt.NDArray[np.bool_]) -> None:
        """Record calls with their debtor-local minute counted from day 0's local midnight."""
        if account.shape[0]:
            self.contact_chunks.append((account.astype(np.int64), local_minute.astype(np.int64),
                                        connected.astype(bool), by_collector.astype(bool)))

    def frame(self) -> pd.DataFrame:
        """All events as a DataFrame sorted by day and minute."""
        import pandas as pd

        parts = []
        for event, day, minute, account, amount, detail in self.chunks:
            n = account.shape[0]
            parts.append(pd.DataFrame({
                "day": np.full(n, day, np.int32),
                "minute": np.broadcast_to(np.asarray(minute, np.float64), (n,)),
                "account": account,
                "event": event,
                "amount_minor": np.broadcast_to(np.asarray(amount, np.int64), (n,)),
                "detail": np.broadcast_to(np.asarray(detail).astype(str), (n,)),
            }))
        if not parts:
            return pd.DataFrame(columns=["day", "minute", "account", "event", "amount_minor",
                                         "detail"])
        out = pd.concat(parts, ignore_index=True)
        return out.sort_values(["day", "minute"], kind="stable", ignore_index=True)

    def contacts(self) -> list[Attempt]:
        """Every call as a :class:`sim.compliance.Attempt` in the debtor's local time."""
        from sim.compliance import Attempt

        out: list[Attempt] = []
        for account, minute, connected, by_collector in self.contact_chunks:
            for a, m, c, b in zip(account.tolist(), minute.tolist(), connected.tolist(),
                                  by_collector.tolist(), strict=True):
                out.append(Attempt.at_minute(a, m, c, "collector" if b else "debtor"))
        return out


def write_frame(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a table atomically: Parquet if the name ends in .parquet, else CSV.

    The file appears complete or not at all.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        if target.suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        else:
            frame.to_csv(tmp, index=False)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
