"""Commitments: the grammar of promising, checked per construction, with near misses."""

from __future__ import annotations

import datetime as dt

import pytest

from kamerbrief_extract.extract.commitments import (
    CommitmentMatch,
    commitments_in_doc,
    find_commitments,
)

NOV_2022 = dt.date(2022, 11, 4)
MAY_2023 = dt.date(2023, 5, 22)
D = dt.date


@pytest.mark.parametrize(
    ("sentence", "kind", "cue", "deadline", "deadline_raw", "actor", "addressee"),
    [
        # new: informing the Chamber
        (
            "Natuurlijk zal ik uw Kamer informeren over de uitkomsten.",
            "new",
            "new_inform_chamber",
            None,
            None,
            "ik",
            "uw Kamer",
        ),
        (
            "Over de uitkomsten van deze gesprekken zal ik uw Kamer nader berichten.",
            "new",
            "new_inform_chamber",
            None,
            None,
            "ik",
            "uw Kamer",
        ),
        (
            "In de volgende halfjaarbrief over de aanpak zal ik u berichten over de voortgang.",
            "new",
            "new_inform_chamber",
            None,
            "In de volgende halfjaarbrief",
            "ik",
            "u",
        ),
        (
            "Voor de zomer informeer ik uw Kamer over de uitkomst.",
            "new",
            "new_inform_chamber",
            D(2023, 7, 1),
            "Voor de zomer",
            "ik",
            "uw Kamer",
        ),
        (
            "In het voorjaar van 2023 zal uw Kamer worden geïnformeerd over de voortgang.",
            "new",
            "new_inform_chamber",
            D(2023, 5, 31),
            "In het voorjaar van 2023",
            None,
            "uw Kamer",
        ),
        (
            "Uw Kamer wordt voor het einde van het jaar geïnformeerd over de evaluatie.",
            "new",
            "new_inform_chamber",
            D(2022, 12, 31),
            "voor het einde van het jaar",
            None,
            "uw Kamer",
        ),
        (
            "Het kabinet zal de Tweede Kamer in het derde kwartaal van 2026 informeren.",
            "new",
            "new_inform_chamber",
            D(2026, 9, 30),
            "in het derde kwartaal van 2026",
            "kabinet",
            "Tweede Kamer",
        ),
        (
            "Wij houden uw Kamer op de hoogte van de voortgang.",
            "new",
            "new_inform_chamber",
            None,
            None,
            "wij",
            "uw Kamer",
        ),
        # new: other deliveries to the Chamber
        (
            "Ik kom hierop terug bij de opvolging van de motie.",
            "new",
            "new_kom_terug",
            None,
            None,
            "ik",
            None,
        ),
        (
            "Daar kom ik in het najaar op terug.",
            "new",
            "new_kom_terug",
            D(2022, 11, 30),
            "in het najaar",
            "ik",
            None,
        ),
        (
            "Dit programma is het actieprogramma dat ik uw Kamer voor het kerstrecès doe toekomen.",
            "new",
            "new_doe_toekomen",
            D(2022, 12, 23),
            "voor het kerstrecès",
            "ik",
            "uw Kamer",
        ),
        (
            "Voor de zomer van 2023 volgt dan een volgende halfjaarlijkse brief.",
            "new",
            "new_brief_volgt",
            D(2023, 7, 1),
            "Voor de zomer van 2023",
            None,
            None,
        ),
        (
            "Een brief hierover volgt later dit jaar.",
            "new",
            "new_brief_volgt_later",
            D(2022, 12, 31),
            "later dit jaar",
            None,
            None,
        ),
        (
            "Voor 1 januari 2025 ontvangt uw Kamer het wetsvoorstel.",
            "new",
            "new_chamber_receives",
            D(2024, 12, 31),
            "Voor 1 januari 2025",
            None,
            "uw Kamer",
        ),
        (
            "Ik stuur uw Kamer in het eerste kwartaal een plan van aanpak.",
            "new",
            "new_send_chamber",
            D(2023, 3, 31),
            "in het eerste kwartaal",
            "ik",
            "uw Kamer",
        ),
        (
            "Ik zeg uw Kamer toe dat ik de regeling evalueer.",
            "new",
            "new_zeg_toe",
            None,
            None,
            "ik",
            "uw Kamer",
        ),
        # new: a concrete own act with a deadline
        (
            "Ik streef ernaar dit verbod op 1 juli 2026 in werking te laten treden.",
            "new",
            "new_strive_deadline",
            D(2026, 7, 1),
            "op 1 juli 2026",
            "ik",
            None,
        ),
        (
            "Het streven is om voor het einde van het jaar de bedragen vast te stellen.",
            "new",
            "new_intention_deadline",
            D(2022, 12, 31),
            "voor het einde van het jaar",
            None,
            None,
        ),
        (
            "Volgend jaar wil ik meer pilots opzetten.",
            "new",
            "new_own_act_deadline",
            D(2023, 12, 31),
            "Volgend jaar",
            "ik",
            None,
        ),
        (
            "In november ga ik in gesprek met verschillende experts.",
            "new",
            "new_own_act_deadline",
            D(2022, 11, 30),
            "In november",
            "ik",
            None,
        ),
        (
            "De resultaten verwacht ik in het najaar met uw Kamer te delen.",
            "new",
            "new_inform_chamber",
            D(2022, 11, 30),
            "in het najaar",
            "ik",
            "uw Kamer",
        ),
        # reference: a promise made earlier
        (
            "In mijn brief van 12 januari heb ik aangegeven dat ik uw Kamer voor de zomer zou "
            "informeren.",
            "reference",
            "new_inform_chamber",
            D(2023, 7, 1),
            "voor de zomer",
            "ik",
            "uw Kamer",
        ),
        (
            "Met deze brief informeer ik uw Kamer, zoals toegezegd in het debat, over de voortgang.",
            "fulfilled",
            "fulfil_toegezegde_bijgevoegd",
            None,
            None,
            "ik",
            "uw Kamer",
        ),
        (
            "In het najaar van 2022 heb ik uw Kamer toegezegd te bezien of dat nodig is.",
            "reference",
            "ref_toegezegd",
            None,
            None,
            "ik",
            "uw Kamer",
        ),
        (
            "Daarbij zal inzicht worden gegeven in de inzichten, zoals op 6 april 2023 aan uw Kamer "
            "is toegezegd.",
            "reference",
            "ref_toegezegd",
            None,
            None,
            None,
            "uw Kamer",
        ),
        (
            "Conform mijn toezegging tijdens de begrotingsbehandeling zal ik het risico agenderen.",
            "reference",
            "ref_toezegging",
            None,
            None,
            "ik",
            None,
        ),
        (
            "Hierin is de toezegging gedaan om een uitvoerige reactie op te stellen.",
            "reference",
            "ref_toezegging",
            None,
            None,
            None,
            None,
        ),
        (
            "Deze bood u aan de Tweede Kamer aan, met de toezegging dat u in het voorjaar van 2023 "
            "zou reageren.",
            "reference",
            "ref_toezegging",
            D(2023, 5, 31),
            "in het voorjaar van 2023",
            None,
            "u",
        ),
        (
            "Het kabinet heeft toegezegd de wet te evalueren.",
            "reference",
            "ref_toegezegd",
            None,
            None,
            "kabinet",
            None,
        ),
        (
            "Zoals beloofd kijk ik opnieuw naar de regeling.",
            "reference",
            "ref_beloofd",
            None,
            None,
            "ik",
            None,
        ),
        (
            "Het wetsvoorstel geeft de gezaghebbers de eerder aan hen toegezegde bevoegdheid.",
            "reference",
            "ref_toegezegde",
            None,
            None,
            None,
            None,
        ),
        # fulfilled
        (
            "Hiermee doe ik de toezegging af.",
            "fulfilled",
            "fulfil_toezegging_af",
            None,
            None,
            "ik",
            None,
        ),
        (
            "Met deze brief kom ik mijn toezegging na.",
            "fulfilled",
            "fulfil_toezegging_na",
            None,
            None,
            "ik",
            None,
        ),
        (
            "Hiermee geef ik invulling aan de toezegging uit het commissiedebat.",
            "fulfilled",
            "fulfil_invulling_toezegging",
            None,
            None,
            "ik",
            None,
        ),
        (
            "Hiermee kom ik ook tegemoet aan het verzoek van de vaste commissie.",
            "fulfilled",
            "fulfil_tegemoet_aan_verzoek",
            None,
            None,
            "ik",
            "de vaste commissie",
        ),
        (
            "In bijlage 2 vindt u de in december toegezegde beleidsreactie.",
            "fulfilled",
            "fulfil_toegezegde_bijgevoegd",
            None,
            None,
            None,
            "u",
        ),
        (
            "Zoals toegezegd stuur ik u hierbij het rapport.",
            "fulfilled",
            "fulfil_toegezegde_bijgevoegd",
            None,
            None,
            "ik",
            "u",
        ),
        (
            "Met het verzenden van de beleidsreactie zou u die toezegging gestand doen.",
            "fulfilled",
            "fulfil_gestand_doen",
            None,
            None,
            None,
            "u",
        ),
        (
            "Daarmee voldoe ik aan het verzoek van uw Kamer.",
            "fulfilled",
            "fulfil_voldoen_aan",
            None,
            None,
            "ik",
            "uw Kamer",
        ),
    ],
)
def test_commitment_forms(
    sentence: str,
    kind: str,
    cue: str,
    deadline: dt.date | None,
    deadline_raw: str | None,
    actor: str | None,
    addressee: str | None,
) -> None:
    (c,) = find_commitments(sentence, NOV_2022)
    assert (c.kind, c.cue, c.deadline, c.deadline_raw) == (kind, cue, deadline, deadline_raw)
    assert (c.actor, c.addressee) == (actor, addressee)
    assert (c.start, c.end, c.text) == (0, len(sentence), sentence)
    assert c.cue_start < c.cue_end and sentence[c.cue_start : c.cue_end]


