"""``sim.compare`` and ``sim.sweep`` stay functions even after their same-named
submodules are imported (a notebook importing ``sim.experiments.sweep`` first)."""

from __future__ import annotations

import subprocess
import sys


def test_reexports_survive_importing_the_submodules_first() -> None:
    code = ("import sim.experiments.sweep, sim.experiments.compare, sim; "
            "assert sim.sweep is sim.experiments.sweep.sweep, sim.sweep; "
            "assert sim.compare is sim.experiments.compare.compare, sim.compare")
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
