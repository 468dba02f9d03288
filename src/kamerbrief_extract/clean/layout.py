"""From layout text to a clean body, footnotes and colofon fields.

Letters arrive with their page furniture: a letterhead, a right-hand colofon
column that the conversion repeats on every page ("Datum", "Ons kenmerk"),
footnotes at the foot of each page, OCR page breaks. Extractors must see only
the running text, and must know which words the author footnoted. This module
reads lines, sets the furniture aside (keeping the colofon as metadata), and
hands the body and footnote blocks to `footnotes.py`.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from kamerbrief_extract.clean.hyphenation import join_hyphenated
from kamerbrief_extract.offsets import MappedBuilder, MappedText

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_TO_DIGIT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")


def superscript_value(text: str) -> int:
    return int(text.translate(_SUPERSCRIPT_TO_DIGIT))


# Colofon labels as they stand in the right-hand column of Rijksoverheid letters.
COLOFON_LABELS: dict[str, str] = {
    "datum": "date_text",
    "ons kenmerk": "kenmerk",
    "kenmerk": "kenmerk",
    "uw kenmerk": "their_kenmerk",
    "uw brief": "their_letter",
    "onderwerp": "subject",
    "betreft": "subject",
    "bijlage(n)": "attachments",
    "bijlagen": "attachments",
    "bijlage": "attachments",
    "contactpersoon": "contact",
    "behandeld door": "contact",
    "doorkiesnummer": "phone",
    "telefoon": "phone",
    "e-mail": "email",
    "retouradres": "return_address",
    "referentie": "kenmerk",
}
_LABEL_LINE = re.compile(
    r"^\s*(?P<label>"
    + "|".join(re.escape(k) for k in sorted(COLOFON_LABELS, key=len, reverse=True))
    + r")\b[:\s]*(?P<value>.*)$",
    re.IGNORECASE,
)
# Letterhead and address lines; never running text.
_FURNITURE_LINE = re.compile(
    r"""^\s*(?:
        retouradres\b | postbus\s+\d+ | aan\s+de\s+voorzitter\b | der\s+staten-generaal\s*$
      | \d{4}\s?[A-Z]{2}(?:\s+\S+){1,3}\s*$            # 2500 EA DEN HAAG
      | (?:www\.|https?://)\S+\s*$
      | (?:t|tel|f|fax)\.?\s*[+\d][\d\s-]{7,}$
      | bij\s+beantwoording\b | wilt\s+u\s+slechts\b | en\s+ons\s+kenmerk\s+vermelden
      | brief\s+behandelen\.?\s*$ | pagina\s+\d+\s+van\s+\d+\s*$ | -\s*\d+\s*-\s*$ | \d+\s*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Lines that are furniture only in the letterhead, before the running text starts.
_HEADER_ONLY_LINE = re.compile(r"^\s*[A-Z][\w'’. -]{1,40}\s\d{1,4}[a-z]?\s*$")  # Turfmarkt 147
_SENTENCE_END = re.compile(r"[.!?:;»”\"')]\s*$")
# A footnote line as OCR leaves it: a number, or the glyph OCR made of a small number.
_FOOTNOTE_START = re.compile(
    r"^\s{0,3}(?P<num>\d{1,3}|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}|['’‘\"“”?%*®©¢°^]{1,2}|[TIl])\s+(?P<rest>\S.*)$"
)
_SUPERSCRIPT_START = re.compile(r"^\s{0,3}(?P<num>[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})\s*(?P<rest>\S.*)$")
_DOC_LABELS = re.compile(
    r"^\s*(nota|beslisnota|persbericht|nieuwsbericht|memo|notitie|brief|motie)\s*$", re.IGNORECASE
)
_NUMBERED_HEADING = re.compile(r"^\s*(?:\d+\.(?:\d+\.?)*|\d+\.\d+)\s+[A-Z]")


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


@dataclass(slots=True)
class Line:
    text: MappedText
    page: int
    blank_before: bool = False

    @property
    def str(self) -> str:
        return self.text.text


@dataclass(slots=True)
class FootnoteBlock:
    """A footnote's text as found, with the number as printed (maybe mangled)."""

    printed: str
    text: MappedText
    page: int
    superscript: bool


@dataclass(slots=True)
class Layout:
    body: MappedText
    body_pages: list[int]  # clean-body offset where each page starts
    footnote_blocks: list[FootnoteBlock]
    colofon: dict[str, str] = field(default_factory=dict)
    header_lines: list[str] = field(default_factory=list)
    doc_label: str | None = None
    title: str | None = None
    dateline: str | None = None
    closing_lines: list[str] = field(default_factory=list)


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


def _lines(page: MappedText, page_no: int) -> list[Line]:
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
    paras: list[list[Line]] = []
    for line in lines:
        if line.blank_before or not paras:
            paras.append([line])
        else:
            paras[-1].append(line)
    return paras


def _fold(text: str) -> str:
    return re.sub(r"[\s*_]+", "", text).lower()


def _is_body_like(para: list[Line]) -> bool:
    words = sum(len(ln.str.split()) for ln in para)
    return words >= 8 and any(_SENTENCE_END.search(ln.str) for ln in para)


class _Reader:
    """Walks the pages once, sorting lines into furniture, colofon, body and footnotes."""

    def __init__(self, pages: list[MappedText]) -> None:
        self.pages = pages
        self.layout = Layout(MappedText(), [], [])
        self.page_paras = [_paragraphs(_lines(p, i + 1)) for i, p in enumerate(pages)]
        counts = Counter(
            _fold(" ".join(ln.str for ln in para)) for paras in self.page_paras for para in paras
        )
        self.repeated = {k for k, c in counts.items() if c >= 2 and len(k) < 120}

    def _take_colofon(self, para: list[Line], in_header: bool) -> list[Line]:
        """Remove colofon label lines (and the value line under a bare label); keep the rest."""
        kept: list[Line] = []
        i = 0
        while i < len(para):
            line = para[i]
            match = _LABEL_LINE.match(line.str)
            key = COLOFON_LABELS[match.group("label").lower()] if match else ""
            value = match.group("value").strip() if match else ""
            below = para[i + 1].str.strip() if i + 1 < len(para) else ""
            if match and not value and _valid_colofon_value(key, below, in_header):
                value = below
                i += 1
            elif not (match and _valid_colofon_value(key, value, in_header)):
                match = None
            if match:
                if key == "subject":  # a subject may wrap onto the next lines
                    while i + 1 < len(para) and not _LABEL_LINE.match(para[i + 1].str):
                        value += " " + para[i + 1].str.strip()
                        i += 1
                self.layout.colofon.setdefault(key, value)
                i += 1
                continue
            kept.append(line)
            i += 1
        return kept

    def _footnote_zone_start(self, paras: list[list[Line]], last_page: bool) -> int:
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

    def read(self) -> Layout:
        body = MappedBuilder()
        body_pages: list[int] = []
        header_done = False
        n_pages = len(self.page_paras)
        for page_idx, paras in enumerate(self.page_paras):
            body_pages.append(len(body))
            cleaned: list[list[Line]] = []
            for para in paras:
                folded = _fold(" ".join(ln.str for ln in para))
                if not self.layout.dateline and _is_dateline(para[0].str):
                    self.layout.dateline = para[0].str.strip()
                    para = para[1:]
                para = self._take_colofon(para, in_header=not header_done)
                if folded in self.repeated and not _is_body_like(para):
                    continue
                para = [
                    ln
                    for ln in para
                    if not _FURNITURE_LINE.match(ln.str)
                    and not (not header_done and _HEADER_ONLY_LINE.match(ln.str))
                ]
                if not para:
                    continue
                if not header_done:
                    if _is_body_like(para) or _NUMBERED_HEADING.match(para[0].str):
                        header_done = True
                    else:
                        text = " ".join(ln.str.strip() for ln in para)
                        self.layout.header_lines.append(text)
                        if _DOC_LABELS.match(text):
                            self.layout.doc_label = text.strip().lower()
                        elif self.layout.doc_label and self.layout.title is None:
                            self.layout.title = text
                        continue
                cleaned.append(para)
            # Superscript-numbered paragraphs are footnotes wherever they stand (web copies).
            body_paras: list[list[Line]] = []
            for para in cleaned:
                if _SUPERSCRIPT_START.match(para[0].str):
                    self._add_footnotes(para, superscript=True)
                else:
                    body_paras.append(para)
            zone = self._footnote_zone_start(body_paras, page_idx == n_pages - 1)
            if n_pages > 1 or page_idx == n_pages - 1:
                for para in body_paras[zone:]:
                    self._add_footnotes(para, superscript=False)
                body_paras = body_paras[:zone]
            for p_idx, para in enumerate(body_paras):
                if p_idx == 0:
                    joins_previous = len(body) > 0 and _continues(body.last_char(), para[0].str)
                else:  # OCR leaves blank lines inside sentences: "dat de\n\nTweede Kamer"
                    joins_previous = _broken_sentence(body_paras[p_idx - 1][-1].str, para[0].str)
                if len(body) > 0:
                    if joins_previous:
                        _join_line(body, para[0].text)
                        rest = para[1:]
                    else:
                        body.insert("\n\n", para[0].text.source_offset(0))
                        rest = para
                else:
                    rest = para
                if rest is para:
                    body.append(para[0].text)
                    rest = para[1:]
                for line in rest:
                    _join_line(body, line.text)
                    self.layout.closing_lines = [ln.str for para in body_paras[-3:] for ln in para]
        self.layout.body = _finish_hyphens(body.build())
        self.layout.body_pages = body_pages
        return self.layout

    def _add_footnotes(self, para: list[Line], *, superscript: bool) -> None:
        pattern = _SUPERSCRIPT_START if superscript else _FOOTNOTE_START
        current: FootnoteBlock | None = None
        builder: MappedBuilder | None = None
        for line in para:
            match = pattern.match(line.str)
            if match:
                if current is not None and builder is not None:
                    current.text = _finish_hyphens(builder.build())
                    self.layout.footnote_blocks.append(current)
                builder = MappedBuilder()
                rest_start = match.start("rest")
                builder.append(line.text.slice(rest_start, len(line.text)))
                current = FootnoteBlock(match.group("num"), MappedText(), line.page, superscript)
            elif builder is not None:
                _join_line(builder, line.text)
        if current is not None and builder is not None:
            current.text = _finish_hyphens(builder.build())
            self.layout.footnote_blocks.append(current)


_DATELINE = re.compile(r"^\s*[A-Z][\w'’ -]{1,30},\s*\d{1,2}\s+[a-z]+\s+\d{4}\s*$")


def _is_dateline(text: str) -> bool:
    return bool(_DATELINE.match(text))


def _continues(last_char: str, next_line: str) -> bool:
    """A paragraph cut by a page break goes on when the page ended mid-sentence."""
    stripped = next_line.lstrip()
    if not stripped:
        return False
    return last_char == "-" or not _SENTENCE_END.match(last_char) or stripped[0].islower()


# Words a Dutch sentence cannot end with: a paragraph ending in one goes on.
_FUNCTION_WORDS = frozenset(
    "de het een dat die van in op aan met voor door bij naar om over tot uit en of maar "
    "als te zijn is wordt worden heeft hebben zal zullen kan kunnen".split()
)


def _broken_sentence(previous_line: str, next_line: str) -> bool:
    words = previous_line.split()
    if not words or _SENTENCE_END.search(previous_line):
        return False
    return words[-1].lower() in _FUNCTION_WORDS or next_line.lstrip()[:1].islower()


def _join_line(builder: MappedBuilder, line: MappedText) -> None:
    """Append a line to running text: a space, or nothing after a line-end hyphen marker."""
    if builder.last_char() == "-":
        builder.insert("\u0000", line.source_offset(0))  # resolved by _finish_hyphens
    else:
        builder.insert(" ", line.source_offset(0))
    builder.append(line)


_HYPHEN_JOIN = re.compile(r"(?P<left>[\w'’]+)-\u0000(?P<right>[\w'’/]+)")


def _finish_hyphens(mapped: MappedText) -> MappedText:
    """Resolve line-end hyphens (marked with NUL by `_join_line`) by Dutch spelling rules."""
    if "\u0000" not in mapped.text:
        return mapped
    out = MappedBuilder()
    pos = 0
    for match in _HYPHEN_JOIN.finditer(mapped.text):
        left_s, left_e = match.span("left")
        right_s, right_e = match.span("right")
        joined = join_hyphenated(match.group("left"), match.group("right"))
        out.append(mapped.slice(pos, left_s))
        # Copy characters of the joined form from the source where they match it.
        left, right = match.group("left"), match.group("right")
        if joined == left + right:
            out.append(mapped.slice(left_s, left_e))
            out.append(mapped.slice(right_s, right_e))
        elif joined == f"{left}-{right}":
            out.append(mapped.slice(left_s, left_e + 1))
            out.append(mapped.slice(right_s, right_e))
        elif joined == f"{left}- {right}":
            out.append(mapped.slice(left_s, left_e + 1))
            out.insert(" ", mapped.source_offset(right_s))
            out.append(mapped.slice(right_s, right_e))
        else:  # a trema restored on the first letter of the right part
            out.append(mapped.slice(left_s, left_e))
            out.insert(joined[len(left)], mapped.source_offset(right_s))
            out.append(mapped.slice(right_s + 1, right_e))
        pos = right_e
    out.append(mapped.slice(pos, len(mapped)))
    result = out.build()
    if "\u0000" in result.text:  # a hyphen before a non-word: keep the hyphen, drop the marker
        keep = [i for i, ch in enumerate(result.text) if ch != "\u0000"]
        result = MappedText("".join(result.text[i] for i in keep), [result.source[i] for i in keep])
    return result


def read_layout(text: MappedText, page_starts: list[int] | None = None) -> Layout:
    """Split layout text into body, footnote blocks and colofon fields."""
    return _Reader(split_pages(text, page_starts)).read()
