"""What the geometry of a page shows: the lines' roles, for the layout engine.

A PDF's text layer and an OCR'd scan both give words with boxes and font sizes.
A Rijksoverheid letter is laid out, not written linearly: a body column, a
narrow colofon column at the right (Datum, Ons kenmerk, addresses), running
headers and footers, raised footnote markers, and footnotes in smaller type at
the foot of the page under a short rule — in the official Kamerstuk layout just
above the "Tweede Kamer, vergaderjaar …" footer. This module reads those
features from positions, sizes and repetition across pages — never from the
wording of particular documents — and hands the engine lines with a `role`.

Raised small numbers after a word are footnote markers: they are written as
superscript digits (``jl.¹``) so the footnote stage knows them for what they are.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kamerbrief_extract.document import Box, Document, WordProvenance, content_outside_furniture
from kamerbrief_extract.layout.engine import COLOFON_LABELS, Line, LineRole, layout_lines
from kamerbrief_extract.offsets import MappedText

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

HEADER_BAND = 0.09  # top and bottom fraction of the page where running heads live
HEAD_SHARE = 0.4  # running heads repeat on at least this share of the pages
SUP_SIZE_RATIO = 0.8
NOTE_SIZE_RATIO = 0.92

PAGE_NUMBER = re.compile(
    r"^(?:(?:pagina|page|blad|blz\.?)\s*\d{1,4}(?:\s*(?:van|of|/)\s*\d{1,4})?|[-–]?\s*\d{1,4}\s*[-–]?)$",
    re.IGNORECASE,
)
_LABELS = sorted(COLOFON_LABELS, key=len, reverse=True)


@dataclass(frozen=True, slots=True)
class Word:
    """A word on a page in PDF points (top-left origin); ``size`` is its font size."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    sup: bool = False
    conf: float | None = None
    space_before: bool = True
    """False when the word is glued to the one before ("toets" then a raised "6")."""


@dataclass(frozen=True, slots=True)
class PageLines:
    """One page as line fragments (words of one line within one column)."""

    number: int
    width: float
    height: float
    lines: tuple[tuple[Word, ...], ...]
    rules: tuple[tuple[float, float, float], ...] = ()
    """Horizontal rules as (x0, x1, y)."""
    hidden: int = 0
    """Characters of the text layer under redaction boxes, left out."""


@dataclass(slots=True)
class GeometryResult:
    """The pages as source text, word boxes and lines with roles."""

    source_text: str
    page_starts: list[int]
    words: list[WordProvenance]
    pages: list[list[Line]]
    readable: list[int] = field(default_factory=list)
    """Offsets of the characters that were read (OCR: with enough confidence)."""


def line_text(line: Sequence[Word]) -> str:
    return " ".join(w.text for w in line)


def line_size(line: Sequence[Word]) -> float:
    sizes = [w.size for w in line if not w.sup] or [w.size for w in line]
    return statistics.median(sizes)


def body_size(lines: Iterable[Sequence[Word]]) -> float:
    """Font size carrying most characters: the body text's."""
    weight: Counter[float] = Counter()
    for line in lines:
        for w in line:
            if not w.sup:
                weight[round(w.size * 2) / 2] += len(w.text)
    return weight.most_common(1)[0][0] if weight else 10.0


def _label_of(text: str) -> str | None:
    low = text.lower()
    for label in _LABELS:
        if low == label or low.rstrip(":") == label:
            return label
        if low.startswith(label) and len(text) > len(label) and text[len(label)] in " :\t":
            return label
    return None


# --- colofon column -------------------------------------------------------- #


def _column_start(page: PageLines) -> float | None:
    """Left edge of a right-hand column no body line crosses, if there is one."""
    lo, hi = 0.5 * page.width, 0.9 * page.width
    starts = sorted({round(line[0].x0, 1) for line in page.lines if lo <= line[0].x0 <= hi})
    for g in starts:
        crossing = sum(1 for line in page.lines if line[0].x0 < g - 4 and line[-1].x1 > g)
        if crossing == 0:
            return g
    return None


def _split_colofon(
    page: PageLines, known_starts: list[float]
) -> tuple[list[tuple[Word, ...]], list[tuple[Word, ...]]]:
    """(body lines, colofon lines). A column is a colofon when it is narrow and
    holds a label, or sits where another page's colofon did."""
    g = _column_start(page)
    if g is None:
        return list(page.lines), []
    right = [ln for ln in page.lines if ln[0].x0 >= g - 2]
    left = [ln for ln in page.lines if ln[0].x0 < g - 2]
    narrow = page.width - g <= 0.45 * page.width
    has_label = any(_label_of(line_text(ln)) for ln in right)
    seen = any(abs(g - k) < 15 for k in known_starts) and len(right) >= 2
    if narrow and left and (has_label or seen):
        return left, right
    return list(page.lines), []