@pytest.mark.parametrize(
    "sentence",
    [
        # general intentions, no deadline
        "We blijven investeren in preventie.",
        "Het kabinet zet in op een brede aanpak.",
        "De strafrechtelijke aanpak gaan we verder versterken.",
        "Ik zal mij ervoor blijven inzetten dat de samenwerking goed verloopt.",
        "Dit kabinet wil volgende stappen zetten in het opsporen van criminelen.",
        # a third party's promise or act
        "De gemeente heeft toegezegd de vergunning te herzien.",
        "De staatssecretaris van VWS heeft uw Kamer op 7 juli jl. een brief gestuurd.",
        "Zo zal het Trimbos-instituut in 2023 het modelplan verder ontwikkelen.",
        "Deze punten komen terug in de rapportage.",
        # past reports
        "Op 28 juni informeerde ik uw Kamer over het offensief.",
        "Eerder heb ik uw Kamer geïnformeerd over het actieplan.",
        "Hierover is uw Kamer op 26 september jl. per brief geïnformeerd.",
        "In april 2022 heb ik uw Kamer geïnformeerd over het plan van aanpak.",
        "Het wetsvoorstel is onlangs aan uw Kamer gezonden.",
        "In december 2022 is de beslissing aan u voorgelegd.",
        "Vorig jaar heb ik uw Kamer een brief doen toekomen.",
        # this letter itself, not a promise
        "Hierbij informeer ik uw Kamer over de stand van zaken.",
        "Met deze brief stuur ik u het rapport.",
        "In bijlage 2 ontvangt u het overzicht.",
        # questions
        "Zal ik uw Kamer hierover informeren?",
        # promise words in general, and near misses of the cues
        "In de brief vindt u updates over een aantal moties en toezeggingen.",
        "Hiermee volgt het team de uitgangspunten van de aanpak.",
        "Hier geeft de staatssecretaris komend jaar nadere invulling aan.",
        "Ik informeer de gemeenten over de regeling.",
        "Het onderwerp is nooit af.",
        "Ik kom later in deze brief terug op de financiering.",
        "Hiermee voldoe ik aan de motie van het lid Jansen.",
        "De NZa zal uw Kamer voor de zomer informeren.",
        "Zoals op 10 oktober met uw Kamer gedeeld, is het onderzoek afgerond.",
        "Ik heb de toezichthouder gevraagd mij voor de zomer te informeren.",
        "Ook zetten we in op monitoring in 2023 t/m 2026.",
        "Voor de zomer van 2021 is het netwerk opgericht.",
    ],
)
def test_not_commitments(sentence: str) -> None:
    assert find_commitments(sentence, NOV_2022) == []


