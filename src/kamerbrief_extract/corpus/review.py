"""A self-contained HTML page to review one record by eye.

Every extracted item is a `<mark>` coloured by type with its values in the title
tooltip; footnote markers link to their notes and back. Items may overlap (a
citation inside a motion sentence), so the text is cut at every item boundary and
each piece is wrapped in the marks active over it. Everything taken from the
document goes through `html.escape`: a letter containing `<script>` shows it as text.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

COLOURS: dict[str, str] = {
    "citation": "#9ecae1",
    "amount": "#a1d99b",
    "municipality": "#fdd0a2",
    "place": "#fee6ce",
    "motion": "#dadaeb",
    "commitment": "#fcbba1",
    "footnote": "#f0f0f0",
}
# The keys of each item that go in its tooltip, per record list.
TOOLTIP_KEYS: dict[str, tuple[str, ...]] = {
    "citations": ("id", "kind", "raw"),
    "amounts": ("value_eur", "value_max_eur", "qualifier", "recurrence", "years"),
    "municipalities": ("cbs_code", "official_name", "status", "merged_into", "province"),
    "places": ("municipality_code", "municipality_name"),
    "motions": ("submitters", "cosigned", "citation", "status", "subject"),
    "commitments": ("kind", "deadline", "deadline_raw", "cue", "citation"),
}
LABELS: dict[str, str] = {
    "citations": "citation", "amounts": "amount", "municipalities": "municipality",
    "places": "place", "motions": "motion", "commitments": "commitment",
}  # fmt: skip


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    label: str
    title: str


def _tooltip(item: Mapping[str, Any], keys: Sequence[str]) -> str:
    parts = []
    for key in keys:
        value = item.get(key)
        if value in (None, [], ""):
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        parts.append(f"{key}: {value}")
    return "; ".join(parts)


def highlights(record: Mapping[str, Any]) -> list[Highlight]:
    """Every item of the record with valid offsets, as (start, end, label, tooltip)."""
    size = len(str(record.get("text") or ""))
    out: list[Highlight] = []
    for key, label in LABELS.items():
        for item in record.get(key) or []:
            start, end = item.get("start"), item.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= size:
                out.append(Highlight(start, end, label, _tooltip(item, TOOLTIP_KEYS[key])))
    return sorted(out, key=lambda h: (h.start, -h.end))


def _marked(text: str, items: Sequence[Highlight], inserts: Mapping[int, list[str]]) -> str:
    """Escaped text with nested marks; `inserts` are ready HTML snippets at offsets."""
    cuts = sorted({0, len(text), *(h.start for h in items), *(h.end for h in items), *inserts})
    pieces: list[str] = []
    for lo, hi in zip(cuts, [*cuts[1:], len(text)], strict=True):
        pieces.extend(inserts.get(lo, []))
        if hi <= lo:
            continue
        chunk = html.escape(text[lo:hi]).replace("\n", "<br>\n")
        active = [h for h in items if h.start <= lo and hi <= h.end]
        for h in sorted(active, key=lambda h: h.end - h.start):  # shortest innermost, visible
            chunk = (
                f'<mark class="kb kb-{h.label}" data-label="{h.label}" '
                f'title="{html.escape(h.label + ": " + h.title, quote=True)}" '
                f'style="background:{COLOURS[h.label]}">{chunk}</mark>'
            )
        pieces.append(chunk)
    return "".join(pieces)


def _footnote_inserts(record: Mapping[str, Any]) -> dict[int, list[str]]:
    inserts: dict[int, list[str]] = {}
    for note in record.get("footnotes") or []:
        n = int(note.get("n") or 0)
        if isinstance(note.get("marker"), int):
            inserts.setdefault(note["marker"], []).append(
                f'<sup class="fn-marker"><a id="fnref-{n}" href="#fn-{n}">{n}</a></sup>'
            )
        if isinstance(note.get("start"), int):
            inserts.setdefault(note["start"], []).append(
                f'<span class="fn-note" id="fn-{n}"><a href="#fnref-{n}">↩ {n}</a> </span>'
            )
    return inserts


def _links_html(links: Sequence[Mapping[str, Any]]) -> str:
    if not links:
        return "<p>No links.</p>"
    rows = []
    for link in links:
        evidence = "; ".join(f"{k}: {v}" for k, v in (link.get("evidence") or {}).items())
        rows.append(
            "<tr>"
            + "".join(
                f"<td>{html.escape(str(v))}</td>"
                for v in (
                    link.get("source"),
                    link.get("kind"),
                    link.get("to"),
                    link.get("confidence"),
                    evidence,
                )
            )
            + "</tr>"
        )
    head = "<tr><th>source</th><th>kind</th><th>to</th><th>confidence</th><th>evidence</th></tr>"
    return f'<table class="links">{head}{"".join(rows)}</table>'


STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;line-height:1.6}
mark.kb{padding:0 .1em;border-radius:.2em}
.legend mark{margin-right:.5em}
.fn-note{font-weight:bold}
table.links{border-collapse:collapse;font-size:.9em}
table.links td,table.links th{border:1px solid #ccc;padding:.2em .4em;vertical-align:top}
.text{white-space:normal}
"""


def render_html(record: Mapping[str, Any], links: Sequence[Mapping[str, Any]] = ()) -> str:
    """The review page of one record (and the corpus links that touch it)."""
    text = str(record.get("text") or "")
    meta = record.get("meta") or {}
    path = str((record.get("source") or {}).get("path") or "")
    body_end = record.get("body_end")
    inserts = _footnote_inserts(record)
    if isinstance(body_end, int) and 0 < body_end < len(text):
        inserts.setdefault(body_end, []).insert(0, '<hr class="notes"><h2>Footnotes</h2>')
    all_links = [*(record.get("links") or []), *links]
    legend = "".join(
        f'<mark class="kb kb-{label}" style="background:{colour}">{label}</mark>'
        for label, colour in COLOURS.items()
        if label != "footnote"
    )
    meta_rows = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
        for k, v in meta.items()
        if v is not None
    )
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        f"<title>{html.escape(path)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{html.escape(str(meta.get('subject') or path))}</h1>"
        f'<table class="meta">{meta_rows}</table>'
        f'<p class="legend">{legend}</p>'
        f'<div class="text">{_marked(text, highlights(record), inserts)}</div>'
        f"<h2>Links</h2>{_links_html(all_links)}"
        "</body></html>\n"
    )


def links_touching(path: str, corpus: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        dict(link)
        for link in corpus.get("links", [])
        if path in (link.get("source"), link.get("to"))
    ]
