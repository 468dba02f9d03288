"""The corpus page: what an output folder holds, as plots and the tables behind them.

Letters over time, euros per year by recurrence (each distinct amount once per
letter, as in the README's query), commitments by deadline and status (open,
overdue, fulfilled), the most-mentioned municipalities and the most-cited
documents. Plots are inline SVG drawn by pygal on the server (no script, no
network: pygal's own config script is removed and the page's
Content-Security-Policy allows none); every plot has its numbers in a table.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pygal
from markupsafe import Markup
from pygal.style import Style

from kamerbrief_extract.corpus.review import ENV, STYLE, show_controls
from kamerbrief_extract.records import Record
from kamerbrief_extract.store import CorpusLinks

SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)
CHART_STYLE = Style(background="white", plot_background="white", font_family="sans-serif")
TOP = 10


@dataclass(frozen=True)
class Plot:
    """One figure: its title, the SVG, and the numbers it shows (header + rows)."""

    key: str
    title: str
    svg: Markup
    header: Sequence[str]
    rows: Sequence[Sequence[object]] = field(default_factory=list)


def _svg(chart: pygal.graph.graph.Graph) -> Markup:
    svg = chart.render(is_unicode=True)
    return Markup(SCRIPT.sub("", svg))  # our own chart; pygal escapes its labels


def _chart(kind: type[pygal.graph.graph.Graph], title: str) -> pygal.graph.graph.Graph:
    return kind(
        title=title,
        js=[],
        disable_xml_declaration=True,
        style=CHART_STYLE,
        width=760,
        height=340,
        print_values=False,
        x_label_rotation=30,
        legend_at_bottom=True,
    )


def _label(text: str) -> str:
    return show_controls(text)


def letters_over_time(records: Sequence[Record]) -> Plot:
    dates = sorted(r.meta.date for r in records if r.meta.date)
    monthly = bool(dates) and (dates[-1] - dates[0]).days <= 3 * 366
    counts: Counter[str] = Counter(d.strftime("%Y-%m") if monthly else str(d.year) for d in dates)
    undated = sum(1 for r in records if not r.meta.date)
    keys = sorted(counts)
    chart = _chart(pygal.Bar, "Documents per " + ("month" if monthly else "year"))
    chart.x_labels = keys
    chart.add("documents", [counts[k] for k in keys])
    rows: list[list[object]] = [[k, counts[k]] for k in keys]
    if undated:
        rows.append(["no date", undated])
    period = "month" if monthly else "year"
    return Plot("letters", "Documents over time", _svg(chart), [period, "documents"], rows)


RECURRENCES = (("per_year", "per year"), ("one_off", "one-off"), (None, "not said"))


def euros_per_year(records: Sequence[Record]) -> Plot:
    totals: dict[tuple[int, str | None], Decimal] = defaultdict(Decimal)
    for rec in records:
        if not rec.meta.date:
            continue
        seen = {(a.value_eur, a.value_max_eur, a.recurrence) for a in rec.amounts}
        for value, _, recurrence in seen:
            totals[(rec.meta.date.year, recurrence)] += value
    years = sorted({year for year, _ in totals})
    chart = _chart(pygal.StackedBar, "Euros named per year (millions, distinct per letter)")
    chart.x_labels = [str(y) for y in years]
    for key, name in RECURRENCES:
        chart.add(name, [float(totals.get((y, key), 0)) / 1e6 for y in years])
    rows = [
        [y, name, f"{totals[(y, key)]:,.0f}".replace(",", ".")]
        for y in years
        for key, name in RECURRENCES
        if (y, key) in totals
    ]
    return Plot(
        "euros", "Euros per year by recurrence", _svg(chart), ["year", "recurrence", "€"], rows
    )


STATUSES = ("open", "overdue", "fulfilled")


def commitments_by_deadline(corpus: CorpusLinks, today: dt.date) -> Plot:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in corpus.commitments:
        if row.get("kind") != "new":
            continue
        deadline = row.get("deadline")
        status = str(row.get("status") or "open")
        if status == "open" and deadline and dt.date.fromisoformat(deadline[:10]) < today:
            status = "overdue"
        counts[(deadline[:7] if deadline else "no deadline", status)] += 1
    keys = sorted({k for k, _ in counts}, key=lambda k: (k == "no deadline", k))
    chart = _chart(pygal.StackedBar, "Promises by deadline (month) and status")
    chart.x_labels = keys
    for status in STATUSES:
        chart.add(status, [counts.get((k, status), 0) for k in keys])
    rows = [[k, s, counts[(k, s)]] for k in keys for s in STATUSES if (k, s) in counts]
    header = ["deadline", "status", "promises"]
    return Plot("commitments", "Commitments by deadline and status", _svg(chart), header, rows)


def top_municipalities(records: Sequence[Record]) -> Plot:
    mentions: Counter[tuple[str, str]] = Counter()
    letters: dict[tuple[str, str], set[str]] = defaultdict(set)
    for rec in records:
        for m in rec.municipalities:
            key = (m.official_name or m.name, m.cbs_code or "?")
            mentions[key] += 1
            letters[key].add(rec.source.path)
    top = sorted(mentions.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    chart = _chart(pygal.HorizontalBar, "Municipalities mentioned most")
    chart.x_labels = [_label(f"{name} ({code})") for (name, code), _ in reversed(top)]
    chart.add("mentions", [n for _, n in reversed(top)])
    rows = [[name, code, n, len(letters[(name, code)])] for (name, code), n in top]
    header = ["municipality", "CBS code", "mentions", "letters"]
    return Plot("municipalities", "Most-mentioned municipalities", _svg(chart), header, rows)


def most_cited(corpus: CorpusLinks) -> Plot:
    cited: Counter[str] = Counter(link.to for link in corpus.links if link.kind == "cites")
    fulfils: Counter[str] = Counter(link.to for link in corpus.links if link.kind == "fulfils")
    top = sorted(cited.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    chart = _chart(pygal.HorizontalBar, "Documents cited most by other documents")
    chart.x_labels = [_label(path) for path, _ in reversed(top)]
    chart.add("cited by", [n for _, n in reversed(top)])
    rows = [[path, n, fulfils.get(path, 0)] for path, n in top]
    header = ["document", "cited by", "promises delivered by others"]
    return Plot("cited", "The citation graph's most-cited documents", _svg(chart), header, rows)


PAGE = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'">
<title>{{ title }}</title><style>{{ style }}</style></head>
<body>
<h1>{{ title }}</h1>
<p>{{ documents }} documents, {{ links }} links, {{ promises }} promises; made {{ today }}.</p>
<nav><ul>{% for plot in plots %}<li><a href="#{{ plot.key }}">{{ plot.title }}</a></li>
{% endfor %}</ul></nav>
{% for plot in plots %}<section id="{{ plot.key }}"><h2>{{ plot.title }}</h2>
<figure class="plot">{{ plot.svg }}</figure>
<table class="numbers"><thead><tr>{% for h in plot.header %}<th>{{ h }}</th>{% endfor %}</tr>
</thead><tbody>{% for row in plot.rows %}<tr>{% for v in row %}<td>{{ v }}</td>{% endfor %}</tr>
{% else %}<tr><td colspan="{{ plot.header|length }}">nothing in this corpus</td></tr>
{% endfor %}</tbody></table></section>
{% endfor %}
</body></html>
"""


def render_report(
    records: Sequence[Record], corpus: CorpusLinks, today: dt.date | None = None
) -> str:
    """The corpus page of a set of records and their links."""
    day = today or dt.date.today()
    plots = [
        letters_over_time(records),
        euros_per_year(records),
        commitments_by_deadline(corpus, day),
        top_municipalities(records),
        most_cited(corpus),
    ]
    return ENV.from_string(PAGE).render(
        title="Corpus overview",
        style=Markup(STYLE),
        documents=len(records),
        links=len(corpus.links),
        promises=sum(1 for row in corpus.commitments if row.get("kind") == "new"),
        today=day.isoformat(),
        plots=plots,
    )
