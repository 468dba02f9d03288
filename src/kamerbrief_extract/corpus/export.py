"""Export an output folder as Parquet or CSV files (one per table) or one SQLite database.

Types come from `query.TABLES`, which maps every pydantic field explicitly. The
SQLite file is made for Datasette (`datasette corpus.sqlite -m
corpus.datasette.json`): `letters.path` is the primary key, every item table has
an `item_id` and a foreign key `path` -> `letters.path`, `links.source`/`links.target`
point at letters too; `letters_fts` (subject, text) and `footnotes_fts` (text)
are FTS5 indexes over their tables (`content=`, kept in step by triggers), so
`letters?_search=…` narrows the rows; the columns the README's queries filter
and join on are indexed. The metadata file beside it carries the README's named
queries as canned queries (in SQLite's dialect) and every table's and column's
description from the pydantic models. sqlite-utils does the inserts, the FTS
tables with their triggers and the indexes.

`--to register` writes the commitments as a register of toezeggingen (one CSV row per
distinct commitment with its mentions and its status on a given date).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from pathlib import Path
from typing import Any, Literal

import duckdb
import sqlite_utils
from pydantic import BaseModel

from kamerbrief_extract.corpus.query import (
    TABLES,
    TableRows,
    create_tables,
    load_corpus,
    table_rows,
)
from kamerbrief_extract.records import (
    Amount,
    Citation,
    Commitment,
    Footnote,
    Link,
    Meta,
    Motion,
    Municipality,
    Place,
    Record,
    Source,
    Span,
)
from kamerbrief_extract.store import CorpusLinks, atomic_write_text

ExportFormat = Literal["parquet", "csv", "sqlite", "register"]
METADATA_SUFFIX = ".datasette.json"

ITEM_TABLES = (
    "footnotes",
    "citations",
    "amounts",
    "municipalities",
    "places",
    "motions",
    "commitments",
)
FTS: dict[str, tuple[str, ...]] = {"letters": ("subject", "text"), "footnotes": ("text",)}
TOKENIZE = "unicode61 remove_diacritics 2"
INDEXES: dict[str, tuple[tuple[str, ...], ...]] = {
    "letters": (("date",), ("doc_type",), ("file",)),
    "amounts": (("path",), ("recurrence",)),
    "municipalities": (("path",), ("name", "cbs_code")),
    "commitments": (("path",), ("kind", "commitment_status", "deadline")),
    "motions": (("path",), ("status",), ("motion_id",)),
    "citations": (("path",), ("id",)),
    "footnotes": (("path",),),
    "places": (("path",),),
    "links": (("source",), ("target",), ("kind",)),
}
MODELS: dict[str, tuple[type[BaseModel], ...]] = {
    "letters": (Meta, Source, Record),
    "footnotes": (Footnote,),
    "citations": (Citation, Span),
    "amounts": (Amount, Span),
    "municipalities": (Municipality, Span),
    "places": (Place, Span),
    "motions": (Motion, Span),
    "commitments": (Commitment, Span),
    "links": (Link,),
}
TABLE_TITLES: dict[str, str] = {
    "letters": "Documents: one row per record, with its metadata and text",
    "footnotes": "Footnotes, with their offsets in the letter's text",
    "citations": "Cited documents (Kamerstukken, Handelingen, gazettes, ECLI)",
    "amounts": "Amounts in euros, normalised",
    "municipalities": "Municipalities named, with their CBS code",
    "places": "Places (woonplaatsen) and the municipality they lie in",
    "motions": "Motions mentioned, with the registry's motion id and status",
    "commitments": "Commitments (toezeggingen), with the registry's id and status",
    "links": "Links between documents: cites, about, fulfils, same_motion",
}
EXTRA_COLUMNS: dict[str, str] = {
    "item_id": "row number of the item",
    "path": "the record's source path (letters.path)",
    "file": "file name of the source",
    "source_kind": "text | markdown | pdf | ocr | xml",
    "target": "the document the link points at (letters.path)",
    "motion_id": "the motion registry's id: the citation, else m<n>",
    "motion_status": "the motion's latest status over the corpus",
    "commitment_id": "the commitment registry's id: <path>#<index of the promise>",
    "commitment_status": "open | fulfilled for a promise; reference | fulfilled otherwise",
    "fulfilled_by": "paths of the letters that deliver the promise",
}

# The README's named queries, in SQLite's dialect (the README's are DuckDB's);
# tests/test_export.py checks that both give the same rows on the sample corpus.
CANNED_QUERIES: dict[str, tuple[str, str]] = {
    "euros_per_year": (
        "Euros named per year and recurrence (each distinct amount once per letter)",
        """WITH distinct_amounts AS (
  SELECT DISTINCT path, value_eur, value_max_eur, recurrence FROM amounts
)
SELECT CAST(strftime('%Y', l.date) AS INTEGER) AS year, a.recurrence,
       count(*) AS amounts, sum(a.value_eur) AS total_eur
