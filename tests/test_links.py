"""Links across letters: cites / about / fulfils / same_motion, and the registries."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from factory import make_record
from kamerbrief_extract.batch import run_batch
from kamerbrief_extract.corpus.links import (
    PREFILTER_FROM,
    SubjectIndex,
    Words,
    build_corpus,
    doc_noun,
    find_dates,
    noun_matches,
    resolve_year,
    write_links,
)
from kamerbrief_extract.records import Record
from kamerbrief_extract.store import read_corpus_links, read_records, write_record

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
GOLD = ROOT / "tests" / "gold"


def rec(
    path: str,
    date: str | None,
    text: str = "",
    *,
    doc_type: str = "brief",
    subject: str | None = None,
    kamerstuk: str | None = None,
    citations: list[dict[str, Any]] | None = None,
    motions: list[dict[str, Any]] | None = None,
    commitments: list[dict[str, Any]] | None = None,
    motion_document: dict[str, Any] | None = None,
) -> Record:
    return make_record(
        path,
        text,
        {"date": date, "doc_type": doc_type, "subject": subject, "kamerstuk": kamerstuk},
        citations=citations or [],
        motions=motions or [],
        commitments=commitments or [],
        motion_document=motion_document,
    )


def kinds(records: list[Record]) -> set[tuple[str, str, str]]:
    return {(link.source, link.kind, link.to) for link in build_corpus(records).links}


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("najaarsbrief", ("najaar", "brief")),
        ("Halfjaarbrieven", ("halfjaar", "brief")),
        ("voortgangsbrief", ("voortgang", "brief")),
        ("brief", ("", "brief")),
        ("Brieven", ("", "brief")),
        ("beleidsreactie", ("beleid", "reactie")),
        ("voortgangsrapportage", ("voortgang", "rapportage")),
        ("minister", None),
        ("gemeente", None),
    ],
)
def test_doc_noun(word: str, expected: tuple[str, str] | None) -> None:
    assert doc_noun(word) == expected


@pytest.mark.parametrize(
    ("noun", "names", "expected"),
    [
        (("halfjaar", "brief"), [("halfjaar", "brief")], True),
        (("najaar", "brief"), [("najaar", "brief")], True),
        (("najaar", "brief"), [("halfjaar", "brief")], False),
        (("", "brief"), [("najaar", "brief")], False),  # bare "brief" is not specific
        (("voortgang", "brief"), [("voortgang", "rapportage")], False),
    ],
)
def test_noun_matches(noun: tuple[str, str], names: list[tuple[str, str]], expected: bool) -> None:
    assert noun_matches(noun, names) is expected


@pytest.mark.parametrize(
    ("day", "month", "ref", "direction", "expected"),
    [
        (22, 5, dt.date(2023, 4, 25), None, dt.date(2023, 5, 22)),  # shortly after
        (4, 11, dt.date(2023, 3, 22), None, dt.date(2022, 11, 4)),  # closer before than after
        (28, 12, dt.date(2023, 1, 5), None, dt.date(2022, 12, 28)),  # across new year
        (1, 7, dt.date(2022, 11, 4), "past", dt.date(2022, 7, 1)),  # "jl."
        (1, 3, dt.date(2022, 11, 4), "future", dt.date(2023, 3, 1)),  # "a.s."
        (29, 2, dt.date(2023, 3, 1), None, dt.date(2024, 2, 29)),  # only a leap year has it
    ],
)
def test_resolve_year(
    day: int, month: int, ref: dt.date, direction: str | None, expected: dt.date
) -> None:
    assert resolve_year(day, month, ref, direction) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("de brief van 25 mei 2022 meldde", [(dt.date(2022, 5, 25), True, "25 mei 2022")]),
        ("onze brief van 1 juli jl. over", [(dt.date(2022, 7, 1), False, "1 juli jl.")]),
        ("is 22 mei verzonden", [(dt.date(2023, 5, 22), False, "22 mei")]),
        ("op 31 februari 2022", []),  # no such day
        ("25 meiden en 3 junioren", []),  # month name must be a whole word
        ("artikel 12 van de wet", []),
    ],
)
def test_find_dates(text: str, expected: list[tuple[dt.date, bool, str]]) -> None:
    found = find_dates(text, dt.date(2023, 1, 10))
    assert [(d.date, d.year_given, d.raw) for d in found] == expected
    for d in found:
        assert text[d.start : d.end] == d.raw


# --------------------------------------------------------------------------- cites

TARGET = rec(
    "b.txt",
    "2021-03-03",
    "Met deze voortgangsbrief informeer ik u over de aanpak van wateroverlast.",
    subject="Voortgangsbrief aanpak wateroverlast",
)


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        ("In de voortgangsbrief van 3 maart 2021 meldde ik de stand van zaken.", True),
        ("In de voortgangsbrief van 3 maart meldde ik de stand van zaken.", True),  # year resolved
        ("De brief van 3 maart 2021 over de aanpak van wateroverlast gaf een beeld.", True),
        ("Op 3 maart 2021 vond een werkbezoek plaats.", False),  # a date of an event
        ("In de najaarsbrief van 3 maart 2021 over pensioenen stond het.", False),  # other kind
        ("In de voortgangsbrief van 4 maart 2021 meldde ik dat.", False),  # other date
        ("De brief van 3 maart 2021 over pensioenen en belastingen.", False),  # other subject
    ],
)
def test_cites_by_date(text: str, linked: bool) -> None:
    source = rec("a.txt", "2021-09-01", text)
    assert (("a.txt", "cites", "b.txt") in kinds([source, TARGET])) is linked


def test_cites_by_id_carries_evidence() -> None:
    source = rec(
        "a.txt",
        "2021-09-01",
        "Zie de brief.",
        citations=[
            {"id": "kst-99999-1", "kind": "kamerstuk", "raw": "brief", "start": 4, "end": 13}
        ],
    )
    target = rec("b.txt", "2021-03-03", "Tekst.", kamerstuk="kst-99999-1")
    other = rec("c.txt", "2021-03-03", "Tekst.", kamerstuk="kst-99999-2")
    links = build_corpus([source, target, other]).links
    assert [(k.source, k.kind, k.to) for k in links] == [("a.txt", "cites", "b.txt")]
    assert links[0].evidence["citation"] == "kst-99999-1"
    assert links[0].evidence["rule"] == "id"
    assert 0.9 <= links[0].confidence <= 1


def test_generic_brief_with_two_letters_that_day_takes_the_similar_one() -> None:
    source = rec("a.txt", "2021-09-01", "De brief van 3 maart 2021 over wateroverlast en dijken.")
    other = rec("c.txt", "2021-03-03", "Over pensioenen.", subject="Pensioenakkoord uitvoering")
    assert kinds([source, TARGET, other]) == {("a.txt", "cites", "b.txt")}


def test_no_self_citation_and_no_link_on_own_date() -> None:
    own = rec("a.txt", "2021-03-03", "In de voortgangsbrief van 3 maart 2021 staat dit.")
    assert kinds([own]) == set()
    assert kinds([own, TARGET]) == set()  # same-day documents are `about`, not `cites`


# --------------------------------------------------------------------------- about


@pytest.mark.parametrize(
    ("date", "subject", "linked"),
    [
        ("2021-03-03", "Kabinet pakt wateroverlast aan", True),
        ("2021-03-04", "Voortgang aanpak wateroverlast", True),
        ("2021-03-06", "Voortgang aanpak wateroverlast", False),  # more than a day apart
        ("2021-03-03", "Nieuwe regels voor pensioenen", False),  # other subject
    ],
)
def test_about(date: str, subject: str, linked: bool) -> None:
    press = rec("p.txt", date, "Persbericht.", doc_type="persbericht", subject=subject)
    assert (("p.txt", "about", "b.txt") in kinds([press, TARGET])) is linked


def test_letters_are_not_about_each_other() -> None:
    twin = rec("c.txt", "2021-03-03", "Tekst.", subject="Voortgangsbrief aanpak wateroverlast")
    assert not {k for k in kinds([twin, TARGET]) if k[1] == "about"}


# --------------------------------------------------------------------------- motions


def motion(
    submitters: list[str], subject: str | None, citation: str | None = None, **kw: Any
) -> dict[str, Any]:
    return {
        "submitters": submitters,
        "subject": subject,
        "citation": citation,
        "start": kw.get("start", 0),
        "end": kw.get("end", 5),
        "status": kw.get("status"),
        "raw": "motie",
    }


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        (motion(["Jansen"], None, "kst-1-2"), motion(["Jansen"], None, "kst-1-2"), True),
        (motion(["Jansen"], None, "kst-1-2"), motion(["Jansen"], None, "kst-1-3"), False),
        (
            motion(["Jansen", "De Vries"], "een landelijk meldpunt voor wateroverlast"),
            motion(["De Vries", "Jansen"], "het landelijk meldpunt voor wateroverlast"),
            True,
        ),
        (
            motion(["Jansen"], "een landelijk meldpunt voor wateroverlast"),
            motion(["Jansen"], "de hoogte van de huurtoeslag"),
            False,  # same submitter, other subject: another motion
        ),
        (
            motion(["Jansen"], "een landelijk meldpunt voor wateroverlast"),
            motion(["Pietersen"], "een landelijk meldpunt voor wateroverlast"),
            False,
        ),
    ],
)
def test_same_motion(first: dict[str, Any], second: dict[str, Any], same: bool) -> None:
    a = rec("a.txt", "2021-01-01", "x", motions=[first])
    b = rec("b.txt", "2021-06-01", "x", motions=[second])
    corpus = build_corpus([a, b])
    links = {(k.source, k.kind, k.to) for k in corpus.links}
    assert (("b.txt", "same_motion", "a.txt") in links) is same
    assert len(corpus.motions) == (1 if same else 2)


# Invented subjects: inflected forms share no word ("verbod" / "verboden") yet score high.
SUBJECTS = [
    "een verbod op vuurwerk",
    "de hoogte van de huurtoeslag",
    "een landelijk meldpunt voor wateroverlast",
    "meer geld voor het jongerenwerk",
    "de verboden vuurwerken",
    "een onderzoek naar de huurtoeslag",
    "het landelijke meldpunt wateroverlast",
    "minder regels voor boeren",
    "de regel voor de boer",
    "een fonds voor dorpshuizen",
    "de fondsen voor het dorpshuis",
    "gratis openbaar vervoer voor ouderen",
    "het openbaar vervoer voor de oudere",
    "een registratieplicht voor drones",
    "de registratie van drones",
    "extra handhavers in de wijk",
    "de handhaving in wijken",
    "onderwijs in de moedertaal",
]


def brute_first_similar(
    entries: list[tuple[str, dict[str, Any], Words]], kind: str, words: Words
) -> dict[str, Any] | None:
    """The scan `SubjectIndex` replaces: every row of that kind in order, compared in Python."""
    from kamerbrief_extract.corpus.links import word_similarity

    return next((r for k, r, w in entries if k == kind and word_similarity(words, w) >= 0.7), None)


@pytest.mark.parametrize("rows", [3, PREFILTER_FROM + 1, 3 * PREFILTER_FROM])
def test_subject_index_finds_the_row_a_full_scan_finds(rows: int) -> None:
    index = SubjectIndex()
    entries: list[tuple[str, dict[str, Any], Words]] = []
    submitters = ("jansen",)
    fill = max(0, rows - len(SUBJECTS))  # unrelated rows first: the matches lie past the screen
    subjects = [f"xq{i:03d}" for i in range(fill)] + SUBJECTS[: rows - fill]
    for i, subject in enumerate(subjects):
        kind = "amendement" if i % 5 == 4 else "motie"
        row, words = {"n": i}, Words.of(subject)
        index.add((submitters, kind), row, words)
        entries.append((kind, row, words))
    found = 0
    for subject in [*SUBJECTS, *SUBJECTS, "iets heel anders", "de verboden vuurwerk"]:
        for kind in ("motie", "amendement"):
            words = Words.of(subject)
            expected = brute_first_similar(entries, kind, words)
            assert index.first_similar((submitters, kind), words, 0.7) is expected
            found += expected is not None
    assert found  # some subjects join a row, some do not
    assert index.first_similar((("pietersen",), "motie"), Words.of(SUBJECTS[0]), 0.7) is None


def test_subject_asked_again_gets_the_row_made_for_it() -> None:
    index = SubjectIndex()
    key, words = (("jansen",), "motie"), Words.of("een verbod op vuurwerk")
    assert index.first_similar(key, words, 0.7) is None
    row: dict[str, Any] = {"n": 1}
    index.add(key, row, words)
    index.remember(key, words, row)
    index.add(key, {"n": 2}, words)  # a later row with the same subject comes after
    assert index.first_similar(key, words, 0.7) is row


def test_motion_document_is_canonical_and_status_timeline() -> None:
    doc = rec(
        "motie.txt",
        "2021-01-01",
        "Motie",
        doc_type="motie",
        motion_document={
            "submitters": ["Jansen"],
            "kamerstuk": "kst-1-2",
            "requests": ["verzoekt"],
        },
    )
    early = rec("a.txt", "2021-02-01", "x", motions=[motion(["Jansen"], None, "kst-1-2")])
    late = rec(
        "b.txt", "2021-09-01", "x", motions=[motion(["Jansen"], None, "kst-1-2", status="afgedaan")]
    )
    corpus = build_corpus([late, doc, early])
    links = {(k.source, k.kind, k.to) for k in corpus.links}
    assert links == {("a.txt", "same_motion", "motie.txt"), ("b.txt", "same_motion", "motie.txt")}
    [row] = corpus.motions
    assert row["canonical"] == "motie.txt"
    assert len(row["mentions"]) == 3
    assert row["status"] == "afgedaan"
    assert row["timeline"] == [{"date": "2021-09-01", "status": "afgedaan", "source": "b.txt"}]


# --------------------------------------------------------------------------- fulfils

PROMISE = rec(
    "b.txt",
    "2021-01-15",
    "Voor de zomer van 2021 ontvangt u een volgende voortgangsbrief.",
    commitments=[
        {
            "kind": "new",
            "text": "Voor de zomer van 2021 ontvangt u een volgende voortgangsbrief.",
            "deadline": "2021-07-01",
            "start": 0,
            "end": 60,
        }
    ],
)


@pytest.mark.parametrize(
    ("date", "doc_type", "text", "linked"),
    [
        ("2021-06-20", "brief", "Met deze voortgangsbrief informeer ik u over de stand.", True),
        ("2021-08-15", "brief", "Met deze voortgangsbrief informeer ik u over de stand.", True),
        ("2022-03-01", "brief", "Met deze voortgangsbrief informeer ik u over de stand.", False),
        ("2021-06-20", "beslisnota", "Met deze voortgangsbrief informeer ik u.", False),
        ("2021-01-10", "brief", "Met deze voortgangsbrief informeer ik u over de stand.", False),
        ("2021-06-20", "brief", "Met deze brief over pensioenen informeer ik u.", False),
    ],
)
def test_fulfils(date: str, doc_type: str, text: str, linked: bool) -> None:
    later = rec("a.txt", date, text, doc_type=doc_type)
    corpus = build_corpus([later, PROMISE])
    assert (
        ("a.txt", "fulfils", "b.txt") in {(k.source, k.kind, k.to) for k in corpus.links}
    ) is linked
    row = next(r for r in corpus.commitments if r["source"] == "b.txt")
    assert row["status"] == ("fulfilled" if linked else "open")
    assert [f["source"] for f in row["fulfilled_by"]] == (["a.txt"] if linked else [])


def test_reference_joins_the_promise_it_mentions() -> None:
    later = rec(
        "a.txt",
        "2021-03-01",
        "x",
        commitments=[
            {
                "kind": "reference",
                "text": "Voor de zomer van 2021 ontvangt u een volgende voortgangsbrief, zo zegde ik toe.",
                "start": 0,
                "end": 10,
            }
        ],
    )
    rows = build_corpus([later, PROMISE]).commitments
    assert len(rows) == 1
    assert [m["source"] for m in rows[0]["mentions"]] == ["b.txt", "a.txt"]


# --------------------------------------------------------------------------- samples


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    result = run_batch(RAW, out, force=True)
    assert not result.failed
    write_links(out)
    return out


def test_sample_links_equal_gold(sample_out: Path) -> None:
    data = json.loads((sample_out / "links.json").read_text(encoding="utf-8"))
    assert set(data) == {"links", "motions", "commitments"}
    predicted = {(Path(k["source"]).name, k["kind"], Path(k["to"]).name) for k in data["links"]}
    gold = {
        (json.loads(p.read_text())["source"], link["kind"], link["to"])
        for p in sorted(GOLD.glob("*.json"))
        for link in json.loads(p.read_text())["links"]
    }
    assert predicted == gold
    for link in data["links"]:
        assert 0 < link["confidence"] <= 1
        assert link["evidence"]["rule"]
    assert not [k for k in data["links"] if k["kind"] == "same_motion"]


@pytest.mark.parametrize(
    ("date", "joins"),
    [
        ("2021-03-01", True),
        ("2024-12-31", True),  # within a cabinet's term (REFERENCE_YEARS)
        ("2026-01-15", False),  # five years on: a new promise, not this one
        ("2020-12-01", False),  # before the promise was made
    ],
)
def test_reference_joins_only_a_promise_of_the_years_before(date: str, joins: bool) -> None:
    later = rec(
        "a.txt",
        date,
        "x",
        commitments=[
            {
                "kind": "reference",
                "text": "Voor de zomer van 2021 ontvangt u een volgende voortgangsbrief, zo zegde ik toe.",
                "start": 0,
                "end": 10,
            }
        ],
    )
    rows = build_corpus([later, PROMISE]).commitments
    assert len(rows) == (1 if joins else 2)


def test_reference_without_a_shared_word_is_not_compared() -> None:
    later = rec(
        "a.txt",
        "2021-03-01",
        "x",
        commitments=[{"kind": "reference", "text": "Zoals toegezegd.", "start": 0, "end": 5}],
    )
    rows = build_corpus([later, PROMISE]).commitments
    assert [r["kind"] for r in rows] == ["reference", "new"]


def test_same_records_give_the_same_corpus_in_any_order() -> None:
    records = [
        TARGET,
        PROMISE,
        rec("a.txt", "2021-06-20", "Met deze voortgangsbrief informeer ik u."),
    ]
    first = build_corpus(records)
    assert build_corpus(list(reversed(records))) == first
    assert first.links  # something to compare


def test_write_links_equals_build_corpus_of_the_records(sample_out: Path, tmp_path: Path) -> None:
    """`write_links` prepares each record as it reads it and keeps it without its text."""
    records = read_records(sample_out)
    for i, record in enumerate(records):
        write_record(tmp_path / f"{i:03d}.json", record)
    write_links(tmp_path)
    written = read_corpus_links(tmp_path)
    assert written == build_corpus(records)
    assert written is not None and written.links
