"""Export an output folder as Parquet or CSV files (one per table) or one SQLite database.

`--to register` writes the commitments as a register of toezeggingen (one CSV row per
distinct commitment with its mentions and its status on a given date).

Types come from `query.TABLES`, which maps every pydantic field explicitly; SQLite
gets JSON text for lists and ISO text for dates, plus an FTS5 index on the
letter text (`letters_fts`) so researchers can search the letters by word.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any, Literal

import duckdb

from kamerbrief_extract.corpus.query import TABLES, create_tables, load_corpus, table_rows

ExportFormat = Literal["parquet", "csv", "sqlite", "register"]

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


def register_rows(corpus: dict[str, Any], on: dt.date) -> list[dict[str, Any]]:
    """One row per distinct commitment, as the Chamber's register of toezeggingen lays it out."""
    rows: list[dict[str, Any]] = []
    for row in corpus.get("commitments", []):
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
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(REGISTER_COLUMNS))
        writer.writeheader()
        writer.writerows(register_rows(corpus, on or dt.date.today()))
    tmp.replace(target)
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
        target = dest or out_dir / "corpus.sqlite"
        return export_sqlite(rows, target)
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
    if sqlite_type == "NUMERIC":
        return value  # JSON numbers already; NUMERIC keeps integers exact
    return value


def export_sqlite(rows: dict[str, list[dict[str, Any]]], target: Path) -> Path:
    """One SQLite file with a table per view and a full-text index on the letters."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        for table, cols in TABLES.items():
            ddl = ", ".join(f'"{c.name}" {c.sqlite}' for c in cols)
            con.execute(f'CREATE TABLE "{table}" ({ddl})')
            marks = ", ".join("?" for _ in cols)
            con.executemany(
                f'INSERT INTO "{table}" VALUES ({marks})',
                [
                    [_sqlite_value(row.get(c.field or c.name), c.sqlite, c.duck) for c in cols]
                    for row in rows.get(table, [])
                ],
            )
        con.execute(
            "CREATE VIRTUAL TABLE letters_fts USING fts5("
            "path UNINDEXED, subject, text, tokenize='unicode61 remove_diacritics 2')"
        )
        con.execute(
            "INSERT INTO letters_fts (path, subject, text) SELECT path, subject, text FROM letters"
        )
        con.commit()
    finally:
        con.close()
    tmp.replace(target)
    return target
