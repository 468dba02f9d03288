"""PDF text-layer ingestion: geometry → layout text, limits, bad inputs."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from kamerbrief_extract.ingest.errors import IngestError
from kamerbrief_extract.ingest.limits import Limits
from kamerbrief_extract.ingest.pdf import (
    PAGE_NUMBER,
    PageLines,
    Word,
    _label_of,
    layout_pages,
    read_pdf,
    text_layer_quality,
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
def letters(fx: dict[str, Path]) -> dict[str, tuple[object, dict]]:
    out = {}
    for name in ("letter_000", "letter_001"):
        truth = json.loads(fx[f"truth_{name}"].read_text(encoding="utf-8"))
        out[name] = (read_pdf(fx[name], ocr="never"), truth)
    return out


def _pages(doc) -> list[str]:  # type: ignore[no-untyped-def]
    return doc.text.split("\f")


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
    assert doc.metadata == {"date_text": date_text, "kenmerk": kenmerk, "subject": subject}
    assert doc.text.startswith(f"Datum {date_text}\nOns kenmerk {kenmerk}\nOnderwerp {subject}\n")
    # The rest of the colofon column is dropped, on every page.
    for dropped in ("Turfmarkt", "DG Ondermijning", "Directoraat-Generaal", "Bijlagen\n6"):
        assert dropped not in doc.text
    assert doc.text.count("Ons kenmerk") == 1
    assert doc.source_kind == "pdf"
    assert doc.warnings == []


@pytest.mark.parametrize("name", ["letter_000", "letter_001"])
def test_running_heads_and_page_starts(letters, name) -> None:  # type: ignore[no-untyped-def]
    doc, truth = letters[name]
    n = len(truth["pages"])
    assert len(doc.page_starts) == n
    assert doc.page_starts[0] == 0
    for i, start in enumerate(doc.page_starts[1:], start=2):
        assert doc.text[start - 1] == "\f"
        assert doc.page_of(start) == i
    assert not re.search(r"Pagina \d+ van \d+", doc.text)
    assert "Ministerie van Justitie en Veiligheid\n" not in doc.text


@pytest.mark.parametrize("name", ["letter_000", "letter_001"])
def test_footnotes_at_page_ends(letters, name) -> None:  # type: ignore[no-untyped-def]
    doc, truth = letters[name]
    pages = _pages(doc)
    total = 0
    for page_text, tpage in zip(pages, truth["pages"], strict=True):
        lines = page_text.rstrip("\n").split("\n")
        notes = tpage["footnotes"]
        total += len(notes)
        if not notes:
            continue
        first_note = min(
            i for i, ln in enumerate(lines) if ln.startswith(f"{min(int(k) for k in notes)} ")
        )
        for n, text in notes.items():
            hits = [i for i, ln in enumerate(lines) if ln.startswith(f"{n} {text[:25]}")]
            assert hits, (n, text)
            assert hits[0] >= first_note
        # Nothing of the body after the footnote zone; a blank line before it.
        body_tail = tpage["body_words"][-1]
        assert body_tail in "\n".join(lines[:first_note])
        assert lines[first_note - 1] == ""
    assert total == len({k for p in truth["pages"] for k in p["footnotes"]})


def test_superscript_markers_000(letters) -> None:  # type: ignore[no-untyped-def]
    doc, _ = letters["letter_000"]
    body = doc.text
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
        for m in re.findall(f"[{SUP}]+", doc.text)
    ]
    notes = sorted({int(k) for p in truth["pages"] for k in p["footnotes"]})
    assert markers == notes
    # Footnote numbers that were raised in the PDF come out as plain digits.
    assert "\n1 Tweede Kamer, vergaderjaar 2021-2022, 28 741, nr. 86.\n" in doc.text
    assert "\n¹ " not in doc.text


@pytest.mark.parametrize("name", ["letter_000", "letter_001"])
def test_body_words_complete_and_in_order(letters, name) -> None:  # type: ignore[no-untyped-def]
    doc, truth = letters[name]
    for page_text, tpage in zip(_pages(doc), truth["pages"], strict=True):
        got = re.sub(f"[{SUP}]+(,[{SUP}]+)*", "", page_text).split()
        want = tpage["body_words"]
        # Every body word, in order (line-end hyphen splits allowed).
        it = iter(got)
        missing = [w for w in want if not any(g == w or w.startswith(g) for g in it)]
        assert missing == []


@pytest.mark.parametrize("name", ["letter_000", "letter_001"])
def test_word_provenance(letters, name) -> None:  # type: ignore[no-untyped-def]
    doc, _ = letters[name]
    assert doc.words
    starts = [w.start for w in doc.words]
    assert starts == sorted(starts)
    for w in doc.words:
        raw = doc.text[w.start : w.end]
        assert raw and not raw.isspace()
        assert w.box.x0 < w.box.x1 and w.box.top < w.box.bottom
        assert w.confidence is None
        if w.start > doc.page_starts[0] and not doc.text[: w.start].startswith(("Datum",)):
            pass
    # every emitted token is covered by a word box
    covered = sum(w.end - w.start for w in doc.words)
    non_space = sum(1 for ch in doc.text if not ch.isspace())
    labels = len("DatumOnskenmerkOnderwerp")
    assert covered >= non_space - labels
    # boxes sit on the page their text is on (colofon lines come from page 1)
    wrong = [w for w in doc.words if doc.page_of(w.start) != w.box.page]
    assert wrong == []


def test_real_kamerstuk_pdf() -> None:
    doc = read_pdf(REAL_PDF)
    assert doc.page_starts == [0]
    for needle in (
        "21 501-02 Raad Algemene Zaken",
        "Nr. 3121 MOTIE VAN HET LID CEDER",
        "Voorgesteld 10 april 2025",
        "verzoekt de regering",
        "kst-21501-02-3121",
        "Tweede Kamer, vergaderjaar 2024–2025, 21 501-02, nr. 3121",
    ):
        assert needle in doc.text
    assert (
        doc.text.index("De Kamer,")
        < doc.text.index("verzoekt de regering")
        < doc.text.index("Ceder")
    )
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
        read_pdf(fx["pages_500"], limits=Limits(timeout_s=0.5))
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
    assert doc.text.strip() == ""
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
        ("Datum", ("datum", "")),
        ("Datum 4 november 2022", ("datum", "4 november 2022")),
        ("Ons kenmerk", ("ons kenmerk", "")),
        ("Ons kenmerk: 4273218", ("ons kenmerk", "4273218")),
        ("Onderwerp Najaarsbrief", ("onderwerp", "Najaarsbrief")),
        ("Bijlage(n)", ("bijlage(n)", "")),
        ("Datumgrens verlopen", None),
        ("Kenmerkend is dat", None),
        ("De datum is bekend", None),
    ],
)
def test_colofon_labels(line: str, expected: tuple[str, str] | None) -> None:
    assert _label_of(line) == expected


def _w(text: str, x0: float, top: float, size: float = 10.0, *, sup: bool = False) -> Word:
    width = 5.5 * len(text) * size / 10
    return Word(text, x0, top, x0 + width, top + size, size, sup=sup)


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
    res = layout_pages([PageLines(1, 595, 842, lines)])
    assert res.text.startswith("Den Haag, 22 mei 2023\n")
    assert "naar de Kamer.³\n" in res.text.replace("Kamer. ³", "Kamer.³")
    assert res.text.endswith("\n\n3 Kamerstuk 29 911, nr. 387.\nvervolg van de noot\n")
    assert "\n\nEen tweede alinea" in res.text
    assert res.metadata == {}


def test_layout_small_type_without_number_is_not_a_footnote_zone() -> None:
    lines = (
        _line("Het plan is klaar.", 80, 160),
        _line("Bijlage: overzicht van de middelen", 80, 700, 7.5),
    )
    res = layout_pages([PageLines(1, 595, 842, lines)])
    assert res.text == "Het plan is klaar.\n\nBijlage: overzicht van de middelen\n" or (
        res.text == "Het plan is klaar.\nBijlage: overzicht van de middelen\n"
    )
    assert "\n\nBijlage" in res.text  # a paragraph gap, but no footnote


def test_layout_running_head_needs_repetition() -> None:
    def page(n: int, head: str) -> PageLines:
        return PageLines(
            n, 595, 842, (_line(head, 80, 40, 8), _line(f"Tekst op bladzijde {n}.", 80, 200))
        )

    res = layout_pages([page(1, "Ministerie van Financiën"), page(2, "Ministerie van Financiën")])
    assert "Ministerie" not in res.text
    single = layout_pages([page(1, "Ministerie van Financiën")])
    assert "Ministerie van Financiën" in single.text
    differ = layout_pages([page(1, "Eerste kop"), page(2, "Tweede kop")])
    assert "Eerste kop" in differ.text and "Tweede kop" in differ.text


def test_word_counts_match_text(letters) -> None:  # type: ignore[no-untyped-def]
    doc, _ = letters["letter_000"]
    tokens = Counter(doc.text[w.start : w.end].strip("(),.") for w in doc.words)
    assert tokens["Kamerstuk"] == len(re.findall(r"\bKamerstuk\b", doc.text)) >= 9
