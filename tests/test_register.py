"""The register of commitments: one row per distinct promise, its mentions and status.

The letters are invented (names and numbers made up) in the layout of a Kamerstuk.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kamerbrief_extract.cli import app
from kamerbrief_extract.corpus.export import register_status

HEAD = """Tweede Kamer der Staten-Generaal
Vergaderjaar 2022-2023

31 234 Voorbeeldbeleid

Nr. {nr} BRIEF VAN DE MINISTER VAN BINNENLANDSE ZAKEN EN KONINKRIJKSRELATIES

Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Den Haag, {date}

"""
SIGN = """

De Minister van Binnenlandse Zaken en Koninkrijksrelaties,
H.G.J. Voorbeeld
"""

LETTER_A = (
    HEAD.format(nr=60, date="10 januari 2023")
    + "Met deze brief informeer ik uw Kamer over de regeling voor dorpshuizen.1 "
    "Ik zal uw Kamer voor de zomer van 2023 informeren over de evaluatie van de regeling. "
    "De minister van Financiën zal uw Kamer in het najaar van 2023 informeren over de "
    "fiscale gevolgen. Ik zal uw Kamer voor 1 september 2023 een overzicht van de "
    "aanvragen per provincie sturen.\n\n"
    "Over de subsidie aan de provincies kom ik bij de volgende voortgangsbrief terug."
    + SIGN
    + "\n1 Kamerstuk 31 234, nr. 50. Ik zal uw Kamer voor 1 maart 2023 de lijst van "
    "dorpshuizen sturen.\n"
)
LETTER_B = (
    HEAD.format(nr=61, date="20 juni 2023")
    + "Met deze brief doe ik de toezegging af om uw Kamer te informeren over de evaluatie "
    "van de regeling voor dorpshuizen." + SIGN
)


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    root = tmp_path_factory.mktemp("register")
    src, out = root / "src", root / "out"
    src.mkdir()
    (src / "brief_a.txt").write_text(LETTER_A, encoding="utf-8")
    (src / "brief_b.txt").write_text(LETTER_B, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["run", str(src), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    target = root / "register.csv"
    result = runner.invoke(
        app, ["export", str(out), "--to", "register", "--out", str(target), "--on", "2023-10-01"]
    )
    assert result.exit_code == 0, result.output
    with target.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_one_row_per_commitment_with_official_and_ministry(
    register: list[dict[str, str]],
) -> None:
    rows = {r["deadline_raw"]: r for r in register if r["source"] == "brief_a.txt"}
    summer, autumn = rows["voor de zomer van 2023"], rows["in het najaar van 2023"]
    assert (summer["official"], summer["ministry"]) == (
        "H.G.J. Voorbeeld",
        "Binnenlandse Zaken en Koninkrijksrelaties",
    )
    assert (autumn["official"], autumn["ministry"]) == ("minister van Financiën", "Financiën")
    assert (summer["deadline"], summer["deadline_precision"]) == ("2023-07-01", "season")
    assert (autumn["deadline"], autumn["deadline_precision"]) == ("2023-11-30", "season")
    assert summer["cue"] == "new_inform_chamber"


def test_status_on_a_date(register: list[dict[str, str]]) -> None:
    by_raw = {r["deadline_raw"]: r for r in register if r["source"] == "brief_a.txt"}
    status = {raw: r["status"] for raw, r in by_raw.items()}
    assert status["voor 1 september 2023"] == "overdue"  # passed by 1 October, not delivered
    assert status["in het najaar van 2023"] == "open"
    assert status["bij de volgende voortgangsbrief"] == "open"  # no date: never overdue
    # the later letter that does the promise off fulfils the summer promise: one row, two mentions
    summer = by_raw["voor de zomer van 2023"]
    assert summer["status"] == "fulfilled"
    assert "brief_b.txt" in summer["fulfilled_by"] or "brief_b.txt" in summer["mentions"]
    assert len(register) == len({r["commitment_id"] for r in register})


@pytest.mark.parametrize(
    ("row", "on", "status"),
    [
        ({"deadline": "2023-07-01", "mentions": [{"kind": "new"}]}, "2023-07-01", "open"),
        ({"deadline": "2023-07-01", "mentions": [{"kind": "new"}]}, "2023-07-02", "overdue"),
        ({"deadline": None, "mentions": [{"kind": "new"}]}, "2030-01-01", "open"),
        (
            {"deadline": "2023-07-01", "mentions": [{"kind": "new"}], "fulfilled_by": [{}]},
            "2024-01-01",
            "fulfilled",
        ),
        ({"deadline": None, "mentions": [{"kind": "fulfilled"}]}, "2024-01-01", "fulfilled"),
    ],
)
def test_register_status(row: dict[str, object], on: str, status: str) -> None:
    assert register_status(row, dt.date.fromisoformat(on)) == status


def test_bad_on_date_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", str(tmp_path), "--to", "register", "--on", "juli"])
    assert result.exit_code == 2
    assert "not an ISO date" in result.output


def test_promises_in_answers_not_in_questions() -> None:
    from kamerbrief_extract.build import _commits_to_the_chamber, _register_fields
    from kamerbrief_extract.extract.commitments import find_commitments
    from kamerbrief_extract.records import Kamervragen, Meta, QuestionAnswer

    question = "Klopt het dat de Kamer voor de zomer wordt geïnformeerd over de aanpak. "
    answer = "Ik zal uw Kamer voor de zomer informeren over de aanpak."
    text = question + answer
    meta = Meta(doc_type="kamervragen", ministry="Binnenlandse Zaken")
    qa = Kamervragen(
        answered_by="staatssecretaris van Binnenlandse Zaken",
        questions=[
            QuestionAnswer(
                n=3,
                question_start=0,
                question_end=len(question),
                answer_start=len(question),
                answer_end=len(text),
            )
        ],
    )
    found = find_commitments(text, dt.date(2024, 3, 1))
    assert len(found) == 2  # the question without its question mark reads like a promise
    kept = [c for c in found if _commits_to_the_chamber(c, meta, qa)]
    assert [c.text for c in kept] == [answer]
    assert _register_fields(kept[0], meta, qa) == {
        "official": "staatssecretaris van Binnenlandse Zaken",
        "ministry": "Binnenlandse Zaken",
        "in_answer": 3,
    }


def test_a_woo_decision_promises_the_requester_not_the_chamber() -> None:
    from kamerbrief_extract.build import _commits_to_the_chamber
    from kamerbrief_extract.extract.commitments import find_commitments
    from kamerbrief_extract.records import Meta

    (c,) = find_commitments(
        "De documenten worden u voor 1 juli 2024 toegezonden.", dt.date(2024, 3, 1)
    )
    assert _commits_to_the_chamber(c, Meta(doc_type="brief"), None)
    assert not _commits_to_the_chamber(c, Meta(doc_type="woo-besluit"), None)


def test_a_promise_in_a_footnote(register: list[dict[str, str]]) -> None:
    (row,) = [r for r in register if r["deadline"] == "2023-02-28"]  # "voor 1 maart"
    assert (row["kind"], row["in_footnote"], row["status"]) == ("new", "1", "overdue")
