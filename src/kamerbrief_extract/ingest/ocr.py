"""Scans and images to layout text with Tesseract (``nld``).

Tesseract gives words with boxes and confidences; from those we rebuild the
same page geometry as the PDF text layer (``layout.geometry.PageLines``) and hand
it to the shared layout engine, so a scanned letter and a born-digital one come out in
the same convention. What only OCR needs is done here:

- superscript footnote markers, which Tesseract reads as small raised tokens
  (or glues to the word before: ``Kamerbrief10``), are recognised from box
  height and baseline;
- OCR confusions that change meaning are repaired in context (``€ 13 min.``
  after an amount is ``mln.``, not minutes);
- pages are OCR'd in parallel, one Tesseract thread each (``OMP_THREAD_LIMIT=1``),
  which is faster on n cores than n threads inside one Tesseract.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kamerbrief_extract.document import Document
from kamerbrief_extract.ingest.errors import IngestError
from kamerbrief_extract.ingest.limits import Limits, check_file, run_bounded
from kamerbrief_extract.layout.geometry import PageLines, Word, geometry_document

if TYPE_CHECKING:
    from PIL.Image import Image

OCR_DPI = 300
NOISE_CONF = 40.0
MIN_DPI = 200  # lower resolutions are upscaled before OCR

# A token Tesseract read for a footnote marker: digits, or what it makes of them.
MARKER_TOKEN = re.compile(r"^[\d'’`\"”*°]{1,3}[.,]?$")
GLUED_MARKER = re.compile(r"^(?P<word>[^\W\d_]*[a-zà-ÿ]{2}[.,;:)]?)(?P<num>\d{1,2})$")

# "mln." misread; only repaired right after a euro amount.
MLN_CONFUSION = re.compile(r"^(?:min|rnln|mIn|mln|m1n|rnin|rn1n|mIn)(?P<dot>\.?)(?P<rest>[,;:)]?)$")
AMOUNT = re.compile(r"^(?:€\s?)?\d{1,3}(?:[.,]\d+)*$")


@dataclass(frozen=True, slots=True)
class OcrWord:
    """A word as Tesseract reports it, in pixels of the OCR'd image."""

    text: str
    conf: float
    left: int
    top: int
    width: int
    height: int
    block: int
    par: int
    line: int


@dataclass(frozen=True, slots=True)
class OcrPage:
    width_px: int
    height_px: int
    dpi: float
    words: tuple[OcrWord, ...]


def _tesseract(image: Image, lang: str, psm: int, timeout_s: float) -> dict[str, list[object]]:
    """Tesseract's words (TSV) for an image handed over uncompressed on stdin.

    The page goes in as a PGM/PPM (no PNG encoding, no temporary file) and the TSV comes
    back on stdout, parsed as pytesseract parses it. Like pytesseract's temporary PNG, the
    stream carries no resolution, so Tesseract reads the page the same way.
    """
    from pytesseract.pytesseract import file_to_dict, tesseract_cmd

    command = [tesseract_cmd, "stdin", "stdout", "-l", lang]
    command += ["-c", "tessedit_create_tsv=1", "--psm", str(psm), "tsv"]
    try:
        done = subprocess.run(
            command, input=_uncompressed(image), capture_output=True, timeout=timeout_s
        )
    except subprocess.TimeoutExpired:
        raise TimeoutError("tesseract: Tesseract process timeout") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise TimeoutError(f"tesseract: ({done.returncode}, {message!r})")
    data: dict[str, list[object]] = file_to_dict(done.stdout.decode("utf-8"), "\t", -1)
    return data


def _uncompressed(image: Image) -> bytes:
    """The image as PGM (grey) or PPM (colour) bytes; transparency flattened onto white."""
    import io

    from PIL import Image as PILImage

    if "A" in image.getbands():
        background = PILImage.new("RGB", image.size, (255, 255, 255))
        background.paste(image, (0, 0), image.getchannel("A"))
        image = background
    elif image.mode not in {"1", "L", "RGB"}:
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PPM")
    return buffer.getvalue()


