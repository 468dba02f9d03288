"""Mentions of specific motions (moties) in letters.

A letter names a motion by its submitters, in a handful of fixed forms: "de motie
van het lid X (c.s.)", "de motie van de leden X en Y", "de motie X c.s.", the
hyphenated "motie-X" / "motie-X/Y", optionally "gewijzigde", optionally followed
by "over <subject>" and a "(Kamerstuk …)" reference. Dutch surnames carry
lower-case particles ("van der", "ten", "'t") that are capitalised at the start
of a bare surname ("Van der Werf"), and double-barrelled names use a hyphen
("Van Dijk-Jansen"), which must not be confused with the "motie-" hyphen.

Only mentions that name a submitter count: "moties en toezeggingen", a heading or
"de motie" by itself identify no motion. Footnote markers glued to the mention
("c.s.¹", OCR "c.s.®") are left outside it; the footnote stage links them.

Statuses, only when the clause about this very motion says so:
``afgedaan`` ("doe ik de motie … af", "beschouw ik … als afgedaan", "ter
afdoening van"), ``uitgevoerd`` ("hiermee is uitvoering gegeven aan", "is
uitgevoerd"), ``aangehouden``, ``verworpen``, ``aangenomen``.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MotionMention:
    """One motion named in a text, with offsets of the words that name it."""

    submitters: tuple[str, ...]
    cosigned: bool
    start: int
    end: int
    raw: str
    subject: str | None = None
    status: str | None = None
    amended: bool = False
    kamerstuk: str | None = None
    kind: str = "motie"
    """``motie`` or ``amendement``: letters track both, in the same grammar."""


# --- Name grammar, as data -------------------------------------------------------------

PARTICLES: tuple[str, ...] = (
    "van",
    "der",
    "den",
    "de",
    "het",
    "te",
    "ten",
    "ter",
    "in",
    "op",
    "uit",
    "'t",
    "’t",
    "la",
    "le",
    "du",
    "da",
    "dos",
    "el",
    "von",
)
"""Surname particles (tussenvoegsels); written lower case after a first name or
initials, capitalised when the surname stands alone ("Van der Berg")."""

NOT_NAMES: frozenset[str] = frozenset(
    {
        "De",
        "Het",
        "Een",
        "Deze",
        "Dit",
        "Die",
        "Dat",
        "Daar",
        "Daarmee",
        "Daarnaast",
        "Hiermee",
        "Hierbij",
        "Hierin",
        "In",
        "Op",
        "Ook",
        "Zie",
        "Ik",
        "Wij",
        "We",
        "Voor",
        "Met",
        "Naar",
        "Bij",
        "Als",
        "Om",
        "Over",
        "Nr",
        "Kamer",
        "Kamerstuk",
        "Kamerstukken",
        "Handelingen",
        "Tweede",
        "Eerste",
        "Minister",
        "Staatssecretaris",
        "Regering",
        "Kabinet",
        "Toezeggingen",
        "Moties",
        "Motie",
    }
)
"""Capitalised words that start a sentence or heading, never a submitter."""

_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿĀ-ž"
BOUND_PARTICLES: dict[str, str] = {
    "in": r"['’]t|het",
    "op": r"['’]t|de[nr]?",
    "uit": r"['’]t|de[nr]?|het",
}
"""Prepositions that are particles only before an article ("in 't Veld", "op den Berg",
"uit de Bos"): "de motie van het lid X in de Raad" names X alone."""
_PARTICLE = (
    "(?:"
    + "|".join(
        re.escape(p) + (rf"(?=\s+(?i:{BOUND_PARTICLES[p]})\b)" if p in BOUND_PARTICLES else "")
        for p in PARTICLES
        if p[0].isalpha()
    )
    + ")"
)
_PARTICLE_ANY = rf"(?:(?i:{_PARTICLE})|['’]t)"
_NOT_NAME = "(?!(?:" + "|".join(sorted(NOT_NAMES)) + rf")(?![{_LOWER}]))"
_ADJECTIVE = rf"(?![{_UPPER}][{_LOWER}]*(?:ele|ale|ese|ische|ige|lijke|ieve|aire)(?![{_LOWER}]))"
"""An inflected adjective in a capitalised title ("moties Nationale Raad") is no name."""
_CAP = rf"{_NOT_NAME}{_ADJECTIVE}[{_UPPER}][{_UPPER}{_LOWER}'’]*[{_LOWER}]"
"""A capitalised name part with at least one lower-case letter (not an acronym)."""
_SURNAME = rf"{_CAP}(?:-[ \t]*\n?[ \t]*{_CAP}|-\n[{_LOWER}]+)*"
"""Surname with hyphenated parts, also broken over an OCR line ("Van Dijk-\\nJansen")."""
_NAME = (
    rf"(?:{_PARTICLE_ANY}\s+)*{_SURNAME}"
    rf"(?:\s+(?:{_PARTICLE_ANY}\s+)+{_SURNAME}|[ \t]+{_SURNAME})?"
)
"""Particles + surname, or first name + particles + surname ("Anna de Vries")."""

_SEPARATOR = r"(?:\s*,\s*|\s+en\s+|\s*/\s*)"
_COSIGNED = r"(?:\s*,?\s*(?<![A-Za-z])(?:c\.\s?s\b\.?|cs\.))"
_PARTY = r"(?:[ \t]*\([ \t]*[A-Z0-9][A-Za-z0-9]{0,15}(?:[-/ ][A-Za-z0-9]{1,12})?[ \t]*\))"
"""A party in brackets after a member's name: "(CDA)", "(GroenLinks-PvdA)", "(JA21)"."""
_NAME_LIST = (
    rf"(?P<names>{_NAME}{_PARTY}?(?:{_COSIGNED}?{_SEPARATOR}{_NAME}{_PARTY}?)*)(?P<cs>{_COSIGNED})?"
)
"""Names joined by ",", "en" or "/"; "X c.s. en Y c.s." only in a plural (see `_separate`)."""

