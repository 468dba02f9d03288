"""Records from the official XML motions and the real Kamerstuk PDF carry the right metadata."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from kamerbrief_extract.clean.metadata import extract_metadata
from kamerbrief_extract.document import Block, Document
from kamerbrief_extract.nlp.pipeline import load_pipeline
from kamerbrief_extract.offsets import MappedText
from kamerbrief_extract.process import process_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"
XML_FILES = sorted((FIXTURES / "kst-motions").glob("kst-*.xml"))


def _isodate(path: Path) -> dt.date | None:
    match = re.search(r'isodatum="(\d{4}-\d{2}-\d{2})"', path.read_text(encoding="utf-8"))
    return dt.date.fromisoformat(match.group(1)) if match else None


def test_all_xml_motions_give_motion_records() -> None:
    nlp = load_pipeline()
    wrong: list[str] = []
    for path in XML_FILES:
        record = process_file(path, nlp)
        own_id = "kst-" + path.stem.removeprefix("kst-")
        got = (record.meta.doc_type, record.meta.kamerstuk, record.meta.date)
        if got != ("motie", own_id, _isodate(path)):
            wrong.append(f"{path.name}: {got}")
        elif record.motion_document is None or record.motion_document.kamerstuk != own_id:
            wrong.append(f"{path.name}: motion document {record.motion_document}")
    assert len(XML_FILES) == 202
    assert wrong == []


def test_real_kamerstuk_pdf_metadata() -> None:
    record = process_file(FIXTURES / "real-motion-pdf" / "kst-21501-02-3121.pdf")
    assert record.source.kind == "pdf" and record.source.pages == 1
    assert (record.meta.doc_type, record.meta.kamerstuk, record.meta.date) == (
        "motie",
        "kst-21501-02-3121",
        dt.date(2025, 4, 10),
    )
    assert record.motion_document is not None
    assert record.motion_document.submitters == ["Ceder"]
    assert len(record.motion_document.requests) == 1


@pytest.mark.parametrize("kind", ["citations", "municipalities", "commitments"])
def test_pdf_items_carry_page_and_box(kind: str) -> None:
    import sys

    sys.path.insert(0, str(FIXTURES))
    from make_pdfs import cached_fixtures

    record = process_file(cached_fixtures()["letter_000"])
    items = getattr(record, kind)
    assert items
    for item in items:
        assert item.page is not None and item.page >= 1
        assert item.bbox is not None and item.bbox[0] < item.bbox[2] and item.bbox[1] < item.bbox[3]


# --------------------------------------------------------------------------- metadata rules
# Invented documents in the structure of Dutch official letters, built block by block.


def _document(source: str, blocks: list[tuple[int, str, str, str | None]]) -> Document:
    """A PDF-like document: `source` with form feeds between pages, and blocks given as
    (page, kind, text, label) whose text must occur in the source."""
    pages = source.split("\f")
    starts = [sum(len(p) + 1 for p in pages[:k]) for k in range(len(pages))]
    out: list[Block] = []
    for page, kind, text, label in blocks:
        at = source.find(text.split("\n", 1)[0])
        out.append(
            Block(kind, MappedText.from_source(text, max(at, 0)), page=page, label=label)  # type: ignore[arg-type]
        )
    return Document("pdf", source, out, page_starts=starts)


def _meta(document: Document) -> dict[str, str | None]:
    body = "\n\n".join(b.str for b in document.blocks if b.kind == "paragraph")
    return extract_metadata(document, body)


SUBJECT_LINES = [
    # the colofon run into the text: the label line of the source gives the subject
    (
        "Datum 3 maart 2022\nBetreft Besluit op uw verzoek om informatie\nBezwaar\nAls u",
        "Besluit op uw verzoek om informatie",
    ),
    ("Onderwerp: Voortgang van de wegverbreding\nGeachte heer,", "Voortgang van de wegverbreding"),
    (
        "From:\nSent: Mon 3/2/2021\nSubject: RE: overleg over de planning\nDag,",
        "RE: overleg over de planning",
    ),
    ("Nota\n(ter beslissing) Regeling voor het vervoer\nAanleiding", "Regeling voor het vervoer"),
    (
        "Kenmerk 123\n(ter informatie) Stand van zaken dijkversterking\nAanleiding",
        "Stand van zaken dijkversterking",
    ),
]


@pytest.mark.parametrize(("source", "subject"), SUBJECT_LINES)
def test_subject_from_a_label_line_of_the_first_page(source: str, subject: str) -> None:
    document = _document(
        source + "\nDe tekst.", [(1, "paragraph", source.replace("\n", " "), None)]
    )
    assert _meta(document)["subject"] == subject


NO_SUBJECT_LINES = [
    "Het betreft een besluit.\nDe minister besluit.",  # "betreft" inside a sentence
    "Dit\nbetreft ons verzoek om informatie.",  # lower case: running text
    "Betreft:\nGeachte heer,",  # a label without a value on its line
    "Pagina 1\fBetreft Iets op de tweede pagina",  # not on the first page
    "De nota (ter beslissing)\nvolgt nog.",  # the label closes its line
]


@pytest.mark.parametrize("source", NO_SUBJECT_LINES)
def test_no_subject_without_a_label_line(source: str) -> None:
    document = _document(source, [(1, "paragraph", source.split("\f")[0].replace("\n", " "), None)])
    assert _meta(document)["subject"] is None


def test_cover_title_repeated_in_running_heads_is_the_subject() -> None:
    source = "Gids voor dataprojecten\nEen hulpmiddel\f2 | Gids voor dataprojecten\nTekst.\f3 | Gids voor dataprojecten\nMeer."
    blocks = [
        (1, "paragraph", "Gids voor dataprojecten Een hulpmiddel", None),
        (2, "furniture", "2 | Gids voor dataprojecten", "running head"),
        (2, "paragraph", "Tekst.", None),
        (3, "furniture", "3 | Gids voor dataprojecten", "running head"),
        (3, "paragraph", "Meer.", None),
    ]
    assert _meta(_document(source, blocks))["subject"] == "Gids voor dataprojecten"


@pytest.mark.parametrize(
    "heads",
    [
        ["2 | Gids voor dataprojecten"],  # one running head only: no repetition
        ["2 | Tweede Kamer, vergaderjaar", "3 | Tweede Kamer, vergaderjaar"],  # not the cover
    ],
)
def test_running_heads_without_a_matching_cover_give_no_subject(heads: list[str]) -> None:
    source = "Gids voor dataprojecten\nEen hulpmiddel\f" + "\f".join(h + "\nTekst." for h in heads)
    blocks: list[tuple[int, str, str, str | None]] = [
        (1, "paragraph", "Gids voor dataprojecten Een hulpmiddel", None)
    ]
    for k, head in enumerate(heads, start=2):
        blocks += [(k, "furniture", head, "running head"), (k, "paragraph", "Tekst.", None)]
    assert _meta(_document(source, blocks))["subject"] is None


_LETTER = [
    (1, "paragraph", "Hierbij besluit ik over uw verzoek.", None),
    (
        1,
        "paragraph",
        "de minister van Onderwijs, Cultuur en Wetenschap,\nnamens deze,\nde directeur Juridische Zaken,\nmr. A.B. Jansen",
        None,
    ),
]


@pytest.mark.parametrize(
    ("annex", "sender"),
    [
        # annexes on their own pages after the signed letter: the signer is found before them
        ("Bijlage 1 — Overzicht van het verzoek", "A.B. Jansen"),
        ("Bijlage 2: Artikelen van de wet", "A.B. Jansen"),
        ("BIJLAGE A Inventaris", "A.B. Jansen"),
        # not an annex head: the closing is sought at the end only
        ("Bijlagen zijn niet meegestuurd", None),
        ("Bijlage bij de brief van 3 maart", None),
    ],
)
def test_signature_before_annexes(annex: str, sender: str | None) -> None:
    tail = [(2, "paragraph", annex, None)] + [
        (2 + k // 5, "paragraph", f"Punt {k} van de lijst.", None) for k in range(20)
    ]
    blocks = _LETTER + tail
    source = "\n".join(b[2] for b in _LETTER) + "\f" + "\n".join(b[2] for b in tail)
    assert _meta(_document(source, blocks))["sender"] == sender


@pytest.mark.parametrize(
    ("source", "subject"),
    [
        # a copy that printed the colofon labels as one column, their values as the next
        (
            "Datum\nBetreft\n\n3 maart 2022\nVoortgang van de dijkversterking\n\nGeachte",
            "Voortgang van de dijkversterking",
        ),
        ("Datum:\nOnderwerp:\n\n\n3 maart 2022\nStand van zaken\n", "Stand van zaken"),
        # labels without the blank line of a column break, or values missing: nothing
        ("Datum\nBetreft\n3 maart 2022\nVoortgang\n", None),
        ("Datum\nBetreft\n\n3 maart 2022\n\n", None),
        ("Betreft\n\nVoortgang\n", None),  # one label alone is no column
    ],
)
def test_subject_from_a_label_column(source: str, subject: str | None) -> None:
    document = _document(source, [(1, "paragraph", "Geachte voorzitter, tekst.", None)])
    assert _meta(document)["subject"] == subject


@pytest.mark.parametrize(
    ("source", "kenmerk"),
    [
        ("Ons kenmerk\nABC/DEF-2022/12345\nDatum", "ABC/DEF-2022/12345"),
        ("Ons kenmerk\nA B CD/EFG-2022/12345\n", "ABCD/EFG-2022/12345"),  # letters spaced apart
        ("Kenmerk:\n1234567-891011-PG\n", "1234567-891011-PG"),
        ("Onze referentie\nXY / 2021 / 039\n", "XY / 2021 / 039"),  # spaced slashes as printed
        ("Onze referentie\nBijlagen\nDatum 3 mei 2021", None),  # redacted: the next label
        ("Ons kenmerk\nwordt later vermeld\n", None),  # no digit: not a reference
        ("Ons kenmerk\n\nABC-123\n", None),  # not on the next line
    ],
)
def test_kenmerk_from_its_label_line(source: str, kenmerk: str | None) -> None:
    document = _document(source, [(1, "paragraph", "Geachte voorzitter, tekst.", None)])
    assert _meta(document)["kenmerk"] == kenmerk


def test_first_page_kenmerk_beats_a_later_pages_colofon() -> None:
    source = "Kenmerk\n111-222-AB\nNota\fKenmerk 333-444-CD\nBrief"
    blocks = [
        (1, "paragraph", "Nota tekst.", None),
        (2, "colofon", "333-444-CD", "kenmerk"),
        (2, "paragraph", "Brief tekst.", None),
    ]
    assert _meta(_document(source, blocks))["kenmerk"] == "111-222-AB"


@pytest.mark.parametrize(
    ("closing", "sender"),
    [
        (
            "Hoogachtend,\nDE MINISTER VAN VERKEER,\n\nAnna de Vries\n\n1 http://x.nl\n",
            "Anna de Vries",
        ),
        (
            "Met vriendelijke groet,\nde staatssecretaris van Financiën,\nJ. Pietersen\n",
            "J. Pietersen",
        ),
        ("Hoogachtend,\n\n[handtekening onleesbaar]\n", None),
        ("Zij schreef hoogachtend, de minister van Verkeer, Anna de Vries\n", None),
    ],
)
def test_signature_from_the_source_after_the_closing_formula(
    closing: str, sender: str | None
) -> None:
    # the layout gave the signer's name to another block (here: none), the source keeps it
    source = "Geachte voorzitter,\nTekst van de brief.\n" + closing
    blocks = [(1, "paragraph", "Geachte voorzitter, Tekst van de brief.", None)]
    assert _meta(_document(source, blocks))["sender"] == sender


@pytest.mark.parametrize(
    ("printed", "kenmerk"),
    [
        ("ABC / 123", "ABC / 123"),  # spaced slashes as printed
        ("ABC/ 123", "ABC/123"),  # a space on one side only: the text layer's kerning
        ("ABC /123", "ABC/123"),
        ("ABC  /  123", "ABC / 123"),
        ("ABC/123", "ABC/123"),
    ],
)
def test_kenmerk_slashes(printed: str, kenmerk: str) -> None:
    source = f"Ons kenmerk {printed}\nTekst."
    blocks = [(1, "colofon", printed, "kenmerk"), (1, "paragraph", "Tekst.", None)]
    assert _meta(_document(source, blocks))["kenmerk"] == kenmerk


@pytest.mark.parametrize(
    ("closing", "sender"),
    [
        # the signer's name stands alone, or before the office that follows it
        (
            "Hoogachtend,\nde minister van Verkeer,\nnamens deze,\nde directeur,\nmr. K. Bakker",
            "K. Bakker",
        ),
        ("Hoogachtend,\nDE STAATSSECRETARIS VAN FINANCIËN,\n\nPiet de Groot", "Piet de Groot"),
        ("De Minister van Verkeer,\nK. Bakker minister", "K. Bakker"),
        # a redacted signer: the words under "namens deze" run on as a sentence
        (
            "Hoogachtend,\nde minister van Verkeer, namens deze,\nBezwaar Heeft u vragen over dit besluit?",
            None,
        ),
        (
            "de minister van Verkeer, namens deze,\nDit volgt uit de Awb. Overeenkomstig de Awb kan u",
            None,
        ),
    ],
)
def test_signer_name_is_not_a_running_sentence(closing: str, sender: str | None) -> None:
    source = "Geachte heer,\nTekst.\n" + closing
    blocks = [(1, "paragraph", "Geachte heer, Tekst.", None), (1, "paragraph", closing, None)]
    assert _meta(_document(source, blocks))["sender"] == sender
