"""Text copies that other tools made of PDFs: the footnote zone made explicit again.

pdftotext sets each note number on a line of its own (before its text, or all numbers
after the texts); pdfminer keeps "N text" lines without the blank line before the zone;
both keep the publication's foot lines among the notes. Invented pages in those forms.
"""

from __future__ import annotations

import pytest

from kamerbrief_extract.clean.document import clean_document
from kamerbrief_extract.clean.footnotes import (
    glued_digit_candidates,
    spaced_digit_candidates,
    year_digit_candidates,
)
from kamerbrief_extract.ingest.text import ingest_text

BODY = (
    "Vraag 1\n"
    "Bent u bekend met het bericht over de sluiting van het loket (ABC)?1 Zo ja, wat\n"
    "vindt u daarvan?\n"
    "Antwoord 1\n"
    "Ja. Ik heb daarover eerder aan uw Kamer bericht.2 Het loket gaat weer open.\n"
)
FOOT = "ah-tk-20232024-999\nISSN 0921 - 7398\n’s-Gravenhage 2024\n\nTweede Kamer, vergaderjaar 2023–2024, Aanhangsel\n\n1\n"
PAGE2 = "\fVraag 2\nWanneer gaat het loket weer open?\nAntwoord 2\nIn het voorjaar.\n\nTweede Kamer, vergaderjaar 2023–2024, Aanhangsel\n\n2\n"

INTERLEAVED = (
    BODY
    + "1\n\nKrant, 1 mei 2024 (https://www.example.org/nieuws/\nsluiting-loket).\n2\nKamerstuk 12 345, nr. 6.\n\n"
    + FOOT
    + PAGE2
)
COLUMN = BODY + "\n1\n2\n\nKrant, 1 mei 2024.\nKamerstuk 12 345, nr. 6.\n" + FOOT + PAGE2
NUMBERED = BODY + "1 Krant, 1 mei 2024.\n2 Kamerstuk 12 345, nr. 6.\n" + FOOT + PAGE2


@pytest.mark.parametrize(
    "text", [INTERLEAVED, COLUMN, NUMBERED], ids=["interleaved", "column", "numbered"]
)
def test_notes_of_a_text_copy_are_found_with_their_markers(text: str) -> None:
    document = ingest_text(text)
    notes = [(b.text.text, b.printed) for b in document.of_kind("footnote")]
    assert [printed for _, printed in notes] == ["1", "2"]
    assert notes[0][0].startswith("Krant, 1 mei 2024")
    assert notes[1][0] == "Kamerstuk 12 345, nr. 6."
    furniture = " ".join(b.text.text for b in document.of_kind("furniture"))
    assert "ISSN 0921" in furniture and "vergaderjaar 2023–2024" in furniture
    body = " ".join(
        b.text.text for b in document.blocks if b.kind in {"question", "answer", "paragraph"}
    )
    assert "Kamerstuk 12 345" not in body and "ISSN" not in body


def test_numbers_that_do_not_continue_the_notes_stay_text() -> None:
    text = (
        BODY.replace("?1", "?").replace(".2", ".") + "\n3\n4\n\nEen regel.\nNog een regel.\n" + FOOT
    )
    document = ingest_text(text)
    assert document.of_kind("footnote") == []


# ----- note zones that pdftotext scrambled: numbers apart from their texts ----- #


def _notes(text: str) -> list[tuple[int, str | None, str]]:
    """(number, anchor, text) of every note the pipeline ties in a text copy."""
    clean = clean_document(ingest_text(text))
    return [
        (span.note.n, span.note.anchor, span.note.text.text if span.note.text else "")
        for span in clean.notes
    ]


