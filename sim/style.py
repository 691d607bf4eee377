"""One look for the notebook charts: titled, labelled axes with units, money in currency.

A chart pasted into a management deck must say what it measures without the notebook
around it: what each axis is, in which unit, and in which currency. These helpers give
every figure built for the notebooks the same frame (left-aligned bold title, light
horizontal grid, no top/right spines -- the look of :mod:`sim.plots`), and format
money ticks as ``CN¥1.2m`` or ``US$350k`` and shares as ``85%``.

matplotlib is imported inside the functions, so importing this module stays cheap and
``import sim`` never loads matplotlib. Figures use the object API (no pyplot state);
in a notebook, ``%matplotlib inline`` makes a returned figure display.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.ticker import Formatter

CURRENCY_SYMBOLS: dict[str, str] = {"CNY": "CN¥", "JPY": "JP¥", "USD": "US$", "GBP": "£",
                                    "EUR": "€"}
"""Symbols that name one currency only. A bare "¥" is both yuan and yen and a bare "$"
a dozen dollars, so those carry their country (the CLDR forms ``CN¥``, ``US$``); any
other code prints as itself (``CAD 12``)."""

BLUE = "#2166ac"
"""Main series (the champion, the measured value)."""
ORANGE = "#e6550d"
"""Second series, and accounts rolling forward into trouble."""
GREEN = "#1b7837"
"""Better than the champion or the target."""
RED = "#b2182b"
"""Worse than the champion, missed targets, charge-off."""
GREY = "#7f7f7f"
"""No detectable difference, reference lines."""
LIGHT_BLUE = "#9ecae1"
"""Bands and resolved accounts."""


def label(kpi: str) -> str:
    """A KPI name for people: ``recovery_1_30`` -> ``recovery 1-30``, ``_90_plus`` -> ``90+``."""
    return re.sub(r"(\d+)_(\d+)", r"\1-\2", kpi).replace("_plus", "+").replace("_", " ")


def symbol(currency: str) -> str:
    """``CN¥`` for CNY, ``US$`` for USD, ``£`` for GBP; other codes with a space."""
    return CURRENCY_SYMBOLS.get(currency, f"{currency} ")


def money(value: float, currency: str, digits: int = 3) -> str:
    """A money amount for people, e.g. ``CN¥1.23m``, ``-US$45.6k``, ``£980``."""
    if value is None or math.isnan(value):
        return "-"
    sign = "-" if value < 0 else ""
    size = abs(value)
    for scale, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if size >= scale:
            return f"{sign}{symbol(currency)}{size / scale:.{digits}g}{suffix}"
    return f"{sign}{symbol(currency)}{size:,.0f}"


def currency_of(scenario: object) -> str:
    """The ISO code of ``scenario``'s amounts (``""`` for an object without a portfolio)."""
    return str(getattr(getattr(scenario, "portfolio", None), "currency", ""))


def money_formatter(currency: str) -> Formatter:
    """Tick formatter printing amounts in major units as ``CN¥1.2m``."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: "0" if value == 0 else money(value, currency))


def share_formatter(decimals: int | None = None) -> Formatter:
    """Tick formatter printing shares (0-1) as percentages; by default with as many
    decimals as the axis range needs (so 2.5% never shows as 2%)."""
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(1.0, decimals=decimals)


def value_text(kpi: str, value: float, currency: str = "") -> str:
    """A KPI value for people, by its unit: ``84.1%``, ``CN¥21.6m``, ``22.2``; NaN is ``-``."""
    from sim.kpi_catalogue import unit_of

    unit = unit_of(kpi)
    if value is None or math.isnan(value):
        return "-"
    if unit == "share":
        return f"{value:.1%}"
    if unit == "money":
        return money(value, currency)
    return f"{value:,.3g}"


def readable(frame: pd.DataFrame, currency: str = "") -> pd.DataFrame:
    """A copy of ``frame`` with every KPI column as text: shares in %, money as ``CN¥1.2m``.

    A column is a KPI column when it is named after a KPI, alone or with a suffix such as
    ``_mean`` or ``_ci_low`` (the frontier and summary tables); other columns are kept.
    """
    from sim.kpi_catalogue import CATALOGUE

    out = frame.copy()
    for column in frame.columns:
        name = str(column)
        kpi = next((k for k in sorted(CATALOGUE, key=len, reverse=True)
                    if name == k or name.startswith(k + "_")), None)
        if kpi is not None and _numeric(frame[column]):
            out[column] = [value_text(kpi, float(v), currency) for v in frame[column]]
    return out


def _numeric(series: pd.Series) -> bool:
    import pandas as pd

    return bool(pd.api.types.is_numeric_dtype(series))


def figure(width: float = 9.0, height: float = 4.8) -> Figure:
    """A blank figure with constrained layout at a resolution that reads well in decks."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=110, layout="constrained")


def frame(ax: Axes, *, title: str, xlabel: str, ylabel: str, grid: str = "y") -> None:
    """Title, axis labels (with units) and the shared grid and spines."""
    ax.set_title(title, loc="left", fontsize=11, fontweight="bold")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(axis=grid, color="#dddddd", linewidth=0.8)  # type: ignore[arg-type]
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def heading(fig: Figure, text: str, fontsize: float | None = None) -> None:
    """The figure's title, flush left like a slide heading.

    Only x is moved, after the title is made: a title given its own y is left out of
    the constrained layout, which would then draw the panels' titles under it.
    """
    title = fig.suptitle(text, ha="left", fontweight="bold",
                         **({"fontsize": fontsize} if fontsize else {}))
    title.set_x(0.01)


def footnote(fig: Figure, text: str, fontsize: float = 7) -> None:
    """The figure's small print at its foot (what was run: scenario, seed, replications).

    A chart pasted into a deck loses the notebook around it; the footnote keeps the
    provenance on the picture. It is the figure's x-label, so the constrained layout
    reserves room for it below the tick labels, as it does for the heading above.
    """
    if not text:
        return
    label = fig.supxlabel(text, ha="left", fontsize=fontsize, color=GREY)
    label.set_x(0.01)
