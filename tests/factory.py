"""Validated `Record`s from the few fields a test cares about."""

from __future__ import annotations

from typing import Any

from kamerbrief_extract.records import Record


def make_record(
    path: str,
    text: str = "",
    meta: dict[str, Any] | None = None,
    **fields: Any,
) -> Record:
    """A record of `text` at `path`; every other field from `fields` or its default."""
    data: dict[str, Any] = {
        "package_version": "0.0.0",
        "pipeline_version": "test",
        "source": {"path": path, "sha256": "0" * 64, "kind": "text"},
        "meta": meta or {},
        "text": text,
        "body_end": len(text),
        **fields,
    }
    return Record.model_validate(data)