def ocr_pages(
    images: Sequence[Image],
    *,
    lang: str = "nld",
    workers: int | None = None,
    dpi: float = OCR_DPI,
    psm: int = 3,
    timeout_s: float = 120.0,
    keep_going: bool = False,
) -> list[Any]:
    """OCR images in parallel (one single-threaded Tesseract per worker).

    With `keep_going`, a page whose Tesseract fails or times out comes back as the
    exception instead of failing the others: list[OcrPage | Exception].
    """
    os.environ["OMP_THREAD_LIMIT"] = "1"  # read by every tesseract this process starts
    workers = workers or max(1, min(len(images), os.cpu_count() or 1))

    def one(image: Image) -> OcrPage:
        data = _tesseract(image, lang, psm, timeout_s)
        words = []
        for i, text in enumerate(data["text"]):
            text = str(text).strip()
            if int(data["level"][i]) != 5 or not text:  # type: ignore[call-overload]
                continue
            words.append(
                OcrWord(
                    text,
                    float(data["conf"][i]),  # type: ignore[arg-type]
                    int(data["left"][i]),  # type: ignore[call-overload]
                    int(data["top"][i]),  # type: ignore[call-overload]
                    int(data["width"][i]),  # type: ignore[call-overload]
                    int(data["height"][i]),  # type: ignore[call-overload]
                    int(data["block_num"][i]),  # type: ignore[call-overload]
                    int(data["par_num"][i]),  # type: ignore[call-overload]
                    int(data["line_num"][i]),  # type: ignore[call-overload]
                )
            )
        words = _drop_specks(words)
        return OcrPage(image.width, image.height, dpi, tuple(_recover_raised_marks(image, words)))

    def guarded(image: Image) -> OcrPage | Exception:
        try:
            return one(image)
        except (TimeoutError, RuntimeError, OSError) as exc:
            if not keep_going:
                raise
            return exc

    if workers == 1 or len(images) == 1:
        return [guarded(img) for img in images]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(guarded, images))


def _drop_specks(words: list[OcrWord]) -> list[OcrWord]:
    """Noise read as a letter or two: unsure, and much smaller than the page's type."""
    if not words:
        return words
    typical = statistics.median(w.height for w in words)
    return [w for w in words if not (w.conf < 30 and w.height < 0.5 * typical)]


RAISED_MARK = "°"
"""Stands for a footnote marker whose ink Tesseract boxed but did not read; the footnote
stage numbers it by order, as it does OCR's other mangled markers."""
_ENDS_RAISED = re.compile(r"[\d'’`\"”*°¹²³⁴⁵⁶⁷⁸⁹⁰]$")


