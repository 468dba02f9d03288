"""Motions and amendments named in letters: the forms of the motion issue, their near
misses, the footnote citation on a mention's marker, and linking to the document."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamerbrief_extract.corpus.links import build_corpus
from kamerbrief_extract.extract.motions import find_motions
from kamerbrief_extract.ingest.text import ingest_text
from kamerbrief_extract.nlp.pipeline import load_pipeline
from kamerbrief_extract.process import process_file, process_ingested
from kamerbrief_extract.records import Record, Source

# (text, [(kind, submitters, cosigned, kamerstuk, raw)])
FORMS = [
    (
        "Naar aanleiding van een motie van Tweede Kamerlid Mulder (CDA) heb ik besloten.",
        [("motie", ("Mulder",), False, None, "motie van Tweede Kamerlid Mulder (CDA)")],
    ),
    (
        "de motie van het Kamerlid Smit (VVD) vraagt",
        [("motie", ("Smit",), False, None, "motie van het Kamerlid Smit (VVD)")],
    ),
    (
        "de motie van de leden Van der Berg (D66) en Aydin (GroenLinks-PvdA) vraagt",
        [
            (
                "motie",
                ("Van der Berg", "Aydin"),
                False,
                None,
                "motie van de leden Van der Berg (D66) en Aydin (GroenLinks-PvdA)",
            )
        ],
    ),
    (
        "de motie van het lid Smit (JA21) c.s. vraagt",
        [("motie", ("Smit",), True, None, "motie van het lid Smit (JA21) c.s.")],
    ),
    (
        "de motie ingediend door het lid De Wit vraagt",
        [("motie", ("De Wit",), False, None, "motie ingediend door het lid De Wit")],
    ),
    (
        "De leden Smit (JA21) en van der Kok (BBB) hebben op 9 mei 2025 een motie ingediend over "
        "de haven (Kamerstuk 21501-32-1740).",
        [
            (
                "motie",
                ("Smit", "van der Kok"),
                False,
                "kst-21501-32-1740",
                "De leden Smit (JA21) en van der Kok (BBB) hebben op 9 mei 2025 een motie",
            )
        ],
    ),
    (
        "Het lid De Wit c.s. heeft een amendement ingediend.",
        [("amendement", ("De Wit",), True, None, "Het lid De Wit c.s. heeft een amendement")],
    ),
    (
        "de motie-Kok (Kamerstuk 36200-VI-72) vraagt",
        [("motie", ("Kok",), False, "kst-36200-VI-72", "motie-Kok")],
    ),
    (
        "de motie-Bakker/Yilmaz vraagt",
        [("motie", ("Bakker", "Yilmaz"), False, None, "motie-Bakker/Yilmaz")],
    ),
    (
        "Uw Kamer heeft per motie (Kamerstukken 32852, nr. 199) verzocht om een plan.",
        [("motie", (), False, "kst-32852-199", "motie (Kamerstukken 32852, nr. 199)")],
    ),
    (
        "In motie 36 200 VI, nr. 72 vraagt uw Kamer",
        [("motie", (), False, "kst-36200-VI-72", "motie 36 200 VI, nr. 72")],
    ),
    (
        "In de motie Kamerstuk 21 501-32, nr. 1703 vraagt uw Kamer",
        [("motie", (), False, "kst-21501-32-1703", "motie Kamerstuk 21 501-32, nr. 1703")],
    ),
    (
        "de motie 21501-32-1740 vraagt",
        [("motie", (), False, "kst-21501-32-1740", "motie 21501-32-1740")],
    ),
    (
        "de motie over de haven (Kamerstuk 29 911, nr. 3) vraagt",
        [
            (
                "motie",
                (),
                False,
                "kst-29911-3",
                "motie over de haven (Kamerstuk 29 911, nr. 3)",
            )
        ],
    ),
    (
        "het amendement van het lid Kok c.s. over de huur (Kamerstuk 36 100, nr. 12) regelt",
        [("amendement", ("Kok",), True, "kst-36100-12", "amendement van het lid Kok c.s.")],
    ),
    (
        "Het gewijzigd amendement-Kok regelt dit.",
        [("amendement", ("Kok",), False, None, "amendement-Kok")],
    ),
    (
        "het amendement van de leden Smit en Kok (Kamerstuk 36 100, nr. 14) regelt",
        [
            (
                "amendement",
                ("Smit", "Kok"),
                False,
                "kst-36100-14",
                "amendement van de leden Smit en Kok",
            )
        ],
    ),
    (
        "De amendementen van de leden Smit c.s. en Kok c.s. zijn aangenomen.",
        [
            ("amendement", ("Smit",), True, None, "Smit c.s."),
            ("amendement", ("Kok",), True, None, "Kok c.s."),
        ],
    ),
    (
        "het subamendement van het lid Kok regelt",
        [("amendement", ("Kok",), False, None, "subamendement van het lid Kok")],
    ),
    (
        "de motie van het lid Smit en het amendement van het lid Kok",
        [
            ("motie", ("Smit",), False, None, "motie van het lid Smit"),
            ("amendement", ("Kok",), False, None, "amendement van het lid Kok"),
        ],
    ),
    # A preposition is a particle only before an article: X alone, not "X in de Raad".
    (
        "Nederland heeft conform de motie van het lid Smit in de Raad steun uitgesproken.",
        [("motie", ("Smit",), False, None, "motie van het lid Smit")],
    ),
    (
        "de motie van het lid In 't Veld over privacy",
        [("motie", ("In 't Veld",), False, None, "motie van het lid In 't Veld")],
    ),
    (
        "de motie van de leden Kok en Op den Berg over de zorg",
        [("motie", ("Kok", "Op den Berg"), False, None, "motie van de leden Kok en Op den Berg")],
    ),
    # A bare "motie X" names a surname: what follows is not a first name plus surname.
    ("Onderwerp: RE: motie Kok Thur 9/10/2020", [("motie", ("Kok",), False, None, "motie Kok")]),
    (
        "de motie Van der Berg/Kok over de haven",
        [("motie", ("Van der Berg", "Kok"), False, None, "motie Van der Berg/Kok")],
    ),
    (
        "de motie van het lid Anna de Vries over de haven",
        [("motie", ("Anna de Vries",), False, None, "motie van het lid Anna de Vries")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), FORMS, ids=[f[0][:40] for f in FORMS])
def test_mention_forms(
    text: str, expected: list[tuple[str, tuple[str, ...], bool, str | None, str]]
) -> None:
    found = find_motions(text)
    assert [(m.kind, m.submitters, m.cosigned, m.kamerstuk, m.raw) for m in found] == expected
    for mention in found:
        assert text[mention.start : mention.end] == mention.raw


@pytest.mark.parametrize(
    "text",
    [
        "de leden van de commissie vragen om een motie",
        "moties en amendementen worden besproken",
        "het amendement wordt besproken",
        "een amendement op de wet",
        "De motie Kamerstuk 29 911 is",  # a dossier without a number is no motion's id
        "Kamerlid Mulder (CDA) vroeg om een motie.",
        "de motie (zie bijlage 2) vraagt",
        "de motie van wantrouwen werd verworpen",
        "de motie 2024 was belangrijk",
        "promotie 36 200 VI, nr. 72",
        "de amendementsprocedure Smit",
        "de moties (Kamerstuk 29 911, nr. 3) vragen",
        "De leden hebben een motie ingediend.",
        "Het lid Smit heeft gevraagd om een brief.",
        "Stemmingen moties Europese Zaken d.d. 10 april",  # an adjective in a title
        "Stemmingen moties Nationale Raad",
    ],
)
def test_not_mentions(text: str) -> None:
    assert find_motions(text) == []


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Het amendement van het lid Kok is aangenomen.", "aangenomen"),
        ("Hiermee doe ik de motie 36 200 VI, nr. 72 af.", "afgedaan"),
        ("De motie (Kamerstuk 29 911, nr. 3) is aangehouden.", "aangehouden"),
        ("Het amendement-Kok vraagt dit.", None),
    ],
)
def test_status_of_the_new_forms(text: str, status: str | None) -> None:
    (mention,) = find_motions(text)
    assert mention.status == status


# --- Records: the footnote citation on a mention's marker ----------------------------

LETTER = """\
Geachte voorzitter,

