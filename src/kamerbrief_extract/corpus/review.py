"""Self-contained HTML pages to review one record, or a whole corpus, by eye.

The record page shows the letter with every extracted item marked in its colour
and its normalised value written beside it (€, CBS code, deadline: visible, not
only in a tooltip), headings as headings, footnotes beside their markers, the
record's warnings and text coverage at the top, and a table of every item that
filters by type and links to the item's place in the text.

Items may overlap (a citation inside a motion sentence), so the text is cut at
every item boundary and each piece is wrapped in the marks active over it.
Everything taken from a document is escaped (Jinja2 with autoescape, and
`html.escape` for the marked text), bidi controls are shown as visible codes
so they cannot reorder what the page shows, and a Content-Security-Policy lets
only the page's own filter script run: a letter containing `<script>` shows it
as text.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from kamerbrief_extract.records import (
    Amount,
    Citation,
    Commitment,
    Link,
    Motion,
    Municipality,
    Place,
    Record,
    Span,
)

COLOURS: dict[str, str] = {
    "citation": "#9ecae1",
    "amount": "#a1d99b",
    "municipality": "#fdd0a2",
    "place": "#fee6ce",
    "motion": "#dadaeb",
    "commitment": "#fcbba1",
    "footnote": "#f0f0f0",
}
LABELS: tuple[str, ...] = ("citation", "amount", "municipality", "place", "motion", "commitment")

# Bidi embedding, override and isolate controls, and the invisible marks: shown as
# their code point so a letter cannot make the page read in another order.
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def show_controls(text: str) -> str:
    """Bidi control characters replaced by a visible `[U+202E]`."""
    return BIDI.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def escape(text: str) -> str:
    return html.escape(show_controls(text), quote=True)


def euros(value: Decimal) -> str:
    """Dutch notation: € 1.250.000 or € 2,5 (cents only when there are any)."""
    whole = value == value.to_integral_value()
    body = f"{value:,.0f}" if whole else f"{value:,.2f}"
    return "€ " + body.replace(",", "_").replace(".", ",").replace("_", ".")


def _amount(a: Amount) -> str:
    text = euros(a.value_eur)
    if a.value_max_eur is not None:
        text += f" – {euros(a.value_max_eur)}"
    extra = {"per_year": "per jaar", "one_off": "eenmalig"}.get(a.recurrence or "")
    if extra:
        text += f" {extra}"
    if a.years:
        text += f" ({', '.join(str(y) for y in a.years)})"
    return text


def _municipality(m: Municipality) -> str:
    text = f"{m.cbs_code or '?'} {m.official_name or m.name}"
    return text if m.status == "current" else f"{text} ({m.status})"


def _motion(m: Motion) -> str:
    parts = [", ".join(m.submitters) or "?", m.citation or "", m.status or ""]
    return " · ".join(p for p in parts if p)


def _commitment(c: Commitment) -> str:
    deadline = f"deadline {c.deadline.isoformat()}" if c.deadline else "no deadline"
    return f"{c.kind} · {deadline}"


def _citation(c: Citation) -> str:
    return f"{c.id} ({c.kind})"


def _place(p: Place) -> str:
    return f"{p.municipality_code} {p.municipality_name}"


def _warnings(item: Span) -> list[str]:
    out: list[str] = []
    if isinstance(item, Municipality):
        if item.status != "current":
            out.append(f"status {item.status}")
        if item.merged_into:
            out.append(f"merged into {item.merged_into}")
        if item.candidates:
            out.append(f"candidates: {', '.join(item.candidates)}")
        if item.score < 100:
            out.append(f"fuzzy match ({item.score:.0f})")
    if isinstance(item, Amount) and item.qualifier:
        out.append(f"qualifier: {item.qualifier}")
    if isinstance(item, Commitment) and item.kind == "new" and item.deadline is None:
        out.append("promise without a deadline")
    return out


@dataclass(frozen=True)
class Item:
    """One extracted item as the page shows it."""

    label: str
    index: int
    span: Span
    value: str
    warnings: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return f"item-{self.label}-{self.index}"

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end


def items(record: Record) -> list[Item]:
    """Every item of the record with offsets inside its text, in text order."""
    groups: list[tuple[str, Sequence[Span], Callable[[Any], str]]] = [
        ("citation", record.citations, _citation),
        ("amount", record.amounts, _amount),
        ("municipality", record.municipalities, _municipality),
        ("place", record.places, _place),
        ("motion", record.motions, _motion),
        ("commitment", record.commitments, _commitment),
    ]
    size = len(record.text)
    out: list[Item] = []
    for label, spans, value in groups:
        for index, span in enumerate(spans):
            if 0 <= span.start < span.end <= size:
                out.append(Item(label, index, span, value(span), tuple(_warnings(span))))
    return sorted(out, key=lambda i: (i.start, -i.end, i.label))


highlights = items  # the marks of the text are the items


def _mark_open(item: Item) -> str:
    title = f"{item.label}: {item.value}"
    return (
        f'<mark class="kb kb-{item.label}" data-label="{item.label}" id="{item.anchor}" '
        f'title="{escape(title)}" style="background:{COLOURS[item.label]}">'
    )


def _badge(item: Item) -> str:
    return f'<span class="val val-{item.label}">{escape(item.value)}</span>'


def _render_range(
    text: str, lo: int, hi: int, marks: Sequence[Item], inserts: Mapping[int, list[str]]
) -> str:
    """text[lo:hi] escaped, with nested marks and the ready HTML `inserts` at offsets."""
    inside = [m for m in marks if m.start < hi and m.end > lo]
    cuts = sorted(
        {lo, hi, *(k for k in inserts if lo <= k < hi)}
        | {c for m in inside for c in (m.start, m.end) if lo < c < hi}
    )
    pieces: list[str] = []
    for a, b in zip(cuts, [*cuts[1:], hi], strict=True):
        pieces.extend(inserts.get(a, []))
        if b <= a:
            continue
        chunk = escape(text[a:b]).replace("\n", "<br>\n")
        active = [m for m in inside if m.start <= a and b <= m.end]
        innermost_first = sorted(active, key=lambda m: m.end - m.start)
        for m in innermost_first:
            opened = _mark_open(m) if m.start == a else _mark_open(m).replace(' id="', ' data-id="')
            chunk = f"{opened}{chunk}</mark>"
        # values where an item ends, outside every mark so they never count as its text
        pieces.append(chunk + "".join(_badge(m) for m in innermost_first if m.end == b))
    return "".join(pieces)


def _footnote_inserts(record: Record) -> dict[int, list[str]]:
    inserts: dict[int, list[str]] = {}
    for note in record.footnotes:
        n = note.n
        if note.marker is not None:
            side = escape(note.text or "")
            inserts.setdefault(note.marker, []).append(
                f'<sup class="fn-marker"><a id="fnref-{n}" href="#fn-{n}">{n}</a></sup>'
                f'<span class="sidenote" role="note"><b>{n}</b> {side}</span>'
            )
        if note.start is not None:
            inserts.setdefault(note.start, []).append(
                f'<span class="fn-note" id="fn-{n}"><a href="#fnref-{n}">↩ {n}</a> </span>'
            )
    return inserts


def _is_heading(paragraph: str, following: str) -> bool:
    """A one-line paragraph without closing punctuation, followed by a sentence start."""
    line = paragraph.strip()
    return (
        0 < len(line) <= 90
        and "\n" not in line
        and (line[0].isupper() or line[0].isdigit())
        and line[-1] not in ".,;:?!"
        and not (following[:1].islower())
    )


def paragraphs(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """(start, end, is_heading) of each blank-line-separated paragraph of text[start:end]."""
    spans: list[tuple[int, int]] = []
    pos = start
    for m in re.finditer(r"\n\s*\n", text[start:end]):
        spans.append((pos, start + m.start()))
        pos = start + m.end()
    spans.append((pos, end))
    out: list[tuple[int, int, bool]] = []
    for i, (lo, hi) in enumerate(spans):
        following = text[spans[i + 1][0] : spans[i + 1][1]].lstrip() if i + 1 < len(spans) else ""
        out.append((lo, hi, _is_heading(text[lo:hi], following)))
    return out


def marked_text(record: Record) -> str:
    """The letter body as headings and paragraphs, then the footnote texts."""
    text = record.text
    marks = items(record)
    inserts = _footnote_inserts(record)
    body_end = record.body_end if 0 < record.body_end <= len(text) else len(text)
    parts: list[str] = []
    for lo, hi, heading in paragraphs(text, 0, body_end):
        tag = "h3" if heading else "p"
        parts.append(f"<{tag}>{_render_range(text, lo, hi, marks, inserts)}</{tag}>")
    if body_end < len(text):
        parts.append('<hr class="notes"><h2>Footnotes</h2>')
        notes = _render_range(text, body_end, len(text), marks, inserts)
        parts.append(f'<div class="notes">{notes}</div>')
    return "\n".join(parts)


FILTER_SCRIPT = """
(function () {
  var select = document.getElementById("type-filter");
  function apply() {
    var want = select.value;
    document.querySelectorAll("#items tbody tr").forEach(function (row) {
      row.hidden = want !== "all" && row.dataset.label !== want;
    });
    document.body.dataset.filter = want;
  }
  var hash = /^#type=(\\w+)$/.exec(location.hash);
  if (hash) { select.value = hash[1]; }
  select.addEventListener("change", apply);
  apply();
})();
""".strip()


def csp(script: str = FILTER_SCRIPT) -> str:
    """Only our own script (by its hash) runs; no network, no plugins, no frames."""
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


STYLE = """
body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;
 line-height:1.6}
