"""The document model that every ingestion path fills.

Official XML states its structure outright; a PDF's text layer and an OCR'd scan
give lines with geometry; a text copy gives lines without. Each path ends in the
same `Document`: a list of typed blocks (title, paragraph, footnote with its
number, colofon field, running header, signature, question, answer …), each
with its page, box and font size where known, and with every character mapped
back to an offset in `source_text`. Cleaning, footnotes and extraction read this
model, never the container.

`source_text` is the text the ingest path read: the decoded file for text
copies (through `source_map`), the text layer or OCR words for PDF and images,
the text nodes of an XML file. `content_chars` counts what of it is content
(body and notes, not furniture), so the record can say how much reached its text.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from kamerbrief_extract.offsets import MappedText

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUPERSCRIPTS = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹")
"""Footnote markers: the footnote stage removes them from the text, by design."""
_SUPERSCRIPT_CODES = np.array(sorted(ord(c) for c in _SUPERSCRIPTS), dtype=np.uint32)
# Every character str.isspace() accepts lies below U+3001 (tests check the whole range).
_SPACE_CODES = np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)


def code_points(text: str) -> np.ndarray:
    """The text's characters as an array of code points (one per str index)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def non_space_offsets(text: str) -> list[int]:
    """Offsets of the characters that are not whitespace (`not ch.isspace()`), in order."""
    return np.flatnonzero(~np.isin(code_points(text), _SPACE_CODES)).tolist()


BlockKind = Literal[
    "title",
    "heading",
    "paragraph",
    "list_item",
    "footnote",
    "colofon",
    "letterhead",
    "dateline",
    "furniture",
    "signature",
    "table_cell",
    "question",
    "answer",
]
"""What a block is. Blocks of `CONTENT_KINDS` reach the record's text."""

CONTENT_KINDS: frozenset[str] = frozenset(
    {
        "title",
        "heading",
        "paragraph",
        "list_item",
        "signature",
        "table_cell",
        "question",
        "answer",
    }
)
"""Running text of the document; footnotes follow it in the record's text."""


@dataclass(frozen=True, slots=True)
class Box:
    """A bounding box in PDF points (x0, top, x1, bottom) on a 1-based page."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True, slots=True)
class WordProvenance:
    """Where a run of characters of `source_text` came from on the page."""

    start: int
    end: int
    box: Box
    confidence: float | None = None  # OCR word confidence 0..100, None for text layers


@dataclass(frozen=True, slots=True)
class NoteMarker:
    """A footnote marker the container states (XML `<noot>`): note `n` at `offset`.

    The marker's characters are not in the block's text; `offset` is where they stood.
    """

    offset: int
    n: int


@dataclass(slots=True)
class Block:
    """One unit of the document, as its layout or its markup gives it."""

    kind: BlockKind
    text: MappedText
    page: int | None = None
    box: Box | None = None
    font_size: float | None = None
    n: int | None = None
    """The footnote's number; for questions and answers, their number."""
    printed: str | None = None
    """A footnote's number as printed (OCR may have mangled it); None when stated."""
    label: str | None = None
    """Colofon field (`date_text`, `kenmerk`, `subject` …), furniture reason, XML role."""
    markers: tuple[NoteMarker, ...] | None = None
    """Footnote markers stated by the container; None when they must be found in the text."""
    joins_previous: bool = False
    """The block continues the previous content block (a sentence cut by a page break)."""

    @property
    def str(self) -> str:
        return self.text.text


@dataclass(slots=True)
class Document:
    """A document as every ingestion path hands it to cleaning."""

    source_kind: str  # "text" | "markdown" | "pdf" | "ocr" | "xml"
    source_text: str
    blocks: list[Block] = field(default_factory=list)
    page_starts: list[int] = field(default_factory=lambda: [0])
    """Offset in `source_text` where each page begins."""
    words: list[WordProvenance] = field(default_factory=list)
    """Word boxes, sorted by start offset (PDF and OCR paths)."""
    metadata: dict[str, str] = field(default_factory=dict)
    """What the container states outright (XML elements and <meta>, a PDF's colofon)."""
    warnings: list[str] = field(default_factory=list)
    source_map: list[int] | None = None
    """Offset in the decoded file of each character of `source_text` (text copies);
    None when `source_text` is itself what the path read (PDF, OCR, XML)."""
    content_offsets: list[int] | None = None
    """Offsets in `source_text` of the characters that are content (body and notes,
    not furniture, markers or whitespace); None means every non-space character."""

    @property
    def pages(self) -> int:
        return len(self.page_starts)

    def page_of(self, offset: int) -> int:
        """1-based page number of an offset into `source_text`."""
        return max(1, bisect.bisect_right(self.page_starts, offset))

    def content(self) -> list[int]:
        """Offsets of the content characters (see `content_offsets`)."""
        if self.content_offsets is not None:
            return self.content_offsets
        return non_space_offsets(self.source_text)

    def of_kind(self, *kinds: str) -> list[Block]:
        return [b for b in self.blocks if b.kind in kinds]

    @property
    def text(self) -> str:
        """The blocks as plain layout text: one paragraph per block, stated footnote
        markers as superscript digits, the footnotes last ("3 Kamerstuk …"), furniture
        left out. For parsers that read a document's head as printed (motion titles)."""
        paragraphs: list[str] = []
        notes: list[str] = []
        for block in self.blocks:
            if block.kind == "furniture" or block.kind == "colofon":
                continue
            if block.kind == "footnote":
                notes.append(f"{block.printed or block.n} {block.str}")
                continue
            text = block.str
            for marker in sorted(block.markers or (), key=lambda m: -m.offset):
                sup = str(marker.n).translate(_SUPERSCRIPT)
                text = text[: marker.offset] + sup + text[marker.offset :]
            if block.joins_previous and paragraphs:
                paragraphs[-1] += " " + text
            else:
                paragraphs.append(text)
        body = "\n\n".join(paragraphs)
        return body + ("\n\n" + "\n".join(notes) if notes else "")


FURNITURE_KINDS: frozenset[str] = frozenset({"furniture", "colofon", "letterhead", "dateline"})
"""Blocks that are page furniture or metadata: kept in the Document, not in the text."""


def content_outside_furniture(readable: Iterable[int], blocks: Iterable[Block]) -> list[int]:
    """The readable offsets of a source that no furniture block claims: what the record's
    text must keep. Whatever the layout put in no block at all counts as content, so
    text that a layout rule loses shows up in the coverage."""
    furniture = [s for b in blocks if b.kind in FURNITURE_KINDS for s in b.text.source]
    offsets = np.fromiter(readable, dtype=np.int64)
    if furniture and offsets.size:
        offsets = offsets[~_members(offsets, np.array(furniture, dtype=np.int64))]
    return np.sort(offsets, kind="stable").tolist()


def _members(values: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """`np.isin(values, pool)` for non-negative offsets, through a table instead of sorting."""
    if not values.size or int(values.min()) < 0:
        return np.isin(values, pool)
    top = int(values.max())
    table = np.zeros(top + 1, dtype=bool)
    table[pool[(pool >= 0) & (pool <= top)]] = True
    return table[values]


def text_coverage(document: Document, reached: Iterable[int]) -> float:
    """Share of the document's content characters whose source offsets reached the text."""
    offsets = np.array(document.content(), dtype=np.int64)
    if offsets.size:
        marker = np.isin(code_points(document.source_text)[offsets], _SUPERSCRIPT_CODES)
        offsets = offsets[~marker]
    if not offsets.size:
        return 1.0
    got = np.fromiter(reached, dtype=np.int64)
    return int(_members(offsets, got).sum()) / int(offsets.size)
