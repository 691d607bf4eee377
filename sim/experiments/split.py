"""The industry's champion/challenger split test, simulated.

In a live collections operation nobody can run two strategies on the same debtors.
Instead, one population is split at random: most accounts (say 90 %) keep the
champion treatment, a minority (10 %) get the challenger, both worked by the same
floor at the same time, and the two arms' results are compared. :func:`split_test`
reproduces that design so a team can see what its real test will be able to
detect, next to :func:`sim.experiments.compare.compare`, where both strategies see
the whole population with common random numbers.

How the split works:

- **Assignment.** An account joins the challenger arm when a hash of its book
  position and the replication's salt falls below ``share``. The hash draws no
  random numbers, so the split never shifts any of the engine's random streams,
  and each replication gets its own random split.
- **Treatment.** :class:`SplitStrategy` asks both strategies for today's plan on
  the whole book and takes each account's decisions from its own arm.
- **The shared floor.** Worklist priorities of the two strategies may use different
  scales (DPD, balance, score), so each arm's priorities are turned into ranks within
  the arm: both arms get floor time in proportion to their size, each ordered by its
  own rule, as a dialler with one queue per arm would.
- **KPIs per arm** are the account-level cohort KPIs (recovery by bucket, cure and
  roll rates, first contact) computed on each arm's accounts with the engine's own
  formulas. Money flows such as cost are shared by the floor and are not split.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Unpack

import numpy as np
import numpy.typing as npt

from sim.experiments import stats
from sim.experiments.compare import Comparison, build_comparison
from sim.experiments.execution import ExecutionOptions, Run, execute

ARMS = ("champion", "challenger")
SPLIT_KPIS = ("recovery_1_30", "recovery_31_90", "recovery_90_plus", "cure_rate",
              "roll_1_30_to_31_90", "roll_31_90_to_90_plus", "roll_90_plus_to_writeoff",
              "first_contact_bdays_mean", "first_contact_within_3bd")
_MASK64 = (1 << 64) - 1


def in_challenger_arm(
    index: npt.NDArray[np.int64], share: float, salt: int
) -> npt.NDArray[np.bool_]:
    """Whether each account (by book position) is in the challenger arm.

    splitmix64 of ``index`` mixed with ``salt``, read as a uniform number in [0, 1).
    """
    with np.errstate(over="ignore"):
        z = index.astype(np.uint64) + np.uint64((salt * 0x9E3779B97F4A7C15) & _MASK64)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    uniform = (z >> np.uint64(11)).astype(np.float64) / float(1 << 53)
    return uniform < share


def split_salt(seed: int, replication: int) -> int:
    """A salt that differs for every (seed, replication): each run gets its own split."""
    return int(np.random.SeedSequence([seed, replication, 0x5EED]).generate_state(1)[0])


class SplitStrategy:
    """Champion treatment for most accounts, challenger treatment for a random share."""

    def __init__(self, champion: Any, challenger: Any, share: float, salt: int) -> None:
        if not 0 < share < 1:
            raise ValueError(f"share must lie strictly between 0 and 1, got {share}")
        self.champion, self.challenger = champion, challenger
        self.share, self.salt = share, salt
        self.name = f"split({champion.name} | {challenger.name} @ {share:g})"

    def plan(self, view: Any) -> Any:
        from scipy.stats import rankdata

        base, other = self.champion.plan(view), self.challenger.plan(view)
        arm = in_challenger_arm(view.index, self.share, self.salt)
        for action, mask in base.masks.items():
            base.masks[action] = np.where(arm, other.masks[action], mask)
        base.call_attempts = np.where(arm, other.call_attempts, base.call_attempts).astype(np.int8)
        base.call_team = np.where(arm, other.call_team, base.call_team).astype(np.int8)
        base.offer = np.where(arm, other.offer, base.offer).astype(np.int8)
        priority = np.empty(len(view), np.float64)
        for rows, source in ((~arm, base.priority), (arm, other.priority)):
            if rows.any():
                priority[rows] = rankdata(source[rows]) / rows.sum()
        base.priority = priority
        return base


def run_split(run: Run) -> dict[str, float]:
    """Simulate one split run; KPI values prefixed ``champion:`` and ``challenger:``."""
    from sim import simulate
    from sim.kpis import first_contact, recovery_rates, roll_rates
    from sim.stages import State

    final: dict[str, npt.NDArray[np.int64]] = {}

    def observe(day: int, book: Any) -> None:
        # The per-account summary lists accounts that arrived, in book order; keep their
        # book positions so each row can be given its arm.
        final["seen"] = np.flatnonzero(book.state != State.PENDING)

    strategy: SplitStrategy = run.strategy
    result = simulate(run.scenario, seed=run.seed, replication=run.replication,
                      strategy=strategy, observer=observe)
    accounts = result.accounts
    positions = final["seen"]
    if positions.shape[0] != accounts["arrival_day"].shape[0]:
        raise RuntimeError("cannot match account records to book positions for the split")
    arm = in_challenger_arm(positions, strategy.share, strategy.salt)
    scenario = run.scenario
    warmup, days = scenario.horizon.warmup_days, scenario.horizon.days
    out: dict[str, float] = {}
    for name, rows in zip(ARMS, (~arm, arm), strict=True):
        part = {k: v[rows] for k, v in accounts.items()}
        values = {**recovery_rates(part, warmup, days),
                  **roll_rates(part, warmup, days, scenario.channels.writeoff.dpd),
                  **first_contact(part, warmup), "accounts": float(rows.sum())}
        out.update({f"{name}:{k}": float(v) for k, v in values.items()})
    return out


def only_strategy_differs(champion: Any, challenger: Any) -> None:
    """A split test changes the treatment only; refuse scenarios that differ elsewhere."""
    ignore = {"name", "description", "strategy"}
    a = champion.model_dump(mode="json", exclude=ignore)
    b = challenger.model_dump(mode="json", exclude=ignore)
    differing = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    if differing:
        raise ValueError(
            "a split test applies only the challenger's [strategy] to part of one population; "
            f"these scenarios also differ in: {', '.join(differing)}")


def split_test(
    champion: Any,
    challenger: Any,
    share: float = 0.1,
    replications: int = 30,
    seed: int = 0,
    *,
    confidence: float = stats.CONFIDENCE,
    **execution: Unpack[ExecutionOptions],
) -> Comparison:
    """Split one population between two strategies (``share`` to the challenger).

    ``champion`` and ``challenger`` are scenarios that differ only in their
    ``[strategy]``, or ``challenger`` may be a ``sim.Strategy`` object. Returns a
    :class:`Comparison` whose ``scenario`` column is the arm (``champion`` /
    ``challenger``), with the arm KPIs of :data:`SPLIT_KPIS` (and ``accounts``), paired
    by replication.
    """
    from sim.python_strategy import strategy_for

    if not 0 < share < 1:
        raise ValueError(f"share must lie strictly between 0 and 1, got {share}")
    if hasattr(challenger, "plan"):
        treatment = challenger
    else:
        only_strategy_differs(champion, challenger)
        treatment = strategy_for(challenger)  # its ladder, or its Python strategy
    control = strategy_for(champion)
    runs = [Run(champion, seed, k,
                SplitStrategy(control, treatment, share, split_salt(seed, k)))
            for k in range(replications)]
    options: ExecutionOptions = {**execution}
    options.setdefault("run", run_split)
    values = execute(runs, description="split test", **options)
    labels: list[tuple[str, int]] = []
    rows: list[Mapping[str, float]] = []
    per_arm: list[Run] = []
    for k, (spec, kpis) in enumerate(zip(runs, values, strict=True)):
        for arm in ARMS:
            labels.append((arm, k))
            rows.append({key.split(":", 1)[1]: v for key, v in kpis.items()
                         if key.startswith(f"{arm}:")})
            per_arm.append(spec)
    result = build_comparison(labels, per_arm, rows, champion="champion",
                              kpis=SPLIT_KPIS, confidence=confidence, crn=True)
    result.meta.update({"design": "split", "share": share})
    return result
