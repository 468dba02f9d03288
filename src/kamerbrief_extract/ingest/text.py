"""Plain-text and markdown copies of letters.

The files researchers have are OCR dumps, web copies and markdown conversions in
whatever encoding the tool that wrote them used. We decode strictly where we can
and say which encoding we settled on, so a cp1252 file is read, not mangled.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from kamerbrief_extract.document import Document, content_outside_furniture, non_space_offsets
from kamerbrief_extract.ingest.errors import IngestError
from kamerbrief_extract.layout.engine import layout_text
from kamerbrief_extract.offsets import MappedText, substitute

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""A letter is tens of kilobytes; a 20 MB 'text' is a dump, not a document."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_bytes(data: bytes, path: Path | str) -> tuple[str, str]:
    """Decode a text file; returns (text, encoding). Binary data is refused."""
    if not data.strip():
        raise IngestError(path, "decode", "file is empty")
    utf16 = _utf16_encoding(data)
    if utf16 is not None:
        try:
            text = data.decode(utf16).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise IngestError(path, "decode", f"not valid {utf16}: {exc.reason}") from None
        return text, utf16
    sample = data[:65536]
    if b"\x00" in sample:
        raise IngestError(path, "decode", "file contains NUL bytes: binary, not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text, encoding = data.decode("latin-1"), "latin-1"
    controls = len(_CONTROL.findall(text[:65536]))
    if controls > max(8, len(text[:65536]) // 100):
        raise IngestError(path, "decode", f"{controls} control characters: binary, not text")
    return text, encoding


def _utf16_encoding(data: bytes) -> str | None:
    """'utf-16' for a file with a UTF-16 byte-order mark, or whose every other byte is NUL
    as in UTF-16 text of Latin script (Windows tools write it without a mark)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[:4096]
    if len(sample) >= 16:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "utf-16-be"
    return None


_MARKDOWN_EMPHASIS = re.compile(r"(?<![\w*])(\*\*|__|\*|_)(?=\S)|(?<=\S)(\*\*|__|\*|_)(?![\w*])")
_MARKDOWN_LINE_PREFIX = re.compile(r"^(?:>\s?|#{1,6}\s+)", re.MULTILINE)
_MARKDOWN_ESCAPE = re.compile(r"\\(?P<keep>[\\`*_{}\[\]()#+\-.!])")


# Converters of PDFs to markdown write a raised footnote number as "[3]" or "[4 5 ]" glued
# to the word, an ordinal's raised letters as "11[e ]", and a page break as a rule.
_BRACKET_MARKERS = re.compile(r"\[(?<=[^\s\[(]\[)(?P<n>\d{1,3}(?:[ ,]+\d{1,3})*) ?\](?![(\[])")
_BRACKET_ORDINAL = re.compile(r"\[(?<=\d\[)(?P<keep>[a-z]{1,3}) ?\]")
_PAGE_RULE = re.compile(r"^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$", re.MULTILINE)
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _superscript_markers(match: re.Match[str]) -> str:
    return ",".join(n.translate(_SUPERSCRIPT) for n in re.split(r"[ ,]+", match["n"]) if n)


def strip_markdown(mapped: MappedText) -> MappedText:
    """Drop emphasis markers, quote and heading prefixes; keep the words and their offsets.
    Bracketed raised numbers become superscript markers, rules between pages page breaks."""
    mapped = substitute(mapped, _MARKDOWN_LINE_PREFIX, "")
    mapped = substitute(mapped, _MARKDOWN_EMPHASIS, "")
    mapped = substitute(mapped, _BRACKET_MARKERS, _superscript_markers)
    mapped = substitute(mapped, _BRACKET_ORDINAL, "")
    mapped = substitute(mapped, _PAGE_RULE, "\f")
    return substitute(mapped, _MARKDOWN_ESCAPE, "")


def looks_like_markdown(text: str) -> bool:
    return bool(re.search(r"\*\*\S|^#{1,6} |^> ", text, re.MULTILINE))


_LINE_BREAKS = re.compile(r"\r\n?|\u2028|\u2029")
_SPACES = re.compile(r"[\u00a0\u2007\u202f\t]")


def normalise(mapped: MappedText) -> MappedText:
    """One newline convention, plain spaces; NFC so that ë is one character."""
    mapped = substitute(mapped, _LINE_BREAKS, "\n")
    mapped = substitute(mapped, _SPACES, " ")
    if not unicodedata.is_normalized("NFC", mapped.text):
        # Composition only merges characters; map each composed char to its first source char.
        out: list[str] = []
        src: list[int] = []
        buf, buf_src = "", -1
        for ch, s in zip(mapped.text, mapped.source, strict=True):
            if buf and unicodedata.combining(ch):
                buf += ch
                continue
            if buf:
                composed = unicodedata.normalize("NFC", buf)
                out.append(composed)
                src.extend([buf_src] * len(composed))
            buf, buf_src = ch, s
        if buf:
            composed = unicodedata.normalize("NFC", buf)
            out.append(composed)
            src.extend([buf_src] * len(composed))
        mapped = MappedText("".join(out), src)
    return mapped


def read_text_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, Document]:
    """Read a .txt/.md letter. Returns the decoded source string and the Document."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(
                path,
                "read",
                f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(path, "read", exc.strerror or str(exc)) from exc
    source, encoding = decode_bytes(data, path)
    return source, ingest_text(
        source, markdown=path.suffix.lower() in {".md", ".markdown"}, encoding=encoding
    )


def ingest_text(source: str, *, markdown: bool | None = None, encoding: str = "utf-8") -> Document:
    """A decoded text copy → Document: lines without geometry through the layout engine."""
    mapped = normalise(MappedText.from_source(source))
    is_markdown = looks_like_markdown(source) if markdown is None else markdown
    if is_markdown or looks_like_markdown(source):
        mapped = strip_markdown(mapped)
    blocks = layout_text(MappedText.from_source(mapped.text))
    return Document(
        source_kind="markdown" if is_markdown else "text",
        source_text=mapped.text,
        blocks=blocks,
        page_starts=_page_starts(mapped.text),
        metadata={"encoding": encoding},
        source_map=mapped.source,
        content_offsets=content_outside_furniture(non_space_offsets(mapped.text), blocks),
    )


_FORM_FEED = re.compile("\f")


def _page_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _FORM_FEED.finditer(text)]
