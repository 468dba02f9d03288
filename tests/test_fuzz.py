"""Arbitrary text never crashes an extractor or the cleaning stage, and offsets stay honest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamerbrief_extract.batch import assign_output_names
from kamerbrief_extract.clean.document import clean_document
from kamerbrief_extract.extract.amounts import find_amounts
from kamerbrief_extract.extract.citations import find_citations
from kamerbrief_extract.extract.deadlines import find_deadlines
from kamerbrief_extract.ingest.text import ingest_text

# Pieces of the genre, so random text reaches deep into the patterns, not only the
# first character class: series words, numbers with odd spaces, money, periods.
FRAGMENTS = [
    "Kamerstuk",
    "Kamerstukken II",
    "Kamerstukken I 2023/24,",
    "Handelingen II 2022/23, nr. 12, item 4",
    "nr.",
    "nrs. 3 en 4",
    "29 911",
    "36\u00a0200-VI",
    "12345",
    "Stcrt. 2024, 123",
    "Stb. 2023, 4",
    "ECLI:NL:HR:2020:123",
    "2024Z01234",
    "€",
    "EUR",
    "€ 1,5 miljoen",
    "€5-10 mln.",
    "miljard",
    "ruim",
    "circa",
    "structureel",
    "per jaar",
    "in 2025 en 2026",
    "voor de zomer",
    "na het zomerreces",
    "eind 2025",
    "Q3 2024",
    "het derde kwartaal",
    "medio maart",
    "1 januari 2025",
    "31-12-2024",
    "Prinsjesdag",
    "binnen zes weken",
    "vóór 1 juli",
    "twintig",
    "honderd",
    "¹",
    "²³",
    "1",
    "(",
    ")",
    ".",
    ",",
    "-",
    "–",
    "/",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\f",
    "\t",
    "# ",
    "**",
    "Datum",
    "Ons kenmerk",
    "Onderwerp",
    "Den Haag,",
    "De Minister van Financiën,",
]

ALPHABET = st.characters(
    codec="utf-8",
    exclude_categories=("Cs",),
)
GENRE_TEXT = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(ALPHABET, max_size=6)),
    max_size=60,
).map("".join)
ANY_TEXT = st.one_of(st.text(ALPHABET, max_size=400), GENRE_TEXT)
DATES = st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31)))
FUZZ = settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
PRECISIONS = {"day", "month", "quarter", "season", "year", "recess", "event"}


def _check_offsets(text: str, start: int, end: int, raw: str) -> None:
    assert 0 <= start < end <= len(text)
    assert text[start:end] == raw


@pytest.mark.timeout(120)
@FUZZ
@given(ANY_TEXT)
def test_citations_on_any_text(text: str) -> None:
    for m in find_citations(text):
        _check_offsets(text, m.start, m.end, m.raw)
        assert m.id and m.kind


@pytest.mark.timeout(120)
@FUZZ
@given(ANY_TEXT)
def test_amounts_on_any_text(text: str) -> None:
    for m in find_amounts(text):
        _check_offsets(text, m.start, m.end, m.raw)
        assert isinstance(m.value_eur, Decimal) and m.value_eur.is_finite()
        assert m.value_max_eur is None or m.value_max_eur.is_finite()
        assert all(1000 <= y <= 9999 for y in m.years)


@pytest.mark.timeout(120)
@FUZZ
@given(ANY_TEXT, DATES)
def test_deadlines_on_any_text(text: str, reference: dt.date | None) -> None:
    for d in find_deadlines(text, reference):
        _check_offsets(text, d.start, d.end, d.raw)
        assert d.precision in PRECISIONS
        assert d.date is None or isinstance(d.date, dt.date)


@pytest.mark.timeout(120)
@FUZZ
@given(ANY_TEXT)
def test_cleaning_on_any_text(text: str) -> None:
    ingested = ingest_text(text)
    clean = clean_document(ingested)
    assert len(clean.source_map) == len(clean.text)
    assert 0 <= clean.body_end <= len(clean.text)
    assert all(0 <= s < len(text) for s in clean.source_map)  # offsets into the input
    for note in clean.notes:
        if note.start is not None and note.end is not None:
            assert clean.body_end <= note.start <= note.end <= len(clean.text)
    assert all(isinstance(v, str) for v in clean.meta.values() if v is not None)


# Relative paths made of the parts that collide: folders, `__`, double suffixes, case.
PATH_PART = st.sampled_from(["a", "A", "b", "a__b", "b.txt", "x y", "é", "__", "b~1"])
REL_PATHS = st.lists(
    st.lists(PATH_PART, min_size=1, max_size=3).map(lambda parts: "/".join(parts) + ".txt"),
    max_size=12,
    unique=True,
)


@FUZZ
@given(REL_PATHS, st.randoms(use_true_random=False))
def test_output_names_are_unique_and_do_not_depend_on_order(rels: list[str], rnd: Any) -> None:
    names = assign_output_names(rels, {})
    assert set(names) == set(rels)
    assert len({n.casefold() for n in names.values()}) == len(rels)
    assert all(n.endswith(".json") and "/" not in n for n in names.values())
    shuffled = list(rels)
    rnd.shuffle(shuffled)
    assert assign_output_names(shuffled, {}) == names
    kept = assign_output_names([*rels, "nieuw/z.txt"], names)  # a new input moves no one
    assert {rel: kept[rel] for rel in rels} == names
