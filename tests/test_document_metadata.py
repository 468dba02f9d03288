"""Records from the official XML motions and the real Kamerstuk PDF carry the right metadata."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from kamerbrief_extract.nlp.pipeline import load_pipeline
from kamerbrief_extract.process import process_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"
XML_FILES = sorted((FIXTURES / "kst-motions").glob("kst-*.xml"))


def _isodate(path: Path) -> dt.date | None:
    match = re.search(r'isodatum="(\d{4}-\d{2}-\d{2})"', path.read_text(encoding="utf-8"))
    return dt.date.fromisoformat(match.group(1)) if match else None


def test_all_xml_motions_give_motion_records() -> None:
    nlp = load_pipeline()
    wrong: list[str] = []
    for path in XML_FILES:
        record = process_file(path, nlp)
        own_id = "kst-" + path.stem.removeprefix("kst-")
        got = (record.meta.doc_type, record.meta.kamerstuk, record.meta.date)
        if got != ("motie", own_id, _isodate(path)):
            wrong.append(f"{path.name}: {got}")
        elif record.motion_document is None or record.motion_document.kamerstuk != own_id:
            wrong.append(f"{path.name}: motion document {record.motion_document}")
    assert len(XML_FILES) == 202
    assert wrong == []


def test_real_kamerstuk_pdf_metadata() -> None:
    record = process_file(FIXTURES / "real-motion-pdf" / "kst-21501-02-3121.pdf")
    assert record.source.kind == "pdf" and record.source.pages == 1
    assert (record.meta.doc_type, record.meta.kamerstuk, record.meta.date) == (
        "motie",
        "kst-21501-02-3121",
        dt.date(2025, 4, 10),
    )
    assert record.motion_document is not None
    assert record.motion_document.submitters == ["Ceder"]
    assert len(record.motion_document.requests) == 1


@pytest.mark.parametrize("kind", ["citations", "municipalities", "commitments"])
def test_pdf_items_carry_page_and_box(kind: str) -> None:
    import sys

    sys.path.insert(0, str(FIXTURES))
    from make_pdfs import cached_fixtures

    record = process_file(cached_fixtures()["letter_000"])
    items = getattr(record, kind)
    assert items
    for item in items:
        assert item.page is not None and item.page >= 1
        assert item.bbox is not None and item.bbox[0] < item.bbox[2] and item.bbox[1] < item.bbox[3]
