"""Text that remembers where every character came from.

Cleaning removes furniture, joins hyphenated words and drops footnote markers;
researchers still need to find an extracted item in the file they gave us.
`MappedText` carries, for every character, its offset in the source string.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(slots=True)
class MappedText:
    """A string plus the source offset of each of its characters."""

    text: str = ""
    source: list[int] = field(default_factory=list)

    @classmethod
    def from_source(cls, text: str, start: int = 0) -> MappedText:
        return cls(text, list(range(start, start + len(text))))

    def __len__(self) -> int:
        return len(self.text)

    def slice(self, start: int, end: int) -> MappedText:
        return MappedText(self.text[start:end], self.source[start:end])

    def source_offset(self, offset: int) -> int:
        """Source offset of a clean offset; offsets at the end map past the last char."""
        if not self.source:
            return 0
        if offset >= len(self.source):
            return self.source[-1] + 1
        return self.source[max(0, offset)]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            pos = self.source_offset(start)
            return pos, pos
        return self.source_offset(start), self.source_offset(end - 1) + 1


class MappedBuilder:
    """Accumulates pieces of mapped text."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._source: list[int] = []
        self._length = 0

    def __len__(self) -> int:
        return self._length

    def append(self, piece: MappedText) -> None:
        self._parts.append(piece.text)
        self._source.extend(piece.source)
        self._length += len(piece.text)

    def append_source(self, text: str, source_start: int) -> None:
        """Text copied unchanged from the source at `source_start` (no MappedText needed)."""
        self._parts.append(text)
        self._source.extend(range(source_start, source_start + len(text)))
        self._length += len(text)

    def insert(self, text: str, source_pos: int) -> None:
        """Synthetic text (a joining space) mapped to one source position."""
        self._parts.append(text)
        self._source.extend([source_pos] * len(text))
        self._length += len(text)

    def last_word(self, limit: int = 200) -> str:
        """The text after the last whitespace (at most `limit` characters back)."""
        tail = ""
        for part in reversed(self._parts):
            tail = part + tail
            if any(ch.isspace() for ch in part) or len(tail) >= limit:
                break
        return tail[-limit:].split()[-1] if tail.split() else ""

    def last_char(self) -> str:
        for part in reversed(self._parts):
            if part:
                return part[-1]
        return ""

    def build(self) -> MappedText:
        return MappedText("".join(self._parts), self._source)


def substitute(
    mapped: MappedText, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]
) -> MappedText:
    """`re.sub` that keeps the source map: kept text keeps its offsets, and
    replacement text maps to the start of what it replaced. Groups named
    ``keep`` inside a match are copied with their own offsets."""
    out = MappedBuilder()
    pos = 0
    for match in pattern.finditer(mapped.text):
        out.append(mapped.slice(pos, match.start()))
        if "keep" in pattern.groupindex and match.group("keep") is not None:
            s, e = match.span("keep")
            out.append(mapped.slice(s, e))
        else:
            text = repl(match) if callable(repl) else match.expand(repl)
            out.insert(text, mapped.source_offset(match.start()))
        pos = match.end()
    out.append(mapped.slice(pos, len(mapped)))
    return out.build()
