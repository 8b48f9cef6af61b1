"""Uploads are parsed in a child process with a time and a memory budget, so one file cannot stall the server.

Parsing is CPU-bound, so on the event loop it would freeze every other request, and its cost grows faster than
the file. Each upload is therefore parsed in its own process forked from a small fork server (which has the
parser imported, so a job starts in milliseconds): the child caps its address space, the parent polls it from
the event loop, and kills it when the budget is spent or the client has gone away. The child writes its result
to a file in the upload's private temporary directory (no pipe that a large result could fill).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import pickle
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govreport.model import GovreportError, Report
from govreport.web.upload import MB, UploadError

POLL = 0.05  # seconds between looks at the child and at the client


@dataclass(frozen=True)
class Budget:
    """What one parse may spend: wall-clock seconds, memory (MB of address space beyond the fork server's),
    and how many parses may run at once (further uploads wait their turn)."""

    seconds: float = 120.0
    memory_mb: int = 2048
    jobs: int = 2


def _context() -> Any:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["govreport.parsing.pipeline"])
    return ctx


def _address_space() -> int:
    """Bytes of virtual memory this process maps now (Linux); 0 when unknown."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _child(path: str, memory_mb: int, out: str) -> None:
    """Worker body: parse ``path`` under an address-space cap and pickle ("ok", reports) or an error to ``out``."""
    try:
        import resource

        cap = _address_space() + memory_mb * MB
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ImportError, ValueError, OSError):  # no rlimit on this platform: the time budget still holds
        pass
    from govreport.parsing.pipeline import parse

    try:
        result: tuple[str, Any] = ("ok", parse(path))
    except GovreportError as exc:
        result = ("error", exc.message)
    except MemoryError:
        result = ("memory", None)
    with open(out, "wb") as fh:
        pickle.dump(result, fh)


async def parse_upload(raw: bytes, suffix: str, name: str, budget: Budget, gone: Callable[[], Awaitable[bool]],
                       jobs: dict[int, float]) -> list[Report]:
    """Parse uploaded bytes (saved under the suffix their content shows) in a worker process.

    ``gone()`` says whether the client has disconnected; ``jobs`` maps each running worker's pid to its start
    time (the app shows it to its tests and tidies it). Raises UploadError naming the file on any failure."""
    ctx = _context()
    with tempfile.TemporaryDirectory(prefix="govreport-upload-") as tmp:
        path, out = Path(tmp) / f"upload{suffix}", Path(tmp) / "result.pickle"
        path.write_bytes(raw)
        proc = ctx.Process(target=_child, args=(str(path), budget.memory_mb, str(out)), daemon=True)
        proc.start()
        jobs[proc.pid] = time.monotonic()
        deadline = time.monotonic() + budget.seconds
        try:
            while proc.is_alive():
                if time.monotonic() > deadline:
                    raise UploadError(422, f"{name}: parsing took longer than the budget of {budget.seconds:g} s")
                if await gone():
                    raise UploadError(499, f"{name}: the client went away; parsing stopped")
                await asyncio.sleep(POLL)
        finally:
            if proc.is_alive():
                proc.kill()
            await asyncio.to_thread(proc.join)
            jobs.pop(proc.pid, None)
        if not out.exists():
            raise UploadError(422, f"{name}: the parser stopped without a result (exit code {proc.exitcode})")
        status, value = pickle.loads(out.read_bytes())
    if status == "memory":
        raise UploadError(413, f"{name}: parsing needs more than the memory budget of {budget.memory_mb} MB")
    if status == "error":
        raise UploadError(422, f"{name}: {value}")
    for report in value:
        report.source.path = name
    return value
