"""PDF documents to a Document, through pdfium's text layer.

pdfium gives every character of the text layer with its box, its font size and
its baseline. From those we build words and lines ourselves, because the text
layer of Word-made PDFs is full of kerning gaps that generic extraction reads as
spaces ("P agina 1 van 7", "Inf rastructuur"): where a page spells out its word
spaces, only those (and gaps as wide as a real space) separate words. Raised
small digits become footnote markers. The lines go to the geometry reader and
the layout engine that every path shares.

Pages whose text layer is missing or not Dutch text (unmapped glyphs, junk left
by bad OCR software) are OCR'd when ``ocr="auto"``.
"""

from __future__ import annotations

import ctypes
import functools
import math
import re
import statistics
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from kamerbrief_extract.document import Document
from kamerbrief_extract.ingest.errors import IngestError
from kamerbrief_extract.ingest.limits import Limits, check_file, run_bounded
from kamerbrief_extract.layout.geometry import PageLines, Word, geometry_document

SUP_SIZE_RATIO = 0.8
RAISE_RATIO = 0.12
GUTTER_EM = 2.5
"""A gap this many ems wide between two characters of a row separates columns."""
KERNING_EM = 0.17
"""Between the advance boxes of two characters, a wider gap is a word space even where
the page has no space character; narrower ones are kerning or letter-spacing."""

LETTER_WORD = re.compile(r"^[(\[«„“‘'\"]*[^\W\d_]+(?:[-'’][^\W\d_]+)*[.,;:!?)\]»”’'\"]*$")
FUNCTION_WORDS = frozenset(
    "de het een van en in is dat op te voor met zijn niet die aan er om ook als bij door of "
    "naar dit worden wordt zal ik u uw we wij over tot".split()
)


# --------------------------------------------------------------------------- #
# Characters → words → lines


class _Char(NamedTuple):
    ch: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    base: float  # baseline, top-left origin
    generated: bool


@dataclass(frozen=True, slots=True)
class _Frame:
    """The reading frame of a page: PDF coordinates turned so that its text runs left to
    right, measured from the top left of the crop box. A page stored on its side
    (/Rotate 90 or 270, text drawn at a right angle) reads like any other."""

    cos: float
    sin: float
    left: float
    top: float
    width: float
    height: float

    @classmethod
    def of(cls, crop: tuple[float, float, float, float], angle: float) -> _Frame:
        # pdfium measures the angle clockwise.
        cos, sin = round(math.cos(angle)), -round(math.sin(angle))
        corners = [
            (x * cos + y * sin, -x * sin + y * cos)
            for x in (crop[0], crop[2])
            for y in (crop[1], crop[3])
        ]
        us, vs = [u for u, _ in corners], [v for _, v in corners]
        return cls(cos, sin, min(us), max(vs), max(us) - min(us), max(vs) - min(vs))

    def point(self, x: float, y: float) -> tuple[float, float]:
        """(distance from the left, distance from the top)."""
        return x * self.cos + y * self.sin - self.left, self.top - (-x * self.sin + y * self.cos)

    def rect(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, ...]:
        """(left, top, right, bottom) of a rectangle given in PDF coordinates."""
        a, b = self.point(x0, y0), self.point(x1, y1)
        return min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])


