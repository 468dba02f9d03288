"""The text path: hyphenation, furniture, colofon, footnotes and markers."""

from __future__ import annotations

import pytest

from kamerbrief_extract.clean.document import clean_document
from kamerbrief_extract.clean.footnotes import FootnoteBlock, number_blocks
from kamerbrief_extract.ingest.text import ingest_text
from kamerbrief_extract.layout.hyphenation import join_hyphenated
from kamerbrief_extract.offsets import MappedText


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("crimina", "liteit", "criminaliteit"),
        ("Najaars", "brief", "Najaarsbrief"),
        ("inventari", "seren", "inventariseren"),
        ("Sittard", "Geleen", "Sittard-Geleen"),
        ("motie", "Van", "motie-Van"),
        ("zorg", "en", "zorg- en"),
        ("wet", "of", "wet- of"),
        ("politie", "inzet", "politie-inzet"),
        ("zee", "egel", "zee-egel"),
        ("ge", "informeerd", "geïnformeerd"),
        ("niet", "wenselijk", "niet-wenselijk"),
        ("2023", "2026", "2023-2026"),
        ("ICT", "systemen", "ICT-systemen"),
    ],
)
def test_line_end_hyphenation(left: str, right: str, expected: str) -> None:
    assert join_hyphenated(left, right) == expected


def clean(text: str):  # type: ignore[no-untyped-def]
    return clean_document(ingest_text(text))


def test_hyphenation_in_running_text_and_source_map() -> None:
    source = (
        "Den Haag, 1 maart 2024\n\nGegevensdeling is een voorwaarde om georganiseerde crimina-\n"
        "liteit aan te pakken in Sittard-\nGeleen, met zorg-\nen veiligheidspartners erbij.\n"
    )
    doc = clean(source)
    body = doc.text[: doc.body_end]
    assert "georganiseerde criminaliteit aan te pakken" in body
    assert "Sittard-Geleen" in body
    assert "zorg- en veiligheidspartners" in body
    start = body.index("criminaliteit")
    assert source[doc.source_map[start] : doc.source_map[start] + 7] == "crimina"
    tail = body.index("liteit")
    assert source[doc.source_map[tail] : doc.source_map[tail] + 6] == "liteit"


def test_markdown_emphasis_and_repeated_colofon_removed() -> None:
    colofon = "**Directie Voorbeeld\nBeleid**\nDV Beleid\n\nDatum\n3 maart 2024\n\nOns kenmerk\n1 2 3 4 5 6 7\n\n"
    body_1 = (
        "Ik schrijf u over een *belangrijk* onderwerp dat veel aandacht vraagt van iedereen.\n\n"
    )
    body_2 = "Verder is er nog een tweede alinea met genoeg woorden om als tekst te tellen.\n\n"
    text = (
        "> Retouradres Postbus 123 2500 AA Den Haag\n\nAan de Voorzitter van de Tweede Kamer\n"
        "der Staten-Generaal\nPostbus 20018\n2500 EA DEN HAAG\n\n"
        "Datum 3 maart 2024\nOnderwerp Voortgang van het voorbeeldbeleid\n\n"
        + body_1
        + colofon
        + body_2
        + colofon
    )
    doc = clean(text)
    body = doc.text[: doc.body_end]
    assert body.startswith("Ik schrijf u over een belangrijk onderwerp")
    assert "Datum" not in body and "kenmerk" not in body and "DV Beleid" not in body
    assert "Postbus" not in body and "Voorzitter" not in body
    assert doc.meta["date"] == "2024-03-03"
    assert doc.meta["kenmerk"] == "1234567"
    assert doc.meta["subject"] == "Voortgang van het voorbeeldbeleid"


def test_number_blocks_uses_order_against_ocr_mangling() -> None:
    printed = ["'", "?", "3", "4", "5", "8", "7", "8", "¢", "10", "T", "2", "3", "14"]
    blocks = [FootnoteBlock(p, MappedText(), 1, False) for p in printed]
    assert number_blocks(blocks) == list(range(1, 15))


def test_number_blocks_skips_a_missing_note() -> None:
    blocks = [FootnoteBlock(p, MappedText(), 1, False) for p in ["1", "2", "4", "5"]]
    assert number_blocks(blocks) == [1, 2, 4, 5]


OCR_PAGES = (
    " Den Haag, 2 februari 2024\n\n"
    "In de Voorjaarsbrief' is dit beschreven. Ook de eerder toegezegde? reactie volgt nu "
    "voor de 27 gemeenten die meedoen in 2025.\n\n"
    "1 Kamerstuk 12 345, nr. 6.\n"
    "2 Kamerstuk 12 345, nr. 7.\n"
    " vervolg van de tekst met een motie van het lid Jansen c.s.® en meer woorden.\n"
    'Zoals in de motie-De Boer. "” gevraagd is dit gedaan in 2023"" en afgerond.\n\n'
    "¢ Kamerstuk 12 345, nr. 8.\n"
    "4 Kamerstuk 12 345, nr. 9.\n"
    " slot van de brief.\n"
)