# --- running heads ---------------------------------------------------------- #


_LEADING_NUMBER = re.compile(r"^(\d{1,4})\s*[|·•–-]?\s*")
_TRAILING_NUMBER = re.compile(r"\s*\d{1,4}\s*$")


def _norm_head(text: str) -> tuple[str, int | None]:
    """A running head's text without the page number that ends it, and that number.

    A leading number ("12 | Title") is a page number too: the caller only takes
    numbered lines for running heads where the numbers count up with the pages, which
    a footnote that repeats on the next page ("2 Kamerstuk …") never does.
    """
    text = re.sub(r"\s+", " ", text.strip().lower())
    text = re.sub(r"\b(pagina|page|blad|blz\.?)\s*\d+", r"\1 #", text)
    match = _TRAILING_NUMBER.search(text)
    if match and match.start() > 0:
        return text[: match.start()], int(match.group())
    leading = _LEADING_NUMBER.match(text)
    if leading and leading.end() < len(text):
        return "# " + text[leading.end() :], int(leading.group(1))
    return text, None


def _running_heads(
    pages: Sequence[list[tuple[Word, ...]]], dims: Sequence[tuple[float, float]]
) -> dict[tuple[int, int], str]:
    """(page index, line index) → reason, for lines of the header and footer bands
    that repeat across pages (their page numbers counting up with the pages), page
    numbers, and the publisher's block that stands beside a repeated footer."""
    seen: dict[str, list[tuple[int, int, float, int | None]]] = {}
    drop: dict[tuple[int, int], str] = {}
    for p, lines in enumerate(pages):
        h = dims[p][1]
        for i, ln in enumerate(lines):
            if ln[0].top > HEADER_BAND * h and ln[-1].bottom < (1 - HEADER_BAND) * h:
                continue
            text = line_text(ln)
            if PAGE_NUMBER.match(text.strip()):
                drop[(p, i)] = "page number"
                continue
            key, number = _norm_head(text)
            seen.setdefault(key, []).append((p, i, ln[0].top, number))
    footer_top: dict[int, float] = {}
    # A running head stands on most pages (odd or even ones at least), not on two
    # pages by chance as a repeated footnote line might.
    needed = max(2, round(HEAD_SHARE * len(pages)))
    for hits in seen.values():
        for p, i, top, number in hits:
            same = [
                q
                for q, _, t, m in hits
                if abs(t - top) < 8
                and (
                    (number is None and m is None)
                    or (number is not None and m is not None and m - number == q - p)
                )
            ]
            if len(set(same)) >= needed:
                drop[(p, i)] = "running head"
                if top > 0.5 * dims[p][1]:
                    footer_top[p] = min(footer_top.get(p, top), top)
    # The publisher's block beside a running footer (ids, ISSN, place and year) is
    # furniture too: whatever in the bottom band reaches down to the footer's level.
    for p, lines in enumerate(pages):
        if p not in footer_top:
            continue
        h = dims[p][1]
        for i, ln in enumerate(lines):
            if (p, i) in drop or ln[0].top < (1 - HEADER_BAND) * h:
                continue
            size = line_size(ln)
            if ln[-1].bottom >= footer_top[p] - 2 * size and ln[0].top >= footer_top[p] - 4 * size:
                drop[(p, i)] = "publication footer"
    return drop


# --- footnote zone ---------------------------------------------------------- #


_OCR_NOTE_NUMBER = re.compile(r"^(?:\d{1,3}|[TIl]|['’‘\"“”?%*®©¢°^]{1,2})$")
"""What OCR makes of a small note number ("l" for 1, "¢" for 9), as in text copies of scans."""


def _starts_note(line: Sequence[Word]) -> bool:
    first = line[0].text
    if line[0].conf is not None and len(line) > 1 and _OCR_NOTE_NUMBER.match(first):
        return True
    return bool(
        re.fullmatch(r"\d{1,3}", first)
        or (re.match(r"^\d{1,3}[^\W\d_]", first) and line[0].sup)
        or (line[0].sup and first.isdigit())
    )


