"""Monotone search: the fewest collectors (or agents) that meet a target.

Staffing questions have a monotone shape: if ``h`` collectors meet the targets, so
do ``h + 1``. That turns "how many do we need?" into finding the first ``True`` of a
predicate that flips once. Each evaluation may cost a batch of simulations, so the
search gallops from a good first guess (an Erlang estimate, or today's headcount)
with doubling steps until it brackets the answer, then bisects the bracket:
``O(log distance)`` evaluations instead of one per headcount.
"""

from __future__ import annotations

from collections.abc import Callable


class NotReachableError(ValueError):
    """The predicate stayed false up to the highest value allowed."""

    def __init__(self, highest: int) -> None:
        self.highest = highest
        super().__init__(f"not reached at any value up to {highest}")


def smallest_satisfying(
    predicate: Callable[[int], bool], *, start: int, lowest: int = 0, highest: int | None = None
) -> int:
    """Smallest integer ``n >= lowest`` with ``predicate(n)``, assuming it flips once.

    ``predicate`` is called at most once per value. Raises :class:`NotReachable` when it
    is still false at ``highest`` (``None`` means no upper limit).
    """
    if highest is not None and highest < lowest:
        raise ValueError(f"highest ({highest}) is below lowest ({lowest})")
    start = max(lowest, start if highest is None else min(start, highest))
    if predicate(start):
        bad, good = _gallop_down(predicate, start, lowest)
    else:
        bad, good = _gallop_up(predicate, start, highest)
    # Invariant: predicate(bad) is false (or bad is below the range) and predicate(good) true.
    while good - bad > 1:
        middle = (bad + good) // 2
        if predicate(middle):
            good = middle
        else:
            bad = middle
    return good


def _gallop_down(predicate: Callable[[int], bool], good: int, lowest: int) -> tuple[int, int]:
    step = 1
    while good > lowest:
        probe = max(lowest, good - step)
        if not predicate(probe):
            return probe, good
        good, step = probe, step * 2
    return lowest - 1, good


def _gallop_up(predicate: Callable[[int], bool], bad: int, highest: int | None) -> tuple[int, int]:
    step = 1
    while highest is None or bad < highest:
        probe = bad + step if highest is None else min(bad + step, highest)
        if predicate(probe):
            return bad, probe
        bad, step = probe, step * 2
    raise NotReachableError(bad)
