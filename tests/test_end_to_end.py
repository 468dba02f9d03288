"""Whole records for small invented letters in forms the samples do not have.

The letters in tests/letters/ are written for these tests (names and numbers are
made up), so they check that the rules are general, not tuned to data/raw/.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kamerbrief_extract.cli import app

LETTERS = Path(__file__).resolve().parent / "letters"


@pytest.fixture(scope="module")
def web_copy() -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(app, ["extract", str(LETTERS / "webcopy_glued_markers.txt")])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_web_copy_metadata(web_copy: dict) -> None:  # type: ignore[type-arg]
    assert web_copy["meta"] == {
        "date": "2024-03-05",
        "doc_type": "brief",
        "subject": None,
        "sender": "H.G.J. Voorbeeld",
        "sender_office": "De Minister van Binnenlandse Zaken en Koninkrijksrelaties",
        "ministry": "Binnenlandse Zaken en Koninkrijksrelaties",
        "kamerstuk": "kst-31234-57",
        "kenmerk": None,
    }


def test_web_copy_footnotes_from_glued_digits(web_copy: dict) -> None:  # type: ignore[type-arg]
    notes = [(f["n"], f["anchor"], f["text"]) for f in web_copy["footnotes"]]
    assert notes == [
        (1, "c.s", "Kamerstuk 31 234, nr. 50."),
        (2, "jl", "Kamerstuk 31 234, nr. 55."),
    ]
    assert "c.s.1" not in web_copy["text"] and "jl.2" not in web_copy["text"]


def test_web_copy_items(web_copy: dict) -> None:  # type: ignore[type-arg]
    assert [(c["id"], c["in_footnote"]) for c in web_copy["citations"]] == [
        ("kst-31234-50", 1),
        ("kst-31234-55", 2),
    ]
    assert [(a["value_eur"], a["recurrence"]) for a in web_copy["amounts"]] == [
        (12000000, "per_year")
    ]
    assert [m["cbs_code"] for m in web_copy["municipalities"]] == ["GM0193", "GM0200"]
    motion = web_copy["motions"][0]
    assert (motion["submitters"], motion["cosigned"], motion["citation"], motion["status"]) == (
        ["De Boer"],
        True,
        "kst-31234-50",
        "afgedaan",  # "Hiermee doe ik de motie af." in the next sentence
    )
    commitment = web_copy["commitments"][0]
    assert commitment["deadline"] == "2024-07-01"
    assert commitment["deadline_raw"].lower() == "voor de zomer van 2024"


def test_offsets_point_into_text_and_source(web_copy: dict) -> None:  # type: ignore[type-arg]
    source = (LETTERS / "webcopy_glued_markers.txt").read_text(encoding="utf-8")
    for kind in ("citations", "amounts", "municipalities", "motions"):
        for item in web_copy[kind]:
            text = web_copy["text"][item["start"] : item["end"]]
            original = source[item["source_start"] : item["source_end"]]
            assert text.split() == original.split(), (kind, text, original)


def test_press_release() -> None:
    result = CliRunner().invoke(app, ["extract", str(LETTERS / "persbericht.txt")])
    record = json.loads(result.stdout)
    assert record["meta"]["doc_type"] == "persbericht"
    assert record["meta"]["date"] == "2024-06-12"
    assert record["meta"]["subject"] == "Kabinet trekt extra geld uit voor veilige wijken"
    assert [(a["value_eur"], a["recurrence"]) for a in record["amounts"]] == [
        (30000000, "per_year")
    ]
    assert [m["cbs_code"] for m in record["municipalities"]] == ["GM0150", "GM0114"]
