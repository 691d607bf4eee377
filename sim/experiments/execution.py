"""Running many replications: in-process, on local cores, or on a Dask cluster.

Every experiment (a comparison, a sweep, a staffing search) boils down to a list of
independent runs, each ``(scenario, seed, replication)``. A run is a pure function
of those inputs, so the runs can go anywhere and come back in any order; they are
put back in list order, which makes the results bit-for-bit identical whatever the
backend or the number of workers.

- ``workers=1`` runs in this process (the easiest to debug).
- ``backend="local"`` (default) uses a pool of local processes, all cores unless
  told otherwise. On Linux the workers are forked, so a strategy class written in
  a notebook cell is available to them; elsewhere they are spawned and custom
  strategies must live in an importable module (or use the Dask backend, which
  ships them by value).
- ``backend="dask"`` uses a ``dask.distributed`` cluster: a ``LocalCluster`` by
  default, a scheduler address (``"tcp://host:8786"``), or an existing ``Client``.

Per-task overhead is a millisecond or so locally and more on a cluster, and a run of
a small scenario may take only tens of milliseconds. So runs are batched: one probe
run per worker measures the cost of a run, then the rest are dealt out in chunks of
about ``task_seconds`` each, the number of chunks a multiple of the worker count so
the last round finishes together. Chunks take runs in strides across the list, so
a slow scenario does not land all in one chunk.

Finished runs can be kept in a :class:`~sim.experiments.cache.RunCache`; they are
stored as they arrive, so an interrupted experiment resumes where it stopped. Runs
with a custom Python strategy (an object, or ``strategy.python`` in the scenario) are
never cached, because the cache cannot fingerprint code.
"""

from __future__ import annotations

import gc
import importlib
import math
import multiprocessing
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, TypedDict, Unpack

from sim.experiments.cache import RunCache, default_directory, run_fingerprint

Backend = Literal["local", "dask"]
BACKENDS: tuple[str, ...] = ("local", "dask")


