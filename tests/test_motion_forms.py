"""Motion and amendment documents: every title, dictum and signature form, and the near
misses. The examples are invented sentences in the grammar of real motions."""

from __future__ import annotations

import datetime

import pytest

from kamerbrief_extract.extract.motion_document import (
    official_names,
    parse_motion_document,
    title_kind,
)


def motion(
    title: str, clauses: str = "verzoekt de regering een plan te maken,", signed: str = ""
) -> str:
    """A motion in the layout of a text copy: one printed line a line."""
    return (
        "Tweede Kamer der Staten-Generaal\n"
        "Vergaderjaar 2024-2025\n"
        "36 123 Regels over de haven\n"
        "Nr. 17\n"
        f"{title}\n"
        "Voorgesteld 3 april 2025\n"
        "De Kamer,\n"
        "gehoord de beraadslaging,\n"
        "constaterende dat de haven dichtslibt;\n"
        f"{clauses}\n"
        "en gaat over tot de orde van de dag.\n"
        f"{signed}\n"
    )


# (title, signatures, submitters, cosigned, amendment_level, replaces)
TITLES = [
    ("MOTIE VAN HET LID DE GROOT", "De Groot", ("De Groot",), False, None, None),
    (
        "MOTIE VAN DE LEDEN SMIT, DE WIT EN TER HORST",
        "Smit\nDe Wit\nTer Horst",
        ("Smit", "De Wit", "Ter Horst"),
        False,
        None,
        None,
    ),
    (
        "GEWIJZIGDE MOTIE VAN HET LID SMIT C.S. TER VERVANGING VAN DIE GEDRUKT ONDER NR. 12",
        "Smit\nKok",
        ("Smit",),
        True,
        "gewijzigd",
        "12",
    ),
    (
        "NADER GEWIJZIGDE MOTIE VAN DE LEDEN SMIT EN KOK TER VERVANGING VAN DIE GEDRUKT ONDER "
        "NR. 40",
        "Smit\nKok",
        ("Smit", "Kok"),
        False,
        "nader gewijzigd",
        "40",
    ),
    (
        "TWEEDE NADER GEWIJZIGDE MOTIE VAN HET LID SMIT TER VERVANGING VAN DIE GEDRUKT ONDER "
        "NR. 30",
        "Smit",
        ("Smit",),
        False,
        "tweede nader gewijzigd",
        "30",
    ),
    ("MOTIE VAN KOSTIĆ", "Kostić", ("Kostić",), False, None, None),
    ("MOTIE VAN HET BAKKER C.S.", "Bakker\nSmit", ("Bakker",), True, None, None),
    ("MOTIE VAN DE HET LID BAKKER", "Bakker", ("Bakker",), False, None, None),
    ("MOTIE VAN DE JONG", "De Jong", ("De Jong",), False, None, None),
    ("MOTIE VAN HET LID VAN 'T HOF", "Van 't Hof", ("Van 't Hof",), False, None, None),
    (
        "MOTIE VAN DE LEDEN VAN DER VEEN EN\nINGE DE BOER",
        "Van der Veen\nInge de Boer",
        ("Van der Veen", "Inge de Boer"),
        False,
        None,
        None,
    ),
    ("MOTIE VAN HET LID SMIT C.S", "Smit\nKok", ("Smit",), True, None, None),
    ("Motie van het lid Bakker over de haven", "Bakker", ("Bakker",), False, None, None),
    ("MOTIE VAN HET ID BAKKER", "Bakker", ("Bakker",), False, None, None),
    (
        "TWEEDE GEWIJZIGDE MOTIE VAN HET LID BAKKER",
        "Bakker",
        ("Bakker",),
        False,
        "tweede gewijzigd",
        None,
    ),
]


@pytest.mark.parametrize(
    ("title", "signed", "submitters", "cosigned", "level", "replaces"),
    TITLES,
    ids=[t[0][:40] for t in TITLES],
)
def test_title_forms(
    title: str,
    signed: str,
    submitters: tuple[str, ...],
    cosigned: bool,
    level: str | None,
    replaces: str | None,
) -> None:
    doc = parse_motion_document(motion(title, signed=signed))
    assert doc is not None
    assert doc.kind == "motie"
    assert doc.submitters == submitters
    assert doc.cosigned is cosigned
    assert doc.amendment_level == level
    assert doc.replaces == replaces
    assert doc.amended is (level is not None or replaces is not None)
    assert doc.signatories == tuple(signed.split("\n"))
    assert (doc.dossier, doc.number, doc.date) == ("36123", "17", datetime.date(2025, 4, 3))
    assert [d.verb for d in doc.dictum] == ["verzoekt"]
    assert not [w for w in doc.warnings if "title" in w]


