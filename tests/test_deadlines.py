"""Dutch deadline grammar: every form resolves to the last day of the promised period."""

from __future__ import annotations

import datetime as dt

import pytest

from kamerbrief_extract.extract.deadlines import Deadline, find_deadlines

NOV_2022 = dt.date(2022, 11, 4)
MAY_2023 = dt.date(2023, 5, 22)
D = dt.date


@pytest.mark.parametrize(
    ("text", "reference", "raw", "date", "precision"),
    [
        # exact days
        (
            "Ik streef ernaar dit op 1 juli 2026 te doen.",
            MAY_2023,
            "op 1 juli 2026",
            D(2026, 7, 1),
            "day",
        ),
        ("uiterlijk 15 maart 2025", MAY_2023, "uiterlijk 15 maart 2025", D(2025, 3, 15), "day"),
        ("per 1 januari 2025", MAY_2023, "per 1 januari 2025", D(2025, 1, 1), "day"),
        (
            "tot en met 31 december 2025",
            MAY_2023,
            "tot en met 31 december 2025",
            D(2025, 12, 31),
            "day",
        ),
        ("voor 1 januari 2025", MAY_2023, "voor 1 januari 2025", D(2024, 12, 31), "day"),
        ("op 1 juli jl.", NOV_2022, "op 1 juli jl.", D(2022, 7, 1), "day"),
        ("op 1 december jl.", NOV_2022, "op 1 december jl.", D(2021, 12, 1), "day"),
        ("op 1 juli a.s.", MAY_2023, "op 1 juli a.s.", D(2023, 7, 1), "day"),
        ("op 1 maart aanstaande", MAY_2023, "op 1 maart aanstaande", D(2024, 3, 1), "day"),
        ("op 1 juli", MAY_2023, "op 1 juli", D(2023, 7, 1), "day"),
        ("op 1 maart", MAY_2023, "op 1 maart", D(2024, 3, 1), "day"),
        ("op maandag 3 juni 2024", MAY_2023, "op maandag 3 juni 2024", D(2024, 6, 3), "day"),
        ("uiterlijk 01-07-2026", MAY_2023, "uiterlijk 01-07-2026", D(2026, 7, 1), "day"),
        ("29 februari 2024", MAY_2023, "29 februari 2024", D(2024, 2, 29), "day"),
        # summer, recesses (ANNOTATION.md §7: "voor de zomer" is the summer recess, 1 July)
        ("voor de zomer van 2023", NOV_2022, "voor de zomer van 2023", D(2023, 7, 1), "season"),
        ("Voor de zomer volgt een brief", NOV_2022, "Voor de zomer", D(2023, 7, 1), "season"),
        ("voor de zomer", MAY_2023, "voor de zomer", D(2023, 7, 1), "season"),
        ("in de zomer", MAY_2023, "in de zomer", D(2023, 8, 31), "season"),
        ("rond de zomer", MAY_2023, "rond de zomer", D(2023, 8, 31), "season"),
        ("rond de zomer van 2024", MAY_2023, "rond de zomer van 2024", D(2024, 8, 31), "season"),
        ("deze zomer", MAY_2023, "deze zomer", D(2023, 8, 31), "season"),
        ("na de zomer", MAY_2023, "na de zomer", None, "season"),  # open-ended
        ("voor het zomerreces", MAY_2023, "voor het zomerreces", D(2023, 7, 1), "season"),
        ("na het zomerreces", MAY_2023, "na het zomerreces", None, "season"),
        ("voor het kerstreces", NOV_2022, "voor het kerstreces", D(2022, 12, 23), "season"),
        ("voor het kerstrecès", NOV_2022, "voor het kerstrecès", D(2022, 12, 23), "season"),
        ("voor de kerst", NOV_2022, "voor de kerst", D(2022, 12, 23), "season"),
        ("na het kerstreces", NOV_2022, "na het kerstreces", None, "season"),
        ("voor het meireces", NOV_2022, "voor het meireces", D(2023, 4, 24), "season"),
        (
            "voor het zomerreces van 2024",
            MAY_2023,
            "voor het zomerreces van 2024",
            D(2024, 7, 1),
            "season",
        ),
        # seasons are meteorological: voorjaar to 31 May, najaar to 30 November
        (
            "In het voorjaar van 2023",
            NOV_2022,
            "In het voorjaar van 2023",
            D(2023, 5, 31),
            "season",
        ),
        ("in het voorjaar", NOV_2022, "in het voorjaar", D(2023, 5, 31), "season"),
        ("in het voorjaar", MAY_2023, "in het voorjaar", D(2023, 5, 31), "season"),
        ("in het najaar", NOV_2022, "in het najaar", D(2022, 11, 30), "season"),
        ("dit najaar", MAY_2023, "dit najaar", D(2023, 11, 30), "season"),
        ("komend najaar", MAY_2023, "komend najaar", D(2023, 11, 30), "season"),
        ("in het najaar van 2024", MAY_2023, "in het najaar van 2024", D(2024, 11, 30), "season"),
        ("in de herfst", MAY_2023, "in de herfst", D(2023, 11, 30), "season"),
        ("deze winter", NOV_2022, "deze winter", D(2023, 2, 28), "season"),
        ("deze winter", dt.date(2024, 1, 10), "deze winter", D(2024, 2, 29), "season"),
        ("Dit voorjaar heb ik", NOV_2022, "Dit voorjaar", D(2022, 5, 31), "season"),
        ("komend voorjaar", NOV_2022, "komend voorjaar", D(2023, 5, 31), "season"),
        ("voorjaar 2024", MAY_2023, "voorjaar 2024", D(2024, 5, 31), "season"),
        (
            "voor het voorjaar van 2024",
            MAY_2023,
            "voor het voorjaar van 2024",
            D(2024, 2, 29),
            "season",
        ),
        ("eind dit voorjaar", MAY_2023, "eind dit voorjaar", D(2023, 5, 31), "season"),
        ("begin van de zomer", MAY_2023, "begin van de zomer", D(2023, 6, 30), "season"),
        ("na het voorjaar", NOV_2022, "na het voorjaar", None, "season"),
        # years and positions in a year
        ("eind volgend jaar", MAY_2023, "eind volgend jaar", D(2024, 12, 31), "year"),
        ("begin volgend jaar", MAY_2023, "begin volgend jaar", D(2024, 3, 31), "year"),
        ("medio volgend jaar", MAY_2023, "medio volgend jaar", D(2024, 6, 30), "year"),
        ("eind van dit jaar", MAY_2023, "eind van dit jaar", D(2023, 12, 31), "year"),
        (
            "voor het einde van het jaar",
            NOV_2022,
            "voor het einde van het jaar",
            D(2022, 12, 31),
            "year",
        ),
        ("voor het einde van 2025", MAY_2023, "voor het einde van 2025", D(2025, 12, 31), "year"),
        ("eind 2024", MAY_2023, "eind 2024", D(2024, 12, 31), "year"),
        ("eind dit jaar", MAY_2023, "eind dit jaar", D(2023, 12, 31), "year"),
        ("begin 2024", MAY_2023, "begin 2024", D(2024, 3, 31), "year"),
        ("medio 2024", MAY_2023, "medio 2024", D(2024, 6, 30), "year"),
        ("in 2023", NOV_2022, "in 2023", D(2023, 12, 31), "year"),
        ("voor 2025", MAY_2023, "voor 2025", D(2024, 12, 31), "year"),
        ("dit jaar", MAY_2023, "dit jaar", D(2023, 12, 31), "year"),
        ("Later dit jaar wordt", MAY_2023, "Later dit jaar", D(2023, 12, 31), "year"),
        ("Volgend jaar wil ik", NOV_2022, "Volgend jaar", D(2023, 12, 31), "year"),
        ("komend jaar", NOV_2022, "komend jaar", D(2023, 12, 31), "year"),
        (
            "in de loop van volgend jaar",
            MAY_2023,
            "in de loop van volgend jaar",
            D(2024, 12, 31),
            "year",
        ),
        # quarters and halves
        (
            "in het derde kwartaal van 2026",
            MAY_2023,
            "in het derde kwartaal van 2026",
            D(2026, 9, 30),
            "quarter",
        ),
        ("Q1 2026", MAY_2023, "Q1 2026", D(2026, 3, 31), "quarter"),
        ("in Q3", MAY_2023, "in Q3", D(2023, 9, 30), "quarter"),
        ("in het eerste kwartaal", MAY_2023, "in het eerste kwartaal", D(2024, 3, 31), "quarter"),
        (
            "uiterlijk in het 4e kwartaal van dit jaar",
            MAY_2023,
            "uiterlijk in het 4e kwartaal van dit jaar",
            D(2023, 12, 31),
            "quarter",
        ),
        (
            "in de eerste helft van 2024",
            MAY_2023,
            "in de eerste helft van 2024",
            D(2024, 6, 30),
            "quarter",
        ),
        (
            "in de tweede helft van dit jaar",
            MAY_2023,
            "in de tweede helft van dit jaar",
            D(2023, 12, 31),
            "quarter",
        ),
        ("tweede helft van 2024", MAY_2023, "tweede helft van 2024", D(2024, 12, 31), "quarter"),
        # months
        ("In november ga ik", NOV_2022, "In november", D(2022, 11, 30), "month"),
        ("in maart", MAY_2023, "in maart", D(2024, 3, 31), "month"),
        ("eind september", NOV_2022, "eind september", D(2023, 9, 30), "month"),
        ("medio juni 2024", MAY_2023, "medio juni 2024", D(2024, 6, 15), "month"),
        ("voor november 2023", MAY_2023, "voor november 2023", D(2023, 10, 31), "month"),
        ("volgende maand", MAY_2023, "volgende maand", D(2023, 6, 30), "month"),
        # ranges
        ("Veiligheidsagenda (2023 t/m 2026)", NOV_2022, "2023 t/m 2026", D(2026, 12, 31), "year"),
        ("Actieprogramma 2023-2026", NOV_2022, "2023-2026", D(2026, 12, 31), "year"),
        ("van 2023 tot en met 2025", NOV_2022, "van 2023 tot en met 2025", D(2025, 12, 31), "year"),
        # durations
        ("binnen drie maanden", MAY_2023, "binnen drie maanden", D(2023, 8, 22), "month"),
        ("binnen 6 weken", MAY_2023, "binnen 6 weken", D(2023, 7, 3), "day"),
        # events
        (
            "In de volgende halfjaarbrief over",
            MAY_2023,
            "In de volgende halfjaarbrief",
            None,
            "event",
        ),
        (
            "bij de volgende voortgangsrapportage",
            MAY_2023,
            "bij de volgende voortgangsrapportage",
            None,
            "event",
        ),
        ("bij de Voorjaarsnota", MAY_2023, "bij de Voorjaarsnota", None, "event"),
        ("voor het commissiedebat", MAY_2023, "voor het commissiedebat", None, "event"),
        ("voor Prinsjesdag", MAY_2023, "voor Prinsjesdag", D(2023, 9, 18), "day"),
        ("op Prinsjesdag 2024", MAY_2023, "op Prinsjesdag 2024", D(2024, 9, 17), "day"),
    ],
)
def test_forms(
    text: str, reference: dt.date, raw: str, date: dt.date | None, precision: str
) -> None:
    found = find_deadlines(text, reference)
    assert len(found) == 1, found
    d = found[0]
    assert (d.raw, d.date, d.precision) == (raw, date, precision)
    assert text[d.start : d.end] == d.raw


