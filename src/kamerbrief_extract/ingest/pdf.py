"""PDF letters to layout text, through the geometry of the text layer.

A Rijksoverheid letter is laid out, not written linearly: a body column, a
narrow colofon column at the right (Datum, Ons kenmerk, Onderwerp, addresses),
running headers and footers, raised footnote markers and footnotes in smaller
type under a short rule. Plain text extraction interleaves all of it. Here the
page is rebuilt from word boxes into the layout-text convention of
``base.py``; the same layout engine serves OCR'd pages (``ocr.py``), which only
differ in how words and lines are found.

Pages whose text layer is missing or not Dutch text (cid glyphs, junk left by
bad OCR software) are OCR'd when ``ocr="auto"``.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kamerbrief_extract.ingest.base import Box, IngestedText, WordProvenance
from kamerbrief_extract.ingest.errors import IngestError
from kamerbrief_extract.ingest.limits import Limits, check_file, run_bounded

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

# Labels of the colofon column, lower case; value is on the same or the next lines.
COLOFON_LABELS: dict[str, str | None] = {
    "datum": "date_text",
    "ons kenmerk": "kenmerk",
    "kenmerk": "kenmerk",
    "onderwerp": "subject",
    "uw kenmerk": None,
    "uw brief": None,
    "uw brief van": None,
    "bijlage": None,
    "bijlagen": None,
    "bijlage(n)": None,
    "contactpersoon": None,
    "behandeld door": None,
    "inlichtingen": None,
    "doorkiesnummer": None,
    "telefoon": None,
    "e-mail": None,
    "referentie": None,
    "afschrift aan": None,
    "ons nummer": None,
}
EMITTED_LABEL = {"date_text": "Datum", "kenmerk": "Ons kenmerk", "subject": "Onderwerp"}

# Lines that are page numbers wherever they sit in the header or footer band.
PAGE_NUMBER = re.compile(
    r"^(?:(?:pagina|page|blad|blz\.?)\s*\d{1,4}(?:\s*(?:van|of|/)\s*\d{1,4})?|[-–]?\s*\d{1,4}\s*[-–]?)$",
    re.IGNORECASE,
)
FOOTNOTE_START = re.compile(r"^\d{1,3}$")
LETTER_WORD = re.compile(r"^[(\[«„“‘'\"]*[^\W\d_]+(?:[-'’][^\W\d_]+)*[.,;:!?)\]»”’'\"]*$")
FUNCTION_WORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "van",
        "en",
        "in",
        "is",
        "dat",
        "op",
        "te",
        "voor",
        "met",
        "zijn",
        "niet",
        "die",
        "aan",
        "er",
        "om",
        "ook",
        "als",
        "bij",
        "door",
        "of",
        "naar",
        "dit",
        "worden",
        "wordt",
        "zal",
        "ik",
        "u",
        "uw",
        "we",
        "wij",
        "over",
        "tot",
    ]
)

HEADER_BAND = 0.09  # top and bottom fraction of the page where running heads live
SUP_SIZE_RATIO = 0.8
NOTE_SIZE_RATIO = 0.9


# --------------------------------------------------------------------------- #
# Geometry shared with the OCR path


@dataclass(frozen=True, slots=True)
class Word:
    """A word on a page in PDF points; ``size`` is the (estimated) font size."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    sup: bool = False
    conf: float | None = None


@dataclass(frozen=True, slots=True)
class PageLines:
    """One page as line fragments (words of one line within one column)."""

    number: int
    width: float
    height: float
    lines: tuple[tuple[Word, ...], ...]
    rules: tuple[tuple[float, float, float], ...] = ()
    """Horizontal rules as (x0, x1, y)."""


@dataclass(slots=True)
class LayoutResult:
    text: str
    page_starts: list[int]
    words: list[WordProvenance]
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _line_text(line: Sequence[Word]) -> str:
    return " ".join(w.text for w in line)


def _size(line: Sequence[Word]) -> float:
    sizes = [w.size for w in line if not w.sup] or [w.size for w in line]
    return statistics.median(sizes)


