"""The command line as a new user meets it: names, help, version, progress, warnings, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factory import make_record
from kamerbrief_extract import __version__
from kamerbrief_extract.cli import LineProgress, app, looks_parliamentary
from kamerbrief_extract.store import write_record
from test_batch import LETTER

COMMANDS = ("run", "extract", "eval", "schema", "build-model", "query", "export", "show", "report")


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A folder with a letter, a recipe (not a letter) and a .docx; `run` over it once."""
    src = tmp_path_factory.mktemp("in")
    (src / "brief.txt").write_text(LETTER, encoding="utf-8")
    (src / "recept.txt").write_text(
        "Neem twee eieren en klop ze los met wat melk.\n\nBak ze in een hete pan.\n",
        encoding="utf-8",
    )
    (src / "notulen.docx").write_bytes(b"PK\x03\x04 not read")
    (src / "tabel.xlsx").write_bytes(b"PK\x03\x04 not read")
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(app, ["-v", "run", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"kamerbrief {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_has_examples(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert f"kamerbrief {command}" in result.stdout


def test_run_names_files_it_does_not_read(processed: tuple[Path, str]) -> None:
    _, output = processed
    assert "2 files of a type the batch does not read (.docx 1, .xlsx 1)" in output


def test_run_warns_about_a_text_that_is_not_a_letter(processed: tuple[Path, str]) -> None:
    _, output = processed
    assert "not a parliamentary document?" in output
    assert "recept.txt" in output and "brief.txt" not in output.split("document?")[1]


def test_progress_lines_when_stderr_is_not_a_terminal(processed: tuple[Path, str]) -> None:
    _, output = processed
    assert "extracting 2/2 (100%): 2 ok, 0 unchanged, 0 failed" in output


def test_verbose_logs(processed: tuple[Path, str]) -> None:
    _, output = processed
    assert "INFO kamerbrief_extract: links built in" in output


def test_line_progress_is_periodic(capsys: pytest.CaptureFixture[str]) -> None:
    progress = LineProgress(total=5, every=3600)
    for i in range(5):
        progress.update("ok", f"f{i}.txt")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("extracting 5/5 (100%)")
    every = LineProgress(total=3, every=0)
    for i in range(3):
        every.update("failed" if i else "ok", f"f{i}.txt")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3 and "1 ok, 0 unchanged, 2 failed" in lines[-1]


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"date": "2024-03-03"}, True),
        ({"sender": "A.B. Voorbeeld"}, True),
        ({"doc_type": "motie"}, True),
        ({"kamerstuk": "kst-1-2"}, True),
        ({}, False),
        ({"subject": "Eieren bakken"}, False),  # a subject alone says nothing
    ],
)
def test_looks_parliamentary(meta: dict[str, str], expected: bool) -> None:
    assert looks_parliamentary(make_record("x.txt", "Tekst.", meta)) is expected


def test_query_reads_records_and_writes_out(processed: tuple[Path, str], tmp_path: Path) -> None:
    out, _ = processed
    target = tmp_path / "q.csv"
    sql = "SELECT file FROM letters ORDER BY file"
    result = CliRunner().invoke(
        app, ["query", sql, "--records", str(out), "-f", "csv", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert target.read_text().splitlines() == ["file", "brief.txt", "recept.txt"]


def test_query_old_out_for_the_records_folder_still_works(processed: tuple[Path, str]) -> None:
    out, _ = processed
    sql = "SELECT count(*) AS n FROM letters"
    result = CliRunner().invoke(app, ["query", sql, "--out", str(out), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[-1]) == {"n": 2}
    assert "deprecated" in result.output


def test_query_unknown_table_names_the_corpus_tables(processed: tuple[Path, str]) -> None:
    out, _ = processed
    result = CliRunner().invoke(app, ["query", "SELECT * FROM letter", "-r", str(out)])
    assert result.exit_code == 2
    assert 'Did you mean "letters"?' in result.output
    assert "letters, footnotes, citations, amounts" in result.output
    assert "pg_" not in result.output


def test_query_format_is_a_choice(processed: tuple[Path, str]) -> None:
    out, _ = processed
    result = CliRunner().invoke(app, ["query", "SELECT 1", "-r", str(out), "-f", "xml"])
    assert result.exit_code == 2 and "xml" in result.output


def test_a_corrupt_record_is_a_clear_error(processed: tuple[Path, str], tmp_path: Path) -> None:
    out, _ = processed
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("brief.json", "recept.json"):
        (broken / name).write_bytes((out / name).read_bytes())
    data = json.loads((broken / "recept.json").read_text())
    data["meta"]["date"] = "de dertiende maand"
    (broken / "recept.json").write_text(json.dumps(data))
    for args in (["query", "SELECT 1", "-r", str(broken)], ["export", str(broken), "--to", "csv"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2
        assert "recept.json" in result.output and "meta.date" in result.output


def test_show_and_report_write_pages(processed: tuple[Path, str], tmp_path: Path) -> None:
    out, _ = processed
    page = tmp_path / "review.html"
    result = CliRunner().invoke(app, ["show", str(out / "brief.json"), "--html", str(page)])
    assert result.exit_code == 0, result.output
    assert 'id="items"' in page.read_text()
    corpus = tmp_path / "corpus.html"
    result = CliRunner().invoke(app, ["report", str(out), "--html", str(corpus)])
    assert result.exit_code == 0, result.output
    assert corpus.read_text().count("<svg") == 5


def test_write_record_roundtrip(tmp_path: Path) -> None:
    record = make_record("a.txt", "Tekst.", {"date": "2024-01-02"})
    write_record(tmp_path / "a.json", record)
    from kamerbrief_extract.store import read_record

    assert read_record(tmp_path / "a.json") == record
    assert not list(tmp_path.glob(".*.tmp"))
