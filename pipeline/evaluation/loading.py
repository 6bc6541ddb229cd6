"""Gold and predicted summaries in, one ``Item`` per article out.

Gold comes in three shapes:

- a corpus directory ``corpora/<name>/`` holding ``gold/<id>.json`` (gold summaries) and
  ``articles/<id>.txt`` (the raw article bytes, any encoding ``decode_bytes`` reads);
- a directory of ``*.json`` / ``*.jsonl`` gold summaries, or one ``.json`` / ``.jsonl`` file
  (a record may carry its ``text``; a sibling ``articles/`` directory is used when present);
- a Stockmark-style NER file: a JSON array or JSONL of ``{"text", "entities": [{"name",
  "span", "type"}]}`` records, whose types go through a label map.

Gold summaries follow the summary schema, but every field is optional: a field absent from
a gold record is not scored for that record (``"entities": []`` means "annotated: none").
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from ..records import is_error

__all__ = [
    "Item", "GoldSet", "LabelMap", "EvalInputError", "SCORED_FIELDS", "STOCKMARK_LABEL_MAP",
    "load_gold", "load_run", "load_label_map", "split_of", "corpus_name",
]

# Fields of a summary that eval scores; a gold record "annotates" a field when it has the key.
SCORED_FIELDS = ("title", "published", "sections", "key_points", "takeaways", "entities", "dates")


class EvalInputError(Exception):
    """A gold or prediction input the user has to fix (missing file, wrong shape)."""


@dataclass
class Item:
    """One gold article: its summary (partial), its text when known, and what it annotates."""

    id: str
    gold: dict
    text: str | None = None
    published: str | None = None     # the input record's date (meta.published), for --run
    fields: frozenset = frozenset()  # which SCORED_FIELDS the gold annotates
    origin: str = ""                 # file it came from, for messages
    warnings: list[str] = field(default_factory=list)


@dataclass
class GoldSet:
    items: list[Item]
    kind: str            # "summary" or "stockmark"
    name: str            # corpus name for baselines: directory or file stem (+ ":split")
    label_map: "LabelMap"


# --------------------------------------------------------------------------- label maps

STOCKMARK_LABEL_MAP = {
    "description": "Stockmark NER Wikipedia types vs our labels (shared/data/stockmark-ner-wikipedia/README.md)",
    "gold": {
        "人名": "PERSON",
        "法人名": "ORG", "政治的組織名": "ORG", "その他の組織名": "ORG",
        "地名": "GPE|LOC",
        "施設名": "FAC",
        "製品名": "PRODUCT",
        "イベント名": "EVENT",
    },
    "pred": {
        "GPE": "GPE|LOC", "LOC": "GPE|LOC",
        "WORK_OF_ART": "PRODUCT", "LAW": "PRODUCT",
        "NORP": None, "MONEY": None, "PERCENT": None, "QUANTITY": None,
    },
}


@dataclass
class LabelMap:
    """Maps gold and predicted entity labels onto the classes that are scored.

    A label missing from a side's map keeps its name; a label mapped to ``null`` is dropped
    (neither counted as right nor wrong)."""

    gold: dict = field(default_factory=dict)
    pred: dict = field(default_factory=dict)
    name: str = "identity"

    def gold_label(self, label: str) -> str | None:
        return self.gold.get(label, label)

    def pred_label(self, label: str) -> str | None:
        return self.pred.get(label, label)

def load_label_map(spec: str | None, default: str = "identity") -> LabelMap:
    """``stockmark`` (built in), ``identity``, or a JSON file ``{"gold": {...}, "pred": {...}}``
    (a flat object is taken as the gold side)."""
    spec = spec or default
    if spec == "identity":
        return LabelMap()
    if spec == "stockmark":
        return LabelMap(dict(STOCKMARK_LABEL_MAP["gold"]), dict(STOCKMARK_LABEL_MAP["pred"]), "stockmark")
    path = Path(spec)
    if not path.is_file():
        raise EvalInputError(f"--label-map: not 'stockmark', 'identity' or a JSON file: {spec}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise EvalInputError(f"--label-map {spec}: not JSON ({error})") from None
    if not isinstance(data, dict):
        raise EvalInputError(f"--label-map {spec}: must be a JSON object")
    if "gold" in data or "pred" in data:
        gold, pred = data.get("gold") or {}, data.get("pred") or {}
    else:
        gold, pred = data, {}
    for side, mapping in (("gold", gold), ("pred", pred)):
        if not isinstance(mapping, dict) or not all(isinstance(v, (str, type(None))) for v in mapping.values()):
            raise EvalInputError(f"--label-map {spec}: {side!r} must map labels to a label or null")
    return LabelMap(dict(gold), dict(pred), path.name)


# --------------------------------------------------------------------------- reading

def _read_json_records(path: Path) -> list[tuple[str, object]]:
    """(where, object) for a .json (object or array) or .jsonl[.gz] file."""
    name = path.name
    try:
        if name.endswith((".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")):
            opener = gzip.open if name.endswith(".gz") else open
            out = []
            with opener(path, "rt", encoding="utf-8") as stream:
                for number, line in enumerate(stream, 1):
                    if line.strip():
                        try:
                            out.append((f"{path}:{number}", json.loads(line)))
                        except ValueError as error:
                            raise EvalInputError(f"{path}:{number}: not JSON ({error})") from None
            return out
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as error:
        raise EvalInputError(f"{path}: not UTF-8 ({error.reason})") from None
    except ValueError as error:
        raise EvalInputError(f"{path}: not JSON ({error})") from None
    except (OSError, EOFError) as error:
        raise EvalInputError(f"cannot read {path}: {error}") from None
    if isinstance(data, list):
        return [(f"{path}[{i}]", obj) for i, obj in enumerate(data)]
    return [(str(path), data)]


def _is_stockmark(obj: object) -> bool:
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return False
    ents = obj.get("entities")
    if not isinstance(ents, list):
        return False
    if not ents:
        return "sections" not in obj and "id" not in obj and "schema_version" not in obj
    first = ents[0]
    return isinstance(first, dict) and "span" in first and "type" in first


def split_of(index: int) -> str:
    """The fixed Stockmark split by 0-based position: 9 -> test, 8 -> dev, else train."""
    return {9: "test", 8: "dev"}.get(index % 10, "train")


def _stockmark_items(records: list[tuple[str, object]], stem: str, split: str | None) -> list[Item]:
    items = []
    for index, (where, obj) in enumerate(records):
        if split and split_of(index) != split:
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not isinstance(obj.get("entities"), list):
            raise EvalInputError(f"{where}: a Stockmark record needs \"text\" and an \"entities\" list")
        text = obj["text"]
        entities = []
        for ent in obj["entities"]:
            try:
                start, end = (int(v) for v in ent["span"])
                label = str(ent["type"])
            except (KeyError, TypeError, ValueError):
                raise EvalInputError(f"{where}: an entity needs \"span\": [start, end] and \"type\"") from None
            name = ent.get("name")
            entities.append({"text": text[start:end], "label": label, "start": start, "end": end, "name": name})
        warnings = [f"entity name {e['name']!r} != text[{e['start']}:{e['end']}] {e['text']!r}"
                    for e in entities if e["name"] is not None and e["name"] != e["text"]]
        items.append(Item(id=f"{stem}:{index}", gold={"entities": entities}, text=text,
                          fields=frozenset({"entities"}), origin=where, warnings=warnings))
    return items


def _decode_article(path: Path) -> tuple[str, str]:
    from ..io.reading import DecodeError, decode_bytes

    try:
        return decode_bytes(path.read_bytes())
    except DecodeError as error:
        raise EvalInputError(f"{path}: {error}") from None


def _summary_item(where: str, obj: object, fallback_id: str, articles: Path | None) -> Item:
    if not isinstance(obj, dict):
        raise EvalInputError(f"{where}: a gold summary must be a JSON object")
    if is_error(obj):
        raise EvalInputError(f"{where}: is an error record, not a gold summary")
    item_id = str(obj.get("id") or fallback_id)
    fields = frozenset(f for f in SCORED_FIELDS if f in obj)
    for name in ("sections", "key_points", "takeaways", "entities", "dates"):
        if name in obj and not isinstance(obj[name], list):
            raise EvalInputError(f"{where}: {name!r} must be a list")
    text = obj.get("text") if isinstance(obj.get("text"), str) else None
    warnings = []
    if text is None and articles is not None:
        path = articles / f"{item_id}.txt"
        if path.is_file():
            text, encoding = _decode_article(path)
            declared = obj.get("encoding")
            if declared and declared.replace("_", "-") != encoding.replace("_", "-"):
                warnings.append(f"{item_id}: gold declares encoding {declared}, read as {encoding}")
    # Only the input record's own date (kept under "meta" in summaries) may anchor a --run;
    # the gold "published" is an answer, not an input.
    meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
    published = meta["published"][:10] if isinstance(meta.get("published"), str) else None
    if text is not None:
        warnings.extend(_span_warnings(item_id, obj, text))
    return Item(id=item_id, gold=obj, text=text, published=published, fields=fields, origin=where,
                warnings=warnings)


def _span_warnings(item_id: str, obj: dict, text: str, limit: int = 5) -> list[str]:
    """Gold spans whose text is not the article's [start:end] slice (a typo in an offset)."""
    spans = [("entities", e) for e in obj.get("entities") or []]
    spans += [("dates", d) for d in obj.get("dates") or []]
    spans += [("key_points", p) for p in obj.get("key_points") or []]
    spans += [("takeaways", t) for t in obj.get("takeaways") or []]
    spans += [("body", b) for s in obj.get("sections") or [] if isinstance(s, dict) for b in s.get("body") or []]
    out = []
    for name, span in spans:
        if not isinstance(span, dict) or not isinstance(span.get("start"), int) or not isinstance(span.get("end"), int):
            continue
        if "text" in span and text[span["start"]:span["end"]] != span["text"]:
            out.append(f"{item_id}: gold {name} {span['text']!r} at {span['start']}-{span['end']} "
                       f"but the article has {text[span['start']:span['end']]!r} there")
    return out[:limit] + ([f"{item_id}: {len(out) - limit} more span mismatches"] if len(out) > limit else [])


