"""The JSON contract: one validated record per document.

Field names follow ANNOTATION.md wherever it names them, so gold files and
records compare directly. Every extracted item carries `start`/`end` offsets into
the record's `text` (body, then footnote texts), the footnote it sits in, and the
page where known; `source_start`/`source_end` point into the input file.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

SCHEMA_VERSION = "1.0"


def _decimal_to_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


EuroAmount = Annotated[
    Decimal, PlainSerializer(_decimal_to_number, return_type=int | float, when_used="json")
]
CitationKind = Literal[
    "kamerstuk",
    "handelingen",
    "aanhangsel",
    "staatsblad",
    "staatscourant",
    "tractatenblad",
    "ecli",
    "zaak",
    "document",
]
"""The kinds of document a citation can name; the citation extractor uses this list."""
DocType = Literal[
    "brief",
    "beslisnota",
    "persbericht",
    "motie",
    "amendement",
    "kamervragen",
    "woo-besluit",
    "bnc-fiche",
    "handelingen",
    "other",
]
"""ANNOTATION.md §1: the kinds of document researchers have in their folders."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Span(_Model):
    """Where an item is: offsets into the record's text, and back into the source."""

    start: int = Field(ge=0, description="offset in the record's text where the item starts")
    end: int = Field(ge=0, description="offset in the record's text just past the item")
    in_footnote: int | None = Field(default=None, description="number of the footnote it is in")
    page: int | None = Field(default=None, description="page of the source, from 1")
    source_start: int | None = Field(default=None, description="offset in the source file")
    source_end: int | None = None
    bbox: list[float] | None = Field(default=None, description="x0, top, x1, bottom in points")
    confidence: float | None = Field(default=None, description="mean OCR word confidence")


class Source(_Model):
    path: str
    sha256: str
    kind: str = Field(description="text | markdown | pdf | ocr | xml")
    encoding: str | None = None
    pages: int | None = None


class Meta(_Model):
    date: dt.date | None = None
    doc_type: DocType = "other"
    subject: str | None = None
    sender: str | None = None
    sender_office: str | None = Field(
        default=None, description='the office the sender signs for: "De Minister van Financiën"'
    )
    ministry: str | None = Field(
        default=None, description='the ministry the document comes from: "Financiën"'
    )
    kamerstuk: str | None = None
    kenmerk: str | None = None


class Footnote(_Model):
    n: int
    text: str | None
    anchor: str | None = None
    start: int | None = None
    end: int | None = None
    marker: int | None = Field(default=None, description="offset in text where the marker stood")
    anchor_start: int | None = None
    anchor_end: int | None = None
    page: int | None = None


class Citation(Span):
    id: str
    kind: CitationKind
    raw: str
    sentence: str | None = Field(
        default=None, description="the body sentence carrying the footnote marker"
    )


class Amount(Span):
    value_eur: EuroAmount
    value_max_eur: EuroAmount | None = None
    raw: str
    qualifier: str | None = None
    recurrence: Literal["per_year", "one_off"] | None = None
    years: list[int] = Field(default_factory=list)


class Municipality(Span):
    cbs_code: str | None
    name: str
    official_name: str | None = None
    status: Literal["current", "former", "future", "ambiguous"] = "current"
    merged_into: str | None = None
    candidates: list[str] = Field(default_factory=list)
    score: float = 100.0
    province: str | None = None


class Place(Span):
    name: str
    municipality_code: str
    municipality_name: str


class Motion(Span):
    """A motion (or, in `Record.amendments`, an amendment) that a document names."""

    kind: Literal["motie", "amendement"] = "motie"
    submitters: list[str]
    cosigned: bool = False
    citation: str | None = None
    status: str | None = None
    subject: str | None = None
    amended: bool = False
    raw: str


DeadlinePrecision = Literal["day", "month", "quarter", "season", "year"]


class Commitment(Span):
    """A promise as a register of toezeggingen keeps it (ANNOTATION.md §7)."""

    kind: Literal["new", "reference", "fulfilled"]
    text: str
    deadline: dt.date | None = None
    deadline_raw: str | None = None
    deadline_precision: DeadlinePrecision | None = None
    actor: str | None = None
    addressee: str | None = None
    cue: str | None = Field(default=None, description="id of the pattern that made it")
    citation: str | None = Field(
        default=None, description="reference/fulfilled: where the promise was made"
    )
    official: str | None = Field(
        default=None, description="who promises: the sender unless the sentence names another"
    )
    ministry: str | None = None
    in_answer: int | None = Field(
        default=None, description="Kamervragen: number of the answer the promise stands in"
    )


class Dictum(_Model):
    """One operative clause of a motion: "verzoekt", "spreekt uit", "roept op" …"""

    verb: str
    text: str


class MotionDocument(_Model):
    """A motion or amendment document (ANNOTATION.md §6)."""

    kind: Literal["motie", "amendement"] = "motie"
    title: str | None = None
    submitters: list[str] = Field(description="the names in the title, as signed")
    cosigned: bool = False
    signatories: list[str] = Field(
        default_factory=list, description="every name signed under the text, first signatory first"
    )
    dossier: str | None = None
    number: str | None = None
    kamerstuk: str | None = None
    date: dt.date | None = Field(default=None, description='"Voorgesteld" / "Ontvangen" date')
    considerations: list[str] = Field(default_factory=list)
    dictum: list[Dictum] = Field(default_factory=list)
    requests: list[str] = Field(default_factory=list, description="the dictum's texts")
    amended: bool = False
    replaces: str | None = Field(default=None, description="the number of the one it replaces")
    amendment_level: str | None = Field(
        default=None, description="gewijzigd, nader gewijzigd, tweede nader gewijzigd …"
    )
    changes: list[str] = Field(
        default_factory=list, description='amendment: what it changes ("artikel I, onderdeel A")'
    )


class QuestionAnswer(_Model):
    """One numbered question of a Kamervragen document and its answer, as text offsets."""

    n: int
    question_start: int | None = None
    question_end: int | None = None
    answer_start: int | None = None
    answer_end: int | None = None


class Kamervragen(_Model):
    """Written questions with their answers (Aanhangsel van de Handelingen)."""

    askers: list[str] = Field(default_factory=list)
    asked_date: dt.date | None = None
    answered_by: str | None = None
    answer_date: dt.date | None = None
    questions: list[QuestionAnswer] = Field(default_factory=list)


class Link(_Model):
    source: str = Field(description="source.path of the document the link starts from")
    to: str
    kind: Literal["cites", "about", "fulfils", "same_motion"]
    confidence: float = Field(ge=0, le=1)
    evidence: dict[str, str | float | int | None] = Field(default_factory=dict)


class Record(_Model):
    schema_version: str = SCHEMA_VERSION
    package_version: str
    pipeline_version: str
    source: Source
    meta: Meta
    text: str
    body_end: int = Field(description="text[:body_end] is the body; footnote texts follow")
    footnotes: list[Footnote] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    amounts: list[Amount] = Field(default_factory=list)
    municipalities: list[Municipality] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    motions: list[Motion] = Field(default_factory=list)
    amendments: list[Motion] = Field(default_factory=list)
    commitments: list[Commitment] = Field(default_factory=list)
    motion_document: MotionDocument | None = None
    kamervragen: Kamervragen | None = None
    links: list[Link] = Field(default_factory=list)
    coverage: float | None = Field(
        default=None, description="share of the source's content text that reached `text`"
    )
    warnings: list[str] = Field(default_factory=list)


def record_json_schema() -> dict[str, object]:
    return Record.model_json_schema(mode="serialization")
