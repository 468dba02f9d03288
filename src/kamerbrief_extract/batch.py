"""Batch runs over a folder: one JSON per input, a manifest, and errors that never stop the batch.

Every output file is written to a temporary name and renamed into place, so a
killed run leaves either the old file or the new one, never half of one. The
manifest remembers each input's sha256, so an unchanged input is skipped on the
next run unless `force` is set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kamerbrief_extract import PIPELINE_VERSION, __version__
from kamerbrief_extract.ingest.errors import IngestError
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


def discover_inputs(input_dir: Path) -> list[Path]:
    """Files to process, in a stable order; hidden files and our own outputs are skipped."""
    found: list[Path] = []
    for path in sorted(input_dir.rglob("*")):
        rel = path.relative_to(input_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_symlink() and not path.exists():
            found.append(path)  # reported as unreadable, not silently dropped
        elif path.is_file() and (path.suffix.lower() in SUPPORTED_SUFFIXES or path.suffix == ""):
            found.append(path)
    return found


def output_name(path: Path, input_dir: Path, taken: set[str]) -> str:
    rel = path.relative_to(input_dir)
    name = "__".join([*rel.parent.parts, rel.stem]) + ".json"
    if name in taken:
        name = "__".join([*rel.parent.parts, rel.name]) + ".json"
    taken.add(name)
    return name


@dataclass
class FileOutcome:
    path: str
    status: str  # "ok" | "skipped" | "failed"
    output: str | None = None
    sha256: str | None = None
    stage: str | None = None
    message: str | None = None


@dataclass
class BatchResult:
    outcomes: list[FileOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {"ok": 0, "skipped": 0, "failed": 0}
        for o in self.outcomes:
            out[o.status] += 1
        return out


def _load_manifest(out_dir: Path) -> dict[str, Any]:
    path = out_dir / MANIFEST
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, json.JSONDecodeError):
        return {}


def run_batch(
    input_dir: Path,
    out_dir: Path,
    *,
    force: bool = False,
    on_progress: Callable[[FileOutcome], None] | None = None,
    files: list[Path] | None = None,
) -> BatchResult:
    """Process every supported file under input_dir into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = _load_manifest(out_dir)
    cfg = config_hash()
    previous: dict[str, Any] = (
        manifest.get("inputs", {}) if manifest.get("config_hash") == cfg else {}
    )
    inputs = files if files is not None else discover_inputs(input_dir)
    result = BatchResult()
    entries: dict[str, Any] = dict(previous)
    taken: set[str] = set()
    for path in inputs:
        rel = str(path.relative_to(input_dir))
        name = output_name(path, input_dir, taken)
        outcome = _process_one(path, rel, name, out_dir, previous.get(rel), force)
        if outcome.status == "failed":
            append_line(
                out_dir / ERRORS,
                json.dumps(
                    {
                        "file": rel,
                        "stage": outcome.stage,
                        "message": outcome.message,
                        "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    },
                    ensure_ascii=False,
                ),
            )
            entries.pop(rel, None)
        else:
            entries[rel] = {"sha256": outcome.sha256, "output": outcome.output}
        result.outcomes.append(outcome)
        if on_progress:
            on_progress(outcome)
        _write_manifest(out_dir, cfg, entries)
    return result


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
        record = process(path, display_path=rel)  # the pipeline is loaded once, cached
    except IngestError as exc:
        return FileOutcome(rel, "failed", sha256=digest, stage=exc.stage, message=exc.message)
    except MemoryError:
        return FileOutcome(rel, "failed", sha256=digest, stage="process", message="out of memory")
    except Exception as exc:  # a bug must not end the batch; it is reported with its place
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = f"{type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno})"
        return FileOutcome(rel, "failed", sha256=digest, stage="process", message=message)
    write_record(out_path, record)
    return FileOutcome(rel, "ok", output=name, sha256=digest)
