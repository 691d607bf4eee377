"""Benchmark: from typing ``recoverylab-train`` to the first interactive screen.

Target (issue 5): under 1 s. The trainer is started exactly as a trainee starts it (the
console script, in a pseudo-terminal of 80x24, on a fresh database) and the clock stops
when the sign-in screen has been drawn; then ctrl+q quits it. Everything counts:
interpreter start, imports, opening SQLite, Textual's first frame. (The scenario library
loads in the background after that frame, so it is not on the critical path.)

    .venv/bin/python benchmarks/bench_trainer_startup.py            # 7 runs
    .venv/bin/python benchmarks/bench_trainer_startup.py --runs 15

It prints each run and the median and the best, in seconds of wall-clock time (what the
trainee waits) and of CPU time used by the trainer's process up to that frame (read from
``/proc``; it moves far less than the wall clock when other work shares the machine, so
it is the figure to compare between runs on a busy machine).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from fcntl import ioctl
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).with_name("recoverylab-train")
READY = b"collection call trainer"
"""Text of the sign-in screen (``--lang en``), drawn in Textual's first full frame."""


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a live process has used so far, from ``/proc``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_run(db: Path, timeout: float = 20.0) -> tuple[float, float]:
    """Wall and CPU seconds from spawning the command until the sign-in screen is on
    the terminal."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child: become the trainer in an 80x24 terminal
        os.environ.update(TERM="xterm-256color", COLUMNS="80", LINES="24")
        os.execv(str(SCRIPT), [str(SCRIPT), "--db", str(db), "--lang", "en"])
    ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    elapsed = None
    cpu = 0.0
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    break
                if READY in seen:
                    elapsed = time.perf_counter() - start
                    cpu = cpu_seconds(pid)
                    break
        os.write(fd, b"\x11")  # ctrl+q
        deadline = time.perf_counter() + 5
        while time.perf_counter() < deadline:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if select.select([fd], [], [], 0.05)[0]:
                with contextlib.suppress(OSError):
                    os.read(fd, 65536)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    finally:
        os.close(fd)
    if elapsed is None:
        raise SystemExit(f"the sign-in screen did not appear within {timeout:.0f} s")
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not SCRIPT.exists():
        raise SystemExit(f"{SCRIPT} not found: install the project into this Python first")
    folder = Path(tempfile.mkdtemp(prefix="recoverylab-bench-"))
    try:
        one_run(folder / "warm.db")  # first run fills the OS file cache and .pyc files
        times, cpus = [], []
        for n in range(args.runs):
            seconds, cpu = one_run(folder / f"run{n}.db")
            times.append(seconds)
            cpus.append(cpu)
            print(f"run {n + 1}: {seconds:.3f} s wall, {cpu:.2f} s CPU")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    median = statistics.median(times)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"CPU to first interactive screen: median {statistics.median(cpus):.2f} s, "
          f"best {min(cpus):.2f} s")
    print(f"start-up to first interactive screen: median {median:.3f} s, best {min(times):.3f} s"
          f" over {len(times)} runs (target < 1 s: {'met' if median < 1 else 'NOT met'})")


if __name__ == "__main__":
    main()
