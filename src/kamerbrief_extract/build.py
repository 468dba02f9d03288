"""The one place where a processed Doc becomes a Record.

Extractors know nothing of footnotes, pages or source files; here each item
gets its provenance (footnote, page, source offsets, box) and the links that need
more than one extractor: a footnoted citation's body sentence, a motion's
Kamerstuk from the footnote on its mention.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from typing import Any

from spacy.tokens import Doc

from kamerbrief_extract import PIPELINE_VERSION, __version__
from kamerbrief_extract.clean.document import CleanDocument
from kamerbrief_extract.clean.metadata import read_kamervragen_head
from kamerbrief_extract.document import Document
from kamerbrief_extract.nlp.components import results
from kamerbrief_extract.records import (
    Amount,
    Citation,
    Commitment,
    Dictum,
    Footnote,
    Kamervragen,
    Meta,
    Motion,
    MotionDocument,
    Municipality,
    Place,
    QuestionAnswer,
    Record,
    Source,
)


class _Locator:
    """Provenance for offsets in the clean text."""

    def __init__(self, clean: CleanDocument, ingested: Document) -> None:
        self.clean = clean
        self.ingested = ingested
        self.word_starts = [w.start for w in ingested.words]

    def span(self, start: int, end: int) -> dict[str, Any]:
        """Footnote, page, box and offsets into the input file of text[start:end]."""
        clean = self.clean
        src = clean.source_map  # into the Document's source_text
        text_start = src[start] if start < len(src) else None
        text_end = src[end - 1] + 1 if 0 < end <= len(src) else None
        file_map = self.ingested.source_map  # source_text → the decoded file (text copies)
        fields: dict[str, Any] = {
            "start": start,
            "end": end,
            "in_footnote": clean.footnote_at(start),
            "source_start": _through(file_map, text_start),
            "source_end": _through(file_map, text_end - 1) + 1 if text_end is not None else None,
        }
        page = clean.page_at(start)
        if text_start is not None and self.ingested.pages > 1:
            page = self.ingested.page_of(text_start)
        fields["page"] = page
        if self.word_starts and text_start is not None and text_end is not None:
            fields.update(self._box(text_start, text_end))
        return fields

    def _box(self, s: int, e: int) -> dict[str, Any]:
        words = self.ingested.words
        i = max(0, bisect.bisect_right(self.word_starts, s) - 1)
        hit = []
        while i < len(words) and words[i].start < e:
            if words[i].end > s:
                hit.append(words[i])
            i += 1
        if not hit:
            return {}
        page = hit[0].box.page
        same = [w for w in hit if w.box.page == page]
        confs = [w.confidence for w in same if w.confidence is not None]
        return {
            "page": page,
            "bbox": [
                min(w.box.x0 for w in same),
                min(w.box.top for w in same),
                max(w.box.x1 for w in same),
                max(w.box.bottom for w in same),
            ],
            "confidence": round(sum(confs) / len(confs), 1) if confs else None,
        }


def _through(mapping: list[int] | None, offset: int | None) -> Any:
    if offset is None or mapping is None:
        return offset
    return mapping[min(offset, len(mapping) - 1)] if mapping else offset


def _sentence_at(doc: Doc, offset: int) -> tuple[int, int] | None:
    token = _token_at(doc, offset)
    if token is None:
        return None
    sent = token.sent
    return sent.start_char, sent.end_char


_TOKEN_STARTS = "kb_token_starts"


def _token_at(doc: Doc, offset: int) -> Any:
    if not len(doc):
        return None
    i = max(0, bisect.bisect_right(_token_starts(doc), offset) - 1)
    return doc[i]


_STARTS_KEY = "kb_token_starts"


def _token_starts(doc: Doc) -> list[int]:
    """Character offset of every token, computed once per Doc (kept in its user_data)."""
    starts: list[int] | None = doc.user_data.get(_STARTS_KEY)
    if starts is None:
        starts = doc.to_array("IDX").tolist()
        doc.user_data[_STARTS_KEY] = starts
    return starts


def build_record(doc: Doc, clean: CleanDocument, ingested: Document, source: Source) -> Record:
    store = results(doc)
    loc = _Locator(clean, ingested)
    text = clean.text

    footnotes = [
        Footnote(
            n=span.note.n,
            text=text[span.start : span.end] if span.start is not None else None,
            anchor=span.note.anchor,
            start=span.start,
            end=span.end,
            marker=span.note.marker_offset,
            anchor_start=span.note.anchor_start,
            anchor_end=span.note.anchor_end,
            page=span.note.page,
        )
        for span in clean.notes
    ]
    markers = {f.n: f.marker for f in footnotes if f.marker is not None}

    citations: list[Citation] = []
    for m in store.get("citations", []):
        fields = loc.span(m.start, m.end)
        sentence = None
        n = fields["in_footnote"]
        if n is not None and n in markers:
            bounds = _sentence_at(doc, markers[n])
            sentence = text[bounds[0] : bounds[1]].strip() if bounds else None
        citations.append(Citation(id=m.id, kind=m.kind, raw=m.raw, sentence=sentence, **fields))
    cites_by_note: dict[int, list[Citation]] = {}
    for c in citations:
        if c.in_footnote is not None:
            cites_by_note.setdefault(c.in_footnote, []).append(c)

    def footnote_citation(start: int, end: int) -> str | None:
        """The Kamerstuk of a note whose marker sits on [start, end) or ends its sentence."""
        bounds = _sentence_at(doc, start)
        limit = max(end, bounds[1]) if bounds else end
        for n, offset in sorted(markers.items(), key=lambda kv: kv[1]):
            if start <= offset <= limit and n in cites_by_note:
                return _preferred(cites_by_note[n])
        inline = [c for c in citations if c.in_footnote is None and start <= c.start <= limit]
        return _preferred(inline) if inline else None

    amounts = [
        Amount(
            value_eur=m.value_eur,
            value_max_eur=m.value_max_eur,
            raw=m.raw,
            qualifier=m.qualifier,
            recurrence=m.recurrence,
            years=list(m.years),
            **loc.span(m.start, m.end),
        )
        for m in store.get("amounts", [])
    ]
    municipalities = [
        Municipality(
            cbs_code=m.cbs_code,
            name=m.name,
            official_name=m.official_name,
            status=m.status,
            merged_into=m.merged_into,
            candidates=list(m.candidates),
            score=m.score,
            province=m.province,
            **loc.span(m.start, m.end),
        )
        for m in store.get("municipalities", [])
    ]
    places = [
        Place(
            name=m.name,
            municipality_code=m.municipality_code,
            municipality_name=m.municipality_name,
            **loc.span(m.start, m.end),
        )
        for m in store.get("places", [])
    ]
    mentions = [
        Motion(
            kind=getattr(m, "kind", "motie"),
            submitters=list(m.submitters),
            cosigned=m.cosigned,
            citation=footnote_citation(m.start, m.end) or getattr(m, "kamerstuk", None),
            status=m.status,
            subject=getattr(m, "subject", None),
            amended=getattr(m, "amended", False),
            raw=m.raw,
            **loc.span(m.start, m.end),
        )
        for m in store.get("motions", [])
    ]
    motions = [m for m in mentions if m.kind == "motie"]
    amendments = [m for m in mentions if m.kind == "amendement"]
    meta = Meta.model_validate({k: v for k, v in clean.meta.items() if k in Meta.model_fields})
    kamervragen = _kamervragen(meta, clean, ingested)
    commitments = [
        Commitment(
            kind=m.kind,
            text=m.text,
            deadline=m.deadline,
            deadline_raw=m.deadline_raw,
            deadline_precision=getattr(m, "deadline_precision", None),
            actor=getattr(m, "actor", None),
            addressee=getattr(m, "addressee", None),
            cue=getattr(m, "cue", None),
            citation=footnote_citation(m.start, m.end) if m.kind != "new" else None,
            **_register_fields(m, meta, kamervragen),
            **loc.span(m.start, m.end),
        )
        for m in store.get("commitments", [])
        if _commits_to_the_chamber(m, meta, kamervragen)
    ]
    warnings = list(clean.warnings)
    motion_document, motion_warnings = _motion_document(meta, ingested)
    warnings += motion_warnings
    warnings += [
        f"footnote {f.n}: no marker found in the body" for f in footnotes if f.marker is None
    ]
    warnings += [
        f"footnote {f.n}: marker found but the note's text is missing"
        for f in footnotes
        if f.text is None
    ]
    return Record(
        package_version=__version__,
        pipeline_version=PIPELINE_VERSION,
        source=source,
        meta=meta,
        text=text,
        body_end=clean.body_end,
        footnotes=footnotes,
        citations=citations,
        amounts=amounts,
        municipalities=municipalities,
        places=places,
        motions=motions,
        amendments=amendments,
        commitments=commitments,
        motion_document=motion_document,
        kamervragen=kamervragen,
        coverage=clean.coverage,
        warnings=warnings,
    )


def _answer_at(kamervragen: Kamervragen | None, offset: int, part: str) -> int | None:
    """Number of the question (part "question") or answer (part "answer") holding offset."""
    for qa in kamervragen.questions if kamervragen else ():
        start, end = getattr(qa, f"{part}_start"), getattr(qa, f"{part}_end")
        if start is not None and end is not None and start <= offset < end:
            return qa.n
    return None


def _commits_to_the_chamber(m: Any, meta: Meta, kamervragen: Kamervragen | None) -> bool:
    """The sender's promises only: not a Member's question, not a Woo decision's "u".

    In written questions the Member asks ("Bent u bereid ... te informeren?"); in a Woo
    decision "u" is the requester, not the Chamber.
    """
    if _answer_at(kamervragen, m.start, "question") is not None:
        return False
    addressee = getattr(m, "addressee", None)
    return not (meta.doc_type == "woo-besluit" and m.kind == "new" and addressee == "u")


def _register_fields(m: Any, meta: Meta, kamervragen: Kamervragen | None) -> dict[str, Any]:
    """Who promises and for which ministry; in Kamervragen, which answer holds the promise."""
    named: str | None = getattr(m, "official", None)
    ministry = meta.ministry
    if named:
        _, sep, office = named.partition(" van ")
        ministry = office if sep else ministry
    answered_by = kamervragen.answered_by if kamervragen else None
    return {
        "official": named or meta.sender or answered_by or meta.sender_office,
        "ministry": ministry,
        "in_answer": _answer_at(kamervragen, m.start, "answer"),
    }


def _preferred(cands: Iterable[Citation]) -> str | None:
    ordered = sorted(cands, key=lambda c: (c.kind != "kamerstuk", c.start))
    return ordered[0].id if ordered else None


def _kamervragen(meta: Meta, clean: CleanDocument, document: Document) -> Kamervragen | None:
    """Askers, answering official and the question/answer spans of a Kamervragen document."""
    if meta.doc_type != "kamervragen":
        return None
    head = read_kamervragen_head(document.text[:4000])
    first: dict[int, int] = {}
    for i, s in enumerate(clean.source_map):
        first.setdefault(s, i)
    spans: dict[int, dict[str, int]] = {}
    for block in document.blocks:
        if block.kind not in {"question", "answer"} or block.n is None or not block.text.source:
            continue
        start = first.get(block.text.source[0])
        end = first.get(block.text.source[-1])
        if start is None or end is None:
            continue
        entry = spans.setdefault(block.n, {})
        entry.setdefault(f"{block.kind}_start", start)
        entry[f"{block.kind}_end"] = end + 1
    return Kamervragen(
        askers=head.askers if head else [],
        asked_date=head.asked if head else None,
        answered_by=head.answered_by if head else None,
        answer_date=head.answered if head else None,
        questions=[QuestionAnswer(n=n, **spans[n]) for n in sorted(spans)],
    )


def _motion_document(meta: Meta, ingested: Document) -> tuple[MotionDocument | None, list[str]]:
    """A motion's or amendment's own fields, and what could not be read (as warnings)."""
    if meta.doc_type not in {"motie", "amendement"}:
        return None, []
    from kamerbrief_extract.extract.motion_document import parse_motion_document, printed_text

    # The title, number and date stand in the head that cleaning sets aside (a text copy's
    # layout even files "Nr. 94" as furniture): parse the document as printed.
    parsed = parse_motion_document(printed_text(ingested), ingested.metadata)
    if parsed is None:
        return None, [f"{meta.doc_type}: not read as a motion or amendment document"]
    document = MotionDocument(
        kind="amendement" if parsed.kind == "amendement" else "motie",
        title=parsed.title,
        submitters=list(parsed.submitters),
        cosigned=parsed.cosigned,
        signatories=list(parsed.signatories),
        dossier=parsed.dossier,
        number=parsed.number,
        kamerstuk=parsed.kamerstuk,
        date=parsed.date if isinstance(parsed.date, dt.date) else None,
        considerations=list(parsed.considerations),
        dictum=[Dictum(verb=d.verb, text=d.text) for d in parsed.dictum],
        requests=list(parsed.requests),
        amended=parsed.amended,
        replaces=parsed.replaces,
        amendment_level=parsed.amendment_level,
        changes=list(parsed.changes),
    )
    return document, [f"{parsed.kind}: {w}" for w in parsed.warnings]
