"""The book component: every account's columns, the index sets kept where they change,
and the only ways money moves on an account.

A collections book is the list of delinquent accounts with what each owes, what is due,
where it stands (days past due, promise, plan, agency, lawsuit) and what happened to it.
:class:`Accounts` holds those columns (:class:`sim.book.Book`), the index sets that
spare the late-stage steps a daily scan of the whole book (:mod:`sim.index_sets`), the
letters still in the post, and today's per-account marks (offer made, spoken to,
complaint risk accumulated).

Money moves only through :meth:`Accounts.pay` and :meth:`Accounts.add_fee` (and
:meth:`Accounts.charge_off` / forgiveness), each booking the movement in the run's
:class:`sim.ledger.Ledger`, which the caller passes in: opening balances plus fees then
always equal on-book collections plus write-offs plus what is still owed (checked in
every run's ``meta["ledger"]``). The component holds no reference to the floor, the
policy or the ledger; whatever it needs of them is an argument.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import numpy.typing as npt

from sim import ledger as lg
from sim import payment_history
from sim.book import Book
from sim.eventlog import EventLog
from sim.index_sets import DueIndex, SortedIndex, add_at
from sim.ledger import Ledger, Source
from sim.stages import LATE_START, MID_START, State

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]


class Accounts:
    """The book component (see the module docstring)."""

    __slots__ = (
        "anyone_reported",
        "columns",
        "complaint_units",
        "conv_today",
        "in_post",
        "judgments_due",
        "log",
        "offer_today",
        "sales_due",
        "tail_days",
        "touched",
        "with_agency",
        "written_off_owing",
    )

    def __init__(self, columns: Book, *, tail_days: int, log: EventLog | None) -> None:
        self.columns = columns
        """Every account's state, traits and history (:class:`sim.book.Book`)."""
        self.tail_days = tail_days
        """Days after charge-off whose recoveries still relieve a cohort's loss."""
        self.log = log
        n = columns.n
        self.judgments_due = DueIndex()
        """Accounts sued, filed under the day their judgment comes."""
        self.sales_due = DueIndex()
        """Accounts whose collateral is repossessed, filed under the day of the sale."""
        self.with_agency = SortedIndex()
        """Accounts placed with an agency (some placements may have ended)."""
        self.written_off_owing = SortedIndex()
        """Charged-off accounts that may still owe (post-write-off recoveries)."""
        self.anyone_reported = bool(columns.reported.any())
        self.in_post: dict[str, dict[int, list[I64]]] = defaultdict(lambda: defaultdict(list))
        """Posted items (letters) by channel, then by the day they arrive."""
        # Today's marks, reset for touched accounts each evening.
        self.offer_today = np.zeros(n, np.int8)
        self.conv_today = np.zeros(n, bool)
        """Spoken to today (by an agent, the robot or an answered callback)."""
        self.complaint_units = np.zeros(n, np.float64)
        self.touched = np.zeros(n, bool)

    @property
    def window(self) -> int:
        """Days of call attempts the attempt ring remembers."""
        return int(self.columns.attempt_ring.shape[1])

    def pay(self, idx: I64, amount: I64, source: Source, day: int, ledger: Ledger) -> I64:
        """Apply payments (capped at the balance); return the amounts actually paid."""
        book = self.columns
        amount = np.minimum(amount, book.balance[idx])
        keep = amount > 0
        idx, amount = idx[keep], amount[keep]
        if idx.shape[0] == 0:
            return amount
        book.balance[idx] -= amount
        payment_history.record(book, idx, amount, day)
        book.due[idx] = np.maximum(book.due[idx] - amount, 0)
        book.collected[idx] += amount
        wo = book.state[idx] == State.CHARGED_OFF
        # Only the stated tail after charge-off relieves a cohort's loss or counts as
        # late-stage recovery, however long the run happened to follow the account.
        tail = wo & (day - book.resolved_day[idx] <= self.tail_days)
        late = ((book.dpd[idx] >= LATE_START) & ~wo) | tail
        book.collected_since_91[idx] += np.where(late, amount, 0)
        after_writeoff = 0
        if wo.any():
            after_writeoff = int(amount[wo].sum())
            book.recovered_after_co[idx[tail]] += amount[tail]
        ledger.receive(source, int(amount.sum()), after_writeoff)
        if self.log is not None:
            self.log.add("payment", day, idx, amount=amount, detail=source.name)
        return amount

    def add_fee(self, idx: I64, fee: int, ledger: Ledger) -> None:
        """Add a late fee to the amount owed and due."""
        if fee <= 0 or idx.shape[0] == 0:
            return
        self.columns.balance[idx] += fee
        self.columns.due[idx] += fee
        ledger.add_fees(fee * int(idx.shape[0]))

    def settle(self, idx: I64, day: int, ledger: Ledger) -> None:
        """After payments: delinquent accounts owing nothing due leave collections."""
        book = self.columns
        idx = idx[(book.state[idx] == State.DELINQUENT) & (book.due[idx] <= 0)]
        if idx.shape[0] == 0:
            return
        closed = book.balance[idx] <= 0
        dpd = book.dpd[idx]
        book.first_exit_dpd[idx] = np.where(book.first_exit_dpd[idx] == 0, dpd,
                                            book.first_exit_dpd[idx])
        book.exited_mid[idx] |= (dpd >= MID_START) & (dpd < LATE_START)
        book.returned_to_current[idx[~closed]] = True
        book.restored_balance[idx[~closed]] += book.balance[idx[~closed]]
        book.state[idx] = np.where(closed, State.CLOSED, State.CURED)
        book.resolved_day[idx] = day
        book.dpd[idx] = 0
        ledger.count(lg.CURED, int((~closed).sum()))
        ledger.count(lg.CLOSED, int(closed.sum()))
        if self.log is not None:
            self.log.add("resolved", day, idx, detail=np.where(closed, "closed", "cured"))

    def close_if_paid(self, idx: I64, day: int, ledger: Ledger) -> None:
        """Delinquent accounts a recovery paid off in full leave collections."""
        book = self.columns
        done = idx[(book.balance[idx] == 0) & (book.state[idx] == State.DELINQUENT)]
        book.due[done] = 0
        self.settle(done, day, ledger)

    def charge_off(self, idx: I64, day: int, ledger: Ledger) -> None:
        """Write accounts off: they leave the book owing their balance."""
        book = self.columns
        if idx.shape[0] == 0:
            return
        book.state[idx] = State.CHARGED_OFF
        book.charged_off_amount[idx] = book.balance[idx]
        book.resolved_day[idx] = day
        self.written_off_owing.add(idx)
        ledger.charge_off(int(idx.shape[0]), int(book.balance[idx].sum()))
        if self.log is not None:
            self.log.add("charge_off", day, idx, amount=book.balance[idx])

    def forgive(self, idx: I64, ledger: Ledger) -> None:
        """Write off what is left of these balances by agreement (a settlement discount)."""
        book = self.columns
        ledger.forgive(int(book.balance[idx].sum()))
        book.forgiven[idx] += book.balance[idx]
        book.balance[idx] = 0
        book.due[idx] = 0

    def mark_reported(self, idx: I64) -> None:
        """Report these accounts to the credit bureau (a report raises the cure hazard)."""
        self.columns.reported[idx] = True
        self.anyone_reported |= idx.shape[0] > 0

    def post(self, channel: str, arrive: int, idx: I64) -> None:
        """Send these accounts an item of ``channel`` that arrives on day ``arrive``."""
        self.in_post[channel][arrive].append(idx)

    def arrivals(self, channel: str, day: int) -> I64:
        """Accounts whose ``channel`` item arrives today and who are still delinquent
        (a letter to an account that has since paid or been written off goes unread)."""
        arrived: I64 = np.concatenate(self.in_post[channel].pop(day, [np.zeros(0, np.int64)]))
        unread: I64 = arrived[self.columns.state[arrived] == State.DELINQUENT]
        return unread

    def contacted(self, idx: I64, day: int, ledger: Ledger) -> None:
        """A right-party contact: the first-contact day and the attempt streak."""
        book = self.columns
        book.first_contact_day[idx] = np.minimum(book.first_contact_day[idx], day)
        book.attempts_since_contact[idx] = 0
        ledger.count(lg.CONTACTS, idx.shape[0])

    def spoke(self, account: int) -> None:
        """A debtor talked to us today (an answered callback)."""
        self.conv_today[account] = True
        self.touched[account] = True

    def add_complaint_risk(self, idx: I64, p: float) -> None:
        """Each account of ``idx`` carries a complaint chance ``p`` into tonight's draw.

        Chances add as hazards (``-log(1 - p)``), so many small contacts compound the
        way independent chances do."""
        if idx.shape[0] and p > 0:
            add_at(self.complaint_units, idx, -math.log1p(-p))
            self.touched[idx] = True

    def attempts(self, idx: I64, day: int, days: int) -> I64:
        """Call attempts each account got over the ``days`` days ending ``day``."""
        window = self.window
        cols = [(day - k) % window for k in range(days)]
        return np.asarray(self.columns.attempt_ring[idx][:, cols].sum(axis=1), dtype=np.int64)
