"""What every stage component shares: the record context on the Doc, the per-Doc error and the
one chunker.

A Doc that goes through the summary pipeline carries two extensions of its own besides the
stages' results:

- ``doc._.record``: the record's context, a plain dict with ``id``, ``source_path``,
  ``published`` (the record's date, ISO), ``reference_date`` (ISO; anchors relative dates
  when neither the text nor the record has a date), ``meta``, ``warnings`` and, optionally,
  ``key_points`` / ``keywords`` (how many of each, overriding the components' config for
  this Doc). Give it with ``make_doc(nlp, text, id=..., published=...)``, or with
  ``nlp.pipe(((text, context), ...), as_tuples=True)``: the first stage copies a dict
  context onto the Doc.
- ``doc._.error``: ``None``, or ``{"kind": "internal_error", "message": ...}`` when a stage
  raised on this Doc. Later stages skip the Doc and ``doc._.summary`` is the error record:
  one bad article never stops a batch, and it loses nothing but itself.

Every value is plain data (msgpack-able), so ``Doc.to_bytes`` and ``nlp.pipe(...,
n_process=2)`` carry them across processes.
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator, TypeVar

from spacy.tokens import Doc

__all__ = ["RECORD", "ERROR", "GROUP_ITEMS", "GROUP_CHARS", "Stage", "make_doc", "record_context", "groups",
           "doc_chars", "set_doc_extension", "context_value", "internal_error"]

RECORD = "record"
ERROR = "error"
CONTEXT_KEYS = ("id", "source_path", "published", "reference_date", "meta", "warnings", "key_points", "keywords")

# Articles go through each stage in small groups: a stage's code and tables then stay in
# the CPU caches across the group, instead of being evicted by the tagger and the other
# stages between two uses (measured: the whole pipeline about 20% faster, key points and
# keywords about 40%). The character cap bounds the Docs alive at once (0.3-0.8 KB per
# character, so about 15-40 MB a group, plus the article that closes it).
GROUP_ITEMS = 16
GROUP_CHARS = 50_000

Item = TypeVar("Item")


def set_doc_extension(name: str) -> None:
    """A Doc extension with default None, unless one of that name exists already."""
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=None)


set_doc_extension(RECORD)
set_doc_extension(ERROR)


def make_doc(nlp, text: str, *, id: str = "text", source_path: str | None = None, published: str | None = None,
             reference_date: str | None = None, meta: dict | None = None, warnings: Iterable[str] = (),
             key_points: int | None = None, keywords: int | None = None) -> Doc:
    """The tokenized Doc of ``text`` with its record context; pass it to ``nlp`` or
    ``nlp.pipe``. A text the tokenizer cannot take gives an empty Doc with ``doc._.error``
    set, so the summary is an error record instead of an exception."""
    try:
        doc = nlp.make_doc(text)
    except Exception as error:  # the record still gets its line, saying why
        doc = Doc(nlp.vocab, words=[])
        doc._.error = internal_error(error)
    context = {"id": id, "source_path": source_path, "published": published, "reference_date": reference_date,
               "meta": dict(meta or {}), "warnings": list(warnings)}
    if key_points is not None:
        context["key_points"] = key_points
    if keywords is not None:
        context["keywords"] = keywords
    doc._.record = context
    return doc


def record_context(doc: Doc) -> dict:
    """``doc._.record``, or the context ``nlp.pipe(..., as_tuples=True)`` gave (a dict),
    or an empty context."""
    context = doc.user_data.get(("._.", RECORD, None, None))
    if context is None:
        given = getattr(doc, "_context", None)
        context = {key: given[key] for key in CONTEXT_KEYS if key in given} if isinstance(given, dict) else {}
        doc._.record = context
    return context


def internal_error(error: Exception) -> dict:
    return {"kind": "internal_error", "message": f"{type(error).__name__}: {error}"}


def doc_chars(doc: Doc) -> int:
    """The Doc's length in characters, without building ``doc.text`` (one Token per token)."""
    if len(doc) == 0:
        return 0
    last = doc[-1]
    return last.idx + len(last.text_with_ws)


def groups(items: Iterable[Item], size: Callable[[Item], int], *, max_items: int = GROUP_ITEMS,
           max_size: int = GROUP_CHARS, look_ahead: bool = False) -> Iterator[list[Item]]:
    """Consecutive items, at most ``max_items`` of them. The one chunker: stages, summaries
    and batches all group this way.

    By default a group closes once its ``size`` total reaches ``max_size``, so it holds at
    most ``max_size`` plus one item. This decides on the items it has and never on the next
    one. A stage's group then ends where the previous stage's did, and the previous stage
    does not start its next group before this one is done. With ``look_ahead``, an item that
    would take the group over ``max_size`` starts the next group instead, so a large item
    travels alone (for batches sent to workers, where reading one more record is free)."""
    group: list[Item] = []
    total = 0
    for item in items:
        length = size(item)
        if look_ahead and group and (len(group) >= max_items or total + length > max_size):
            yield group
            group, total = [], 0
        group.append(item)
        total += length
        if not look_ahead and (len(group) >= max_items or total >= max_size):
            yield group
            group, total = [], 0
    if group:
        yield group


_ERROR_KEY = ("._.", ERROR, None, None)


class Stage:
    """A stage component: ``process(doc) -> doc`` on each Doc without an error, one group
    of Docs at a time in ``pipe``. A Doc on which ``process`` raises gets ``doc._.error``.
    Subclasses keep their settings in ``config``, the factory's arguments (no data: the
    resources ship with the package)."""

    def __init__(self, name: str, config: dict | None = None) -> None:
        self.name = name
        self.config = dict(config or {})

    def process(self, doc: Doc) -> Doc:
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        if doc.user_data.get(_ERROR_KEY) is not None:
            return doc
        try:
            return self.process(doc)
        except Exception as error:  # this Doc's summary says why; the others go on
            doc._.error = internal_error(error)
            return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        """``self(doc)`` for each Doc, one group (``groups``) at a time: the group passes
        the stages before this one before this one starts on it."""
        for group in groups(docs, doc_chars):
            yield from [self(doc) for doc in group]

    # No to_disk / to_bytes: the factory's config (config.cfg, written by nlp.to_disk) is all
    # a stage is, and spaCy skips components without them; a second copy read back into a
    # built stage could disagree with what __init__ derived from the config.
    def __reduce__(self):  # nlp.pipe(n_process=2) pickles the components: their config is enough
        return _rebuild, (type(self), self.name, self.config)


def context_value(doc: Doc, key: str, default):
    """A per-Doc override from the record context, else the component's ``default``."""
    value = record_context(doc).get(key)
    return default if value is None else value


def _rebuild(cls, name: str, config: dict) -> Stage:
    return cls(None, name, **config)