def test_past_deadline_of_the_promise_itself_is_dropped() -> None:
    (c,) = find_commitments(
        "In het commissiedebat van 6 april 2023 heb ik toegezegd om in te gaan op de effecten.",
        MAY_2023,
    )
    assert (c.kind, c.deadline, c.deadline_raw) == ("reference", None, None)


def test_nearest_deadline_to_the_cue() -> None:
    (c,) = find_commitments(
        "De opbrengst krijgt zijn beslag in het Actieprogramma 2023-2026 dat ik uw Kamer voor "
        "het kerstreces doe toekomen.",
        NOV_2022,
    )
    assert (c.deadline, c.deadline_raw) == (D(2022, 12, 23), "voor het kerstreces")


def test_offsets_in_a_letter_with_paragraphs() -> None:
    text = (
        "Moties & toezeggingen\n\n"
        "Het is van belang dat we voorkomen dat jongeren criminelen worden. "
        "Natuurlijk zal ik uw Kamer informeren over de uitkomsten.\n\n"
        "Investeringen\n\n"
        "In het commissiedebat heb ik toegezegd om in te gaan op de effecten."
    )
    found = find_commitments(text, MAY_2023)
    assert [(c.kind, c.text) for c in found] == [
        ("new", "Natuurlijk zal ik uw Kamer informeren over de uitkomsten."),
        ("reference", "In het commissiedebat heb ik toegezegd om in te gaan op de effecten."),
    ]
    assert all(text[c.start : c.end] == c.text for c in found)
    assert all(text[c.cue_start : c.cue_end] in c.text for c in found)