FROM distinct_amounts a JOIN letters l USING (path)
GROUP BY year, a.recurrence
ORDER BY year, a.recurrence IS NULL, a.recurrence""",
    ),
    "top_municipalities": (
        "Municipalities mentioned most",
        """SELECT name, cbs_code, count(*) AS mentions, count(DISTINCT path) AS letters
FROM municipalities
GROUP BY name, cbs_code
ORDER BY mentions DESC, name
LIMIT 10""",
    ),
    "overdue_commitments": (
        "Open commitments whose deadline has passed",
        """SELECT l.file, l.date AS letter_date, c.deadline, c.deadline_raw, c.text
FROM commitments c JOIN letters l USING (path)
WHERE c.kind = 'new' AND c.commitment_status = 'open' AND c.deadline < date('now')
ORDER BY c.deadline, l.file""",
    ),
    "motions_done": (
        "Motions reported as afgedaan, with the letter that says so",
        """SELECT m.motion_id, m.submitters, m.citation, l.file, l.date, m.raw
FROM motions m JOIN letters l USING (path)
WHERE m.status = 'afgedaan'
ORDER BY l.date, m.motion_id""",
    ),
    "citation_graph": (
        "The citation graph between letters, and which letter delivers which promise",
        """SELECT s.file AS source, k.kind, t.file AS target, s.date AS source_date,
       t.date AS target_date, k.confidence
FROM links k
JOIN letters s ON s.path = k.source
JOIN letters t ON t.path = k.target
WHERE k.kind IN ('cites', 'fulfils')
ORDER BY source, k.kind, target""",
    ),
}

REGISTER_COLUMNS: tuple[str, ...] = (
    "commitment_id",
    "status",
    "source",
    "date",
    "official",
    "ministry",
    "kind",
    "text",
    "deadline",
    "deadline_raw",
    "deadline_precision",
    "citation",
    "cue",
    "in_footnote",
    "in_answer",
    "n_mentions",
    "mentions",
    "fulfilled_by",
)


def register_status(row: dict[str, Any], on: dt.date) -> str:
    """open | fulfilled | overdue on `on`: fulfilled when a later letter or a mention says so."""
    kinds = {m.get("kind") for m in row.get("mentions") or []}
    if row.get("fulfilled_by") or "fulfilled" in kinds:
        return "fulfilled"
    deadline = row.get("deadline")
    if deadline and dt.date.fromisoformat(str(deadline)[:10]) < on:
        return "overdue"
    return "open"


def register_rows(corpus: CorpusLinks, on: dt.date) -> list[dict[str, Any]]:
    """One row per distinct commitment, as the Chamber's register of toezeggingen lays it out."""
    rows: list[dict[str, Any]] = []
    for row in corpus.commitments:
        mentions = row.get("mentions") or []
        rows.append(
            {
                **{c: row.get(c) for c in REGISTER_COLUMNS},
                "status": register_status(row, on),
                "n_mentions": len(mentions),
                "mentions": json.dumps(
                    [
                        {k: m.get(k) for k in ("source", "date", "kind", "start", "end")}
                        for m in mentions
                    ],
                    ensure_ascii=False,
                ),
                "fulfilled_by": ";".join(str(f["source"]) for f in row.get("fulfilled_by") or []),
            }
        )
    return rows


def export_register(out_dir: Path, dest: Path | None = None, on: dt.date | None = None) -> Path:
    """Write `register.csv`: one row per distinct commitment with its mentions and status."""
    _, corpus = load_corpus(out_dir)
    target = dest or out_dir / "register.csv"
    if target.is_dir():
        target = target / "register.csv"
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(REGISTER_COLUMNS))
    writer.writeheader()
    writer.writerows(register_rows(corpus, on or dt.date.today()))
    atomic_write_text(target, buffer.getvalue())
    return target