def _body_size(lines: Iterable[Sequence[Word]]) -> float:
    """Font size carrying most characters: the body text's."""
    weight: Counter[float] = Counter()
    for line in lines:
        for w in line:
            if not w.sup:
                weight[round(w.size * 2) / 2] += len(w.text)
    return weight.most_common(1)[0][0] if weight else 10.0


def _label_of(text: str) -> tuple[str, str] | None:
    """('datum', '4 november 2022') for a colofon line that starts with a label."""
    low = text.lower().rstrip(":")
    for label in sorted(COLOFON_LABELS, key=len, reverse=True):
        if low == label:
            return label, ""
        if low.startswith(label) and len(text) > len(label) and text[len(label)] in " :\t":
            return label, text[len(label) :].lstrip(" :\t")
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
    has_label = any(_label_of(_line_text(ln)) for ln in right)
    seen = any(abs(g - k) < 15 for k in known_starts) and len(right) >= 2
    if narrow and left and (has_label or seen):
        return left, right
    return list(page.lines), []


def _colofon_fields(lines: list[tuple[Word, ...]]) -> dict[str, list[Word]]:
    """Label → words of its value (value on the label's line or the lines below)."""
    out: dict[str, list[Word]] = {}
    lines = sorted(lines, key=lambda ln: (ln[0].top, ln[0].x0))
    current: str | None = None
    last_bottom = 0.0
    for ln in lines:
        text = _line_text(ln)
        hit = _label_of(text)
        if hit:
            label, value = hit
            current = COLOFON_LABELS[label]
            if current and current not in out:
                n_label = len(label.split())
                out[current] = list(ln[n_label:]) if value else []
            elif current:
                current = None  # a field seen before: keep the first
            last_bottom = ln[-1].bottom
            continue
        gap = ln[0].top - last_bottom
        if current and (gap < 1.2 * _size(ln)):
            if current == "subject" or not out[current]:
                out[current].extend(ln)
            last_bottom = ln[-1].bottom
        else:
            current = None
    return {k: v for k, v in out.items() if v}


# --- running heads ---------------------------------------------------------- #


PAGE_WORD = re.compile(r"\b(?:pagina|page|blad|blz)\b", re.IGNORECASE)


def _norm_head(text: str) -> str:
    """Running heads are compared verbatim, except page numbers in them."""
    text = re.sub(r"\s+", " ", text.strip().lower())
    return re.sub(r"\d+", "#", text) if PAGE_WORD.search(text) else text


def _running_heads(
    pages: Sequence[list[tuple[Word, ...]]], dims: Sequence[tuple[float, float]]
) -> set[tuple[int, int]]:
    """(page index, line index) of lines repeating in the same band across pages."""
    seen: dict[str, list[tuple[int, int, float]]] = {}
    drop: set[tuple[int, int]] = set()
    for p, lines in enumerate(pages):
        h = dims[p][1]
        for i, ln in enumerate(lines):
            if ln[0].top > HEADER_BAND * h and ln[-1].bottom < (1 - HEADER_BAND) * h:
                continue
            text = _line_text(ln)
            if PAGE_NUMBER.match(text.strip()):
                drop.add((p, i))
                continue
            seen.setdefault(_norm_head(text), []).append((p, i, ln[0].top))
    for hits in seen.values():
        for p, i, top in hits:
            if any(q != p and abs(t - top) < 8 for q, _, t in hits):
                drop.add((p, i))
    return drop


# --- footnote zone ---------------------------------------------------------- #


def _starts_note(line: Sequence[Word]) -> bool:
    first = line[0].text
    return bool(
        FOOTNOTE_START.match(first) or (re.match(r"^\d{1,3}[^\W\d_]", first) and line[0].sup)
    )


