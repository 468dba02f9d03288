"""Batch runs over a folder: one JSON per input, a manifest, and errors that never stop the batch.

Every output file is written to a temporary name and renamed into place, so a
killed run leaves either the old file or the new one, never half of one. The
manifest remembers each input's sha256, so an unchanged input is skipped on the
next run unless `force` is set.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kamerbrief_extract import PIPELINE_VERSION, __version__
from kamerbrief_extract.ingest.errors import IngestError
from kamerbrief_extract.ingest.limits import Limits
from kamerbrief_extract.process import SUPPORTED_SUFFIXES, process_file, sha256_file
from kamerbrief_extract.store import MANIFEST, atomic_write_text, write_record

ERRORS = "errors.jsonl"


def append_line(path: Path, line: str) -> None:
    """Append one whole line; a line is the unit a crash cannot split (single write call)."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line.rstrip("\n") + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def config_hash() -> str:
    """Changes whenever extraction could give different records for the same input."""
    from kamerbrief_extract.nlp.pipeline import repo_model_dir

    digest = hashlib.sha256(f"{__version__}|{PIPELINE_VERSION}".encode())
    config = repo_model_dir() / "config.cfg"
    if config.exists():
        digest.update(config.read_bytes())
    return digest.hexdigest()[:16]


# --------------------------------------------------------------------------- #
# Finding the inputs


@dataclass
class Scan:
    """What a folder holds: inputs to process, inputs refused, names skipped on purpose."""

    files: list[Path] = field(default_factory=list)
    refused: list[FileOutcome] = field(default_factory=list)
    """Undecodable names, links out of the folder, unreadable folders: lines in errors.jsonl."""
    hidden: list[FileOutcome] = field(default_factory=list)
    """Names starting with a dot (and everything under such a folder): reported, not read."""


def display_name(rel: str) -> str:
    """A relative path as text that can always be printed and written as UTF-8 JSON."""
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


def _is_decodable(rel: str) -> bool:
    try:
        os.fsencode(rel).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def scan_inputs(input_dir: Path) -> Scan:
    """Walk input_dir (links to folders not followed) in a stable order.

    Hidden names are reported as skipped; a name that is not valid UTF-8, a link
    whose target lies outside input_dir and a folder that cannot be read are
    refused with a reason. A link to a file inside the folder is an input; a
    dangling link is one too, so that it is reported as unreadable.
    """
    root = input_dir.resolve()
    scan = Scan()

    def refuse(rel: str, stage: str, message: str) -> None:
        scan.refused.append(FileOutcome(display_name(rel), "failed", stage=stage, message=message))

    def unreadable(exc: OSError) -> None:
        rel = os.path.relpath(exc.filename, input_dir) if exc.filename else "."
        refuse(rel, "read", f"folder cannot be read: {exc.strerror or exc}")

    for folder, dirs, names in os.walk(input_dir, onerror=unreadable):
        base = Path(folder)
        dirs.sort()
        for name in sorted(n for n in dirs if n.startswith(".")):
            rel = str((base / name).relative_to(input_dir))
            scan.hidden.append(
                FileOutcome(display_name(rel), "ignored", stage="hidden", message=HIDDEN_FOLDER)
            )
        dirs[:] = [n for n in dirs if not n.startswith(".")]
        for name in sorted(names) + [n for n in dirs if (base / n).is_symlink()]:
            path = base / name
            rel = str(path.relative_to(input_dir))
            if name.startswith("."):
                scan.hidden.append(
                    FileOutcome(display_name(rel), "ignored", stage="hidden", message=HIDDEN_FILE)
                )
                continue
            if not _is_decodable(rel):
                refuse(rel, "name", "file name is not valid UTF-8: rename the file")
                continue
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root):
                    refuse(rel, "symlink", "symbolic link to a place outside the input folder")
                    continue
                if target.is_dir():
                    continue  # its files are reached through the folder itself
                if not target.exists():
                    scan.files.append(path)  # reported as unreadable, not silently dropped
                    continue
            if path.is_file() and (path.suffix.lower() in SUPPORTED_SUFFIXES or path.suffix == ""):
                scan.files.append(path)
    scan.files.sort()
    return scan


HIDDEN_FILE = "name starts with a dot: skipped, not an input"
HIDDEN_FOLDER = "folder name starts with a dot: skipped with everything in it"


def discover_inputs(input_dir: Path) -> list[Path]:
    """Files to process, in a stable order (see `scan_inputs` for what is left out)."""
    return scan_inputs(input_dir).files


# --------------------------------------------------------------------------- #
# Output names


NAME_BYTES = 200
"""Output names stay well under the 255 bytes most file systems allow."""


def _name_candidates(rel: str) -> Iterator[str]:
    """The plain name (folders joined by `__`, input suffix dropped), then hashed variants."""
    path = Path(rel)
    plain = "__".join([*path.parent.parts, path.stem])
    digest = hashlib.sha256(os.fsencode(rel)).hexdigest()
    short = plain.encode("utf-8", "surrogateescape")[:NAME_BYTES].decode("utf-8", "ignore")
    if short == plain:
        yield f"{plain}.json"
    for size in (8, 16, 64):
        yield f"{short}~{digest[:size]}.json"


