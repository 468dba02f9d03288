"""What every ingestion path hands to the cleaning stage.

All paths (plain text, markdown, PDF text layer, OCR, official XML) produce one
`IngestedText`: a single string in the *layout text* convention that the
cleaning stage understands, plus per-character provenance.

Layout text convention
----------------------
- Pages are separated by a form feed ``\\f``.
- Footnotes sit at the end of their page, each starting on its own line with its
  number (``"3 Kamerstuk 12 345, nr. 6."``); continuation lines follow.
- Footnote markers in the body are Unicode superscript digits (``¹²³``) when the
  path knows them (PDF geometry, XML ``<noot>``); OCR'd text may carry mangled
  markers, which the footnote stage resolves.
- Colofon fields (``Datum``, ``Ons kenmerk``, ``Onderwerp``) appear as lines
  ``Label value`` or ``Label`` followed by the value on the next line.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
    """Where a run of characters of the ingested text came from on the page."""

    start: int
    end: int
    box: Box
    confidence: float | None = None  # OCR word confidence 0..100, None for text layers


@dataclass(slots=True)
class IngestedText:
    """A document's text in layout-text form, with provenance."""

    text: str
    source_kind: str  # "text" | "markdown" | "pdf" | "ocr" | "xml"
    page_starts: list[int] = field(default_factory=lambda: [0])
    """Offset in `text` where each page begins (page i+1 starts at page_starts[i])."""
    words: list[WordProvenance] = field(default_factory=list)
    """Optional word boxes, sorted by start offset (PDF and OCR paths)."""
    metadata: dict[str, str] = field(default_factory=dict)
    """Metadata the container states outright (XML <meta>, PDF colofon column)."""
    warnings: list[str] = field(default_factory=list)
    source_map: list[int] | None = None
    """Offset in the original file's decoded text of each character of `text`
    (text and markdown paths); None when `text` is itself the source (PDF, OCR, XML)."""

    def page_of(self, offset: int) -> int:
        """1-based page number of a character offset."""
        import bisect

        return max(1, bisect.bisect_right(self.page_starts, offset))