class Fingerprinted(Protocol):
    """What the execution layer needs from a scenario: a stable content hash."""

    def fingerprint(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Run:
    """One simulation to perform."""

    scenario: Any
    """A ``sim.Scenario`` (anything with ``fingerprint()`` for caching)."""
    seed: int = 0
    replication: int = 0
    strategy: Any = None
    """Optional ``sim.Strategy`` object replacing the scenario's strategy."""


RunFunction = Callable[[Run], Mapping[str, float]]
"""Maps a run to its flat KPI values. Must be picklable (a module-level function)."""


def simulate_kpis(run: Run) -> dict[str, float]:
    """The default run function: ``sim.simulate`` reduced to its KPI values, with the
    per-segment and per-product ones (``"segment=card:loss"``, :mod:`sim.kpis_by`)."""
    from sim import simulate

    result = simulate(
        run.scenario, seed=run.seed, replication=run.replication, strategy=run.strategy
    )
    return {**result.kpi_values, **result.grouped_values}


def run_chunk(fn: RunFunction, runs: Sequence[Run]) -> list[tuple[dict[str, float], float]]:
    """Perform runs in order; return each run's KPI values and wall seconds."""
    out = []
    for run in runs:
        start = time.perf_counter()
        kpis = {str(k): float(v) for k, v in fn(run).items()}
        out.append((kpis, time.perf_counter() - start))
    return out


def resolve_cache(cache: RunCache | str | os.PathLike[str] | bool | None) -> RunCache | None:
    """``None``/``False``: no cache; ``True``: the user's cache folder
    (:func:`~sim.experiments.cache.default_directory`); a path or a cache."""
    if cache is None or cache is False:
        return None
    if cache is True:
        return RunCache(default_directory())
    if isinstance(cache, RunCache):
        return cache
    return RunCache(Path(cache))


class ExecutionOptions(TypedDict, total=False):
    """How to run an experiment's simulations; accepted by every experiment function."""

    workers: int | None
    """Processes to use (default: all cores; with a Dask scheduler address, the
    cluster's own workers). ``1`` runs in this process."""
    backend: Backend | str
    """``"local"`` (default) or ``"dask"``."""
    scheduler: Any
    """For ``backend="dask"``: a scheduler address or a ``distributed.Client``
    (default: a new ``LocalCluster``)."""
    cache: RunCache | str | os.PathLike[str] | bool | None
    """Keep finished runs on disk: a directory, ``True`` for the default one, or a
    :class:`RunCache`. Default: no cache."""
    progress: bool | None
    """Show a progress bar; ``None`` (default) shows one in a terminal or notebook."""
    run: RunFunction | None
    """Replaces ``sim.simulate`` (e.g. a stand-in in tests); must be picklable."""
    task_seconds: float
    """Target duration of one batch of runs sent to a worker (default 1 s)."""


def execute(
    runs: Sequence[Run],
    *,
    description: str = "runs",
    **options: Unpack[ExecutionOptions],
) -> list[dict[str, float]]:
    """Perform ``runs`` and return their KPI values in the same order (see ExecutionOptions)."""
    workers = options.get("workers")
    backend = options.get("backend", "local")
    scheduler = options.get("scheduler")
    progress = options.get("progress")
    task_seconds = options.get("task_seconds", 1.0)
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; expected one of {', '.join(BACKENDS)}")
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    run_fn: RunFunction = options.get("run") or simulate_kpis
    store = resolve_cache(options.get("cache"))
    results: list[dict[str, float] | None] = [None] * len(runs)
    keys = _cache_keys(runs) if store is not None else {}
    for index, key in keys.items():
        results[index] = store.get(*key) if store is not None else None
    pending = [i for i, r in enumerate(results) if r is None]

    from tqdm.auto import tqdm

    bar = tqdm(total=len(runs), initial=len(runs) - len(pending), desc=description,
               unit="run", disable=None if progress is None else not progress, leave=False)

    def finished(index: int, kpis: dict[str, float]) -> None:
        results[index] = kpis
        if store is not None and index in keys:
            store.put(*keys[index], kpis)
        bar.update(1)

    try:
        if pending:
            jobs = [(i, runs[i]) for i in pending]
            if backend == "dask":
                _on_dask(run_fn, jobs, workers, scheduler, finished, task_seconds)
            elif (workers or os.cpu_count() or 1) == 1 or len(jobs) == 1:
                for index, run in jobs:
                    ((kpis, _),) = run_chunk(run_fn, [run])
                    finished(index, kpis)
            else:
                _on_local_pool(run_fn, jobs, workers or os.cpu_count() or 1, finished, task_seconds)
    finally:
        bar.close()
    return [r for r in results if r is not None]


def _cache_keys(runs: Sequence[Run]) -> dict[int, tuple[str, int, int]]:
    fingerprints: dict[int, str] = {}
    keys = {}
    for index, run in enumerate(runs):
        if run.strategy is not None or _names_python_strategy(run.scenario):
            continue  # code cannot be fingerprinted; always recompute
        ident = id(run.scenario)
        if ident not in fingerprints:
            fingerprints[ident] = run_fingerprint(run.scenario)
        keys[index] = (fingerprints[ident], run.seed, run.replication)
    return keys


def _names_python_strategy(scenario: Any) -> bool:
    # The fingerprint covers the reference "module:attr", not the code behind it (nor
    # what that code imports), so an edited strategy would be served stale results.
    return getattr(getattr(scenario, "strategy", None), "python", None) is not None


Job = tuple[int, Run]
Finished = Callable[[int, dict[str, float]], None]


Submit = Callable[[RunFunction, list[Run]], Any]


def _schedule(
    fn: RunFunction,
    jobs: list[Job],
    workers: int,
    submit: Submit,
    wait_first: Callable[[Iterable[Any]], Iterable[Any]],
    finished: Finished,
    task_seconds: float,
) -> None:
    """Probe one run per worker, then deal out the rest in balanced chunks."""
    in_flight: dict[Any, list[int]] = {}
    queue = list(jobs)
    for index, run in queue[:workers]:
        in_flight[submit(fn, [run])] = [index]
    queue = queue[workers:]
    durations: list[float] = []
    while in_flight:
        for future in wait_first(list(in_flight)):
            indices = in_flight.pop(future)
            for index, (kpis, seconds) in zip(indices, future.result(), strict=True):
                finished(index, kpis)
                durations.append(seconds)
        if queue and durations:
            for chunk in deal(queue, workers, statistics.median(durations), task_seconds):
                in_flight[submit(fn, [run for _, run in chunk])] = [i for i, _ in chunk]
            queue = []


def deal(jobs: list[Job], workers: int, run_seconds: float, task_seconds: float) -> list[list[Job]]:
    """Split jobs into strided chunks of about ``task_seconds``, a multiple of ``workers``."""
    per_chunk = max(1, math.ceil(task_seconds / max(run_seconds, 1e-6)))
    chunks = math.ceil(len(jobs) / per_chunk)
    chunks = min(len(jobs), workers * math.ceil(chunks / workers))
    return [jobs[k::chunks] for k in range(chunks)]


def _pool_context() -> multiprocessing.context.BaseContext:
    # Fork keeps notebook-defined strategy classes importable in the workers and starts
    # in milliseconds; it is only safe (and only the default) on Linux.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def _settle_worker() -> None:
    # A forked worker inherits every object of the parent. Moving them to the permanent
    # generation keeps the worker's garbage collections from walking (and copy-on-write
    # duplicating) the parent's heap; measured: 12 runs after a serial session took 19.6 s
    # on 2 workers without this and 14.1 s with it.
    gc.freeze()


def _on_local_pool(
    fn: RunFunction, jobs: list[Job], workers: int, finished: Finished, task_seconds: float
) -> None:
    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=_pool_context(),
                               initializer=_settle_worker)
    try:
        _schedule(
            fn, jobs, min(workers, len(jobs)),
            lambda f, runs: pool.submit(run_chunk, f, runs),
            _first_completed, finished, task_seconds,
        )
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _first_completed(futures: Iterable[Future[Any]]) -> Iterable[Future[Any]]:
    done, _ = wait(list(futures), return_when=FIRST_COMPLETED)
    return done


