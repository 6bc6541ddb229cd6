"""Document frequencies of keyword keys: the background table shipped with the package,
and batch tables (``jnews keywords-df``); the idf of keyword scores and key-point vectors.

Rebuild the background table (documented in the README):
    python -m pipeline.keywords build-background ../shared/data/stockmark-ner-wikipedia/ner.json
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable

from ..nlp.token_view import ADVNOUN, COUNTER, PREFIX, SIMILARITY_CLASSES, SUFFIX, nfkc_text, tag_class
from ..rule_tables import resource_text

__all__ = ["DocumentFrequency", "background_frequency", "build_background", "BACKGROUND_PATH"]

BACKGROUND_PATH = "keywords/background_df.tsv"  # under pipeline/resources (rule_tables)


@dataclass
class DocumentFrequency:
    """Document frequencies of normalized lemmas / keyphrases over ``documents`` documents.
    ``idf`` is ``ln((N + 1) / (df + 0.5))``; a key not in the table has df 1 (the table
    keeps keys seen at least twice)."""
    documents: int
    counts: dict[str, int] = field(default_factory=dict)
    label: str = ""

    def idf(self, key: str) -> float:
        return math.log((self.documents + 1) / (self.counts.get(key, 1) + 0.5))

    def with_documents(self, keys_per_document: Iterable[Iterable[str]]) -> "DocumentFrequency":
        """This table plus a batch: each item holds the keys of one document (see
        ``document_keys``). The background stays as a prior, so a small batch is safe."""
        counts = dict(self.counts)
        documents = self.documents
        for keys in keys_per_document:
            documents += 1
            for key in set(keys):
                counts[key] = counts.get(key, 0) + 1
        return DocumentFrequency(documents, counts, f"{self.label} + batch of {documents - self.documents}")

    @classmethod
    def load(cls, path: str = BACKGROUND_PATH) -> "DocumentFrequency":
        """A table shipped in the package (by default the background table)."""
        return cls.parse(resource_text(path))

    @classmethod
    def read(cls, path) -> "DocumentFrequency":
        """A table file (``jnews keywords-df`` writes them); ValueError if it is not one."""
        with open(path, encoding="utf-8") as handle:
            return cls.parse(handle.read(), str(path))

    @classmethod
    def parse(cls, text: str, where: str = "the table") -> "DocumentFrequency":
        documents, counts, label = 0, {}, ""
        for number, row in enumerate(text.splitlines(), 1):
            if row.startswith("#documents\t"):
                documents = int(row.split("\t")[1])
            elif row.startswith("#source\t"):
                label = row.split("\t")[1]
            elif row and not row.startswith("#"):
                key, _, count = row.rpartition("\t")
                if not key or not count.isdigit():
                    raise ValueError(f"{where}, line {number}: not KEY<TAB>COUNT: {row[:60]!r}")
                counts[key] = int(count)
        if documents < 1:
            raise ValueError(f"{where}: no '#documents<TAB>N' line: not a document-frequency table")
        return cls(documents, counts, label)

    def write(self, path, comments: Iterable[str] = ()) -> int:
        """The TSV ``read`` and ``load`` take: comment lines, ``#source``, ``#documents``, then
        ``key<TAB>df`` sorted by key (the same table gives the same bytes). Returns the rows
        written (keys a TSV line cannot hold are left out)."""
        rows = [(key, count) for key, count in sorted(self.counts.items())
                if "\t" not in key and "\n" not in key and key.strip()]
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            for comment in comments:
                handle.write(f"# {comment}\n")
            handle.write(f"#source\t{self.label}\n#documents\t{self.documents}\n")
            handle.writelines(f"{key}\t{count}\n" for key, count in rows)
        return len(rows)


_BACKGROUND: DocumentFrequency | None = None


def background_frequency() -> DocumentFrequency:
    """The shipped background table (loaded once)."""
    global _BACKGROUND
    if _BACKGROUND is None:
        _BACKGROUND = DocumentFrequency.load()
    return _BACKGROUND


def build_background(ner_json: str, out: str, min_count: int = 2) -> tuple[int, int]:
    """Document frequencies of content lemmas over the Stockmark sentences (one sentence is
    one document) -> a TSV of ``key<TAB>df``. Returns (documents, keys kept)."""
    import json
    from collections import Counter

    from ..nlp.tokenizer import tokenizer_nlp

    nlp = tokenizer_nlp()  # the tokenizer alone: the table must not change when the entity model does
    sentences = [item["text"] for item in json.loads(open(ner_json, encoding="utf-8").read())]
    counts: Counter[str] = Counter()
    for sentence in sentences:
        doc = nlp(sentence)
        keys = set()
        for token in doc:
            cls = tag_class(token.tag_)
            if cls in SIMILARITY_CLASSES or cls in (SUFFIX, PREFIX, ADVNOUN, COUNTER):
                keys.add(nfkc_text(token.lemma_))
        counts.update(keys)
    kept = {key: count for key, count in counts.items() if count >= min_count}
    table = DocumentFrequency(len(sentences), kept, "stockmark-ner-wikipedia v2.0 sentences")
    written = table.write(out, (
        "Document frequencies of content lemmas (UniDic via fugashi + unidic-lite), one sentence = one document.",
        "Derived from the Stockmark Japanese Wikipedia NER dataset v2.0 (stockmarkteam/ner-wikipedia-dataset,",
        "CC-BY-SA 3.0); only counts are kept, no text. Rebuild:",
        "  python -m pipeline.keywords build-background ../shared/data/stockmark-ner-wikipedia/ner.json"))
    return len(sentences), written
