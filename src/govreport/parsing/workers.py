"""Worker processes for batches of files (`parse --jobs`, `ingest --jobs`) that survive a killed worker.

A worker killed from outside (the kernel's OOM killer, a SIGKILL) breaks a ProcessPoolExecutor, and every file
in flight fails with BrokenProcessPool. Here the files in flight are then retried one by one in a fresh
one-worker pool: the file that kills its worker again is reported as such, the others are parsed normally, and
the batch goes on. Workers die with their parent (PR_SET_PDEATHSIG on Linux, a watchdog thread elsewhere), so
a killed ``govreport`` leaves no orphans holding its pipes. A per-file time budget turns a file that takes too
long into a one-line error as well.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

# a worker's result: (path, records, error lines)
Result = tuple[str, list[dict[str, Any]], list[str]]
Work = Callable[[Any], Result]
PR_SET_PDEATHSIG = 1
DEFAULT_BUDGET = 600.0  # seconds per file: generous (a 64 MB report parses in well under this when linear)
BUDGET_RETRY = 0.5  # seconds between rings once the budget is spent


class OverBudget(Exception):
    """A file took longer than its time budget."""


@contextmanager
def time_budget(seconds: float, cpu: bool = False) -> Iterator[None]:
    """Raise OverBudget after ``seconds`` of wall time, or with ``cpu`` of this process's CPU time, which other
    processes on a busy machine do not use up (0: no budget). The signal interrupts even a long regex match; it
    only exists in a process's main thread, which is where the CLI and pool workers parse."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    done = False

    def ring(signum: int, frame: object) -> None:
        if not done:
            raise OverBudget(f"took longer than {seconds:g} s (time budget; raise it with --time-budget); file skipped")

    sig, timer = (signal.SIGPROF, signal.ITIMER_PROF) if cpu else (signal.SIGALRM, signal.ITIMER_REAL)
    old = signal.signal(sig, ring)
    # it rings again every BUDGET_RETRY s: a raise that lands in a gc callback or a __del__ is swallowed there
    signal.setitimer(timer, seconds, BUDGET_RETRY)
    try:
        yield
    finally:
        done = True
        signal.setitimer(timer, 0)
        signal.signal(sig, old)


def _die_with(parent: int | None = None) -> None:
    """Worker initializer: end this process when ``parent`` (default: the process that started it) ends, and
    offer it first to the kernel's OOM killer, so memory pressure costs a file rather than the whole batch."""
    if parent is None:
        parent = os.getppid()
    try:
        with open("/proc/self/oom_score_adj", "w") as fh:
            fh.write("500")
    except OSError:
        pass
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before prctl took effect
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def isolated_pool(workers: int = 1) -> ProcessPoolExecutor:
    """Long-lived worker processes for a server: started from a clean forkserver (no inherited threads), and
    gone when their parent is."""
    import multiprocessing

    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("forkserver"),
                               initializer=_die_with)


def _pool(jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=jobs, initializer=_die_with, initargs=(os.getpid(),))


def _killed(path: str) -> Result:
    return path, [], [f"{path}: the worker parsing this file was killed (out of memory?); file skipped"]


def _alone(work: Work, arg: Any, path: str) -> Result:
    """Run one item in a fresh one-worker pool: a second kill convicts the item."""
    with _pool(1) as pool:
        try:
            return pool.submit(work, arg).result()
        except BrokenProcessPool:
            return _killed(path)


def run_pool(work: Work, args: Iterable[Any], jobs: int, path_of: Callable[[Any], str]) -> Iterator[Result]:
    """``work`` over ``args`` in ``jobs`` processes; results in input order, a bounded number in flight."""
    todo = iter(args)
    window = 4 * jobs
    pool = _pool(jobs)
    try:
        flight: deque[tuple[Any, Future[Result]]] = deque()
        while True:
            while len(flight) < window:
                arg = next(todo, None)
                if arg is None:
                    break
                flight.append((arg, pool.submit(work, arg)))
            if not flight:
                return
            arg, future = flight.popleft()
            try:
                yield future.result()
                continue
            except BrokenProcessPool:
                pass
            pool.shutdown(wait=True, cancel_futures=True)
            yield _alone(work, arg, path_of(arg))
            for a, f in flight:  # results finished before the kill are kept, the rest retried alone
                finished = f.done() and not f.cancelled() and f.exception() is None
                yield f.result() if finished else _alone(work, a, path_of(a))
            flight.clear()
            pool = _pool(jobs)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
