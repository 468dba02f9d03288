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
from dataclasses import dataclass, replace
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
    "subject": "subject",  # an e-mail's header, as Woo releases print it
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


# A trema marks a syllable break inside a word, so no Dutch word begins with one: "ge
# ïnformeerd" is a tool's spacing of a letter drawn apart in the PDF ("geïnformeerd").
_TREMA_GAP = re.compile(r" (?<=[^\W\d_] )(?=[äëïöü][^\W\d_])")


def _close_trema_gaps(text: MappedText) -> MappedText:
    gaps = {m.start() for m in _TREMA_GAP.finditer(text.text)}
    if not gaps:
        return text
    keep = [i for i in range(len(text.text)) if i not in gaps]
    return MappedText("".join(text.text[i] for i in keep), [text.source[i] for i in keep])


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
            line = _close_trema_gaps(page.slice(pos + lead, pos + trail))
            out.append(Line(line, page_no, blank_before=blank))
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


_FOLDED_AWAY = re.compile(r"[\s*_]+")
_PAGE_NUMBER_AT_END = re.compile(r"\s+\d{1,4}\s*$")


def _fold(text: str) -> str:
    return _FOLDED_AWAY.sub("", text).lower()


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
        self.pages = pages
        self.foot_forms = _foot_forms(pages)
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
            lines = self.pages[page_idx]
            if lines and all(ln.role is None and ln.confidence is None for ln in lines):
                paras = _paragraphs(_text_copy_notes(lines, self.last_note + 1, self.foot_forms))
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
                        and not _QA_HEAD.match(ln.str)
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
            for para in sorted(notes, key=_source_order):
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

    def _lone_numbers_joined(self, para: list[Line], *, exact: bool) -> list[Line]:
        """A note number set on a line of its own (raised above its note's first line)
        joined to that line, where it goes on with the note numbering."""
        out: list[Line] = []
        expected = self.last_note
        i = 0
        while i < len(para):
            line = para[i]
            lone = _LONE_NOTE_NUMBER.match(line.str)
            shown = _number(lone.group(1)) if lone else None
            if (
                shown is not None
                and i + 1 < len(para)
                and (shown == expected + 1 or (not exact and _intended(shown, expected)))
            ):
                joined = _prefixed(line, para[i + 1]).text
                out.append(replace(line, text=joined, box=_union([line, para[i + 1]])))
                expected = shown
                i += 2
                continue
            numbered = _NOTE_NUMBER.match(line.str)
            if numbered and _number(numbered.group("num")) == expected + 1:
                expected += 1
            out.append(line)
            i += 1
        return out

    def _footnotes(self, para: list[Line]) -> None:
        """Footnote blocks from a paragraph of note lines: a new note at each numbered line."""
        # A text layer's note numbers are digits (raised ones as superscripts); OCR may
        # have read them as any glyph, as in text copies of scans.
        geometric = para[0].role == "note" and para[0].confidence is None
        superscript = bool(_SUPERSCRIPT_START.match(para[0].str))
        pattern = (
            _NOTE_NUMBER if geometric else (_SUPERSCRIPT_START if superscript else _FOOTNOTE_START)
        )
        para = self._lone_numbers_joined(para, exact=geometric)
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


# ----- text copies: note zones that another tool flattened ----- #

