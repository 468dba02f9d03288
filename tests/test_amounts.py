"""Amounts of money (ANNOTATION.md §4): every written form, near misses, attributes."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamerbrief_extract.extract.amounts import AmountMatch, find_amounts

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "raw"
GOLD = Path(__file__).resolve().parent / "gold"


def one(text: str) -> AmountMatch:
    found = find_amounts(text)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- forms

FORMS = [
    # text, value_eur, value_max_eur, raw
    ("Er is €20 mln. beschikbaar.", "20000000", None, "€20 mln."),
    ("Er is € 20 mln beschikbaar.", "20000000", None, "€ 20 mln"),
    ("Het kost € 1.234.567,89 in totaal.", "1234567.89", None, "€ 1.234.567,89"),
    ("Het kost EUR 2,25 miljoen.", "2250000", None, "EUR 2,25 miljoen"),
    ("Het kost 2,25 miljoen euro.", "2250000", None, "2,25 miljoen euro"),
    ("Het kost vier miljoen euro.", "4000000", None, "vier miljoen euro"),
    ("Er gaat een half miljoen euro naar de regio.", "500000", None, "een half miljoen euro"),
    ("De kosten bedragen anderhalf miljard.", "1500000000", None, "anderhalf miljard"),
    ("Er is €0,5 mln. extra.", "500000", None, "€0,5 mln."),
    ("Het budget is 1 miljoen per jaar.", "1000000", None, "1 miljoen"),
    ("Er is € 3,5 mld voor X.", "3500000000", None, "€ 3,5 mld"),
    ("Er is € 2 mrd. voor X.", "2000000000", None, "€ 2 mrd."),
    ("Er is € 20 duizend voor X.", "20000", None, "€ 20 duizend"),
    ("Er is € 500.000 voor X.", "500000", None, "€ 500.000"),
    ("Er is €500K voor X.", "500000", None, "€500K"),
    ("Er is € 25 miljoen voor X.", "25000000", None, "€ 25 miljoen"),
    ("Er is 25 miljoen euro voor X.", "25000000", None, "25 miljoen euro"),
    ("De subsidie is EUR 12.000.", "12000", None, "EUR 12.000"),
    ("Er is twintig miljoen euro voor X.", "20000000", None, "twintig miljoen euro"),
    ("Er is honderdduizend euro voor X.", "100000", None, "honderdduizend euro"),
    ("Er is vijfentwintig miljoen euro voor X.", "25000000", None, "vijfentwintig miljoen euro"),
    ("Eén miljoen euro gaat naar X.", "1000000", None, "Eén miljoen euro"),
    ("Er is tweeënhalf miljoen euro voor X.", "2500000", None, "tweeënhalf miljoen euro"),
    ("Er is een kwart miljard euro voor X.", "250000000", None, "een kwart miljard euro"),
    ("De bijdrage is € 25,- per maand.", "25", None, "€ 25,-"),
    ("Een boete van €3.000.000,- volgt.", "3000000", None, "€3.000.000,-"),
    ("Er is € 1.5 mln voor X.", "1500000", None, "€ 1.5 mln"),
    ("Het budget is 1 miljoen. Daarna volgt meer.", "1000000", None, "1 miljoen"),
    (
        "De uitgaven dalen structureel met circa 1 mld. op de begroting.",
        "1000000000",
        None,
        "1 mld.",
    ),
    ("Het kost 3 miljoen, zegt de minister over het budget.", "3000000", None, "3 miljoen"),
    ("Het budget van 3 miljoen Euro is op.", "3000000", None, "3 miljoen Euro"),
    ("Het tekort is € -5 mln.", "5000000", None, "€ -5 mln."),
    # OCR confusions next to a currency sign
    ("Er is €13 min. voor X.", "13000000", None, "€13 min."),
    ("Er is €13 mIn. voor X.", "13000000", None, "€13 mIn."),
    ("Er is € 13 rnln. voor X.", "13000000", None, "€ 13 rnln."),
    ("Er is C 20 mln. voor X.", "20000000", None, "C 20 mln."),
    ("Er is E 20 miljoen voor X.", "20000000", None, "E 20 miljoen"),
    # ranges: one record, two bounds
    ("Het kost tussen €5 en €10 mln. per jaar.", "5000000", "10000000", "€5 en €10 mln."),
    ("Het kost €5 tot €10 mln. in totaal.", "5000000", "10000000", "€5 tot €10 mln."),
    ("Het kost €5-10 mln. in totaal.", "5000000", "10000000", "€5-10 mln."),
    ("Het kost € 3 à 4 mln. in totaal.", "3000000", "4000000", "€ 3 à 4 mln."),
    ("Het kost 5 tot 10 miljoen euro.", "5000000", "10000000", "5 tot 10 miljoen euro"),
    ("Het kost van €500.000 tot €1 mln.", "500000", "1000000", "€500.000 tot €1 mln."),
    ("Het kost € 2 - € 3 mln.", "2000000", "3000000", "€ 2 - € 3 mln."),
]


@pytest.mark.parametrize(("text", "value", "value_max", "raw"), FORMS)
def test_forms(text: str, value: str, value_max: str | None, raw: str) -> None:
    m = one(text)
    assert m.value_eur == Decimal(value)
    assert m.value_max_eur == (None if value_max is None else Decimal(value_max))
    assert m.raw == raw
    assert text[m.start : m.end] == m.raw


def test_integral_values_print_plainly() -> None:
    assert str(one("Er is €20 mln. voor X.").value_eur) == "20000000"
    assert str(one("Er is €0,5 mln. voor X.").value_eur) == "500000"


# --------------------------------------------------------------------------- negatives

NEGATIVES = [
    "Er zijn 15% meer meldingen.",
    "Het gaat om 15 procent van de gemeenten.",
    "Inmiddels doen 27 gemeenten mee.",
    "Er kwamen 200 signalen binnen.",
    "Er komen 4.000 per jaar bij.",
    "Er zijn 20 fte extra aangenomen.",
    "Kamerstuk 29 911, nr. 379.",
    "Ons kenmerk 4273218",
    "Den Haag, 22 mei 2023",
    "In 2023 t/m 2026 loopt de agenda.",
    "Nederland telt 17 miljoen inwoners.",
    "Er wonen 17 miljoen inwoners en het budget is groot.",  # counted noun, money cue
    "Er komen 5 miljoen bezoekers per jaar.",
    "Het duurde 20 min. langer.",  # OCR-like "min." without a currency sign
    "Het kost 20 min. per persoon.",
    "Er zijn 5 miljoen meldingen gedaan.",
    "Het aantal steeg naar 2 miljoen.",  # bare scale without money in the sentence
    "Er is C 20 voor X.",  # guessed € needs a real scale word
    "Bijlage E 20 bevat de tabel.",
    "Er is 500 K geheugen.",  # K only with a currency sign
    "Bedragen x € 1 mln.",  # table header
    "(bedragen x 1.000)",
    "Er zijn vier miljoen mensen bereikt.",
    "De miljoenen euro's zijn op.",  # no number
    "Voor 1 miljoen Nederlanders is er extra geld.",  # capitalised counted noun
    "Het Trimbos-instituut wordt gefinancierd met meerdere partners.",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_amounts(text: str) -> None:
    assert find_amounts(text) == []


def test_kenmerk_and_amount_in_one_text() -> None:
    text = "Ons kenmerk 4273218. Kamerstuk 29 911, nr. 379. Er is €20 mln. voor X."
    assert [m.value_eur for m in find_amounts(text)] == [Decimal(20_000_000)]


# --------------------------------------------------------------------------- qualifiers

QUALIFIERS = [
    ("Er is ruim 200 miljoen euro.", "ruim"),
    ("Er is ruim €200 mln.", "ruim"),
    ("Er is meer dan 3 miljoen euro.", "ruim"),
    ("Er is circa €35 mln. verschil.", "circa"),
    ("Er is ca. €35 mln. verschil.", "circa"),
    ("Er is zo'n €5 mln. nodig.", "ongeveer"),
    ("Er is zo’n €5 mln. nodig.", "ongeveer"),
    ("Er is ongeveer € 5 mln. nodig.", "ongeveer"),
    ("Er is naar schatting € 5 mln. nodig.", "ongeveer"),
    ("Er is bijna €5 mln. nodig.", "bijna"),
    ("Er is maximaal € 5 mln. beschikbaar.", "maximaal"),
    ("Er is ten hoogste € 5 mln. beschikbaar.", "maximaal"),
    ("Er is minimaal € 5 mln. beschikbaar.", "minimaal"),
    ("Er is ten minste € 5 mln. beschikbaar.", "minimaal"),
    ("Het loopt op tot €5 mln.", "tot"),
    ("Er is €5 mln. beschikbaar.", None),
    ("Er is in totaal €30 mln. beschikbaar.", None),
    ("Het totaal bedraagt €5 mln.", None),
]


@pytest.mark.parametrize(("text", "qualifier"), QUALIFIERS)
def test_qualifier(text: str, qualifier: str | None) -> None:
    assert one(text).qualifier == qualifier


def test_range_tot_is_not_a_qualifier() -> None:
    m = one("Het kost €5 tot €10 mln.")
    assert (m.qualifier, m.value_max_eur) == (None, Decimal(10_000_000))


# --------------------------------------------------------------------------- recurrence

RECURRENCE = [
    ("Er is jaarlijks €100 mln. beschikbaar.", ["per_year"]),
    ("Er is structureel €694 mln. beschikbaar.", ["per_year"]),
    ("Er is €20 mln. structureel beschikbaar.", ["per_year"]),
    ("Het kost € 2,5 miljoen per jaar.", ["per_year"]),
    ("Het kost € 2,5 miljoen p/j.", ["per_year"]),
    ("Het kost € 5 mln/jaar.", ["per_year"]),
    ("Het kost € 5 mln. p.j. extra.", ["per_year"]),
    ("Het kost 1 miljoen per jaar aan middelen.", ["per_year"]),
    ("Er is jaarlijks structureel €694 mln. beschikbaar.", ["per_year"]),
    ("In 2022 is eenmalig €13 mln. beschikbaar gesteld.", ["one_off"]),
    ("Er is incidenteel geld (€375 mln. verdeeld over zes jaar).", ["one_off"]),
    ("Er is €5 mln. beschikbaar.", [None]),
    ("Met Prinsjesdag is €159 mln. beschikbaar gekomen voor de versterking.", [None]),
    # the nearest cue wins; a cue far away in another clause does not count
    (
        "Naast het geld dat structureel beschikbaar is gesteld, investeren we vanaf 2022 "
        "met incidenteel geld (€375 mln. verdeeld over zes jaar).",
        ["one_off"],
    ),
    ("Er is €5 mln. voor A en jaarlijks €10 mln. voor B.", [None, "per_year"]),
    ("Er is €5 mln. eenmalig en €10 mln. structureel.", ["one_off", "per_year"]),
    ("Er is eenmalig €5 mln. en structureel €10 mln.", ["one_off", "per_year"]),
    ("Het kost €5 mln., niet structureel.", ["one_off"]),
    # colon list: the parts inherit from the whole
    (
        "In 2022 is eenmalig €13 mln. beschikbaar gesteld voor de knooppunten: de haven "
        "van X (€5 mln.), de havens van Y (€3 mln.), de luchthaven (€3 mln.), de havens in "
        "het kanaalgebied (€2 mln.) en de bloemenveilingen (€0,5 mln.).",
        ["one_off"] * 6,
    ),
    # anaphoric next sentence: "Dit geld" elaborates the €100 mln.
    (
        "Er is afgesproken jaarlijks €100 mln. extra beschikbaar te stellen. Dit geld gaat "
        "naar opsporing (€25 mln.), naar het offensief (€25 mln.) en overige maatregelen "
        "(€50 mln.). Met Prinsjesdag is €5 mln. beschikbaar gekomen.",
        ["per_year", "per_year", "per_year", "per_year", None],
    ),
    (
        "Van het structurele bedrag van €694 mln. is €104 mln. voor voorkomen, €238 mln. "
        "voor het verstoren van netwerken en verdienmodellen, €55 mln. voor bestraffen en "
        "€122 mln. voor beschermen. Tevens is er €166 mln. beschikbaar voor de keten en "
        "€9 mln. voor beleid.",
        ["per_year"] * 7,
    ),
    ("Er is eenmalig €10 mln. Hiervan is €4 mln. voor A.", ["one_off", "one_off"]),
    ("Er is eenmalig €10 mln. Daarvan gaat €4 mln. naar A.", ["one_off", "one_off"]),
    # a new sentence without anaphor does not inherit
    ("Er is eenmalig €10 mln. De kosten van A zijn €4 mln.", ["one_off", None]),
    ("Er is structureel €100 mln. Daarnaast is €5 mln. beschikbaar.", ["per_year", None]),
    # bullet list after a colon
    (
        "Het kabinet trekt jaarlijks €100 mln. uit voor:\n\n- €25 mln. voor opsporing;\n\n"
        "- €75 mln. voor preventie.",
        ["per_year", "per_year", "per_year"],
    ),
]


@pytest.mark.parametrize(("text", "recurrences"), RECURRENCE)
def test_recurrence(text: str, recurrences: list[str | None]) -> None:
    assert [m.recurrence for m in find_amounts(text)] == recurrences


# --------------------------------------------------------------------------- years

YEARS = [
    ("In 2022 is eenmalig €13 mln. beschikbaar.", (2022,), "in", None),
    ("Vanaf 2026 is €5 mln. beschikbaar.", (2026,), "from", None),
    ("Met ingang van 1 januari 2026 is €5 mln. beschikbaar.", (2026,), "from", None),
    ("Sinds 2020 is €5 mln. beschikbaar.", (2020,), "from", None),
    ("Tot 2026 is €5 mln. beschikbaar.", (2026,), "until", None),
    ("Er is €5 mln. tot en met 2026.", (2026,), "until", None),
    ("In de periode 2023-2026 is €5 mln. beschikbaar.", (2023, 2024, 2025, 2026), "in", None),
    ("Er is € 5 mln. in 2023 t/m 2026.", (2023, 2024, 2025, 2026), "in", None),
    ("Er is € 5 mln. voor 2023–2025.", (2023, 2024, 2025), "in", None),
    ("Tussen 2023 en 2025 is €5 mln. beschikbaar.", (2023, 2024, 2025), "in", None),
    ("In 2022 en 2023 is €5 mln. beschikbaar.", (2022, 2023), "in", None),
    ("Er is €30 mln. verdeeld over 3 jaar.", (), "spread", 3),
    (
        "We investeren vanaf 2022 met incidenteel geld (€375 mln. verdeeld over zes jaar).",
        (2022, 2023, 2024, 2025, 2026, 2027),
        "spread",
        6,
    ),
    ("Er is €5 mln. beschikbaar.", (), None, None),
    # parliamentary years and dates of other events are not budget years
    ("Kamerstukken II 2021/22: er is €5 mln. beschikbaar.", (), None, None),
    ("Tweede Kamer, vergaderjaar 2021-2022, er is €5 mln.", (), None, None),
    ("Met Prinsjesdag 2021 is €159 mln. beschikbaar gekomen.", (), None, None),
    ("In juni 2022 bleek dat €5 mln. nodig is.", (), None, None),
]


@pytest.mark.parametrize(("text", "years", "relation", "spread"), YEARS)
def test_years(text: str, years: tuple[int, ...], relation: str | None, spread: int | None) -> None:
    m = one(text)
    assert (m.years, m.years_relation, m.spread_years) == (years, relation, spread)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("In 2023 €5 mln. en in 2024 €10 mln.", [(2023,), (2024,)]),
        ("€5 mln. in 2023 en €10 mln. in 2024.", [(2023,), (2024,)]),
        ("In 2023 is €5 mln. voor A en €10 mln. voor B.", [(2023,), (2023,)]),
        # a year outside brackets belongs to the amount on the same level
        (
            "Er is € 3,1 miljard op de begroting voor 2026 (binnen het totaal van € 3,5 miljard).",
            [(2026,), (2026,)],
        ),
        ("Voor 2027 is € 750 miljoen gereserveerd.", [(2027,)]),
        ("Er is €7 mln. Vanaf 2024 wordt dit €9 mln.", [(), (2024,)]),
    ],
)
def test_years_go_to_the_nearest_amount(text: str, years: list[tuple[int, ...]]) -> None:
    assert [m.years for m in find_amounts(text)] == years


# --------------------------------------------------------------------------- offsets, robustness


@pytest.mark.parametrize("text", [f[0] for f in FORMS] + [r[0] for r in RECURRENCE])
def test_offsets(text: str) -> None:
    found = find_amounts(text)
    assert found
    for m in found:
        assert text[m.start : m.end] == m.raw
    assert [m.start for m in found] == sorted(m.start for m in found)


MONEYISH = st.text(alphabet="€0123456789.,-–à /mlndrjoeuksEChtvaizwfpén'\n", max_size=80)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), MONEYISH))
def test_arbitrary_text_never_raises(text: str) -> None:
    for m in find_amounts(text):
        assert m.value_eur >= 0
        assert m.value_max_eur is None or m.value_max_eur >= m.value_eur
        assert text[m.start : m.end] == m.raw
        assert m.recurrence in (None, "per_year", "one_off")


# --------------------------------------------------------------------------- sample letters


def _prf(pred: list[Decimal], gold: list[Decimal]) -> tuple[float, float, float]:
    tp = sum((Counter(pred) & Counter(gold)).values())
    p = tp / len(pred) if pred else 1.0
    r = tp / len(gold) if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _load(stem: str) -> tuple[str, list[dict[str, object]]]:
    txt, gold = SAMPLES / f"{stem}.txt", GOLD / f"{stem}.json"
    if not (txt.exists() and gold.exists()):
        pytest.skip("shared samples not available")
    return txt.read_text(encoding="utf-8"), json.loads(gold.read_text(encoding="utf-8"))["amounts"]


def test_sample_001_amounts_and_recurrence() -> None:
    text, gold = _load("001_c2062dcf44ea3889")
    found = find_amounts(text)
    assert len(found) == 25
    pred_values = [m.value_eur for m in found]
    gold_values = [Decimal(str(g["value_eur"])) for g in gold]
    assert _prf(pred_values, gold_values) == (1.0, 1.0, 1.0)
    # Pair in reading order per value; the gold lists amounts in document order.
    queues: dict[Decimal, list[AmountMatch]] = {}
    for m in found:
        queues.setdefault(m.value_eur, []).append(m)
    pairs = [(queues[v].pop(0), g) for v, g in zip(gold_values, gold, strict=True)]
    assert [m.recurrence for m, _ in pairs] == [g["recurrence"] for _, g in pairs]
    assert [m.qualifier for m, _ in pairs] == [g["qualifier"] for _, g in pairs]
    assert [m.raw for m, _ in pairs] == [g["raw"] for _, g in pairs]


@pytest.mark.parametrize("stem", ["000_2080eeb4b84fdb39", "003_e004528328b61164"])
def test_samples_without_money(stem: str) -> None:
    text, gold = _load(stem)
    assert gold == []
    assert find_amounts(text) == []


# The atom and cue patterns are tried only where a match can start; the matches must be
# exactly those of scanning every character.
@pytest.mark.parametrize(
    "path", sorted(Path(__file__).parents[1].joinpath("data", "raw").glob("*.txt")), ids=str
)
def test_matches_tried_at_starts_equal_a_full_scan(path: Path) -> None:
    from kamerbrief_extract.extract.amounts import _ATOM, _ATOM_START, _CUES, _matches

    text = path.read_text(encoding="utf-8")
    text += " € 5 mln. en twee miljoen euro, E 3 miljard /jaar, p/j, eenmalig, 2.500,- ."
    atoms = [(m.span(), m.groupdict()) for m in _matches(_ATOM, text, _ATOM_START)]
    assert atoms == [(m.span(), m.groupdict()) for m in _ATOM.finditer(text)]
    assert len(atoms) > 10
    cues = [m.span() for m in _matches(_CUES, text)]
    assert cues == [m.span() for m in _CUES.finditer(text)]
    assert cues