_MOTION_WORD = (
    r"(?<![\w-])(?P<amended>(?i:(?:(?:tweede|derde)\s+)?(?:nader\s+)?gewijzigde?)\s+)?"
    r"(?P<word>[Mm]otie|MOTIE|[Mm]oties|(?:[Ss]ub)?[Aa]mendement(?:en)?|(?:SUB)?AMENDEMENT)"
)
_INTRO = (
    r"(?:(?i:\s+(?:van|ingediend\s+door|door)\s+(?:(?:het|de)\s+)?(?:tweede[ -]?)?"
    r"(?:lid|leden|kamerlid|kamerleden)\s+)|-|\s+)"
)
""""van het lid", "van de leden", "van (het) Tweede Kamerlid", "ingediend door het lid",
the hyphen of "motie-X", or a bare space ("de motie X c.s.")."""

MENTION = re.compile(_MOTION_WORD + rf"(?P<intro>{_INTRO})" + _NAME_LIST)

_SURNAME_ONLY = rf"(?:{_PARTICLE_ANY}\s+)*{_SURNAME}"
MENTION_BARE = re.compile(
    _MOTION_WORD
    + r"(?P<intro>\s+)"
    + rf"(?P<names>{_SURNAME_ONLY}{_PARTY}?(?:{_COSIGNED}?{_SEPARATOR}{_SURNAME_ONLY}{_PARTY}?)*)"
    + rf"(?P<cs>{_COSIGNED})?"
)
"""A bare "de motie X" names members by surname only: "motie Jansen Dinsdag" is Jansen's."""

_NAME_RE = re.compile(_NAME)
_FOOTNOTE_JUNK = r"[\s⁰¹²³⁴⁵⁶⁷⁸⁹®*\"'’”“¢%?]*"