def _footnote_zone(lines: list[tuple[Word, ...]], page: PageLines, body: float) -> int:
    """Index (in top-sorted lines) where the footnotes begin; len(lines) if none."""
    n = len(lines)
    if not n:
        return 0
    for x0, x1, y in sorted(page.rules, key=lambda r: r[2]):
        if y < 0.4 * page.height or not (20 <= x1 - x0 <= 0.6 * page.width):
            continue
        below = [i for i, ln in enumerate(lines) if ln[0].top >= y - 1]
        if not below or not _starts_note(lines[below[0]]):
            continue
        if all(_size(lines[i]) < NOTE_SIZE_RATIO * body for i in below):
            return below[0]
    # No rule: the trailing run of small-type lines, opened by a numbered line.
    i = n
    while i > 0 and _size(lines[i - 1]) < NOTE_SIZE_RATIO * body:
        i -= 1
    while i < n and not _starts_note(lines[i]):
        i += 1
    if i < n and lines[i][0].top > 0.4 * page.height:
        return i
    return n


# --- emission --------------------------------------------------------------- #


class _Emitter:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.words: list[WordProvenance] = []

    def put(self, text: str, box: Box | None = None, conf: float | None = None) -> None:
        if box is not None and text.strip():
            self.words.append(WordProvenance(self.pos, self.pos + len(text), box, conf))
        self.parts.append(text)
        self.pos += len(text)

    def line(self, words: Sequence[Word], page: int, *, note: bool = False) -> None:
        for j, w in enumerate(words):
            box = Box(page, w.x0, w.top, w.x1, w.bottom)
            if w.sup and j == 0:
                # A raised number opening a line is a footnote number: plain digits.
                self.put(w.text, box, w.conf)
                continue
            if w.sup and not note:
                self.put(w.text.translate(SUPERSCRIPT), box, w.conf)
                continue
            if j:
                self.put(" ")
            self.put(w.text, box, w.conf)
        self.put("\n")


def _merge_same_baseline(lines: list[tuple[Word, ...]]) -> list[tuple[Word, ...]]:
    """Fragments on one baseline (split by a wide gap) become one line, left to right."""
    out: list[tuple[Word, ...]] = []
    for ln in sorted(lines, key=lambda ln: (ln[-1].bottom, ln[0].x0)):
        if out:
            prev = out[-1]
            base_prev = (
                max(w.bottom for w in prev if not w.sup)
                if any(not w.sup for w in prev)
                else prev[-1].bottom
            )
            base = (
                max(w.bottom for w in ln if not w.sup)
                if any(not w.sup for w in ln)
                else ln[-1].bottom
            )
            if abs(base - base_prev) < 0.3 * _size(ln):
                out[-1] = tuple(sorted(prev + ln, key=lambda w: w.x0))
                continue
        out.append(ln)
    return sorted(out, key=lambda ln: min(w.top for w in ln))


def _leading(lines: list[tuple[Word, ...]], body: float) -> float:
    deltas = [
        b[0].bottom - a[0].bottom
        for a, b in itertools.pairwise(lines)
        if 0.8 * body < b[0].bottom - a[0].bottom < 2.5 * body
    ]
    return statistics.median(deltas) if deltas else 1.4 * body


def layout_pages(pages: Sequence[PageLines]) -> LayoutResult:
    """Pages of word lines → layout text with provenance, colofon fields, warnings."""
    metadata: dict[str, str] = {}
    known_starts: list[float] = []
    split: list[tuple[list[tuple[Word, ...]], list[tuple[Word, ...]]]] = []
    # Two passes: pages with a labelled colofon teach where the column sits.
    for page in pages:
        body, col = _split_colofon(page, [])
        if col:
            known_starts.append(min(ln[0].x0 for ln in col))
        split.append((body, col))
    split = [_split_colofon(p, known_starts) for p in pages]
    colofon_words: dict[str, list[Word]] = {}
    colofon_page = 0
    for p, (_, col) in enumerate(split):
        for key, words in _colofon_fields(col).items():
            if key not in colofon_words:
                colofon_words[key] = words
                colofon_page = colofon_page or pages[p].number
    bodies = [_merge_same_baseline(body) for body, _ in split]
    drop = _running_heads(bodies, [(p.width, p.height) for p in pages])

    em = _Emitter()
    page_starts: list[int] = []
    for p, page in enumerate(pages):
        if p:
            em.put("\f")
        page_starts.append(em.pos)
        if p == 0 and colofon_words:
            for key in ("date_text", "kenmerk", "subject"):
                if key in colofon_words:
                    words = colofon_words[key]
                    metadata[key] = " ".join(w.text for w in words)
                    em.put(EMITTED_LABEL[key] + " ")
                    em.line(words, colofon_page)
            em.put("\n")
        lines = [ln for i, ln in enumerate(bodies[p]) if (p, i) not in drop]
        if not lines:
            continue
        body_size = _body_size(lines)
        cut = _footnote_zone(lines, page, body_size)
        main, notes = lines[:cut], lines[cut:]
        lead = _leading(main, body_size)
        for i, ln in enumerate(main):
            if (
                i
                and ln[0].top - main[i - 1][-1].bottom > lead * 0.95
                and (ln[0].bottom - main[i - 1][0].bottom > 1.5 * lead)
            ):
                em.put("\n")
            em.line(ln, page.number)
        if notes:
            em.put("\n")
            for ln in notes:
                em.line(ln, page.number, note=True)
    if not metadata:
        metadata.update(_body_colofon(em, page_starts))
    return LayoutResult("".join(em.parts), page_starts, em.words, metadata)