def _footnote_zone(
    lines: list[tuple[Word, ...]], page: PageLines, body: float, footer_top: float | None
) -> int:
    """Index (in top-sorted lines) where the footnotes begin; len(lines) if none."""
    n = len(lines)
    if not n:
        return 0
    for x0, x1, y in sorted(page.rules, key=lambda r: r[2]):
        if y < 0.4 * page.height or not (20 <= x1 - x0 <= 0.6 * page.width):
            continue
        if footer_top is not None and y >= footer_top - 1:
            continue
        below = [i for i, ln in enumerate(lines) if ln[0].top >= y - 1]
        if not below or not _starts_note(lines[below[0]]):
            continue
        if all(line_size(lines[i]) < NOTE_SIZE_RATIO * body for i in below):
            return below[0]
    # No rule: the trailing run of small-type lines, opened by a numbered line.
    i = n
    while i > 0 and line_size(lines[i - 1]) < NOTE_SIZE_RATIO * body:
        i -= 1
    while i < n and not _starts_note(lines[i]):
        i += 1
    if i < n and lines[i][0].top > 0.4 * page.height:
        return i
    return n


# --- lines ------------------------------------------------------------------ #


def _baseline(line: Sequence[Word]) -> float:
    plain = [w.bottom for w in line if not w.sup]
    return max(plain) if plain else line[-1].bottom


def _merge_same_baseline(lines: list[tuple[Word, ...]]) -> list[tuple[Word, ...]]:
    """Fragments on one baseline (split by a wide gap) become one line, left to right."""
    out: list[tuple[Word, ...]] = []
    for ln in sorted(lines, key=lambda ln: (ln[-1].bottom, ln[0].x0)):
        if out and abs(_baseline(ln) - _baseline(out[-1])) < 0.3 * line_size(ln):
            out[-1] = tuple(sorted(out[-1] + ln, key=lambda w: w.x0))
            continue
        out.append(ln)
    return sorted(out, key=lambda ln: min(w.top for w in ln))


def _leading(lines: list[tuple[Word, ...]], body: float) -> float:
    """The usual distance between baselines: line spacing within a paragraph."""
    deltas = [
        _baseline(b) - _baseline(a)
        for a, b in itertools.pairwise(lines)
        if 0.8 * body < _baseline(b) - _baseline(a) < 2.5 * body
    ]
    return statistics.median(deltas) if deltas else 1.4 * body


