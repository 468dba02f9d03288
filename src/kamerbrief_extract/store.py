"""Records on disk: written atomically, read back as validated `Record` objects.

This is the one place that knows how a record file looks. The runner writes
through it and everything downstream (links, query, export, review, evaluation)
reads through it, so every consumer sees the pydantic contract of `records.py`,
never a raw dict. A file that does not validate is an error naming the file and
the first field that failed, not a record silently left out.

Naming output files is the runner's business (`batch.py`): `write_record` writes
where it is told.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from kamerbrief_extract.records import Link, Record

MANIFEST = "manifest.json"
LINKS = "links.json"
CORPUS_FILES: frozenset[str] = frozenset({MANIFEST, LINKS})
"""JSON files in an output folder that are about the corpus, not one record each."""
SIDECAR_SUFFIXES: tuple[str, ...] = (".datasette.json",)
"""Files written beside an export (Datasette metadata) that are not records either."""


class RecordFileError(ValueError):
    """A record file that cannot be read or does not match the record contract."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class CorpusLinks(BaseModel):
    """`links.json`: the links between records and the motion and commitment registries."""

    links: list[Link] = Field(default_factory=list)
    motions: list[dict[str, Any]] = Field(default_factory=list)
    commitments: list[dict[str, Any]] = Field(default_factory=list)


def atomic_write_text(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_record(path: Path, record: Record) -> None:
    """Write one record to exactly `path`, atomically."""
    atomic_write_text(path, record.model_dump_json(indent=1))


def _reason(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "record"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"not a valid record: {where}: {first['msg']}{more}"


def read_record(path: Path) -> Record:
    """One record file, validated; `RecordFileError` (file and reason) when it is not one."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RecordFileError(path, exc.strerror or str(exc)) from exc
    try:
        return Record.model_validate_json(raw)
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            raise RecordFileError(path, f"not JSON: {exc.errors()[0]['msg']}") from exc
        raise RecordFileError(path, _reason(exc)) from exc


def is_record_file(path: Path) -> bool:
    name = path.name
    return (
        path.suffix == ".json"
        and not name.startswith(".")
        and name not in CORPUS_FILES
        and not name.endswith(SIDECAR_SUFFIXES)
    )


def record_files(out_dir: Path) -> list[Path]:
    """The record files of an output folder, in a stable order (by name: the same order as
    sorting the paths, without comparing path objects part by part)."""
    return [p for p in sorted(out_dir.glob("*.json"), key=lambda p: p.name) if is_record_file(p)]


def iter_records(out_dir: Path) -> Iterator[Record]:
    """Every record of an output folder; the first that does not validate raises."""
    for path in record_files(out_dir):
        yield read_record(path)


def read_records(out_dir: Path) -> list[Record]:
    return list(iter_records(out_dir))


def write_corpus_links(out_dir: Path, corpus: CorpusLinks) -> Path:
    path = out_dir / LINKS
    atomic_write_text(path, corpus.model_dump_json(indent=1))
    return path


def read_corpus_links(out_dir: Path) -> CorpusLinks | None:
    """`links.json` of an output folder, validated; None when there is none."""
    path = out_dir / LINKS
    if not path.exists():
        return None
    try:
        return CorpusLinks.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        raise RecordFileError(path, f"not a valid links file: {exc.errors()[0]['msg']}") from exc
    except OSError as exc:
        raise RecordFileError(path, exc.strerror or str(exc)) from exc


def dumps(value: Any) -> str:
    """Compact JSON for the values a corpus table stores as text (lists, evidence)."""
    return json.dumps(value, ensure_ascii=False, default=str)