def _body_colofon(em: _Emitter, page_starts: list[int]) -> dict[str, str]:
    """Colofon fields printed in the body column of page 1 ("Datum 4 november 2022")."""
    text = "".join(em.parts)
    first = text[: page_starts[1]] if len(page_starts) > 1 else text
    out: dict[str, str] = {}
    for line in first.splitlines()[:40]:
        hit = _label_of(line.strip())
        if hit and hit[1] and COLOFON_LABELS[hit[0]] and COLOFON_LABELS[hit[0]] not in out:
            out[COLOFON_LABELS[hit[0]]] = hit[1]  # type: ignore[index]
    return out


# --------------------------------------------------------------------------- #
# Text layer


def text_layer_quality(words: Sequence[str]) -> tuple[bool, str]:
    """Is this Dutch text? (ok, reason). Junk and cid glyphs send a page to OCR."""
    joined = " ".join(words)
    if not words or len(joined) < 20:
        return False, "no text layer"
    cid = joined.count("(cid:") + sum(
        1 for ch in joined if ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff"
    )
    if cid > max(3, len(words) // 20):
        return False, f"text layer has {cid} unmapped glyphs (cid)"
    letters = sum(1 for w in words if LETTER_WORD.match(w))
    share = letters / len(words)
    if share < 0.5 and len(words) >= 8:
        return False, f"text layer is not text: only {share:.0%} of tokens are words"
    if len(words) >= 40:
        func = sum(1 for w in words if w.lower().strip(".,;:") in FUNCTION_WORDS) / len(words)
        if func < 0.03:
            return False, f"text layer does not read as Dutch ({func:.1%} function words)"
    return True, ""


def _words_from_chars(page: Any) -> list[Word]:
    """pdfplumber words, with raised small digits glued to a word split off as markers."""
    out: list[Word] = []
    raw = page.extract_words(
        x_tolerance_ratio=0.25, y_tolerance=2, keep_blank_chars=False, return_chars=True
    )
    for w in raw:
        chars = [c for c in w["chars"] if c.get("upright", True)]
        if not chars or not w["text"].strip():
            continue
        big = max(float(c["size"]) for c in chars)
        base = max(float(c["bottom"]) for c in chars if float(c["size"]) >= 0.8 * big)
        run: list[dict[str, Any]] = []
        raised_run = False
        for c in chars:
            raised = (
                float(c["size"]) < SUP_SIZE_RATIO * big and float(c["bottom"]) < base - 0.12 * big
            )
            if run and raised != raised_run:
                out.append(_word_of(run))
                run = []
            run.append(c)
            raised_run = raised
        out.append(_word_of(run))
    return out


def _word_of(chars: list[dict[str, Any]]) -> Word:
    return Word(
        "".join(c["text"] for c in chars),
        min(float(c["x0"]) for c in chars),
        min(float(c["top"]) for c in chars),
        max(float(c["x1"]) for c in chars),
        max(float(c["bottom"]) for c in chars),
        max(float(c["size"]) for c in chars),
    )


def _is_sup_candidate(text: str) -> bool:
    return bool(re.fullmatch(r"[\d,*]{1,7}", text)) and any(ch.isdigit() for ch in text)


def text_layer_lines(page: Any, number: int) -> PageLines:
    """Word lines of one pdfplumber page, with raised small digits marked as markers."""
    words = [w for w in _words_from_chars(page) if w.text.strip()]
    body = _body_size([words])
    small = [w for w in words if w.size < SUP_SIZE_RATIO * body and _is_sup_candidate(w.text)]
    small_ids = {id(w) for w in small}
    plain = [w for w in words if id(w) not in small_ids]
    first = _rows(plain)
    raised = [s for s in small if _host_row(s, first) is not None]
    raised_ids = {id(w) for w in raised}
    rows = _rows(plain + [s for s in small if id(s) not in raised_ids])
    for s in raised:
        host = _host_row(s, rows)
        if host is None:  # cannot happen: the rows only grew
            rows.append([s])
        else:
            rows[host].append(Word(s.text, s.x0, s.top, s.x1, s.bottom, s.size, sup=True))
    lines: list[tuple[Word, ...]] = []
    for row in rows:
        row.sort(key=lambda w: w.x0)
        lines += _split_gaps(row)
    lines.sort(key=lambda ln: (ln[0].top, ln[0].x0))
    return PageLines(number, float(page.width), float(page.height), tuple(lines), _rules(page))


def _rows(words: list[Word]) -> list[list[Word]]:
    """Cluster words into rows by baseline."""
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.bottom, w.x0)):
        if rows and abs(rows[-1][-1].bottom - w.bottom) < 0.3 * max(w.size, rows[-1][-1].size):
            rows[-1].append(w)
        else:
            rows.append([w])
    return rows


