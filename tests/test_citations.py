"""Tests for the citation extractor (ANNOTATION.md §3)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamerbrief_extract.extract.citations import KINDS, CitationMatch, find_citations


def ids(text: str) -> list[tuple[str, str]]:
    return [(m.id, m.kind) for m in find_citations(text)]


KST = "kamerstuk"

POSITIVE: list[tuple[str, list[tuple[str, str]]]] = [
    # Kamerstukken, every form named in the guide
    ("Kamerstuk 29 911, nr. 379.", [("kst-29911-379", KST)]),
    ("Kamerstukken II 2021/22, 29911, 355", [("kst-29911-355", KST)]),
    ("Kamerstukken II 2021/22, 29 911, nr. 355", [("kst-29911-355", KST)]),
    ("Tweede Kamer, vergaderjaar 2021-2022, 28 741, nr. 86.", [("kst-28741-86", KST)]),
    ("Tweede Kamer, vergaderjaar 2022-2023, 36217, nr 2.", [("kst-36217-2", KST)]),
    ("Tweede Kamer, vergaderjaar 2022-2023, 29911 nr. 374.", [("kst-29911-374", KST)]),
    ("zie 29911 nr. 374", [("kst-29911-374", KST)]),
    ("Kamerstuk 36 200 VI, nr. 72.", [("kst-36200-VI-72", KST)]),
    ("Kamerstukken 36 200-VI, nr. 72", [("kst-36200-VI-72", KST)]),
    ("Kamerstukken 36 200–VI, nr. 72", [("kst-36200-VI-72", KST)]),
    ("Kamerstukken II 2022/23, 36 200 XIV, nr. 5", [("kst-36200-XIV-5", KST)]),
    ("Kamerstuk 35 925 IXB, nr. 3", [("kst-35925-IXB-3", KST)]),
    ("Kamerstuk 36 200 A, nr. 5", [("kst-36200-A-5", KST)]),
    ("zoals gemeld (21501-32-1740).", [("kst-21501-32-1740", KST)]),
    ("21 501-32, nr. 1703", [("kst-21501-32-1703", KST)]),
    ("Kamerstuk 21 501-02, nr. 2500", [("kst-21501-02-2500", KST)]),
    ("Kamerstuk 21501-32-1740", [("kst-21501-32-1740", KST)]),
    ("Kamerstuk 29911-379", [("kst-29911-379", KST)]),
    ("Kamerstuknummer 29 911, nr. 379", [("kst-29911-379", KST)]),
    (
        "Kamerstukken 29 477 en 33 009, nr. 628",
        [("kst-29477-628", KST), ("kst-33009-628", KST)],
    ),
    ("Kamerstuk 29 911, nrs. 379 en 387", [("kst-29911-379", KST), ("kst-29911-387", KST)]),
    ("Kamerstuk 29 911, nr. 379 en 387.", [("kst-29911-379", KST), ("kst-29911-387", KST)]),
    (
        "Kamerstukken II 2021/22, 29 911, nrs. 355, 356 en 360.",
        [("kst-29911-355", KST), ("kst-29911-356", KST), ("kst-29911-360", KST)],
    ),
    (
        "Kamerstuk 29 911, nr. 379 en 29 911, nr. 387",
        [("kst-29911-379", KST), ("kst-29911-387", KST)],
    ),
    ("kst-29911-379", [("kst-29911-379", KST)]),
    ("kst-36200-VI-72", [("kst-36200-VI-72", KST)]),
    ("kst-21501-32-1740", [("kst-21501-32-1740", KST)]),
    ("https://zoek.officielebekendmakingen.nl/kst-29911-379.html", [("kst-29911-379", KST)]),
    ("Kamerstuk 23 761", [("kst-23761", KST)]),
    ("Kamerstuk 23 761.", [("kst-23761", KST)]),
    ("(Kamerstukken 29 911 en 28 684)", [("kst-29911", KST), ("kst-28684", KST)]),
    ("Kamerstukken I 2020/21, 35 570, A.", [("kst-35570-A", KST)]),
    ("Eerste Kamer, vergaderjaar 2020-2021, 35 570, nr. B", [("kst-35570-B", KST)]),
    (
        "Kamerstukken II 2022/23, 36 200 XIV, nr. 5 en 35 925 IXB, nr. 3",
        [("kst-36200-XIV-5", KST), ("kst-35925-IXB-3", KST)],
    ),
    # a footnote number opening the line does not hide a bare citation
    ("3 29911 nr. 374.", [("kst-29911-374", KST)]),
    ("tekst\n12 21501-32-1740", [("kst-21501-32-1740", KST)]),
    # OCR and typography variants
    ("Kamerstuk 29 911, Nr. 379", [("kst-29911-379", KST)]),
    ("Kamerstuk 29 911, nr, 379", [("kst-29911-379", KST)]),
    ("Kamerstuk 29 911 nr. 379", [("kst-29911-379", KST)]),
    ("Kamerstuk 29\u00a0911,\u00a0nr.\u00a0379", [("kst-29911-379", KST)]),
    ("Kamerstuk 29 911,\nnr. 379", [("kst-29911-379", KST)]),
    ("Kamer-\nstukken II 2021/22, 29 911, nr. 355", [("kst-29911-355", KST)]),
    ("Kamerstuk II 2021/22, 29911, nr. 1", [("kst-29911-1", KST)]),
    ("Kamerstukken Il 2021/22, 29911, nr. 1", [("kst-29911-1", KST)]),
    ("Kamerstukken 11 2021/22, 29911, nr. 1", [("kst-29911-1", KST)]),
    ("Kst. 29 911, nr. 379", [("kst-29911-379", KST)]),
    ("TK 2021-2022, 29911, nr. 355", [("kst-29911-355", KST)]),
    ("Kamerstukken II 2021–2022, 29 911, nr. 355", [("kst-29911-355", KST)]),
    ("Kamerstukken II 2021/2022, 29 911, nr. 355", [("kst-29911-355", KST)]),
    ("kamerstukken II 1999/00, 26 800, nr. 2", [("kst-26800-2", KST)]),
    (
        "Tweede Kamer der Staten-Generaal, vergaderjaar 2020-2021, 29 911, nr. 292",
        [("kst-29911-292", KST)],
    ),
    # Handelingen and Aanhangsel
    ("Handelingen II 2022/23, nr. 24, items 6 en 11", [("h-tk-20222023-24", "handelingen")]),
    ("(Handelingen\n11 2022/23, nr. 24, items 6 en 11)", [("h-tk-20222023-24", "handelingen")]),
    ("Handelingen Il 2022/23, nr. 24", [("h-tk-20222023-24", "handelingen")]),
    ("Handelingen ll 2022/23, nr. 24", [("h-tk-20222023-24", "handelingen")]),
    ("Hand. II 2022/23, nr. 24, item 6", [("h-tk-20222023-24", "handelingen")]),
    ("Handelingen II 2019/20, 68, item 12", [("h-tk-20192020-68", "handelingen")]),
    ("Handelingen I 2022/23, nr. 5", [("h-ek-20222023-5", "handelingen")]),
    ("h-tk-20222023-24-6", [("h-tk-20222023-24", "handelingen")]),
    ("Aanhangsel Handelingen II 2021/22, nr. 3913.", [("ah-tk-20212022-3913", "aanhangsel")]),
    ("Aanhangsel Handelingen 11 2021/22, nr. 3913.", [("ah-tk-20212022-3913", "aanhangsel")]),
    ("Aanhangsel Handelingen Il 2022/23, nr. 37.", [("ah-tk-20222023-37", "aanhangsel")]),
    ("Aanhangsel van de Handelingen II 2021/22, 3913", [("ah-tk-20212022-3913", "aanhangsel")]),
    ("ah-tk-20212022-3913", [("ah-tk-20212022-3913", "aanhangsel")]),
    # Gazettes
    ("(Stb. 2021, nr. 346).", [("stb-2021-346", "staatsblad")]),
    ("Stb. 2021, 346", [("stb-2021-346", "staatsblad")]),
    ("Stb 2021, 346", [("stb-2021-346", "staatsblad")]),
    ("Staatsblad 2021, 346", [("stb-2021-346", "staatsblad")]),
    ("stb-2021-346", [("stb-2021-346", "staatsblad")]),
    ("Stcrt. 2015, 10247", [("stcrt-2015-10247", "staatscourant")]),
    ("Staatscourant 2015, nr. 10247", [("stcrt-2015-10247", "staatscourant")]),
    ("Trb. 2008, 175", [("trb-2008-175", "tractatenblad")]),
    ("Tractatenblad 2008, 175", [("trb-2008-175", "tractatenblad")]),
    # ECLI
    ("Zie Hoge Raad, 24 december 2021, ECLI:NL:HR:2021:1946.", [("ECLI:NL:HR:2021:1946", "ecli")]),
    ("ECLI:NL:RBDHA:2020:1234", [("ECLI:NL:RBDHA:2020:1234", "ecli")]),
    ("ecli:nl:gharl:2019:99", [("ECLI:NL:GHARL:2019:99", "ecli")]),
    ("ECLI:EU:C:2014:2257", [("ECLI:EU:C:2014:2257", "ecli")]),
    # zaak / document numbers
    ("zaak 2022Z20667", [("2022Z20667", "zaak")]),
    ("document 2022D37509", [("2022D37509", "document")]),
    (
        "met als kenmerk: 2022Z17051/2022D36434.",
        [("2022Z17051", "zaak"), ("2022D36434", "document")],
    ),
    (
        "Tweede Kamer, vergaderjaar 2022-2023, nr. 2022D37509: Beleidsagenda",
        [("2022D37509", "document")],
    ),
    ("Tweede Kamer, vergaderjaar 2022-2023, 2022Z20667.", [("2022Z20667", "zaak")]),
    # Handelingen: a renumbered motion with its former number, dossier first or number first
    (
        "de gewijzigde motie (34 567, nr. 31, was nr. 27).",
        [("kst-34567-31", KST), ("kst-34567-27", KST)],
    ),
    ("Kamerstuk 34567, nr. 31, voorheen nr. 27", [("kst-34567-31", KST), ("kst-34567-27", KST)]),
    ("Kamerstuk 34567, nr. 31, wat nr. 27 volgt", [("kst-34567-31", KST)]),
    ("Zij krijgt nr. 31, was nr. 27 (34 567).", [("kst-34567-31", KST), ("kst-34567-27", KST)]),
    (
        "Zij krijgt nr. 40 , was nr. 38 ( 21501-04 ).",
        [("kst-21501-04-40", KST), ("kst-21501-04-38", KST)],
    ),
    (
        "de moties nrs. 12 en 13 (36200 XV) zijn aangehouden",
        [("kst-36200-XV-12", KST), ("kst-36200-XV-13", KST)],
    ),
    ("Zij krijgt nr. 9, voorheen nr. 4 (35123).", [("kst-35123-9", KST), ("kst-35123-4", KST)]),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE)
def test_positive_forms(text: str, expected: list[tuple[str, str]]) -> None:
    assert ids(text) == expected


@pytest.mark.parametrize(("text", "_expected"), POSITIVE)
def test_offsets_are_consistent(text: str, _expected: list[tuple[str, str]]) -> None:
    for m in find_citations(text):
        assert text[m.start : m.end] == m.raw
        assert m.raw == m.raw.strip() and m.raw[-1] not in ".,;:("


NEGATIVE = [
    "15 000 - 20 000 woningen",
    "15.000-20.000 woningen",
    "2500 EH Den Haag",
    "Turfmarkt 147\n2511 DP Den Haag",
    "Postbus 20301 2500 EH Den Haag",
    "070 370 79 11",
    "06-12345678",
    "070-3707911",
    "Ons kenmerk 4273218",
    "Ons kenmerk\n4 273218",
    "in 2022",
    "2017 en 2022",
    "bijlage 3",
    "Zie bijlage 4.",
    "artikel 2:20 BW",
    "artikel 184a, tweede lid",
    "24 december 2021",
    "€ 1.234.567",
    "€ 1 234 567",
    "Veiligheidsagenda (2023 t/m 2026)",
    "2023-2026",
    "in de periode 2021-2022",
    "250 fte",
    "p. 20",
    "nr. 24",
    "motie nr. 24",
    "Beslisnota bij Kamerstuk inzake beleidsreactie",
    "Kamerstuk 2022",
    "Kamerstukken II 2021/22",
    "12 345 nieuwe woningen",
    "Handelingen 2022",
    "Stb. 2021",
    "Staatsblad van het Koninkrijk",
    "ECLI:NL",
    "2022Z2066",
    "X2022Z20667",
    "Tweede Kamer, vergaderjaar 2022-2023",
    "in totaal 12345-6789 euro",
    "Den Haag, 22 mei 2023",
    "Datum 4 november 2022",
    "ruim 1 29 911 nr. 5",  # "1 29 911" is one figure, not a dossier
    "in 5 21501-32-1740",
    "Staatsblad 2021 346",  # no separator between year and number
    "nr. 5 (2021)",  # a year in brackets is no dossier
    "bijlage nr. 3 (zie 34567)",  # the bracket holds more than the dossier
    "nr. 7 (12 345 woningen)",
    "nr. 7 (12 345",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_near_misses_are_not_citations(text: str) -> None:
    assert find_citations(text) == []


RAW = [
    ("Zie (Kamerstuk 29 911, nr. 415). De", "Kamerstuk 29 911, nr. 415"),
    (
        "toezegging (Handelingen\n11 2022/23, nr. 24, items 6 en 11) zal ik",
        "Handelingen\n11 2022/23, nr. 24, items 6 en 11",
    ),
    (
        "ref. Tweede Kamer, vergaderjaar 2021-2022, 29628, nr. 1098) en",
        "Tweede Kamer, vergaderjaar 2021-2022, 29628, nr. 1098",
    ),
    (
        "Tweede Kamer, vergaderjaar 2022-2023, nr. 2022D37509: Beleidsagenda",
        "Tweede Kamer, vergaderjaar 2022-2023, nr. 2022D37509",
    ),
    ("in werking is getreden (Stb. 2021, nr. 346).", "Stb. 2021, nr. 346"),
    ("kenmerk: 2022Z17051/2022D36434.", "2022Z17051"),
    ("Zie 21 501-32, nr. 1703 en", "21 501-32, nr. 1703"),
]


@pytest.mark.parametrize(("text", "raw"), RAW)
def test_raw_covers_citation_words(text: str, raw: str) -> None:
    first = find_citations(text)[0]
    assert first.raw == raw
    assert first.start == text.index(raw)


FIELDS = [
    ("Kamerstukken II 2021/22, 29 911, nr. 355", "2021-2022", "29911", "355"),
    ("Tweede Kamer, vergaderjaar 2019–2020, 29 911, nr. 254", "2019-2020", "29911", "254"),
    ("Kamerstuk 36 200 VI, nr. 72", None, "36200-VI", "72"),
    ("21 501-32, nr. 1703", None, "21501-32", "1703"),
    ("Kamerstuk 23 761", None, "23761", None),
    ("Aanhangsel Handelingen II 2021/22, nr. 3913", "2021-2022", None, "3913"),
    ("Handelingen II 2022/23, nr. 24, items 6 en 11", "2022-2023", None, "24"),
    ("Stb. 2021, nr. 346", None, None, "346"),
    ("Tweede Kamer, vergaderjaar 2022-2023, 2022Z20667", "2022-2023", None, None),
]


CONTINUED = [
    # A second citation under one series word inherits the vergaderjaar...
    (
        "Kamerstukken II 2022/23, 36 200 XIV, nr. 5 en 35 925 IXB, nr. 3",
        [
            ("2022-2023", "Kamerstukken II 2022/23, 36 200 XIV, nr. 5"),
            ("2022-2023", "35 925 IXB, nr. 3"),
        ],
    ),
    # ...unless it states its own.
    (
        "Kamerstukken II 2021/22, 29 911, nr. 355; 2022/23, 29 911, nr. 380.",
        [
            ("2021-2022", "Kamerstukken II 2021/22, 29 911, nr. 355"),
            ("2022-2023", "2022/23, 29 911, nr. 380"),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CONTINUED)
def test_continued_citations_have_own_span_and_vergaderjaar(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(m.vergaderjaar, m.raw) for m in find_citations(text)] == expected


@pytest.mark.parametrize(("text", "vergaderjaar", "dossier", "number"), FIELDS)
def test_secondary_fields(
    text: str, vergaderjaar: str | None, dossier: str | None, number: str | None
) -> None:
    (m,) = find_citations(text)
    assert (m.vergaderjaar, m.dossier, m.number) == (vergaderjaar, dossier, number)


@pytest.mark.parametrize(
    "text",
    ["Kamerstukken II 2021/23, 29 911, nr. 355", "Kamerstukken II 2021/2020, 29 911, nr. 355"],
)
def test_non_consecutive_years_are_not_a_vergaderjaar(text: str) -> None:
    assert all(m.vergaderjaar is None for m in find_citations(text))


def test_citations_come_in_order_of_position() -> None:
    text = (
        "Zoals toegezegd (Handelingen II 2022/23, nr. 24, item 6) en gemeld in "
        "Kamerstuk 29 911, nr. 379; zie ook Stb. 2021, 346, ECLI:NL:HR:2021:1946 "
        "en zaak 2022Z20667. Eerder: kst-36200-VI-72 en Kamerstuk 29 911, nrs. 379 en 387."
    )
    found = find_citations(text)
    assert [m.id for m in found] == [
        "h-tk-20222023-24",
        "kst-29911-379",
        "stb-2021-346",
        "ECLI:NL:HR:2021:1946",
        "2022Z20667",
        "kst-36200-VI-72",
        "kst-29911-379",
        "kst-29911-387",
    ]
    starts = [m.start for m in found]
    assert starts == sorted(starts)


def test_match_is_frozen() -> None:
    m = find_citations("Kamerstuk 29 911, nr. 379")[0]
    with pytest.raises(AttributeError):
        m.id = "x"  # type: ignore[misc]


# ----------------------------------------------------------------- property tests

ID_SHAPES = {
    "kamerstuk": r"kst-\d{5,6}(-(?:[IVXL]+[A-C]?|[A-Z]|\d{1,2}))?(-(\d{1,5}|[A-Z]{1,2}))?",
    "handelingen": r"h-(tk|ek)-(\d{4})(\d{4})-\d{1,5}",
    "aanhangsel": r"ah-(tk|ek)-(\d{4})(\d{4})-\d{1,5}",
    "staatsblad": r"stb-\d{4}-\d{1,6}",
    "staatscourant": r"stcrt-\d{4}-\d{1,6}",
    "tractatenblad": r"trb-\d{4}-\d{1,6}",
    "ecli": r"ECLI:[A-Z]{2}:[A-Z0-9]{1,7}:\d{4}:[A-Z0-9.]+",
    "zaak": r"\d{4}Z\d{5}",
    "document": r"\d{4}D\d{5}",
}
assert set(ID_SHAPES) == set(KINDS)

FRAGMENTS = [
    "Kamerstuk", "Kamerstukken", "II", "11", "Il", "I", "TK", "Kst.", "Tweede Kamer,",
    "vergaderjaar", "2021/22", "2021-2022", "2022/23", "29 911", "29911", "36 200", "VI",
    "-", "–", "-32", ",", ", ", " ", "\n", "\u00a0", "nr.", "nrs.", "nr", "379", "en", "33 009",
    "Handelingen", "Aanhangsel", "items 6 en 11", "Stb.", "Staatscourant", "2021", "346",
    "ECLI:NL:HR:2021:1946", "2022Z20667", "2022D37509", "/", "kst-29911-379", "(", ")", ".",
    "A", "h-tk-20222023-24", "€", "1.234", "2500 EH",
]  # fmt: skip


def _check_well_formed(text: str, found: list[CitationMatch]) -> None:
    for m in found:
        assert m.kind in KINDS
        assert re.fullmatch(ID_SHAPES[m.kind], m.id), m
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.raw
        if m.vergaderjaar is not None:
            y1, y2 = map(int, m.vergaderjaar.split("-"))
            assert y2 == y1 + 1
    assert [m.start for m in found] == sorted(m.start for m in found)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises(text: str) -> None:
    _check_well_formed(text, find_citations(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join))
def test_citation_like_text_gives_well_formed_ids(text: str) -> None:
    _check_well_formed(text, find_citations(text))


# ----------------------------------------------------------------- sample letters

ROOT = Path(__file__).resolve().parents[1]
GOLD = sorted((ROOT / "tests" / "gold").glob("*.json"))


@pytest.mark.parametrize("gold_path", GOLD, ids=lambda p: p.stem)
def test_sample_letters_match_gold_citation_ids(gold_path: Path) -> None:
    """The annotated citations of each sample letter, counted per mention."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = (ROOT / "data" / "raw" / gold["source"]).read_text(encoding="utf-8")
    required = Counter(c["id"] for c in gold["citations"] if not c.get("optional"))
    optional = {c["id"] for c in gold["citations"] if c.get("optional")}
    found = Counter(m.id for m in find_citations(text) if m.id not in optional)
    assert found == required


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tweede Kamer, vergaderjaar 2022-2023, 2022220667.", [("2022Z20667", "zaak")]),
        (
            "verstuurd met als kenmerk: 2022217051/2022D36434.",
            [("2022Z17051", "zaak"), ("2022D36434", "document")],
        ),
        ("Er waren in totaal 2022220667 bezoekers.", []),
        ("Bel ons op 2022123456 voor vragen.", []),
    ],
)
def test_ocr_zaak_number_with_z_read_as_2(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(c.id, c.kind) for c in find_citations(text)] == expected


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("kst-29911-379", ["kst-29911-379"]),
        ("kst-21501-32-1740", ["kst-21501-32-1740"]),
        ("kst-29911-379-2021/22", []),  # found by hypothesis: a 3-digit sub-dossier does not exist
    ],
)
def test_written_out_ids_need_a_real_sub_dossier(text: str, ids: list[str]) -> None:
    assert [c.id for c in find_citations(text)] == ids


def test_patterns_written_first_letter_first_keep_their_lookbehind() -> None:
    """The series and id patterns open with their first letter and check the character
    before it after it: a word or a dash glued in front still stops them."""
    from kamerbrief_extract.extract.citations import find_citations

    ids = {
        c.id for c in find_citations("Kamerstuk 34 567, nr. 8 en kst-12345-7; ECLI:NL:HR:2020:1")
    }
    assert ids == {"kst-34567-8", "kst-12345-7", "ECLI:NL:HR:2020:1"}
    glued = "xKamerstuk 34 567 en -kst-12345-7; 1ECLI:NL:HR:2020:1 a2023Z01234"
    assert [c.id for c in find_citations(glued)] == []
