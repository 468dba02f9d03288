"""The cleaning stage's product: one text per document that every extractor reads.

The record's `text` is the body (the document's content blocks) followed by the
footnote texts, each footnote its own paragraph. One string keeps one coordinate
system: every extracted item's offsets point into it, whether it sits in the body
or in note 7. Every character maps back to the Document's `source_text`, which is
how the record can say what share of its source reached the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kamerbrief_extract.clean.footnotes import Footnote, FootnoteBlock, attach_footnotes
from kamerbrief_extract.clean.metadata import extract_metadata
from kamerbrief_extract.document import CONTENT_KINDS, Document, text_coverage
from kamerbrief_extract.layout.hyphenation import finish_hyphens, join_line
from kamerbrief_extract.offsets import MappedBuilder

FOOTNOTE_SEPARATOR = "\n\n"
PARAGRAPH_SEPARATOR = "\n\n"
COVERAGE_WARNING = 0.99
"""Below this share of the source's content in the text, the record says what was lost."""


@dataclass(slots=True)
class NoteSpan:
    """A footnote placed in the combined text."""

    note: Footnote
    start: int | None  # offsets of the note's text in CleanDocument.text
    end: int | None


@dataclass(slots=True)
class CleanDocument:
    text: str
    source_map: list[int]  # offset in the Document's source_text of each char of `text`
    body_end: int
    notes: list[NoteSpan]
    page_starts: list[int]  # offset in `text` where each body page starts
    meta: dict[str, str | None]
    colofon: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    coverage: float = 1.0
    """Share of the source's content characters that reached `text`."""

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


def clean_document(document: Document) -> CleanDocument:
    """Document blocks → clean body + numbered footnotes with markers + metadata."""
    builder = MappedBuilder()
    body_pages: list[int] = []
    stated: list[tuple[int, int]] | None = []
    for block in document.blocks:
        if block.kind not in CONTENT_KINDS:
            continue
        page = block.page or 1
        while len(body_pages) < page:
            body_pages.append(len(builder))
        if block.joins_previous and len(builder):
            join_line(builder, block.text)
        else:
            if len(builder):
                builder.insert(PARAGRAPH_SEPARATOR, block.text.source_offset(0))
            start = len(builder)
            if block.markers is None:
                stated = None
            elif stated is not None:
                stated += [(start + m.offset, m.n) for m in block.markers]
            builder.append(block.text)
    body = builder.build()
    if stated is None:
        body = finish_hyphens(body)
    while len(body_pages) < document.pages:
        body_pages.append(len(body))
    note_blocks = [
        FootnoteBlock(
            printed=b.printed or str(b.n or ""),
            text=b.text,
            page=b.page,
            superscript=b.label == "superscript",
            n=b.n if b.printed is None else None,
        )
        for b in document.blocks
        if b.kind == "footnote"
    ]
    attached = attach_footnotes(body, note_blocks, body_pages or [0], stated)
    out = MappedBuilder()
    out.append(attached.body)
    body_end = len(out)
    notes: list[NoteSpan] = []
    for note in attached.footnotes:
        if note.text is None or not note.text.text.strip():
            notes.append(NoteSpan(note, None, None))
            continue
        out.insert(FOOTNOTE_SEPARATOR, note.text.source_offset(0))
        start = len(out)
        out.append(note.text)
        notes.append(NoteSpan(note, start, len(out)))
    combined = out.build()
    meta = extract_metadata(document, attached.body.text)
    warnings = list(document.warnings)
    coverage = text_coverage(document, combined.source)
    if coverage < COVERAGE_WARNING:
        warnings.append(_lost_warning(document, set(combined.source), coverage))
    return CleanDocument(
        text=combined.text,
        source_map=combined.source,
        body_end=body_end,
        notes=notes,
        page_starts=attached.body_pages,
        meta=meta,
        colofon={b.label: b.str for b in document.blocks if b.kind == "colofon" and b.label},
        warnings=warnings,
        coverage=round(coverage, 4),
    )


def _lost_warning(document: Document, reached: set[int], coverage: float) -> str:
    """Name what was lost: the first passages of the source's content not in the text."""
    runs: list[tuple[int, int]] = []
    for offset in document.content():
        if offset in reached:
            continue
        if runs and offset - runs[-1][1] <= 3:
            runs[-1] = (runs[-1][0], offset)
        else:
            runs.append((offset, offset))
    sample = "; ".join(" ".join(document.source_text[s : e + 1].split())[:50] for s, e in runs[:3])
    return (
        f"text coverage {coverage:.1%}: {len(runs)} passage(s) of the source did not reach "
        f"the text, e.g. {sample!r}"
    )