class _Emitter:
    """Writes the pages' words into one source text, remembering every word's box."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.words: list[WordProvenance] = []

    def put(self, text: str, box: Box | None = None, conf: float | None = None) -> None:
        if box is not None and text.strip():
            self.words.append(WordProvenance(self.pos, self.pos + len(text), box, conf))
        self.parts.append(text)
        self.pos += len(text)

    def line(self, words: Sequence[Word], page: int, *, note: bool = False) -> MappedText:
        """Write one line; a raised number becomes superscript digits (a body marker, or
        the note's own number at the start of a note line)."""
        start = self.pos
        pieces: list[str] = []
        for j, w in enumerate(words):
            if w.sup and (j == 0 or not note):
                piece = w.text.translate(SUPERSCRIPT)
            else:
                if j and w.space_before:
                    self.put(" ")
                    pieces.append(" ")
                piece = w.text
            self.put(piece, Box(page, w.x0, w.top, w.x1, w.bottom), w.conf)
            pieces.append(piece)
        end = self.pos
        self.put("\n")
        return MappedText("".join(pieces), list(range(start, end)))


def _mean_conf(line: Sequence[Word]) -> float | None:
    confs = [w.conf for w in line if w.conf is not None]
    return sum(confs) / len(confs) if confs else None


def _box(line: Sequence[Word], page: int) -> Box:
    return Box(
        page,
        min(w.x0 for w in line),
        min(w.top for w in line),
        max(w.x1 for w in line),
        max(w.bottom for w in line),
    )


@dataclass(slots=True)
class _PageWriter:
    """Writes one page's lines into the emitter and keeps them as engine lines."""

    em: _Emitter
    page: PageLines
    min_conf: float | None
    lines: list[Line] = field(default_factory=list)
    readable: list[int] = field(default_factory=list)

    def write(
        self,
        ln: Sequence[Word],
        role: LineRole,
        *,
        note: bool = False,
        blank: bool = False,
        label: str | None = None,
    ) -> None:
        number = self.page.number
        text = self.em.line(ln, number, note=note)
        self.lines.append(
            Line(
                text,
                number,
                blank_before=blank,
                role=role,
                label=label,
                size=line_size(ln),
                box=_box(ln, number),
                confidence=_mean_conf(ln),
            )
        )
        self.readable.extend(_content_chars(text, ln, self.min_conf))


def _without_heads(
    pages: Sequence[PageLines], split: list[tuple[list[tuple[Word, ...]], list[tuple[Word, ...]]]]
) -> list[tuple[list[tuple[Word, ...]], list[tuple[tuple[Word, ...], str]]]]:
    """Per page: the body lines (fragments on one baseline merged) and the running
    heads with their reasons. Heads are found among the fragments, before merging:
    a page number far left of a footer is a fragment of its own."""
    fragments = [sorted(body, key=lambda ln: (ln[0].top, ln[0].x0)) for body, _ in split]
    heads = _running_heads(fragments, [(p.width, p.height) for p in pages])
    out = []
    for p, frags in enumerate(fragments):
        kept = _merge_same_baseline([ln for i, ln in enumerate(frags) if (p, i) not in heads])
        dropped = [(ln, heads[(p, i)]) for i, ln in enumerate(frags) if (p, i) in heads]
        out.append((kept, dropped))
    return out


def read_geometry(pages: Sequence[PageLines], *, min_conf: float | None = None) -> GeometryResult:
    """Pages of word lines → source text with word boxes, and lines with their roles.

    `min_conf` (OCR): words below this confidence do not count as readable text.
    """
    known_starts: list[float] = []
    for page in pages:  # pages with a labelled colofon teach where the column sits
        _, col = _split_colofon(page, [])
        if col:
            known_starts.append(min(ln[0].x0 for ln in col))
    split = [_split_colofon(p, known_starts) for p in pages]
    em = _Emitter()
    page_starts: list[int] = []
    out_pages: list[list[Line]] = []
    readable: list[int] = []
    for p, (page, (body_lines, heads)) in enumerate(
        zip(pages, _without_heads(pages, split), strict=True)
    ):
        if p:
            em.put("\f")
        page_starts.append(em.pos)
        writer = _PageWriter(em, page, min_conf)
        middle = 0.5 * page.height
        footer_tops = [
            ln[0].top for ln, why in heads if why == "running head" and ln[0].top > middle
        ]
        for ln, why in heads:
            if ln[0].top < middle:
                writer.write(ln, "furniture", label=why)
        colofon = sorted(split[p][1], key=lambda ln: (ln[0].top, ln[0].x0))
        col_size = body_size(colofon) if colofon else 0.0
        for k, ln in enumerate(colofon):
            gap = ln[0].top - colofon[k - 1][-1].bottom if k else 99.0
            writer.write(ln, "colofon", blank=gap > 0.9 * col_size)
        if body_lines:
            size = body_size(body_lines)
            cut = _footnote_zone(body_lines, page, size, min(footer_tops) if footer_tops else None)
            main, notes = body_lines[:cut], body_lines[cut:]
            lead = _leading(main, size)
            for k, ln in enumerate(main):
                blank = k == 0 or _baseline(ln) - _baseline(main[k - 1]) > 1.45 * lead
                writer.write(ln, "body", blank=blank)
            for k, ln in enumerate(notes):
                writer.write(ln, "note", note=True, blank=k == 0)
        for ln, why in heads:
            if ln[0].top >= middle:
                writer.write(ln, "furniture", label=why)
        out_pages.append(writer.lines)
        readable += writer.readable
    return GeometryResult("".join(em.parts), page_starts, em.words, out_pages, readable)


def _content_chars(text: MappedText, words: Sequence[Word], min_conf: float | None) -> list[int]:
    """Offsets of the line's non-space characters, less unsure OCR words."""
    if min_conf is None or all(w.conf is None for w in words):
        return [s for ch, s in zip(text.text, text.source, strict=True) if not ch.isspace()]
    out: list[int] = []
    pos = 0
    for w in words:
        at = text.text.find(w.text.translate(SUPERSCRIPT) if w.sup else w.text, pos)
        if at < 0:
            continue
        if w.conf is None or w.conf >= min_conf:
            out.extend(text.source[at + k] for k in range(len(w.text)) if not w.text[k].isspace())
        pos = at + len(w.text)
    return out


def geometry_document(
    pages: Sequence[PageLines], source_kind: str, warnings: list[str], *, min_conf: float | None
) -> Document:
    """Pages of word lines → the Document: geometry, then the shared layout engine."""
    geometry = read_geometry(pages, min_conf=min_conf)
    blocks = layout_lines(geometry.pages)
    return Document(
        source_kind=source_kind,
        source_text=geometry.source_text,
        blocks=blocks,
        page_starts=geometry.page_starts,
        words=geometry.words,
        warnings=warnings,
        content_offsets=content_outside_furniture(geometry.readable, blocks),
    )
