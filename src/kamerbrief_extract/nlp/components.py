"""Thin spaCy components around the pure extractors.

Each component runs one extractor over `doc.text`, keeps the extractor's
results in `doc._.kb[name]` for the record builder, and mirrors them as spans
in `doc.spans[name]` so displaCy and spaCy tooling can see them. Extractors that
need the letter's date read it from `doc._.letter_date`, set by the runner.
Factories are registered through the `spacy_factories` entry point.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
from spacy.attrs import LEMMA, ORTH, SENT_START
from spacy.errors import Errors
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc, Span
from thinc.types import Ints2d

if not Doc.has_extension("kb"):
    Doc.set_extension("kb", default=None)
if not Doc.has_extension("letter_date"):
    Doc.set_extension("letter_date", default=None)


def results(doc: Doc) -> dict[str, list[Any]]:
    """The extractor results stored on a Doc (created on first use)."""
    if doc._.kb is None:
        doc._.kb = {}
    store: dict[str, list[Any]] = doc._.kb
    return store


TEXT_KEY = "kb_text"


def doc_text(doc: Doc) -> str:
    """`doc.text`, joined once per Doc: spaCy rebuilds it from every token on each access."""
    text: str | None = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def _mirror_spans(doc: Doc, key: str, items: Sequence[Any], label: str) -> None:
    spans: list[Span] = []
    for item in items:
        span = doc.char_span(item.start, item.end, label=label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans[key] = spans


class _ExtractorComponent:
    """Runs `extract(doc)` and stores its items under `name`."""

    label = "ITEM"

    def __init__(self, nlp: Language, name: str, *, spans_key: str) -> None:
        self.name = name
        self.spans_key = spans_key

    def extract(self, doc: Doc) -> list[Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        items = self.extract(doc)
        results(doc)[self.spans_key] = items
        _mirror_spans(doc, self.spans_key, items, self.label)
        return doc


class CitationsComponent(_ExtractorComponent):
    label = "CITATION"

    def extract(self, doc: Doc) -> list[Any]:
        from kamerbrief_extract.extract.citations import find_citations

        return list(find_citations(doc_text(doc)))


class AmountsComponent(_ExtractorComponent):
    label = "AMOUNT"

    def extract(self, doc: Doc) -> list[Any]:
        from kamerbrief_extract.extract.amounts import find_amounts

        return list(find_amounts(doc_text(doc)))


class MunicipalitiesComponent(_ExtractorComponent):
    label = "GEMEENTE"

    def __init__(self, nlp: Language, name: str, *, spans_key: str) -> None:
        super().__init__(nlp, name, spans_key=spans_key)
        from kamerbrief_extract.extract import municipalities

        # Loaded with the pipeline, not on the first document.
        municipalities.gazetteer().warm()

    def extract(self, doc: Doc) -> list[Any]:
        from kamerbrief_extract.extract.municipalities import match_all

        on_date: dt.date | None = doc._.letter_date
        found, places = match_all(doc, on_date, text=doc_text(doc))
        results(doc)["places"] = places
        return found


class MotionsComponent(_ExtractorComponent):
    label = "MOTIE"

    def extract(self, doc: Doc) -> list[Any]:
        from kamerbrief_extract.extract.motions import find_motions

        return list(find_motions(doc_text(doc)))


class CommitmentsComponent(_ExtractorComponent):
    label = "TOEZEGGING"

    def extract(self, doc: Doc) -> list[Any]:
        from kamerbrief_extract.extract import commitments

        reference: dt.date | None = doc._.letter_date
        return commitments.commitments_in_doc(doc, reference, text=doc_text(doc))


class ParagraphSentences:
    """Start a sentence after every blank line: headings have no full stop."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) < 2:
            return doc
        # Arrays, not Token objects: only the whitespace tokens are looked at, and the
        # starts are written at once (setting `token.is_sent_start` checks the whole Doc
        # each time, which made this step quadratic in the length of the text).
        starts = cast(Ints2d, doc.to_array([SENT_START]).reshape(len(doc), 1))
        changed = False
        for i in np.flatnonzero(doc.to_array("IS_SPACE")[:-1]).tolist():
            if "\n\n" in doc[i].text and starts[i + 1, 0] != 1:
                starts[i + 1, 0] = 1
                changed = True
        if changed:
            doc.from_array([SENT_START], starts)
        return doc


