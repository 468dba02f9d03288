"""Motion mentions in letters: every written form, and the near misses."""

from __future__ import annotations

import pytest

from kamerbrief_extract.extract.motions import find_motions, smart_title_name

# (text, [(submitters, cosigned, raw)])
FORMS = [
    (
        "zoals verzocht in de motie van het lid Jansen c.s. over de invulling van het werk.",
        [(("Jansen",), True, "motie van het lid Jansen c.s.")],
    ),
    (
        "zoals verzocht in motie van de leden Van der Berg en Aydin.",
        [(("Van der Berg", "Aydin"), False, "motie van de leden Van der Berg en Aydin")],
    ),
    (
        "de motie van de leden Smit, De Wit en Ter Horst vraagt",
        [(("Smit", "De Wit", "Ter Horst"), False, "motie van de leden Smit, De Wit en Ter Horst")],
    ),
    ("De motie Bakker-Visser c.s. heeft", [(("Bakker-Visser",), True, "motie Bakker-Visser c.s.")]),
    ("De motie Bakker heeft gevraagd", [(("Bakker",), False, "motie Bakker")]),
    ("de motie-Bakker-Visser is", [(("Bakker-Visser",), False, "motie-Bakker-Visser")]),
    ("de motie-Van der Veen vraagt", [(("Van der Veen",), False, "motie-Van der Veen")]),
    ("de motie-Smit/Yilmaz vraagt", [(("Smit", "Yilmaz"), False, "motie-Smit/Yilmaz")]),
    ("de motie-Smit c.s. vraagt", [(("Smit",), True, "motie-Smit c.s.")]),
    (
        "de gewijzigde motie van het lid Van 't Hof over",
        [(("Van 't Hof",), False, "motie van het lid Van 't Hof")],
    ),
    (
        "de motie van het lid El Amrani vraagt",
        [(("El Amrani",), False, "motie van het lid El Amrani")],
    ),
    (
        "de motie van het lid Ten Velde c.s vraagt",
        [(("Ten Velde",), True, "motie van het lid Ten Velde c.s")],
    ),
    ("de motie van het lid Smit cs. vraagt", [(("Smit",), True, "motie van het lid Smit cs.")]),
    (
        "de motie van het lid Van den Broek c.s.¹ vraagt",
        [(("Van den Broek",), True, "motie van het lid Van den Broek c.s.")],
    ),
    (
        "de motie van het lid Smit c.s.® vraagt",
        [(("Smit",), True, "motie van het lid Smit c.s.")],
    ),
    (
        'de motie van de leden Bakker-\nVisser en Kok."®',
        [(("Bakker-Visser", "Kok"), False, "motie van de leden Bakker-\nVisser en Kok")],
    ),
    (
        "de motie van het lid Van der\nVeen c.s. vraagt",
        [(("Van der Veen",), True, "motie van het lid Van der\nVeen c.s.")],
    ),
    (
        "de motie van het lid Inge van Dam vraagt",
        [(("Inge van Dam",), False, "motie van het lid Inge van Dam")],
    ),
    (
        "de motie van het lid Kostić vraagt",
        [(("Kostić",), False, "motie van het lid Kostić")],
    ),
    (
        "De motie van het lid Smit² vraagt",
        [(("Smit",), False, "motie van het lid Smit")],
    ),
    (
        "Ook de motie Smit c.s. en de motie van het lid Kok vragen dit.",
        [
            (("Smit",), True, "motie Smit c.s."),
            (("Kok",), False, "motie van het lid Kok"),
        ],
    ),
    (
        "de moties van de leden Smit c.s. en Kok c.s. vragen",
        [(("Smit",), True, "Smit c.s."), (("Kok",), True, "Kok c.s.")],
    ),
    (
        "de moties van de leden Smit en Kok vragen",
        [(("Smit", "Kok"), False, "moties van de leden Smit en Kok")],
    ),
    (
        "MOTIE VAN HET LID Smit",
        [(("Smit",), False, "MOTIE VAN HET LID Smit")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_mention_forms(text: str, expected: list[tuple[tuple[str, ...], bool, str]]) -> None:
    found = find_motions(text)
    assert [(m.submitters, m.cosigned, m.raw) for m in found] == expected
    for mention in found:
        assert text[mention.start : mention.end] == mention.raw


NOT_MOTIONS = [
    "de opvolging van moties en toezeggingen binnen de aanpak",
    "Moties & toezeggingen\nPreventie met Gezag",
    "Moties, toezeggingen & wetgevingsoverzicht",
    "Ik kom hierop terug bij de opvolging van de motie.",
    "de Kamer nam een motie van wantrouwen aan",
    "een motie van afkeuring",
    "de motie van het lid over de invulling",
    "De motie Kamerstuk 29 911 is",
    "promotie Van der Veen",
    "de motiemomenten Smit",
    "de moties over het rapport van de Rekenkamer",
    "de motie De regering",
    "de motie VVD",
]


@pytest.mark.parametrize("text", NOT_MOTIONS)
def test_not_motions(text: str) -> None:
    assert find_motions(text) == []


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        (
            "in de motie van het lid Jansen c.s. over de invulling van het werk.",
            "de invulling van het werk",
        ),
        ("De motie Kok over de wachtlijsten heeft de regering verzocht", "de wachtlijsten"),
        ("De motie Kok c.s.¹ over de haven; verder", "de haven"),
        ("De motie Kok over de zorg, die is aangenomen", "de zorg"),
        ("De motie Kok vraagt de regering", None),
        (
            "naar aanleiding van de motie Kok c.s. over de praktijktoets inmiddels negen toetsen",
            "de praktijktoets",
        ),
    ],
)
def test_subject(text: str, subject: str | None) -> None:
    (mention,) = find_motions(text)
    assert mention.subject == subject


@pytest.mark.parametrize(
    ("text", "kamerstuk"),
    [
        ("de motie van het lid Kok (Kamerstuk 29 911, nr. 365) vraagt", "kst-29911-365"),
        ("de motie-Kok c.s. (36 410, nr. 29) en", "kst-36410-29"),
        ("de motie Kok c.s. (Kamerstuk 36 200 VI, nr. 72)", "kst-36200-VI-72"),
        ("de motie Kok (Kamerstukken II 2022/23, 21 501-32, nr. 1703)", "kst-21501-32-1703"),
        ("de motie van het lid Kok over de haven (Kamerstuk 29 911, nr. 3)", "kst-29911-3"),
        ("de motie van het lid Kok (zie bijlage 2)", None),
    ],
)
def test_kamerstuk(text: str, kamerstuk: str | None) -> None:
    (mention,) = find_motions(text)
    assert mention.kamerstuk == kamerstuk


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Hiermee doe ik de motie van het lid Kok c.s. af.", "afgedaan"),
        ("Daarmee beschouw ik de motie Kok als afgedaan.", "afgedaan"),
        ("Deze brief dient ter afdoening van de motie-Kok.", "afgedaan"),
        ("Hiermee is uitvoering gegeven aan de motie van het lid Kok.", "uitgevoerd"),
        ("De motie van het lid Kok is hiermee uitgevoerd.", "uitgevoerd"),
        ("De aangehouden motie van het lid Kok vraagt dit.", "aangehouden"),
        ("De motie van het lid Kok is verworpen.", "verworpen"),
        ("De unaniem aangenomen motie-Kok c.s. vraagt dit.", "aangenomen"),
        ("zoals de regering is verzocht in de motie van het lid Kok c.s.", None),
        ("Ik kom hierop terug bij de opvolging van de motie van de leden Kok en Smit.", None),
        # The status belongs to the other motion in the sentence.
        ("De motie Kok is verworpen en de motie Smit vraagt meer.", None),
        # The sentence ends before the status.
        ("Ik noem de motie Kok. Die is verworpen.", None),
    ],
)
def test_status(text: str, status: str | None) -> None:
    mentions = find_motions(text)
    last = mentions[-1]
    assert last.status == status