In deze brief ga ik in op de motie van Tweede Kamerlid Mulder (CDA)¹ over de haven.
Ook het amendement van het lid Kok c.s.² is uitgevoerd. Uw Kamer heeft per motie
(Kamerstukken 32852, nr. 199) verzocht om een plan. De motie-Bakker/Yilmaz vraagt
om meer.

Hoogachtend,

de minister van Infrastructuur,

A. de Minister

1 Kamerstuk 36 200 VI, nr. 72
2 Kamerstuk 36 100, nr. 12
"""


@pytest.fixture(scope="module")
def letter_record() -> Record:
    ingested = ingest_text(LETTER)
    return process_ingested(
        ingested, Source(path="brief.txt", sha256="0" * 64, kind="text"), load_pipeline()
    )


def test_mentions_in_a_letter_take_their_footnotes_citation(letter_record: Record) -> None:
    motions = [(m.submitters, m.citation) for m in letter_record.motions]
    assert motions == [
        (["Mulder"], "kst-36200-VI-72"),
        ([], "kst-32852-199"),
        (["Bakker", "Yilmaz"], None),
    ]
    assert [
        (m.kind, m.submitters, m.cosigned, m.citation, m.status) for m in letter_record.amendments
    ] == [("amendement", ["Kok"], True, "kst-36100-12", "uitgevoerd")]
    for item in [*letter_record.motions, *letter_record.amendments]:
        assert item.raw.split()[0] in letter_record.text[item.start : item.end]


AMENDMENT_XML = """<?xml version="1.0" encoding="UTF-8"?>
<officiele-publicatie>
  <metadata>
    <meta name="DC.type" scheme="OVERHEIDop.KamerstukTypen" content="Amendement"/>
  </metadata>
  <kamerstuk>
    <kamerstukkop><tekstregel inhoud="vergaderjaar">Vergaderjaar 2023-2024</tekstregel></kamerstukkop>
    <dossier><dossiernummer><dossiernr>36 100</dossiernr></dossiernummer>
      <titel>Wijziging van de Huurwet</titel></dossier>
    <stuk>
      <stuknr>Nr. <ondernummer>12</ondernummer></stuknr>
      <titel>NADER GEWIJZIGD AMENDEMENT VAN HET LID KOK C.S. TER VERVANGING VAN DAT GEDRUKT ONDER NR. 9</titel>
      <datumtekst>Ontvangen <datum isodatum="2024-03-12">12 maart 2024</datum></datumtekst>
      <amendement>
        <amendement-lid><al>De ondergetekenden stellen het volgende amendement voor:</al></amendement-lid>
        <amendement-lid><al>I</al><al>In artikel 1, onderdeel A, wordt „huur” vervangen door „kale huur”.</al></amendement-lid>
        <amendement-lid><al>II</al><al>Artikel 3, tweede lid, vervalt.</al></amendement-lid>
        <toelichting><tussenkop>Toelichting</tussenkop>
          <al>Dit amendement regelt dat de wet ook voor kamers geldt.</al>
          <al>Kok</al><al>Van der Smit</al>
        </toelichting>
      </amendement>
    </stuk>
  </kamerstuk>
