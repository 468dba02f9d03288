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


@pytest.mark.parametrize(
    "text",
    [
        "Ik informeerde uw Kamer; de gemeenten stuurden brieven.",
        "Onbekendwoord zijn geweest, WERD en werd.",
        "",
    ],
)
def test_array_lemmatizer_gives_spacys_lookup_lemmas(text: str) -> None:
    """The kb_lemmatizer writes exactly what spaCy's lookup Lemmatizer writes."""
    from spacy.lookups import load_lookups

    nlp = spacy.blank("nl_kamerbrief")
    lookups = load_lookups("nl", ["lemma_lookup"])
    theirs = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ours = nlp.add_pipe("kb_lemmatizer", name="ours", config={"mode": "lookup"})
    theirs.initialize(lookups=lookups)  # type: ignore[attr-defined]
    ours.initialize(lookups=lookups)  # type: ignore[attr-defined]
    a, b = theirs(nlp.make_doc(text)), ours(nlp.make_doc(text))
    assert [t.lemma_ for t in a] == [t.lemma_ for t in b]
    if text:
        assert [t.lemma_ for t in b][:2] == ["ik", "informeren"] or b[0].lemma_ == b[0].text


def test_non_space_offsets_follow_str_isspace() -> None:
    from kamerbrief_extract.document import non_space_offsets

    spaces = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
    text = "a" + spaces + "b\u3001c\u200bd"
    assert non_space_offsets(text) == [i for i, ch in enumerate(text) if not ch.isspace()]
    assert non_space_offsets("") == []


def test_saved_tokenizer_is_the_languages_own() -> None:
    """`load_pipeline` skips reading the saved tokenizer; it must be what the language builds."""
    import srsly

    from kamerbrief_extract.nlp.pipeline import repo_model_dir

    saved = srsly.msgpack_loads((repo_model_dir() / "tokenizer").read_bytes())
    built = srsly.msgpack_loads(spacy.blank("nl_kamerbrief").tokenizer.to_bytes())
    assert saved
    assert {key: built[key] for key in saved} == saved


def test_offset_membership_table_equals_isin() -> None:
    import random

    import numpy as np

    from kamerbrief_extract.document import _members

    rnd = random.Random(7)
    for _ in range(500):
        values = np.array([rnd.randint(-2, 90) for _ in range(rnd.randint(0, 40))], dtype=np.int64)
        pool = np.array([rnd.randint(-2, 120) for _ in range(rnd.randint(0, 40))], dtype=np.int64)
        assert (_members(values, pool) == np.isin(values, pool)).all()
