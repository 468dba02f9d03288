"""One document through the whole pipeline: ingest -> clean -> nlp -> record."""

from __future__ import annotations

import hashlib
from pathlib import Path

from spacy.language import Language

from kamerbrief_extract.build import build_record
from kamerbrief_extract.clean.document import clean_document
from kamerbrief_extract.ingest.base import IngestedText
from kamerbrief_extract.ingest.errors import IngestError
from kamerbrief_extract.ingest.text import DEFAULT_MAX_BYTES, read_text_file
from kamerbrief_extract.nlp.pipeline import load_pipeline
from kamerbrief_extract.records import Record, Source

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
XML_SUFFIXES = frozenset({".xml"})
PDF_SUFFIXES = frozenset({".pdf"})
IMAGE_SUFFIXES = frozenset({".png", ".tif", ".tiff", ".jpg", ".jpeg"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | XML_SUFFIXES | PDF_SUFFIXES | IMAGE_SUFFIXES


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ingest_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> IngestedText:
    """Pick the ingestion path by file type; every path returns layout text."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return read_text_file(path, max_bytes=max_bytes)[1]
    if suffix in XML_SUFFIXES:
        from kamerbrief_extract.ingest.officiele_xml import read_officiele_xml

        return read_officiele_xml(path)
    if suffix in PDF_SUFFIXES:
        from kamerbrief_extract.ingest.pdf import read_pdf

        return read_pdf(path)
    if suffix in IMAGE_SUFFIXES:
        from kamerbrief_extract.ingest.ocr import read_image

        return read_image(path)
    raise IngestError(path, "ingest", f"unsupported file type {suffix or '(none)'}")


def process_ingested(ingested: IngestedText, source: Source, nlp: Language | None = None) -> Record:
    nlp = nlp or load_pipeline()
    clean = clean_document(ingested)
    doc = nlp.make_doc(clean.text)
    date = clean.meta.get("date")
    if date:
        import datetime as dt

        doc._.letter_date = dt.date.fromisoformat(date)
    if len(clean.text) > nlp.max_length:
        raise IngestError(source.path, "nlp", f"text of {len(clean.text)} characters is too long")
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return build_record(doc, clean, ingested, source)


def process_file(
    path: Path,
    nlp: Language | None = None,
    *,
    display_path: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Record:
    """Turn one file into a validated record; raises IngestError on bad input."""
    ingested = ingest_file(path, max_bytes=max_bytes)
    source = Source(
        path=display_path or path.name,
        sha256=sha256_file(path),
        kind=ingested.source_kind,
        encoding=ingested.metadata.get("encoding"),
        pages=len(ingested.page_starts) if ingested.source_kind in {"pdf", "ocr"} else None,
    )
    return process_ingested(ingested, source, nlp)