@pytest.mark.parametrize(
    "text",
    [
        "MOTIE VAN WANTROUWEN",
        "MOTIE VAN AFKEURING\n\nDe Kamer spreekt zich uit.",
        "Brief van de minister over de motie van het lid Smit.",
        "MOTIE VAN KOSTIĆ",  # no signature confirms the name, no motion form
        "Wij spreken over een amendement van de leden Smit en Kok.",
        "",
    ],
)
def test_not_a_motion_document(text: str) -> None:
    assert parse_motion_document(text) is None


def test_title_kind_of_a_document_head() -> None:
    assert title_kind("36 123 Haven\nNr. 4\nMOTIE VAN HET FLACH C.S.\nVoorgesteld") == "motie"
    assert title_kind("Nr. 4 GEWIJZIGD AMENDEMENT VAN HET LID SMIT") == "amendement"
    assert title_kind("Hierbij de motie van het lid Smit.") is None
    assert title_kind("MOTIE VAN WANTROUWEN") is None
    assert title_kind("AMENDEMENT VAN DE REGERING") is None
    assert title_kind("MOTIE VAN KOSTIĆ") is None
    assert (
        title_kind(
            "MOTIE VAN KOSTIĆ", "gehoord de beraadslaging, en gaat over tot de orde van de dag."
        )
        == "motie"
    )


def test_unreadable_title_keeps_the_stated_fields_and_warns() -> None:
    text = (
        "MOTIE\n\nDe Kamer,\n\ngehoord de beraadslaging,\n\nspreekt uit dat het anders moet,\n\n"
        "en gaat over tot de orde van de dag.\n\nSmit\n"
    )
    meta = {
        "doc_type": "motie",
        "title": "MOTIE",
        "dossier": "36200-VI",
        "number": "72",
        "date": "2024-11-05",
        "kamerstuk": "kst-36200-VI-72",
        "signatories": "Smit",
    }
    doc = parse_motion_document(text, meta)
    assert doc is not None
    assert (doc.dossier, doc.number, doc.kamerstuk, doc.date) == (
        "36200-VI",
        "72",
        "kst-36200-VI-72",
        datetime.date(2024, 11, 5),
    )
    assert doc.submitters == ()
    assert doc.signatories == ("Smit",)
    assert [d.verb for d in doc.dictum] == ["spreekt uit"]
    assert any(w.startswith("title names no submitters") for w in doc.warnings)
    # The same text without what the XML states: a motion by its form, fields missing.
    bare = parse_motion_document(text)
    assert bare is not None and bare.dossier is None
    assert "no dossier found" in bare.warnings


# --- The dictum ----------------------------------------------------------------------

DICTA = [
    ("verzoekt de regering een plan te maken,", "verzoekt"),
    ("verzoekt tevens de regering de haven te openen,", "verzoekt"),
    ("spreekt uit dat de haven open moet blijven,", "spreekt uit"),
    ("spreekt zich uit tegen het sluiten van de haven,", "spreekt uit"),
    ("spreekt als haar oordeel uit dat de haven open moet,", "spreekt uit"),
    ("roept de regering op de wet in te trekken,", "roept op"),
    ("roept het kabinet op om de haven te openen,", "roept op"),
    ("draagt het Presidium op een voorstel te doen,", "draagt op"),
    ("besluit een tijdelijke commissie in te stellen,", "besluit"),
    ("constateert dat de regering geen plan heeft,", "constateert"),
    ("zegt het vertrouwen in de minister op,", "zegt op"),
    ("dringt er bij de regering op aan de haven te openen,", "dringt aan"),
    ("keurt het besluit van de minister af,", "keurt af"),
    ("geeft de regering in overweging de haven te openen,", "geeft in overweging"),
    ("nodigt de regering uit een plan te maken,", "nodigt uit"),
    ("wijst het voorstel van de minister af,", "wijst af"),
    ("betreurt dat de haven sluit,", "betreurt"),
    ("vraagt de regering om een plan,", "vraagt"),
    ("Verzoekt de regering een plan te maken,", "verzoekt"),
]


@pytest.mark.parametrize(("clause", "verb"), DICTA)
def test_dictum_verbs(clause: str, verb: str) -> None:
    doc = parse_motion_document(motion("MOTIE VAN HET LID SMIT", clause, "Smit"))
    assert doc is not None
    assert [(d.verb, d.text) for d in doc.dictum] == [(verb, clause)]
    assert doc.requests == (clause,)
    assert doc.considerations == ("constaterende dat de haven dichtslibt;",)


