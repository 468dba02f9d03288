"""Dutch for parliamentary documents: spaCy's Dutch plus the domain's abbreviations.

Without `c.s.`, `jl.` and `mln.` as exceptions the tokenizer splits them and the
sentencizer ends sentences at "de motie van het lid X c.s." or "€20 mln.".
"""

from __future__ import annotations

from spacy.lang.nl import Dutch
from spacy.symbols import NORM, ORTH
from spacy.util import update_exc

DOMAIN_ABBREVIATIONS: tuple[str, ...] = (
    "nr.",
    "nrs.",
    "Nr.",
    "Nrs.",
    "c.s.",
    "jl.",
    "a.s.",
    "mln.",
    "mld.",
    "mrd.",
    "mln",
    "mld",
    "o.a.",
    "t.a.v.",
    "kst.",
    "Kst.",
    "Stb.",
    "Stcrt.",
    "Trb.",
    "i.v.m.",
    "m.b.t.",
    "n.a.v.",
    "t.b.v.",
    "m.u.v.",
    "d.d.",
    "bijv.",
    "resp.",
    "ca.",
    "incl.",
    "excl.",
    "art.",
    "lid.",
    "blz.",
    "p.",
    "vgl.",
    "zgn.",
    "z.s.m.",
    "e.d.",
    "i.o.m.",
    "t/m",
    "min.",
    "TK.",
    "EK.",
)


def domain_exceptions() -> dict[str, list[dict[int, str]]]:
    return {abbr: [{ORTH: abbr, NORM: abbr.lower()}] for abbr in DOMAIN_ABBREVIATIONS}


class KamerbriefDutchDefaults(Dutch.Defaults):  # type: ignore[misc,valid-type]
    tokenizer_exceptions = update_exc(Dutch.Defaults.tokenizer_exceptions, domain_exceptions())


class KamerbriefDutch(Dutch):
    """`spacy.blank("nl_kamerbrief")`: registered through the spacy_languages entry point."""

    lang = "nl_kamerbrief"
    Defaults = KamerbriefDutchDefaults
