"""Undo line-end hyphenation the Dutch way.

Dutch typesetting breaks closed compounds at syllables (`crimina-|liteit`), so
the default is to join. The hyphen is real when Dutch spelling itself writes
one: before a capital or a digit (`Sittard-Geleen`, `motie-Van der Berg`), in a
vowel clash (`zee-egel`, `politie-inzet`), after a few prefixes (`niet-`, `ex-`),
and in a shared-part ellipsis before a conjunction (`zorg- en veiligheid`).
"""

from __future__ import annotations

import re

from kamerbrief_extract.offsets import MappedBuilder, MappedText

_CONJUNCTIONS = frozenset({"en", "of", "tot", "noch", "als", "dan", "t/m"})
_HYPHEN_PREFIXES = frozenset(
    {"niet", "ex", "oud", "vice", "non", "adjunct", "interim", "loco", "pro", "semi", "extra"}
)
# First letters that would fuse with the previous word's last vowel into one sound.
_VOWEL_CLASH = frozenset(
    {"aa", "ae", "ai", "au", "ee", "ei", "eu", "ie", "oe", "oo", "ou", "ui", "uu", "ij"}
)
_TREMA = str.maketrans("aeiou", "äëïöü")
_TREMA_PREFIXES = frozenset({"ge", "be"})


def join_hyphenated(left: str, right: str) -> str:
    """How `left-` at a line end and `right` at the next line's start are written in running text.

    Returns the joined text for the two fragments, e.g. ("crimina", "liteit") ->
    "criminaliteit", ("Sittard", "Geleen") -> "Sittard-Geleen", ("zorg", "en") -> "zorg- en".
    """
    if not left or not right:
        return f"{left}-{right}"
    if right.lower() in _CONJUNCTIONS:
        return f"{left}- {right}"
    if not (left[-1].isalpha() and right[0].isalpha()) or right[0].isupper():
        return f"{left}-{right}"
    last_word = left.rsplit("-", 1)[-1]
    if last_word.lower() in _HYPHEN_PREFIXES or (last_word.isupper() and len(last_word) > 1):
        return f"{left}-{right}"
    clash = (left[-1] + right[0]).lower()
    if clash in _VOWEL_CLASH:
        # The break ate a trema: `ge-|informeerd` is `geïnformeerd`, `be-|indigd` `beëindigd`.
        if last_word.lower() in _TREMA_PREFIXES and right[0] in "eiu":
            return left + right[0].translate(_TREMA) + right[1:]
        return f"{left}-{right}"
    return left + right


_URL = re.compile(r"^\(?(?:https?://|www\.)\S+$", re.IGNORECASE)


# The rest of a web address broken mid-word: a path piece with "_", "/" or a file type.
_URL_REST = re.compile(r"^[\w.~%-]*(?:[_/][\w.~%/-]*|\.(?:pdf|html?|aspx?|php|docx?))(?:\s|$)")


def join_line(builder: MappedBuilder, line: MappedText) -> None:
    """Append a line to running text: a space, or a marker after a line-end hyphen.

    The marker (NUL) is resolved by `finish_hyphens` once the whole run is known. A web
    address broken at a line end goes on without a space, its hyphen kept.
    """
    if _URL.match(builder.last_word()) and (
        builder.last_char() in "/-_.=?&~#" or _URL_REST.match(line.text)
    ):
        builder.append(line)
        return
    if builder.last_char() == "-":
        builder.insert("\u0000", line.source_offset(0))
    else:
        builder.insert(" ", line.source_offset(0))
    builder.append(line)


_HYPHEN_JOIN = re.compile(r"(?P<left>[\w'’]+)-\u0000(?P<right>[\w'’/]+)")


def finish_hyphens(mapped: MappedText) -> MappedText:
    """Resolve line-end hyphens (marked with NUL by `join_line`) by Dutch spelling rules."""
    if "\u0000" not in mapped.text:
        return mapped
    out = MappedBuilder()
    pos = 0
    for match in _HYPHEN_JOIN.finditer(mapped.text):
        left_s, left_e = match.span("left")
        right_s, right_e = match.span("right")
        left, right = match.group("left"), match.group("right")
        joined = join_hyphenated(left, right)
        out.append(mapped.slice(pos, left_s))
        # Copy characters of the joined form from the source where they match it.
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
