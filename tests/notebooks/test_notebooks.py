"""The notebooks run top to bottom from a clean kernel, and are committed clean.

Each notebook has one cell tagged ``parameters`` (the papermill convention) that sets
``FAST = False``. The test inserts ``FAST = True`` after it, so the whole notebook runs
on a small book with few replications, then executes it in a fresh kernel started from
this interpreter, in the notebooks' folder (as Jupyter would). Any error fails the test.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
KERNEL = "recoverylab-notebook-test"


def _parameter_cell(nb: nbformat.NotebookNode) -> int:
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell must be tagged 'parameters'"
    return tagged[0]


def test_the_six_numbered_notebooks_are_there() -> None:
    assert [p.name[:3] for p in PATHS] == ["01_", "02_", "03_", "04_", "05_", "06_"]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_committed_without_outputs_and_with_one_size_switch(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a code cell has outputs (strip them)"
            assert cell.execution_count is None, f"{path.name}: a cell has an execution count"
    source = nb.cells[_parameter_cell(nb)].source
    assert "FAST = False" in source.splitlines()
    # A team deciding whether to run it before a meeting needs its full-size cost.
    assert "**Full-size run time:**" in nb.cells[0].source, f"{path.name}: no run time"


@pytest.fixture(scope="module")
def jupyter_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    # A kernelspec of our own naming this interpreter, so a user-level "python3" kernel
    # pointing at another Python can never be picked up instead.
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "RecoveryLab test", "language": "python"}), encoding="utf-8")
    return str(root)


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_runs_top_to_bottom_with_fast_switch(
    path: Path, jupyter_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nbclient import NotebookClient

    monkeypatch.setenv("JUPYTER_PATH", jupyter_path)
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(path, as_version=4)
    at = _parameter_cell(nb)
    injected = nbformat.v4.new_code_cell("FAST = True", metadata={"tags": ["injected"]})
    nb.cells.insert(at + 1, injected)
    client = NotebookClient(nb, timeout=300, kernel_name=KERNEL,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    if path.stem == "05_scale_out":
        text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
        assert "dashboard (task stream, worker memory): http" in text, "no dashboard link"
    else:
        images = [o for o in outputs if "image/png" in o.get("data", {})]
        assert images, f"{path.name} drew no figure"