def test_page_break_and_ocr_marker_do_not_split_a_sentence() -> None:
    text = (
        "In bijlage 2 vindt u de in december toegezegde? beleidsreactie op het rapport van het "
        "onderzoekscentrum dat in opdracht van het ministerie de regionale aanpak heeft "
        "onderzocht en dat\n\nnu is afgerond."
    )
    (c,) = find_commitments(text, MAY_2023)
    assert c.kind == "fulfilled"
    assert c.text == text


def test_footnote_superscript_ends_the_sentence() -> None:
    text = (
        "In mijn brief van 1 november jl. heb ik uw Kamer geïnformeerd over deze trajecten.²⁵ "
        "De volgende fase breekt nu aan, waar de effecten zichtbaar moeten worden."
    )
    assert find_commitments(text, NOV_2022) == []


def test_commitments_in_doc_reuses_a_doc() -> None:
    import spacy

    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    doc = nlp("Dit is context. Ik kom hierop terug.")
    assert commitments_in_doc(doc, None) == [
        CommitmentMatch(
            kind="new",
            text="Ik kom hierop terug.",
            start=16,
            end=36,
            deadline=None,
            deadline_raw=None,
            actor="ik",
            addressee=None,
            cue="new_kom_terug",
            cue_start=19,
            cue_end=35,
        )
    ]


# --------------------------------------------------------------------------------------
# Register grammar: who acts, tense and mood, addressee (issue: commitments as a register)
# --------------------------------------------------------------------------------------