KST_FOOT = "\nTweede Kamer, vergaderjaar 2023–2024, Aanhangsel\n\n{page}\n"
HEAD = (
    "Tweede Kamer der Staten-Generaal\n\nVergaderjaar 2023–2024\n\nAanhangsel van de Handelingen\n\n"
    "Vragen gesteld door de leden der Kamer, met de daarop door de\nregering gegeven antwoorden\n\n"
    "999\nVragen van het lid Jansen (ABC) aan de Minister van Infrastructuur over de haven\n"
    "(ingezonden 4 april 2024).\n"
    "Antwoord van Minister De Vries (Infrastructuur) (ontvangen 21 mei 2024).\n"
)
P1 = (
    HEAD + "Vraag 1\n"
    "Kent u het rapport over de haven van Noordstad?1\n"
    "Antwoord 1\n"
    "Ja. Het rapport is besproken in het overleg met de havenbeheerder.2 De\n"
    "gemeente heeft toegezegd de gegevens te delen met de provincie.3\n"
    "Vraag 2\n"
    "Wat is de stand van zaken bij de aanleg van de nieuwe kade?4\n"
)
P2 = (
    "\fAntwoord 2\n"
    "De aanleg loopt volgens plan. Het bestek is gepubliceerd op de website.5\n"
    "Vraag 3\n"
    "Hoe beoordeelt u de motie over de haven?6\n"
    "Antwoord 3\n"
    "De motie is uitgevoerd, zoals gemeld in de brief van 2 mei.7\n"
)
NOTE_TEXTS = {
    1: "https://www.example.org/rapport-haven/",
    2: "Kamerstuk 12 345, nr. 6.",
    3: "Kamerstuk 12 345, nr. 7.",
    4: "Verslag van het overleg over de haven, te raadplegen op de website van de\nProvincie Noordland (example.org)",
    5: "www.example.org/bestek",
    6: "Kamerstuk 12 345, nr. 8.",
    7: "Kamerstuk 12 345, nr. 9.",
}


def _zone(*parts: int | str) -> str:
    """A note zone as the tool wrote it: numbers, note texts ("t3") and blank lines ("")."""
    lines = [str(p) if isinstance(p, int) else NOTE_TEXTS[int(p[1:])] if p else "" for p in parts]
    return "\n".join(lines)


EXPECTED = [
    (1, "Noordstad", NOTE_TEXTS[1]),
    (2, "havenbeheerder", NOTE_TEXTS[2]),
    (3, "provincie", NOTE_TEXTS[3]),
    (4, "kade", NOTE_TEXTS[4].replace("\n", " ")),
    (5, "website", NOTE_TEXTS[5]),
    (6, "haven", NOTE_TEXTS[6]),
    (7, "mei", NOTE_TEXTS[7]),
]


@pytest.mark.parametrize(
    ("page1", "page2"),
    [
        # Each number before its text, the first one before the publication's foot lines.
        (
            "\n1\n\nah-tk-20232024-999\nISSN 0921 - 7398\n’s-Gravenhage 2024\n\n"
            + _zone("t1", 2, "t2", 3, "t3", 4, "t4"),
            _zone(5, "t5", 6, "t6", 7, "t7"),
        ),
        # One number displaced after the last text ("5 t5 t6 7 t7 6" on the page).
        (_zone(1, "t1", "t2", 3, "t3", 4, "t4", 2), _zone(5, "t5", "t6", 7, "t7", 6)),
        # The first numbers after the texts, the rest before theirs ("t1 t2 3 t3 1 2").
        (_zone("t1", "t2", 3, "t3", 4, "t4", 1, 2), _zone("t5", "t6", 7, "t7", 5, 6)),
        # A column of numbers, then the texts; a note's second line opens with a capital.
        (
            _zone("", 1, 2, 3, 4, "", "t1", "t2", "t3", "t4"),
            _zone("", 5, 6, 7, "", "t5", "t6", "t7"),
        ),
    ],
    ids=["before-each", "one-displaced", "first-ones-after", "column-first"],
)
def test_scrambled_note_zones_pair_numbers_with_texts_in_order(page1: str, page2: str) -> None:
    text = P1 + page1 + "\n" + KST_FOOT.format(page=1) + P2 + page2 + "\n" + KST_FOOT.format(page=2)
    assert _notes(text) == EXPECTED


# ----- the ministry layout: colofon column among the text, markers set apart ----- #

MINISTRY = (
    "> Retouradres Postbus 20901 2500 EX Den Haag\n\n"
    "De voorzitter van de Tweede Kamer\nder Staten-Generaal\nPostbus 20018\n2500 EA DEN HAAG\n\n"
    "Ministerie van\nVerkeer en Water\nOns kenmerk\nVW/2024/1234\n\n"
    "Datum\nBetreft\n\n1 maart 2024\nOnderhoud van de vaarwegen\n\n"
    "Geachte voorzitter,\n"
    "Op 3 februari 2024 is het rapport over de vaarwegen aan de Kamer aangeboden 1. In\n"
    "dat rapport staan de volgende maatregelen:\n"
    "1. Baggeren van de hoofdvaarweg.\n"
    "2. Herstel van de sluizen.\n"
    "De Kamer is in de brief van 10 januari 20232 over de planning geïnformeerd en\n"
    "\n1\n2\n\n"
    "Kamerstukken II 2023/24, 12345, nr. 6\n"
    "Kamerstukken II 2022/23, 12345, nr. 2\n"
    "P agina 1 van 2\n"
    "\fde kosten van het onderhoud worden in de begroting opgenomen.\n\n"
    "Ministerie van\nVerkeer en Water\nOns kenmerk\nVW/2024/1234\n\n"
    "In de brief van 15 juni 2023 3 is de aanpak van de sluizen beschreven. Hierbij wordt\n"
    "ook het advies van de Raad 4 betrokken, zoals gemeld in het antwoord op vraag 4.\n"
    "Hoogachtend,\nDE MINISTER VAN VERKEER EN WATER,\n\nJan de Vries\n\n"
    "Kamerstukken II 2022/23, 12345, nr. 3\n"
    "https://www.example.org/advies-raad-vaarwegen\n3\n4\n\n"
    "P agina 2 van 2\n"
)


