"""Where an account stands: its collection stage, reporting bucket and state.

Days past due (DPD) count the days since the oldest missed payment. The source deck
works accounts in three **stages** -- early (1-30 DPD, gentle reminders), mid (31-90,
more calls, letters, visits) and late (91 DPD to write-off: agency, legal, collateral)
-- and reports balances in 30-day **buckets**. An account's **state** says whether it is
still in collections at all: it may have returned to current (cured), be paying a
restructured plan, be closed (paid off or settled) or charged off.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

EARLY, MID, LATE = 0, 1, 2
STAGE_NAMES: tuple[str, ...] = ("early", "mid", "late")
MID_START, LATE_START = 31, 91
"""First DPD of the mid and late stages."""

BUCKET_STARTS: tuple[int, ...] = (1, 31, 61, 91, 121, 151)
BUCKET_LABELS: tuple[str, ...] = ("1-30", "31-60", "61-90", "91-120", "121-150", "151+")
"""30-day reporting buckets; the last runs to the day before write-off."""

NEVER = np.iinfo(np.int16).max
"""Day stamp meaning "has not happened"."""


class State:
    """The one state every account is in: the codes of the book's ``state`` column.

    Plain integers, not an ``IntEnum``: numpy compares an int8 column with an enum
    member through a slow generic path (about 15 times slower on a 100,000-account book),
    and the engine asks "who is delinquent?" many times a day.
    """

    PENDING = 0
    """Not yet delinquent: part of the future inflow."""
    DELINQUENT = 1
    """In collections, ageing one DPD a day."""
    PLAN = 2
    """Re-aged onto a restructured instalment plan that is being paid."""
    CURED = 3
    """Paid what was due and returned to current; left collections."""
    CLOSED = 4
    """Paid in full or settled; nothing owed."""
    CHARGED_OFF = 5
    """Written off at the write-off DPD; recoveries may still come in."""


STATE_NAMES: tuple[str, ...] = ("pending", "delinquent", "plan", "cured", "closed", "charged_off")
"""Lower-case name of each state code (``STATE_NAMES[State.PLAN] == "plan"``)."""


def stage_of(dpd: npt.NDArray[np.int16]) -> npt.NDArray[np.int8]:
    """Stage index (0 early, 1 mid, 2 late) of each DPD (>= 1)."""
    return ((dpd >= MID_START).astype(np.int8) + (dpd >= LATE_START).astype(np.int8)).astype(
        np.int8
    )


def bucket_of(dpd: npt.NDArray[np.int16]) -> npt.NDArray[np.intp]:
    """Reporting bucket index of each DPD (>= 1)."""
    return np.searchsorted(np.asarray(BUCKET_STARTS), dpd, side="right") - 1
