"""The cleaning stage's product: one text per document that every extractor reads.

The record's `text` is the clean body followed by the footnote texts, each
footnote its own paragraph. One string keeps one coordinate system: every
extracted item's offsets point into it, whether it sits in the body or in note 7.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kamerbrief_extract.clean.footnotes import Footnote, attach_footnotes
from kamerbrief_extract.clean.layout import read_layout
from kamerbrief_extract.clean.metadata import extract_metadata
from kamerbrief_extract.ingest.base import IngestedText
from kamerbrief_extract.offsets import MappedBuilder, MappedText

FOOTNOTE_SEPARATOR = "\n\n"


@dataclass(slots=True)
class NoteSpan:
    """A footnote placed in the combined text."""

    note: Footnote
    start: int | None  # offsets of the note's text in CleanDocument.text
    end: int | None


@dataclass(slots=True)
class CleanDocument:
    text: str
    source_map: list[int]  # offset in the ingested source of each char of `text`
    body_end: int
    notes: list[NoteSpan]
    page_starts: list[int]  # offset in `text` where each body page starts
    meta: dict[str, str | None]
    colofon: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def footnote_at(self, offset: int) -> int | None:
        """The number of the footnote whose text contains offset, None in the body."""
        if offset < self.body_end:
            return None
        for span in self.notes:
            if span.start is not None and span.end is not None and span.start <= offset < span.end:
                return span.note.n
        return None

    def page_at(self, offset: int) -> int | None:
        if offset >= self.body_end:
            for span in self.notes:
                if (
                    span.start is not None
                    and span.end is not None
                    and span.start <= offset < span.end
                ):
                    return span.note.page
            return None
        page = 1
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i + 1
        return page


def clean_document(ingested: IngestedText) -> CleanDocument:
    """Layout text -> clean body + numbered footnotes with markers + metadata."""
    source = ingested.source_map or list(range(len(ingested.text)))
    layout = read_layout(MappedText(ingested.text, source), ingested.page_starts)
    attached = attach_footnotes(layout.body, layout.footnote_blocks, layout.body_pages)
    builder = MappedBuilder()
    builder.append(attached.body)
    body_end = len(builder)
    notes: list[NoteSpan] = []
    for note in attached.footnotes:
        if note.text is None or not note.text.text.strip():
            notes.append(NoteSpan(note, None, None))
            continue
        builder.insert(FOOTNOTE_SEPARATOR, note.text.source_offset(0))
        start = len(builder)
        builder.append(note.text)
        notes.append(NoteSpan(note, start, len(builder)))
    combined = builder.build()
    meta = extract_metadata(layout, attached.body.text, ingested.text[:3000])
    # What the container states outright (XML <meta>, a PDF's colofon column) beats a guess
    # from the running text.
    for key, value in ingested.metadata.items():
        if key in meta and value:
            meta[key] = value
    return CleanDocument(
        text=combined.text,
        source_map=combined.source,
        body_end=body_end,
        notes=notes,
        page_starts=attached.body_pages,
        meta=meta,
        colofon=dict(layout.colofon),
        warnings=list(ingested.warnings),
    )
