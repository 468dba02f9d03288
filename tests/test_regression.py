"""Regression on the annotated sample letters (tests/gold), scored as `kamerbrief eval` does.

Every gold item is its own test case, so a lost item shows up by name. Items the
pipeline is known to miss are listed in tests/known_failures.json with a reason
and run as strict expected failures: fixing one turns the suite red until the
entry is removed, so the list only shrinks. Floors per type live in
tests/floors.json and only go up.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kamerbrief_extract.batch import run_batch
from kamerbrief_extract.evaluate import TYPES, check_floors, evaluate, fold

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
RAW = ROOT / "data" / "raw"
FLOORS = json.loads((ROOT / "tests" / "floors.json").read_text())
KNOWN = json.loads((ROOT / "tests" / "known_failures.json").read_text())


@pytest.fixture(scope="session")
def predictions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("processed")
    result = run_batch(RAW, out)
    assert not result.failed, [f"{o.path}: {o.message}" for o in result.failed]
    try:
        from kamerbrief_extract.corpus.links import write_links
    except ImportError:
        pass
    else:
        write_links(out)
    return out


def test_scores_meet_floors(predictions: Path) -> None:
    evaluation = evaluate(GOLD, predictions)
    floors = {k: v for k, v in FLOORS.items() if not k.startswith("_")}
    assert check_floors(evaluation, floors) == []
    assert evaluation.missing_predictions == []


def _item_key(kind: str, item: dict[str, Any]) -> str:
    if kind == "commitments":
        return str(item["key"])
    if kind == "footnotes":
        return f"{item['n']}:{item['anchor']}"
    if kind == "motions":
        return "+".join(item["submitters"])
    if kind == "links":
        return f"{item['kind']}->{item['to']}"
    return str(item.get("id") or item.get("value_eur") or item.get("cbs_code"))


def _cases() -> list[Any]:
    cases = []
    for gold_path in sorted(GOLD.glob("*.json")):
        gold = json.loads(gold_path.read_text())
        stem = gold_path.stem
        for kind in TYPES:
            seen: dict[str, int] = {}
            for item in gold.get(kind, []):
                if item.get("optional"):
                    continue
                key = _item_key(kind, item)
                seen[key] = seen.get(key, 0) + 1
                reason = KNOWN.get(stem, {}).get(kind, {}).get(key)
                marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
                cases.append(
                    pytest.param(
                        stem, kind, item, seen[key], id=f"{stem[:3]}-{kind}-{key[:40]}", marks=marks
                    )
                )
    return cases


def _found(kind: str, gold_item: dict[str, Any], record: dict[str, Any], links: list[Any]) -> int:
    if kind == "links":
        return sum(
            1
            for link in links
            if link["kind"] == gold_item["kind"] and Path(link["to"]).name == gold_item["to"]
        )
    items = record.get(kind, [])
    if kind == "commitments":
        return sum(1 for c in items if fold(gold_item["key"]) in fold(c["text"]))
    if kind == "footnotes":
        return sum(
            1 for f in items if f["n"] == gold_item["n"] and f["anchor"] == gold_item["anchor"]
        )
    if kind == "motions":
        return sum(1 for m in items if m["submitters"] == gold_item["submitters"])
    if kind == "amounts":
        return sum(1 for a in items if float(a["value_eur"]) == float(gold_item["value_eur"]))
    if kind == "municipalities":
        return sum(1 for m in items if m["cbs_code"] == gold_item["cbs_code"])
    return sum(1 for c in items if c["id"] == gold_item["id"])


@pytest.mark.parametrize(("stem", "kind", "item", "occurrence"), _cases())
def test_gold_item_found(
    predictions: Path, stem: str, kind: str, item: dict[str, Any], occurrence: int
) -> None:
    record = json.loads((predictions / f"{stem}.json").read_text())
    links_path = predictions / "links.json"
    links = (
        [
            link
            for link in json.loads(links_path.read_text())["links"]
            if Path(link["source"]).stem == stem
        ]
        if links_path.exists()
        else []
    )
    assert _found(kind, item, record, links) >= occurrence


@pytest.mark.parametrize("stem", sorted(p.stem for p in GOLD.glob("*.json")))
def test_metadata_date_and_type(predictions: Path, stem: str) -> None:
    gold = json.loads((GOLD / f"{stem}.json").read_text())["meta"]
    record = json.loads((predictions / f"{stem}.json").read_text())["meta"]
    assert (record["date"], record["doc_type"]) == (gold["date"], gold["doc_type"])