DEC_2022 = dt.date(2022, 12, 22)
AUG_2024 = dt.date(2024, 8, 22)


@pytest.mark.parametrize(
    ("sentence", "reference", "kind", "cue", "deadline", "precision", "official"),
    [
        # an earlier statement of the promise is a reference to it
        (
            "In de brief van 15 december jl. is aangegeven dat het kabinet uw Kamer na de "
            "afronding van het proces zo goed mogelijk informeert over de uitkomsten.",
            MAY_2023,
            "reference",
            "new_inform_chamber",
            None,
            None,
            None,
        ),
        # delivering "as promised" fulfils the promise
        (
            "Hierbij zoals beloofd de appreciaties bij de twee moties.",
            MAY_2023,
            "fulfilled",
            "fulfil_toegezegde_bijgevoegd",
            None,
            None,
            None,
        ),
        # a named cabinet member promises: the register names them, not the sender
        (
            "De minister van Financiën zal uw Kamer informeren over de uitkomsten.",
            NOV_2022,
            "new",
            "new_inform_chamber",
            None,
            None,
            "minister van Financiën",
        ),
        (
            "Hierover wordt de Kamer door de Staatssecretaris van Infrastructuur en Waterstaat "
            "geïnformeerd.",
            NOV_2022,
            "new",
            "new_inform_chamber",
            None,
            None,
            "Staatssecretaris van Infrastructuur en Waterstaat",
        ),
        (
            "De minister van Binnenlandse Zaken heeft toegezegd de Kamer te informeren.",
            NOV_2022,
            "reference",
            "ref_toegezegd",
            None,
            None,
            "minister van Binnenlandse Zaken",
        ),
        # passive with the auxiliary far from the participle, present for future
        (
            "De Kamer wordt over de resultaten hiervan naar verwachting in het voorjaar van 2023 "
            "via de periodieke voortgangsbrief over het programma geïnformeerd.",
            DEC_2022,
            "new",
            "new_inform_chamber",
            D(2023, 5, 31),
            "season",
            None,
        ),
        (
            "In het najaar van 2024 wordt uw Kamer opnieuw over de stand van zaken van de "
            "problematiek rond het beoordelen geïnformeerd.",
            AUG_2024,
            "new",
            "new_inform_chamber",
            D(2024, 11, 30),
            "season",
            None,
        ),
        (
            "Het rapport zal naar verwachting rond de zomer aan uw Kamer worden aangeboden.",
            MAY_2023,
            "new",
            "new_send_chamber",
            D(2023, 8, 31),
            "season",
            None,
        ),
        # passive future of a delivery verb without the Chamber named
        (
            "Daarna komt er een plan van aanpak, dat eind dit jaar gepresenteerd zal worden.",
            MAY_2023,
            "new",
            "new_passive_future_deadline",
            D(2023, 12, 31),
            "year",
            None,
        ),
        # an own act in the present tense with a period in the actor's own clause
        (
            "Het ministerie laat in de eerste helft van 2023 door een kennisinstituut berekenen "
            "welke concentraties daar kunnen optreden.",
            DEC_2022,
            "new",
            "new_own_act_present",
            D(2023, 6, 30),
            "quarter",
            None,
        ),
        (
            "Dit pakken we in 2023 samen met de provincies op.",
            NOV_2022,
            "new",
            "new_own_act_present",
            D(2023, 12, 31),
            "year",
            None,
        ),
        (
            "Daarnaast past het Rijk in 2023 de beoordelingssystematiek aan.",
            NOV_2022,
            "new",
            "new_own_act_present",
            D(2023, 12, 31),
            "year",
            None,
        ),
        (
            "De regels worden in 2026 aangepast, volgend op de herijking.",
            NOV_2022,
            "new",
            "new_passive_deadline",
            D(2026, 12, 31),
            "year",
            None,
        ),
        (
            "Het beleid wordt hierop in 2026 aangescherpt.",
            NOV_2022,
            "new",
            "new_passive_deadline",
            D(2026, 12, 31),
            "year",
            None,
        ),
        (
            "Dit is het kader dat eind 2022 wordt opgeleverd.",
            NOV_2022,
            "new",
            "new_passive_future_deadline",
            D(2022, 12, 31),
            "year",
            None,
        ),
        # the deadline periods of ANNOTATION §7 in promises
        (
            "Ik verwacht uw Kamer dit najaar te informeren over de voortgang.",
            AUG_2024,
            "new",
            "new_inform_chamber",
            D(2024, 11, 30),
            "season",
            None,
        ),
        (
            "Op de precieze gevolgen kom ik na het zomerreces terug.",
            MAY_2023,
            "new",
            "new_kom_terug",
            None,  # open-ended: the words stay in deadline_raw
            "season",
            None,
        ),
        (
            "Ik zal uw Kamer voor de zomer informeren over de uitkomsten.",
            dt.date(2024, 3, 1),
            "new",
            "new_inform_chamber",
            D(2024, 7, 1),
            "season",
            None,
        ),
        (
            "In de volgende voortgangsbrief zal ik uw Kamer informeren over de pilots.",
            MAY_2023,
            "new",
            "new_inform_chamber",
            None,
            None,
            None,
        ),
        # the verb's own form names the sender when "ik" is missing
        (
            "Over de precieze gevolgen informeer de Kamer na de zomer.",
            MAY_2023,
            "new",
            "new_inform_chamber",
            None,
            "season",
            None,
        ),
        (
            "Het kabinet zal in een separate brief op deze vraag ingaan.",
            MAY_2023,
            "new",
            "new_ingaan_op",
            None,
            None,
            None,
        ),
        # a programme's span of years is a name; the deadline is the other period
        (
            "We voeren de maatregelen uit de plannen 2022-2027 uiterlijk in 2027 uit.",
            NOV_2022,
            "new",
            "new_own_act_present",
            D(2027, 12, 31),
            "year",
            None,
        ),
        (
            "Ik streef ernaar dit verbod op 1 juli 2026 in werking te laten treden.",
            MAY_2023,
            "new",
            "new_strive_deadline",
            D(2026, 7, 1),
            "day",
            None,
        ),
    ],
)
def test_register_grammar(
    sentence: str,
    reference: dt.date,
    kind: str,
    cue: str,
    deadline: dt.date | None,
    precision: str | None,
    official: str | None,
) -> None:
    (c,) = find_commitments(sentence, reference)
    assert (c.kind, c.cue, c.deadline, c.deadline_precision) == (kind, cue, deadline, precision)
    assert c.official == official


