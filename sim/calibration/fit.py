"""Fitting behaviour to a history by the method of simulated moments, under common numbers.

**Why simulate.** A team's history was produced under its own strategy: the accounts
that cured were also called, texted and visited. So an observed monthly cure rate is
not the debtor's untreated cure hazard (``behaviour.cure_hazard``); it is that hazard
*plus* whatever the team's treatment added. Reading the hazard straight off the data
would credit the debtor with the collectors' work. Instead the simulator is run under
the base scenario's strategy, photographed on the history's own snapshot dates
(:mod:`sim.calibration.snapshots`), and the behaviour parameters are moved until the
simulated moments equal the observed ones (:mod:`sim.calibration.moments`): the
**method of simulated moments** (McFadden 1989; Pakes & Pollard 1989). It is
just-identified here -- one moment per parameter -- so the fit solves the equations
``simulated(theta) = observed`` rather than minimising a weighted distance.

**Common random numbers.** Every simulation uses the same seeds, so a change in the
simulated moments comes from the change in parameters, not from new dice: the
simulated moments are then a smooth function of the parameters (self-cure is decided
by fixed integrated-hazard thresholds) and the solver can take Newton steps on it.

**The solver.** Parameters live on the log scale and each moment on the scale where it
is close to linear in its parameter (the log of the monthly hazard for a rate). A few
diagonal secant steps bring each parameter near its moment; then the full Jacobian of
the simulated moments is measured by one finite-difference run per parameter (still
under common numbers), and Newton steps with it finish the fit.

**Intervals.** The just-identified MSM sandwich: ``Var(theta) = J^-1 (S_data + S_sim)
J^-T``, where ``S_data`` is the cluster-robust covariance of the observed moments and
``S_sim`` that of the simulated ones (a simulation of the same size as the data adds
its own noise, which is why the interval is wider than the data alone would give).
95 % intervals are normal on the log scale.

**What these data cannot identify.** Only the *combined* effect of the debtor and the
treatment is seen. How much a call, a visit or a letter adds (contact and promise rates,
pressure uplift, channel effects) cannot be told apart from the debtor's own behaviour
without variation in treatment -- a hold-out group, a champion/challenger test, or a
change of strategy with dates. Those parameters stay as the base scenario states them,
and the fitted cure hazards are right only *given* them: if the base overstates what a
call does, the fitted untreated cure comes out too low, and the reverse.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from sim.calibration.history import History, check_history
from sim.calibration.moments import STAGES, Moments, measure, moment_names, transitions
from sim.calibration.snapshots import SnapshotRecorder

if TYPE_CHECKING:
    from sim.scenario.root import Scenario

Z95 = 1.959963984540054
INFLOW = "arrivals.per_day"
"""Moment: accounts first seen in collections after the first snapshot, per day."""


@dataclass(frozen=True)
class Parameter:
    """One fitted parameter and the moment that identifies it."""

    key: str
    """Dotted key path in the scenario, e.g. ``behaviour.cure_hazard.early``."""
    moment: str
    """The moment matched to it."""
    lower: float
    upper: float
    scale: str
    """``hazard`` (moment read as log monthly hazard) or ``log``."""


def parameters_for(moments: Moments) -> list[Parameter]:
    """The parameters these data identify: each one whose moment rests on at least
    :data:`MIN_TRANSITIONS` transitions. The reference segment has no moment of its own
    (its multiplier stays at the base value: a factor common to every segment is the
    stage hazards' job)."""
    params = [Parameter(f"behaviour.cure_hazard.{s}", f"cure.{s}", 1e-6, 0.5, "hazard")
              for s in STAGES]
    params += [Parameter(f"behaviour.partial_payment_hazard.{s}", f"partial.{s}", 1e-6, 0.5,
                         "hazard") for s in STAGES]
    for name in moments.names:
        if name.startswith("cure.segment."):
            seg = name.removeprefix("cure.segment.")
            params.append(Parameter(f"portfolio.segments.{seg}.cure_multiplier", name, 0.01,
                                    100.0, "hazard"))
    params.append(Parameter("channels.writeoff.recovery_hazard", "recovery.incidence", 1e-7,
                            0.5, "hazard"))
    params.append(Parameter("channels.writeoff.recovery_share", "recovery.share", 1e-3, 1.0,
                            "log"))
    params.append(Parameter("portfolio.daily_inflow", INFLOW, 1e-3, 1e6, "log"))
    return [p for p in params if _count(moments, p.moment) >= MIN_TRANSITIONS]


MIN_TRANSITIONS = 30
"""Fewest transitions (or arrivals) behind a moment for its parameter to be fitted."""


def _count(moments: Moments, name: str) -> int:
    return int(moments.counts[moments.names.index(name)])


def reference_segment(history: History) -> str | None:
    """The segment with the most delinquent snapshots (its multiplier anchors the rest)."""
    if not history.has_segment:
        return None
    counts = history.frame.loc[history.frame["bucket"].between(1, 6), "segment"].value_counts()
    return str(counts.index[0]) if len(counts) else None


def observe(history: History, reference: str | None) -> Moments:
    """The moments of a history: transition rates plus the daily arrival rate."""
    segments = sorted(set(history.frame["segment"])) if history.has_segment else []
    names = moment_names(segments, reference)
    base = measure(transitions(history), names)
    f = history.frame
    first = f["date"].min()
    span = max((f["date"].max() - first) / np.timedelta64(1, "D"), 1.0)
    start = f.groupby("account")["date"].min()
    arrivals = float((start > first).sum())
    k = len(names)
    cov = np.zeros((k + 1, k + 1))
    cov[:k, :k] = base.cov
    cov[k, k] = arrivals / span**2  # Poisson count
    return Moments((*names, INFLOW), np.append(base.values, arrivals / span),
                   np.append(base.counts, int(arrivals)), np.append(base.events, arrivals), cov)


def to_scale(values: npt.NDArray[np.float64], scales: Sequence[str]) -> npt.NDArray[np.float64]:
    """Moments on their working scale: log monthly hazard for a rate, else log."""
    out = np.empty_like(values)
    for i, (v, s) in enumerate(zip(values, scales, strict=True)):
        v = min(max(float(v), 1e-9), 1 - 1e-9) if s == "hazard" else max(float(v), 1e-12)
        out[i] = math.log(-math.log1p(-v)) if s == "hazard" else math.log(v)
    return out


def scale_derivative(values: npt.NDArray[np.float64], scales: Sequence[str]) -> npt.NDArray[
        np.float64]:
    """d(working scale)/d(moment) at ``values`` (delta method)."""
    out = np.empty_like(values)
    for i, (v, s) in enumerate(zip(values, scales, strict=True)):
        if s == "hazard":
            v = min(max(float(v), 1e-9), 1 - 1e-9)
            out[i] = 1.0 / ((1 - v) * -math.log1p(-v))
        else:
            out[i] = 1.0 / max(float(v), 1e-12)
    return out


@dataclass
class FittedValue:
    """A fitted parameter with its interval and where it came from."""

    key: str
    value: float
    low: float
    high: float
    base: float
    moment: str
    observed: float
    simulated: float
    count: int
    """Transitions (or arrivals) behind the moment."""
    observed_se: float


@dataclass
class Fit:
    """Result of :func:`fit`."""

    values: list[FittedValue]
    base: Scenario
    """The scenario fitted (the team's strategy and staff)."""
    overrides: dict[str, float]
    """Fitted values by dotted key."""
    scenario: Scenario
    """The base with the fitted values (and the history's dates) applied."""
    observed: Moments
    simulated: Moments
    simulations: int
    """Simulation runs made."""
    reference: str | None
    history: History
    trace: list[float] = field(default_factory=list)
    """Largest standardised moment gap after each step (the last: of the point kept)."""
    unidentified: list[str] = field(default_factory=list)
    """Parameters whose moment did not answer them beyond noise (kept at base)."""


class Simulator:
    """Runs the base scenario with parameter overrides and measures the same moments."""

    def __init__(self, base: Scenario, history: History, names: tuple[str, ...],
                 reference: str | None, replications: int = 1, seed: int = 0) -> None:
        dates = history.dates
        self.first = dates[0]
        self.days = [int((d - self.first) / np.timedelta64(1, "D")) for d in dates]
        f = history.frame
        first_rows = f[f["date"] == self.first]
        delinquent = first_rows[first_rows["bucket"].between(1, 6)]
        stage = np.array([-1, 0, 1, 1, 2, 2, 2, -1])[delinquent["bucket"].to_numpy()]
        shares = np.bincount(stage, minlength=3) / max(stage.shape[0], 1)
        self.fixed: dict[str, Any] = {
            "calendar.start_date": self.first.date().isoformat()
            if hasattr(self.first, "date") else str(self.first)[:10],
            "horizon.days": self.days[-1] + 1,
            "horizon.warmup_days": 0,
            "horizon.runoff": False,
            "horizon.untreated_twin": False,
            "portfolio.accounts": int(delinquent.shape[0]),
            "portfolio.starting_traits": "survivors",
            "portfolio.book.early": float(shares[0]),
            "portfolio.book.mid": float(shares[1]),
            "portfolio.book.late": float(shares[2]),
        }
        self.base = base
        self.names = names
        self.reference = reference
        self.replications = replications
        self.seed = seed
        self.runs = 0
        self.segments = history.has_segment

    def scenario(self, overrides: dict[str, float]) -> Scenario:
        return self.base.with_overrides({**self.fixed, **overrides})

    def history(self, overrides: dict[str, float]) -> History:
        """The simulated history under these parameter values (same seeds every time)."""
        import pandas as pd

        import sim

        scenario = self.scenario(overrides)
        frames = []
        for r in range(self.replications):
            recorder = SnapshotRecorder(scenario, self.days)
            sim.simulate(scenario, seed=self.seed, replication=r, observer=recorder)
            self.runs += 1
            frames.append(recorder.frame(f"R{r}-"))
        frame = pd.concat(frames, ignore_index=True)
        if not self.segments:
            frame = frame.drop(columns=["segment"])
        return check_history(frame.drop(columns=["product"]), "<simulated>",
                             writeoff_dpd=scenario.channels.writeoff.dpd)

    def moments(self, overrides: dict[str, float]) -> Moments:
        hist = self.history(overrides)
        m = observe(hist, self.reference)
        if self.replications > 1:  # per-replication arrival rate, as observed
            i = m.names.index(INFLOW)
            values = m.values.copy()
            values[i] /= self.replications
            cov = m.cov.copy()
            cov[i, i] /= self.replications**2
            m = Moments(m.names, values, m.counts, m.events, cov)
        missing = [n for n in self.names if n not in m.names]
        if missing:  # a segment the simulation never showed delinquent
            raise ValueError(f"simulated history lacks moments {missing}")
        idx = [m.names.index(n) for n in self.names]
        return Moments(self.names, m.values[idx], m.counts[idx], m.events[idx],
                       m.cov[np.ix_(idx, idx)])


def base_value(scenario: Scenario, key: str) -> float:
    """The value at a dotted key path of a scenario."""
    node: Any = scenario
    for part in key.split("."):
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    return float(node)


def fit(base: Scenario, history: History, *, replications: int = 1, seed: int = 0,
        steps: int = 6, tolerance: float = 0.5,
        progress: Callable[[str], None] | None = None) -> Fit:
    """Fit the parameters these data identify (see the module docstring)."""
    say = progress or (lambda _text: None)
    reference = reference_segment(history)
    observed_all = observe(history, reference)
    params = parameters_for(observed_all)
    names = tuple(p.moment for p in params)
    idx = [observed_all.names.index(n) for n in names]
    observed = Moments(names, observed_all.values[idx], observed_all.counts[idx],
                       observed_all.events[idx], observed_all.cov[np.ix_(idx, idx)])
    scales = [p.scale for p in params]
    target = to_scale(observed.values, scales)
    d_obs = scale_derivative(observed.values, scales)
    se_target = np.sqrt(np.diag(observed.cov)) * d_obs
    runner = Simulator(base, history, names, reference, replications, seed)
    lo = np.log([p.lower for p in params])
    hi = np.log([p.upper for p in params])
    x = np.clip(np.log([max(base_value(base, p.key), p.lower) for p in params]), lo, hi)

    def run(xv: npt.NDArray[np.float64]) -> Moments:
        return runner.moments({p.key: float(v) for p, v in zip(params, np.exp(xv),
                                                                 strict=True)})

    def gap(m: Moments) -> npt.NDArray[np.float64]:
        return target - to_scale(m.values, scales)

    def worst(g: npt.NDArray[np.float64], which: npt.NDArray[np.intp] | None = None) -> float:
        se = se_target if which is None else se_target[which]
        return float(np.max(np.abs(g if which is None else g[which]) / np.maximum(se, 1e-9)))

    trace: list[float] = []
    current = run(x)
    g = gap(current)
    trace.append(worst(g))
    say(f"start: largest moment gap {trace[-1]:.1f} standard errors")
    jac = jacobian(run, x, to_scale(current.values, scales), g, scales, lo, hi)
    say(f"jacobian measured ({len(params)} runs)")
    # A parameter whose own moment does not answer a 50 % change more than the
    # simulation's noise would explain is not identified by these data: it keeps its
    # base value and is reported, rather than being driven by noise.
    noise = np.sqrt(2 * np.diag(current.cov)) * scale_derivative(current.values, scales)
    answers = np.diag(jac) > IDENTIFIED_Z * noise / JACOBIAN_STEP
    unidentified = [p.key for p, ok in zip(params, answers, strict=True) if not ok]
    keep = np.flatnonzero(answers)
    if unidentified:
        say("not identified (kept at base): " + ", ".join(unidentified))
    j = jac[np.ix_(keep, keep)]
    tried = [(float(np.sum((g[keep] / se_target[keep]) ** 2)), x, current)]
    for step in range(steps):
        if trace[-1] < tolerance:
            break
        move = np.zeros_like(x)
        move[keep] = np.linalg.solve(_well_posed(j), g[keep])
        move *= min(1.0, MAX_MOVE / max(float(np.max(np.abs(move))), 1e-12))  # damped
        x = np.clip(x + move, lo, hi)
        current = run(x)
        g = gap(current)
        trace.append(worst(g, keep))
        tried.append((float(np.sum((g[keep] / se_target[keep]) ** 2)), x, current))
        say(f"newton step {step + 1}: largest moment gap {trace[-1]:.1f} standard errors")
    # The simulated moments are noisy in the parameters (a change in who cures moves
    # every later draw), so the point kept is the one that matched best.
    _, x, current = min(tried, key=lambda t: t[0])
    trace.append(worst(gap(current), keep))

    d_sim = scale_derivative(current.values, scales)
    s_data = (observed.cov * np.outer(d_obs, d_obs))[np.ix_(keep, keep)]
    s_sim = (current.cov * np.outer(d_sim, d_sim))[np.ix_(keep, keep)]
    inv = np.linalg.inv(_well_posed(j))
    half = np.zeros(len(params))
    half[keep] = Z95 * np.sqrt(np.maximum(np.diag(inv @ (s_data + s_sim) @ inv.T), 0.0))
    values = []
    theta = np.exp(x)
    for k, p in enumerate(params):
        if k not in keep:
            continue
        values.append(FittedValue(
            key=p.key, value=float(theta[k]),
            low=float(max(np.exp(x[k] - half[k]), p.lower)),
            high=float(min(np.exp(x[k] + half[k]), p.upper)),
            base=base_value(base, p.key), moment=p.moment,
            observed=float(observed.values[k]), simulated=float(current.values[k]),
            count=int(observed.counts[k]), observed_se=float(np.sqrt(observed.cov[k, k]))))
    params_kept = [params[k] for k in keep]
    theta = theta[keep]
    overrides = {p.key: float(v) for p, v in zip(params_kept, theta, strict=True)}
    return Fit(values, base, overrides, runner.scenario(overrides), observed, current,
               runner.runs, reference, history, trace, unidentified)


MAX_MOVE = 1.0
"""Largest change of one log parameter in a step (a factor of e)."""
JACOBIAN_STEP = 0.4
"""Finite-difference step on the log scale (about 50 %): large, because the simulated
moments carry noise of their own and a small step would measure mostly that."""
IDENTIFIED_Z = 2.0
"""A parameter counts as identified if its moment moves by more than this many noise
standard deviations under the finite-difference step."""


def jacobian(run: Callable[[npt.NDArray[np.float64]], Moments], x: npt.NDArray[np.float64],
             here: npt.NDArray[np.float64], g: npt.NDArray[np.float64], scales: Sequence[str],
             lo: npt.NDArray[np.float64],
             hi: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Working-scale moments by log parameter, one difference per parameter, each step
    taken toward that parameter's moment gap ``g`` (so it also explores the way to go)."""
    jac = np.zeros((x.shape[0], x.shape[0]))
    for k in range(x.shape[0]):
        xk = x.copy()
        up = g[k] >= 0
        step = JACOBIAN_STEP if (up and x[k] + JACOBIAN_STEP <= hi[k]) or (
            x[k] - JACOBIAN_STEP < lo[k]) else -JACOBIAN_STEP
        xk[k] += step
        jac[:, k] = (to_scale(run(xk).values, scales) - here) / (xk[k] - x[k])
    return jac


def _well_posed(jac: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The Jacobian with a tiny ridge on its diagonal if it is close to singular."""
    if np.linalg.cond(jac) < 1e8:
        return jac
    return jac + np.eye(jac.shape[0]) * 1e-3 * float(np.max(np.abs(np.diag(jac))) or 1.0)
