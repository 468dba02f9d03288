"""OCR ingestion with real Tesseract: scans, images, junk text layers."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from kamerbrief_extract.document import CONTENT_KINDS
from kamerbrief_extract.ingest.ocr import (
    OcrPage,
    OcrWord,
    _line_words,
    ocr_pages,
    read_image,
    repair_mln,
)
from kamerbrief_extract.ingest.pdf import read_pdf

SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def _load_make_pdfs():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "make_pdfs", Path(__file__).parent / "fixtures" / "make_pdfs.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_pdfs"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def fx() -> dict[str, Path]:
    return _load_make_pdfs().cached_fixtures()  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def truth(fx: dict[str, Path]) -> dict[str, dict]:
    return {
        name: json.loads(fx[f"truth_{name}"].read_text(encoding="utf-8"))
        for name in ("letter_000", "letter_001")
    }


@pytest.fixture(scope="session")
def scan_000(fx: dict[str, Path]):  # type: ignore[no-untyped-def]
    return read_pdf(fx["scan_000"])


def _norm(words: list[str]) -> Counter[str]:
    out: Counter[str] = Counter()
    for w in words:
        w = re.sub(f"[{SUP}]", "", w).strip(".,;:()«»'‘’\"!?").lower()
        if w:
            out[w] += 1
    return out


def _content(doc, page: int | None = None) -> str:  # type: ignore[no-untyped-def]
    """Running text of the document or one page (dateline included)."""
    return "\n".join(
        b.str
        for b in doc.blocks
        if (b.kind in CONTENT_KINDS or b.kind == "dateline") and (page is None or b.page == page)
    )


def _overlap(got: str, want: list[str]) -> float:
    g, w = _norm(got.split()), _norm(want)
    return sum((g & w).values()) / sum(w.values())


@pytest.mark.slow
def test_scanned_pdf_body_words(scan_000, truth) -> None:  # type: ignore[no-untyped-def]
    doc = scan_000
    assert doc.source_kind == "ocr"
    assert len(doc.page_starts) == 2
    for tpage in truth["letter_000"]["pages"][:2]:
        assert _overlap(_content(doc, tpage["page"]), tpage["body_words"]) >= 0.95
    assert any("no text layer; OCR used" in w for w in doc.warnings)


@pytest.mark.slow
def test_scanned_pdf_layout(scan_000, truth) -> None:  # type: ignore[no-untyped-def]
    doc = scan_000
    fields = {b.label: b.str for b in doc.of_kind("colofon")}
    assert fields["date_text"] == "22 mei 2023"
    assert fields["kenmerk"] == "4567890"
    content = _content(doc)
    assert "Pagina" not in content and "Turfmarkt" not in content
    n_notes = 0
    for tpage in truth["letter_000"]["pages"][: len(doc.page_starts)]:
        notes = [b.str for b in doc.of_kind("footnote") if b.page == tpage["page"]]
        assert notes == list(tpage["footnotes"].values())
        n_notes += len(notes)
    assert n_notes >= 2


@pytest.mark.slow
def test_scanned_pdf_confidences_and_boxes(scan_000) -> None:  # type: ignore[no-untyped-def]
    doc = scan_000
    body = [w for w in doc.words if w.box.top > 250]
    assert len(body) > 500
    assert all(w.confidence is not None and 0 <= w.confidence <= 100 for w in doc.words)
    assert sum(w.confidence or 0 for w in body) / len(body) > 80
    # boxes are in PDF points on an A4 page
    assert all(
        0 <= w.box.x0 < w.box.x1 <= 596 and 0 <= w.box.top < w.box.bottom <= 842 for w in doc.words
    )
    assert all(doc.page_of(w.start) == w.box.page for w in doc.words)


@pytest.mark.slow
def test_png_scan(fx, truth) -> None:  # type: ignore[no-untyped-def]
    doc = read_image(fx["scan_001_p2_png"])
    tpage = truth["letter_001"]["pages"][1]
    assert doc.source_kind == "ocr"
    assert _overlap(_content(doc), tpage["body_words"]) >= 0.95
    assert {b.label: b.str for b in doc.of_kind("colofon")}.get("date_text") == "4 november 2022"
    assert "Tweede Kamer, vergaderjaar 2021-2022, 28 741, nr. 86." in [
        b.str for b in doc.of_kind("footnote")
    ]


@pytest.mark.slow
def test_junk_text_layer_goes_to_ocr(fx) -> None:  # type: ignore[no-untyped-def]
    doc = read_pdf(fx["garbage_layer"])
    assert any("not text" in w and "OCR used" in w for w in doc.warnings)
    assert "Georganiseerde criminaliteit is één van de meest urgente" in doc.text
    kept = read_pdf(fx["garbage_layer"], ocr="never")
    assert any("kept (ocr='never')" in w for w in kept.warnings)
    assert "Georganiseerde" not in kept.text


def test_blank_image_gives_empty_text_and_warning(fx) -> None:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    doc = read_image(fx["blank_png"])
    assert doc.text == ""
    assert "no text found in the image" in doc.warnings
    assert time.perf_counter() - t0 < 15


@pytest.mark.parametrize(("key", "pages"), [("lines_tiff", 2), ("lines_jpg", 1), ("lines_png", 1)])
def test_image_formats(fx, key, pages) -> None:  # type: ignore[no-untyped-def]
    doc = read_image(fx[key])
    assert len(doc.page_starts) == pages
    assert "De minister informeert de Kamer over de voortgang." in doc.text
    assert "€ 13 mln. per jaar" in doc.text
    if pages == 2:
        assert _content(doc, 2).startswith("Op de tweede bladzijde")


def test_not_an_image(tmp_path: Path) -> None:
    from kamerbrief_extract.ingest.errors import IngestError

    bad = tmp_path / "x.png"
    bad.write_bytes(b"not an image at all")
    with pytest.raises(IngestError, match="not a readable image"):
        read_image(bad)


def test_ocr_pages_in_parallel(fx) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    with Image.open(fx["lines_tiff"]) as img:
        frames = []
        for i in range(2):
            img.seek(i)
            frames.append(img.convert("L"))
    pages = ocr_pages(frames, workers=2)
    assert [len(p.words) > 5 for p in pages] == [True, True]
    assert pages[1].words[0].text == "Op"
    assert all(w.conf > 50 for p in pages for w in p.words)


# --- pure parts, table-driven ----------------------------------------------- #


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        ("€ 13 min. per jaar", "€ 13 mln. per jaar"),
        ("€13 rnln.", "€13 mln."),
        ("€ 2,5 mIn", "€ 2,5 mln"),
        ("EUR 40 min, zo", "EUR 40 mln, zo"),
        ("€ 1.250 min.", "€ 1.250 mln."),
        ("binnen 13 min. ter plaatse", "binnen 13 min. ter plaatse"),
        ("€ 13 minder", "€ 13 minder"),
        ("13 min. na € 4", "13 min. na € 4"),
        ("min. 13 €", "min. 13 €"),
    ],
)
def test_repair_mln(tokens: str, expected: str) -> None:
    assert " ".join(repair_mln(tokens.split())) == expected


def _ow(text: str, left: int, top: int, w: int, h: int) -> OcrWord:
    return OcrWord(text, 90.0, left, top, w, h, 1, 1, 1)


BASE = [_ow("Dit", 100, 100, 60, 40), _ow("is", 170, 100, 30, 40), _ow("de", 210, 100, 45, 40)]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (_ow("1", 257, 92, 12, 20), [("1", True)]),  # small and raised → marker
        (_ow("12", 257, 92, 22, 20), [("12", True)]),
        (_ow("12", 270, 100, 40, 40), [("12", False)]),  # full height: a number
        (_ow("1", 257, 120, 12, 20), [("1", False)]),  # small but on the baseline
        (_ow("A", 257, 92, 12, 20), [("A", False)]),  # not digit-like
        (_ow("Kamerbrief10", 270, 100, 250, 40), [("Kamerbrief", False), ("10", True)]),
        (_ow("nr.2", 270, 100, 70, 40), [("nr.2", False)]),
        (_ow("COVID19", 270, 100, 150, 40), [("COVID19", False)]),
        (_ow("2022", 270, 100, 90, 40), [("2022", False)]),
    ],
)
def test_superscript_from_boxes(extra: OcrWord, expected: list[tuple[str, bool]]) -> None:
    words = _line_words([*BASE, extra], 72 / 300)
    assert [(w.text, w.sup) for w in words[3:]] == expected
    assert all(not w.sup for w in words[:3])
    assert all(w.conf == 90.0 for w in words)


def test_ocr_page_lines_scale_to_points() -> None:
    from kamerbrief_extract.ingest.ocr import ocr_page_lines

    page = OcrPage(2480, 3508, 300.0, tuple(BASE))
    lines = ocr_page_lines(page, 1)
    assert round(lines.width) == 595 and round(lines.height) == 842
    assert lines.lines[0][0].x0 == pytest.approx(24.0)


def _line_image(draw_marker: bool):  # type: ignore[no-untyped-def]
    """A scanned-looking line 'en Jansen.' with (or without) a raised small '5'."""
    import reportlab
    from PIL import Image, ImageDraw, ImageFont

    font_path = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    body, small = ImageFont.truetype(str(font_path), 42), ImageFont.truetype(str(font_path), 26)
    image = Image.new("L", (900, 140), 255)
    draw = ImageDraw.Draw(image)
    draw.text((40, 50), "Dit zijn de en Jansen.", font=body, fill=0)
    if draw_marker:
        end = 40 + draw.textlength("Dit zijn de en Jansen.", font=body)
        draw.text((end + 2, 40), "5", font=small, fill=0)
    return image


@pytest.mark.parametrize("with_marker", [True, False])
def test_raised_mark_recovered_from_pixels(with_marker: bool) -> None:
    from kamerbrief_extract.ingest.ocr import RAISED_MARK, OcrWord, _recover_raised_marks

    image = _line_image(with_marker)
    # Tesseract's box for the last word covers the marker's ink but its text lacks it.
    words = [
        OcrWord("Dit", 95, 40, 60, 60, 32, 1, 1, 1),
        OcrWord("zijn", 95, 115, 60, 80, 32, 1, 1, 1),
        OcrWord("de", 95, 210, 60, 50, 32, 1, 1, 1),
        OcrWord("en", 95, 275, 60, 50, 32, 1, 1, 1),
        OcrWord("Jansen.", 60, 340, 55, 175 if with_marker else 150, 37, 1, 1, 1),
    ]
    out = _recover_raised_marks(image, words)
    assert out[-1].text.endswith(RAISED_MARK) is with_marker
    assert [w.text for w in out[:-1]] == ["Dit", "zijn", "de", "en"]


@pytest.mark.slow
def test_tesseract_time_out_marks_its_page_and_keeps_the_others(  # type: ignore[no-untyped-def]
    fx, tmp_path: Path
) -> None:
    import pypdfium2 as pdfium

    from kamerbrief_extract.ingest.limits import Limits
    from kamerbrief_extract.process import process_file

    mixed = pdfium.PdfDocument.new()  # page 1 has a text layer, page 2 is a scan
    for part in (fx["letter_000"], fx["scan_000"]):
        source = pdfium.PdfDocument(str(part))
        mixed.import_pages(source, [0])
        source.close()
    path = tmp_path / "mixed.pdf"
    mixed.save(str(path))
    mixed.close()
    limits = Limits(ocr_page_timeout_s=0.01)  # no real page is read in 10 ms
    doc = read_pdf(path, limits=limits)
    failed = [w for w in doc.warnings if "OCR failed" in w]
    assert len(failed) == 1 and failed[0].startswith("page 2:") and "timeout" in failed[0]
    assert {b.page for b in doc.blocks if b.str.strip()} == {1}
    assert len(_content(doc, 1)) > 200  # the text-layer page is kept whole
    record = process_file(path, limits=limits)
    assert any(w.startswith("page 2:") and "OCR failed" in w for w in record.warnings)
    assert record.text.strip()
