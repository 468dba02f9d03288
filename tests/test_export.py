"""The SQLite export opened the way researchers open it: with Datasette, served on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kamerbrief_extract.corpus.export import CANNED_QUERIES, export, metadata_path
from kamerbrief_extract.corpus.query import _plain as plain
from kamerbrief_extract.corpus.query import connect, run_query
from test_query import readme_queries, sample_out

__all__ = ["sample_out"]  # the fixture, shared with test_query


@pytest.fixture(scope="module")
def records_dir(sample_out: Path) -> Path:
    return sample_out


@pytest.fixture(scope="module")
def database(records_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export(records_dir, "sqlite", tmp_path_factory.mktemp("db") / "corpus.sqlite")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def datasette(database: Path) -> Iterator[str]:
    port = _free_port()
    cmd = [sys.executable, "-m", "datasette", "serve", str(database)]
    cmd += ["-m", str(metadata_path(database)), "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/-/versions.json", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None:
                raise AssertionError(proc.stderr.read().decode() if proc.stderr else "exited")
            time.sleep(0.1)
        else:
            raise AssertionError("datasette did not start")
        yield f"{base}/{database.stem}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _rows(url: str, **params: str) -> list[dict[str, Any]]:
    response = httpx.get(url, params={**params, "_shape": "array"}, timeout=10)
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()
    return rows


def test_full_text_search_narrows_the_letters(datasette: str) -> None:
    every = _rows(f"{datasette}/letters.json", _col="path")
    assert len(every) == 3
    hits = _rows(f"{datasette}/letters.json", _search="halfjaarbrief", _col="path")
    assert [row["path"] for row in hits] == ["000_2080eeb4b84fdb39.txt"]


def test_canned_query_returns_the_expected_rows(datasette: str) -> None:
    rows = _rows(f"{datasette}/top_municipalities.json")
    assert rows[0] == {"name": "Rotterdam", "cbs_code": "GM0599", "mentions": 3, "letters": 1}
    assert len(rows) == 10
    graph = _rows(f"{datasette}/citation_graph.json")
    assert [(r["source"], r["kind"], r["target"]) for r in graph] == [
        ("000_2080eeb4b84fdb39.txt", "cites", "001_c2062dcf44ea3889.txt"),
        ("000_2080eeb4b84fdb39.txt", "fulfils", "001_c2062dcf44ea3889.txt"),
        ("003_e004528328b61164.txt", "cites", "000_2080eeb4b84fdb39.txt"),
    ]


def test_foreign_keys_are_shown_as_links(datasette: str) -> None:
    [row] = _rows(f"{datasette}/amounts.json", _labels="on", _size="1")
    assert row["path"]["value"] == row["path"]["label"]  # the letter it belongs to, as a link
    assert row["path"]["value"].endswith(".txt")
    meta = httpx.get(f"{datasette}/letters.json", timeout=10).json()
    assert meta["primary_keys"] == ["path"]


def _plain(value: Any) -> Any:
    """A DuckDB value as the SQLite export stores it (lists as JSON text)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else plain(value)


def test_canned_queries_give_the_readme_queries_rows(database: Path, records_dir: Path) -> None:
    """Each canned query (SQLite) gives the rows of the README's query (DuckDB)."""
    lite = sqlite3.connect(database)
    duck = connect(records_dir)
    readme = readme_queries()
    assert set(CANNED_QUERIES) == set(readme)
    for name, (_, sql) in CANNED_QUERIES.items():
        want = [tuple(_plain(v) for v in row) for row in run_query(duck, readme[name]).rows]
        got = [tuple(row) for row in lite.execute(sql).fetchall()]
        assert got == want, name


def test_metadata_describes_columns_from_the_models(database: Path) -> None:
    meta = json.loads(metadata_path(database).read_text())
    tables = meta["databases"]["corpus"]["tables"]
    assert tables["letters"]["columns"]["ministry"].startswith("the ministry")
    assert tables["amounts"]["columns"]["start"]
    assert tables["letters_fts"] == {"hidden": True}


def test_triggers_keep_the_index_in_step(database: Path, tmp_path: Path) -> None:
    copy = tmp_path / "c.sqlite"
    copy.write_bytes(database.read_bytes())
    lite = sqlite3.connect(copy)
    lite.execute(
        "UPDATE letters SET text = 'zeldzaamwoord' WHERE file = '003_e004528328b61164.txt'"
    )
    hits = lite.execute(
        "SELECT l.file FROM letters l JOIN letters_fts f ON f.rowid = l.rowid "
        "WHERE letters_fts MATCH 'zeldzaamwoord'"
    ).fetchall()
    assert hits == [("003_e004528328b61164.txt",)]
