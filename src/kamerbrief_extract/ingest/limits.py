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
  runs in a long-lived worker process (one interpreter serves file after file)
  with an address-space limit; if a file runs out of time the worker's whole
  process group, Tesseract children included, is killed, IngestError(stage
  ``limits``) names the limit and the next file gets a fresh worker. Running out
  of memory is reported the same way.

`document_bounds` works inside the process: the time limit is a timer signal
(or, off the main thread, an exception raised into the thread) and the memory
limit a soft address-space limit of the current use plus ``memory_mb``, put back
afterwards. Both act between Python steps, so a single call into C that never
returns is only bounded by the worker-process limits above.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import importlib
import os
import pickle
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
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


def _call(fn_ref: str, args: tuple[Any, ...]) -> tuple[str, Any]:
    """Run `module:function`(*args) in the worker; the outcome as (kind, value)."""
    try:
        module, _, name = fn_ref.partition(":")
        fn = getattr(importlib.import_module(module), name)
        return ("ok", fn(*args))
    except IngestError as exc:
        return ("ingest", (exc.path, exc.stage, exc.message))
    except MemoryError:
        return ("memory", "")
    except BaseException as exc:
        return ("error", f"{type(exc).__name__}: {exc}")


def _send(stream: Any, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(8, "little") + data)
    stream.flush()


def _serve() -> None:
    """Entry of the long-lived worker: calls in, outcomes out, until stdin closes.

    Messages are length-prefixed pickles. The protocol keeps its own copy of stdout;
    fd 1 is pointed at stderr, so a library that prints cannot corrupt it.
    """
    from kamerbrief_extract.lifeline import die_with_parent

    die_with_parent()  # a batch killed with SIGKILL takes its parses with it
    inp = sys.stdin.buffer
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    memory_mb = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] != "0" else None
    if memory_mb:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        header = inp.read(8)
        if len(header) < 8:
            return
        fn_ref, args = pickle.loads(inp.read(int.from_bytes(header, "little")))
        outcome = _call(fn_ref, args)
        try:
            _send(out, outcome)
        except Exception as exc:  # an outcome that does not pickle
            _send(out, ("error", f"{type(exc).__name__}: {exc}"))


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


_MODULE = "kamerbrief_extract.ingest.limits"


class _WorkerDied(Exception):
    def __init__(self, returncode: int | None, tail: str) -> None:
        super().__init__(tail)
        self.returncode = returncode
        self.tail = tail


class _Worker:
    """A long-lived bounded interpreter (``python -m kamerbrief_extract.ingest.limits``).

    It runs in its own session under the address-space limit and serves one call at a
    time, so a PDF costs no interpreter start-up. A call past its time limit kills the
    worker's whole process group (Tesseract children included); the next call starts a
    fresh one. After a memory error, a crash or RECYCLE_AFTER calls it is replaced too.
    """

    RECYCLE_AFTER = 500

    def __init__(self, memory_mb: int | None) -> None:
        self.memory_mb = memory_mb
        self.owner = os.getpid()
        self.calls = 0
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the worker
        self.proc = subprocess.Popen(
            [sys.executable, "-m", _MODULE, "--serve", str(memory_mb or 0)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            start_new_session=True,
        )

    def alive(self) -> bool:
        return os.getpid() == self.owner and self.proc.poll() is None

    def call(self, fn_ref: str, args: tuple[Any, ...], timeout_s: float) -> tuple[str, Any]:
        """The outcome; TimeoutError past the limit, _WorkerDied if the worker is gone."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.calls += 1
        self.stderr.seek(0)
        self.stderr.truncate()  # shared with the worker: keep only this call's messages
        try:
            _send(self.proc.stdin, (fn_ref, args))
            deadline = time.monotonic() + timeout_s
            size = int.from_bytes(self._read(8, deadline), "little")
            outcome: tuple[str, Any] = pickle.loads(self._read(size, deadline))
            return outcome
        except BrokenPipeError:
            raise self._died() from None

    def _read(self, n: int, deadline: float) -> bytes:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        chunks: list[bytes] = []
        while n > 0:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                self.close()
                raise TimeoutError
            chunk = os.read(fd, min(n, 1 << 20))
            if not chunk:
                raise self._died()
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def _died(self) -> _WorkerDied:
        self.close()
        self.stderr.seek(0)
        lines = self.stderr.read().decode("utf-8", "replace").strip().splitlines()
        return _WorkerDied(self.proc.returncode, lines[-1] if lines else "")

    def close(self) -> None:
        _kill_group(self.proc.pid)
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=5)
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(Exception):
                stream.close()  # type: ignore[union-attr]


_workers = threading.local()


def _worker_for(memory_mb: int | None) -> _Worker:
    """This thread's worker for that memory limit, started on first use."""
    pool: dict[int | None, _Worker] = getattr(_workers, "pool", None) or {}
    _workers.pool = pool
    worker = pool.get(memory_mb)
    if worker is None or not worker.alive() or worker.calls >= _Worker.RECYCLE_AFTER:
        if worker is not None and os.getpid() == worker.owner:
            worker.close()
        worker = pool[memory_mb] = _Worker(memory_mb)
    return worker


def _close_workers() -> None:
    for worker in (getattr(_workers, "pool", None) or {}).values():
        if os.getpid() == worker.owner:
            worker.close()


atexit.register(_close_workers)


def run_bounded(fn: Callable[..., T], *args: Any, path: Path, limits: Limits) -> T:
    """Call fn(*args) within the time and memory limits; failures become IngestError.

    The call runs in a long-lived worker interpreter (see `_Worker`) in its own session,
    so it never re-imports the caller's ``__main__``, is safe to start from threaded
    callers (one worker per thread), and a timeout kills its Tesseract children too.
    """
    if not limits.isolate:
        return fn(*args)
    fn_ref = f"{fn.__module__}:{fn.__qualname__}"
    worker = _worker_for(limits.memory_mb)
    try:
        kind, result = worker.call(fn_ref, args, limits.timeout_s)
    except TimeoutError:
        raise IngestError(
            path,
            "limits",
            f"still running after the time limit of {limits.timeout_s:g} s (Limits.timeout_s)",
        ) from None
    except _WorkerDied as died:
        raise IngestError(
            path,
            "limits",
            f"worker died (exit code {died.returncode}): memory limit {limits.memory_mb} MB "
            f"(Limits.memory_mb) or a crash in the PDF library {died.tail}".rstrip(),
        ) from None
    if kind == "ok":
        value: T = result
        return value
    if kind == "ingest":
        raise IngestError(*result)
    if kind == "memory":
        worker.close()  # a worker that ran out of memory is not trusted with the next file
        raise IngestError(
            path,
            "limits",
            f"out of memory within the limit of {limits.memory_mb} MB (Limits.memory_mb)",
        )
    raise IngestError(path, "parse", str(result))


if __name__ == "__main__":
    _serve()