def export(
    out_dir: Path, to: ExportFormat, dest: Path | None = None, on: dt.date | None = None
) -> Path:
    """Write the tables of `out_dir`; returns the folder (parquet/csv) or database file.

    `register` writes one CSV of distinct commitments, their status counted on `on`.
    """
    if to == "register":
        return export_register(out_dir, dest, on)
    records, corpus = load_corpus(out_dir)
    rows = table_rows(records, corpus)
    if to == "sqlite":
        return export_sqlite(rows, dest or out_dir / "corpus.sqlite")
    target = dest or out_dir / f"export_{to}"
    target.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:")
    create_tables(con, rows)
    for table in TABLES:
        file = (target / f"{table}.{to}").as_posix().replace("'", "''")
        if to == "parquet":
            con.execute(f"COPY \"{table}\" TO '{file}' (FORMAT parquet)")
        elif to == "csv":
            con.execute(f"COPY \"{table}\" TO '{file}' (FORMAT csv, HEADER true)")
        else:
            raise ValueError(f"unknown export format {to!r}")
    return target


def _sqlite_value(value: Any, sqlite_type: str, duck_type: str) -> Any:
    if value is None:
        return None
    if duck_type.endswith("[]") or duck_type == "JSON":
        return json.dumps(value, ensure_ascii=False)
    if sqlite_type == "INTEGER" and isinstance(value, bool):
        return int(value)
    return value  # JSON numbers already; NUMERIC keeps integers exact


def _ddl(table: str) -> str:
    cols = TABLES[table]
    parts: list[str] = []
    if table in ITEM_TABLES:
        parts.append('"item_id" INTEGER PRIMARY KEY')
    for col in cols:
        key = " PRIMARY KEY" if table == "letters" and col.name == "path" else ""
        not_null = " NOT NULL" if col.name in {"path", "source", "target"} else ""
        parts.append(f'"{col.name}" {col.sqlite}{key}{not_null}')
    if table in ITEM_TABLES:
        parts.append('FOREIGN KEY ("path") REFERENCES "letters" ("path")')
    if table == "links":
        parts.append('FOREIGN KEY ("source") REFERENCES "letters" ("path")')
        parts.append('FOREIGN KEY ("target") REFERENCES "letters" ("path")')
    return f'CREATE TABLE "{table}" ({", ".join(parts)})'


def export_sqlite(rows: TableRows, target: Path) -> Path:
    """One Datasette-ready SQLite file, and its metadata file beside it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        db = sqlite_utils.Database(con)
        for table in ("letters", *ITEM_TABLES, "links"):  # letters first: the others refer to it
            con.execute(_ddl(table))
            cols = TABLES[table]
            data = (
                {c.name: _sqlite_value(row.get(c.field or c.name), c.sqlite, c.duck) for c in cols}
                for row in rows.get(table, [])
            )
            db.table(table).insert_all(data, batch_size=500)
        for table, columns in FTS.items():
            db.table(table).enable_fts(columns, create_triggers=True, tokenize=TOKENIZE)
        for table, indexes in INDEXES.items():
            for columns in indexes:
                db.table(table).create_index(list(columns), if_not_exists=True)
        con.execute("ANALYZE")
        con.commit()
    finally:
        con.close()
    atomic_write_text(metadata_path(target), json.dumps(datasette_metadata(target), indent=2))
    tmp.replace(target)
    return target


def metadata_path(database: Path) -> Path:
    return database.with_name(database.stem + METADATA_SUFFIX)


def column_descriptions(table: str) -> dict[str, str]:
    """Each column's description: the pydantic field's, else the registry's or ours."""
    out: dict[str, str] = {}
    for model in MODELS[table]:
        for name, info in model.model_fields.items():
            column = {"kind": "source_kind"}.get(name, name) if model is Source else name
            column = "target" if model is Link and name == "to" else column
            if info.description and column not in out:
                out[column] = info.description
    names = {"item_id", *(c.name for c in TABLES[table])}
    for name, text in EXTRA_COLUMNS.items():
        out.setdefault(name, text)
    return {k: v for k, v in out.items() if k in names}


def datasette_metadata(database: Path) -> dict[str, Any]:
    """Datasette's metadata: titles and column descriptions, FTS settings, canned queries."""
    tables: dict[str, Any] = {}
    for table in TABLES:
        entry: dict[str, Any] = {
            "title": TABLE_TITLES[table],
            "columns": column_descriptions(table),
        }
        if table in FTS:
            entry["fts_table"] = f"{table}_fts"
            entry["fts_pk"] = "rowid"
        if table == "letters":
            entry["label_column"] = "file"
            entry["sort_desc"] = "date"
        tables[table] = entry
    for table in FTS:
        tables[f"{table}_fts"] = {"hidden": True}
    return {
        "title": "kamerbrief corpus",
        "description": "Records extracted by kamerbrief_extract; see the README's queries.",
        "databases": {
            database.stem: {
                "tables": tables,
                "queries": {
                    name: {"title": title, "sql": sql}
                    for name, (title, sql) in CANNED_QUERIES.items()
                },
            }
        },
    }
