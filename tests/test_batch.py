"""Batch runs: bad input is reported per file, the batch goes on, outputs stay whole."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kamerbrief_extract.batch import ERRORS, MANIFEST, run_batch
from kamerbrief_extract.cli import app

LETTER = (
    "Den Haag, 3 maart 2024\n\n"
    "Hierbij informeer ik uw Kamer over de voortgang van het programma in de gemeente Utrecht.\n"
    "Zoals toegezegd in het commissiedebat stuur ik uw Kamer voor de zomer een brief.\n\n"
    "De Minister van Justitie en Veiligheid,\n\nA.B. Voorbeeld\n"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(LETTER, encoding="utf-8")
    (src / "cp1252.txt").write_bytes(LETTER.replace("programma", "programma café").encode("cp1252"))
    (src / "latin1.txt").write_bytes(
        "Geachte Voorzitter, één brief met ß en ÿ erin.\n".encode("latin-1")
    )
    (src / "empty.txt").write_bytes(b"")
    (src / "garbage.txt").write_bytes(os.urandom(4096) + b"\x00" * 16)
    (src / "unreadable.txt").symlink_to(src / "does-not-exist.txt")
    return src


def test_bad_inputs_fail_alone_and_are_logged(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_batch(folder, out)
    status = {o.path: o.status for o in result.outcomes}
    assert status == {
        "cp1252.txt": "ok",
        "empty.txt": "failed",
        "garbage.txt": "failed",
        "good.txt": "ok",
        "latin1.txt": "ok",
        "unreadable.txt": "failed",
    }
    errors = [json.loads(line) for line in (out / ERRORS).read_text().splitlines()]
    by_file = {e["file"]: e for e in errors}
    assert "empty" in by_file["empty.txt"]["message"]
    assert "binary" in by_file["garbage.txt"]["message"]
    assert by_file["unreadable.txt"]["stage"] == "read"
    record = json.loads((out / "cp1252.json").read_text())
    assert "café" in record["text"] and record["source"]["encoding"] == "cp1252"
    assert (
        record["source"]["sha256"]
        == json.loads((out / MANIFEST).read_text())["inputs"]["cp1252.txt"]["sha256"]
    )
    assert not list(out.glob(".*.tmp"))  # no half-written files


def test_rerun_skips_unchanged_and_force_redoes(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for bad in ("empty.txt", "garbage.txt", "unreadable.txt"):
        (folder / bad).unlink()
    first = run_batch(folder, out)
    assert first.counts() == {"ok": 3, "skipped": 0, "failed": 0}
    second = run_batch(folder, out)
    assert second.counts() == {"ok": 0, "skipped": 3, "failed": 0}
    (folder / "good.txt").write_text(LETTER + "\nNog een zin erbij voor de wijziging.\n")
    third = run_batch(folder, out)
    assert third.counts() == {"ok": 1, "skipped": 2, "failed": 0}
    assert run_batch(folder, out, force=True).counts()["ok"] == 3


def test_too_large_text_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    line = "Dit is een regel tekst die steeds herhaald wordt in een heel groot bestand.\n"
    with (src / "huge.txt").open("w") as handle:
        handle.write(line * (50 * 1024 * 1024 // len(line) + 1))
    (src / "good.txt").write_text(LETTER)
    result = run_batch(src, tmp_path / "out")
    failed = {o.path: o for o in result.failed}
    assert set(failed) == {"huge.txt"} and "MB" in (failed["huge.txt"].message or "")
    assert (tmp_path / "out" / "good.json").exists()


def test_cli_run_exit_code_and_extract(folder: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(folder), "--out", str(out), "--no-links"])
    assert result.exit_code == 1  # some files failed
    assert (out / "good.json").exists()
    one = runner.invoke(app, ["extract", str(folder / "good.txt")])
    assert one.exit_code == 0, one.output
    record = json.loads(one.stdout)
    assert record["meta"]["date"] == "2024-03-03"
    assert record["meta"]["sender"] == "A.B. Voorbeeld"
    bad = runner.invoke(app, ["extract", str(folder / "empty.txt")])
    assert bad.exit_code == 1


def test_schema_command_prints_the_record_schema() -> None:
    result = CliRunner().invoke(app, ["schema"])
    schema = json.loads(result.stdout)
    assert schema["title"] == "Record"
    assert {"source", "meta", "citations", "commitments", "schema_version"} <= set(
        schema["properties"]
    )
