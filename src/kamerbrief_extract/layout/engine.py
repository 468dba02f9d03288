"""One layout engine: lines, with or without geometry, to the blocks of a Document.

Letters arrive with their page furniture: a letterhead, a right-hand colofon
column ("Datum", "Ons kenmerk"), running headers and footers, footnotes at the
foot of each page, page breaks in the middle of sentences. Extractors must see
only the running text, and must know which words the author footnoted.

A PDF's text layer and an OCR'd scan give lines with geometry; `geometry.py`
reads what the geometry shows (font size, position, repetition across pages,
the footnote zone above the footer, the colofon column) into each line's `role`.
A text copy gives lines without geometry, and the engine reads the same things
from the text: label lines, repeated paragraphs, numbered lines at a page's foot.
Either way the same rules below turn lines into blocks.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from kamerbrief_extract.document import Block, BlockKind, Box
from kamerbrief_extract.layout.hyphenation import finish_hyphens, join_line
from kamerbrief_extract.offsets import MappedBuilder, MappedText

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_TO_DIGIT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")


def superscript_value(text: str) -> int:
    return int(text.translate(_SUPERSCRIPT_TO_DIGIT))


LineRole = Literal["furniture", "colofon", "note", "body"]
"""What geometry decided a line is; None when only the text can tell."""


@dataclass(slots=True)
class Line:
    """One line of a page, as the ingest path read it."""

    text: MappedText
    page: int
    blank_before: bool = False
    role: LineRole | None = None
    label: str | None = None
    """Why a furniture line is furniture ("running head", "page number" …)."""
    size: float | None = None
    box: Box | None = None
    confidence: float | None = None
    """Mean OCR confidence of the line's words; None for text layers and text copies."""

    @property
    def str(self) -> str:
        return self.text.text


