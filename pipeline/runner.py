"""Run the summarizer over a stream of records, in input order."""

from __future__ import annotations

from typing import Iterable, Iterator

from .extractors import default_extractors
from .nlp import make_nlp
from .reading import Record
from .summary import summarize_record

__all__ = ["summarize_records"]


def summarize_records(records: Iterable[Record], *, reference_date: str | None = None) -> Iterator[dict]:
    """One summary (or error record) per record, in order."""
    nlp = make_nlp()
    extractors = default_extractors()
    for record in records:
        yield summarize_record(record, nlp, reference_date=reference_date, extractors=extractors)
