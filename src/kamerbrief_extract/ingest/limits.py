"""Time and memory bounds for reading one file.

A batch of thousands of documents must not stall on one hostile or huge PDF.
The policy:

- ``max_file_mb``: bigger files are refused before parsing (IngestError, stage
  ``limits``).
- ``max_pages``: only the first pages are read; the rest is skipped with a
  warning naming the limit (a 500-page annex still yields its first pages).
- ``max_ocr_pages``: pages beyond it that would need OCR are left out with a
  warning (OCR costs seconds per page, the text layer milliseconds).
- ``timeout_s`` and ``memory_mb``: the parse runs in a worker process (fork
  server) with an address-space limit; if it runs out of time the whole process
  group, Tesseract children included, is killed and IngestError(stage
  ``limits``) names the limit. Running out of memory is reported the same way.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from kamerbrief_extract.ingest.errors import IngestError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds for one file; the defaults fit a long Kamerbrief with annexes."""

    max_pages: int = 500
    max_ocr_pages: int = 60
    timeout_s: float = 900.0
    memory_mb: int | None = 4096
    max_file_mb: float = 300.0
    ocr_page_timeout_s: float = 120.0
    isolate: bool = True
    """Run in a worker process; False runs in-process (no time or memory bound)."""


def check_file(path: Path, limits: Limits) -> None:
    """Refuse missing, empty and oversized files before any parser sees them."""
    if not path.is_file():
        raise IngestError(path, "open", "no such file")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(path, "open", "file is empty")
    if size > limits.max_file_mb * 1024 * 1024:
        raise IngestError(
            path,
            "limits",
            f"file is {size / 1048576:.0f} MB, over the limit of "
            f"{limits.max_file_mb:.0f} MB (Limits.max_file_mb)",
        )


def _child(
    conn: Connection, fn: Callable[..., Any], args: tuple[Any, ...], memory_mb: int | None
) -> None:
    os.setpgid(0, 0)  # own process group: a timeout kills Tesseract children too
    if memory_mb:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        conn.send(("ok", fn(*args)))
    except IngestError as exc:
        conn.send(("ingest", (exc.path, exc.stage, exc.message)))
    except MemoryError:
        conn.send(("memory", ""))
    except BaseException as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def run_bounded(fn: Callable[..., T], *args: Any, path: Path, limits: Limits) -> T:
    """Call fn(*args) within the time and memory limits; failures become IngestError."""
    if not limits.isolate:
        return fn(*args)
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["kamerbrief_extract.ingest.pdf", "kamerbrief_extract.ingest.ocr"])
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn, args, limits.memory_mb), daemon=True)
    proc.start()
    send.close()
    try:
        if not recv.poll(limits.timeout_s):
            _kill_group(proc.pid or 0)
            raise IngestError(
                path,
                "limits",
                f"still running after the time limit of {limits.timeout_s:g} s (Limits.timeout_s)",
            )
        try:
            kind, payload = recv.recv()
        except EOFError:
            proc.join(5)
            raise IngestError(
                path,
                "limits",
                f"worker died (exit code {proc.exitcode}); memory limit "
                f"{limits.memory_mb} MB (Limits.memory_mb) or a crash in the PDF library",
            ) from None
    finally:
        recv.close()
        proc.join(5)
        if proc.is_alive():
            _kill_group(proc.pid or 0)
    if kind == "ok":
        result: T = payload
        return result
    if kind == "ingest":
        raise IngestError(*payload)
    if kind == "memory":
        raise IngestError(
            path,
            "limits",
            f"out of memory within the limit of {limits.memory_mb} MB (Limits.memory_mb)",
        )
    raise IngestError(path, "parse", str(payload))
