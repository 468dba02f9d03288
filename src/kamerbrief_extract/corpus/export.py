"""Export an output folder as Parquet or CSV files (one per table) or one SQLite database.

Types come from `query.TABLES`, which maps every pydantic field explicitly; SQLite
gets JSON text for lists and ISO text for dates, plus an FTS5 index on the
letter text (`letters_fts`) so researchers can search the letters by word.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any, Literal

import duckdb

from kamerbrief_extract.corpus.query import TABLES, create_tables, load_corpus, table_rows

ExportFormat = Literal["parquet", "csv", "sqlite"]


def export(out_dir: Path, to: ExportFormat, dest: Path | None = None) -> Path:
    """Write the tables of `out_dir`; returns the folder (parquet/csv) or database file."""
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
