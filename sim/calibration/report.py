"""The calibration report: does the fitted simulator behave like the book, month by month?

A fit that matches its own moments proves little; the report shows the books side by
side on every snapshot date -- the observed one, the simulator with the **fitted**
values and the simulator with the **base** values -- in the figures a collections
manager reads: roll rates bucket by bucket, cure curves of new arrivals, and the
balance in each bucket. The last months of the history were not used by the fit
(``--holdout``): how close the fitted book stays to the observed one there is the
**back-test**, the honest test of whether the fit predicts rather than just repeats.

Written whole or not at all (:func:`sim.experiments.output.staged_directory`):
``summary.md``, ``parameters.csv``, ``moments.csv``, ``backtest.csv``,
``roll_rates.png``, ``cure_curves.png`` and ``balances.png``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from sim.calibration.history import BUCKETS, History
from sim.calibration.moments import (
    balances_by_bucket,
    cure_curve,
    roll_rates_by_month,
    transitions,
)

if TYPE_CHECKING:
    import pandas as pd

    from sim.calibration import Calibration

DELINQUENT_BUCKETS = range(1, 7)
CURE_MONTHS = 6


def simulated_books(calibration: Calibration, seed: int = 0) -> dict[str, History]:
    """The fitted and the base simulator's histories on all of the data's dates."""
    from sim.calibration.fit import Simulator

    fit = calibration.fit
    runner = Simulator(fit.base, calibration.history, (), fit.reference, seed=seed)
    return {"fitted": runner.history(fit.overrides), "base": runner.history({})}


def backtest(observed: History, simulated: History, held_out: list[str]) -> pd.DataFrame:
    """Held-out months: observed and simulated cure and roll rates, with a 2-s.e. check.

    Rates are compared with the binomial standard error of each side combined, so
    ``within`` says whether the gap is what sampling alone would give 95 % of the time.
    """
    import pandas as pd

    rows = []
    wanted = {pd.Timestamp(d) for d in held_out}
    t_obs, t_sim = transitions(observed), transitions(simulated)
    for date in sorted(wanted):
        o = t_obs[(t_obs["date"] == date) & (t_obs["stage"] >= 0)]
        s = t_sim[(t_sim["date"] == date) & (t_sim["stage"] >= 0)]
        figures = [("cure rate, all delinquent", o["cured"], s["cured"])]
        for b in DELINQUENT_BUCKETS:
            figures.append((f"roll rate from {BUCKETS[b]}", o.loc[o["bucket"] == b, "rolled"],
                            s.loc[s["bucket"] == b, "rolled"]))
        for name, ov, sv in figures:
            if len(ov) == 0 or len(sv) == 0:
                continue
            po, ps = float(ov.mean()), float(sv.mean())
            se = float(np.sqrt(po * (1 - po) / len(ov) + ps * (1 - ps) / len(sv)))
            rows.append({"date": date.date().isoformat(), "figure": name, "observed": po,
                         "simulated": ps, "accounts_observed": len(ov),
                         "standard_error": se, "within_2se": abs(po - ps) <= 2 * se})
    return pd.DataFrame(rows, columns=["date", "figure", "observed", "simulated",
                                       "accounts_observed", "standard_error", "within_2se"])


def write_report(calibration: Calibration, folder: Path, *, seed: int = 0,
                 progress: Callable[[str], None] | None = None) -> Path:
    """Write the report into ``folder`` (replaced whole)."""
    import pandas as pd

    from sim.experiments.output import staged_directory

    say = progress or (lambda _text: None)
    say("report: simulating the fitted and the base book over every date")
    books = simulated_books(calibration, seed)
    observed = calibration.history
    fit = calibration.fit
    with staged_directory(folder) as stage:
        params = pd.DataFrame([{
            "parameter": v.key, "base": v.base, "fitted": v.value, "low_95": v.low,
            "high_95": v.high, "moment": v.moment, "observed": v.observed,
            "observed_se": v.observed_se, "simulated": v.simulated, "transitions": v.count,
        } for v in fit.values])
        params.to_csv(stage / "parameters.csv", index=False)
        moments = pd.DataFrame({"moment": fit.observed.names, "observed": fit.observed.values,
                                "observed_se": np.sqrt(np.diag(fit.observed.cov)),
                                "simulated": fit.simulated.values,
                                "count": fit.observed.counts})
        moments.to_csv(stage / "moments.csv", index=False)
        back = backtest(observed, books["fitted"], calibration.held_out)
        back.to_csv(stage / "backtest.csv", index=False)
        series = {"observed": observed, **books}
        _roll_chart(series, calibration.held_out, stage / "roll_rates.png")
        _cure_chart(series, stage / "cure_curves.png")
        currency = fit.base.portfolio.currency
        _balance_chart(series, calibration.held_out, currency, stage / "balances.png")
        (stage / "summary.md").write_text(_summary(calibration, back, books), "utf-8")
    return folder


STYLE = {"observed": ("-", "o"), "fitted": ("--", None), "base": (":", None)}


def _colours() -> dict[str, str]:
    from sim import style

    return {"observed": style.BLUE, "fitted": style.ORANGE, "base": style.GREY}


def _shade(ax: object, held_out: list[str]) -> None:
    import pandas as pd

    if held_out:
        first = pd.Timestamp(held_out[0]) - pd.Timedelta(days=15)
        last = pd.Timestamp(held_out[-1]) + pd.Timedelta(days=5)
        ax.axvspan(first, last, color="#eeeeee", zorder=0)  # type: ignore[attr-defined]


def _bucket_panels(tables: dict[str, pd.DataFrame], held_out: list[str], ylabel: str,
                   titles: Callable[[int], str], formatter: object, heading: str,
                   path: Path, note: str = "") -> None:
    """Six panels, one per delinquent bucket: observed, fitted and base over the dates."""
    from sim import style

    fig = style.figure(11, 6)
    axes = fig.subplots(2, 3, sharex=True)
    colours = _colours()
    for ax, b in zip(axes.flat, DELINQUENT_BUCKETS, strict=True):
        _shade(ax, held_out)
        for name, table in tables.items():
            if b in table:
                line, marker = STYLE[name]
                ax.plot(table.index, table[b], line, marker=marker, markersize=3,
                        color=colours[name], label=name)
        style.frame(ax, title=titles(b), xlabel="", ylabel=ylabel)
        ax.yaxis.set_major_formatter(formatter)
        ax.set_ylim(bottom=0)
        ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    axes.flat[0].legend(frameon=False, fontsize=8)
    style.heading(fig, heading)
    style.footnote(fig, note)
    fig.savefig(path)


def _roll_chart(series: dict[str, History], held_out: list[str], path: Path) -> None:
    from sim import style

    _bucket_panels(
        {k: roll_rates_by_month(transitions(h)) for k, h in series.items()}, held_out,
        "roll rate", lambda b: f"{BUCKETS[b]} to {BUCKETS[b + 1] if b < 6 else 'charge-off'}",
        style.share_formatter(0),
        "Roll rates by bucket, month by month (shaded: held out of the fit)", path,
        "Share of accounts in a bucket at one snapshot that are in a later bucket (or "
        "charged off) at the next.")


def _cure_chart(series: dict[str, History], path: Path) -> None:
    from sim import style

    fig = style.figure(7, 4.5)
    ax = fig.subplots()
    colours = _colours()
    months = np.arange(1, CURE_MONTHS + 1)
    for name, h in series.items():
        line, marker = STYLE[name]
        ax.plot(months, cure_curve(h, CURE_MONTHS), line, marker=marker or "s", markersize=4,
                color=colours[name], label=name)
    style.frame(ax, title="Cure curve of new arrivals",
                xlabel="snapshots since first seen at 1-30 DPD",
                ylabel="share exited (cured or paid off)")
    ax.yaxis.set_major_formatter(style.share_formatter(0))
    ax.legend(frameon=False)
    style.footnote(fig, "Accounts first seen in 1-30 DPD after the first snapshot; each point "
                        "among those observed that long.")
    fig.savefig(path)


def _balance_chart(series: dict[str, History], held_out: list[str], currency: str,
                   path: Path) -> None:
    from sim import style

    _bucket_panels(
        {k: balances_by_bucket(h) for k, h in series.items()}, held_out, "balance",
        lambda b: f"{BUCKETS[b]} DPD", style.money_formatter(currency),
        "Balance owed by bucket at each snapshot (shaded: held out of the fit)", path)


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def _summary(calibration: Calibration, back: pd.DataFrame, books: dict[str, History]) -> str:
    from sim.calibration.write import describe_moment

    fit = calibration.fit
    h = calibration.history
    dates = [str(d)[:10] for d in h.dates]
    lines = [
        "# Calibration report",
        "",
        f"History `{h.source}`: {h.frame.shape[0]:,} snapshots of "
        f"{h.frame['account'].nunique():,} accounts on {len(dates)} dates, {dates[0]} to "
        f"{dates[-1]}. Base scenario `{fit.base.name}`. Fitted on the first "
        f"{len(dates) - len(calibration.held_out)} dates by the method of simulated "
        f"moments under the base's strategy ({fit.simulations} simulation runs, common "
        f"random numbers); the last {len(calibration.held_out)} dates are the back-test.",
        "",
        "## Fitted values",
        "",
        "| parameter | base | fitted | 95 % interval | matched to | observed | simulated |",
        "|---|---:|---:|---|---|---:|---:|",
    ]
    for v in fit.values:
        rate = not (v.moment.endswith("per_day") or v.moment.endswith("share"))
        show = _pct if rate else (lambda x: f"{x:.4g}")
        lines.append(f"| `{v.key}` | {v.base:.4g} | {v.value:.4g} | [{v.low:.4g}, "
                     f"{v.high:.4g}] | {describe_moment(v.moment)} ({v.count:,}) | "
                     f"{show(v.observed)} | {show(v.simulated)} |")
    gap = fit.trace[-1] if fit.trace else float("nan")
    lines += [
        "",
        f"Largest gap left between a simulated and an observed moment: {gap:.2f} standard "
        "errors of the observed one.",
        "",
        "## Back-test on the held-out months",
        "",
    ]
    if back.empty:
        lines.append("No months were held out (`--holdout 0`).")
    else:
        within = int(back["within_2se"].sum())
        lines += [
            f"{within} of {len(back)} held-out figures lie within two standard errors of "
            "the observed value (about 95 % would, if the fitted model were the true one).",
            "",
            "| date | figure | observed | fitted model | accounts | within 2 s.e. |",
            "|---|---|---:|---:|---:|:-:|",
        ]
        for r in back.to_dict("records"):
            lines.append(f"| {r['date']} | {r['figure']} | {_pct(float(r['observed']))} | "
                         f"{_pct(float(r['simulated']))} | {int(r['accounts_observed']):,} | "
                         f"{'yes' if r['within_2se'] else 'no'} |")
    lines += [
        "",
        "## Charts",
        "",
        "![Roll rates](roll_rates.png)",
        "",
        "![Cure curves](cure_curves.png)",
        "",
        "![Balances by bucket](balances.png)",
        "",
        "## What these data cannot tell",
        "",
        "The history was produced under one strategy, so it shows the debtors' behaviour "
        "and the treatment's effect together. How much each channel adds -- contact, "
        "promise and keep rates, the pressure a contact builds, the bureau, agency and "
        "legal effects -- cannot be separated from the debtors' own cure without variation "
        "in treatment. Those values are the base scenario's, and the fitted cure hazards "
        "are right only if they are. To learn them, keep a random hold-out group out of "
        "a channel, or run a champion/challenger test, and compare the two groups' cure "
        "and roll rates.",
        "",
    ]
    del books
    return "\n".join(lines)