.letter{max-width:44rem;position:relative}
mark.kb{padding:0 .1em;border-radius:.2em}
.val{font-size:.75em;background:#333;color:#fff;border-radius:.3em;padding:0 .3em;margin:0 .2em;
 white-space:nowrap}
.legend mark{margin-right:.5em}
.sidenote{float:right;clear:right;width:14rem;margin-right:-16rem;font-size:.8em;
 color:#444;border-left:2px solid #ccc;padding-left:.4em}
.fn-note{font-weight:bold}
.warnings{background:#fff4e5;border:1px solid #f0b45b;padding:.4em .8em}
table{border-collapse:collapse;font-size:.9em}
td,th{border:1px solid #ccc;padding:.2em .4em;vertical-align:top;text-align:left}
.items-box{max-height:26rem;overflow:auto;border:1px solid #ccc}
#items th{position:sticky;top:0;background:#f7f7f7}
figure{margin:1.5rem 0}
figure svg{max-width:100%;height:auto}
"""

PAGE = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<title>{{ title }}</title><style>{{ style }}</style></head>
<body>
<h1>{{ title }}</h1>
<table class="meta">
{% for key, value in meta %}<tr><th>{{ key }}</th><td>{{ value }}</td></tr>
{% endfor %}</table>
<p class="coverage">Text coverage: {{ coverage }}</p>
{% if warnings %}<div class="warnings"><h2>Warnings</h2><ul>
{% for w in warnings %}<li>{{ w }}</li>{% endfor %}</ul></div>{% endif %}
<h2>Extracted items</h2>
<p class="counts">{% for label, n in counts %}<mark class="kb"
 style="background:{{ colours[label] }}">{{ label }}</mark> {{ n }} {% endfor %}</p>
<label>Type <select id="type-filter"><option value="all">all</option>
{% for label, n in counts %}<option value="{{ label }}">{{ label }} ({{ n }})</option>{% endfor %}
</select></label>
<div class="items-box"><table id="items"><thead>
<tr><th>type</th><th>text</th><th>value</th><th>page</th>
<th>confidence</th><th>warnings</th></tr></thead><tbody>
{% for item in items %}<tr class="t-{{ item.label }}" data-label="{{ item.label }}">
<td>{{ item.label }}</td><td><a href="#{{ item.anchor }}">{{ item.text }}</a></td>
<td>{{ item.value }}</td><td>{{ item.page }}</td><td>{{ item.confidence }}</td>
<td>{{ item.warnings }}</td></tr>
{% endfor %}</tbody></table></div>
<h2>Text</h2>
<div class="letter">{{ text }}</div>
<h2>Links</h2>
{% if links %}<table class="links"><tr><th>source</th><th>kind</th><th>to</th>
<th>confidence</th><th>evidence</th></tr>
{% for link in links %}<tr><td>{{ link.source }}</td><td>{{ link.kind }}</td><td>{{ link.to }}</td>
<td>{{ link.confidence }}</td><td>{{ link.evidence }}</td></tr>
{% endfor %}</table>{% else %}<p>No links.</p>{% endif %}
<script>{{ script }}</script>
</body></html>
"""


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return show_controls(str(value))


ENV = Environment(autoescape=True, finalize=_finalize, keep_trailing_newline=True)


def render_html(record: Record, links: Sequence[Link] = ()) -> str:
    """The review page of one record (and the corpus links that touch it)."""
    text = record.text
    shown = items(record)
    counts = [(label, n) for label in LABELS if (n := sum(i.label == label for i in shown))]
    rows = [
        {
            "label": i.label,
            "anchor": i.anchor,
            "text": text[i.start : i.end][:200],
            "value": i.value,
            "page": i.span.page,
            "confidence": None if i.span.confidence is None else f"{i.span.confidence:.2f}",
            "warnings": "; ".join(i.warnings),
        }
        for i in shown
    ]
    link_rows = [
        {
            "source": link.source,
            "kind": link.kind,
            "to": link.to,
            "confidence": link.confidence,
            "evidence": "; ".join(f"{k}: {v}" for k, v in link.evidence.items()),
        }
        for link in [*record.links, *links]
    ]
    meta = [(k, v) for k, v in record.meta.model_dump(mode="json").items() if v is not None]
    coverage = "unknown" if record.coverage is None else f"{record.coverage:.1%}"
    return ENV.from_string(PAGE).render(
        csp=Markup(csp()),
        title=record.meta.subject or record.source.path,
        style=Markup(STYLE),
        meta=meta,
        coverage=coverage,
        warnings=record.warnings,
        counts=counts,
        colours=COLOURS,
        items=rows,
        text=Markup(marked_text(record)),
        links=link_rows,
        script=Markup(FILTER_SCRIPT),
    )


def links_touching(path: str, links: Sequence[Link]) -> list[Link]:
    return [link for link in links if path in (link.source, link.to)]
