"""PDF text-layer ingestion: pdfium characters → geometry → blocks, limits, bad inputs."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from kamerbrief_extract.document import CONTENT_KINDS, Document
from kamerbrief_extract.ingest.errors import IngestError
from kamerbrief_extract.ingest.limits import Limits
from kamerbrief_extract.ingest.pdf import read_pdf, text_layer_quality
from kamerbrief_extract.layout.engine import layout_lines
from kamerbrief_extract.layout.geometry import (
    PAGE_NUMBER,
    PageLines,
    Word,
    _label_of,
    read_geometry,
)

REAL_PDF = (
    Path(__file__).resolve().parent / "fixtures" / "real-motion-pdf" / "kst-21501-02-3121.pdf"
)
SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def _load_make_pdfs():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "make_pdfs", Path(__file__).parent / "fixtures" / "make_pdfs.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_pdfs"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def fx() -> dict[str, Path]:
    return _load_make_pdfs().cached_fixtures()  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def letters(fx: dict[str, Path]) -> dict[str, tuple[Document, dict]]:
    out = {}
    for name in ("letter_000", "letter_001"):
        truth = json.loads(fx[f"truth_{name}"].read_text(encoding="utf-8"))
        out[name] = (read_pdf(fx[name], ocr="never"), truth)
    return out


def _content(doc: Document, page: int | None = None) -> str:
    """The running text of the document (or of one page), dateline included."""
    return "\n".join(
        b.str
        for b in doc.blocks
        if (b.kind in CONTENT_KINDS or b.kind == "dateline") and (page is None or b.page == page)
    )


def _layout(pages: list[PageLines]) -> Document:
    geometry = read_geometry(pages)
    return Document(
        "pdf",
        geometry.source_text,
        layout_lines(geometry.pages),
        page_starts=geometry.page_starts,
        words=geometry.words,
    )


def _line(text: str, x0: float, top: float, size: float = 10.0) -> tuple[Word, ...]:
    out, x = [], x0
    for t in text.split():
        w = _w(t, x, top, size)
        out.append(w)
        x = w.x1 + 2.8 * size / 10
    return tuple(out)


def test_layout_small_type_footnotes_without_rule_and_dateline_kept() -> None:
    lines = (
        _line("Den Haag, 22 mei 2023", 380, 120),  # right-aligned dateline: not a colofon
        _line("Het plan is klaar en de minister", 80, 160),
        (*_line("stuurt het naar de Kamer.", 80, 174), _w("3", 220, 171, 6, sup=True)),
        _line("Een tweede alinea volgt hier.", 80, 202),
        _line("3 Kamerstuk 29 911, nr. 387.", 80, 700, 7.5),
        _line("vervolg van de noot", 80, 709, 7.5),
    )
    doc = _layout([PageLines(1, 595, 842, lines)])
    kinds = [(b.kind, b.str) for b in doc.blocks]
    assert kinds[0] == ("dateline", "Den Haag, 22 mei 2023")
    assert ("paragraph", "Het plan is klaar en de minister stuurt het naar de Kamer.³") in kinds
    assert ("paragraph", "Een tweede alinea volgt hier.") in kinds
    notes = doc.of_kind("footnote")
    assert [(b.printed, b.str) for b in notes] == [
        ("3", "Kamerstuk 29 911, nr. 387. vervolg van de noot")
    ]
    assert doc.of_kind("colofon") == []


def test_layout_small_type_without_number_is_not_a_footnote_zone() -> None:
    lines = (
        _line("Het plan is klaar.", 80, 160),
        _line("Bijlage: overzicht van de middelen", 80, 700, 7.5),
    )
    doc = _layout([PageLines(1, 595, 842, lines)])
    assert doc.of_kind("footnote") == []
    assert [b.str for b in doc.blocks if b.kind in CONTENT_KINDS] == [
        "Het plan is klaar.",
        "Bijlage: overzicht van de middelen",
    ]


def test_layout_running_head_needs_repetition() -> None:
    def page(n: int, head: str) -> PageLines:
        return PageLines(
            n, 595, 842, (_line(head, 80, 40, 8), _line(f"Tekst op bladzijde {n}.", 80, 200))
        )

    doc = _layout([page(1, "Ministerie van Financiën"), page(2, "Ministerie van Financiën")])
    assert "Ministerie" not in _content(doc)
    assert [b.label for b in doc.of_kind("furniture")] == ["running head", "running head"]
    single = _layout([page(1, "Ministerie van Financiën")])
    assert "Ministerie van Financiën" in single.text
    differ = _layout([page(1, "Eerste kop"), page(2, "Tweede kop")])
    assert "Eerste kop" in differ.text and "Tweede kop" in differ.text


def test_a_footer_with_the_page_number_is_furniture_but_repeated_footnotes_are_not() -> None:
    def page(n: int) -> PageLines:
        return PageLines(
            n,
            595,
            842,
            (
                _line(f"Tekst op bladzijde {n} met een verwijzing.", 80, 200),
                (_w("2", 80, 740, 7, sup=True), *_line("Kamerstuk 29 911, nr. 387.", 86, 740, 7.5)),
                _line(f"Tweede Kamer, vergaderjaar 2023-2024, Aanhangsel {n}", 80, 800, 9),
            ),
        )

    doc = _layout([page(1), page(2)])
    assert [b.label for b in doc.of_kind("furniture")] == ["running head", "running head"]
    assert [b.str for b in doc.of_kind("footnote")] == ["Kamerstuk 29 911, nr. 387."] * 2


def test_word_counts_match_text(letters) -> None:  # type: ignore[no-untyped-def]
    doc, _ = letters["letter_000"]
    tokens = Counter(doc.source_text[w.start : w.end].strip("(),.") for w in doc.words)
    assert tokens["Kamerstuk"] == len(re.findall(r"\bKamerstuk\b", doc.source_text)) >= 9


@pytest.mark.parametrize(
    ("name", "date_text", "kenmerk", "subject"),
    [
        (
            "letter_000",
            "22 mei 2023",
            "4567890",
            "Halfjaarbrief georganiseerde, ondermijnende criminaliteit",
        ),
        (
            "letter_001",
            "4 november 2022",
            "4273218",
            "Najaarsbrief georganiseerde, ondermijnende criminaliteit",
        ),
    ],
)
def test_colofon_metadata_and_lines(letters, name, date_text, kenmerk, subject) -> None:  # type: ignore[no-untyped-def]
    doc, _ = letters[name]
    fields = {b.label: b.str for b in doc.of_kind("colofon")}
    assert fields["date_text"] == date_text
    assert fields["kenmerk"] == kenmerk
    assert fields["subject"] == subject
    assert [b.page for b in doc.of_kind("colofon")] == [1] * len(fields)
    # The rest of the colofon column is furniture, on every page.
    content = _content(doc)
    for dropped in ("Turfmarkt", "DG Ondermijning", "Directoraat-Generaal", "Ons kenmerk"):
        assert dropped not in content
    assert doc.source_kind == "pdf"
    assert doc.warnings == []


@pytest.mark.parametrize("name", ["letter_000", "letter_001"])
def test_running_heads_and_page_starts(letters, name) -> None:  # type: ignore[no-untyped-def]
    doc, truth = letters[name]
    n = len(truth["pages"])
    assert len(doc.page_starts) == n
    assert doc.page_starts[0] == 0
    for i, start in enumerate(doc.page_starts[1:], start=2):
        assert doc.source_text[start - 1] == "\f"
        assert doc.page_of(start) == i
    content = _content(doc)
    assert not re.search(r"Pagina \d+ van \d+", content)
    assert "Ministerie van Justitie en Veiligheid" not in content.split("\n")
    reasons = Counter(b.label for b in doc.of_kind("furniture"))
    assert reasons["page number"] == n and reasons["running head"] >= n


@pytest.mark.parametrize("name", ["letter_000", "letter_001"])
def test_footnotes_at_page_ends(letters, name) -> None:  # type: ignore[no-untyped-def]
    doc, truth = letters[name]
    total = 0
    for tpage in truth["pages"]:
        notes = tpage["footnotes"]
        total += len(notes)
        got = {
            b.printed.translate(str.maketrans(SUP, "0123456789")): b.str
            for b in doc.of_kind("footnote")
            if b.page == tpage["page"] and b.printed
        }
        assert set(got) == set(notes), tpage["page"]
        for n, text in notes.items():
            assert got[n].startswith(text[:25]), (n, text)
    assert total == len(doc.of_kind("footnote"))


def test_superscript_markers_000(letters) -> None:  # type: ignore[no-untyped-def]
    doc, _ = letters["letter_000"]
    body = _content(doc)
    for expected in (
        "Najaarsbrief¹",
        "toegezegde²",
        "2022³",
        "jongerenwerk.⁴",
        "Boulakjar.⁵",
        "gemeenten.⁷,⁸",
        "c.s.⁹",
        "Kamerbrief¹⁰",
        "OMG’s.¹⁸",
    ):
        assert expected in body
    markers = re.findall(f"[{SUP}]+", body)
    assert sorted(int(m.translate(str.maketrans(SUP, "0123456789"))) for m in markers) == list(
        range(1, 19)
    )


def test_superscript_markers_001_and_raised_note_numbers(letters) -> None:  # type: ignore[no-untyped-def]
    doc, truth = letters["letter_001"]
    markers = [
        int(m.translate(str.maketrans(SUP, "0123456789")))
        for m in re.findall(f"[{SUP}]+", _content(doc))
    ]
    notes = sorted({int(k) for p in truth["pages"] for k in p["footnotes"]})
    assert markers == notes
    first = doc.of_kind("footnote")[0]
    assert first.str == "Tweede Kamer, vergaderjaar 2021-2022, 28 741, nr. 86."
    assert first.printed in {"1", "¹"}


@pytest.mark.parametrize("name", ["letter_000", "letter_001"])
def test_body_words_complete_and_in_order(letters, name) -> None:  # type: ignore[no-untyped-def]
    doc, truth = letters[name]
    for tpage in truth["pages"]:
        got = re.sub(f"[{SUP}]+(,[{SUP}]+)*|\\s+", "", _content(doc, tpage["page"]))
        # Every body word, in order (line-end hyphens joined).
        pos, missing = 0, []
        for word in tpage["body_words"]:
            at = got.find(word.rstrip("-"), pos)
            if at < 0:
                missing.append(word)
            else:
                pos = at + len(word.rstrip("-"))
        assert missing == [], tpage["page"]


@pytest.mark.parametrize("name", ["letter_000", "letter_001"])
def test_word_provenance(letters, name) -> None:  # type: ignore[no-untyped-def]
    doc, _ = letters[name]
    assert doc.words
    starts = [w.start for w in doc.words]
    assert starts == sorted(starts)
    for w in doc.words:
        raw = doc.source_text[w.start : w.end]
        assert raw and not raw.isspace()
        assert w.box.x0 < w.box.x1 and w.box.top < w.box.bottom
        assert w.confidence is None
    # every character of the source text is covered by a word box
    covered = sum(w.end - w.start for w in doc.words)
    non_space = sum(1 for ch in doc.source_text if not ch.isspace())
    assert covered == non_space
    # boxes sit on the page their text is on
    wrong = [w for w in doc.words if doc.page_of(w.start) != w.box.page]
    assert wrong == []


def test_real_kamerstuk_pdf() -> None:
    doc = read_pdf(REAL_PDF)
    assert doc.page_starts == [0]
    text = doc.text
    for needle in (
        "21 501-02 Raad Algemene Zaken",
        "MOTIE VAN HET LID CEDER",
        "Voorgesteld 10 april 2025",
        "verzoekt de regering",
    ):
        assert needle in text
    assert text.index("De Kamer,") < text.index("verzoekt de regering") < text.index("Ceder")
    assert "kst-21501-02-3121" in doc.source_text
    assert len(doc.words) > 150


@pytest.mark.parametrize(
    ("key", "stage", "message"),
    [
        ("encrypted", "open", "encrypted and needs a password"),
        ("corrupt", "open", "corrupt or truncated"),
        ("truncated", "open", "corrupt or truncated"),
        ("zero_pages", "open", "no pages"),
        ("blank_png", "open", "not a PDF"),
    ],
)
def test_bad_pdfs_raise_clear_errors(fx, key, stage, message) -> None:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    with pytest.raises(IngestError) as err:
        read_pdf(fx[key])
    assert err.value.stage == stage
    assert message in err.value.message
    assert str(fx[key]) in str(err.value)
    assert time.perf_counter() - t0 < 10


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no such file"):
        read_pdf(tmp_path / "nope.pdf")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(IngestError, match="file is empty"):
        read_pdf(empty)


def test_page_limit_reads_first_pages_with_warning(fx) -> None:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    doc = read_pdf(fx["pages_500"], limits=Limits(max_pages=40))
    assert time.perf_counter() - t0 < 20
    assert len(doc.page_starts) == 40
    assert any("Limits.max_pages" in w and "40 of 500" in w for w in doc.warnings)
    assert "bladzijde 40 van de lange bijlage" in doc.text
    assert "bladzijde 41 " not in doc.text


def test_time_limit_kills_worker(fx) -> None:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    with pytest.raises(IngestError) as err:
        read_pdf(fx["pages_500"], limits=Limits(timeout_s=0.05))
    assert err.value.stage == "limits"
    assert "Limits.timeout_s" in err.value.message
    assert time.perf_counter() - t0 < 10


def test_file_size_limit(fx) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IngestError) as err:
        read_pdf(fx["letter_000"], limits=Limits(max_file_mb=0.01))
    assert err.value.stage == "limits" and "Limits.max_file_mb" in err.value.message


def test_invalid_ocr_mode(fx) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="ocr must be"):
        read_pdf(fx["letter_000"], ocr="sometimes")


def test_scan_without_ocr_warns(fx) -> None:  # type: ignore[no-untyped-def]
    doc = read_pdf(fx["scan_000"], ocr="never")
    assert doc.source_text.strip() == ""
    assert "no text found in the PDF" in doc.warnings


# --- pure parts, table-driven ----------------------------------------------- #


@pytest.mark.parametrize(
    ("words", "ok", "reason"),
    [
        (
            [
                "De",
                "minister",
                "informeert",
                "de",
                "Kamer",
                "over",
                "de",
                "voortgang",
                "van",
                "het",
                "plan.",
            ],
            True,
            "",
        ),
        (["Kamerstuk", "29", "911,", "nr.", "379."], True, ""),
        ([], False, "no text layer"),
        (["ab"], False, "no text layer"),
        (["Tabel", *[str(i) for i in range(1, 13)]], False, "not text"),
        (["#$%", "12@", "~~q3", "{x}", "99&&", "^^", "0x0", "[[", "]]"], False, "not text"),
        (["(cid:12)(cid:34)(cid:56)"] * 12, False, "cid"),
        (("qzx vbn wrt pkl " * 12).split(), False, "Dutch"),
    ],
)
def test_text_layer_quality(words: list[str], ok: bool, reason: str) -> None:
    got_ok, got_reason = text_layer_quality(words)
    assert got_ok is ok
    assert reason in got_reason


@pytest.mark.parametrize(
    ("line", "match"),
    [
        ("Pagina 2 van 7", True),
        ("pagina 12/30", True),
        ("Page 3 of 9", True),
        ("- 4 -", True),
        ("17", True),
        ("Pagina's 2 tot 7 van het rapport", False),
        ("27 gemeenten.", False),
        ("2 Kamerstuk 29 911, nr. 387.", False),
    ],
)
def test_page_number_lines(line: str, match: bool) -> None:
    assert bool(PAGE_NUMBER.match(line)) is match


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Datum", "datum"),
        ("Datum 4 november 2022", "datum"),
        ("Ons kenmerk", "ons kenmerk"),
        ("Ons kenmerk: 4273218", "ons kenmerk"),
        ("Onderwerp Najaarsbrief", "onderwerp"),
        ("Bijlage(n)", "bijlage(n)"),
        ("Datumgrens verlopen", None),
        ("Kenmerkend is dat", None),
        ("De datum is bekend", None),
    ],
)
def test_colofon_labels(line: str, expected: str | None) -> None:
    assert _label_of(line) == expected


def _w(text: str, x0: float, top: float, size: float = 10.0, *, sup: bool = False) -> Word:
    width = 5.5 * len(text) * size / 10
    return Word(text, x0, top, x0 + width, top + size, size, sup=sup)