_KAMERSTUK = re.compile(
    r"\s*\(\s*(?:(?:zie\s+)?(?:kamerstuk(?:ken)?)\s*(?:II|I)?\s*(?:\d{4}\s*[-/–]\s*\d{2,4}\s*,\s*)?)?"
    r"(?:(?P<main>\d{2}\s?\d{3})(?:\s?-\s?(?P<sub>\d{1,3})|\s+(?P<chapter>[IVXL]+|[A-Z]))?"
    r"\s*,?\s*(?:nr\.?\s*)?(?P<number>\d+)"
    r"|(?P<main2>\d{5})-(?:(?P<sub2>\d{1,3}|[IVXL]+)-)?(?P<number2>\d+))\s*\)",
    re.IGNORECASE,
)
_NUMBERED = re.compile(
    r"[ \t]+(?:(?i:kamerstuk(?:ken)?)\s*(?:II\s*|I\s*)?(?:\d{4}\s*[-/–]\s*\d{2,4}\s*,\s*)?)?"
    r"(?:(?P<main>\d{2}\s?\d{3})(?:\s?-\s?(?P<sub>\d{1,3})|\s+(?P<chapter>[IVXL]+|[A-Z]))?"
    r"\s*,?\s*(?i:nr\.?|nummer)\s*(?P<number>\d+)"
    r"|(?P<main2>\d{5})-(?:(?P<sub2>\d{1,3}|[IVXL]+)-)?(?P<number2>\d+))\b"
)
"""A motion named by its Kamerstuk alone: "motie 12 345 VI, nr. 67", "motie 12345-32-1234"."""

SUBJECT_STOPS: tuple[str, ...] = (
    "heeft",
    "hebben",
    "is",
    "was",
    "wordt",
    "werd",
    "worden",
    "zijn",
    "verzoekt",
    "verzocht",
    "vraagt",
    "vroeg",
    "roept",
    "riep",
    "zal",
    "zullen",
    "kan",
    "kunnen",
    "die",
    "dat",
    "waarin",
    "waarmee",
    "waarbij",
    "waarop",
    "waarvan",
    "doe",
    "beschouw",
    "acht",
    "af",
    "inmiddels",
    "reeds",
    "echter",
    "daarom",
    "namelijk",
    "tevens",
    "destijds",
    "thans",
)
"""Words that end the "over …" subject: the clause's verb, a relative pronoun or a
sentence adverb ("naar aanleiding van de motie X over Y inmiddels …")."""

_SUBJECT = re.compile(
    rf"{_FOOTNOTE_JUNK}\s*over\s+(?P<subject>[^.;:!?()\n⁰¹²³⁴⁵⁶⁷⁸⁹®*,]+(?:\n[^.;:!?()\n⁰¹²³⁴⁵⁶⁷⁸⁹®*,]+)*)"
)
_SUBJECT_STOP = re.compile(r"\s(?:" + "|".join(SUBJECT_STOPS) + r")\b")

STATUS_PATTERNS: tuple[tuple[str, str], ...] = (
    ("afgedaan", r"\bdoe\b[^.]*?\baf\b"),
    ("afgedaan", r"\bafgedaan\b"),
    ("afgedaan", r"\bafdoening\b"),
    (
        "uitgevoerd",
        r"\b(?:hiermee|daarmee|hierbij|hiermede)\b[^.]*?\buitvoering\s+(?:gegeven|aan)\b",
    ),
    ("uitgevoerd", r"\bis\s+(?:hiermee\s+|daarmee\s+)?uitgevoerd\b"),
    ("aangehouden", r"\baangehouden\b"),
    ("verworpen", r"\bverworpen\b"),
    ("aangenomen", r"\baangenomen\b"),
)
"""(status, phrase) in priority order; searched only in this motion's own clause."""

_STATUS = tuple((status, re.compile(pattern, re.IGNORECASE)) for status, pattern in STATUS_PATTERNS)
_SENTENCE_END = re.compile(
    r"(?<![A-Za-z]\.[A-Za-z])(?<!\bnr)(?<!\bc\.s)[.!?](?=\s+[A-Z]|\s*$)|\n\s*\n"
)