QUIET_WORKERS = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.tick.interval": "1s",
}
"""Dask settings for the LocalCluster this module starts. The workers' statistical
profiler and monitors wake every few milliseconds and take the GIL from the simulation;
with them quieted a CPU-bound run took 1.83-1.97 s instead of 2.02-2.03 s (baseline
scenario, 2-core machine). A cluster you pass in keeps its own settings."""


def _on_dask(
    fn: RunFunction,
    jobs: list[Job],
    workers: int | None,
    scheduler: Any,
    finished: Finished,
    task_seconds: float,
) -> None:
    try:
        # Typed as Any: distributed ships without complete annotations.
        distributed: Any = importlib.import_module("distributed")
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise RuntimeError(
            "backend='dask' needs the dask extra: pip install 'recoverylab-collections[dask]'"
        ) from None

    owned: list[Any] = []
    if isinstance(scheduler, distributed.Client):
        client = scheduler
    elif scheduler is not None:
        client = distributed.Client(scheduler)
        owned.append(client)
    else:
        dask: Any = importlib.import_module("dask")
        with dask.config.set(QUIET_WORKERS):
            cluster = distributed.LocalCluster(
                n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                processes=True, dashboard_address=None,
            )
        client = distributed.Client(cluster)
        owned += [client, cluster]
    try:
        n_workers = len(client.scheduler_info(n_workers=-1)["workers"]) or 1
        futures: list[Any] = []

        def submit(f: RunFunction, runs: list[Run]) -> Any:
            future = client.submit(run_chunk, f, runs, pure=False)
            futures.append(future)
            return future

        def wait_first(pending: Iterable[Any]) -> Iterable[Any]:
            done: Iterable[Any] = distributed.wait(list(pending), return_when="FIRST_COMPLETED")[0]
            return done

        try:
            _schedule(fn, jobs, n_workers, submit, wait_first, finished, task_seconds)
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        for thing in owned:
            thing.close()
