"""Undo line-end hyphenation the Dutch way.

Dutch typesetting breaks closed compounds at syllables (`crimina-|liteit`), so
the default is to join. The hyphen is real when Dutch spelling itself writes
one: before a capital or a digit (`Sittard-Geleen`, `motie-Van der Plas`), in a
vowel clash (`zee-egel`, `politie-inzet`), after a few prefixes (`niet-`, `ex-`),
and in a shared-part ellipsis before a conjunction (`zorg- en veiligheid`).
"""

from __future__ import annotations

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