def normalise_name(name: str) -> str:
    """Fold OCR line breaks and spacing inside one written name."""
    name = re.sub(rf"-\n([{_LOWER}])", r"\1", name)  # hyphenation of one word
    name = re.sub(r"-\s+", "-", name)
    return " ".join(name.split())


def smart_title_name(name: str) -> str:
    """Title-case a capitalised name: particles lower case except at the start."""
    words = name.split()
    out: list[str] = []
    for index, word in enumerate(words):
        folded = word.lower()
        if folded in {"'t", "’t"} or (folded in PARTICLES and index > 0):
            out.append(folded)
        else:
            out.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(out)


def _split_names(names: str) -> tuple[str, ...]:
    names = re.sub(r"\([^)]*\)", " ", names)  # parties in brackets
    return tuple(normalise_name(m.group(0)) for m in _NAME_RE.finditer(names))


def _kind(word: str) -> str:
    return "amendement" if "amendement" in word.lower() else "motie"


def _plural(word: str) -> bool:
    return word.lower() in {"moties", "amendementen", "subamendementen"}


def _kamerstuk_id(match: re.Match[str]) -> str:
    groups = match.groupdict()
    main = groups.get("main") or groups.get("main2") or ""
    dossier = re.sub(r"\s", "", main)
    sub = groups.get("sub") or groups.get("chapter") or groups.get("sub2")
    if sub:
        dossier += "-" + sub.upper() if not sub.isdigit() else "-" + sub
    return f"kst-{dossier}-{groups.get('number') or groups.get('number2')}"


def _subject(text: str, at: int) -> str | None:
    match = _SUBJECT.match(text, at)
    if not match:
        return None
    subject = match.group("subject")
    stop = _SUBJECT_STOP.search(subject)
    if stop:
        subject = subject[: stop.start()]
    subject = " ".join(normalise_name(subject).split())
    return subject or None


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = 0
    for match in _SENTENCE_END.finditer(text, max(0, start - 600), start):
        left = match.end()
    right_match = _SENTENCE_END.search(text, end)
    return left, right_match.end() if right_match else len(text)


_ANAPHOR = re.compile(r"\b(?:de|deze|die|genoemde|voornoemde)\s+motie\b(?!\s+(?:van|-))", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:en|maar|terwijl|waarna|of)\b")
_COORDINATION = re.compile(r"^[\s,]*(?:en|of|alsmede|,)?\s*(?:de|het)?\s*(?:gewijzigde\s+)?$")


def _status(window: str) -> str | None:
    for status, pattern in _STATUS:
        if pattern.search(window):
            return status
    return None


def _reference_and_subject(text: str, end: int) -> tuple[str | None, str | None, int]:
    """(kamerstuk, subject, offset after them) following a submitter list."""
    kamerstuk = None
    after = end
    ref = _KAMERSTUK.match(text, after)
    if ref is None:
        junk = re.match(_FOOTNOTE_JUNK, text[after:])
        ref = _KAMERSTUK.match(text, after + (junk.end() if junk else 0))
    if ref:
        kamerstuk = _kamerstuk_id(ref)
        after = ref.end()
    subject = _subject(text, after)
    if subject is not None:
        subject_match = _SUBJECT.match(text, after)
        assert subject_match is not None
        after = subject_match.end()
        ref = _KAMERSTUK.match(text, after) if kamerstuk is None else None
        if ref:
            kamerstuk = _kamerstuk_id(ref)
            after = ref.end()
    return kamerstuk, subject, after


_MORE = re.compile(
    rf"(?:\s*,\s*|\s+en\s+)(?:(?i:van\s+het\s+lid)\s+)?"
    rf"(?P<names>{_NAME})(?P<cs>{_COSIGNED})?(?={_KAMERSTUK.pattern})",
    re.IGNORECASE,
)
"""A further motion in a plural, separable because it carries its own reference."""