def test_several_dicta_in_order() -> None:
    clauses = (
        "spreekt uit dat de haven open moet blijven;\n"
        "verzoekt de regering de haven te\nbaggeren;\n"
        "roept de provincie op mee te betalen,"
    )
    doc = parse_motion_document(motion("MOTIE VAN HET LID SMIT", clauses, "Smit"))
    assert doc is not None
    assert [(d.verb, d.text) for d in doc.dictum] == [
        ("spreekt uit", "spreekt uit dat de haven open moet blijven;"),
        ("verzoekt", "verzoekt de regering de haven te baggeren;"),
        ("roept op", "roept de provincie op mee te betalen,"),
    ]


@pytest.mark.parametrize(
    ("clauses", "considerations", "dicta"),
    [
        # A dictum verb inside a consideration is no clause of its own.
        (
            "overwegende dat de minister verzoekt om geduld;\nverzoekt de regering te handelen,",
            2,
            ["verzoekt"],
        ),
        # "gelet op" after a comma in running text goes on with its clause.
        (
            "overwegende dat het kabinet, gelet op de kosten, niets doet;\nbesluit te handelen,",
            2,
            ["besluit"],
        ),
        # An ordinal ending in -ende is no consideration ("zevende lid").
        (
            "overwegende dat de wet (artikel 10, zevende lid) dit regelt;\nverzoekt iets,",
            2,
            ["verzoekt"],
        ),
        # List items under a request stay in it.
        (
            "verzoekt de regering:\n• het plan te maken;\n• stelt een termijn;\nen dit te melden,",
            1,
            ["verzoekt"],
        ),
        # No dictum at all: only considerations.
        ("overwegende dat het zo is,", 2, []),
        # A consideration ended by a full stop instead of ";": the next line still opens.
        ("overwegende dat het zo is.\nverzoekt de regering te handelen,", 2, ["verzoekt"]),
        # A wrapped line that starts with a dictum verb mid-sentence does not.
        ("overwegende dat de minister\nverzoekt om geduld en\nroept om hulp,", 2, []),
    ],
)
def test_clause_boundaries(clauses: str, considerations: int, dicta: list[str]) -> None:
    doc = parse_motion_document(motion("MOTIE VAN HET LID SMIT", clauses, "Smit"))
    assert doc is not None
    assert len(doc.considerations) == considerations
    assert [d.verb for d in doc.dictum] == dicta
    assert ("no dictum found" in doc.warnings) is (not dicta)


JOINED = (
    "Vergaderjaar 2024-2025 Tweede Kamer der Staten-Generaal Kamerstukken 36 123 Regels over de "
    "haven MOTIE VAN HET LID BOSWIJK C.S. Voorgesteld 3 april 2025 De Kamer, gehoord de "
    "beraadslaging, constaterende dat de haven dichtslibt; verzoekt de regering de haven te "
    "baggeren; spreekt uit dat dit snel moet, en gaat over tot de orde van de dag. Boswijk Van "
    "der Burg Inge van Dijk Piri, Kahraman"
)


def test_a_layout_that_joined_everything_into_one_paragraph() -> None:
    doc = parse_motion_document(JOINED)
    assert doc is not None
    assert doc.submitters == ("Boswijk",) and doc.cosigned
    assert doc.signatories == ("Boswijk", "Van der Burg", "Inge van Dijk", "Piri", "Kahraman")
    assert doc.dossier == "36123" and doc.date == datetime.date(2025, 4, 3)
    assert [d.verb for d in doc.dictum] == ["verzoekt", "spreekt uit"]
    assert doc.considerations == ("constaterende dat de haven dichtslibt;",)


@pytest.mark.parametrize(
    ("signed", "known_title", "expected"),
    [
        ("Smit Jimmy Dijk", "MOTIE VAN DE LEDEN SMIT EN JIMMY DIJK", ("Smit", "Jimmy Dijk")),
        ("Van der Plas", "MOTIE VAN HET LID VAN DER PLAS", ("Van der Plas",)),
        (
            "Kok De Vries-Jansen",
            "MOTIE VAN DE LEDEN KOK EN DE VRIES-JANSEN",
            ("Kok", "De Vries-Jansen"),
        ),
        (
            "El Abassi Van Baarle",
            "MOTIE VAN DE LEDEN EL ABASSI EN VAN BAARLE",
            ("El Abassi", "Van Baarle"),
        ),
    ],
)
def test_joined_signature_line(signed: str, known_title: str, expected: tuple[str, ...]) -> None:
    doc = parse_motion_document(motion(known_title, signed=signed))
    assert doc is not None
    assert doc.signatories == expected


