"""The engine against queueing theory and Markov chains (marked ``statistical``).

Two degenerate scenarios have closed forms:

- **An inbound queue alone.** No outbound work, Poisson callbacks round the clock,
  exponential handle times and a fixed number of seats: an M/M/c queue, so Erlang C gives
  the chance of waiting and the average speed of answer; with exponential patience it is
  M/M/c+M (Erlang A). Little's law ties the time-average queue to arrivals and waits.
- **An untreated book.** No contact at all: each day an account at DPD d cures with the
  stage's probability, else ages; at the write-off DPD it is charged off. That is an
  absorbing Markov chain whose fundamental matrix gives the roll and charge-off
  probabilities exactly.

Every comparison uses independent replications (or binomial counts) and a tolerance of
four standard errors, so a correct engine fails with probability well under 1e-3.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import sim
from sim.experiments.erlang import erlang_a, erlang_c
from sim.scenario import Scenario

pytestmark = pytest.mark.statistical

K = 4.0
ARRIVALS_PER_MINUTE, HANDLE, SEATS = 0.5, 5.0, 3
ACCOUNTS = 7200


def inbound_only(tiny: Callable[..., Scenario], patience: float | None) -> Scenario:
    zero = {"early": 0.0, "mid": 0.0, "late": 0.0}
    return tiny(
        portfolio__accounts=ACCOUNTS,
        portfolio__daily_inflow=0,
        portfolio__book={"early": 1.0, "mid": 0.0, "late": 0.0},
        behaviour__cure_hazard=zero,
        behaviour__partial_payment_hazard=zero,
        behaviour__promise__ptp_rate=zero,
        staffing={"handle_time_distribution": "exponential", "teams": {"desk": {
            "stages": ["early", "mid", "late"], "headcount": SEATS, "inbound_share": 1.0,
            "shrinkage": 0.0, "handle_times": {"inbound": HANDLE},
            "shifts": [{"start": "00:00", "end": "24:00", "share": 1.0, "days": "all"}]}}},
        strategy__ladder=[],
        calendar__working_hours={"start": "00:00", "end": "24:00"},
        channels__inbound__spontaneous_rate=ARRIVALS_PER_MINUTE * 1440 / ACCOUNTS,
        channels__inbound__patience_minutes=patience,
        channels__inbound__service_level_seconds=1e-6,
        horizon__days=3,
    )


def replicate(scenario: Scenario, n: int) -> dict[str, np.ndarray]:
    out: dict[str, list[float]] = {"p_wait": [], "asa": [], "abandon": [], "little": [],
                                   "kpi_asa": []}
    for r in range(n):
        result = sim.simulate(scenario, seed=17, replication=r)
        d = result.daily
        offered = d.inbound_offered.sum()
        horizon = 1440.0 * len(d)
        wait = d.inbound_wait_minutes.sum()
        # Callers who found every seat busy (they waited, or hung up while waiting).
        out["p_wait"].append(1 - d.inbound_within_sl.sum() / offered)
        # ASA over every caller offered, answered or not (the Erlang convention).
        out["asa"].append(wait / offered)
        out["abandon"].append(d.inbound_abandoned.sum() / offered)
        # Little: time-average number waiting against arrival rate x mean wait.
        queue = d.inbound_queue_area.sum() / horizon
        out["little"].append(queue / (offered / horizon * (wait / offered)) - 1)
        out["kpi_asa"].append(result.kpi_values["inbound_asa_seconds"] / 60)
    return {k: np.asarray(v) for k, v in out.items()}


def close(sample: np.ndarray, expected: float) -> tuple[float, float]:
    mean = float(sample.mean())
    se = float(sample.std(ddof=1) / np.sqrt(sample.shape[0]))
    assert abs(mean - expected) <= K * se, (mean, expected, se)
    return mean, se


def test_inbound_queue_matches_erlang_c_and_littles_law(tiny: Callable[..., Scenario]) -> None:
    theory = erlang_c(ARRIVALS_PER_MINUTE, HANDLE, SEATS)
    got = replicate(inbound_only(tiny, None), 10)
    close(got["p_wait"], theory.wait_probability)
    close(got["asa"], theory.average_speed_of_answer)
    assert np.allclose(got["kpi_asa"], got["asa"])
    assert (got["abandon"] == 0).all()
    mean, _ = close(got["little"], 0.0)
    assert abs(mean) < 0.05


def test_impatient_callers_match_erlang_a(tiny: Callable[..., Scenario]) -> None:
    theory = erlang_a(ARRIVALS_PER_MINUTE, HANDLE, 4.0, SEATS)
    got = replicate(inbound_only(tiny, 4.0), 10)
    close(got["abandon"], theory.abandon_probability)
    close(got["p_wait"], theory.wait_probability)
    # One ASA convention: the KPI and Erlang A both average over every caller offered.
    assert np.allclose(got["kpi_asa"], got["asa"])
    close(got["asa"], theory.average_speed_of_answer)


CURE = {"early": 0.03, "mid": 0.015, "late": 0.008}
WRITE_OFF = 180


def absorbing_chain() -> dict[str, Any]:
    """Fundamental-matrix probabilities of the untreated DPD chain (states DPD 1..179)."""
    n = WRITE_OFF - 1
    dpd = np.arange(1, WRITE_OFF)
    p = np.where(dpd <= 30, CURE["early"], np.where(dpd <= 90, CURE["mid"], CURE["late"]))
    q = np.zeros((n, n))
    q[np.arange(n - 1), np.arange(1, n)] = 1 - p[:-1]
    r = np.zeros((n, 2))  # absorbing: cured, charged off
    r[:, 0] = p
    r[-1, 1] = 1 - p[-1]
    fundamental = np.linalg.inv(np.eye(n) - q)
    absorb = fundamental @ r

    def reach(start: int, target: int) -> float:
        # Probability of ever visiting ``target`` from ``start``: N[s, t] / N[t, t].
        return float(fundamental[start - 1, target - 1] / fundamental[target - 1, target - 1])

    return {"roll_1_30_to_31_90": reach(1, 31), "roll_31_90_to_90_plus": reach(31, 91),
            "roll_90_plus_to_writeoff": float(absorb[90, 1]), "charge_off": float(absorb[0, 1])}


def test_untreated_book_is_the_absorbing_chain(tiny: Callable[..., Scenario]) -> None:
    chain = absorbing_chain()
    # Cross-check the matrix algebra against the product of daily survivals.
    assert chain["roll_1_30_to_31_90"] == pytest.approx((1 - CURE["early"]) ** 30)
    assert chain["roll_90_plus_to_writeoff"] == pytest.approx((1 - CURE["late"]) ** 89)
    scenario = tiny(
        portfolio__accounts=0, portfolio__daily_inflow=200, horizon__days=200,
        portfolio__segments={"one": {"share": 1.0, "balance": {"median": 5000}}},
        behaviour__cure_hazard=CURE, behaviour__nonpayer_factor=1.0,
        behaviour__partial_payment_hazard={"early": 0.0, "mid": 0.0, "late": 0.0},
        strategy__ladder=[], channels__inbound__spontaneous_rate=0.0,
    )
    result = sim.simulate(scenario, seed=23)
    acc = result.accounts
    for kpi, entered, last in (("roll_1_30_to_31_90", acc["arrival_day"], 170),
                               ("roll_31_90_to_90_plus", acc["entered_31"], 140),
                               ("roll_90_plus_to_writeoff", acc["entered_91"], 111)):
        n = int(((entered >= 0) & (entered <= last)).sum())
        p = chain[kpi]
        assert abs(result.kpi_values[kpi] - p) <= K * np.sqrt(p * (1 - p) / n), kpi
    early = acc["arrival_day"] <= 200 - WRITE_OFF
    n, p = int(early.sum()), chain["charge_off"]
    assert abs(acc["charged_off"][early].mean() - p) <= K * np.sqrt(p * (1 - p) / n)