def _host_row(s: Word, rows: list[list[Word]]) -> int | None:
    """The row a raised small word belongs to: it sits above that row's baseline,
    glued to the word before it or opening the row."""
    for i, row in enumerate(rows):
        base = statistics.median(w.bottom for w in row)
        size = statistics.median(w.size for w in row)
        if s.size >= SUP_SIZE_RATIO * size:
            continue
        if not (s.bottom < base - 0.12 * size and s.top > base - 1.4 * size):
            continue
        if any(abs(w.x1 - s.x0) < 1.5 for w in row):
            return i
        if s.x1 <= min(w.x0 for w in row) + 0.5 and min(w.x0 for w in row) - s.x1 < 0.6 * size:
            return i
    return None


def _split_gaps(row: list[Word]) -> list[tuple[Word, ...]]:
    """Split a row where a gap wide as a column gutter separates words."""
    out: list[list[Word]] = [[row[0]]]
    for w in row[1:]:
        prev = out[-1][-1]
        if w.x0 - prev.x1 > 2.5 * max(prev.size, w.size):
            out.append([w])
        else:
            out[-1].append(w)
    return [tuple(ln) for ln in out]


def _rules(page: Any) -> tuple[tuple[float, float, float], ...]:
    rules = []
    for obj in list(page.lines) + list(page.rects):
        if abs(float(obj["bottom"]) - float(obj["top"])) <= 2:
            rules.append((float(obj["x0"]), float(obj["x1"]), float(obj["top"])))
    return tuple(rules)


# --------------------------------------------------------------------------- #
# Entry point


def read_pdf(path: Path, *, ocr: str = "auto", limits: Limits | None = None) -> IngestedText:
    """Read a PDF: text layer by geometry, OCR for pages without usable text.

    ocr: "auto" (OCR pages whose text layer is missing or junk), "never", "always".
    """
    if ocr not in ("auto", "never", "always"):
        raise ValueError(f"ocr must be 'auto', 'never' or 'always', not {ocr!r}")
    path = Path(path)
    limits = limits or Limits()
    check_file(path, limits)
    return run_bounded(_read_pdf, path, ocr, limits, path=path, limits=limits)