def test_ministry_copy_pairs_notes_around_the_colofon_with_set_apart_markers() -> None:
    notes = _notes(MINISTRY)
    assert [(n, anchor) for n, anchor, _ in notes] == [
        (1, "aangeboden"),
        (2, "2023"),
        (3, "2023"),
        (4, "Raad"),
    ]
    assert [text for *_, text in notes] == [
        "Kamerstukken II 2023/24, 12345, nr. 6",
        "Kamerstukken II 2022/23, 12345, nr. 2",
        "Kamerstukken II 2022/23, 12345, nr. 3",
        "https://www.example.org/advies-raad-vaarwegen",
    ]


def test_a_numbered_list_at_the_foot_of_a_page_stays_text() -> None:
    # pdfminer form "N text" at a page's foot, but the text marks no notes 1 and 2.
    page = (
        HEAD
        + "Vraag 1\nWelke maatregelen neemt u voor de haven?\nAntwoord 1\n"
        + "Het kabinet neemt twee maatregelen, die hieronder staan.\n"
        + "1 Het baggeren van de vaargeul in het voorjaar.\n"
        + "2 Het herstel van de kademuur in de zomer.\n"
        + KST_FOOT.format(page=1)
    )
    clean = clean_document(ingest_text(page))
    assert clean.notes == []
    assert "1 Het baggeren van de vaargeul" in clean.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("aan de Kamer aangeboden 1. In die brief", [(1, "aangeboden")]),
        ("de Hoofdlijnenbrief van 24 juni 2022 2 is normering", [(2, "2022")]),
        ("de aanbeveling van de Raad 16 betrokken", [(16, "Raad")]),
        ("de kwaliteit van de omgevingslucht) 3. In het voorstel", [(3, "omgevingslucht")]),
        ("op 1 januari 2024 ging het in", []),  # a date
        ("het antwoord op vraag 6 van het lid", []),  # a label
        ("er zijn de 2 kamers en 3 loketten", []),  # counts after an article and a noun
        ("de maatregelen: 1. Baggeren", []),  # a list after a colon
        ("Postbus 2 5 15 XP", []),  # spaced digits
        ("in totaal 10 procent", []),  # a quantity
    ],
)
def test_markers_set_apart_from_their_word(text: str, expected: list[tuple[int, str]]) -> None:
    found = [(c.value, text[c.anchor_start : c.anchor_end]) for c in spaced_digit_candidates(text)]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("van 24 juni 20222 is normering", [(2, "2022")]),
        ("mvo-beleid uit 2021?11 Waarom niet?", [(11, "2021")]),
        ("gold vanaf 2018.12 Hierbij", [(12, "2018")]),
        ("Retouradres Postbus 20901 2500 EX", []),  # a number, no year
        ("een bedrag van 20225 euro", []),
    ],
)
def test_markers_glued_to_a_year(text: str, expected: list[tuple[int, str]]) -> None:
    found = [(c.value, text[c.anchor_start : c.anchor_end]) for c in year_digit_candidates(text)]
    assert found == expected


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("onvoldoende»»?1", (1, "onvoldoende")),
        ("c.s.2,", (2, "c.s")),
        ("jl.3", (3, "jl")),
        ("Schiphol’4", (4, "Schiphol")),
        ("(Iplo)11.", (11, "Iplo")),
        ("@example.n1", None),  # an address OCR misread, no word before the digit
        ("2022", None),
    ],
)
def test_markers_glued_to_a_word(token: str, expected: tuple[int, str] | None) -> None:
    text = "zie " + token + " verder"
    found = [(c.value, text[c.anchor_start : c.anchor_end]) for c in glued_digit_candidates(text)]
    assert found == ([expected] if expected else [])
