"""Champion/challenger: which collection strategy is better, and by how much?

Collections teams test a new strategy (the challenger) against the current one
(the champion). In the simulator both can be applied to the *same* simulated
debtors: run ``k`` of every strategy uses seed ``(seed, k)``, and the engine draws
everything a strategy cannot influence (who the debtors are, their capacity and
willingness to pay, who self-cures, the daily inflow) from streams no strategy
touches. These are common random numbers (CRN). The difference between two
strategies in replication ``k`` is then mostly the effect of the strategy, not of
who happened to be in the portfolio, and its confidence interval is much narrower
than that of two independent samples. ``variance_ratio`` in the differences table
estimates how much narrower: ``(Var A + Var B) / Var(A - B)``, the factor by which
CRN cuts the replications needed for the same precision.

The industry's own version of the test, a split of one live population (say 90%
champion, 10% challenger), is :func:`sim.experiments.split.split_test`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

import pandas as pd

from sim.experiments import stats
from sim.experiments.execution import ExecutionOptions, Run, execute

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Arm = Any
"""A ``sim.Scenario``, or a ``(Scenario, Strategy)`` pair for a notebook-written policy."""


@dataclass(frozen=True)
class Comparison:
    """Results of a champion/challenger comparison."""

    runs: pd.DataFrame
    """One row per strategy and replication: ``scenario, replication, seed`` and KPIs."""
    summary: pd.DataFrame
    """One row per strategy and KPI: ``n, mean, sd, ci_low, ci_high``."""
    differences: pd.DataFrame
    """One row per challenger and KPI: paired difference vs the champion with its CI."""
    champion: str
    kpis: tuple[str, ...]
    confidence: float = stats.CONFIDENCE
    crn: bool = True
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def strategies(self) -> list[str]:
        return list(dict.fromkeys(self.runs["scenario"]))

    @property
    def currency(self) -> str:
        """ISO code of the scenarios' amounts (``""`` if unknown)."""
        return str(self.meta.get("currency", ""))

    def table(self, kpis: Sequence[str] | None = None) -> pd.DataFrame:
        """KPI x strategy table of ``mean [low, high]`` for people: shares in %, money
        as ``CN¥2.06m`` (see :func:`sim.experiments.verdict.summary_table`)."""
        from sim.experiments.verdict import summary_table

        return summary_table(self, kpis, self.currency)

    def difference_table(self, kpis: Sequence[str] | None = None, digits: int = 4) -> pd.DataFrame:
        """Challenger - champion per KPI as ``diff [low, high] (relative %)`` strings."""
        chosen = list(kpis) if kpis is not None else list(self.kpis)
        frame = self.differences[self.differences["kpi"].isin(chosen)]
        cells = frame.assign(
            cell=[f"{_cell(d, lo, hi, digits)} ({rel:+.1%})" for d, lo, hi, rel in
                  zip(frame["difference"], frame["ci_low"], frame["ci_high"], frame["relative"],
                      strict=True)]
        )
        wide = cells.pivot(index="kpi", columns="challenger", values="cell")
        return wide.loc[chosen]

    def plot_differences(self, kpis: Sequence[str] | None = None) -> Figure:
        from sim.experiments import plots

        chosen = list(kpis) if kpis is not None else list(self.kpis)
        return plots.forest(self.differences[self.differences["kpi"].isin(chosen)],
                            currency=self.currency, note=self.note)

    def plot_distributions(self, kpis: Sequence[str] | None = None) -> Figure:
        from sim.experiments import plots

        return plots.distributions(self.runs, list(kpis) if kpis is not None else list(self.kpis),
                                   currency=self.currency, note=self.note)

    @property
    def note(self) -> str:
        """What was run, for the small print under a figure."""
        replications = self.meta.get("replications", "?")
        pairing = "common random numbers" if self.crn else "independent streams"
        return (f"{len(self.strategies)} strategies, champion {self.champion}; "
                f"{replications} replications from seed {self.meta.get('seed', '?')}, {pairing}")

    def __repr__(self) -> str:
        return (f"Comparison(champion={self.champion!r}, strategies={self.strategies}, "
                f"replications={self.meta.get('replications')}, crn={self.crn})")

    def _repr_html_(self) -> str:
        # In a notebook, show the two tables an analyst reads first.
        return (f"<p>{self!r}</p><p><b>Mean [95% CI]</b></p>{self.table().to_html()}"
                f"<p><b>Challenger - champion, paired [95% CI]</b></p>"
                f"{self.difference_table().to_html()}")


def _cell(mean: float, low: float, high: float, digits: int) -> str:
    return f"{mean:.{digits}g} [{low:.{digits}g}, {high:.{digits}g}]"


