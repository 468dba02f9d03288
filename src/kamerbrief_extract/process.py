"""One document through the whole pipeline: ingest -> clean -> nlp -> record."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kamerbrief_extract.build import build_record
from kamerbrief_extract.clean.document import clean_document
from kamerbrief_extract.document import Document
from kamerbrief_extract.ingest.errors import IngestError
from kamerbrief_extract.ingest.limits import Limits, document_bounds
from kamerbrief_extract.ingest.text import DEFAULT_MAX_BYTES, read_text_file
from kamerbrief_extract.nlp.components import TEXT_KEY
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


def ingest_file(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, limits: Limits | None = None
) -> Document:
    """Pick the ingestion path by file type; every path fills the same Document."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return read_text_file(path, max_bytes=max_bytes)[1]
    if suffix in XML_SUFFIXES:
        from kamerbrief_extract.ingest.officiele_xml import read_officiele_xml

        return read_officiele_xml(path)
    if suffix in PDF_SUFFIXES:
        from kamerbrief_extract.ingest.pdf import read_pdf

        return read_pdf(path, limits=limits)
    if suffix in IMAGE_SUFFIXES:
        from kamerbrief_extract.ingest.ocr import read_image

        return read_image(path, limits=limits)
    raise IngestError(path, "ingest", f"unsupported file type {suffix or '(none)'}")


SECTION_MARGIN = 10_000


def make_long_doc(nlp: Language, text: str, limit: int | None = None) -> Doc:
    """Tokenize text of any length: sections cut at paragraph breaks, joined into one Doc.

    Our components are linear-time rules, so spaCy's `max_length` (a guard for
    parser and NER memory) only has to hold per section; the joined Doc has
    exactly `text` as its text, so every offset stays valid.
    """
    size = limit if limit is not None else nlp.max_length - SECTION_MARGIN
    if len(text) <= size:
        doc = nlp.make_doc(text)
    else:
        docs: list[Doc] = []
        pos = 0
        while pos < len(text):
            end = _section_end(text, pos, size)
            docs.append(nlp.make_doc(text[pos:end]))
            pos = end
        doc = Doc.from_docs(docs, ensure_whitespace=False)
    doc.user_data[TEXT_KEY] = text  # what doc.text would join from the tokens, given once
    return doc


def _section_end(text: str, pos: int, size: int) -> int:
    """End after a whole run of whitespace (blank line, else newline, else space)."""
    hard = min(len(text), pos + size)
    if hard == len(text):
        return hard
    window = text[pos:hard]
    for sep in ("\n\n", "\n", " "):
        cut = window.rfind(sep)
        if cut > 0:
            end = pos + cut + len(sep)
            while end < len(text) and end - pos < size and text[end].isspace():
                end += 1
            return end
    return hard


class _Clock:
    """Seconds per stage into `timings`, when the caller asks for them (benchmarks)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings

    @contextlib.contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            if self.timings is not None:
                self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - start


def process_ingested(
    ingested: Document,
    source: Source,
    nlp: Language | None = None,
    *,
    timings: dict[str, float] | None = None,
) -> Record:
    """Clean, run the pipeline and build the record; `timings` gets seconds per stage."""
    nlp = nlp or load_pipeline()
    clock = _Clock(timings)
    with clock("clean"):
        clean = clean_document(ingested)
    with clock("tokenize"):
        doc = make_long_doc(nlp, clean.text)
    date = clean.meta.get("date")
    if date:
        doc._.letter_date = dt.date.fromisoformat(date)
    for name, proc in nlp.pipeline:
        with clock(f"nlp.{name}"):
            doc = proc(doc)
    with clock("build"):
        return build_record(doc, clean, ingested, source)


def process_file(
    path: Path,
    nlp: Language | None = None,
    *,
    display_path: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timings: dict[str, float] | None = None,
    limits: Limits | None = None,
) -> Record:
    """Turn one file into a validated record; raises IngestError on bad input.

    The whole document, every path and the pipeline after it, runs within one
    time and memory limit (`limits.document_bounds`).
    """
    limits = limits or Limits()
    nlp = nlp or load_pipeline()  # loading the pipeline is not the document's time
    with document_bounds(path, limits):
        with _Clock(timings)("ingest"):
            ingested = ingest_file(path, max_bytes=max_bytes, limits=limits)
            source = Source(
                path=display_path or path.name,
                sha256=sha256_file(path),
                kind=ingested.source_kind,
                encoding=ingested.metadata.get("encoding"),
                pages=len(ingested.page_starts) if ingested.source_kind in {"pdf", "ocr"} else None,
            )
        return process_ingested(ingested, source, nlp, timings=timings)