</officiele-publicatie>
"""


def test_amendment_record_from_xml(tmp_path: Path) -> None:
    path = tmp_path / "kst-36100-12.xml"
    path.write_text(AMENDMENT_XML, encoding="utf-8")
    record = process_file(path, load_pipeline())
    assert record.meta.doc_type == "amendement"
    doc = record.motion_document
    assert doc is not None
    assert (doc.kind, doc.kamerstuk, doc.dossier, doc.number, str(doc.date)) == (
        "amendement",
        "kst-36100-12",
        "36100",
        "12",
        "2024-03-12",
    )
    assert (doc.submitters, doc.cosigned, doc.signatories) == (
        ["Kok"],
        True,
        ["Kok", "Van der Smit"],
    )
    assert (doc.amendment_level, doc.replaces, doc.amended) == ("nader gewijzigd", "9", True)
    assert doc.changes == ["artikel 1, onderdeel A", "artikel 3, tweede lid"]
    assert doc.title is not None and doc.title.startswith("NADER GEWIJZIGD AMENDEMENT")

    # A letter's mention of it links to it through the citation.
    letter = Record.model_validate(
        {
            **record.model_dump(mode="json"),
            "source": {"path": "brief.txt", "sha256": "1" * 64, "kind": "text"},
            "meta": {"doc_type": "brief", "date": "2024-05-01"},
            "motion_document": None,
            "amendments": [
                {
                    "kind": "amendement",
                    "submitters": ["Kok"],
                    "cosigned": True,
                    "citation": "kst-36100-12",
                    "raw": "amendement van het lid Kok c.s.",
                    "start": 0,
                    "end": 10,
                }
            ],
        }
    )
    corpus = build_corpus([record, letter])
    assert [(k.source, k.kind, k.to) for k in corpus.links if k.kind == "same_motion"] == [
        ("brief.txt", "same_motion", "kst-36100-12.xml")
    ]
    [row] = [r for r in corpus.motions if r["citation"] == "kst-36100-12"]
    assert row["kind"] == "amendement" and row["canonical"] == "kst-36100-12.xml"


def test_motion_record_carries_the_dictum_and_signatories() -> None:
    path = Path(__file__).resolve().parent / "fixtures" / "kst-motions" / "kst-21501-02-2962.xml"
    record = process_file(path, load_pipeline())
    doc = record.motion_document
    assert doc is not None
    assert doc.signatories == ["Boswijk", "Van der Burg", "Paternotte", "Piri", "Kahraman"]
    assert [d.verb for d in doc.dictum] == ["verzoekt", "verzoekt"]
    assert doc.requests == [d.text for d in doc.dictum]
    assert doc.kind == "motie" and doc.amendment_level is None


def test_motion_record_from_a_real_pdf_text_layer() -> None:
    """The page foot (id, ISSN) that the text layer puts between preamble and first
    consideration does not swallow the consideration."""
    path = (
        Path(__file__).resolve().parent / "fixtures" / "real-motion-pdf" / "kst-21501-02-3121.pdf"
    )
    record = process_file(path, load_pipeline())
    doc = record.motion_document
    assert doc is not None
    assert [c.split()[0] for c in doc.considerations] == [
        "constaterende",
        "overwegende",
        "overwegende",
    ]
    assert [d.verb for d in doc.dictum] == ["verzoekt"]
    assert (doc.kamerstuk, doc.signatories, doc.title) == (
        "kst-21501-02-3121",
        ["Ceder"],
        "MOTIE VAN HET LID CEDER",
    )
