"""SQL over an output folder: README examples, read-only guard, typed columns, exports."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import duckdb
import pytest
from typer.testing import CliRunner

from factory import make_record
from kamerbrief_extract.batch import run_batch
from kamerbrief_extract.cli import app
from kamerbrief_extract.corpus.export import export
from kamerbrief_extract.corpus.links import write_links
from kamerbrief_extract.corpus.query import (
    QueryError,
    QueryLimits,
    Result,
    Sandbox,
    column_types,
    connect,
    parse_params,
    run_query,
    write_result,
)
from kamerbrief_extract.records import EuroAmount
from kamerbrief_extract.store import write_record

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
GOLD = ROOT / "tests" / "gold"
README = ROOT / "README.md"

SQL_BLOCK = re.compile(r"```sql\n(.*?)```", re.S)
NAME = re.compile(r"--\s*name:\s*(\w+)")


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    assert not run_batch(RAW, out, force=True).failed
    write_links(out)
    return out


@pytest.fixture(scope="module")
def con(sample_out: Path) -> Iterator[Sandbox]:
    with connect(sample_out) as sandbox:
        yield sandbox


def readme_queries() -> dict[str, str]:
    section = README.read_text(encoding="utf-8").split("## For researchers", 1)[1]
    blocks = SQL_BLOCK.findall(section)
    named = {m.group(1): sql for sql in blocks if (m := NAME.search(sql))}
    assert len(named) == len(blocks), "every README sql block needs a '-- name:' line"
    return named


def gold(name: str) -> dict[str, Any]:
    return dict(json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8")))


def as_dicts(result: Result) -> list[dict[str, Any]]:
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


# --------------------------------------------------------------------------- README


def test_readme_has_the_five_example_queries() -> None:
    assert set(readme_queries()) >= {
        "euros_per_year",
        "top_municipalities",
        "overdue_commitments",
        "motions_done",
        "citation_graph",
    }


def test_readme_euros_per_year(con: Sandbox) -> None:
    rows = as_dicts(run_query(con, readme_queries()["euros_per_year"]))
    # expected: the distinct gold amounts of the 2022 letter, summed per recurrence
    expected: dict[str | None, set[Decimal]] = defaultdict(set)
    for amount in gold("001_c2062dcf44ea3889")["amounts"]:
        expected[amount.get("recurrence")].add(Decimal(str(amount["value_eur"])))
    got = {r["recurrence"]: (r["amounts"], r["total_eur"]) for r in rows if r["year"] == 2022}
    assert got == {k: (len(v), sum(v)) for k, v in expected.items()}
    # 15 mentions, two of them repeat an amount already named: 13 amounts
    assert got["per_year"] == (13, Decimal("1583000000"))


def test_readme_top_municipalities(con: Sandbox) -> None:
    rows = as_dicts(run_query(con, readme_queries()["top_municipalities"]))
    assert rows[0] == {"name": "Rotterdam", "cbs_code": "GM0599", "mentions": 3, "letters": 1}
    assert all(r["mentions"] == 1 for r in rows[1:])
    assert len(rows) == 10


def test_readme_overdue_commitments(con: Sandbox) -> None:
    rows = as_dicts(run_query(con, readme_queries()["overdue_commitments"]))
    texts = [r["text"] for r in rows]
    assert any("kerstrec" in t for t in texts)  # promised before Christmas 2022
    # the half-yearly letter promised for summer 2023 was delivered by the May 2023 letter
    assert not any("halfjaarlijkse brief" in t for t in texts)
    assert all(r["deadline"] < dt.date.today() for r in rows)
    assert [r["deadline"] for r in rows] == sorted(r["deadline"] for r in rows)


def test_readme_motions_done(con: Sandbox) -> None:
    rows = run_query(con, readme_queries()["motions_done"]).rows
    # no sample letter declares a motion afgedaan (gold: every status is null)
    assert all(m["status"] is None for m in gold("000_2080eeb4b84fdb39")["motions"])
    assert rows == []


def test_readme_motions_done_on_a_letter_that_completes_one(tmp_path: Path) -> None:
    record = make_record(
        "x.txt",
        "Hiermee doe ik de motie-Jansen af.",
        {"date": "2024-02-01", "doc_type": "brief"},
        motions=[
            {
                "start": 19,
                "end": 30,
                "submitters": ["Jansen"],
                "citation": "kst-1-2",
                "status": "afgedaan",
                "raw": "motie-Jansen",
            }
        ],
    )
    write_record(tmp_path / "x.json", record)
    rows = as_dicts(run_query(connect(tmp_path), readme_queries()["motions_done"]))
    assert rows == [
        {
            "motion_id": "kst-1-2",
            "submitters": ["Jansen"],
            "citation": "kst-1-2",
            "file": "x.txt",
            "date": dt.date(2024, 2, 1),
            "raw": "motie-Jansen",
        }
    ]


def test_readme_citation_graph(con: Sandbox) -> None:
    rows = run_query(con, readme_queries()["citation_graph"]).rows
    assert [r[:3] for r in rows] == [
        ("000_2080eeb4b84fdb39.txt", "cites", "001_c2062dcf44ea3889.txt"),
        ("000_2080eeb4b84fdb39.txt", "fulfils", "001_c2062dcf44ea3889.txt"),
        ("003_e004528328b61164.txt", "cites", "000_2080eeb4b84fdb39.txt"),
    ]


# --------------------------------------------------------------------------- guard


@pytest.mark.parametrize(
    "sql",
    [
        "DROP TABLE letters",
        "DELETE FROM letters",
        "INSERT INTO links VALUES ('a', 'b', 'cites', 1, NULL)",
        "CREATE TABLE x AS SELECT 1",
        "COPY letters TO 'letters.csv'",
        "ATTACH 'other.db'",
        "SELECT 1; DROP TABLE letters",
        "SET enable_external_access = true",
        "PRAGMA show_tables",
        "SELEC 1",
    ],
)
def test_only_single_select_is_allowed(con: Sandbox, sql: str) -> None:
    with pytest.raises(QueryError):
        run_query(con, sql)
    assert run_query(con, "SELECT count(*) FROM letters").rows == [(3,)]


def test_no_file_access_from_sql(con: Sandbox) -> None:
    with pytest.raises(duckdb.Error):
        run_query(con, "SELECT * FROM read_text('/etc/hostname')")


def test_with_query_and_named_parameters(con: Sandbox) -> None:
    sql = (
        "WITH m AS (SELECT name FROM municipalities WHERE path = $path) "
        "SELECT count(*) FROM m WHERE name = $name"
    )
    params = parse_params(["path=001_c2062dcf44ea3889.txt", "name=Rotterdam"])
    assert run_query(con, sql, params).rows == [(3,)]


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("n=3", {"n": 3}),
        ("$x=2.5", {"x": Decimal("2.5")}),
        ("d=2023-05-22", {"d": dt.date(2023, 5, 22)}),
        ("s=Rotterdam", {"s": "Rotterdam"}),
    ],
)
def test_parse_params(item: str, expected: dict[str, Any]) -> None:
    assert parse_params([item]) == expected


@pytest.mark.parametrize("item", ["novalue", "=3"])
def test_parse_params_rejects(item: str) -> None:
    with pytest.raises(QueryError):
        parse_params([item])


# --------------------------------------------------------------------------- types


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        (str, ("VARCHAR", "TEXT")),
        (int | None, ("BIGINT", "INTEGER")),
        (float, ("DOUBLE", "REAL")),
        (bool, ("BOOLEAN", "INTEGER")),
        (dt.date | None, ("DATE", "TEXT")),
        (EuroAmount, ("DECIMAL(18,2)", "NUMERIC")),
        (list[int], ("BIGINT[]", "TEXT")),
        (list[str], ("VARCHAR[]", "TEXT")),
        (Literal["per_year", "one_off"] | None, ("VARCHAR", "TEXT")),
        (dict[str, str | float | int | None], ("JSON", "TEXT")),
    ],
)
def test_column_types(annotation: object, expected: tuple[str, str]) -> None:
    assert column_types(annotation) == expected


def test_column_types_refuses_unknown() -> None:
    with pytest.raises(TypeError):
        column_types(bytes)


@pytest.mark.parametrize(
    ("table", "column", "expected"),
    [
        ("letters", "date", "DATE"),
        ("amounts", "value_eur", "DECIMAL(18,2)"),
        ("amounts", "years", "BIGINT[]"),
        ("motions", "submitters", "VARCHAR[]"),
        ("links", "confidence", "DOUBLE"),
        ("links", "evidence", "JSON"),
        ("commitments", "deadline", "DATE"),
    ],
)
def test_view_column_types(con: Sandbox, table: str, column: str, expected: str) -> None:
    result = run_query(con, f'SELECT "{column}" FROM {table} LIMIT 0')
    assert result.types == [expected]


# --------------------------------------------------------------------------- output


def test_write_result_csv_and_jsonl(con: Sandbox) -> None:
    result = run_query(con, "SELECT file, date FROM letters ORDER BY file LIMIT 1")
    assert (
        write_result(result, "csv", None) == "file,date\r\n000_2080eeb4b84fdb39.txt,2023-05-22\r\n"
    )
    line = write_result(result, "jsonl", None)
    assert line is not None
    assert json.loads(line) == {"file": "000_2080eeb4b84fdb39.txt", "date": "2023-05-22"}


def test_write_result_parquet(con: Sandbox, tmp_path: Path) -> None:
    target = tmp_path / "a.parquet"
    con.write_parquet("SELECT path, value_eur FROM amounts", None, target)
    back = duckdb.sql(f"SELECT count(*), typeof(any_value(value_eur)) FROM '{target}'").fetchall()
    assert back == [(25, "DECIMAL(18,2)")]
    with pytest.raises(QueryError):
        write_result(run_query(con, "SELECT 1"), "parquet", None)


# A column name that closes the DDL of a second connection and copies a file: the
# old parquet writer pasted result names into SQL on a connection with file access.
def injected_name(stolen: Path) -> str:
    return (
        f"x\" INT); COPY (SELECT * FROM read_text('/etc/passwd')) TO '{stolen}' "
        '(FORMAT csv); CREATE TABLE z ("y'
    )


def injected_query(stolen: Path) -> str:
    quoted = injected_name(stolen).replace('"', '""')
    return f'SELECT 1 AS "{quoted}"'


def test_parquet_column_names_are_never_sql(con: Sandbox, tmp_path: Path) -> None:
    stolen = tmp_path / "stolen.csv"
    target = tmp_path / "r.parquet"
    con.write_parquet(injected_query(stolen), None, target)
    assert not stolen.exists()
    assert duckdb.sql(f"SELECT * FROM '{target}'").columns == [injected_name(stolen)]


def test_cli_parquet_injection_fails(sample_out: Path, tmp_path: Path) -> None:
    stolen = tmp_path / "stolen.csv"
    sql = injected_query(stolen)
    args = ["query", "--out", str(sample_out), "--format", "parquet", "-o", str(tmp_path / "q.pq")]
    result = CliRunner().invoke(app, [*args, "--", sql])
    assert result.exit_code == 0, result.output
    assert not stolen.exists()
    assert (tmp_path / "q.pq").stat().st_size > 0


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_csv('https://example.invalid/x.csv')",
        "SELECT * FROM read_parquet('s3://bucket/x.parquet')",
        "SELECT * FROM sqlite_scan('/tmp/x.db', 'x')",
        "SELECT * FROM glob('/etc/*')",
    ],
)
def test_no_file_network_or_extension_access(con: Sandbox, sql: str) -> None:
    with pytest.raises(duckdb.Error) as info:
        run_query(con, sql)
    assert isinstance(info.value, (duckdb.PermissionException, duckdb.CatalogException))


def test_sandbox_settings_are_locked_off(con: Sandbox) -> None:
    settings = dict(
        con.con.sql(
            "SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access', "
            "'autoinstall_known_extensions', 'autoload_known_extensions', 'lock_configuration', "
            "'temp_directory', 'memory_limit')"
        ).fetchall()
    )
    assert settings["enable_external_access"] == "false"
    assert settings["autoinstall_known_extensions"] == "false"
    assert settings["autoload_known_extensions"] == "false"
    assert settings["lock_configuration"] == "true"
    assert Path(settings["temp_directory"]).parent.name.startswith("kamerbrief-query-")
    assert settings["memory_limit"].startswith("1.9")  # 2048 MB, shown in GiB


def test_cross_join_stops_at_the_time_limit(sample_out: Path) -> None:
    with connect(sample_out, QueryLimits(timeout_s=0.5)) as sandbox:
        with pytest.raises(QueryError, match=r"time limit of 0\.5 s"):
            run_query(sandbox, "SELECT count(*) FROM range(1000000000) a, range(1000000) b")
        assert run_query(sandbox, "SELECT count(*) FROM letters").rows == [(3,)]


def test_query_over_the_memory_limit_is_a_clear_error(sample_out: Path) -> None:
    sql = "SELECT list(range) FROM range(200000000)"
    with (
        connect(sample_out, QueryLimits(memory_mb=64, spill_mb=16)) as sandbox,
        pytest.raises(QueryError, match="memory limit of 64 MB"),
    ):
        run_query(sandbox, sql)


def test_sandbox_removes_its_temporary_folder(sample_out: Path) -> None:
    sandbox = connect(sample_out)
    setting = sandbox.con.sql("SELECT current_setting('temp_directory')").fetchall()
    folder = Path(setting[0][0]).parent
    assert folder.is_dir()
    sandbox.close()
    assert not folder.exists()


def test_export_parquet_keeps_types(sample_out: Path, tmp_path: Path) -> None:
    folder = export(sample_out, "parquet", tmp_path / "pq")
    got = duckdb.sql(
        f"SELECT typeof(date), typeof(subject) FROM '{folder / 'letters.parquet'}' LIMIT 1"
    ).fetchall()
    assert got == [("DATE", "VARCHAR")]
    assert {p.name for p in folder.iterdir()} >= {"letters.parquet", "links.parquet"}


def test_export_csv(sample_out: Path, tmp_path: Path) -> None:
    folder = export(sample_out, "csv", tmp_path / "csv")
    header = (folder / "municipalities.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("path,start,end,")


def test_export_sqlite_with_fts(sample_out: Path, tmp_path: Path) -> None:
    db = export(sample_out, "sqlite", tmp_path / "c.sqlite")
    lite = sqlite3.connect(db)
    types = {row[1]: row[2] for row in lite.execute("PRAGMA table_info(amounts)")}
    assert types["value_eur"] == "NUMERIC"
    assert types["years"] == "TEXT"
    assert types["start"] == "INTEGER"
    hits = lite.execute(
        "SELECT l.path FROM letters l JOIN letters_fts f ON f.rowid = l.rowid "
        "WHERE letters_fts MATCH 'halfjaarbrief' ORDER BY l.path"
    ).fetchall()
    assert hits == [("000_2080eeb4b84fdb39.txt",)]
    assert lite.execute(
        "SELECT count(*) FROM municipalities WHERE name='Rotterdam'"
    ).fetchone() == (3,)
    years = lite.execute("SELECT years FROM amounts WHERE years != '[]' LIMIT 1").fetchone()
    assert years is not None and json.loads(years[0])
