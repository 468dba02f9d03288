"""Plain-text and markdown copies of letters.

The files researchers have are OCR dumps, web copies and markdown conversions in
whatever encoding the tool that wrote them used. We decode strictly where we can
and say which encoding we settled on, so a cp1252 file is read, not mangled.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from kamerbrief_extract.ingest.base import IngestedText
from kamerbrief_extract.ingest.errors import IngestError
from kamerbrief_extract.offsets import MappedText, substitute

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""A letter is tens of kilobytes; a 20 MB 'text' is a dump, not a document."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_bytes(data: bytes, path: Path | str) -> tuple[str, str]:
    """Decode a text file; returns (text, encoding). Binary data is refused."""
    if not data.strip():
        raise IngestError(path, "decode", "file is empty")
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


_MARKDOWN_EMPHASIS = re.compile(r"(?<![\w*])(\*\*|__|\*|_)(?=\S)|(?<=\S)(\*\*|__|\*|_)(?![\w*])")
_MARKDOWN_LINE_PREFIX = re.compile(r"^(?:>\s?|#{1,6}\s+)", re.MULTILINE)
_MARKDOWN_ESCAPE = re.compile(r"\\(?P<keep>[\\`*_{}\[\]()#+\-.!])")


def strip_markdown(mapped: MappedText) -> MappedText:
    """Drop emphasis markers, quote and heading prefixes; keep the words and their offsets."""
    mapped = substitute(mapped, _MARKDOWN_LINE_PREFIX, "")
    mapped = substitute(mapped, _MARKDOWN_EMPHASIS, "")
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


def read_text_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, IngestedText]:
    """Read a .txt/.md letter. Returns the decoded source string and the ingested text."""
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


def ingest_text(
    source: str, *, markdown: bool | None = None, encoding: str = "utf-8"
) -> IngestedText:
    """Turn a decoded letter into layout text (see `base.py`), keeping the source map."""
    mapped = normalise(MappedText.from_source(source))
    is_markdown = looks_like_markdown(source) if markdown is None else markdown
    if is_markdown or looks_like_markdown(source):
        mapped = strip_markdown(mapped)
    return IngestedText(
        text=mapped.text,
        source_kind="markdown" if is_markdown else "text",
        metadata={"encoding": encoding},
        source_map=mapped.source,
    )
