"""How debtors respond: the behaviour model in collections terms.

Every account carries two latent traits drawn per segment -- **capacity** (ability to
pay) and **willingness** (propensity to pay what one can) -- and a latent **payer**
label: with probability ``sqrt(capacity * willingness)`` the debtor is a payer, who will
resolve when worked; non-payers' payment chances are scaled down by
``behaviour.nonpayer_factor``. The predictive score (:mod:`sim.score`) predicts this label.

The pieces, each a pure function of arrays so it can be tested on its own:

- **Self-cure.** Each day a delinquent account pays what is due with a probability set
  per stage (``cure_hazard``), scaled by segment, payer label, macro shock, credit-bureau
  reporting and **collection pressure**. Pressure is added by every contact, decays with
  a half-life, and raises the hazard with diminishing returns
  (``1 + max_uplift * (1 - exp(-pressure / scale))``), as the self-exciting repayment
  intensity of Chehrazi & Weber (Management Science 2015) suggests. Untreated accounts
  see only the base hazards, so the no-treatment book is a closed-form absorbing Markov
  chain (tested in ``tests/sim/test_theory.py``).
- **Right-party contact** depends on the channel and stage, the debtor's local hour,
  the segment's reachability and **fatigue**: a number that keeps calling gets screened.
- **After contact**, the log-odds of a promise to pay rise with willingness, capacity,
  an offer (instalments for hardship, a settlement discount), the collector's skill, and
  whether the debtor called in. Promises are kept with a probability that again rises
  with willingness and capacity and is lower for non-payers.
- **Partial payments** reduce the balance without curing.
- **Complaints** come from contact pressure and conduct: every attempt, message, letter
  and visit adds a little hazard, calls outside the allowed hours add more, and the
  attempts over 7 days and repeated attempts on one day multiply it. The cap's level
  plays no part, only the contact made.
- **Late-stage recoveries** (agency, legal, collateral, after write-off) follow hazards
  or delays set in :mod:`sim.scenario.channels`.

- **Re-default.** A cured account may fall behind again, at most once, with a daily
  hazard over a window after the cure (higher for latent non-payers and after a plan);
  it re-enters collections at 1 DPD. Past the horizon the rest of the window is valued
  in closed form (:mod:`sim.runoff`) unless ``horizon.redefault_risk = "simulate"``.

Simplifications, stated: a partial payment never lowers DPD; an account re-defaults at
most once; promise amounts are the amount due or a share of it; hour-of-day effects use
the hour at which a collector's work block starts.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from sim.scenario.behaviour_spec import Behaviour

F64 = npt.NDArray[np.float64]


def hazard_rate(daily_probability: float | F64) -> float | F64:
    """Continuous hazard whose one-day survival is ``1 - daily_probability``."""
    return -np.log1p(-np.minimum(daily_probability, 1 - 1e-12))


def propensity(capacity: F64, willingness: F64) -> F64:
    """Chance that a debtor is a latent payer: the geometric mean of the two traits."""
    return np.sqrt(capacity * willingness)


def pressure_uplift(pressure: F64, behaviour: Behaviour) -> F64:
    """Relative rise of payment hazards under collection pressure, saturating."""
    return 1.0 + behaviour.pressure_uplift_max * -np.expm1(-pressure / behaviour.pressure_scale)


def pressure_decay(behaviour: Behaviour) -> float:
    """Daily multiplier of pressure (from the half-life)."""
    return float(0.5 ** (1.0 / behaviour.pressure_half_life_days))


def payer_factor(payer: npt.NDArray[np.bool_], behaviour: Behaviour) -> F64:
    """Hazard multiplier of the payer label."""
    return np.where(payer, 1.0, behaviour.nonpayer_factor)


def contact_probability(
    base: F64, hour_factor: float | F64, segment_factor: F64, attempts_7d: npt.NDArray[np.integer],
    behaviour: Behaviour,
) -> F64:
    """Right-party contact chance of an attempt (capped at 0.95)."""
    fatigue = 1.0 / (1.0 + behaviour.contact.fatigue_per_attempt * attempts_7d)
    return np.minimum(base * hour_factor * segment_factor * fatigue, 0.95)


def logit(p: float) -> float:
    """Log-odds of a probability in (0, 1)."""
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def sigmoid(x: F64) -> F64:
    """Inverse of the log-odds."""
    return 1.0 / (1.0 + np.exp(-x))


def promise_logit(
    base_logit: F64, willingness: F64, capacity: F64, shift: F64 | float, behaviour: Behaviour
) -> F64:
    """Log-odds of promising to pay once in conversation (before collector skill)."""
    pm = behaviour.promise
    return (
        base_logit
        + pm.willingness_weight * (willingness - 0.5)
        + pm.capacity_weight * (capacity - 0.5)
        + shift
    )


def keep_probability(
    willingness: F64, capacity: F64, payer: npt.NDArray[np.bool_], behaviour: Behaviour
) -> F64:
    """Chance a promise is kept when it falls due."""
    pm = behaviour.promise
    x = (
        logit(pm.keep_rate)
        + pm.keep_willingness_weight * (willingness - 0.5)
        + pm.keep_capacity_weight * (capacity - 0.5)
    )
    return sigmoid(x) * np.where(payer, 1.0, pm.nonpayer_keep_factor)


def complaint_probability(
    hazard_units: F64, attempts_7d: npt.NDArray[np.integer],
    attempts_today: npt.NDArray[np.integer], behaviour: Behaviour,
) -> F64:
    """Chance of at least one complaint today from the day's contact 'hazard units'.

    ``hazard_units`` is the sum over today's contacts of ``-log(1 - p_channel)``
    (conduct: calls outside the allowed hours add more); the attempts over the last 7
    days and repeated attempts today multiply it. Only contact actually made counts --
    how high the daily cap is set does not -- so fewer attempts never mean more
    complaints.
    """
    cm = behaviour.complaints
    intensity = 1.0 + cm.intensity_slope * np.maximum(attempts_7d - cm.free_attempts_7d, 0)
    repeat = 1.0 + cm.same_day_slope * np.maximum(attempts_today - 1, 0)
    return np.asarray(-np.expm1(-hazard_units * intensity * repeat), np.float64)


def redefault_hazard(payer: npt.NDArray[np.bool_], plans_started: npt.NDArray[np.integer],
                     behaviour: Behaviour) -> F64:
    """Daily re-default hazard of cured accounts: the base hazard, raised for latent
    non-payers and for accounts that were re-aged onto a plan."""
    rd = behaviour.redefault
    return np.asarray(rd.hazard * np.where(payer, 1.0, rd.nonpayer_multiplier)
                      * np.where(plans_started > 0, rd.restructured_multiplier, 1.0), np.float64)


def agency_hazard(days_placed: npt.NDArray[np.integer], base: float, decay: float) -> F64:
    """Daily chance a placed account pays the agency, falling as the debt ages."""
    return np.asarray(base * np.exp(-decay * days_placed), np.float64)
