"""The entity registry of a run: one row per entity id, over all its articles.

``jnews tables`` writes it as ``entity_registry.parquet`` beside the per-article tables:
``entity_id``, ``label``, ``canonical``, ``aliases`` (the distinct surface forms seen, in
order of first sight), ``articles`` (how many articles name it), ``mentions`` (how many times),
``first_published`` / ``last_published`` (the earliest and latest ``published`` among those
articles, ISO dates; null when none has one) and ``first_row`` (the first article naming it).
Memory is one entry per distinct entity (and its distinct surface forms), not per mention.
Rows come out in order of first sight, so the table is the same for the same run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["EntityRegistry", "REGISTRY_COLUMNS"]

REGISTRY_COLUMNS = ("entity_id", "label", "canonical", "aliases", "articles", "mentions", "first_published",
                    "last_published", "first_row")


@dataclass
class _Entry:
    label: str
    canonical: str
    first_row: int
    aliases: dict[str, None] = field(default_factory=dict)  # an ordered set
    articles: int = 0
    mentions: int = 0
    first_published: str | None = None
    last_published: str | None = None


class EntityRegistry:
    """Feed it a run's summaries in order (``add``); ``rows()`` gives the table."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}

    def add(self, row: int, summary: dict) -> None:
        if summary.get("error"):
            return
        published = summary.get("published")
        seen: set[str] = set()
        for entity in summary.get("entities") or ():
            entity_id = entity.get("id")
            if not entity_id:
                continue  # a run written before entities had ids
            entry = self._entries.get(entity_id)
            if entry is None:
                entry = self._entries[entity_id] = _Entry(entity.get("label"), entity.get("canonical"), row)
            entry.aliases[entity.get("text")] = None
            entry.mentions += 1
            if entity_id in seen:
                continue
            seen.add(entity_id)
            entry.articles += 1
            if published:
                if entry.first_published is None or published < entry.first_published:
                    entry.first_published = published
                if entry.last_published is None or published > entry.last_published:
                    entry.last_published = published

    def rows(self) -> list[dict]:
        return [{"entity_id": entity_id, "label": e.label, "canonical": e.canonical, "aliases": list(e.aliases),
                 "articles": e.articles, "mentions": e.mentions, "first_published": e.first_published,
                 "last_published": e.last_published, "first_row": e.first_row}
                for entity_id, e in self._entries.items()]