@pytest.mark.parametrize(
    ("official", "signed"),
    [
        ("A.B. de Vries;C. Jansen", ["Jansen", "De Vries"]),
        ("O.C. (Olger) van Dijk", ["Olger van Dijk"]),
        ("J.J. van der Werf;K. Smit", ["Smit", "Van der Werf"]),
        ("", []),
    ],
)
def test_official_indieners_as_signed(official: str, signed: list[str]) -> None:
    assert official_names(official) == signed


def test_signatories_from_the_official_list_when_no_name_is_signed() -> None:
    text = motion("MOTIE VAN DE LEDEN JANSEN EN DE VRIES", signed="")
    doc = parse_motion_document(text, {"submitters_official": "A.B. de Vries;C. Jansen"})
    assert doc is not None
    assert doc.signatories == ("Jansen", "De Vries")
    assert doc.submitters == ("Jansen", "De Vries")


# --- Amendments ----------------------------------------------------------------------

AMENDMENT = """\
Tweede Kamer der Staten-Generaal
Vergaderjaar 2023-2024
36 123 Wijziging van de Havenwet
Nr. 14
{title}
Ontvangen 12 maart 2024
De ondergetekenden stellen het volgende amendement voor:
I
In artikel 1, onderdeel A, wordt „haven” vervangen door „zeehaven”.
II
Artikel 3, tweede lid, vervalt.
III
In artikel 2.4, eerste lid, onder b, wordt „jaar” vervangen door „maand”.
Toelichting
Dit amendement regelt dat de wet ook voor zeehavens geldt. Artikel 7 blijft gelijk.
{signed}
"""


@pytest.mark.parametrize(
    ("title", "signed", "submitters", "level", "replaces"),
    [
        ("AMENDEMENT VAN HET LID JANSEN", "Jansen", ("Jansen",), None, None),
        (
            "GEWIJZIGD AMENDEMENT VAN DE LEDEN JANSEN EN DE VRIES TER VERVANGING VAN DAT "
            "GEDRUKT ONDER NR. 9",
            "Jansen\nDe Vries",
            ("Jansen", "De Vries"),
            "gewijzigd",
            "9",
        ),
        (
            "NADER GEWIJZIGD AMENDEMENT VAN HET LID JANSEN C.S. TER VERVANGING VAN DAT GEDRUKT "
            "ONDER NR. 11",
            "Jansen\nKok",
            ("Jansen",),
            "nader gewijzigd",
            "11",
        ),
        ("SUBAMENDEMENT VAN HET LID JANSEN", "Jansen", ("Jansen",), None, None),
    ],
)
def test_amendments(
    title: str, signed: str, submitters: tuple[str, ...], level: str | None, replaces: str | None
) -> None:
    doc = parse_motion_document(AMENDMENT.format(title=title, signed=signed))
    assert doc is not None
    assert doc.kind == "amendement"
    assert doc.submitters == submitters
    assert doc.signatories == tuple(signed.split("\n"))
    assert (doc.amendment_level, doc.replaces) == (level, replaces)
    assert (doc.dossier, doc.number, doc.date) == ("36123", "14", datetime.date(2024, 3, 12))
    # What it changes: the instructions before the Toelichting, not the articles it names.
    assert doc.changes == (
        "artikel 1, onderdeel A",
        "artikel 3, tweede lid",
        "artikel 2.4, eerste lid, onder b",
    )
    assert doc.dictum == () and doc.considerations == ()


def test_amendment_whose_names_a_layout_joined_to_the_explanation() -> None:
    text = AMENDMENT.format(title="AMENDEMENT VAN DE LEDEN JANSEN EN DE VRIES", signed="")
    text = text.replace("blijft gelijk.\n", "blijft gelijk. Jansen De Vries\n")
    doc = parse_motion_document(text)
    assert doc is not None
    assert doc.signatories == ("Jansen", "De Vries")


def test_amendment_without_instructions_warns() -> None:
    text = (
        "AMENDEMENT VAN HET LID JANSEN\n\nDe ondergetekende stelt het volgende amendement voor:\n"
    )
    doc = parse_motion_document(text)
    assert doc is not None
    assert doc.changes == ()
    assert "no article or onderdeel found that the amendment changes" in doc.warnings