# Lines of an official publication's foot as text copies keep them: "Pagina 2 van 9"
# (spaced apart by Word-made PDFs), the publication's own id and ISSN, the imprint
# ("’s-Gravenhage 2024"), and the "Tweede Kamer, vergaderjaar …" footer.
_FOOT_LINE = re.compile(
    r"""(?:^|\s)(?:
        p\s?a\s?g\s?i\s?n\s?a\s+\d+\s+van\s+\d+
      | (?:a?h|kst|stb|stcrt)-(?:tk|ek)?-?\d{4,8}(?:-[\w]{1,6}){1,3}
      | issn\s+\d{4}\s*-\s*\d{3}[\dx]
      | [’'‘]s-gravenhage\s+\d{4}
      | (?:tweede|eerste)\s+kamer,\s+vergaderjaar\s+\d{4}\s*[–-]\s*\d{4}
        (?:,\s*[\w\s]{1,40}?)?(?:\s+\d{1,4})?
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_LONE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
_LONE_NOTE_NUMBER = re.compile(r"^\s*(\d{1,3}|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})\s*$")
_NUMBERED_LINE = re.compile(r"^\s*(\d{1,3})\s+(?=\S)")
_NOTE_TEXT_END = re.compile(r"[.)\]>\d]\s*$")


def _foot_forms(pages: list[list[Line]]) -> set[str]:
    """Footer lines repeated at the foot of several pages, page numbers folded away."""
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update(
            {_foot_form(ln.str) for ln in lines[-3:] if not _FOOTNOTE_START.match(ln.str)}
        )
    return {form for form, c in counts.items() if c >= 2 and len(form) >= 10}


def _foot_form(text: str) -> str:
    return _fold(_PAGE_NUMBER_AT_END.sub("", text))  # the page number folded away


def _is_foot_line(line: Line, forms: set[str]) -> bool:
    if _FOOT_LINE.search(line.str):
        return True
    if not forms:
        return False
    folded = _foot_form(line.str)
    return any(folded.endswith(form) for form in forms)


def _prefixed(number: Line, text: Line) -> Line:
    """A note's number line and its first text line as one line "N text"."""
    builder = MappedBuilder()
    builder.append(_strip(number.text))
    builder.insert(" ", text.text.source_offset(0))
    builder.append(text.text)
    return Line(builder.build(), text.page, blank_before=True)


def _text_copy_notes(lines: list[Line], next_note: int, forms: set[str]) -> list[Line]:
    """The lines of one page of a text copy with its footnote zone made explicit.

    pdftotext and pdfminer keep a page's notes at its foot but lose what told them
    apart: the blank line before the zone, the number beside each note (set on a
    line of its own, before, after or between the note texts), the footer after
    them. Where the page's foot holds exactly the next note numbers, each note
    becomes its own paragraph "N text"; the publication's foot lines become
    furniture. A page whose foot does not continue the note numbering is left as it is.
    """
    last = len(lines) - 1
    is_foot = [
        _is_foot_line(ln, forms) or (i == last and bool(_LONE_NUMBER.match(ln.str)))
        for i, ln in enumerate(lines)
    ]
    foot = [
        Line(ln.text, ln.page, ln.blank_before, role="furniture", label="publication footer")
        for ln, f in zip(lines, is_foot, strict=True)
        if f
    ]
    body = [ln for ln, f in zip(lines, is_foot, strict=True) if not f]
    zone = _numbered_notes(body, next_note) or _column_notes(body, next_note)
    if zone is None:
        return body + foot
    start, notes, numbers = zone
    text = " ".join(ln.str for ln in body[:start])
    if not all(_marked(text, n) for n in range(next_note, next_note + numbers)):
        return body + foot  # a numbered list: the page's text marks no such notes
    return body[:start] + notes + foot


# Words after which a number counts or labels something ("de 2", "vraag 6", "nr. 3"),
# so that it is no footnote marker set apart from its word.
BEFORE_A_COUNT = frozenset(
    "de het een der den des van in op aan met voor door bij naar om over tot uit en of "
    "als te per circa ca. ongeveer ruim bijna zo'n zo’n nog alle ook dan maar "
    "vraag vragen antwoord artikel artikelen lid leden nr nr. nummer nummers paragraaf "
    "hoofdstuk bijlage figuur tabel fase stap punt punten onderdeel categorie niveau "
    "pagina blz. p. versie week dag jaar maand regel item agendapunt motie".split()
)
_CLOSERS = '.,;:!?)’”"»›'


def _marked(text: str, n: int) -> bool:
    """Whether running text shows a marker for note n: the number glued to a word or a
    year ("kade?4", "20222"), or set apart after a word that counts nothing ("2022 2 is")."""
    glued = re.compile(rf"(?:.*[^\W\d_]|(?:19|20)\d\d)[{re.escape(_CLOSERS)}]{{0,3}}{n}[.,;:?!)]?")
    spaced = re.compile(rf"{n}[.,;:?!)]?")
    tokens = text.split()
    for i, token in enumerate(tokens):
        if glued.fullmatch(token):
            return True
        if i and spaced.fullmatch(token):
            word = tokens[i - 1]
            if word.lower() in BEFORE_A_COUNT or word[-1] in ".,;:!?":
                continue
            if word[-1].isalpha() or word[-1] in _CLOSERS or re.fullmatch(r"(?:19|20)\d\d", word):
                return True
    return False


def _numbered_notes(lines: list[Line], next_note: int) -> tuple[int, list[Line], int] | None:
    """Notes written "N text" on consecutive lines (pdfminer): the earliest line from
    which every numbered line goes on with the next note number."""
    numbered = [
        (i, int(m.group(1)))
        for i, ln in enumerate(lines)
        if i > 0 and (m := _NUMBERED_LINE.match(ln.str)) and not _DATE_IN_LINE.match(ln.str)
    ]
    if not numbered or numbered[-1][0] < len(lines) - 8:
        return None  # the last note stands near the page's foot, not above its text
    best = None
    for k in range(len(numbered) - 1, -1, -1):
        tail = numbered[k:]
        if [n for _, n in tail] != list(range(next_note, next_note + len(tail))):
            continue
        if any(b - a > 6 for (a, _), (b, _) in itertools.pairwise(tail)):
            continue
        best = k
    if best is None:
        return None
    start = numbered[best][0]
    starts = {i for i, _ in numbered[best:]}
    out = [
        Line(ln.text, ln.page, blank_before=i in starts or ln.blank_before)
        for i, ln in enumerate(lines[start:], start)
    ]
    return start, out, len(starts)


def _column_notes(lines: list[Line], next_note: int) -> tuple[int, list[Line], int] | None:
    """Notes whose numbers stand on lines of their own (pdftotext).

    The numbers at the page's foot are the next note numbers; the texts stand in
    reading order, so the numbers in order pair with them in order. Where the tool
    put them is not fixed: each number before its text, all numbers in a column
    before or after the texts, or some before their texts and the rest after the
    last one. A number (or a run of numbers) that a text follows opens the notes
    from its lowest number on; the texts up to the next such opening hold as many
    notes as the numbers in between say; texts before the first opening are counted
    upwards from it, up to where the zone starts.
    """
    lone = [(i, int(m.group(1))) for i, ln in enumerate(lines) if (m := _LONE_NUMBER.match(ln.str))]
    latest = {n: i for i, n in lone}  # a number's last line: the foot, not the head
    picked: list[int] = []
    while next_note + len(picked) in latest:
        index = latest[next_note + len(picked)]
        if picked and min(abs(index - i) for i in picked) > 12:
            break  # far from the other numbers: not in the same note zone
        picked.append(index)
    if not picked:
        return None
    picked_set = set(picked)
    if any(
        _LONE_NUMBER.match(ln.str)
        for i, ln in enumerate(lines)
        if i > min(picked) and i not in picked_set
    ):
        return None
    last_note = next_note + len(picked) - 1
    # Runs of number lines that a text line follows: each opens the notes from its
    # lowest number on.
    openings: list[tuple[int, int, int]] = []  # (first and last line of the run, first note)
    i = min(picked)
    while i < len(lines):
        if i not in picked_set:
            i += 1
            continue
        run = [i]
        while run[-1] + 1 in picked_set:
            run.append(run[-1] + 1)
        if run[-1] + 1 < len(lines):
            openings.append((run[0], run[-1], min(int(lines[j].str) for j in run)))
        i = run[-1] + 1
    if [n for *_, n in openings] != sorted({n for *_, n in openings}):
        return None  # openings out of order: not one note zone
    # Before the first opening (or the trailing numbers): as many texts as notes
    # below its number, counted upwards.
    start = openings[0][0] if openings else min(picked)
    before = (openings[0][2] if openings else last_note + 1) - next_note
    units: list[list[Line]] = []
    if before:
        found = 0
        top = None
        for j in range(start - 1, -1, -1):
            if j in picked_set:
                continue
            if not _goes_on(lines, j, picked_set):
                found += 1
                if found == before:
                    top = j
                    break
        if top is None or top == 0:
            return None
        units += _units_by_starts(lines, top, start, picked_set)
        if len(units) != before:
            return None
        start = top
    bounds = [*openings, (len(lines), len(lines), last_note + 1)]
    for (_, index, first), (nxt, _, following) in itertools.pairwise(bounds):
        segment = [lines[j] for j in range(index + 1, nxt) if j not in picked_set]
        wanted = following - first
        if wanted < 1 or len(segment) < wanted:
            return None
        units += _split_units(segment, wanted)
    start = min(start, min(picked))  # the zone opens with its first text or number
    if start == 0 or len(units) != len(picked):
        return None
    numbers = [lines[i] for i in sorted(picked, key=lambda i: int(lines[i].str))]
    out = []
    for number, text in zip(numbers, units, strict=True):
        out.append(_prefixed(number, text[0]))
        out.extend(Line(ln.text, ln.page) for ln in text[1:])
    return start, out, len(picked)


def _units_by_starts(lines: list[Line], top: int, end: int, numbers: set[int]) -> list[list[Line]]:
    """The note texts in lines[top:end], a new one wherever a line does not go on."""
    units: list[list[Line]] = []
    for j in range(top, end):
        if j in numbers:
            continue
        if units and _goes_on(lines, j, numbers):
            units[-1].append(lines[j])
        else:
            units.append([lines[j]])
    return units


def _split_units(segment: list[Line], wanted: int) -> list[list[Line]]:
    """Consecutive lines that hold `wanted` note texts, cut where a note most
    plausibly ends: after a line that closes a reference or a sentence, before a
    line that opens with a capital, a digit or a web address."""
    if wanted == 1:
        return [segment]

    def score(k: int) -> int:  # the cut before segment[k]
        above, below = segment[k - 1].str.rstrip(), segment[k].str.lstrip()
        value = 0
        if _NOTE_TEXT_END.search(above):
            value += 2
        if above.endswith("-"):
            value -= 2
        if below.startswith(("http", "www.")) or below[:1].isupper() or below[:1].isdigit():
            value += 1
        elif below[:1].islower():
            value -= 2
        if segment[k].blank_before:
            value += 2
        return value

    cuts = sorted(sorted(range(1, len(segment)), key=lambda k: (-score(k), k))[: wanted - 1])
    bounds = [0, *cuts, len(segment)]
    return [segment[a:b] for a, b in itertools.pairwise(bounds)]


def _source_order(para: list[Line]) -> int:
    """Where a paragraph's text ends in the source: a text copy may have set a note's
    number far from its text, so the number's place does not order the notes."""
    last = para[-1].text
    return last.source_offset(max(len(last) - 1, 0))


def _goes_on(lines: list[Line], i: int, numbers: set[int]) -> bool:
    """Line i continues the note text on the line above it: no note number or blank
    line between, no note ending there, a lowercase start that opens no web address."""
    text = lines[i].str.lstrip()
    return (
        i > 0
        and (i - 1) not in numbers
        and not lines[i].blank_before
        and not _NOTE_TEXT_END.search(lines[i - 1].str)
        and text[:1].islower()
        and not text.startswith(("http", "www."))
    )


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
    blocks = [part for block in blocks for part in _split_at_inner_heads(block)]
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


# "… vergroten? Antwoord 5 Omdat …": a copy that joined a question and its answer into one
# paragraph; a capitalised head after a sentence end opens the next part.
# A footnote marker may stand between the sentence end and the head ("…?2 Antwoord 2").
_INNER_QA_HEAD = re.compile(
    r"(?:(?<=[.?!:;»”\"')])|(?<=[.?!»”\"')]\d)|(?<=[.?!»”\"')]\d\d))"
    r"\s+(?=(?:Vraag|Antwoord)\s+\d{1,3}[a-z]?\b)"
)


def _split_at_inner_heads(block: Block) -> list[Block]:
    """A paragraph holding several question/answer heads, split before each of them."""
    if block.kind not in {"paragraph", "heading"}:
        return [block]
    cuts = [m.end() for m in _INNER_QA_HEAD.finditer(block.str)]
    if not cuts:
        return [block]
    bounds = [0, *cuts, len(block.str)]
    parts = []
    for start, end in itertools.pairwise(bounds):
        piece = block.text.slice(start, end)
        trailing = len(piece.text) - len(piece.text.rstrip())
        if trailing:
            piece = piece.slice(0, len(piece.text) - trailing)
        parts.append(replace(block, text=piece, joins_previous=block.joins_previous and not start))
    return parts


def layout_lines(pages: list[list[Line]]) -> list[Block]:
    """Pages of lines → blocks: furniture, colofon fields, body, footnotes, in reading order."""
    return _Reader(pages).read()


def layout_text(text: MappedText, page_starts: list[int] | None = None) -> list[Block]:
    """Plain layout text (form feeds between pages, blank lines between paragraphs) → blocks."""
    pages = split_pages(text, page_starts)
    return layout_lines([text_lines(page, i + 1) for i, page in enumerate(pages)])
