"""Scoring records against gold, exactly as ANNOTATION.md §9 says.

Per type: precision, recall and F1 over the multiset of keys; gold items marked
`optional` count neither as a miss when absent nor as a false positive when
found. Secondary fields are reported as accuracy over matched pairs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kamerbrief_extract.records import Record
from kamerbrief_extract.store import iter_records, read_corpus_links

Item = dict[str, Any]

TYPES = ("footnotes", "citations", "amounts", "municipalities", "motions", "commitments", "links")
SECONDARY: dict[str, tuple[str, ...]] = {
    "footnotes": (),
    "citations": ("in_footnote",),
    "amounts": ("qualifier", "recurrence"),
    "municipalities": (),
    "motions": ("cosigned", "citation", "status"),
    "commitments": ("kind", "deadline"),
    "links": (),
}
META_FIELDS = ("date", "doc_type", "subject", "sender", "kamerstuk", "kenmerk")


def fold(text: str) -> str:
    """Case, whitespace and line-end hyphenation folded away, for commitment keys."""
    text = re.sub(r"(\w)-\s+(\w)", r"\1\2", text.lower())
    return re.sub(r"\s+", " ", text).strip()


def _key(kind: str, item: Item) -> Any:
    if kind == "footnotes":
        return (item.get("n"), item.get("anchor"))
    if kind == "citations":
        return item.get("id")
    if kind == "amounts":
        value = item.get("value_eur")
        return Decimal(str(value)) if value is not None else None
    if kind == "municipalities":
        return item.get("cbs_code")
    if kind == "motions":
        return tuple(item.get("submitters") or ())
    if kind == "links":
        return (item.get("to"), item.get("kind"))
    return None


def _matches(kind: str, gold: Item, pred: Item) -> bool:
    if kind == "commitments":
        return fold(gold.get("key", "")) in fold(pred.get("text", ""))
    return bool(_key(kind, gold) == _key(kind, pred))


def count_matches(kind: str, gold: Item, predicted: Iterable[Item]) -> int:
    """How many predicted items the gold item would match, for per-item regression cases."""
    return sum(1 for p in predicted if _matches(kind, gold, p))


def item_label(kind: str, item: Item) -> str:
    """A short readable key of a gold item, for test ids and known-failure lists."""
    key = _key(kind, item) if kind != "commitments" else item.get("key")
    if isinstance(key, tuple):
        return (
            ":".join("" if k is None else str(k) for k in key)
            if kind == "footnotes"
            else "+".join(map(str, key))
        )
    return str(key)


def _agreement(kind: str, gold: Item, pred: Item) -> int:
    return sum(_same(gold.get(f), pred.get(f)) for f in SECONDARY[kind] if f in gold)


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return str(a) == str(b)


@dataclass
class TypeScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    secondary: dict[str, list[int]] = field(default_factory=dict)  # field -> [right, total]
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float | None:
        right, total = self.secondary.get(name, [0, 0])
        return right / total if total else None


def score_type(kind: str, gold: list[Item], pred: list[Item], label: str = "") -> TypeScore:
    score = TypeScore()
    remaining = list(pred)
    matched: list[tuple[Item, Item]] = []
    # Required gold first, then optional gold soaks up what it explains.
    for want_optional in (False, True):
        for g in gold:
            if bool(g.get("optional")) != want_optional:
                continue
            candidates = [p for p in remaining if _matches(kind, g, p)]
            if not candidates:
                if not want_optional:
                    score.fn += 1
                    score.misses.append(f"{label}{_describe(kind, g)}")
                continue
            best = max(candidates, key=lambda p: _agreement(kind, g, p))
            remaining.remove(best)
            if not want_optional:
                score.tp += 1
                matched.append((g, best))
    score.fp = len(remaining)
    score.false_positives = [f"{label}{_describe(kind, p)}" for p in remaining]
    for name in SECONDARY[kind]:
        pairs = [(g, p) for g, p in matched if name in g]
        score.secondary[name] = [sum(_same(g.get(name), p.get(name)) for g, p in pairs), len(pairs)]
    return score


def _describe(kind: str, item: Item) -> str:
    if kind == "commitments":
        return repr(item.get("key") or item.get("text", "")[:70])
    return repr(_key(kind, item))


def merge(scores: Iterable[TypeScore]) -> TypeScore:
    total = TypeScore()
    for s in scores:
        total.tp += s.tp
        total.fp += s.fp
        total.fn += s.fn
        total.misses += s.misses
        total.false_positives += s.false_positives
        for name, (right, n) in s.secondary.items():
            acc = total.secondary.setdefault(name, [0, 0])
            acc[0] += right
            acc[1] += n
    return total


@dataclass
class Evaluation:
    types: dict[str, TypeScore]
    meta: dict[str, list[int]]  # field -> [right, total]
    documents: int
    missing_predictions: list[str]

    def meta_accuracy(self, name: str) -> float | None:
        right, total = self.meta.get(name, [0, 0])
        return right / total if total else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "missing_predictions": self.missing_predictions,
            "types": {
                k: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "tp": s.tp,
                    "fp": s.fp,
                    "fn": s.fn,
                    "secondary": {n: s.accuracy(n) for n in s.secondary},
                    "misses": s.misses,
                    "false_positives": s.false_positives,
                }
                for k, s in self.types.items()
            },
            "meta": {k: self.meta_accuracy(k) for k in self.meta},
        }


def load_predictions(pred_dir: Path) -> dict[str, Record]:
    """Records keyed by their source file name (each validated; a bad file raises)."""
    return {Path(rec.source.path).name: rec for rec in iter_records(pred_dir)}


def evaluate(gold_dir: Path, pred_dir: Path) -> Evaluation:
    preds = load_predictions(pred_dir)
    links_by_source = _load_links(pred_dir)
    per_type: dict[str, list[TypeScore]] = {k: [] for k in TYPES}
    meta: dict[str, list[int]] = {}
    missing: list[str] = []
    gold_files = sorted(gold_dir.glob("*.json"))
    for gold_path in gold_files:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        name = Path(gold["source"]).name
        record = preds.get(name)
        if record is None:
            missing.append(name)
        pred: Item = record.model_dump(mode="json") if record else {}
        label = f"{Path(name).stem}: "
        for kind in TYPES:
            if kind not in gold:
                continue
            predicted = (
                links_by_source.get(name, []) if kind == "links" else list(pred.get(kind) or [])
            )
            per_type[kind].append(score_type(kind, gold[kind], predicted, label))
        for name_field in META_FIELDS:
            if name_field not in gold.get("meta", {}):
                continue
            acc = meta.setdefault(name_field, [0, 0])
            acc[1] += 1
            acc[0] += _same(gold["meta"][name_field], (pred.get("meta") or {}).get(name_field))
    return Evaluation(
        {k: merge(v) for k, v in per_type.items() if v}, meta, len(gold_files), missing
    )


def _load_links(pred_dir: Path) -> dict[str, list[Item]]:
    corpus = read_corpus_links(pred_dir)
    out: dict[str, list[Item]] = {}
    for link in corpus.links if corpus else []:
        out.setdefault(Path(link.source).name, []).append(
            {"to": Path(link.to).name, "kind": link.kind}
        )
    return out


def check_floors(evaluation: Evaluation, floors: dict[str, float]) -> list[str]:
    """Names of measures below their floor: `citations` (F1), `amounts.recurrence`, `meta.date`."""
    failures: list[str] = []
    for name, floor in floors.items():
        kind, _, sub = name.partition(".")
        if kind == "meta":
            value = evaluation.meta_accuracy(sub)
        elif kind in evaluation.types:
            score = evaluation.types[kind]
            value = score.accuracy(sub) if sub else score.f1
        else:
            value = None
        if value is None or value + 1e-9 < floor:
            failures.append(f"{name}: {value if value is None else round(value, 4)} < {floor}")
    return failures
