"""A quick look first: the same collections operation at a fraction of its size.

An analyst exploring a question rarely needs the full book on every try. Shrinking
the book *and* the collector floor by the same share keeps the things that drive the
answers -- accounts per collector, the inflow against capacity, the ladder, the
rule pack -- while each run takes a fraction of the time. Use it to iterate, then
rerun the chosen design at full size: small books are noisier, and a team rounded
down to one or two collectors is coarser than the real one (it may have no one left
on the inbound line, so every callback is abandoned).

The notebooks use it as their size switch (``FAST = True`` under the test suite).
:func:`with_floor` changes only the floor, for "what if we had a third fewer
collectors" questions.
"""

from __future__ import annotations

from typing import Any


def scaled(scenario: Any, share: float, *, days: int | None = None) -> Any:
    """``scenario`` with its book, inflow and every team's headcount times ``share``.

    Teams keep at least one collector if they had any; ``days`` optionally shortens
    the horizon too (cohort KPIs need about 90 days to be observed at all).
    """
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], got {share!r}")
    portfolio = scenario.portfolio
    overrides: dict[str, Any] = {
        "portfolio.accounts": max(1, round(portfolio.accounts * share)),
        "portfolio.daily_inflow": round(portfolio.daily_inflow * share),
        **_floor(scenario, share),
    }
    if days is not None:
        overrides["horizon.days"] = days
    return scenario.with_overrides(overrides)


def with_floor(scenario: Any, share: float) -> Any:
    """The same book with every team's headcount times ``share`` (at least one each).

    ``share`` below 1 is a leaner floor (attrition, a hiring freeze), above 1 a larger
    one; the teams keep their shifts and their mix.
    """
    if not share > 0:
        raise ValueError(f"share must be positive, got {share!r}")
    floor = _floor(scenario, share)
    today = _floor(scenario, 1.0)
    if share != 1 and floor == today:
        # A comparison of two identical floors prints identical columns and looks
        # like a finding; refuse it instead (the first FAST notebooks did this).
        teams = ", ".join(f"{k.split('.')[2]} {v}" for k, v in today.items())
        raise ValueError(f"a floor of {teams} collectors times {share:g} rounds to the same "
                         "floor; use a larger book (a bigger share in scaled())")
    return scenario.with_overrides(floor)


def _floor(scenario: Any, share: float) -> dict[str, int]:
    return {f"staffing.teams.{name}.headcount": max(1, round(team.headcount * share))
            for name, team in scenario.staffing.teams.items() if team.headcount > 0}