def _recover_raised_marks(image: Image, words: list[OcrWord]) -> list[OcrWord]:
    """Append RAISED_MARK to words whose box ends in a small raised glyph the text lacks.

    Tesseract often reads `Jansen.⁵` as `Jansen.` with a box that still covers
    the `5`. The last ink cluster in the box tells: a superscript sits wholly above the
    line's middle, while a letter, full stop or comma reaches the baseline.
    """
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for w in words:
        lines.setdefault((w.block, w.par, w.line), []).append(w)
    grey = image.convert("L")
    out: list[OcrWord] = []
    for w in words:
        line = lines[(w.block, w.par, w.line)]
        letters = [x for x in line if sum(ch.isalpha() for ch in x.text) >= 2]
        last = w.text[-1:]
        ends_open = last.isalnum() or last in ".,;:)"  # where a marker can still follow
        if not letters or _ENDS_RAISED.search(w.text) or not ends_open:
            out.append(w)
            continue
        bottoms = sorted(x.top + x.height for x in letters)
        base = bottoms[len(bottoms) // 4]  # descenders push the median below the baseline
        x_height = statistics.median(x.height for x in letters) * 0.55
        if _raised_tail(grey, w, base, x_height):
            w = OcrWord(
                w.text + RAISED_MARK,
                w.conf,
                w.left,
                w.top,
                w.width,
                w.height,
                w.block,
                w.par,
                w.line,
            )
        out.append(w)
    return out


def _raised_tail(grey: Image, w: OcrWord, base: float, x_height: float) -> bool:
    """Whether the last glyph in the word's box floats above the word's own baseline."""
    top, bottom = max(0, w.top - 2), min(grey.height, w.top + w.height + 2)
    left, right = w.left, min(grey.width, w.left + w.width + 2)
    if bottom - top < 4 or right - left < 4:
        return False
    crop = grey.crop((left, top, right, bottom))
    width, height = crop.size
    data = crop.tobytes()  # greyscale: one byte per pixel, row by row
    ink_cols = [[y for y in range(height) if data[y * width + x] < 110] for x in range(width)]
    # Glyph clusters: runs of inked columns between blank ones (noise specks skipped).
    clusters: list[list[int]] = []
    run: list[int] = []
    for col in [*ink_cols, []]:
        if col:
            run.extend(col)
        elif run:
            if len(run) >= x_height * 0.5:
                clusters.append(run)
            run = []
    if len(clusters) < 3:
        return False
    bottoms = sorted(max(c) for c in clusters[:-1])
    word_base = bottoms[len(bottoms) // 2]  # most letters stand on the baseline
    last = clusters[-1]
    tall_enough = max(last) - min(last) >= x_height * 0.6
    return tall_enough and max(last) < word_base - x_height * 0.45


def repair_mln(tokens: Sequence[str]) -> list[str]:
    """'€ 13 min.' → '€ 13 mln.': a misread 'mln' right after a euro amount."""
    out = list(tokens)
    for i, tok in enumerate(out):
        m = MLN_CONFUSION.match(tok)
        if not m or i == 0 or not AMOUNT.match(out[i - 1]):
            continue
        euro = "€" in out[i - 1] or (i >= 2 and out[i - 2] in ("€", "EUR"))
        if euro:
            out[i] = "mln" + m.group("dot") + m.group("rest")
    return out


def _line_words(words: list[OcrWord], scale: float) -> list[Word]:
    """One Tesseract line → Words in points, raised small tokens marked as markers."""
    letters = [w for w in words if sum(ch.isalpha() for ch in w.text) >= 3] or words
    med_h = statistics.median(w.height for w in letters)
    base = statistics.median(w.top + w.height for w in letters)
    size = med_h * scale / 0.85
    texts = repair_mln([w.text for w in words])
    out: list[Word] = []
    for w, text in zip(words, texts, strict=True):
        box = (
            w.left * scale,
            w.top * scale,
            (w.left + w.width) * scale,
            (w.top + w.height) * scale,
        )
        raised = w.top + w.height < base - 0.2 * med_h
        small = w.height < 0.72 * med_h
        if len(words) > 1 and MARKER_TOKEN.match(text) and raised and small:
            marker = text.rstrip(".,")
            out.append(Word(marker, *box, size=w.height * scale, sup=True, conf=w.conf))
            continue
        glued = GLUED_MARKER.match(text)
        if glued and _glued_is_marker(glued.group("word")):
            cut = box[0] + (box[2] - box[0]) * len(glued.group("word")) / len(text)
            out.append(Word(glued.group("word"), box[0], box[1], cut, box[3], size, conf=w.conf))
            out.append(
                Word(
                    glued.group("num"),
                    cut,
                    box[1],
                    box[2],
                    box[3],
                    size * 0.6,
                    sup=True,
                    conf=w.conf,
                )
            )
            continue
        out.append(Word(text, *box, size=size, conf=w.conf))
    return out


def _is_garbage_line(line: tuple[Word, ...]) -> bool:
    """A short run of unsure fragments (`Ben Ì 5`): no real word, low confidence."""
    confs = [w.conf for w in line if w.conf is not None]
    has_word = any(sum(ch.isalpha() for ch in w.text) >= 4 for w in line)
    return bool(confs) and not has_word and sum(confs) / len(confs) < 60


def _glued_is_marker(word: str) -> bool:
    """'Kamerbrief10' is a word plus marker; 'nr.2' is an abbreviation and a number."""
    return not (word.endswith(".") and len(word) <= 4)


def ocr_page_lines(page: OcrPage, number: int) -> PageLines:
    """Tesseract words → page geometry in PDF points for the layout engine."""
    scale = 72.0 / page.dpi
    groups: dict[tuple[int, int, int], list[OcrWord]] = {}
    for w in page.words:
        groups.setdefault((w.block, w.par, w.line), []).append(w)
    lines: list[tuple[Word, ...]] = []
    for ws in groups.values():
        ws.sort(key=lambda w: w.left)
        if all(w.conf < NOISE_CONF for w in ws) and sum(len(w.text) for w in ws) <= 3:
            continue  # specks and smudges read as a letter or two
        words = _line_words(ws, scale)
        # Split at a gutter-wide gap (Tesseract may run body and colofon together).
        frag: list[Word] = [words[0]]
        for word in words[1:]:
            if word.x0 - frag[-1].x1 > 3.0 * max(frag[-1].size, 1.0):
                lines.append(tuple(frag))
                frag = [word]
            else:
                frag.append(word)
        lines.append(tuple(frag))
    lines = [ln for ln in lines if not _is_garbage_line(ln)]
    lines.sort(key=lambda ln: (ln[0].top, ln[0].x0))
    return PageLines(number, page.width_px * scale, page.height_px * scale, tuple(lines))


def _prepare(image: Image) -> tuple[Image, float]:
    """Greyscale, upscaled to at least MIN_DPI; returns (image, its dpi)."""
    from PIL import Image as PILImage
    from PIL import ImageOps

    dpi_info = image.info.get("dpi", (OCR_DPI, OCR_DPI))
    dpi = float(dpi_info[0] if isinstance(dpi_info, tuple) else dpi_info) or OCR_DPI
    img = ImageOps.exif_transpose(image) or image
    img = img.convert("L")
    if dpi < MIN_DPI:
        factor = OCR_DPI / dpi
        img = img.resize(
            (round(img.width * factor), round(img.height * factor)), PILImage.Resampling.LANCZOS
        )
        dpi = OCR_DPI
    return img, dpi


def ocr_pdf_pages(
    path: Path, indexes: Sequence[int], *, timeout_s: float = 120.0
) -> tuple[list[PageLines | None], list[str]]:
    """Render PDF pages (0-based indexes) at 300 dpi and OCR them, batch by batch.

    A page that Tesseract cannot finish in time (or at all) is None, with a warning
    naming it; the other pages are kept.
    """
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    out: list[PageLines | None] = []
    warnings: list[str] = []
    batch = max(1, os.cpu_count() or 1) * 2
    try:
        for start in range(0, len(indexes), batch):
            chunk = indexes[start : start + batch]
            images = [
                doc[i].render(scale=OCR_DPI / 72, grayscale=True).to_pil().convert("L")
                for i in chunk
            ]
            pages = ocr_pages(images, timeout_s=timeout_s, keep_going=True)
            for page, i in zip(pages, chunk, strict=True):
                if isinstance(page, Exception):
                    warnings.append(f"page {i + 1}: OCR failed ({page}); page left out")
                    out.append(None)
                else:
                    out.append(ocr_page_lines(page, i + 1))
    finally:
        doc.close()
    return out, warnings


def read_image(
    path: Path, *, lang: str = "nld", workers: int | None = None, limits: Limits | None = None
) -> Document:
    """OCR a PNG, JPEG or (multipage) TIFF scan into a Document."""
    path = Path(path)
    limits = limits or Limits()
    check_file(path, limits)
    return run_bounded(_read_image, path, lang, workers, limits, path=path, limits=limits)


def _read_image(path: Path, lang: str, workers: int | None, limits: Limits) -> Document:
    from PIL import Image as PILImage
    from PIL import ImageSequence, UnidentifiedImageError

    try:
        with PILImage.open(path) as img:
            frames = [frame.copy() for frame in ImageSequence.Iterator(img)]
            for f in frames:
                f.info.setdefault("dpi", img.info.get("dpi", (OCR_DPI, OCR_DPI)))
    except (UnidentifiedImageError, OSError) as exc:
        raise IngestError(path, "open", f"not a readable image ({exc})") from None
    warnings: list[str] = []
    if len(frames) > limits.max_ocr_pages:
        warnings.append(
            f"OCR limit: read the first {limits.max_ocr_pages} of {len(frames)} frames "
            "(Limits.max_ocr_pages)"
        )
        frames = frames[: limits.max_ocr_pages]
    prepared = [_prepare(f) for f in frames]
    pages: list[PageLines] = []
    for dpi in sorted({d for _, d in prepared}):
        idx = [i for i, (_, d) in enumerate(prepared) if d == dpi]
        done = ocr_pages(
            [prepared[i][0] for i in idx],
            lang=lang,
            workers=workers,
            dpi=dpi,
            timeout_s=limits.ocr_page_timeout_s,
            keep_going=True,
        )
        for page, i in zip(done, idx, strict=True):
            if isinstance(page, Exception):
                warnings.append(f"page {i + 1}: OCR failed ({page}); page left out")
                continue
            pages.append(ocr_page_lines(page, i + 1))
    pages.sort(key=lambda p: p.number)
    for p in pages:
        if not p.lines:
            warnings.append(f"page {p.number}: no text found by OCR")
    if not any(p.lines for p in pages):
        warnings.append("no text found in the image")
    return geometry_document(pages, "ocr", warnings, min_conf=NOISE_CONF)