# Colofon labels as they stand in the right-hand column of Rijksoverheid letters.
COLOFON_LABELS: dict[str, str] = {
    "datum": "date_text",
    "ons kenmerk": "kenmerk",
    "onze referentie": "kenmerk",
    "kenmerk": "kenmerk",
    "uw kenmerk": "their_kenmerk",
    "uw referentie": "their_kenmerk",
    "uw brief": "their_letter",
    "uw brief van": "their_letter",
    "onderwerp": "subject",
    "betreft": "subject",
    "bijlage(n)": "attachments",
    "bijlagen": "attachments",
    "bijlage": "attachments",
    "contactpersoon": "contact",
    "behandeld door": "contact",
    "inlichtingen": "contact",
    "doorkiesnummer": "phone",
    "telefoon": "phone",
    "e-mail": "email",
    "retouradres": "return_address",
    "referentie": "kenmerk",
    "afschrift aan": "copy_to",
    "ons nummer": "kenmerk",
}
_LABEL_LINE = re.compile(
    r"^\s*(?P<label>"
    + "|".join(re.escape(k) for k in sorted(COLOFON_LABELS, key=len, reverse=True))
    + r")(?![\w(])[:\s]*(?P<value>.*)$",
    re.IGNORECASE,
)
# Letterhead and address lines; never running text.
_FURNITURE_LINE = re.compile(
    r"""^\s*(?:
        >?\s*retouradres\b | postbus\s+\d+ | aan\s+de\s+voorzitter\b | der\s+staten-generaal\s*$
      | \d{4}\s?[A-Z]{2}(?:\s+\S+){1,3}\s*$            # 2500 EA DEN HAAG
      | (?:www\.|https?://)\S+\s*$
      | (?:t|tel|f|fax)\.?\s*[+\d][\d\s-]{7,}$
      | bij\s+beantwoording\b | wilt\s+u\s+slechts\b | en\s+ons\s+kenmerk\s+vermelden
      | brief\s+behandelen\.?\s*$ | pagina\s+\d+\s+van\s+\d+\s*$ | -\s*\d+\s*-\s*$ | \d+\s*$
      | (?:a?h|kst|stb|stcrt|trb|blg)[\s-]+(?:(?:tk|ek)[\s-]+)?\d{4,8}(?:[\s-]+[\w]{1,6}){1,3}\s*$
                                                       # own id: ah-tk-20232024-387
      | issn\s+\d{4}\s*-\s*\d{3}[\dx]\s*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Lines that are furniture only in the letterhead, before the running text starts.
_HEADER_ONLY_LINE = re.compile(r"^\s*[A-Z][\w'’. -]{1,40}\s\d{1,4}[a-z]?\s*$")  # Turfmarkt 147
_SENTENCE_END = re.compile(r"[.!?:;»”\"')][⁰¹²³⁴⁵⁶⁷⁸⁹,]*\s*$")
# A footnote line as OCR leaves it: a number, or the glyph OCR made of a small number.
_FOOTNOTE_START = re.compile(
    r"^\s{0,3}(?P<num>\d{1,3}|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}|['’‘\"“”?%*®©¢°^]{1,2}|[TIl])\s+(?P<rest>\S.*)$"
)
_NOTE_NUMBER = re.compile(r"^\s{0,3}(?P<num>\d{1,3}|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})\s*(?P<rest>\S.*)$")
_SUPERSCRIPT_START = re.compile(r"^\s{0,3}(?P<num>[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})\s*(?P<rest>\S.*)$")
_DOC_LABELS = re.compile(
    r"^\s*(nota|beslisnota|persbericht|nieuwsbericht|memo|notitie|brief|motie)\s*$", re.IGNORECASE
)
_NUMBERED_HEADING = re.compile(r"^\s*(?:\d+\.(?:\d+\.?)*|\d+\.\d+)\s+[A-Z]")
_DATE_IN_LINE = re.compile(
    r"\b\d{1,2}\s+(?:jan|feb|maa|apr|mei|jun|jul|aug|sep|okt|nov|dec)[a-z]*\.?\s+\d{4}\b",
    re.IGNORECASE,
)
_CAPITALS_TITLE = re.compile(
    r"^\s*(?:Nr\.\s*\d+\s+)?(?=(?:[A-ZÀ-Ý'’.,-]+\s+){2,})[A-ZÀ-Ý][A-ZÀ-Ý'’.,()\s-]{8,}$"
)
_SALUTATION = re.compile(r"^\s*(?:geachte|hooggeachte|beste|l\.s\.|dear)\b", re.IGNORECASE)
_QA_HEAD = re.compile(
    r"^\s*(?P<kind>vraag|antwoord)\s+(?P<n>\d{1,3})[a-z]?\s*[:.)]?\s*(?P<rest>.*)$", re.IGNORECASE
)

_VALUE_CHECKS: dict[str, re.Pattern[str]] = {
    "date_text": re.compile(r"^(?=.*\d)\S+(?:\s+\S+){0,5}$"),
    "kenmerk": re.compile(r"^(?=.*\d)[\w/.-]+(?:\s+[\w/.-]+){0,7}$"),
    "their_kenmerk": re.compile(r"^\S+(?:\s+\S+){0,7}$"),
    "attachments": re.compile(r"^\S+(?:\s+\S+){0,2}$"),
    "phone": re.compile(r"^[+\d][\d\s()-]{5,}$"),
}


def _valid_colofon_value(key: str, value: str, in_header: bool) -> bool:
    if key == "subject":
        return in_header and bool(value)
    check = _VALUE_CHECKS.get(key)
    if check is not None:
        return bool(check.match(value)) or (not value and key != "date_text")
    return len(value.split()) <= 8


def split_pages(text: MappedText, page_starts: list[int] | None = None) -> list[MappedText]:
    """Pages from form feeds, given page starts, or OCR's leading-space page openings."""
    if "\f" in text.text:
        pages, pos = [], 0
        for i, ch in enumerate(text.text):
            if ch == "\f":
                pages.append(text.slice(pos, i))
                pos = i + 1
        pages.append(text.slice(pos, len(text)))
        return pages
    if page_starts and len(page_starts) > 1:
        bounds = [*page_starts, len(text)]
        return [text.slice(a, b) for a, b in itertools.pairwise(bounds)]
    # OCR dumps open each page with one space; markdown bullets (" - a.") are no page start.
    lines = text.text.split("\n")
    openers = [i for i, ln in enumerate(lines) if re.match(r"^ (?=[^\s\-*•])(?!\d+[.)])", ln)]
    indented = sum(1 for ln in lines if ln[:1].isspace())
    if len(openers) < 2 or indented > max(len(openers) * 2, len(lines) // 10):
        return [text]
    pages, pos, offset = [], 0, 0
    opener_set = set(openers)
    for i, ln in enumerate(lines):
        if i in opener_set and offset > 0:
            pages.append(text.slice(pos, offset))
            pos = offset
        offset += len(ln) + 1
    pages.append(text.slice(pos, len(text)))
    return pages


def text_lines(page: MappedText, page_no: int) -> list[Line]:
    """The non-blank lines of a page of plain text, each knowing if a blank line preceded it."""
    out: list[Line] = []
    pos = 0
    blank = True
    for raw in page.text.split("\n"):
        end = pos + len(raw)
        if raw.strip():
            lead = len(raw) - len(raw.lstrip())
            trail = len(raw.rstrip())
            out.append(Line(page.slice(pos + lead, pos + trail), page_no, blank_before=blank))
            blank = False
        else:
            blank = True
        pos = end + 1
    return out


def _paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Runs of lines between blank lines (or gaps), never mixing roles."""
    paras: list[list[Line]] = []
    for line in lines:
        if line.blank_before or not paras or paras[-1][-1].role != line.role:
            paras.append([line])
        else:
            paras[-1].append(line)
    return paras


def _fold(text: str) -> str:
    return re.sub(r"[\s*_]+", "", text).lower()


def _is_body_like(para: list[Line]) -> bool:
    words = sum(len(ln.str.split()) for ln in para)
    return words >= 8 and any(_SENTENCE_END.search(ln.str) for ln in para)


def _joined(para: list[Line]) -> MappedText:
    builder = MappedBuilder()
    builder.append(para[0].text)
    for line in para[1:]:
        join_line(builder, line.text)
    return finish_hyphens(builder.build())


class _Reader:
    """Walks the pages once, sorting lines into furniture, colofon, body and footnotes."""

    def __init__(self, pages: list[list[Line]]) -> None:
        self.page_paras = [_paragraphs(lines) for lines in pages]
        counts = Counter(
            _fold(" ".join(ln.str for ln in para))
            for paras in self.page_paras
            for para in paras
            if para[0].role is None
        )
        self.repeated = {k for k, c in counts.items() if c >= 2 and len(k) < 120}
        self.blocks: list[Block] = []
        self.has_colofon: set[str] = set()
        self.has_dateline = False
        self.doc_label: str | None = None
        self.has_title = False
        self.last_note = 0
        """The intended number of the last footnote read."""

    # ----- emitting ----- #

    def _block(
        self, kind: BlockKind, para: list[Line], *, label: str | None = None, **extra: object
    ) -> Block:
        text = _joined(para)
        block = Block(
            kind,
            text,
            page=para[0].page,
            box=_union(para),
            font_size=para[0].size,
            label=label,
            **extra,  # type: ignore[arg-type]
        )
        self.blocks.append(block)
        return block

    def _furniture(self, lines: list[Line], reason: str) -> None:
        """Furniture lines as one block per run with the same reason, line breaks kept."""
        for label, group in itertools.groupby(lines, key=lambda ln: ln.label or reason):
            run = list(group)
            builder = MappedBuilder()
            for line in run:
                if len(builder):
                    builder.insert("\n", line.text.source_offset(0))
                builder.append(line.text)
            self.blocks.append(
                Block("furniture", builder.build(), page=run[0].page, box=_union(run), label=label)
            )

    def _colofon(self, key: str, lines: list[Line], value: MappedText) -> None:
        if key in self.has_colofon or not value.text.strip():
            self._furniture(lines, "colofon")
            return
        self.has_colofon.add(key)
        block = Block("colofon", value, page=lines[0].page, box=_union(lines), label=key)
        self.blocks.append(block)

    # ----- colofon ----- #

    def _take_colofon(self, para: list[Line], in_header: bool) -> list[Line]:
        """Emit colofon label lines (and the value under a bare label); return the rest."""
        kept: list[Line] = []
        i = 0
        while i < len(para):
            line = para[i]
            # A label opens a paragraph or follows another field, never mid-paragraph.
            match = _LABEL_LINE.match(line.str) if not kept else None
            key = COLOFON_LABELS[match.group("label").lower()] if match else ""
            value_start = match.start("value") if match else 0
            value = match.group("value").strip() if match else ""
            below = para[i + 1].str.strip() if i + 1 < len(para) else ""
            used = [line]
            value_text = line.text.slice(value_start, len(line.text)) if match else MappedText()
            if match and not value and below and _valid_colofon_value(key, below, in_header):
                used.append(para[i + 1])
                value_text = para[i + 1].text
                i += 1
            elif not (
                match and (value or not below) and _valid_colofon_value(key, value, in_header)
            ):
                match = None
            if match:
                if key == "subject":  # a subject may wrap onto the next lines
                    builder = MappedBuilder()
                    builder.append(value_text)
                    while i + 1 < len(para) and _continues_subject(para[i + 1].str):
                        join_line(builder, para[i + 1].text)
                        used.append(para[i + 1])
                        i += 1
                    value_text = finish_hyphens(builder.build())
                self._colofon(key, used, _strip(value_text))
                i += 1
                continue
            kept.append(line)
            i += 1
        return kept

    def _colofon_column(self, para: list[Line]) -> None:
        """A paragraph of the colofon column: a label with its value, or address lines."""
        match = _LABEL_LINE.match(para[0].str)
        if not match:
            self._furniture(para, "colofon")
            return
        key = COLOFON_LABELS[match.group("label").lower()]
        builder = MappedBuilder()
        first = para[0].text.slice(match.start("value"), len(para[0].text))
        rest = para[1:] if key == "subject" else para[1:2]
        if first.text.strip():
            builder.append(first)
            rest = para[1:] if key == "subject" else []
        for line in rest:
            if len(builder):
                join_line(builder, line.text)
            else:
                builder.append(line.text)
        self._colofon(key, para[: 1 + len(rest)], _strip(finish_hyphens(builder.build())))
        if len(para) > 1 + len(rest):
            self._furniture(para[1 + len(rest) :], "colofon")

    # ----- the walk ----- #

    def read(self) -> list[Block]:
        header_done = False
        n_pages = len(self.page_paras)
        last_body: Block | None = None
        for page_idx, paras in enumerate(self.page_paras):
            cleaned: list[list[Line]] = []
            notes: list[list[Line]] = []
            for para in paras:
                role = para[0].role
                if role == "furniture":
                    self._furniture(para, "furniture")
                    continue
                if role == "colofon":
                    self._colofon_column(para)
                    continue
                if role == "note":
                    notes.append(para)
                    continue
                if not self.has_dateline and _is_dateline(para[0].str):
                    self._block("dateline", para[:1])
                    self.has_dateline = True
                    para = para[1:]
                    if not para:
                        continue
                para = self._take_colofon(para, in_header=not header_done)
                if not para:
                    continue
                repeated = _fold(" ".join(ln.str for ln in para)) in self.repeated
                if role is None and repeated and not _is_body_like(para):
                    self._furniture(para, "repeated on several pages")
                    continue
                furniture = [
                    ln
                    for ln in para
                    if _FURNITURE_LINE.match(ln.str)
                    or (
                        not header_done
                        and _HEADER_ONLY_LINE.match(ln.str)
                        and not _DATE_IN_LINE.search(ln.str)
                    )
                ]
                if furniture:
                    self._furniture(furniture, "letterhead or address")
                    para = [ln for ln in para if ln not in furniture]
                if not para:
                    continue
                if not header_done:
                    if (
                        _is_body_like(para)
                        or _NUMBERED_HEADING.match(para[0].str)
                        or _SALUTATION.match(para[0].str)
                    ):
                        header_done = True
                    elif _CAPITALS_TITLE.match(" ".join(ln.str for ln in para)):
                        # "Nr. 3121 MOTIE VAN HET LID …": the stuk's title; its text follows.
                        self.has_title = True
                        self._block("title", para)
                        header_done = True
                        continue
                    else:
                        self._header(para)
                        continue
                cleaned.append(para)
            # Superscript-numbered paragraphs are footnotes wherever they stand (web copies).
            body_paras: list[list[Line]] = []
            for para in cleaned:
                if _SUPERSCRIPT_START.match(para[0].str):
                    notes.append(para)
                else:
                    body_paras.append(para)
            # A text layer's geometry finds the notes; OCR'd type sizes are too noisy to
            # trust alone, so numbered paragraphs at the page's foot count as notes too.
            measured = any(ln.role == "note" for para in notes for ln in para)
            if not measured or any(p[0].confidence is not None for p in body_paras[-1:]):
                zone = _footnote_zone_start(body_paras, page_idx == n_pages - 1)
                if n_pages > 1 or page_idx == n_pages - 1:
                    notes += body_paras[zone:]
                    body_paras = body_paras[:zone]
            for p_idx, para in enumerate(body_paras):
                if p_idx == 0:
                    joins = last_body is not None and _continues(last_body.str[-1:], para[0].str)
                else:
                    # OCR dumps leave blank lines inside sentences: "dat de\n\nTweede Kamer".
                    # With geometry only an ending no sentence can have joins across a gap
                    # (a lowercase start may be the next item of a list: "b) Datum …").
                    joins = _broken_sentence(
                        body_paras[p_idx - 1][-1].str,
                        para[0].str,
                        lowercase_joins=para[0].role is None,
                    )
                last_on_page = p_idx == len(body_paras) - 1
                heading = _is_heading(para) and not joins and not last_on_page
                kind: BlockKind = "heading" if heading else "paragraph"
                last_body = self._block(kind, para, joins_previous=joins)
            for para in sorted(notes, key=lambda para: para[0].text.source_offset(0)):
                self._footnotes(para)
            if not header_done:
                # No running text on the first page: what looked like a letterhead is the
                # text itself (a short note, an e-mail), not furniture.
                header_done = True
                for block in self.blocks:
                    if block.kind in {"letterhead", "title"} and block.label != "doc_label":
                        block.kind = "paragraph"
                        last_body = block
        return _questions_and_answers(self.blocks)

    def _header(self, para: list[Line]) -> None:
        text = " ".join(ln.str.strip() for ln in para)
        if _DOC_LABELS.match(text):
            self.doc_label = text.strip().lower()
            self._block("letterhead", para, label="doc_label")
        elif self.doc_label and not self.has_title:
            self.has_title = True
            self._block("title", para)
        else:
            self._block("letterhead", para)

    def _continues_notes(self, shown: int, *, exact: bool) -> bool:
        """Whether a printed number opens the next note (exactly, for a text layer)."""
        if exact:
            return shown == self.last_note + 1
        return _intended(shown, self.last_note) is not None

    def _count_note(self, printed: str) -> None:
        """Follow the intended numbering: the printed number where it reads as the next
        note (or one or two on), else the next number (OCR mangles small digits)."""
        shown = _number(printed)
        if shown is None:
            self.last_note += 1
        else:
            self.last_note = _intended(shown, self.last_note) or shown

    def _footnotes(self, para: list[Line]) -> None:
        """Footnote blocks from a paragraph of note lines: a new note at each numbered line."""
        # A text layer's note numbers are digits (raised ones as superscripts); OCR may
        # have read them as any glyph, as in text copies of scans.
        geometric = para[0].role == "note" and para[0].confidence is None
        superscript = bool(_SUPERSCRIPT_START.match(para[0].str))
        pattern = (
            _NOTE_NUMBER if geometric else (_SUPERSCRIPT_START if superscript else _FOOTNOTE_START)
        )
        current: list[Line] = []
        printed = ""
        rest_start = 0

        def flush() -> None:
            if not current:
                return
            first = current[0].text.slice(rest_start, len(current[0].text))
            builder = MappedBuilder()
            builder.append(first)
            for line in current[1:]:
                join_line(builder, line.text)
            self.blocks.append(
                Block(
                    "footnote",
                    finish_hyphens(builder.build()),
                    page=current[0].page,
                    box=_union(current),
                    font_size=current[0].size,
                    printed=printed,
                    label="superscript" if superscript else None,
                )
            )

        for line in para:
            match = pattern.match(line.str) or (
                _FOOTNOTE_START.match(line.str) if not geometric else None
            )
            if match and not _SUPERSCRIPT_START.match(line.str):
                # A plain number opens a note only where the numbering goes on ("31 augustus"
                # continues a note); OCR'd numbers may be misread or a note lost, so there
                # the number need only come close.
                shown = _number(match.group("num"))
                if (
                    self.last_note
                    and shown is not None
                    and not self._continues_notes(shown, exact=geometric)
                ):
                    match = None
            if match:
                flush()
                current = [line]
                printed = match.group("num")
                rest_start = match.start("rest")
                self._count_note(printed)
            elif current:
                current.append(line)
            else:  # a continuation of the previous page's last note
                previous = next((b for b in reversed(self.blocks) if b.kind == "footnote"), None)
                if previous is not None:
                    builder = MappedBuilder()
                    builder.append(previous.text)
                    join_line(builder, line.text)
                    previous.text = finish_hyphens(builder.build())
                else:
                    self._block("paragraph", [line])
        flush()


def _intended(shown: int, last: int) -> int | None:
    """The note number a printed number stands for after note `last`, or None when it
    cannot be the next note: the next one, one or two on (notes lost), the next one with
    its tens lost ("2" for 12) or its last digit misread ("8" for 6)."""
    expected = last + 1
    readings = [shown, shown + 10 * (expected // 10)] if shown < 10 else [shown]
    if expected in readings:
        return expected
    for n in readings:
        if n // 10 == expected // 10 and expected % 10 in DIGIT_CONFUSIONS.get(n % 10, ()):
            return expected
    for n in readings:
        if expected < n <= expected + 2:
            return n
    return None


DIGIT_CONFUSIONS: dict[int, frozenset[int]] = {
    8: frozenset({6, 3, 9, 0}),
    6: frozenset({8, 5}),
    5: frozenset({6, 3}),
    3: frozenset({8, 5}),
    1: frozenset({7, 4}),
    7: frozenset({1}),
    0: frozenset({8, 9}),
    9: frozenset({0, 8}),
    4: frozenset({1}),
}
"""A digit OCR printed → the digits it is often read for in small type."""


def _number(printed: str) -> int | None:
    digits = printed.translate(_SUPERSCRIPT_TO_DIGIT)
    return int(digits) if digits.isdigit() else None


def _strip(text: MappedText) -> MappedText:
    start = len(text.text) - len(text.text.lstrip())
    end = len(text.text.rstrip())
    return text.slice(start, end)


def _union(lines: list[Line]) -> Box | None:
    boxes = [ln.box for ln in lines if ln.box is not None]
    if not boxes:
        return None
    return Box(
        boxes[0].page,
        min(b.x0 for b in boxes),
        min(b.top for b in boxes),
        max(b.x1 for b in boxes),
        max(b.bottom for b in boxes),
    )


def _continues_subject(line: str) -> bool:
    """A subject wraps onto lines that are neither a label nor where the letter begins."""
    return not (_LABEL_LINE.match(line) or _SALUTATION.match(line) or _is_dateline(line))


def _footnote_zone_start(paras: list[list[Line]], last_page: bool) -> int:
    """Index of the first paragraph of the page-foot footnote zone (len(paras) if none)."""
    start = len(paras)
    for idx in range(len(paras) - 1, -1, -1):
        para = paras[idx]
        if _FOOTNOTE_START.match(para[0].str) and not _NUMBERED_HEADING.match(para[0].str):
            start = idx
            continue
        break
    if start < len(paras) and start == 0 and not last_page:
        return len(paras)  # a page of nothing but numbered lines is a list, not notes
    return start


def _is_heading(para: list[Line]) -> bool:
    """A one-line paragraph without a sentence end: a numbered or plain section heading."""
    if len(para) != 1:
        return False
    text = para[0].str.strip()
    if _NUMBERED_HEADING.match(text):
        return len(text.split()) <= 14
    return (
        len(text.split()) <= 10
        and text[:1].isupper()
        and not _SENTENCE_END.search(text)
        and not text.endswith(",")
    )


_DATELINE = re.compile(r"^\s*[A-Z][\w'’ -]{1,30},\s*\d{1,2}\s+[a-z]+\s+\d{4}\s*$")


def _is_dateline(text: str) -> bool:
    return bool(_DATELINE.match(text))


def _continues(last_char: str, next_line: str) -> bool:
    """A paragraph cut by a page break goes on when the page ended mid-sentence."""
    stripped = next_line.lstrip()
    if not stripped or not last_char:
        return False
    return last_char == "-" or not _SENTENCE_END.match(last_char) or stripped[0].islower()


# Words a Dutch sentence cannot end with: a paragraph ending in one goes on.
_FUNCTION_WORDS = frozenset(
    "de het een dat die van in op aan met voor door bij naar om over tot uit en of maar "
    "als te zijn is wordt worden heeft hebben zal zullen kan kunnen".split()
)


def _broken_sentence(previous_line: str, next_line: str, *, lowercase_joins: bool = True) -> bool:
    words = previous_line.split()
    if not words or _SENTENCE_END.search(previous_line):
        return False
    if words[-1].lower() in _FUNCTION_WORDS:
        return True
    return lowercase_joins and next_line.lstrip()[:1].islower()


def _questions_and_answers(blocks: list[Block]) -> list[Block]:
    """Kamervragen: "Vraag 3" opens question 3, "Antwoord 3" its answer; the paragraphs
    that follow belong to it until the next head."""
    current: tuple[BlockKind, int] | None = None
    if not any(b.kind in {"paragraph", "heading"} and _QA_HEAD.match(b.str) for b in blocks):
        return blocks
    for block in blocks:
        if block.kind not in {"paragraph", "heading"}:
            continue
        head = _QA_HEAD.match(block.str)
        if head:
            kind: BlockKind = "question" if head.group("kind").lower() == "vraag" else "answer"
            current = (kind, int(head.group("n")))
        if current is not None:
            block.kind, block.n = current
    return blocks


def layout_lines(pages: list[list[Line]]) -> list[Block]:
    """Pages of lines → blocks: furniture, colofon fields, body, footnotes, in reading order."""
    return _Reader(pages).read()


def layout_text(text: MappedText, page_starts: list[int] | None = None) -> list[Block]:
    """Plain layout text (form feeds between pages, blank lines between paragraphs) → blocks."""
    pages = split_pages(text, page_starts)
    return layout_lines([text_lines(page, i + 1) for i, page in enumerate(pages)])