def find_motions(text: str) -> list[MotionMention]:
    """All mentions of a specific motion or amendment, in text order."""
    found: list[MotionMention] = []
    for match in MENTION.finditer(text):
        intro = match.group("intro")
        # A bare "motie X" must name someone, not start a heading line.
        if intro.strip() == "" and "-" not in intro and "\n" in intro and not match.group("cs"):
            continue
        if intro.strip() == "" and "-" not in intro:
            match = MENTION_BARE.match(text, match.start()) or match
        submitters = _split_names(match.group("names"))
        if not submitters:
            continue
        word = match.group("word")
        end = match.end("cs") if match.group("cs") else match.end("names")
        start = match.start("word")
        raw = text[start:end].rstrip()
        kamerstuk, subject, after = _reference_and_subject(text, end)
        mention = MotionMention(
            submitters=submitters,
            cosigned=bool((match.group("cs") or "").strip()),
            start=start,
            end=start + len(raw),
            raw=raw,
            subject=subject,
            amended=bool(match.group("amended")),
            kamerstuk=kamerstuk,
            kind=_kind(word),
        )
        found.extend(_separate(mention, word, text))
        if _plural(word) and kamerstuk:
            while more := _MORE.match(text, after):
                more_end = more.end("cs") if more.group("cs") else more.end("names")
                more_ref, more_subject, after = _reference_and_subject(text, more_end)
                found.append(
                    MotionMention(
                        submitters=_split_names(more.group("names")),
                        cosigned=bool((more.group("cs") or "").strip()),
                        start=more.start("names"),
                        end=more_end,
                        raw=text[more.start("names") : more_end],
                        subject=more_subject,
                        amended=mention.amended,
                        kamerstuk=more_ref,
                        kind=mention.kind,
                    )
                )
    found += _by_members(text)
    found += _by_number(text, found)
    found.sort(key=lambda m: m.start)
    return _with_status(text, found)


_WORD_ONLY = re.compile(_MOTION_WORD)
_MEMBERS_FIRST = re.compile(
    r"(?<![\w-])(?i:het\s+(?:tweede[ -]?)?(?:kamer)?lid|de\s+(?:tweede[ -]?)?(?:kamer)?leden)\s+"
    + _NAME_LIST
    + r"\s+(?P<verb>heeft|hebben)\s+(?:[^.;:!?()\n]{0,80}?\s)?(?:een|de|het)\s+"
    + _MOTION_WORD
    + r"(?:\s+(?:ingediend|aangenomen|aangehouden|verworpen|ingetrokken))?"
)
"""The members named first: "De leden Smit (VVD) en Kok (CDA) hebben op 9 mei een motie
ingediend over … (Kamerstuk …)"."""


def _by_members(text: str) -> list[MotionMention]:
    out: list[MotionMention] = []
    for match in _MEMBERS_FIRST.finditer(text):
        submitters = _split_names(match.group("names"))
        if not submitters or _plural(match.group("word")):
            continue
        kamerstuk, subject, _ = _reference_and_subject(text, match.end())
        out.append(
            MotionMention(
                submitters=submitters,
                cosigned=bool((match.group("cs") or "").strip()),
                start=match.start(),
                end=match.end("word"),
                raw=text[match.start() : match.end("word")],
                subject=subject,
                amended=bool(match.group("amended")),
                kamerstuk=kamerstuk,
                kind=_kind(match.group("word")),
            )
        )
    return out


def _by_number(text: str, named: list[MotionMention]) -> list[MotionMention]:
    """Mentions that name no submitter but the Kamerstuk: "motie 12 345 VI, nr. 67", "de
    motie (Kamerstuk 12 345, nr. 3)", "de motie over de haven (Kamerstuk 12 345, nr. 3)"."""
    out: list[MotionMention] = []
    taken = [(m.start, m.end) for m in named]
    for match in _WORD_ONLY.finditer(text):
        start = match.start("word")
        if any(a <= start < b for a, b in taken) or _plural(match.group("word")):
            continue
        numbered = _NUMBERED.match(text, match.end())
        if numbered:
            kamerstuk: str | None = _kamerstuk_id(numbered)
            end = numbered.end()
            subject = _subject(text, end)
        else:
            kamerstuk, subject, end = _reference_and_subject(text, match.end())
            if kamerstuk is None:
                continue
        out.append(
            MotionMention(
                submitters=(),
                cosigned=False,
                start=start,
                end=end,
                raw=text[start:end],
                subject=subject,
                amended=bool(match.group("amended")),
                kamerstuk=kamerstuk,
                kind=_kind(match.group("word")),
            )
        )
    return out