def named_arms(scenarios: Mapping[str, Arm] | Sequence[Arm]) -> dict[str, Arm]:
    """Name each arm: mapping keys, else each scenario's own ``name``."""
    if isinstance(scenarios, Mapping):
        arms = {str(k): v for k, v in scenarios.items()}
    else:
        arms = {}
        for arm in scenarios:
            scenario = arm[0] if isinstance(arm, tuple) else arm
            name = str(scenario.name)
            if name in arms:
                raise ValueError(
                    f"two scenarios are both named {name!r}; pass a mapping of names to scenarios"
                )
            arms[name] = arm
    if len(arms) < 2:
        raise ValueError("a comparison needs at least two scenarios (a champion and a challenger)")
    return arms


def compare(
    scenarios: Mapping[str, Arm] | Sequence[Arm],
    replications: int = 30,
    seed: int = 0,
    *,
    champion: str | None = None,
    kpis: Sequence[str] | None = None,
    crn: bool = True,
    confidence: float = stats.CONFIDENCE,
    **execution: Unpack[ExecutionOptions],
) -> Comparison:
    """Run every scenario ``replications`` times and compare each with the champion.

    ``scenarios`` maps names to ``Scenario`` objects (or ``(Scenario, Strategy)``
    pairs); a plain sequence is named by ``scenario.name``. The champion is the first
    unless named. ``crn=False`` gives each strategy its own random streams (only useful
    to see what common random numbers buy). ``kpis`` limits the KPIs reported
    (default: all). See :func:`sim.experiments.execution.execute` for ``workers``,
    ``backend``, ``scheduler``, ``cache`` and ``progress``; ``run`` replaces
    ``sim.simulate`` (for tests).
    """
    arms = named_arms(scenarios)
    names = list(arms)
    chosen = champion if champion is not None else names[0]
    if chosen not in arms:
        raise ValueError(f"champion {chosen!r} is not one of the scenarios {names}")
    if replications < 1:
        raise ValueError(f"replications must be at least 1, got {replications}")

    runs: list[Run] = []
    labels: list[tuple[str, int]] = []
    for k in range(replications):
        for position, (name, arm) in enumerate(arms.items()):
            scenario, strategy = arm if isinstance(arm, tuple) else (arm, None)
            # Independent streams: shift each strategy onto replications nobody else uses.
            stream = k if crn else k + position * replications
            runs.append(Run(scenario, seed, stream, strategy))
            labels.append((name, k))
    values = execute(runs, **execution, description="compare")
    return build_comparison(labels, runs, values, champion=chosen, kpis=kpis,
                            confidence=confidence, crn=crn)


def build_comparison(
    labels: Sequence[tuple[str, int]],
    runs: Sequence[Run],
    values: Sequence[Mapping[str, float]],
    *,
    champion: str,
    kpis: Sequence[str] | None,
    confidence: float,
    crn: bool,
) -> Comparison:
    """Assemble the tidy table, summary and paired differences from finished runs."""
    tidy = tidy_runs(labels, runs, values, label_column="scenario")
    chosen = tuple(kpis) if kpis is not None else kpi_columns(tidy)
    missing = [k for k in chosen if k not in tidy.columns]
    if missing:
        raise ValueError(f"unknown KPI(s) {missing}; the runs report {list(kpi_columns(tidy))}")
    summary = stats.summarise(tidy, "scenario", chosen, confidence)
    differences = stats.paired_differences(tidy, by="scenario", champion=champion, kpis=chosen,
                                           confidence=confidence)
    from sim.style import currency_of

    replications = int(tidy["replication"].nunique())
    return Comparison(tidy, summary, differences, champion, chosen, confidence, crn,
                      {"replications": replications, "seed": int(runs[0].seed) if runs else 0,
                       "currency": currency_of(runs[0].scenario) if runs else ""})


def tidy_runs(
    labels: Sequence[tuple[str, int]],
    runs: Sequence[Run],
    values: Sequence[Mapping[str, float]],
    label_column: str,
) -> pd.DataFrame:
    """One row per run: label, replication (the pairing index), seed, then KPI columns."""
    rows = [
        {label_column: name, "replication": k, "seed": run.seed, **kpis}
        for (name, k), run, kpis in zip(labels, runs, values, strict=True)
    ]
    return pd.DataFrame(rows)


def kpi_columns(tidy: pd.DataFrame) -> tuple[str, ...]:
    return tuple(c for c in tidy.columns if c not in {"scenario", "replication", "seed", "point"}
                 and pd.api.types.is_float_dtype(tidy[c]))


def write_comparison(
    comparison: Comparison, directory: Path, kpis: Sequence[str] | None = None
) -> list[Path]:
    """Write runs, summary and differences CSVs, and forest and distribution PNGs of ``kpis``."""
    from sim.experiments import plots

    paths = []
    for name, frame in (("runs", comparison.runs), ("summary", comparison.summary),
                        ("differences", comparison.differences)):
        path = directory / f"{name}.csv"
        frame.to_csv(path, index=False)
        paths.append(path)
    paths.append(plots.save(comparison.plot_differences(kpis), directory / "differences.png"))
    paths.append(plots.save(comparison.plot_distributions(kpis), directory / "distributions.png"))
    return paths
