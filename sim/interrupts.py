"""Ctrl-C that always counts: exit 130, and no output folder swapped in afterwards.

Python turns SIGINT into ``KeyboardInterrupt`` wherever the main thread happens to be.
If that is inside a finaliser or a library callback (matplotlib and Dask run both), the
exception is printed as "ignored" and the command carries on -- and could finish with
exit 0 and its output in place, as if nobody had pressed Ctrl-C. :func:`watching`
installs a handler that also *records* the interrupt, so the command-line dispatcher
returns 130 and :func:`sim.experiments.output.staged_directory` refuses to swap in a
folder once it has been pressed, whether or not the exception survived.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

_pressed = threading.Event()


def interrupted() -> bool:
    """Whether Ctrl-C (SIGINT) arrived since :func:`watching` began."""
    return _pressed.is_set()


def _handler(signum: int, frame: FrameType | None) -> None:
    _pressed.set()
    raise KeyboardInterrupt


@contextlib.contextmanager
def _handling(handler: Callable[[int, FrameType | None], None]) -> Iterator[None]:
    """SIGINT goes to ``handler`` for the duration (main thread only; else a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def watching() -> Iterator[None]:
    """Record SIGINT (and raise KeyboardInterrupt) while a command runs.

    The record lives only as long as the command: a process that runs commands one
    after another (a notebook, a test run) must not have a later output refused for a
    Ctrl-C that an earlier command already answered with 130.
    """
    _pressed.clear()
    try:
        with _handling(_handler):
            yield
    finally:
        _pressed.clear()


def _exit_quietly(signum: int, frame: FrameType | None) -> None:
    # Only installed while the command's modules are imported: nothing is open or written
    # yet, so leaving at once is safe and spares the user an import traceback.
    os.write(2, b"interrupted\n")
    os._exit(130)


@contextlib.contextmanager
def quiet_while_starting() -> Iterator[None]:
    """Ctrl-C while a command is still importing exits 130 without a traceback."""
    with _handling(_exit_quietly):
        yield