def test_ocr_markers_tied_to_notes_by_page_and_order() -> None:
    doc = clean(OCR_PAGES)
    notes = {span.note.n: span.note for span in doc.notes}
    assert sorted(notes) == [1, 2, 3, 4]
    assert notes[1].anchor == "Voorjaarsbrief"
    assert notes[2].anchor == "toegezegde"
    assert notes[3].anchor == "c.s"
    assert notes[4].anchor == "2023"
    body = doc.text[: doc.body_end]
    assert "Voorjaarsbrief is dit" in body and "toegezegde reactie" in body
    assert "27 gemeenten" in body and "in 2025." in body  # real numbers untouched
    assert "®" not in body and "¢" not in body
    assert doc.text[doc.notes[0].start : doc.notes[0].end] == "Kamerstuk 12 345, nr. 6."
    assert "slot van de brief" in body and "vervolg van de tekst" in body


def test_superscript_markers_and_notes() -> None:
    text = (
        "Deze aanpak is eerder toegelicht in onze brief van 1 juli jl.¹ Inmiddels doen 15 gemeenten² mee "
        "aan het programma dat loopt tot 2026.\n\n"
        "¹ Kamerstuk 12 345, nr. 6.\n\n² De gemeenten A en B.\n"
    )
    doc = clean(text)
    notes = {s.note.n: s.note for s in doc.notes}
    assert notes[1].anchor == "jl" and notes[2].anchor == "gemeenten"
    assert "¹" not in doc.text and "²" not in doc.text
    marker = notes[2].marker_offset
    assert marker is not None and doc.text[:marker].endswith("15 gemeenten")


def test_glued_digit_markers_without_note_texts() -> None:
    text = (
        "De motie is aangenomen1 en daarover is de Kamer geïnformeerd is.2 In 2025 doen 27 gemeenten "
        "mee en kost het 2025 euro per deelnemer.\n"
    )
    doc = clean(text)
    notes = {s.note.n: s for s in doc.notes}
    assert sorted(notes) == [1, 2]
    assert notes[1].note.anchor == "aangenomen" and notes[1].note.text is None
    assert notes[2].note.anchor == "is" and notes[2].start is None
    assert "In 2025 doen 27 gemeenten" in doc.text


def test_empty_notes_and_no_markers_is_fine() -> None:
    doc = clean("Een korte brief zonder voetnoten maar met genoeg woorden om tekst te zijn.\n")
    assert doc.notes == []
    assert doc.text.startswith("Een korte brief")


@pytest.mark.parametrize(
    ("sentence", "anchor"),
    [
        ("Het wetsvoorstel is onlangs aan uw Kamer gezonden? Daarna volgt meer.", "gezonden"),
        ("Dat staat in de rapportage over de mainports? In het najaar volgt meer.", "mainports"),
        ("Dat zijn de verboden OMG's.!8 Met de wijziging gaat het verder.", "OMG's"),
        (
            "Dit doen de politie en de reclassering.2* Deze organisaties rapporteren.",
            "reclassering",
        ),
        ("Zo staat het in onze brief van 1 juli jl.t° Inmiddels doen gemeenten mee.", "jl"),
    ],
)
def test_ocr_marker_forms(sentence: str, anchor: str) -> None:
    doc = clean(f"{sentence}\n\n1 Kamerstuk 12 345, nr. 6.\n")
    note = doc.notes[0].note
    assert note.anchor == anchor
    assert doc.text[: doc.body_end].count(anchor) >= 1


def test_a_real_question_mark_is_not_a_marker() -> None:
    text = (
        "Welke knelpunten zijn er in de praktijk? Ten tweede bundelen we de kennis die er is "
        "bij de partners in het veld.* Dat helpt.\n\n1 Kamerstuk 12 345, nr. 6.\n"
    )
    note = clean(text).notes[0].note
    assert note.anchor == "veld"


def test_two_markers_in_one_ocr_cluster_when_the_page_needs_two() -> None:
    text = (
        "Later dit jaar volgen nog 8 geselecteerde gemeenten.”· Daarna is er meer nodig "
        "om de aanpak te laten slagen in het hele land.\n\n"
        "1 Dit zijn A en B.\n2 Zie bijlage 4.\n"
    )
    notes = {s.note.n: s.note for s in clean(text).notes}
    assert (notes[1].anchor, notes[2].anchor) == ("gemeenten", "gemeenten")
    assert "”" not in clean(text).text


@pytest.mark.parametrize(
    ("closing", "sender"),
    [
        (
            "De Minister van Justitie en Veiligheid,\n\nA.B. Voorbeeld-Jansen\n",
            "A.B. Voorbeeld-Jansen",
        ),
        ("De Staatssecretaris van Financiën,\nE. van der Voorbeeld\n", "E. van der Voorbeeld"),
        ("De Minister voor Klimaat en Energie,\nH.G.J. Voorbeeld Slot\n", "H.G.J. Voorbeeld Slot"),
        # a PDF's text layer may run the signature into the list of attachments
        (
            "De Minister van Justitie en Veiligheid, C. Voorbeeld Bijlagen 1. Overzicht",
            "C. Voorbeeld",
        ),
    ],
)
def test_sender_from_the_closing_formula(closing: str, sender: str) -> None:
    text = "Den Haag, 1 maart 2024\n\nHierbij informeer ik uw Kamer over de voortgang van het werk.\n\n"
    assert clean(text + closing).meta["sender"] == sender