def assign_output_names(rels: Sequence[str], previous: Mapping[str, str]) -> dict[str, str]:
    """One unique output name per input, stable across runs and between machines.

    An input keeps the name the manifest gave it while that name is still one of
    its own candidates and no other input kept it first; otherwise it gets its
    plain name, or, when that is taken (``a/b.md`` and ``a__b.txt`` both give
    ``a__b.json``), the plain name with a hash of its relative path. Names are
    compared case-folded, so they stay unique on case-insensitive disks too.
    Inputs are handled in sorted order, so the outcome never depends on the
    order they were found in.
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    ordered = sorted(rels)
    for rel in ordered:
        old = previous.get(rel)
        if old and old.casefold() not in taken and old in set(_name_candidates(rel)):
            names[rel] = old
            taken.add(old.casefold())
    for rel in ordered:
        if rel in names:
            continue
        for name in _name_candidates(rel):
            if name.casefold() not in taken:
                break
        names[rel] = name
        taken.add(name.casefold())
    return names


# --------------------------------------------------------------------------- #
# Results


@dataclass
class FileOutcome:
    path: str
    status: str  # "ok" | "skipped" | "failed" | "ignored" (hidden names)
    output: str | None = None
    sha256: str | None = None
    stage: str | None = None
    message: str | None = None

    def error_line(self) -> str:
        """The line for errors.jsonl."""
        item = {
            "file": self.path,
            "stage": self.stage,
            "message": self.message,
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        return json.dumps(item, ensure_ascii=False)


@dataclass
class BatchResult:
    outcomes: list[FileOutcome] = field(default_factory=list)
    ignored: list[FileOutcome] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    """Inputs that are gone since the last run: their records were removed."""
    stopped: str | None = None
    """Why the batch stopped early (a full disk), or None."""

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {"ok": 0, "skipped": 0, "failed": 0}
        for o in self.outcomes:
            out[o.status] += 1
        return out


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in {errno.ENOSPC, errno.EDQUOT}


def remove_gone(
    out_dir: Path, entries: Mapping[str, Any], present: set[str], keep: set[str]
) -> list[str]:
    """Delete the records of inputs that are no longer there; returns their relative paths.

    `present` are the inputs of this run, `keep` the output names they use (a
    new input may have taken over a gone input's name).
    """
    gone = sorted(rel for rel in entries if rel not in present)
    for rel in gone:
        output = (entries[rel] or {}).get("output")
        if isinstance(output, str) and output not in keep and Path(output).name == output:
            (out_dir / output).unlink(missing_ok=True)
    return gone


def run_batch(
    input_dir: Path,
    out_dir: Path,
    *,
    force: bool = False,
    on_progress: Callable[[FileOutcome], None] | None = None,
    files: list[Path] | None = None,
    limits: Limits | None = None,
) -> BatchResult:
    """Process every supported file under input_dir into out_dir, in this process."""
    from kamerbrief_extract.parallel import run_parallel

    return run_parallel(
        input_dir,
        out_dir,
        workers=1,
        force=force,
        on_progress=on_progress,
        files=files,
        limits=limits,
    )


def _write_manifest(out_dir: Path, cfg: str, entries: dict[str, Any]) -> None:
    from kamerbrief_extract.nlp.pipeline import MODEL_NAME

    manifest = {
        "package_version": __version__,
        "pipeline_version": PIPELINE_VERSION,
        "model": MODEL_NAME,
        "config_hash": cfg,
        "inputs": dict(sorted(entries.items())),
    }
    atomic_write_text(out_dir / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))


def _process_one(
    path: Path,
    rel: str,
    name: str,
    out_dir: Path,
    before: dict[str, Any] | None,
    force: bool,
    process: Callable[..., Any] = process_file,
    limits: Limits | None = None,
) -> FileOutcome:
    """One input to one output; `process` is swappable so parallel workers share this logic."""
    try:
        digest = sha256_file(path)
    except OSError as exc:
        return FileOutcome(rel, "failed", stage="read", message=exc.strerror or str(exc))
    out_path = out_dir / name
    if not force and before and before.get("sha256") == digest and out_path.exists():
        return FileOutcome(rel, "skipped", output=name, sha256=digest)
    try:
        record = process(path, display_path=rel, limits=limits)  # pipeline loaded once
    except IngestError as exc:
        return FileOutcome(rel, "failed", sha256=digest, stage=exc.stage, message=exc.message)
    except MemoryError:
        return FileOutcome(rel, "failed", sha256=digest, stage="process", message="out of memory")
    except Exception as exc:  # a bug must not end the batch; it is reported with its place
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = f"{type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno})"
        return FileOutcome(rel, "failed", sha256=digest, stage="process", message=message)
    try:
        write_record(out_path, record)
    except OSError as exc:
        stage = "disk-full" if is_disk_full(exc) else "write"
        message = f"cannot write {name}: {exc.strerror or exc}"
        return FileOutcome(rel, "failed", sha256=digest, stage=stage, message=message)
    return FileOutcome(rel, "ok", output=name, sha256=digest)
