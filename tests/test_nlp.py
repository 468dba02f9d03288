"""The spaCy side: the Dutch language subclass, the saved pipeline, the Doc -> record seam."""

from __future__ import annotations

import datetime as dt

import pytest
import spacy

from kamerbrief_extract.nlp.pipeline import PIPE_NAMES, build_pipeline, repo_model_dir


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.load(repo_model_dir())


@pytest.mark.parametrize(
    "abbreviation", ["nr.", "c.s.", "jl.", "mln.", "o.a.", "t.a.v.", "kst.", "mld.", "a.s."]
)
def test_domain_abbreviations_stay_one_token(
    nlp: spacy.language.Language, abbreviation: str
) -> None:
    doc = nlp.make_doc(f"Zie de tekst {abbreviation} hierna")
    assert abbreviation in [t.text for t in doc]


def test_saved_pipeline_matches_the_code(nlp: spacy.language.Language) -> None:
    assert nlp.lang == "nl_kamerbrief"
    assert tuple(nlp.pipe_names) == PIPE_NAMES
    assert build_pipeline().pipe_names == nlp.pipe_names


def test_motion_sentence_does_not_end_at_cs(nlp: spacy.language.Language) -> None:
    doc = nlp("Dit deden we na de motie van het lid Jansen c.s. over wonen. Daarna volgde meer.")
    sentences = [s.text for s in doc.sents]
    assert sentences[0] == "Dit deden we na de motie van het lid Jansen c.s. over wonen."


def test_components_fill_spans_and_lemmas(nlp: spacy.language.Language) -> None:
    doc = nlp.make_doc(
        "Kopje\n\nIk informeerde uw Kamer over Kamerstuk 12 345, nr. 6 en over €20 mln. voor de "
        "gemeente Utrecht."
    )
    doc._.letter_date = dt.date(2024, 3, 1)
    doc = nlp(doc)
    assert next(s.text.strip() for s in doc.sents) == "Kopje"
    assert [t.lemma_ for t in doc if t.text == "informeerde"] == ["informeren"]
    assert [span.text for span in doc.spans["citations"]] == ["Kamerstuk 12 345, nr. 6"]
    assert [span.text for span in doc.spans["municipalities"]] == ["Utrecht"]
    assert doc._.kb["citations"][0].id == "kst-12345-6"