def _gold_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file() and
                  p.name.endswith((".json", ".jsonl", ".jsonl.gz", ".ndjson")))


def corpus_name(path: str, split: str | None = None) -> str:
    p = Path(path).resolve()
    if p.is_dir() and p.name == "gold" and (p.parent / "articles").is_dir():
        p = p.parent
    name = p.name if p.is_dir() else p.name.split(".")[0]
    if name == "ner" and p.parent.name:
        name = p.parent.name
    return f"{name}:{split}" if split else name


def load_gold(path: str, *, label_map: str | None = None, split: str | None = None,
              gold_format: str = "auto") -> GoldSet:
    """Read GOLD (see the module doc). ``split`` keeps only test/dev/train of a Stockmark file."""
    p = Path(path)
    if not p.exists():
        raise EvalInputError(f"no such file or directory: {path}")
    articles: Path | None = None
    if p.is_dir():
        if (p / "gold").is_dir():
            articles = p / "articles" if (p / "articles").is_dir() else None
            files = _gold_files(p / "gold")
        else:
            files = _gold_files(p)
            if (p.parent / "articles").is_dir():
                articles = p.parent / "articles"
            elif (p / "articles").is_dir():
                articles = p / "articles"
        if not files:
            raise EvalInputError(f"{path}: no gold *.json or *.jsonl files found")
    else:
        files = [p]
        for candidate in (p.parent / "articles", p.parent.parent / "articles"):
            if candidate.is_dir():
                articles = candidate
                break
    records: list[tuple[str, object, Path]] = []
    for file in files:
        records.extend((where, obj, file) for where, obj in _read_json_records(file))
    if not records:
        raise EvalInputError(f"{path}: no gold records")
    kind = gold_format
    if kind == "auto":
        kind = "stockmark" if _is_stockmark(records[0][1]) else "summary"
    if split and kind != "stockmark":
        raise EvalInputError("--split applies to a Stockmark-format NER file only")
    lmap = load_label_map(label_map, default="stockmark" if kind == "stockmark" else "identity")
    if kind == "stockmark":
        stem = Path(files[0]).name.split(".")[0]
        items = _stockmark_items([(w, o) for w, o, _ in records], stem, split)
    else:
        items = []
        counters: dict[Path, int] = {}
        for where, obj, file in records:
            counters[file] = number = counters.get(file, 0) + 1
            stem = file.name.split(".")[0]
            fallback = stem if where == str(file) else f"{stem}:{number}"
            items.append(_summary_item(where, obj, fallback, articles))
    seen: dict[str, str] = {}
    for item in items:
        if item.id in seen:
            raise EvalInputError(f"gold id {item.id!r} appears twice ({seen[item.id]} and {item.origin})")
        seen[item.id] = item.origin
    return GoldSet(items=items, kind=kind, name=corpus_name(path, split), label_map=lmap)


def load_run(path: str) -> dict[str, dict]:
    """A run's summaries by id: a JSONL (.gz) file, a JSON array, or a directory of them."""
    p = Path(path)
    if not p.exists():
        raise EvalInputError(f"no such file or directory: {path}")
    files = _gold_files(p) if p.is_dir() else [p]
    out: dict[str, dict] = {}
    for file in files:
        for number, (where, obj) in enumerate(_read_json_records(file)):
            if not isinstance(obj, dict):
                raise EvalInputError(f"{where}: a summary must be a JSON object")
            record_id = str(obj.get("id") or f"{file.name.split('.')[0]}:{number + 1}")
            if record_id in out:
                raise EvalInputError(f"{where}: id {record_id!r} appears twice in the run")
            out[record_id] = obj
    return out
