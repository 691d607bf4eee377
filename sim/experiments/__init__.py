"""Experiments on the simulator: compare strategies, sweep levers, size staffing.

Use them from the top-level package (imported on first use, so ``import sim`` stays
free of pandas): ``sim.compare``, ``sim.split_test``, ``sim.sweep``,
``sim.size_staff``, ``sim.erlang_c``, ``sim.erlang_a``, ``sim.required_agents``.

- :mod:`.compare` -- champion/challenger on the whole population with common random
  numbers; :mod:`.split` -- the industry's 90/10 split of one population.
- :mod:`.sweep` -- full-factorial grids or explicit lists of overrides;
  :mod:`.spec` -- the same declared in ``scenarios/experiments/*.toml``.
- :mod:`.staffing` -- the smallest headcount meeting targets, with the frontier and the
  marginal value of one more collector; :mod:`.erlang` -- the inbound queue.
- :mod:`.execution` -- local processes by default or Dask (``backend="dask"``),
  identical results on any backend; :mod:`.cache` -- resumable on-disk runs.

Submodules are named after what they do, so this package deliberately re-exports
nothing: ``sim.experiments.compare`` is the module, ``sim.compare`` the function.
"""
