"""SQL over an output folder: the records copied into an in-memory DuckDB.

The database lives in memory; the connection that runs user SQL has external
access, extension install and autoload switched off and bounds on time, memory
and spill space (`Sandbox`), so a query can neither read other files, fetch
anything, nor change anything on disk; on top of that only single SELECT/WITH
statements are accepted.
Column types come from the pydantic models (`records.py`), never from inference.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import json
import re
import shutil
import tempfile
import threading
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import duckdb
from pydantic import BaseModel

from kamerbrief_extract.corpus.links import build_corpus
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
)
from kamerbrief_extract.store import CorpusLinks, read_corpus_links, read_records

Row = dict[str, Any]
"""One flat row of a corpus table (a record is `records.Record`, never a dict)."""
TableRows = Mapping[str, Sequence[Row]]

DECIMAL_TYPE = "DECIMAL(18,2)"
# Python type -> (DuckDB type, SQLite type)
SCALARS: dict[type, tuple[str, str]] = {
    str: ("VARCHAR", "TEXT"),
    int: ("BIGINT", "INTEGER"),
    float: ("DOUBLE", "REAL"),
    bool: ("BOOLEAN", "INTEGER"),
    Decimal: (DECIMAL_TYPE, "NUMERIC"),
    dt.date: ("DATE", "TEXT"),
}


class QueryError(ValueError):
    """A statement that is not a single read-only query."""


@dataclass(frozen=True)
class Column:
    name: str
    duck: str
    sqlite: str
    field: str | None = None  # key in the source dict when it differs from `name`


def column_types(annotation: object) -> tuple[str, str]:
    """DuckDB and SQLite types for one model field annotation (explicit, no inference)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return column_types(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return column_types(args[0])
        return ("JSON", "TEXT")
    if origin is Literal:
        values = typing.get_args(annotation)
        return column_types(type(values[0]))
    if origin is list:
        inner, _ = column_types(typing.get_args(annotation)[0])
        return (f"{inner}[]", "TEXT")  # SQLite has no arrays: JSON text
    if origin is dict:
        return ("JSON", "TEXT")
    if isinstance(annotation, type) and annotation in SCALARS:
        return SCALARS[annotation]
    raise TypeError(f"no column type for {annotation!r}")


def model_columns(
    model: type[BaseModel], skip: Sequence[str] = (), rename: Mapping[str, str] | None = None
) -> list[Column]:
    hints = typing.get_type_hints(model, include_extras=True)
    cols: list[Column] = []
    for name in model.model_fields:
        if name in skip:
            continue
        duck, lite = column_types(hints[name])
        new = (rename or {}).get(name, name)
        cols.append(Column(new, duck, lite, name if new != name else None))
    return cols


PATH = Column("path", "VARCHAR", "TEXT")
TABLES: dict[str, list[Column]] = {
    "letters": [
        PATH,
        Column("file", "VARCHAR", "TEXT"),
        *model_columns(Meta),
        *model_columns(Source, skip=("path",), rename={"kind": "source_kind"}),
        Column("text", "VARCHAR", "TEXT"),
        Column("body_end", "BIGINT", "INTEGER"),
    ],
    "footnotes": [PATH, *model_columns(Footnote)],
    "citations": [PATH, *model_columns(Citation)],
    "amounts": [PATH, *model_columns(Amount)],
    "municipalities": [PATH, *model_columns(Municipality)],
    "places": [PATH, *model_columns(Place)],
    "motions": [
        PATH,
        *model_columns(Motion),
        Column("motion_id", "VARCHAR", "TEXT"),
        Column("motion_status", "VARCHAR", "TEXT"),
    ],
    "commitments": [
        PATH,
        *model_columns(Commitment),
        Column("commitment_id", "VARCHAR", "TEXT"),
        Column("commitment_status", "VARCHAR", "TEXT"),
        Column("fulfilled_by", "VARCHAR[]", "TEXT"),
    ],
    "links": model_columns(Link, rename={"to": "target"}),
}


def _convert(value: Any, duck: str) -> Any:
    if value is None:
        return None
    if duck == DECIMAL_TYPE:
        return Decimal(str(value))
    if duck == "DATE":
        return dt.date.fromisoformat(str(value)[:10])
    if duck == "JSON":
        return json.dumps(value, ensure_ascii=False)
    if duck == "DOUBLE[]" and isinstance(value, list):
        return [float(v) for v in value]
    return value


def table_rows(records: Sequence[Record], corpus: CorpusLinks) -> dict[str, list[Row]]:
    """Flat rows per table (values as in the JSON of the records)."""
    motion_ids: dict[tuple[str, Any], tuple[str, Any]] = {}
    for row in corpus.motions:
        for m in row["mentions"]:
            motion_ids[(m["source"], m["start"])] = (row["motion_id"], row["status"])
    commitment_ids: dict[tuple[str, Any], tuple[str, Any, list[str]]] = {}
    for row in corpus.commitments:
        done = [f["source"] for f in row.get("fulfilled_by", [])]
        for m in row["mentions"]:
            commitment_ids[(m["source"], m["start"])] = (row["commitment_id"], row["status"], done)
    out: dict[str, list[Row]] = {name: [] for name in TABLES}
    for rec in records:
        path = rec.source.path
        source = rec.source.model_dump(mode="json", exclude={"path"})
        out["letters"].append(
            {
                "path": path,
                "file": Path(path).name,
                **rec.meta.model_dump(mode="json"),
                **source,
                "text": rec.text,
                "body_end": rec.body_end,
            }
        )
        for table, items in (
            ("footnotes", rec.footnotes),
            ("citations", rec.citations),
            ("amounts", rec.amounts),
            ("municipalities", rec.municipalities),
            ("places", rec.places),
        ):
            out[table].extend({"path": path, **item.model_dump(mode="json")} for item in items)
        for motion in [*rec.motions, *rec.amendments]:
            mid, status = motion_ids.get((path, motion.start), (None, None))
            out["motions"].append(
                {
                    "path": path,
                    **motion.model_dump(mode="json"),
                    "motion_id": mid,
                    "motion_status": status,
                }
            )
        for com in rec.commitments:
            cid, status, done = commitment_ids.get((path, com.start), (None, None, []))
            out["commitments"].append(
                {
                    "path": path,
                    **com.model_dump(mode="json"),
                    "commitment_id": cid,
                    "commitment_status": status,
                    "fulfilled_by": done,
                }
            )
    out["links"] = [link.model_dump(mode="json") for link in corpus.links]
    return out


def load_corpus(out_dir: Path) -> tuple[list[Record], CorpusLinks]:
    """Records of an output folder and its links.json (built on the fly when absent)."""
    records = read_records(out_dir)
    corpus = read_corpus_links(out_dir)
    return records, corpus if corpus is not None else build_corpus(records)


def iter_typed_rows(table: str, rows: Sequence[Row]) -> Iterator[list[Any]]:
    cols = TABLES[table]
    for row in rows:
        yield [_convert(row.get(c.field or c.name), c.duck) for c in cols]


def create_tables(con: duckdb.DuckDBPyConnection, rows: TableRows) -> None:
    for table, cols in TABLES.items():
        ddl = ", ".join(f'"{c.name}" {c.duck}' for c in cols)
        con.execute(f'CREATE TABLE "{table}" ({ddl})')
        data = list(iter_typed_rows(table, rows.get(table, [])))
        if data:
            marks = ", ".join("?" for _ in cols)
            con.executemany(f'INSERT INTO "{table}" VALUES ({marks})', data)


@dataclass(frozen=True, slots=True)
class QueryLimits:
    """Bounds for one query; the defaults fit any sensible question about a large corpus."""

    timeout_s: float = 120.0
    memory_mb: int = 2048
    spill_mb: int = 4096
    """Spill to disk (in a private temporary folder) up to this much, then fail."""
    threads: int = 2


class Sandbox:
    """The one DuckDB connection that sees user SQL.

    External access, extension install and autoload are off, the configuration is
    locked, memory and spill space are bounded and every query is interrupted at
    the time limit. Spill files live in a private temporary folder; the only path
    the connection may touch is one result file inside it, which a parquet result
    is written to (by the relational API, no SQL is built from a query's column
    names) and then moved to its destination.
    """

    def __init__(self, tables: TableRows, limits: QueryLimits):
        self.limits = limits
        self._tmp = tempfile.TemporaryDirectory(prefix="kamerbrief-query-")
        folder = Path(self._tmp.name)
        self._result = folder / "result.parquet"
        self.con = duckdb.connect(
            ":memory:",
            config={
                "autoinstall_known_extensions": False,
                "autoload_known_extensions": False,
                "allow_community_extensions": False,
                "allow_unsigned_extensions": False,
                "temp_directory": str(folder / "spill"),
                "memory_limit": f"{limits.memory_mb}MB",
                "max_temp_directory_size": f"{limits.spill_mb}MB",
                "threads": limits.threads,
            },
        )
        create_tables(self.con, tables)
        self.con.execute("SET allowed_paths = $paths", {"paths": [str(self._result)]})
        self.con.execute("SET enable_external_access = false")
        self.con.execute("SET lock_configuration = true")

    def close(self) -> None:
        self.con.close()
        self._tmp.cleanup()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _bounded(self) -> Iterator[None]:
        """Interrupt the running query at the time limit; DuckDB errors become QueryError."""
        timer = threading.Timer(self.limits.timeout_s, self.con.interrupt)
        timer.start()
        try:
            yield
        except duckdb.InterruptException:
            raise QueryError(
                f"query stopped at the time limit of {self.limits.timeout_s:g} s (--timeout)"
            ) from None
        except duckdb.OutOfMemoryException as exc:
            raise QueryError(
                f"query needs more than the memory limit of {self.limits.memory_mb} MB "
                f"(--memory-mb): {exc}"
            ) from None
        finally:
            timer.cancel()

    def relation(self, sql: str, params: Mapping[str, object] | None) -> duckdb.DuckDBPyRelation:
        check_read_only(self.con, sql)
        return self.con.sql(sql, params=dict(params) if params else None)

    def run(self, sql: str, params: Mapping[str, object] | None = None) -> Result:
        check_read_only(self.con, sql)
        with self._bounded():
            try:
                cursor = self.con.execute(sql, dict(params)) if params else self.con.execute(sql)
            except duckdb.CatalogException as exc:
                if "Table with name" not in str(exc):
                    raise  # a function or extension outside the sandbox: DuckDB's own error
                message = _without_system_hint(str(exc))
                raise QueryError(f"{message}\n{tables_hint(message)}") from exc
            description = cursor.description or []
            rows = cursor.fetchall()
        return Result([d[0] for d in description], [str(d[1]) for d in description], rows)

    def write_parquet(self, sql: str, params: Mapping[str, object] | None, dest: Path) -> None:
        """The query's result as a parquet file at dest (written whole, then moved)."""
        with self._bounded():
            self.relation(sql, params).write_parquet(str(self._result))
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(self._result, dest)


def connect(out_dir: Path, limits: QueryLimits | None = None) -> Sandbox:
    """The sandbox over the tables of an output folder, closed to the file system."""
    records, corpus = load_corpus(out_dir)
    return Sandbox(table_rows(records, corpus), limits or QueryLimits())


def check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse anything but one SELECT (a WITH query is a SELECT)."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(str(exc)) from exc
    if len(statements) != 1:
        raise QueryError(f"expected exactly one statement, got {len(statements)}")
    if statements[0].type != duckdb.StatementType.SELECT:
        raise QueryError(f"only SELECT/WITH queries are allowed, not {statements[0].type.name}")


def _without_system_hint(message: str) -> str:
    """DuckDB's "Did you mean ..." names its own system views; keep it only for corpus tables."""
    first = message.strip().splitlines()[0] if message.strip() else message
    hint = re.search(r'Did you mean "(?:[^"]*\.)?([^".]+)"\??', first)
    if hint and hint[1] not in TABLES:
        first = first[: hint.start()].rstrip()
    return first


def tables_hint(message: str = "") -> str:
    """The corpus tables, and the closest one to a name the query got wrong."""
    names = ", ".join(TABLES)
    wrong = re.search(r'with name "?([\w.]+?)"? does not exist', message)
    close = difflib.get_close_matches(wrong[1].lower(), TABLES, n=1) if wrong else []
    guess = f'Did you mean "{close[0]}"? ' if close else ""
    return f"{guess}The corpus tables are: {names}."


@dataclass(frozen=True)
class Result:
    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]


