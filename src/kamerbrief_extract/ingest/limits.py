"""Time and memory bounds for reading one file.

A batch of thousands of documents must not stall on one hostile or huge PDF.
The policy:

- ``max_file_mb``: bigger files are refused before parsing (IngestError, stage
  ``limits``).
- ``max_pages``: only the first pages are read; the rest is skipped with a
  warning naming the limit (a 500-page annex still yields its first pages).
- ``max_ocr_pages``: pages beyond it that would need OCR are left out with a
  warning (OCR costs seconds per page, the text layer milliseconds).
- ``timeout_s`` and ``memory_mb``: one time and memory limit per document, for
  every path (text, XML, PDF, OCR) and the whole pipeline after it:
  `document_bounds` wraps `process.process_file`, and IngestError(stage
  ``limits``) names the limit that was hit. In addition a PDF or image parse
  runs in a worker process (a fresh interpreter) with an address-space limit;
  if it runs out of time the whole process group, Tesseract children included,
  is killed.

`document_bounds` works inside the process: the time limit is a timer signal
(or, off the main thread, an exception raised into the thread) and the memory
limit a soft address-space limit of the current use plus ``memory_mb``, put back
afterwards. Both act between Python steps, so a single call into C that never
returns is only bounded by the worker-process limits above.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import os
import pickle
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
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


class _DocumentTimeout(BaseException):
    """Raised into the code of one document at its time limit (not an Exception: no
    `except Exception` on the way may swallow it)."""


RETRY_S = 0.05
"""An exception raised where Python ignores it (in a gc callback, say) is raised again."""


def _on_alarm(signum: int, frame: object) -> None:
    signal.setitimer(signal.ITIMER_REAL, RETRY_S)  # again, should this one be swallowed
    raise _DocumentTimeout


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    if seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    thread_id = threading.get_ident()
    lock = threading.Lock()
    done = threading.Event()
    state = {"fired": False}

    def interrupt() -> None:
        while True:
            with lock:
                if done.is_set():
                    return
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(thread_id), ctypes.py_object(_DocumentTimeout)
                )
            if done.wait(RETRY_S):
                return

    timer = threading.Timer(seconds, interrupt)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            done.set()
            timer.cancel()
            if state["fired"]:  # not yet delivered: it must not hit the caller after the block
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)


def _address_space() -> int | None:
    """Bytes of address space in use by this process (Linux), else None."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


@contextlib.contextmanager
def _memory_limit(memory_mb: int | None) -> Iterator[None]:
    """Allow `memory_mb` more address space than in use now; the old limit afterwards."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    used = _address_space()
    if not memory_mb or used is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = used + memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft != resource.RLIM_INFINITY and soft <= limit:
        yield  # an outer, tighter limit already holds
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextlib.contextmanager
def document_bounds(path: Path, limits: Limits) -> Iterator[None]:
    """One document's time and memory limit, for every ingest path and the pipeline.

    Hitting either is IngestError(stage ``limits``) naming the limit; the memory
    is given back when the block ends, so the next document starts clean.
    """
    if not limits.isolate:
        yield
        return
    try:
        with _memory_limit(limits.memory_mb), _time_limit(limits.timeout_s):
            yield
    except _DocumentTimeout:
        raise IngestError(
            path,
            "limits",
            f"still running after the time limit of {limits.timeout_s:g} s (Limits.timeout_s)",
        ) from None
    except MemoryError:
        raise IngestError(
            path,
            "limits",
            f"out of memory within the limit of {limits.memory_mb} MB (Limits.memory_mb)",
        ) from None


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
