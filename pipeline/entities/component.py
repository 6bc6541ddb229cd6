"""The spaCy component: ``nlp.add_pipe("jnews_entities", config={"mode": "fast"})``.

Sets ``doc.ents`` (labels from DESIGN.md) with ``span.kb_id_`` = gazetteer id when known,
and ``span._.jnews_canonical`` / ``span._.jnews_role`` (plain strings kept in
``doc.user_data``). A token that holds more than one entity (日米, 対日) is split so each
country gets its own token. The component keeps no state between documents besides a
cache of per-token feature ids.

Modes: ``"fast"`` (default): gazetteers + context rules + the shipped CRF
(``resources/entities/ner_crf.npz``); ``"rules"``: gazetteers and rules only.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span

from .rules import Mention, recognize

__all__ = ["ENTITIES_COMPONENT", "EntityRecognizer", "MODES", "load_tagger", "mentions_from_doc"]

ENTITIES_COMPONENT = "jnews_entities"
SEEN_KEY = "jnews_entities_mode"  # doc.user_data: the mode that recognized this doc
MODES = ("fast", "rules")
MODEL_FILE = "ner_crf.npz"

for _name in ("jnews_canonical", "jnews_role", "jnews_rule"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


@lru_cache(maxsize=1)
def load_tagger():
    """The shipped CRF (loaded once per process; read-only afterwards)."""
    from .crf import CrfTagger

    path = resources.files("pipeline").joinpath("resources/entities", MODEL_FILE)
    with resources.as_file(path) as real:
        return CrfTagger.load(real)


class EntityRecognizer:
    def __init__(self, nlp: Language | None = None, name: str = ENTITIES_COMPONENT, mode: str = "fast") -> None:
        if mode not in MODES:
            raise ValueError(f"unknown entities mode {mode!r}; choose one of {', '.join(MODES)}")
        self.name = name
        self.mode = mode

    def __call__(self, doc: Doc) -> Doc:
        tagger = load_tagger() if self.mode == "fast" else None
        text = doc_text(doc)
        mentions = recognize(doc, tagger, text)
        doc = _split_tokens(doc, mentions, text)
        spans = []
        for m in mentions:
            span = doc.char_span(m.start, m.end, label=m.label, kb_id=m.kb_id or "")
            if span is None:
                continue
            spans.append((span, m))
        doc.set_ents([span for span, _ in spans], default="outside")
        doc.user_data[SEEN_KEY] = self.mode
        for span, m in spans:
            span._.jnews_canonical = m.canonical
            span._.jnews_role = m.role
            span._.jnews_rule = m.rule
        return doc

    def __reduce__(self):
        return EntityRecognizer, (None, self.name, self.mode)

    # config only; the model ships with the package
    def to_bytes(self, **kwargs) -> bytes:
        import srsly

        return srsly.msgpack_dumps({"mode": self.mode})

    def from_bytes(self, data: bytes, **kwargs) -> "EntityRecognizer":
        import srsly

        self.mode = srsly.msgpack_loads(data).get("mode", self.mode)
        return self

    def to_disk(self, path, **kwargs) -> None:
        import srsly
        from pathlib import Path

        Path(path).mkdir(parents=True, exist_ok=True)
        srsly.write_json(Path(path) / "cfg", {"mode": self.mode})

    def from_disk(self, path, **kwargs) -> "EntityRecognizer":
        import srsly
        from pathlib import Path

        cfg = Path(path) / "cfg"
        if cfg.exists():
            self.mode = srsly.read_json(cfg).get("mode", self.mode)
        return self


def doc_text(doc: Doc) -> str:
    """``doc.text``, built from the lexeme strings (Doc.text makes a Token per token on
    every access, which costs more than the whole entity pass on long articles)."""
    from spacy.attrs import ORTH, SPACY

    if len(doc) == 0:
        return ""
    strings = doc.vocab.strings
    return "".join(strings[orth] + " " if space else strings[orth]
                   for orth, space in doc.to_array([ORTH, SPACY]).tolist())


@Language.factory(ENTITIES_COMPONENT, default_config={"mode": "fast"}, assigns=["doc.ents"], retokenizes=True)
def make_entity_recognizer(nlp: Language, name: str, mode: str) -> EntityRecognizer:
    return EntityRecognizer(nlp, name, mode)


def _split_tokens(doc: Doc, mentions: list[Mention], text: str) -> Doc:
    """Split tokens at entity boundaries that fall inside them (日米 -> 日 + 米)."""
    from bisect import bisect_right

    from spacy.attrs import IDX, LENGTH

    cuts = sorted({m.start for m in mentions} | {m.end for m in mentions})
    if not cuts:
        return doc
    starts = {s for s, _ in doc.to_array([IDX, LENGTH]).tolist()}
    if all(c in starts or c == len(text) for c in cuts):
        return doc
    plan = []
    for i, (start, length) in enumerate(doc.to_array([IDX, LENGTH]).tolist()):
        end = start + length
        k = bisect_right(cuts, start)
        inner = []
        while k < len(cuts) and cuts[k] < end:
            inner.append(cuts[k])
            k += 1
        if inner:
            edges = [start, *inner, end]
            plan.append((i, [text[a:b] for a, b in zip(edges, edges[1:])]))
    if not plan:
        return doc
    with doc.retokenize() as retokenizer:
        for i, parts in plan:
            token = doc[i]
            retokenizer.split(token, parts, heads=[(token, 0)] * len(parts),
                              attrs={"TAG": [token.tag_] * len(parts), "POS": [token.pos_] * len(parts)})
    return doc


def mentions_from_doc(doc: Doc) -> list[dict]:
    """``doc.ents`` as plain dicts (offsets into ``doc.text``)."""
    return [{"text": span.text, "label": span.label_, "start": span.start_char, "end": span.end_char,
             "canonical": span._.jnews_canonical or span.text, "role": span._.jnews_role}
            for span in doc.ents]