def _text_angle(textpage: Any, n: int) -> float:
    """The right angle most of the page's characters are drawn at (0 for upright pages)."""
    import pypdfium2.raw as raw

    counts: dict[int, int] = {}
    for i in range(0, n, max(1, n // 200)):
        quarter = round(raw.FPDFText_GetCharAngle(textpage.raw, i) / (math.pi / 2)) % 4
        counts[quarter] = counts.get(quarter, 0) + 1
    return max(counts, key=lambda q: counts[q]) * math.pi / 2 if counts else 0.0


@functools.cache
def _char_functions() -> tuple[Callable[..., Any], ...]:
    """pdfium's per-character functions with plain `void *` and `int` arguments.

    pypdfium2's bindings declare typed pointers, and ctypes converts every argument
    through them on each of the page's thousands of calls; the same functions taking
    addresses skip that (about a fifth of the hot loop).
    """
    import pypdfium2.raw as raw

    void, c_int = ctypes.c_void_p, ctypes.c_int

    def plain(function: Any, restype: Any, *argtypes: Any) -> Callable[..., Any]:
        address = ctypes.cast(function, ctypes.c_void_p).value or 0
        return ctypes.CFUNCTYPE(restype, *argtypes)(address)

    return (
        plain(raw.FPDFText_GetUnicode, ctypes.c_uint, void, c_int),
        plain(raw.FPDFText_IsGenerated, c_int, void, c_int),
        plain(raw.FPDFText_GetLooseCharBox, c_int, void, c_int, void),
        plain(raw.FPDFText_GetCharAngle, ctypes.c_float, void, c_int),
        plain(raw.FPDFText_GetCharOrigin, c_int, void, c_int, void, void),
        plain(raw.FPDFText_GetFontSize, ctypes.c_double, void, c_int),
        plain(raw.FPDFText_GetMatrix, c_int, void, c_int, void),
    )


def _page_chars(page: Any) -> tuple[list[_Char], int, _Frame]:
    """Every visible character of the page's text layer drawn along the page's reading
    direction, in content order, in points of its reading frame; how many characters lay
    under redaction boxes; and the frame."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        n = raw.FPDFText_CountChars(textpage.raw)
        angle = _text_angle(textpage, n) if n > 0 else 0.0
        frame = _Frame.of(page.get_cropbox(), angle)
        if n <= 0:
            return [], 0, frame
        redacted = _redaction_boxes(page)
        box = raw.FS_RECTF()
        matrix = raw.FS_MATRIX()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        box_at, matrix_at = ctypes.addressof(box), ctypes.addressof(matrix)
        ox_at, oy_at = ctypes.addressof(ox), ctypes.addressof(oy)
        chars: list[_Char] = []
        append, new_char = chars.append, tuple.__new__
        hidden = 0
        # The hot loop of the PDF path: pdfium's functions and the frame bound to locals,
        # Frame.rect and Frame.point written out (the same arithmetic, in the same order).
        tp = ctypes.cast(textpage.raw, ctypes.c_void_p).value
        (
            get_unicode,
            is_generated,
            loose_box,
            char_angle,
            char_origin,
            font_size,
            text_matrix,
        ) = _char_functions()
        sqrt = math.sqrt
        cos, sin, left, top0 = frame.cos, frame.sin, frame.left, frame.top
        two_pi = 2 * math.pi
        for i in range(n):
            code = get_unicode(tp, i)
            ch = "\ufffd" if code in (0, 0xFFFE, 0xFFFF) else chr(code)
            if ch in "\x02\u00ad":  # pdfium's mark for a hyphen that breaks a word at a line end
                ch = "-"
            elif ch in "\r\n":
                continue
            generated = bool(is_generated(tp, i)) if ch == " " else False
            # The loose box spans the glyph's advance: gaps between boxes are real spacing.
            if not loose_box(tp, i, box_at):
                continue
            if ch != " ":
                off = abs(char_angle(tp, i) - angle) % two_pi
                if min(off, two_pi - off) > 0.05:
                    continue  # text at another angle (margin stamps, vertical labels)
            if redacted and _under(redacted, box):
                hidden += ch != " "
                continue
            char_origin(tp, i, ox_at, oy_at)
            # The size as printed: the font size times the text matrix's scale (a PDF may
            # set 1-point type and scale it up).
            size = font_size(tp, i)
            if text_matrix(tp, i, matrix_at):
                size *= sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c)) or 1.0
            bl, bb, br, bt = box.left, box.bottom, box.right, box.top
            ax, ay = bl * cos + bb * sin - left, top0 - (-bl * sin + bb * cos)
            bx, by = br * cos + bt * sin - left, top0 - (-br * sin + bt * cos)
            x0, x1 = (ax, bx) if ax <= bx else (bx, ax)
            y0, y1 = (ay, by) if ay <= by else (by, ay)
            append(
                new_char(  # _Char(...) without its Python-level __new__
                    _Char,
                    (
                        ch,
                        x0,
                        y0,
                        x1,
                        y1,
                        size if size > 1.5 else max(1.0, 0.9 * (y1 - y0)),
                        top0 - (-ox.value * sin + oy.value * cos),
                        generated,
                    ),
                )
            )
        return _compose_diacritics(chars), hidden, frame
    finally:
        textpage.close()


def _redaction_boxes(page: Any) -> list[tuple[float, float, float, float]]:
    """Opaque dark filled rectangles (PDF coordinates): redactions laid over text. What
    they cover is not shown to a reader, so it is not read either."""
    import pypdfium2.raw as raw

    boxes = []
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2):
        if not raw.FPDFPath_GetDrawMode(obj.raw, fill, stroke) or not fill.value:
            continue
        if not raw.FPDFPageObj_GetFillColor(obj.raw, r, g, b, a):
            continue
        if max(r.value, g.value, b.value) > 60 or a.value < 200:
            continue
        try:
            x0, y0, x1, y1 = obj.get_bounds()
        except Exception:
            continue
        if x1 - x0 >= 3 and y1 - y0 >= 3:
            boxes.append((x0, y0, x1, y1))
    return boxes


def _under(boxes: list[tuple[float, float, float, float]], box: Any) -> bool:
    """Whether a character's centre lies under one of the boxes."""
    cx, cy = (box.left + box.right) / 2, (box.top + box.bottom) / 2
    return any(x0 <= cx <= x1 and y0 <= cy <= y1 for x0, y0, x1, y1 in boxes)


_SPACING_MARKS = {
    "\u00a8": "\u0308",  # diaeresis
    "\u00b4": "\u0301",  # acute
    "`": "\u0300",
    "\u02c6": "\u0302",  # circumflex
    "\u02dc": "\u0303",  # tilde
    "\u00b8": "\u0327",  # cedilla
    "\u02c7": "\u030c",  # caron
    "\u02db": "\u0328",  # ogonek
    "\u02da": "\u030a",  # ring
}


def _compose_diacritics(chars: list[_Char]) -> list[_Char]:
    """A letter followed by a spacing accent drawn over or under it ("s" + "¸") is one
    accented letter ("ş"): fonts without the composed glyph typeset names this way."""
    out: list[_Char] = []
    for c in chars:
        mark = _SPACING_MARKS.get(c.ch)
        if mark and out and out[-1].ch.isalpha() and c.x0 < out[-1].x1 + 0.2 * c.size:
            prev = out[-1]
            composed = unicodedata.normalize("NFC", prev.ch + mark)
            if len(composed) == 1:
                out[-1] = _Char(
                    composed,
                    prev.x0,
                    prev.top,
                    max(prev.x1, c.x1),
                    prev.bottom,
                    prev.size,
                    prev.base,
                    prev.generated,
                )
                continue
        out.append(c)
    return out


def _rows(chars: list[_Char]) -> list[list[_Char]]:
    """Characters in content order, cut into rows where the baseline moves or x goes back."""
    rows: list[list[_Char]] = []
    current: list[_Char] = []
    base = 0.0
    size = 0.0
    last = _Char(" ", 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, False)  # set with the row's first char
    for c in chars:
        if c.ch == " ":
            if current:
                current.append(c)
            continue
        if current:
            same_row = abs(c.base - base) < 0.6 * max(size, c.size) or (
                c.size < SUP_SIZE_RATIO * size and base - 1.2 * size < c.base < base + 0.2 * size
            )
            if same_row and c.x0 >= last.x0 - 0.5 * size:
                current.append(c)
                last = c
                if c.size >= size:
                    base, size = c.base, c.size
                continue
            rows.append(current)
        current = [c]
        last = c  # the row's last character that is not a space
        base, size = c.base, c.size
    if current:
        rows.append(current)
    return rows


def _words_of_row(row: list[_Char], spelled_spaces: bool) -> list[list[Word]]:
    """One row → fragments (split at gutters) of words, raised small digits as markers."""
    letters = [c for c in row if c.ch != " "]
    if not letters:
        return []
    sizes = [round(c.size, 1) for c in letters]
    weights: dict[float, int] = {}
    for r in sizes:
        weights[r] = weights.get(r, 0) + 1
    main = max(weights, key=lambda s: (weights[s], s))
    base = statistics.median(c.base for c, r in zip(letters, sizes, strict=True) if r == main)
    fragments: list[list[Word]] = [[]]
    run: list[_Char] = []
    run_sup = False
    space_before = False
    pending_space = False
    prev: _Char | None = None

    def close() -> None:
        nonlocal run, space_before
        if run:
            fragments[-1].append(_word(run, run_sup, space_before))
        run = []
        space_before = False

    for c in row:
        if c.ch == " ":
            # Spaces pdfium made up are kerning on a page that spells out its own.
            if not (c.generated and spelled_spaces):
                pending_space = True
            continue
        raised = c.size < SUP_SIZE_RATIO * main and c.base < base - RAISE_RATIO * main
        sup = raised and (c.ch.isdigit() or (run_sup and c.ch in ",-–"))
        if prev is not None:
            gap = c.x0 - prev.x1
            em = max(prev.size, c.size)
            other_type = min(prev.size, c.size) < 0.85 * em
            if gap > GUTTER_EM * em or (other_type and gap > em):
                # a column gutter, or a gap into type of another size (a narrow colofon)
                close()
                fragments.append([])
                space_before = True  # fragments on one baseline may be merged again
            elif pending_space or gap > KERNING_EM * em:
                close()
                space_before = True
            elif sup != run_sup:
                close()
        pending_space = False
        if not run:
            run_sup = sup
        run.append(c)
        prev = c
    close()
    return [_markers_checked(frag) for frag in fragments if frag]


def _markers_checked(words: list[Word]) -> list[Word]:
    """A raised run is a footnote marker only when it is short: "12", "7,8". A raised
    reference number ("4187132") is text in smaller type."""
    return [
        Word(w.text, w.x0, w.top, w.x1, w.bottom, w.size, sup=False, space_before=True)
        if w.sup and sum(ch.isdigit() for ch in w.text) > 4
        else w
        for w in words
    ]


def _word(chars: list[_Char], sup: bool, space_before: bool) -> Word:
    return Word(
        "".join(c.ch for c in chars),
        min(c.x0 for c in chars),
        min(c.top for c in chars),
        max(c.x1 for c in chars),
        max(c.bottom for c in chars),
        max(c.size for c in chars),
        sup=sup,
        space_before=space_before,
    )


def _rules(page: Any, frame: _Frame) -> tuple[tuple[float, float, float], ...]:
    """Thin horizontal paths and rectangles (the short rule above footnotes, table lines),
    as (x0, x1, y) in the page's reading frame."""
    import pypdfium2.raw as raw

    rules = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2):
        try:
            left, top, right, bottom = frame.rect(*obj.get_bounds())
        except Exception:  # a path without bounds
            continue
        if bottom - top <= 2 and right - left >= 5:
            rules.append((left, right, top))
    return tuple(rules)


def text_layer_lines(page: Any, number: int) -> PageLines:
    """Word lines of one pdfium page, raised small digits marked as markers."""
    chars, hidden, frame = _page_chars(page)
    spaces = [c for c in chars if c.ch == " "]
    spelled = sum(1 for c in spaces if not c.generated) >= 0.5 * len(spaces) if spaces else False
    lines: list[tuple[Word, ...]] = []
    for row in _rows(chars):
        for frag in _words_of_row(row, spelled):
            lines.append(tuple(frag))
    lines.sort(
        key=lambda ln: (
            min(w.top for w in ln if not w.sup) if any(not w.sup for w in ln) else ln[0].top,
            ln[0].x0,
        )
    )
    return PageLines(number, frame.width, frame.height, tuple(lines), _rules(page, frame), hidden)


# --------------------------------------------------------------------------- #
# Text layer quality


def text_layer_quality(words: Sequence[str]) -> tuple[bool, str]:
    """Is this Dutch text? (ok, reason). Junk and unmapped glyphs send a page to OCR."""
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


def _score(words: Sequence[str]) -> float:
    """Share of tokens that are words, plus a bonus for function words (Dutch-ness)."""
    if not words:
        return 0.0
    letters = sum(1 for w in words if LETTER_WORD.match(w)) / len(words)
    func = sum(1 for w in words if w.lower().strip(".,;:") in FUNCTION_WORDS) / len(words)
    return letters + func


# --------------------------------------------------------------------------- #
# Entry point


def read_pdf(path: Path, *, ocr: str = "auto", limits: Limits | None = None) -> Document:
    """Read a PDF: text layer by geometry, OCR for pages without usable text.

    ocr: "auto" (OCR pages whose text layer is missing or junk), "never", "always".
    """
    if ocr not in ("auto", "never", "always"):
        raise ValueError(f"ocr must be 'auto', 'never' or 'always', not {ocr!r}")
    path = Path(path)
    limits = limits or Limits()
    check_file(path, limits)
    return run_bounded(_read_pdf, path, ocr, limits, path=path, limits=limits)


def _open(path: Path) -> Any:
    """The pdfium document, or IngestError for encrypted, corrupt and empty PDFs."""
    import pypdfium2 as pdfium

    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF" not in head:
        raise IngestError(path, "open", "not a PDF (no %PDF header)")
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise IngestError(path, "open", "PDF is encrypted and needs a password") from None
        if _pdfminer_page_count(path) == 0:
            raise IngestError(path, "open", "PDF has no pages") from None
        raise IngestError(path, "open", f"corrupt or truncated PDF ({msg})") from None
    if len(doc) == 0:
        doc.close()
        raise IngestError(path, "open", "PDF has no pages")
    return doc


def _pdfminer_page_count(path: Path) -> int | None:
    """pdfminer reads some files pdfium refuses; it tells an empty PDF from a broken one."""
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            return len(pdf.pages)
    except Exception:
        return None


def _read_pdf(path: Path, ocr: str, limits: Limits) -> Document:
    doc = _open(path)
    warnings: list[str] = []
    n_pages = len(doc)
    if n_pages > limits.max_pages:
        warnings.append(
            f"page limit: read the first {limits.max_pages} of {n_pages} pages (Limits.max_pages)"
        )
    n = min(n_pages, limits.max_pages)
    pages: list[PageLines] = []
    to_ocr: list[tuple[int, str]] = []
    try:
        for i in range(n):
            page = doc[i]
            try:
                lines = text_layer_lines(page, i + 1)
            except Exception as exc:  # a broken page: OCR can still save it
                lines = PageLines(i + 1, page.get_width(), page.get_height(), ())
                warnings.append(f"page {i + 1}: text layer unreadable ({type(exc).__name__})")
            finally:
                page.close()
            if lines.hidden:
                warnings.append(
                    f"page {i + 1}: {lines.hidden} characters under redaction boxes left out"
                )
            ok, reason = text_layer_quality([w.text for ln in lines.lines for w in ln])
            pages.append(lines)
            if ocr == "always" or (ocr == "auto" and not ok):
                to_ocr.append((i, reason or "ocr='always'"))
            elif not ok and lines.lines:
                warnings.append(f"page {i + 1}: {reason}; kept (ocr='never')")
    finally:
        doc.close()

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
        ocr_lines, ocr_warnings = ocr_pdf_pages(
            path, [i for i, _ in to_ocr], timeout_s=limits.ocr_page_timeout_s
        )
        warnings += ocr_warnings
        for (i, reason), ocr_page in zip(to_ocr, ocr_lines, strict=True):
            if ocr_page is None:
                continue  # OCR failed on this page: its warning says so
            old_words = [w.text for ln in pages[i].lines for w in ln]
            new_words = [w.text for ln in ocr_page.lines for w in ln]
            if ocr == "auto" and old_words and _score(old_words) >= _score(new_words):
                warnings.append(f"page {i + 1}: {reason}; OCR did no better, kept the text layer")
                continue
            pages[i] = ocr_page
            ocr_done.append(i + 1)
            if ocr == "auto":
                warnings.append(f"page {i + 1}: {reason}; OCR used")
    scanned = bool(ocr_done) and len(ocr_done) * 2 >= n
    if not any(ln for page in pages for ln in page.lines):
        warnings.append("no text found in the PDF")
    return geometry_document(
        pages,
        "ocr" if scanned else "pdf",
        warnings,
        min_conf=OCR_MIN_CONF if ocr_done else None,
    )


OCR_MIN_CONF = 40.0
"""OCR words below this confidence are not counted as content the record must keep."""