_SEPARABLE = re.compile(rf"(?<![^\W\d_])(?:{_NAME}){_COSIGNED}")


def _separate(mention: MotionMention, word: str, text: str) -> list[MotionMention]:
    """A plural "moties van de leden X c.s. en Y c.s." is one mention per motion."""
    if not _plural(word):
        return [mention]
    groups = list(_SEPARABLE.finditer(text, mention.start, mention.end))
    if len(groups) < 2:
        return [mention]
    parts = []
    for group in groups:
        names = _split_names(re.sub(_COSIGNED + "$", "", group.group(0)))
        parts.append(
            MotionMention(
                submitters=names,
                cosigned=True,
                start=group.start(),
                end=group.end(),
                raw=group.group(0),
                amended=mention.amended,
                kind=mention.kind,
            )
        )
    return parts


def _with_status(text: str, mentions: list[MotionMention]) -> list[MotionMention]:
    """Attach the status that this motion's own stretch of its sentence states.

    The stretch runs from the clause break before the mention (or the sentence
    start) to the next mention (or the sentence end), the mention itself blanked
    so that its "c.s." does not end a phrase. Motions coordinated under one verb
    ("doe ik de motie X en de motie Y af") share the sentence's status.
    """
    bounds = [_sentence_bounds(text, m.start, m.end) for m in mentions]
    statuses: list[str | None] = []
    for index, mention in enumerate(mentions):
        left, right = bounds[index]
        if index > 0 and mentions[index - 1].end > left:
            left = mentions[index - 1].end
            breaks = list(_CLAUSE_BREAK.finditer(text, left, mention.start))
            if breaks:
                left = breaks[-1].end()
        if index + 1 < len(mentions):
            right = min(right, mentions[index + 1].start)
        statuses.append(_status(text[left : mention.start] + " … " + text[mention.end : right]))
    for index in range(len(mentions)):
        if statuses[index] is not None:
            continue
        group = [j for j in range(len(mentions)) if bounds[j] == bounds[index]]
        if len(group) < 2 or any(
            not _COORDINATION.match(text[mentions[a].end : mentions[b].start])
            for a, b in itertools.pairwise(group)
        ):
            continue
        left, right = bounds[index]
        pieces = [text[left : mentions[group[0]].start]]
        pieces += [" … " + text[mentions[j].end : mentions[j + 1].start] for j in group[:-1]]
        pieces.append(" … " + text[mentions[group[-1]].end : right])
        statuses[index] = _status("".join(pieces))
    # "… uitvoering van de motie van het lid X c.s. … Hiermee doe ik de motie af.": a later
    # sentence of the same paragraph names the motion back ("de motie", "deze motie"),
    # before any other motion is mentioned.
    for index, mention in enumerate(mentions):
        if statuses[index] is not None:
            continue
        paragraph_end = text.find("\n\n", mention.end)
        limit = len(text) if paragraph_end < 0 else paragraph_end
        if index + 1 < len(mentions):
            limit = min(limit, mentions[index + 1].start)
        _, right = bounds[index]
        while right < limit:
            _, next_right = _sentence_bounds(text, right, right)
            following = text[right : min(next_right, limit)]
            if _ANAPHOR.search(following):
                statuses[index] = _status(following)
                break
            if next_right <= right:
                break
            right = next_right
    return [
        MotionMention(
            submitters=m.submitters,
            cosigned=m.cosigned,
            start=m.start,
            end=m.end,
            raw=m.raw,
            subject=m.subject,
            status=status,
            amended=m.amended,
            kamerstuk=m.kamerstuk,
            kind=m.kind,
        )
        for m, status in zip(mentions, statuses, strict=True)
    ]
