"""The execution layer: ordering, batching and identical results on any worker count."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.experiments.execution import Run, deal, execute

sys.path.insert(0, str(Path(__file__).parent))
from experiments_toy import Toy, toy_run


def _runs() -> list[Run]:
    return [Run(Toy(level=lvl), 5, r) for r in range(7) for lvl in (1.0, 2.0, 3.0)]


def test_in_process_and_process_pool_agree_bit_for_bit() -> None:
    serial = execute(_runs(), run=toy_run, workers=1)
    pooled = execute(_runs(), run=toy_run, workers=2, task_seconds=0.0)
    assert pooled == serial
    assert [round(r["kpi"]) for r in serial[:3]] == [1, 2, 3]  # list order is kept


def test_bad_backend_and_worker_count_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown backend"):
        execute(_runs(), run=toy_run, backend="ray")
    with pytest.raises(ValueError, match="at least 1"):
        execute(_runs(), run=toy_run, workers=0)


def test_an_error_in_a_worker_reaches_the_caller() -> None:
    with pytest.raises(AttributeError):
        execute([Run(object(), 0, r) for r in range(4)], run=toy_run, workers=2)


@given(
    n=st.integers(1, 300), workers=st.integers(1, 8),
    run_seconds=st.floats(1e-4, 5), task_seconds=st.floats(0.1, 3),
)
def test_deal_covers_every_job_once_in_balanced_chunks(
    n: int, workers: int, run_seconds: float, task_seconds: float
) -> None:
    jobs = [(i, Run(None, 0, i)) for i in range(n)]
    chunks = deal(jobs, workers, run_seconds, task_seconds)
    assert sorted(i for chunk in chunks for i, _ in chunk) == list(range(n))
    sizes = [len(c) for c in chunks]
    assert max(sizes) - min(sizes) <= 1 and min(sizes) >= 1
    assert len(chunks) % workers == 0 or len(chunks) == n
    per_chunk = max(1, -(-task_seconds // run_seconds))
    assert max(sizes) <= per_chunk  # no batch runs much longer than the target


def test_experiment_functions_are_reexported_lazily() -> None:
    import subprocess

    code = ("import sys, sim; assert 'pandas' not in sys.modules; "
            "assert callable(sim.compare); "
            "import sim.experiments.compare, sim.experiments.sweep; "
            "assert sim.compare is sim.experiments.compare.compare; "
            "assert sim.sweep is sim.experiments.sweep.sweep; "
            "assert callable(sim.size_staff) and callable(sim.sweep) and callable(sim.erlang_a); "
            "assert 'matplotlib' not in sys.modules")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
    with pytest.raises(AttributeError):
        import sim

        _ = sim.no_such_thing


@pytest.mark.slow
def test_progress_bar_is_a_widget_in_jupyter() -> None:
    import nbformat
    from nbclient import NotebookClient

    code = (f"import sys\nsys.path.insert(0, {str(Path(__file__).parent)!r})\n"
            "from experiments_toy import Toy, toy_run\n"
            "from sim.experiments.execution import Run, execute\n"
            "len(execute([Run(Toy(), 0, k) for k in range(5)], run=toy_run, workers=1))")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    outputs = notebook.cells[0].outputs
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    assert outputs[-1]["data"]["text/plain"] == "5"
