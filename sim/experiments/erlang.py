"""Erlang C and Erlang A: the queueing arithmetic behind inbound staffing.

Debtors who get an SMS or a letter call back. Those inbound calls queue for the
collectors on shift, and a debtor who waits too long hangs up. Workforce planners
size such queues with two classical formulas:

- **Erlang C** (M/M/c): Poisson arrivals at rate ``arrival_rate``, exponential
  handle times with mean ``handle_time``, ``agents`` servers, callers who wait for
  ever. The offered load is ``A = arrival_rate * handle_time`` Erlangs; the queue is
  stable only when ``agents > A``.
- **Erlang A** (M/M/c+M; Garnett, Mandelbaum & Reiman 2002): the same, but each
  waiting caller abandons after an exponential patience with mean ``patience``.
  Abandonment keeps the queue finite at any load, so under-staffing shows up as
  abandoned calls instead of an infinite queue. This is the model of the
  simulator's inbound callbacks.

Every function takes rates and times in one consistent unit (minutes, say):
``arrival_rate`` per unit, ``handle_time``, ``patience`` and ``answer_within`` in
units. The service level is the share of *all* arrivals answered within
``answer_within`` (an abandoned call counts as not answered), and the average speed
of answer (ASA) is the mean wait over all arrivals, the convention of most
workforce tools (and of pyworkforce, whose figures the tests reproduce).

Erlang C is evaluated through the Erlang B recursion, which never overflows.
Erlang A is evaluated exactly from the stationary distribution of its birth-death
chain (in log space, truncated where the tail mass is below 1e-16); its service
level follows a tagged caller through the queue positions ahead of them, a small
sparse absorbing chain solved with ``scipy.sparse.linalg.expm_multiply``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.experiments.search import smallest_satisfying

_TAIL = 1e-16
"""Relative probability below which the Erlang A state space is truncated."""


@dataclass(frozen=True, slots=True)
class QueueMetrics:
    """Steady-state performance of an inbound queue with a given number of agents."""

    agents: int
    offered_load: float
    """Erlangs: arrival rate x mean handle time."""
    wait_probability: float
    """Share of callers who find every agent busy and have to wait."""
    average_speed_of_answer: float
    """Mean wait over all callers, in the time unit of the inputs."""
    service_level: float
    """Share of all callers answered within ``answer_within``."""
    occupancy: float
    """Share of agent time spent handling calls."""
    abandon_probability: float
    """Share of callers who hang up before being answered (0 for Erlang C)."""


def _check_inputs(
    arrival_rate: float, handle_time: float, agents: int, answer_within: float
) -> None:
    if not arrival_rate > 0 or not math.isfinite(arrival_rate):
        raise ValueError(f"arrival_rate must be a positive number, got {arrival_rate!r}")
    if not handle_time > 0 or not math.isfinite(handle_time):
        raise ValueError(f"handle_time must be a positive number, got {handle_time!r}")
    if isinstance(agents, bool) or not isinstance(agents, int) or agents < 1:
        raise ValueError(f"agents must be a positive integer, got {agents!r}")
    if not answer_within >= 0:
        raise ValueError(f"answer_within must be >= 0, got {answer_within!r}")


def erlang_b(load: float, agents: int) -> float:
    """Blocking probability of an M/M/c/c loss system (Erlang B), by stable recursion."""
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def erlang_c(
    arrival_rate: float, handle_time: float, agents: int, answer_within: float = 0.0
) -> QueueMetrics:
    """Erlang C metrics for ``agents`` servers; an overloaded queue waits for ever."""
    _check_inputs(arrival_rate, handle_time, agents, answer_within)
    load = arrival_rate * handle_time
    if agents <= load:
        # Unstable: the queue grows without bound, everyone waits, nobody is answered in time.
        return QueueMetrics(agents, load, 1.0, math.inf, 0.0, 1.0, 0.0)
    blocking = erlang_b(load, agents)
    wait = agents * blocking / (agents - load * (1.0 - blocking))
    drain_rate = agents / handle_time - arrival_rate
    return QueueMetrics(
        agents=agents,
        offered_load=load,
        wait_probability=wait,
        average_speed_of_answer=wait / drain_rate,
        service_level=1.0 - wait * math.exp(-drain_rate * answer_within),
        occupancy=load / agents,
        abandon_probability=0.0,
    )


def _erlang_a_distribution(
    arrival_rate: float, service_rate: float, abandon_rate: float, agents: int
) -> NDArray[np.float64]:
    """Stationary probabilities p[n] of the M/M/c+M birth-death chain, n = 0..N."""
    n_busy = np.arange(1, agents + 1, dtype=np.float64)
    log_terms = [np.log(arrival_rate / (n_busy * service_rate))]
    waiting = 0
    block = 256
    while True:
        queued = np.arange(waiting + 1, waiting + block + 1, dtype=np.float64)
        log_terms.append(np.log(arrival_rate / (agents * service_rate + queued * abandon_rate)))
        waiting += block
        log_p = np.concatenate([[0.0], np.cumsum(np.concatenate(log_terms))])
        # The tail ratios fall below one once abandonment outpaces arrivals, so the chain
        # can stop as soon as the last state carries negligible mass.
        last_ratio = arrival_rate / (agents * service_rate + waiting * abandon_rate)
        if (last_ratio < 1 and log_p[-1] - log_p.max() < math.log(_TAIL)) or waiting > 10**6:
            break
    weights = np.exp(log_p - log_p.max())
    keep = int(np.nonzero(weights >= _TAIL)[0].max()) + 1
    probs: NDArray[np.float64] = weights[:keep] / weights[:keep].sum()
    return probs


def _served_within(
    agents: int, service_rate: float, abandon_rate: float, max_ahead: int, limit: float
) -> NDArray[np.float64]:
    """P(a caller with j callers ahead is answered within ``limit``), for j = 0..max_ahead.

    The caller moves up one place whenever an agent frees up (rate c*mu) or someone
    ahead abandons (rate j*theta), and leaves at rate theta if their own patience runs
    out. The last column of the generator is the absorbing state "answered".
    """
    from scipy.sparse import csr_array
    from scipy.sparse.linalg import expm_multiply

    positions = np.arange(max_ahead + 1, dtype=np.float64)
    advance = agents * service_rate + positions * abandon_rate
    size = max_ahead + 2  # queue positions 0..max_ahead, then "answered"
    answered_state = size - 1
    # Position j moves up to j - 1; position 0 moves to "answered"; everyone may abandon.
    rows = np.concatenate([np.arange(max_ahead + 1), np.arange(max_ahead + 1)])
    cols = np.concatenate([np.arange(max_ahead + 1), [answered_state], np.arange(max_ahead)])
    rates = np.concatenate([-(advance + abandon_rate), advance])
    generator = csr_array((rates * limit, (rows, cols)), shape=(size, size))
    answered = np.zeros(size)
    answered[-1] = 1.0
    result = expm_multiply(generator, answered)
    return np.clip(np.asarray(result, dtype=np.float64)[:-1], 0.0, 1.0)


def erlang_a(
    arrival_rate: float,
    handle_time: float,
    patience: float,
    agents: int,
    answer_within: float = 0.0,
) -> QueueMetrics:
    """Erlang A metrics: Erlang C plus exponential patience with mean ``patience``."""
    _check_inputs(arrival_rate, handle_time, agents, answer_within)
    if not patience > 0:
        raise ValueError(f"patience must be a positive number, got {patience!r}")
    if math.isinf(patience):
        return erlang_c(arrival_rate, handle_time, agents, answer_within)
    service_rate = 1.0 / handle_time
    abandon_rate = 1.0 / patience
    probs = _erlang_a_distribution(arrival_rate, service_rate, abandon_rate, agents)
    queued = probs[agents:]
    queue_length = float(np.dot(np.arange(queued.size), queued))
    abandon = abandon_rate * queue_length / arrival_rate
    served_now = float(probs[:agents].sum())
    if queued.size and answer_within > 0:
        within = _served_within(agents, service_rate, abandon_rate, queued.size - 1, answer_within)
        service_level = served_now + float(np.dot(queued, within))
    else:
        service_level = served_now
    return QueueMetrics(
        agents=agents,
        offered_load=arrival_rate * handle_time,
        wait_probability=float(queued.sum()),
        average_speed_of_answer=queue_length / arrival_rate,
        service_level=min(1.0, service_level),
        occupancy=arrival_rate * (1.0 - abandon) * handle_time / agents,
        abandon_probability=abandon,
    )


def required_agents(
    arrival_rate: float,
    handle_time: float,
    *,
    service_level: float,
    answer_within: float,
    patience: float | None = None,
    max_occupancy: float = 1.0,
    max_abandon: float = 1.0,
) -> QueueMetrics:
    """Fewest agents meeting a service level (and optional occupancy/abandonment caps).

    ``patience=None`` uses Erlang C, otherwise Erlang A. Every metric improves with
    more agents, so the answer is found by a monotone search started from the
    square-root staffing rule ``A + sqrt(A)`` (Borst, Mandelbaum & Reiman 2004).
    Returns the metrics at that headcount; ``.agents`` is the answer.
    """
    if not 0 <= service_level < 1:
        raise ValueError(f"service_level must be in [0, 1), got {service_level!r}")
    if not 0 < max_occupancy <= 1:
        raise ValueError(f"max_occupancy must be in (0, 1], got {max_occupancy!r}")
    if not 0 <= max_abandon <= 1:
        raise ValueError(f"max_abandon must be in [0, 1], got {max_abandon!r}")

    def metrics(agents: int) -> QueueMetrics:
        if patience is None:
            return erlang_c(arrival_rate, handle_time, agents, answer_within)
        return erlang_a(arrival_rate, handle_time, patience, agents, answer_within)

    def good_enough(agents: int) -> bool:
        m = metrics(agents)
        return (
            m.service_level >= service_level
            and m.occupancy <= max_occupancy
            and m.abandon_probability <= max_abandon
        )

    load = arrival_rate * handle_time
    guess = max(1, math.ceil(load + math.sqrt(load)))
    return metrics(smallest_satisfying(good_enough, start=guess, lowest=1))
