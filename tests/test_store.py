"""Record files: written whole or not at all, read back validated or refused with a reason."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from factory import make_record
from kamerbrief_extract.records import Record
from kamerbrief_extract.store import (
    CorpusLinks,
    RecordFileError,
    read_corpus_links,
    read_record,
    read_records,
    record_files,
    write_corpus_links,
    write_record,
)


def good() -> Record:
    return make_record("brief.txt", "Den Haag, 3 maart 2024. Tekst.", {"date": "2024-03-03"})


def test_roundtrip_keeps_every_field(tmp_path: Path) -> None:
    record = good()
    write_record(tmp_path / "brief.json", record)
    back = read_record(tmp_path / "brief.json")
    assert back == record and back.meta.date is not None and back.meta.date.year == 2024


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"schema_version": "1.0", "source": ', "not JSON"),  # cut off mid-write
        ("", "not JSON"),
        ("[1, 2, 3]", "not a valid record: record"),
        ('{"text": "x"}', "not a valid record: package_version: Field required"),
        (None, "meta.date"),  # a date that is no date
        (None, "unexpected: Extra inputs"),  # a field the contract does not have
    ],
)
def test_a_bad_file_is_refused_with_file_and_reason(
    tmp_path: Path, content: str | None, reason: str
) -> None:
    path = tmp_path / "bad.json"
    if content is None:
        data = json.loads(good().model_dump_json())
        if reason.startswith("meta.date"):
            data["meta"]["date"] = "de dertiende maand"
        else:
            data["unexpected"] = 1
        content = json.dumps(data)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RecordFileError) as info:
        read_record(path)
    assert str(path) in str(info.value)
    assert reason in str(info.value)


def test_a_folder_with_one_bad_record_fails_loudly(tmp_path: Path) -> None:
    write_record(tmp_path / "a.json", good())
    (tmp_path / "b.json").write_text("{", encoding="utf-8")
    with pytest.raises(RecordFileError, match=r"b\.json: not JSON"):
        read_records(tmp_path)


def test_corpus_files_and_temporaries_are_not_records(tmp_path: Path) -> None:
    write_record(tmp_path / "a.json", good())
    (tmp_path / "manifest.json").write_text("{}")
    write_corpus_links(tmp_path, CorpusLinks())
    (tmp_path / ".a.json.123.tmp").write_text("half")
    (tmp_path / "corpus.datasette.json").write_text("{}")
    assert [p.name for p in record_files(tmp_path)] == ["a.json"]
    assert read_corpus_links(tmp_path) == CorpusLinks()


def test_a_bad_links_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "links.json").write_text('{"links": [{"source": "a"}]}')
    with pytest.raises(RecordFileError, match=r"links\.json: not a valid links file"):
        read_corpus_links(tmp_path)
    assert read_corpus_links(tmp_path / "nothing-here") is None


def test_a_failed_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.json"
    write_record(path, good())
    before = path.read_bytes()

    def broken(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    changed = good()
    changed.text = "Andere tekst."
    with pytest.raises(OSError):
        write_record(path, changed)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]