@pytest.mark.parametrize(
    "text",
    [
        "Den Haag, in het jaar waarin",  # "het jaar" alone is no deadline
        "de najaarsbrief van 4 november 2022",  # a document's date
        "onze brief van 1 juli jl.",
        "in het commissiedebat van 6 april 2023",
        "Tweede Kamer, vergaderjaar 2021-2022, 28 741, nr. 86.",
        "Vanaf 2023 is daar structurele financiering voor.",
        "Sinds dit jaar is een vertrouwenspersoon actief.",
        "de Voorjaarsnota 2020 en het coalitieakkoord 2021",  # bare years
        "Stb. 2021, nr. 346",
        "ECLI:NL:HR:2021:1946",
        "op 31 februari 2025",  # no such day
        "in de halfjaarbrief",  # a recurring document is a deadline only as "the next one"
        "in de zomer van de jaren tachtig",
        "de komende jaren",
        "na 1 juli 2026",  # open-ended
        "in de brief",
        "de kerst",  # a bare season or holiday is no deadline
        "het voorjaar",
        "na 1 juli 2026",
    ],
)
def test_not_deadlines(text: str) -> None:
    assert find_deadlines(text, MAY_2023) == []


@pytest.mark.parametrize(
    ("text", "raw", "precision"),
    [
        ("dit jaar", "dit jaar", "year"),
        ("voor het kerstreces", "voor het kerstreces", "season"),
        ("dit najaar", "dit najaar", "season"),
        ("In november", "In november", "month"),
        ("op 1 juli jl.", "op 1 juli jl.", "day"),
        ("In de volgende halfjaarbrief", "In de volgende halfjaarbrief", "event"),
    ],
)
def test_relative_without_reference_keeps_words(text: str, raw: str, precision: str) -> None:
    assert find_deadlines(text, None) == [Deadline(None, raw, 0, len(raw), precision)]


def test_absolute_without_reference() -> None:
    assert [d.date for d in find_deadlines("uiterlijk 15 maart 2025", None)] == [D(2025, 3, 15)]


def test_several_in_text_order_with_offsets() -> None:
    text = "Het Actieprogramma 2023-2026 doe ik u voor het kerstreces toekomen, en in 2023 meer."
    found = find_deadlines(text, NOV_2022)
    assert [(d.raw, d.date) for d in found] == [
        ("2023-2026", D(2026, 12, 31)),
        ("voor het kerstreces", D(2022, 12, 23)),
        ("in 2023", D(2023, 12, 31)),
    ]
    assert all(text[d.start : d.end] == d.raw for d in found)


def test_longest_expression_wins() -> None:
    (d,) = find_deadlines("tot en met 31 december 2025", MAY_2023)
    assert d.raw == "tot en met 31 december 2025"
