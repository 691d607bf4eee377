"""How long each notebook takes at full size (``FAST = False``), start to finish.

A strategy team deciding whether to run notebook 04 before a meeting needs to know
whether it takes two minutes or twenty. This executes every numbered notebook (or the
ones named) in a fresh kernel, exactly as committed, and prints wall-clock time and
the CPU time of the kernel and the worker processes it started, with the load average
before and after so a figure measured on a busy machine is recognisable as such.

    .venv/bin/python benchmarks/bench_notebooks.py            # all five
    .venv/bin/python benchmarks/bench_notebooks.py 03 04      # some

Needs the ``notebooks`` extra (``pip install -e '.[dev]'`` has it).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(path: Path) -> tuple[float, float]:
    """Execute one notebook at full size; return (wall seconds, CPU seconds)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=None, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    cpu, wall = _children_cpu(), time.perf_counter()
    client.execute()  # the kernel and its workers are children: their CPU is counted
    return time.perf_counter() - wall, _children_cpu() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="notebook number prefixes, e.g. 03")
    args = parser.parse_args(argv)
    paths = sorted(p for p in NOTEBOOKS.glob("*.ipynb")
                   if not args.prefixes or p.name[:2] in args.prefixes)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"load average before {os.getloadavg()[0]:.1f}")
    print(f"{'notebook':40} {'wall s':>8} {'CPU s':>8}")
    for path in paths:
        wall, cpu = run(path)
        print(f"{path.stem:40} {wall:8.0f} {cpu:8.0f}", flush=True)
    print(f"load average after {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
