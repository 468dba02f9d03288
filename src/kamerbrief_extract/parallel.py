"""Parallel, sharded and resumable batch runs, on one machine or on a Dask cluster.

Workers load the pipeline once and write each record themselves (atomically),
so only small outcome objects travel back; the parent appends `errors.jsonl`
and merges the manifest. Every finished file is also appended by its worker to
a journal (`.shards/<i>-of-<N>.jsonl`) right after its record is renamed into
place, so a run killed at any moment resumes without redoing finished files.
`--shard i/N` picks a subset by a stable hash of the relative path, so an array
job can split a corpus with no scheduler at all; a shard that completed leaves
`.shards/<i>-of-<N>.done` holding a fingerprint of its inputs, and an unchanged
shard is then skipped without reading a single input.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kamerbrief_extract.batch import (
    ERRORS,
    MANIFEST,
    BatchResult,
    FileOutcome,
    Scan,
    _process_one,
    append_line,
    assign_output_names,
    atomic_write_text,
    config_hash,
    is_disk_full,
    remove_gone,
    scan_inputs,
)
from kamerbrief_extract.ingest.limits import Limits
from kamerbrief_extract.process import process_file

SHARDS = ".shards"
LOCK = ".manifest.lock"
DEFAULT_TASKS_PER_CHILD = 10_000
"""Worker recycling: a fresh process after this many files bounds slow leaks."""
"""Sections stay this far under `nlp.max_length`, room to end on whitespace."""
MANIFEST_EVERY_S = 5.0
STALE_TMP_S = 3600.0


# --------------------------------------------------------------------------- #
# Shards


def parse_shard(spec: str) -> tuple[int, int]:
    """`"i/N"` (0 <= i < N, as array-job indexes count) to (i, N)."""
    left, sep, right = spec.partition("/")
    try:
        index, count = int(left), int(right)
    except ValueError:
        raise ValueError(f"shard {spec!r} is not of the form i/N") from None
    if not sep or count < 1 or not 0 <= index < count:
        raise ValueError(f"shard {spec!r}: need 0 <= i < N")
    return index, count


def shard_of(rel: str, count: int) -> int:
    """A shard number that is the same on every machine and Python (unlike `hash`).

    Names are hashed as the bytes on disk, so one that is not UTF-8 has a shard too.
    """
    digest = hashlib.sha256(os.fsencode(rel.replace(os.sep, "/"))).digest()
    return int.from_bytes(digest[:8], "big") % count


def _shard_stem(shard: tuple[int, int]) -> str:
    return f"{shard[0]}-of-{shard[1]}"


def _fingerprint(cfg: str, tasks: Sequence[Task]) -> str:
    """Changes when the shard's file list, any size or mtime, or the config changes."""
    digest = hashlib.sha256(cfg.encode())
    for task in tasks:
        try:
            st = os.stat(task.path)
            digest.update(f"{task.rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        except OSError:
            digest.update(f"{task.rel}\0missing\n".encode())
    return digest.hexdigest()


# --------------------------------------------------------------------------- #
# One document, with sections and stage timings


# --------------------------------------------------------------------------- #
# Work items and the shard function every executor runs


@dataclass(frozen=True, slots=True)
class Task:
    """One input for a worker: paths are absolute, so any worker on a shared disk can run it."""

    path: str
    rel: str
    output: str
    previous: dict[str, Any] | None
    force: bool
    limits: Limits | None = None


def process_tasks(tasks: Sequence[Task], out_dir: str, cfg: str, journal: str) -> list[FileOutcome]:
    """Run tasks in this process; each record is written here, never sent back."""
    out = Path(out_dir)
    outcomes: list[FileOutcome] = []
    for task in tasks:
        outcome = _process_one(
            Path(task.path),
            task.rel,
            task.output,
            out,
            task.previous,
            task.force,
            process_file,
            task.limits,
        )
        if outcome.status == "ok":
            line = {"file": task.rel, "sha256": outcome.sha256, "output": outcome.output}
            with contextlib.suppress(OSError):  # only a resume shortcut; the manifest has it too
                _journal(Path(journal), json.dumps({**line, "config": cfg}, ensure_ascii=False))
        outcomes.append(outcome)
    return outcomes


def _journal(path: Path, line: str) -> None:
    """One `write` per line, no fsync: a kill keeps it (page cache), a power cut only means redo.

    The record itself was fsynced before its rename, so a surviving line never
    points at a lost record.
    """
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
    finally:
        os.close(fd)


def _init_worker(batch_pid: int | None = None) -> None:
    """Load the pipeline and its lazy tables once per worker, before the first file
    (already done when the worker was forked from a forkserver that preloaded them).

    The worker ends itself when the batch process `batch_pid` is gone (killed
    with SIGKILL, say): its parent is the fork server, so it watches the batch.
    """
    if batch_pid is not None:
        from kamerbrief_extract.lifeline import watch_parent

        watch_parent(batch_pid)
    from kamerbrief_extract.nlp.pipeline import warm_pipeline

    warm_pipeline()


# --------------------------------------------------------------------------- #
# The parent


Progress = Callable[[FileOutcome], None]


def run_parallel(
    input_dir: Path,
    out_dir: Path,
    *,
    workers: int = 1,
    shard: tuple[int, int] | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    force: bool = False,
    on_progress: Progress | None = None,
    files: list[Path] | None = None,
    scan: Scan | None = None,
    max_tasks_per_child: int = DEFAULT_TASKS_PER_CHILD,
    limits: Limits | None = None,
) -> BatchResult:
    """`batch.run_batch` over a process pool or a Dask cluster, resumable and shardable.

    Without `files` the whole folder is scanned (or `scan` is used): refused and
    hidden inputs are reported in errors.jsonl, and the records of inputs that
    are gone since the last run are removed. An explicit `files` list is a subset:
    nothing else is touched.
    """
    if executor not in {"local", "dask"}:
        raise ValueError(f"executor {executor!r}: choose local or dask")
    input_dir, out_dir = input_dir.resolve(), out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / SHARDS).mkdir(exist_ok=True)
    shard = shard or (0, 1)
    _remove_stale_temporaries(out_dir, older_than_s=0.0 if shard[1] == 1 else STALE_TMP_S)
    cfg = config_hash()
    if files is None:
        scan = scan or scan_inputs(input_dir)
    inputs = files if files is not None else (scan.files if scan else [])
    rels = {str(p.relative_to(input_dir)): p for p in inputs}
    previous = _previous_entries(out_dir, cfg)
    names = assign_output_names(  # names from the whole corpus, so every shard agrees
        list(rels), {rel: e.get("output") for rel, e in _all_entries(out_dir).items()}
    )
    tasks = [
        Task(str(p.absolute()), rel, names[rel], previous.get(rel), force, limits)
        for rel, p in rels.items()
        if shard_of(rel, shard[1]) == shard[0]
    ]
    result = BatchResult()
    book = _Book(out_dir, cfg, on_progress, result)
    if scan is not None:
        book.report(scan, shard)
        book.prune(set(rels), set(names.values()), shard)
    stem = _shard_stem(shard)
    marker = out_dir / SHARDS / f"{stem}.done"
    journal = out_dir / SHARDS / f"{stem}.jsonl"
    fingerprint = _fingerprint(cfg, tasks)
    if not force and not result.removed and _marker_holds(marker, fingerprint, out_dir, tasks):
        for task in tasks:
            outcome = FileOutcome(
                task.rel, "skipped", output=task.output, sha256=(task.previous or {}).get("sha256")
            )
            result.outcomes.append(outcome)
            if on_progress:
                on_progress(outcome)
        return result
    marker.unlink(missing_ok=True)
    if executor == "dask":
        _run_dask(tasks, out_dir, cfg, journal, workers, scheduler, book)
    elif workers <= 1:
        for task in tasks:
            if book.stopped():
                break
            book.add(process_tasks([task], str(out_dir), cfg, str(journal))[0])
    else:
        _run_pool(tasks, out_dir, cfg, journal, workers, max_tasks_per_child, book)
    if book.flush():
        journal.unlink(missing_ok=True)  # merged into the manifest
    if not result.failed and not result.stopped:
        with contextlib.suppress(OSError):
            atomic_write_text(marker, fingerprint + "\n")
    return result