def _open_checked(path: Path) -> int:
    """Page count, or IngestError for encrypted, corrupt and empty PDFs."""
    import pypdfium2 as pdfium

    head = path.read_bytes()[:1024]
    if b"%PDF" not in head:
        raise IngestError(path, "open", "not a PDF (no %PDF header)")
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise IngestError(path, "open", "PDF is encrypted and needs a password") from None
        n = _pdfminer_page_count(path)
        if n == 0:
            raise IngestError(path, "open", "PDF has no pages") from None
        raise IngestError(path, "open", f"corrupt or truncated PDF ({msg})") from None
    try:
        n = len(doc)
    finally:
        doc.close()
    if n == 0:
        raise IngestError(path, "open", "PDF has no pages")
    return n


def _pdfminer_page_count(path: Path) -> int | None:
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            return len(pdf.pages)
    except Exception:
        return None


def _read_pdf(path: Path, ocr: str, limits: Limits) -> IngestedText:
    import pdfplumber

    n_pages = _open_checked(path)
    warnings: list[str] = []
    if n_pages > limits.max_pages:
        warnings.append(
            f"page limit: read the first {limits.max_pages} of {n_pages} pages (Limits.max_pages)"
        )
    n = min(n_pages, limits.max_pages)
    pages: list[PageLines | None] = []
    to_ocr: list[tuple[int, str]] = []
    try:
        with pdfplumber.open(path) as pdf:
            for i in range(n):
                page = pdf.pages[i]
                try:
                    lines = text_layer_lines(page, i + 1)
                except Exception as exc:  # a broken page: OCR can still save it
                    lines = PageLines(i + 1, float(page.width), float(page.height), ())
                    warnings.append(f"page {i + 1}: text layer unreadable ({type(exc).__name__})")
                page.close()
                ok, reason = text_layer_quality([w.text for ln in lines.lines for w in ln])
                pages.append(lines)
                if ocr == "always" or (ocr == "auto" and not ok):
                    to_ocr.append((i, reason or "ocr='always'"))
                elif not ok and lines.lines:
                    warnings.append(f"page {i + 1}: {reason}; kept (ocr='never')")
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(
            path, "parse", f"pdfplumber failed: {type(exc).__name__}: {exc}"
        ) from None

    ocr_done: list[int] = []
    if to_ocr:
        from kamerbrief_extract.ingest.ocr import ocr_pdf_pages

        if len(to_ocr) > limits.max_ocr_pages:
            skipped = to_ocr[limits.max_ocr_pages :]
            warnings.append(
                f"OCR limit: {len(skipped)} pages needing OCR left out "
                f"(Limits.max_ocr_pages={limits.max_ocr_pages})"
            )
            to_ocr = to_ocr[: limits.max_ocr_pages]
        ocr_lines = ocr_pdf_pages(path, [i for i, _ in to_ocr], timeout_s=limits.ocr_page_timeout_s)
        for (i, reason), lines in zip(to_ocr, ocr_lines, strict=True):
            old = pages[i]
            old_words = [w.text for ln in old.lines for w in ln] if old else []
            new_words = [w.text for ln in lines.lines for w in ln]
            if ocr == "auto" and old_words and _score(old_words) >= _score(new_words):
                warnings.append(f"page {i + 1}: {reason}; OCR did no better, kept the text layer")
                continue
            pages[i] = lines
            ocr_done.append(i + 1)
            if ocr == "auto":
                warnings.append(f"page {i + 1}: {reason}; OCR used")
    result = layout_pages([p for p in pages if p is not None])
    if not result.text.strip():
        warnings.append("no text found in the PDF")
    return IngestedText(
        text=result.text,
        source_kind="ocr" if ocr_done and len(ocr_done) * 2 >= n else "pdf",
        page_starts=result.page_starts,
        words=result.words,
        metadata=result.metadata,
        warnings=warnings + result.warnings,
    )


def _score(words: Sequence[str]) -> float:
    """Share of tokens that are words, plus a bonus for function words (Dutch-ness)."""
    if not words:
        return 0.0
    letters = sum(1 for w in words if LETTER_WORD.match(w)) / len(words)
    func = sum(1 for w in words if w.lower().strip(".,;:") in FUNCTION_WORDS) / len(words)
    return letters + func
