"""Write the record of every gold, real and sample document to a folder, for a before/after diff.

    python scripts/snapshot_records.py OUT_DIR [--only SUFFIXES]

Records must not change when only speed work is done: compare two snapshots with
`diff -r`. Timing fields (none today) would be dropped here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kamerbrief_extract.ingest.errors import IngestError
from kamerbrief_extract.process import SUPPORTED_SUFFIXES, process_file

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    ROOT / "tests" / "gold",
    ROOT / "data" / "raw",
    ROOT / "tests" / "letters",
    ROOT / "tests" / "fixtures" / "kst-motions",
    ROOT / "tests" / "fixtures" / "real-motion-pdf",
    Path("/work/shared/data/real-documents"),
]
TIMING_FIELDS: frozenset[str] = frozenset()


def main() -> int:
    out = Path(sys.argv[1])
    only = set(sys.argv[2].split(",")) if len(sys.argv) > 2 else None
    out.mkdir(parents=True, exist_ok=True)
    for folder in SOURCES:
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            if only and path.suffix.lower() not in only:
                continue
            try:
                data = process_file(path).model_dump(mode="json")
            except IngestError as exc:
                data = {"error": str(exc)}
            for field in TIMING_FIELDS:
                data.pop(field, None)
            name = f"{folder.name}__{path.name}.json"
            (out / name).write_text(json.dumps(data, indent=1, ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
