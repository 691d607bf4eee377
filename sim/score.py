"""A predictive collections score with a chosen accuracy.

Lenders rank delinquent accounts with behavioural scores and judge them by the area under
the ROC curve (AUC): the chance that a randomly chosen good account (here: a latent
*payer*, one who will pay when worked) scores above a randomly chosen bad one. To let a
team price a better model, the simulator draws a score with exactly the AUC asked for,
using the binormal model: ``score = d * payer + N(0, 1)`` has AUC ``Phi(d / sqrt 2)``, so
``d = sqrt(2) * Phi^-1(AUC)``. The score is then turned into a calibrated probability of
being a payer (Bayes' rule with the population payer rate), which is what an
"expected recovery" worklist multiplies by the balance.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.special import ndtri
from scipy.stats import rankdata


def separation(auc: float) -> float:
    """Mean shift ``d`` between payers' and non-payers' scores giving this AUC."""
    if not 0.5 <= auc < 1.0:
        raise ValueError(f"AUC must be in [0.5, 1), got {auc}")
    return math.sqrt(2.0) * float(ndtri(auc))


def draw_score(
    payer: npt.NDArray[np.bool_], auc: float, rng: np.random.Generator
) -> npt.NDArray[np.float64]:
    """Raw scores (higher = more likely a payer) with the given AUC in expectation."""
    return np.asarray(separation(auc) * payer + rng.standard_normal(payer.shape[0]), np.float64)


def payer_probability(
    score: npt.NDArray[np.float64], auc: float, payer_rate: float
) -> npt.NDArray[np.float64]:
    """Calibrated P(payer | score) under the binormal model."""
    d = separation(auc)
    rate = min(max(payer_rate, 1e-9), 1 - 1e-9)
    logit = math.log(rate / (1 - rate)) + d * score - d * d / 2
    return 1.0 / (1.0 + np.exp(-logit))


def realised_auc(score: npt.NDArray[np.float64], label: npt.NDArray[np.bool_]) -> float:
    """Empirical AUC (Mann-Whitney U over n_pos * n_neg); NaN if a class is empty."""
    pos = int(label.sum())
    neg = label.shape[0] - pos
    if pos == 0 or neg == 0:
        return float("nan")
    ranks = rankdata(score)
    return float((ranks[label].sum() - pos * (pos + 1) / 2) / (pos * neg))


def auc_standard_error(auc: float, n_pos: int, n_neg: int) -> float:
    """Hanley & McNeil (1982) standard error of an empirical AUC."""
    q1 = auc / (2 - auc)
    q2 = 2 * auc * auc / (1 + auc)
    var = (
        auc * (1 - auc) + (n_pos - 1) * (q1 - auc * auc) + (n_neg - 1) * (q2 - auc * auc)
    ) / (n_pos * n_neg)
    return math.sqrt(max(var, 0.0))
