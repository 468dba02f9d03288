"""Assemble, save and load the pipeline that lives in `models/`.

`make model` writes `models/kamerbrief_nl` with `nlp.to_disk`; everything after
that is `spacy.load`. The lemma table travels inside the saved lemmatizer, so
loading needs neither a download nor spacy-lookups-data at run time.
"""

from __future__ import annotations

import importlib
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
    lemmatizer = nlp.add_pipe(
        "kb_lemmatizer", name="lemmatizer", config={"mode": "lookup", "overwrite": False}
    )
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
    """The saved pipeline when present, else one built in memory (same components).

    Loaded once per process and warmed on a small document before it is returned, so
    the extractors' modules, tables and month names are in place before the first real
    document (the first document costs what every other one does).
    """
    model_dir = Path(path) if path else repo_model_dir()
    if (model_dir / "config.cfg").exists():
        # The saved tokenizer is the language's own (tests/test_nlp.py holds them equal);
        # reading it would add its thousands of exceptions a second time, a second of
        # every start-up.
        nlp = spacy.load(model_dir, exclude=["tokenizer"])
    else:
        nlp = build_pipeline()
    _warm(nlp)
    return nlp


WARM_UP_TEXT = (
    "Den Haag, 1 maart 2024\n\nIk stuur uw Kamer voor de zomer een brief over € 5 miljoen.\n"
)


def _warm(nlp: Language) -> None:
    """One small document through every stage: builds what the stages build lazily."""
    import contextlib

    from kamerbrief_extract.ingest.text import ingest_text
    from kamerbrief_extract.process import process_ingested
    from kamerbrief_extract.records import Source

    with contextlib.suppress(Exception):
        source = Source(path="warm-up", sha256="0", kind="text")
        process_ingested(ingest_text(WARM_UP_TEXT), source, nlp)
    for module in _LAZY_MODULES:  # what other kinds of document import on first use
        with contextlib.suppress(ImportError):
            importlib.import_module(module)


_LAZY_MODULES = (
    "kamerbrief_extract.ingest.officiele_xml",
    "kamerbrief_extract.extract.motion_document",
    "kamerbrief_extract.ingest.pdf",
)


def warm_pipeline() -> Language:
    """The loaded, warmed pipeline (for preloading into worker processes)."""
    return load_pipeline()