def test_amended() -> None:
    (mention,) = find_motions("de gewijzigde motie van het lid Kok vraagt")
    assert mention.amended
    (plain,) = find_motions("de motie van het lid Kok vraagt")
    assert not plain.amended


def test_sample_letter_mentions() -> None:
    """The four motions of the sample letter, with OCR breaks and markers."""
    text = (
        "gestart, zoals de regering ook is verzocht in de motie van het lid Mutluer\n"
        "c.s. over de invulling van het specialistisch jongerenwerk.*\n\n"
        "beter kunnen worden gestroomlijnd, zoals verzocht in motie van de leden\n"
        "Van der Werf en Boulakjar.®\n"
    )
    found = find_motions(text)
    assert [(m.submitters, m.cosigned) for m in found] == [
        (("Mutluer",), True),
        (("Van der Werf", "Boulakjar"), False),
    ]
    assert found[0].subject == "de invulling van het specialistisch jongerenwerk"


@pytest.mark.parametrize(
    ("upper", "title"),
    [
        ("VAN DER PLAS", "Van der Plas"),
        ("INGE VAN DIJK", "Inge van Dijk"),
        ("MICHON-DERKZEN", "Michon-Derkzen"),
        ("EL ABASSI", "El Abassi"),
        ("VAN 'T WOUT", "Van 't Wout"),
        ("KOSTIĆ", "Kostić"),
        ("PETER DE GROOT", "Peter de Groot"),
    ],
)
def test_smart_title_name(upper: str, title: str) -> None:
    assert smart_title_name(upper) == title


def test_plural_with_own_references_is_separable() -> None:
    text = "de moties van de leden Smit (Kamerstuk 29 911, nr. 1) en Kok (Kamerstuk 29 911, nr. 2)"
    found = find_motions(text)
    assert [(m.submitters, m.kamerstuk) for m in found] == [
        (("Smit",), "kst-29911-1"),
        (("Kok",), "kst-29911-2"),
    ]
    assert found[1].raw == "Kok"


@pytest.mark.parametrize(
    ("text", "statuses"),
    [
        (
            "Ik informeer u over de uitvoering van de motie van het lid De Boer c.s. over wonen. "
            "Hiermee doe ik de motie af.",
            ["afgedaan"],
        ),
        (
            "Ik informeer u over de motie van het lid De Boer over wonen.\n\nDe motie is afgedaan.",
            [None],
        ),
        (
            "Ik informeer u over de motie van het lid De Boer over wonen. Het kabinet doet veel.",
            [None],
        ),
        (
            "Eerst de motie van het lid De Boer over wonen. Daarna de motie van het lid Jansen. "
            "De motie is aangehouden.",
            [None, "aangehouden"],
        ),
    ],
)
def test_status_in_the_next_sentence_that_names_the_motion_back(
    text: str, statuses: list[str | None]
) -> None:
    assert [m.status for m in find_motions(text)] == statuses
