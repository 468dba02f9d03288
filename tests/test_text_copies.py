"""Text copies that other tools made of PDFs: the footnote zone made explicit again.

pdftotext sets each note number on a line of its own (before its text, or all numbers
after the texts); pdfminer keeps "N text" lines without the blank line before the zone;
both keep the publication's foot lines among the notes. Invented pages in those forms.
"""

from __future__ import annotations

import pytest

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