class LookupLemmatizer(Lemmatizer):
    """spaCy's lookup lemmatizer, run over the Doc's ORTH column instead of token by token.

    The same lemmas as `Lemmatizer` in "lookup" mode (the table's entry for the word's
    text, else the text itself; only unset lemmas unless `overwrite`), looked up once per
    word form and written with one `Doc.from_array`; other modes are spaCy's own.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lemma_of: dict[int, int] = {}  # orth hash -> lemma hash, across documents

    def __call__(self, doc: Doc) -> Doc:
        if self.mode != "lookup" or not len(doc):
            return cast(Doc, super().__call__(doc))
        if not self._validated:
            self._validate_tables(Errors.E1004)
        columns = doc.to_array([ORTH, LEMMA])
        todo = np.ones(len(doc), dtype=bool) if self.overwrite else columns[:, 1] == 0
        if not todo.any():
            return doc
        forms, inverse = np.unique(columns[todo, 0], return_inverse=True)
        table = self.lookups.get_table("lemma_lookup", {})
        strings = doc.vocab.strings
        known = self._lemma_of
        if len(known) > _LEMMA_CACHE_SIZE:
            known.clear()
        lemmas = []
        for orth in forms.tolist():
            lemma = known.get(orth)
            if lemma is None:
                text = strings[orth]
                found = table.get(text, text)
                lemma = known[orth] = strings.add(found if isinstance(found, str) else found[0])
            lemmas.append(lemma)
        column = columns[:, 1].copy()
        column[todo] = np.array(lemmas, dtype=np.uint64)[inverse.reshape(-1)]
        doc.from_array([LEMMA], cast(Ints2d, column.reshape(-1, 1)))
        return doc


_LEMMA_CACHE_SIZE = 500_000


def make_lookup_lemmatizer(
    nlp: Language, model: Any, name: str, mode: str, overwrite: bool, scorer: Any
) -> LookupLemmatizer:
    return LookupLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)


def make_citations(nlp: Language, name: str, spans_key: str) -> CitationsComponent:
    return CitationsComponent(nlp, name, spans_key=spans_key)


def make_amounts(nlp: Language, name: str, spans_key: str) -> AmountsComponent:
    return AmountsComponent(nlp, name, spans_key=spans_key)


def make_municipalities(nlp: Language, name: str, spans_key: str) -> MunicipalitiesComponent:
    return MunicipalitiesComponent(nlp, name, spans_key=spans_key)


def make_motions(nlp: Language, name: str, spans_key: str) -> MotionsComponent:
    return MotionsComponent(nlp, name, spans_key=spans_key)


def make_commitments(nlp: Language, name: str, spans_key: str) -> CommitmentsComponent:
    return CommitmentsComponent(nlp, name, spans_key=spans_key)


def make_paragraph_sentences(nlp: Language, name: str) -> ParagraphSentences:
    return ParagraphSentences(nlp, name)


Language.factory("kb_citations", default_config={"spans_key": "citations"}, func=make_citations)
Language.factory("kb_amounts", default_config={"spans_key": "amounts"}, func=make_amounts)
Language.factory(
    "kb_municipalities", default_config={"spans_key": "municipalities"}, func=make_municipalities
)
Language.factory("kb_motions", default_config={"spans_key": "motions"}, func=make_motions)
Language.factory(
    "kb_commitments", default_config={"spans_key": "commitments"}, func=make_commitments
)
Language.factory("kb_paragraph_sentences", func=make_paragraph_sentences)
Language.factory(
    "kb_lemmatizer",
    assigns=["token.lemma"],
    default_config={
        "model": None,
        "mode": "lookup",
        "overwrite": False,
        "scorer": {"@scorers": "spacy.lemmatizer_scorer.v1"},
    },
    default_score_weights={"lemma_acc": 1.0},
    func=make_lookup_lemmatizer,
)