def run_query(sandbox: Sandbox, sql: str, params: Mapping[str, object] | None = None) -> Result:
    """Run one read-only query with optional named parameters ($name)."""
    return sandbox.run(sql, params)


def write_result(result: Result, fmt: str, dest: Path | None) -> str | None:
    """csv/jsonl text (returned when dest is None, else written to dest).

    Parquet is written by `Sandbox.write_parquet`, inside the sandbox.
    """
    import csv
    import io

    buffer = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(buffer)
        writer.writerow(result.columns)
        writer.writerows([[_plain(v) for v in row] for row in result.rows])
    elif fmt == "jsonl":
        for row in result.rows:
            item = {c: _plain(v) for c, v in zip(result.columns, row, strict=True)}
            buffer.write(json.dumps(item, ensure_ascii=False) + "\n")
    else:
        raise QueryError(f"unknown format {fmt!r}")
    text = buffer.getvalue()
    if dest is not None:
        dest.write_text(text, encoding="utf-8")
        return None
    return text


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def parse_params(items: Sequence[str]) -> dict[str, Any]:
    """`name=value` pairs; integers, decimals and ISO dates are typed, the rest stays text."""
    params: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"parameter {item!r} is not name=value")
        params[name.strip().lstrip("$")] = _typed(raw)
    return params


def _typed(raw: str) -> Any:
    for parse in (int, Decimal, dt.date.fromisoformat):
        try:
            return parse(raw)
        except (ValueError, ArithmeticError):
            continue
    return raw