@pytest.mark.parametrize(
    ("sentence", "reference"),
    [
        # a third party's promise
        ("De politie van het buurland heeft toegezegd de gegevens te delen.", MAY_2023),
        ("De NZa zal uw Kamer voor de zomer informeren.", MAY_2023),
        # an earlier informing
        ("Dit betreft het onderzoek waarover uw Kamer op 3 oktober jl. is geïnformeerd.", NOV_2022),
        ("Op 28 juni informeerde ik uw Kamer over het offensief.", NOV_2022),
        ("Vorige maand stuurde ik uw Kamer de voortgangsrapportage.", NOV_2022),
        # a motion's request quoted in the letter
        (
            "De motie van het lid Jansen verzoekt het kabinet om in 2025 een nieuwe regeling "
            "voor te stellen.",
            NOV_2022,
        ),
        (
            "De Kamer verzoekt de regering uw Kamer voor de zomer te informeren.",
            NOV_2022,
        ),
        # national policy targets
        ("We willen de uitstoot in 2030 met 55% terugdringen.", NOV_2022),
        ("Het kabinet wil in 2050 klimaatneutraal zijn.", NOV_2022),
        # a refusal
        ("Om die reden kan ik de informatie niet met uw Kamer delen.", NOV_2022),
        ("Ik zal uw Kamer daarover geen nadere informatie sturen.", NOV_2022),
        # a Woo decision's "u" is the requester; an obligation of the reader is no promise
        ("Vervolgens krijgt u als verzoeker de informatie per maand toegestuurd.", NOV_2022),
        ("Ook kunt u uw bezwaarschrift per post versturen aan de minister.", NOV_2022),
        ("Daartoe moet binnen zes weken een bezwaarschrift worden ingediend.", NOV_2022),
        # the letter itself
        ("In het onderstaande volgt een analyse van het publiek belang.", NOV_2022),
        ("Naar aanleiding van uw verzoek bericht ik u als volgt.", NOV_2022),
        # expectations and perfects are not acts
        ("De eerste effecten worden op dit moment verwacht in 2026.", AUG_2024),
        ("De maatregel is op 1 juli jl. van start gegaan.", AUG_2024),
        ("In 2023 zijn de achterstanden gedaald.", AUG_2024),
        # a deadline in someone else's clause
        ("Ik verwacht dat de gemeenten voor de zomer een besluit nemen.", MAY_2023),
        ("We zien dat de kosten in 2024 verder stijgen.", MAY_2023),
        # a programme's span of years
        ("Ook zetten we in op monitoring in 2023 t/m 2026.", NOV_2022),
        # a quantified target with a year
        ("We werken toe naar een gebruik van 100 liter per persoon in 2035.", NOV_2022),
        # an expectation, not an act
        ("Ik verwacht dit begin juli van dit jaar.", MAY_2023),
        # quoted period words and seasons in general
        ("Hierin spreken we van ‘voor 2030’ en ‘na 2050’.", NOV_2022),
        ("Dat is meer water dan we van najaar tot voorjaar kunnen aanvullen.", NOV_2022),
        # the future needs a future: "ingaan op" in the present is this letter
        ("Ik ga hieronder in op de vragen van uw Kamer.", NOV_2022),
        ("In dit hoofdstuk gaan we in op de borging en monitoring.", NOV_2022),
        ("In de brief van 11 oktober gaat het kabinet nader in op de hulpverlening.", NOV_2022),
        ("Voor een beter begrip hiervan zal ik wat dieper ingaan op de weging.", NOV_2022),
        # a passive whose agent is a third party, an expected outcome, a general statement
        (
            "De berekeningen worden in de eerste helft van 2023 door het instituut uitgevoerd.",
            NOV_2022,
        ),
        (
            "Naar verwachting zal dit onderzoek aan het einde van het jaar kunnen worden afgerond.",
            MAY_2023,
        ),
        (
            "Provincies krijgen een handreiking die aangeeft wat wordt verwacht op 1 juli 2023.",
            NOV_2022,
        ),
        ("In 2050 wordt dat gemiddeld +20 cm in het gehele gebied.", NOV_2022),
        # an event without a date is no deadline for an act
        ("Eventuele gevolgen worden ingepast op de begroting van het ministerie.", NOV_2022),
    ],
)
def test_not_register_commitments(sentence: str, reference: dt.date) -> None:
    assert find_commitments(sentence, reference) == []


def test_matcher_runs_only_on_sentences_with_a_cue_word() -> None:
    from kamerbrief_extract.extract.commitments import _doc_cues, _nlp, load_patterns

    anchors = load_patterns().anchors
    text = "De begroting stijgt met twee procent. Ik kom hierop terug. Kom ik hierop terug?"
    doc = _nlp()(text)
    starts = [s.start for s in doc.sents]
    cued = [sent for sent, _ in _doc_cues(doc, text)]
    assert len(starts) == 3
    assert [s.start for s in cued] == [starts[1]]  # no cue word; a question is skipped
    assert {"informeren", "toezegging", "kom"} <= anchors  # a lemma, a noun, a short form


def test_no_own_act_without_the_letters_date() -> None:
    """Without a reference date "in 2026" may be past: no act is promised on that ground."""
    assert find_commitments("Het beleid wordt hierop in 2026 aangescherpt.", None) == []
    assert find_commitments("Het beleid wordt hierop in 2026 aangescherpt.", NOV_2022) != []