def _remove_stale_temporaries(out_dir: Path, *, older_than_s: float = 0.0) -> None:
    """Half-written `.name.*.tmp` files of a killed run; never read, safe to drop.

    Concurrent shards share the folder, so they only drop temporaries too old to
    belong to a live writer (a record is written in milliseconds).
    """
    now = time.time()
    for tmp in out_dir.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime >= older_than_s:
                tmp.unlink()


def _marker_holds(marker: Path, fingerprint: str, out_dir: Path, tasks: Sequence[Task]) -> bool:
    try:
        if marker.read_text(encoding="utf-8").strip() != fingerprint:
            return False
    except OSError:
        return False
    return all(t.previous and (out_dir / t.output).exists() for t in tasks)


def _read_json_lines(path: Path) -> Iterator[dict[str, Any]]:
    """Whole lines only: a line cut by a crash is ignored, not fatal."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return
    for line in lines:
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(item, dict):
            yield item


def _previous_entries(out_dir: Path, cfg: str | None) -> dict[str, Any]:
    """Manifest entries plus finished files journaled by killed or concurrent runs.

    With `cfg` None, entries of any configuration (which output names are in use).
    """
    entries: dict[str, Any] = {}
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        manifest = {}
    if isinstance(manifest, dict) and cfg in (None, manifest.get("config_hash")):
        inputs = manifest.get("inputs", {})
        entries.update({k: v for k, v in inputs.items() if isinstance(v, dict)})
    for journal in sorted((out_dir / SHARDS).glob("*.jsonl")):
        for item in _read_json_lines(journal):
            if cfg in (None, item.get("config")) and isinstance(item.get("file"), str):
                entries[item["file"]] = {"sha256": item.get("sha256"), "output": item.get("output")}
    return entries


def _all_entries(out_dir: Path) -> dict[str, Any]:
    return _previous_entries(out_dir, None)


class _Book:
    """The parent's bookkeeping: errors at once, the manifest every few seconds and at the end.

    A full disk stops the batch: no new work is started, what finished is kept,
    and `result.stopped` says why (a rerun resumes).
    """

    def __init__(
        self, out_dir: Path, cfg: str, on_progress: Progress | None, result: BatchResult
    ) -> None:
        self.out_dir = out_dir
        self.cfg = cfg
        self.on_progress = on_progress
        self.result = result
        self.done: dict[str, Any] = {}
        self.failed: set[str] = set()
        self.gone: set[str] = set()
        self.last_flush = time.monotonic()

    def stopped(self) -> bool:
        return self.result.stopped is not None

    def _stop(self, exc: OSError | None, what: str) -> None:
        """Stop starting work: `exc` None or a full disk, else another write failure."""
        if self.result.stopped is None:
            full = exc is None or is_disk_full(exc)
            reason = f" ({exc.strerror})" if exc is not None and exc.strerror else ""
            self.result.stopped = (
                f"{'disk full' if full else 'cannot write'}{reason} while writing {what} in "
                f"{self.out_dir}; the batch stopped cleanly, "
                f"{'free space' if full else 'fix the output folder'} and run it again to resume"
            )

    def _error_line(self, outcome: FileOutcome) -> None:
        try:
            append_line(self.out_dir / ERRORS, outcome.error_line())
        except OSError as exc:
            self._stop(exc, ERRORS)

    def report(self, scan: Scan, shard: tuple[int, int]) -> None:
        """Refused and hidden inputs of this shard: lines in errors.jsonl."""
        for outcome in scan.refused:
            if shard_of(outcome.path, shard[1]) == shard[0]:
                self.add(outcome)
        for outcome in scan.hidden:
            if shard_of(outcome.path, shard[1]) == shard[0]:
                self._error_line(outcome)
                self.result.ignored.append(outcome)

    def prune(self, present: set[str], keep: set[str], shard: tuple[int, int]) -> None:
        """Remove the records of this shard's inputs that are gone since the last run."""
        entries = {
            rel: e
            for rel, e in _all_entries(self.out_dir).items()
            if shard_of(rel, shard[1]) == shard[0]
        }
        self.gone = set(remove_gone(self.out_dir, entries, present, keep))
        self.result.removed = sorted(self.gone)
        if self.gone:
            self.flush()

    def add(self, outcome: FileOutcome) -> None:
        if outcome.status == "failed":
            self._error_line(outcome)
            if outcome.stage == "disk-full":
                self._stop(None, outcome.output or outcome.path)
            self.failed.add(outcome.path)
            self.done.pop(outcome.path, None)
        else:
            self.done[outcome.path] = {"sha256": outcome.sha256, "output": outcome.output}
            self.failed.discard(outcome.path)
        self.result.outcomes.append(outcome)
        if self.on_progress:
            self.on_progress(outcome)
        if time.monotonic() - self.last_flush > MANIFEST_EVERY_S:
            self.flush()

    def flush(self) -> bool:
        """Merge into manifest.json under a file lock: concurrent shards share one manifest.

        False when the manifest could not be written (the journal then keeps the work).
        """
        from kamerbrief_extract.batch import _write_manifest

        self.last_flush = time.monotonic()
        try:
            with (self.out_dir / LOCK).open("a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                entries = _previous_entries(self.out_dir, self.cfg)
                entries.update(self.done)
                for rel in self.failed | self.gone:
                    entries.pop(rel, None)
                _write_manifest(self.out_dir, self.cfg, entries)
        except OSError as exc:
            self._stop(exc, MANIFEST)
            return False
        return True


def _chunks(tasks: Sequence[Task], workers: int) -> list[list[Task]]:
    """Small chunks cut the per-file round trip for short documents yet keep workers busy."""
    size = max(1, min(16, len(tasks) // (max(workers, 1) * 8)))
    return [list(tasks[i : i + size]) for i in range(0, len(tasks), size)]


def _run_pool(
    tasks: Sequence[Task],
    out_dir: Path,
    cfg: str,
    journal: Path,
    workers: int,
    max_tasks_per_child: int,
    book: _Book,
) -> None:
    """Process pools in generations of `workers * max_tasks_per_child` files.

    Each generation is a fresh pool, which is how workers are recycled: the
    executor's own `max_tasks_per_child` deadlocks on Python 3.11 when a worker
    is replaced. A chunk whose worker died is retried once, file by file.
    """
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    from kamerbrief_extract.forkserver import context

    ctx = context()  # the pipeline is loaded once in the fork server; every worker has it
    step = max(1, workers * max_tasks_per_child)
    queue: list[tuple[list[Task], int]] = []
    for i in range(0, len(tasks), step):
        queue += [(chunk, 1) for chunk in _chunks(tasks[i : i + step], workers)]
    while queue:
        generation, size = [], 0
        while queue and size < step:
            generation.append(queue.pop(0))
            size += len(generation[-1][0])
        retry: list[tuple[list[Task], int]] = []
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(os.getpid(),)
        ) as pool:
            futures = {
                pool.submit(process_tasks, chunk, str(out_dir), cfg, str(journal)): (chunk, attempt)
                for chunk, attempt in generation
            }
            for future in as_completed(futures):
                chunk, attempt = futures[future]
                try:
                    outcomes = future.result()
                except BrokenProcessPool:
                    if attempt == 1:
                        retry += [([task], 2) for task in chunk]
                        continue
                    message = "worker process died twice (killed, or out of memory)"
                    outcomes = [
                        FileOutcome(t.rel, "failed", stage="worker", message=message) for t in chunk
                    ]
                except Exception as exc:  # pickling, or a bug outside _process_one
                    outcomes = [
                        FileOutcome(t.rel, "failed", stage="worker", message=repr(exc))
                        for t in chunk
                    ]
                for outcome in outcomes:
                    book.add(outcome)
                if book.stopped():
                    for pending in futures:
                        pending.cancel()
                    break
        queue = [] if book.stopped() else retry + queue


def _run_dask(
    tasks: Sequence[Task],
    out_dir: Path,
    cfg: str,
    journal: Path,
    workers: int,
    scheduler: str | None,
    book: _Book,
) -> None:
    """The same shard function on Dask; workers must see out_dir and the inputs at the same paths.

    PDF and OCR parsing run in a child process, so workers must not be daemonic:
    start remote workers with ``DASK_DISTRIBUTED__WORKER__DAEMON=False``.
    """
    try:
        import dask
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise RuntimeError(
            "the dask executor needs `pip install kamerbrief-extract[dask]`"
        ) from exc

    chunks = _chunks(tasks, workers)
    with contextlib.ExitStack() as stack:
        if scheduler:
            client = stack.enter_context(Client(scheduler))
        else:
            stack.enter_context(dask.config.set({"distributed.worker.daemon": False}))
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=max(workers, 1),
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                )
            )
            client = stack.enter_context(Client(cluster))
        futures = [
            client.submit(process_tasks, part, str(out_dir), cfg, str(journal), pure=False)
            for part in chunks
        ]
        by_key = {f.key: part for f, part in zip(futures, chunks, strict=True)}
        for future in as_completed(futures):
            try:
                outcomes = future.result()
            except Exception as exc:
                part = by_key[future.key]
                outcomes = [
                    FileOutcome(t.rel, "failed", stage="worker", message=repr(exc)) for t in part
                ]
            for outcome in outcomes:
                book.add(outcome)
            if book.stopped():
                client.cancel(futures)
                break
