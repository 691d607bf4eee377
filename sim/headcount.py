"""Splitting people: the one copy of the staffing arithmetic.

A team's headcount is split over its shifts by share, and each shift's collectors over
outbound dialling and the inbound line. People come in whole numbers, so the split uses
the **largest-remainder method**: everyone gets the whole part of their exact share,
and the people left over go to the largest fractional parts (ties to the earlier entry),
so the parts always add up to the total. The engine builds its floor with these
functions and the staffing search sizes teams with them, so the two cannot drift apart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` people in proportion to ``weights`` into integers summing to it."""
    scale = sum(weights) or 1.0
    exact = [total * w / scale for w in weights]
    counts = [math.floor(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def inbound_people(count: int, inbound_share: float) -> int:
    """Collectors of a shift who answer the inbound line instead of dialling."""
    return round(inbound_share * count)


def inbound_seats(count: int, inbound_share: float, shrinkage: float) -> int:
    """Inbound seats a shift of ``count`` collectors keeps open (net of shrinkage)."""
    return round(inbound_people(count, inbound_share) * (1.0 - shrinkage))
