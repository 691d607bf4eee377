"""The predictive score has the accuracy it was asked for."""

from __future__ import annotations

import numpy as np
import pytest

from sim.score import auc_standard_error, draw_score, payer_probability, realised_auc


@pytest.mark.parametrize("auc", [0.55, 0.7, 0.85])
def test_realised_auc_matches_the_target(auc: float) -> None:
    rng = np.random.default_rng(11)
    payer = rng.random(40_000) < 0.6
    score = draw_score(payer, auc, rng)
    se = auc_standard_error(auc, int(payer.sum()), int((~payer).sum()))
    assert abs(realised_auc(score, payer) - auc) < 4 * se


def test_payer_probability_is_calibrated() -> None:
    rng = np.random.default_rng(12)
    payer = rng.random(100_000) < 0.4
    p = payer_probability(draw_score(payer, 0.75, rng), 0.75, 0.4)
    for lo, hi in ((0.0, 0.3), (0.3, 0.5), (0.5, 1.0)):
        band = (p >= lo) & (p < hi)
        assert abs(payer[band].mean() - p[band].mean()) < 0.01


def test_auc_outside_range_is_refused() -> None:
    with pytest.raises(ValueError):
        draw_score(np.ones(3, bool), 1.0, np.random.default_rng(0))
