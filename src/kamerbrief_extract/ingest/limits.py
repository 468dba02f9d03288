"""Time and memory bounds for reading one file.

A batch of thousands of documents must not stall on one hostile or huge PDF.
The policy:

- ``max_file_mb``: bigger files are refused before parsing (IngestError, stage
  ``limits``).
- ``max_pages``: only the first pages are read; the rest is skipped with a
  warning naming the limit (a 500-page annex still yields its first pages).
- ``max_ocr_pages``: pages beyond it that would need OCR are left out with a
  warning (OCR costs seconds per page, the text layer milliseconds).
- ``timeout_s`` and ``memory_mb``: the parse runs in a worker process (a fresh
  interpreter) with an address-space limit; if it runs out of time the whole process
  group, Tesseract children included, is killed and IngestError(stage
  ``limits``) names the limit. Running out of memory is reported the same way.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
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


def _worker_main() -> None:
    """Entry of the worker process: read (fn, args, memory) from stdin, pickle the outcome."""
    from kamerbrief_extract.lifeline import die_with_parent

    die_with_parent()  # a batch killed with SIGKILL takes its parses with it
    fn_ref, args, memory_mb = pickle.load(sys.stdin.buffer)
    if memory_mb:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    out: tuple[str, Any]
    try:
        module, _, name = fn_ref.partition(":")
        fn = getattr(importlib.import_module(module), name)
        out = ("ok", fn(*args))
    except IngestError as exc:
        out = ("ingest", (exc.path, exc.stage, exc.message))
    except MemoryError:
        out = ("memory", "")
    except BaseException as exc:
        out = ("error", f"{type(exc).__name__}: {exc}")
    sys.stdout.buffer.write(pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def run_bounded(fn: Callable[..., T], *args: Any, path: Path, limits: Limits) -> T:
    """Call fn(*args) within the time and memory limits; failures become IngestError.

    The worker is a fresh interpreter (``python -m kamerbrief_extract.ingest.limits``)
    in its own session, so it never re-imports the caller's ``__main__``, is safe
    to start from threaded callers, and a timeout kills its Tesseract children too.
    Start-up costs about half a second per file.
    """
    if not limits.isolate:
        return fn(*args)
    fn_ref = f"{fn.__module__}:{fn.__qualname__}"
    payload = pickle.dumps((fn_ref, args, limits.memory_mb), protocol=pickle.HIGHEST_PROTOCOL)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kamerbrief_extract.ingest.limits"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(payload, timeout=limits.timeout_s)
    except subprocess.TimeoutExpired:
        _kill_group(proc.pid)
        proc.communicate()
        raise IngestError(
            path,
            "limits",
            f"still running after the time limit of {limits.timeout_s:g} s (Limits.timeout_s)",
        ) from None
    finally:
        _kill_group(proc.pid)  # leftover children (a Tesseract that outlived its worker)
    try:
        kind, result = pickle.loads(stdout)
    except Exception:
        tail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise IngestError(
            path,
            "limits",
            f"worker died (exit code {proc.returncode}): memory limit {limits.memory_mb} MB "
            f"(Limits.memory_mb) or a crash in the PDF library {tail[0]}".rstrip(),
        ) from None
    if kind == "ok":
        value: T = result
        return value
    if kind == "ingest":
        raise IngestError(*result)
    if kind == "memory":
        raise IngestError(
            path,
            "limits",
            f"out of memory within the limit of {limits.memory_mb} MB (Limits.memory_mb)",
        )
    raise IngestError(path, "parse", str(result))


if __name__ == "__main__":
    _worker_main()
