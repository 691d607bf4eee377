"""Charts of one run, clean enough for a management deck.

- :func:`balances_by_bucket`: the delinquent balance over time, stacked by DPD bucket --
  the picture of whether the book is rolling forward or being worked down.
- :func:`collections_vs_cost`: weekly cash collected against the cost of collecting it,
  with the running amount collected per unit of cost (the deck's cost-benefit).
- :func:`agent_occupancy`: how busy collectors were each day, and the inbound service
  level, against the usual 80 % planning line.

matplotlib is imported only here and only when a chart is drawn (``import sim`` never
loads it); figures use the object API, so nothing depends on pyplot's global state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from sim import style
from sim.stages import BUCKET_LABELS

_BUCKET_COLOURS = ("#c6dbef", "#9ecae1", "#6baed6", "#fd8d3c", "#e6550d", "#a63603")
"""Blues for early and mid buckets, oranges for the late ones: the eye finds the danger."""
_COLLECTED = style.BLUE
_COST = style.RED
_RATIO = style.GREEN
_GREY = style.GREY

Columns = Mapping[str, npt.NDArray[Any]]


def _figure(width: float = 9.0, height: float = 4.8) -> Figure:
    return style.figure(width, height)


def _dates(daily: Columns, start: dt.date | None) -> npt.NDArray[Any]:
    days = np.asarray(daily["day"], dtype=np.int64)
    if start is None:
        return days
    return np.array([np.datetime64(start) + np.timedelta64(int(d), "D") for d in days])


def _style(ax: Axes, title: str, ylabel: str, dates: bool) -> None:
    style.frame(ax, title=title, ylabel=ylabel, xlabel="" if dates else "simulation day")
    if dates:
        import matplotlib.dates as mdates

        # Years on every date: a deck outlives the quarter it was made in.
        locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(
            mdates.ConciseDateFormatter(locator, show_offset=False,  # type: ignore[no-untyped-call]
                                        formats=["%Y", "%b %Y", "%d %b %Y", "%H:%M", "%H:%M",
                                                 "%S"]))


def _scale(peak: float) -> tuple[float, str]:
    """Millions or thousands for a money axis, by its largest value."""
    if peak >= 2e6:
        return 1e6, "million"
    if peak >= 2e3:
        return 1e3, "thousand"
    return 1.0, ""


def balances_by_bucket(daily: Columns, currency: str, start: dt.date | None = None,
                       title: str = "Delinquent balance by DPD bucket") -> Figure:
    """Stacked area of the end-of-day balance in each 30-day bucket."""
    fig = _figure()
    ax = fig.add_subplot()
    x = _dates(daily, start)
    series = np.vstack([np.asarray(daily[f"balance_{b}"], np.float64) for b in BUCKET_LABELS])
    top = float(series.sum(axis=0).max()) if series.size else 0.0
    scale, word = _scale(top)
    ax.stackplot(x, series / scale, labels=[f"{b} DPD" for b in BUCKET_LABELS],
                 colors=_BUCKET_COLOURS, linewidth=0)
    _style(ax, title, f"{currency} {word}".strip(), start is not None)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, title="bucket")
    ax.set_ylim(bottom=0)
    ax.margins(x=0)
    return fig


def collections_vs_cost(daily: Columns, currency: str, start: dt.date | None = None,
                        title: str = "Collections against cost, by week") -> Figure:
    """Weekly collected and cost bars, and the running collected-per-cost ratio."""
    fig = _figure(9.0, 6.0)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(2, 1))
    days = np.asarray(daily["day"], np.int64)
    week = days // 7
    weeks = np.unique(week)
    # A trailing part-week would look like a collapse in collections; leave it out.
    weeks = weeks[np.bincount(week)[weeks] == 7] if weeks.shape[0] > 1 else weeks
    collected = np.bincount(week, weights=np.asarray(daily["collected"], np.float64))[weeks]
    cost = np.bincount(week, weights=np.asarray(daily["cost_total"], np.float64))[weeks]
    peak = float(max(collected.max(initial=0.0), cost.max(initial=0.0)))
    scale, word = _scale(peak)
    x = _dates({"day": weeks * 7}, start)
    width = 2.8 if start is None else np.timedelta64(60, "h")
    offset = 1.5 if start is None else np.timedelta64(36, "h")
    top.bar(x - offset, collected / scale, width=width, color=_COLLECTED, label="collected")
    top.bar(x + offset, cost / scale, width=width, color=_COST, label="cost")
    _style(top, title, f"{currency} {word} per week".strip(), start is not None)
    top.legend(loc="upper right", frameon=False, ncols=2)
    ratio = np.cumsum(collected) / np.maximum(np.cumsum(cost), 1e-9)
    bottom.plot(x, ratio, color=_RATIO, linewidth=2)
    _style(bottom, "Cumulative amount collected per unit of cost", f"{currency} per {currency}",
           start is not None)
    bottom.set_ylim(bottom=0)
    return fig


def agent_occupancy(daily: Columns, start: dt.date | None = None,
                    title: str = "Collector occupancy and inbound service level") -> Figure:
    """Daily occupancy (handle time over available time) and inbound service level."""
    from matplotlib.ticker import PercentFormatter

    fig = _figure()
    ax = fig.add_subplot()
    x = _dates(daily, start)
    occupancy = np.asarray(daily["agent_occupancy"], np.float64)
    service = np.asarray(daily["inbound_service_level"], np.float64)
    ax.plot(x, occupancy, color=_COLLECTED, linewidth=1.8, label="occupancy (all collectors)")
    if np.isfinite(service).any():
        ax.plot(x, service, color=_RATIO, linewidth=1.2, alpha=0.8,
                label="inbound answered within target")
    ax.axhline(0.8, color=_GREY, linestyle="--", linewidth=1, label="80 % planning line")
    _style(ax, title, "share of the day", start is not None)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(0, 1.05)
    ax.legend(loc="lower left", frameon=False, ncols=3)
    ax.margins(x=0)
    return fig


def save(fig: Figure, path: str | Path, note: str = "") -> Path:
    """Write a figure as PNG, with ``note`` (what was run) as its small print."""
    style.footnote(fig, note)
    target = Path(path)
    fig.savefig(target, format="png")
    return target


def run_charts(daily: Columns, currency: str, start: dt.date | None,
               out: Path, prefix: str = "", note: str = "") -> list[Path]:
    """Draw the three charts of a run into ``out``; return the files written."""
    return [
        save(balances_by_bucket(daily, currency, start), out / f"{prefix}balances_by_bucket.png",
             note),
        save(collections_vs_cost(daily, currency, start), out / f"{prefix}collections_vs_cost.png",
             note),
        save(agent_occupancy(daily, start), out / f"{prefix}agent_occupancy.png", note),
    ]
