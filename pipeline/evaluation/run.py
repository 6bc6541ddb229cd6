"""``--run``: summarize the gold texts on the fly with the current pipeline."""

from __future__ import annotations

from typing import Callable, Iterable

from .loading import EvalInputError, Item

__all__ = ["run_pipeline"]

_NLP: dict = {}
DEFAULT = "default"


def _shared_nlp(make_nlp, entities: str = DEFAULT):
    """One Language per process and entity mode: building it (tokenizer, entity tables) is the
    slow part. ``entities``: "default" (what ``make_nlp()`` does), a mode name, or "none"."""
    if entities not in _NLP:
        if entities == DEFAULT:
            _NLP[entities] = make_nlp()
        else:
            _NLP[entities] = make_nlp(entities=None if entities == "none" else entities)
    return _NLP[entities]


def run_pipeline(items: Iterable[Item], *, reference_date: str | None = None, entities: str | None = None,
                 progress: Callable[[int], None] | None = None) -> dict[str, dict]:
    """id -> summary for every gold item with a text (the article, or a Stockmark sentence).
    One failing article becomes an error record, as in ``jnews summarize``."""
    from ..summary.language import make_nlp
    from ..io.reading import Record
    from ..summary.summarize import summarize_records

    items = list(items)
    without = [item.id for item in items if item.text is None]
    if without:
        raise EvalInputError(f"--run needs the article texts; none found for {len(without)} gold record(s), "
                             f"e.g. {without[0]!r} (put them in articles/<id>.txt next to gold/, or a \"text\" field)")
    nlp = _shared_nlp(make_nlp, entities or DEFAULT)
    out: dict[str, dict] = {}
    records = (Record(id=item.id, text=item.text, published=item.published) for item in items)
    # through nlp.pipe, as batch workers run them; one failing article becomes an error record
    for number, (item, summary) in enumerate(zip(items, summarize_records(records, nlp, reference_date=reference_date)), 1):
        out[item.id] = summary
        if progress:
            progress(number)
    return out
