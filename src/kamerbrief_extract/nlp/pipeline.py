"""Assemble, save and load the pipeline that lives in `models/`.

`make model` writes `models/kamerbrief_nl` with `nlp.to_disk`; everything after
that is `spacy.load`. The lemma table travels inside the saved lemmatizer, so
loading needs neither a download nor spacy-lookups-data at run time.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

import kamerbrief_extract.nlp.components  # noqa: F401  (registers the factories)

MODEL_NAME = "kamerbrief_nl"
PIPE_NAMES = (
    "sentencizer",
    "kb_paragraph_sentences",
    "lemmatizer",
    "kb_citations",
    "kb_amounts",
    "kb_municipalities",
    "kb_motions",
    "kb_commitments",
)


def repo_model_dir() -> Path:
    """`models/kamerbrief_nl` in a source checkout."""
    return Path(__file__).resolve().parents[3] / "models" / MODEL_NAME


def build_pipeline() -> Language:
    """A fresh pipeline on `spacy.blank("nl_kamerbrief")`; no trained weights anywhere."""
    from spacy.lookups import load_lookups

    nlp = spacy.blank("nl_kamerbrief")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kb_paragraph_sentences")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup", "overwrite": False})
    lemmatizer.initialize(lookups=load_lookups("nl", ["lemma_lookup"]))  # type: ignore[attr-defined]
    for name in PIPE_NAMES[3:]:
        nlp.add_pipe(name)
    nlp.meta.update(
        {
            "name": MODEL_NAME.removeprefix("kamerbrief_"),
            "version": _package_version(),
            "description": "Rule-based Dutch pipeline for parliamentary documents",
            "license": "MIT",
        }
    )
    return nlp


def _package_version() -> str:
    from kamerbrief_extract import __version__

    return __version__.split("+")[0]


def save_pipeline(path: Path | None = None) -> Path:
    target = path or repo_model_dir()
    build_pipeline().to_disk(target)
    return target


@lru_cache(maxsize=2)
def load_pipeline(path: str | None = None) -> Language:
    """The saved pipeline when present, else one built in memory (same components)."""
    model_dir = Path(path) if path else repo_model_dir()
    if (model_dir / "config.cfg").exists():
        return spacy.load(model_dir)
    return build_pipeline()


WARM_UP_TEXT = (
    "Den Haag, 1 maart 2024\n\nIk stuur uw Kamer voor de zomer een brief over € 5 miljoen.\n"
)


@lru_cache(maxsize=1)
def warm_pipeline() -> Language:
    """The loaded pipeline after one small document has gone through every stage, so the
    lazy tables of the extractors are built before the first real document."""
    import contextlib

    from kamerbrief_extract.ingest.text import ingest_text
    from kamerbrief_extract.process import process_ingested
    from kamerbrief_extract.records import Source

    nlp = load_pipeline()
    with contextlib.suppress(Exception):
        source = Source(path="warm-up", sha256="0", kind="text")
        process_ingested(ingest_text(WARM_UP_TEXT), source, nlp)
    return nlp
