"""Keyword candidates of one article, gathered and summed in numpy.

Candidates are noun compounds (maximal runs of nouns, with prefixes, suffixes and counters
inside them), their head-final tails and single nouns, taken only from content tokens (see
``token_view``); each entity of ``doc.ents`` is one candidate under its canonical name, and
its tokens form no other compound. What one run of tokens yields (its *template*, see
``keyword_templates``) is worked out once per distinct run; an article's candidates are its
runs' template items, gathered and summed with numpy rather than by a Python loop over runs
and items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy
from spacy.strings import get_string_id

from .document_frequency import background_frequency
from .templates import STOPWORDS, KeywordCache, TemplateRegistry, phrase_idf, is_katakana, run_templates
from ..nlp.token_view import ADJ, COMPOUND_MASK, HEAD_CLASSES, SIMILARITY_MASK, ContentView

__all__ = ["Candidates", "KeywordCache", "find_candidates", "STOPWORDS", "ENTITY_LABELS", "MAX_TOKENS"]

_TITLE_WEIGHT = 2.0     # an occurrence in the title counts this much
MAX_TOKENS = 200_000    # keyphrases come from the first tokens of a (pathologically) huge text
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "NORP"})
ENTITY_DETAILS_KEY = "jnews_entities"  # doc.user_data of the entity stage: {"start:end": [canonical, role, rule]}


def _extension_name(doc, start: int, end: int, text: str) -> str:
    """A name set as a plain ``jnews_canonical`` / ``canonical`` span extension value (read
    straight from ``doc.user_data``, much faster than ``span._``), else the span text: for
    entities that did not come from our entity stage's details table."""
    for name in ("jnews_canonical", "canonical"):
        value = doc.user_data.get(("._.", name, start, end))
        if value:
            return str(value)
    return text[start:end]


_DOT = re.compile("・(?=[\u30a1-\u30faー])")
_KATAKANA = re.compile("[\u30a1-\u30faー]+")  # as is_katakana, char by char


def _runs(text: str, view: ContentView, usable: numpy.ndarray, n: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    """[first, last + 1) token ranges of adjacent compound-internal tokens."""
    classes, starts, ends = view.classes[:n], view.starts[:n], view.ends[:n]
    in_compound = usable[:n] & COMPOUND_MASK[classes]
    adjectives = numpy.nonzero(usable[:n] & (classes == ADJ))[0]
    if len(adjectives):  # スマート|フォン: katakana 形状詞 in a word
        katakana = _KATAKANA.fullmatch
        in_compound[adjectives] = [katakana(text, start, end) is not None
                                   for start, end in zip(starts[adjectives].tolist(), ends[adjectives].tolist())]
    if "・" in text:  # ブーランジェリー・ソレイユ: a middle dot inside a foreign name
        dots = numpy.array([m.start() for m in _DOT.finditer(text)], dtype=numpy.int64)
        at = numpy.searchsorted(starts, dots)
        ok = (at > 0) & (at < n - 1)
        for dot, k in zip(dots[ok].tolist(), at[ok].tolist()):
            if starts[k] == dot and ends[k] == dot + 1 and usable[k] and in_compound[k - 1] and in_compound[k + 1] \
                    and is_katakana(text[dot - 1]):
                in_compound[k] = True
    link = numpy.zeros(n + 1, dtype=bool)  # link[i]: token i continues the run of token i - 1
    if n > 1:
        link[1:n] = in_compound[1:] & in_compound[:-1] & (starts[1:] == ends[:-1])
    firsts = numpy.nonzero(in_compound & ~link[:n])[0]
    lasts = numpy.nonzero(in_compound & ~link[1:n + 1])[0] + 1
    return firsts, lasts


# ---------------------------------------------------------------- run keys

_P = 0x100000001B3  # odd, so invertible modulo 2**64
_P_INVERSE = pow(_P, -1, 2 ** 64)
_MIX = 0x9E3779B97F4A7C15
_MIX_ORTH = 0xC2B2AE3D27D4EB4F  # odd: surfaces enter the token hash apart from lemmas


def _run_keys(n: int, firsts: numpy.ndarray, lasts: numpy.ndarray, prefix: numpy.ndarray) -> numpy.ndarray:
    """sum(h_i * P**(i - first)) mod 2**64 over a run's tokens, from a ``_prefixes`` row, plus
    the run length: equal keys mean the same tokens (lemmas and classes, or lemmas, classes
    and surfaces) up to 2**-64. (uint64 arrays wrap around silently, as wanted here.)"""
    keys = (prefix[lasts] - prefix[firsts]) * _powers(n)[1][firsts]
    return keys ^ ((lasts - firsts).astype(numpy.uint64) * numpy.uint64(_MIX >> 1))


def _prefixes(view: ContentView, n: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Prefix sums of h_i * P**i over the first n tokens (n + 1 values), h mixing the token's
    lemma and class; and the same with its surface mixed in too. A text's runs are grouped by
    lemmas and classes; a template depends on the surfaces too."""
    tokens = numpy.empty((2, n), dtype=numpy.uint64)
    numpy.bitwise_xor(view.lemmas[:n], view.classes[:n].astype(numpy.uint64) * numpy.uint64(_MIX), out=tokens[0])
    numpy.multiply(view.orths[:n], numpy.uint64(_MIX_ORTH), out=tokens[1])
    tokens[1] += tokens[0]
    tokens *= _powers(n)[0]
    prefixes = numpy.zeros((2, n + 1), dtype=numpy.uint64)
    numpy.cumsum(tokens, axis=1, dtype=numpy.uint64, out=prefixes[:, 1:])
    return prefixes[0], prefixes[1]


_POWERS: list[numpy.ndarray] = []


def _powers(n: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    """P**i and P**-i (mod 2**64) for i < n, from a table kept for the longest text so far."""
    if not _POWERS or len(_POWERS[0]) < n:
        size = max(n, 4096, 2 * len(_POWERS[0]) if _POWERS else 0)
        with numpy.errstate(over="ignore"):
            _POWERS[:] = [numpy.cumprod(numpy.full(size, _P, dtype=numpy.uint64)) * numpy.uint64(_P_INVERSE),
                          numpy.cumprod(numpy.full(size, _P_INVERSE, dtype=numpy.uint64)) * numpy.uint64(_P)]
    return _POWERS[0][:n], _POWERS[1][:n]


@dataclass
class Candidates:
    """One article's candidates: the entities' first (in text order), then the runs' (in the
    order of their first occurrence). ``registry``: the one their key ids index."""
    key_ids: numpy.ndarray
    weight: numpy.ndarray   # occurrences, title ones counting _TITLE_WEIGHT
    factor: numpy.ndarray
    first: numpy.ndarray    # offset of the first occurrence
    idf: numpy.ndarray      # against the background table
    creators: numpy.ndarray  # the registry item of each run candidate
    entity_names: list[str]
    entity_parts: list[tuple[str, ...]]
    content_tokens: int
    registry: TemplateRegistry

    def __len__(self) -> int:
        return len(self.key_ids)

    def key(self, i: int) -> str:
        return self.registry.key_text[self.key_ids[i]]

    def display(self, i: int) -> str:
        entities = len(self.entity_names)
        return self.entity_names[i] if i < entities else self.registry.display[self.creators[i - entities]]

    def parts(self, i: int) -> tuple[str, ...]:
        entities = len(self.entity_parts)
        return self.entity_parts[i] if i < entities else self.registry.parts[self.creators[i - entities]]


def find_candidates(text: str, doc, view: ContentView, cache: KeywordCache | None = None) -> Candidates:
    """The keyword candidates of one article (see the module doc) with their weights.
    ``cache``: what earlier articles left (faster; the same result); None, a fresh one."""
    cache = KeywordCache() if cache is None else cache
    registry = cache.registry_for_next_article()
    allowed = view.allowed
    n = min(len(view.classes), MAX_TOKENS)
    usable = allowed.copy()
    title_start, title_end = view.title if view.title is not None else (-1, -1)
    prefix, surface_prefix = _prefixes(view, n)
    entities = _entity_candidates(text, doc, view, n, usable, title_start, title_end, prefix, cache)
    content_tokens = int(numpy.count_nonzero(allowed & SIMILARITY_MASK[view.classes]))
    firsts, lasts = _runs(text, view, usable, n)
    ent_keys, ent_names, ent_parts, ent_first, ent_idf, ent_weight = entities
    nothing = numpy.zeros(0, dtype=numpy.int64)
    if not len(firsts):
        return Candidates(numpy.array(ent_keys, dtype=numpy.int64), numpy.array(ent_weight), numpy.ones(len(ent_keys)),
                          numpy.array(ent_first, dtype=numpy.int64), numpy.array(ent_idf), nothing, ent_names, ent_parts,
                          content_tokens, registry)
    # One key per run from its tokens (a rolling hash, in numpy), so that a word the text
    # repeats is looked at once: distinct runs in the order of their first occurrence.
    keys = _run_keys(n, firsts, lasts, prefix)
    unique, first_index, inverse = _unique(keys)
    run_starts = view.starts[firsts]
    in_title = (run_starts >= title_start) & (view.ends[lasts - 1] <= title_end)
    title_counts = numpy.bincount(inverse, weights=in_title, minlength=len(unique))
    body_counts = numpy.bincount(inverse, weights=~in_title, minlength=len(unique))
    order = numpy.argsort(first_index, kind="stable")
    weights = (body_counts + _TITLE_WEIGHT * title_counts)[order]
    picked = first_index[order]
    origins = run_starts[picked]
    # the template of a group of runs is that of its first run (its surfaces: 返し, not かえし)
    run_keys = _run_keys(n, firsts[picked], lasts[picked], surface_prefix).tolist()
    known = registry.template_of.get
    templates = [known(key) for key in run_keys]
    unseen = [i for i, template in enumerate(templates) if template is None] if None in templates else ()
    for i in unseen:  # runs never seen before: work their templates out once
        run = int(picked[i])
        first, last, origin = int(firsts[run]), int(lasts[run]), int(origins[i])
        items = run_templates(text, doc.vocab.strings, view.classes[first:last].tolist(),
                               (view.starts[first:last] - origin).tolist(), (view.ends[first:last] - origin).tolist(),
                               view.lemmas[first:last].tolist(), origin, background_frequency(), cache)
        templates[i] = registry.add(run_keys[i], items)
    templates = numpy.array(templates, dtype=numpy.int64)
    counts = registry.item_count[templates]
    run_of = numpy.repeat(numpy.arange(len(templates)), counts)
    items = numpy.repeat(registry.first_item[templates] - (numpy.cumsum(counts) - counts), counts) \
        + numpy.arange(int(counts.sum()))
    item_keys, alone, item_weight = registry.key[items], registry.alone[items], weights[run_of]

    # a key's candidate comes from its first item that stands alone; all such items add weight
    run_key_ids, creator_at, alone_inverse = _unique(item_keys[alone])
    run_weight = numpy.bincount(alone_inverse, weights=item_weight[alone], minlength=len(run_key_ids))
    creators, creator_runs = items[alone][creator_at], run_of[alone][creator_at]
    entity_ids = numpy.array(ent_keys, dtype=numpy.int64)
    shared = _among(run_key_ids, entity_ids)  # an entity's candidate already has this key
    row_of = {key: row for row, key in enumerate(ent_keys)}
    for key, weight in zip(run_key_ids[shared].tolist(), run_weight[shared].tolist()):
        ent_weight[row_of[key]] += weight
    # an item inside a longer phrase (熱中 in 熱中症) adds weight only to a candidate that exists
    inner_keys, inner_weight = item_keys[~alone], item_weight[~alone]
    if len(inner_keys) and len(run_key_ids):
        at = numpy.minimum(numpy.searchsorted(run_key_ids, inner_keys), len(run_key_ids) - 1)
        hit = (run_key_ids[at] == inner_keys) & ~shared[at]
        run_weight += numpy.bincount(at[hit], weights=inner_weight[hit], minlength=len(run_key_ids))
    to_entity = _among(inner_keys, entity_ids)
    for key, weight in zip(inner_keys[to_entity].tolist(), inner_weight[to_entity].tolist()):
        ent_weight[row_of[key]] += weight
    keep = ~shared
    creators, creator_runs = creators[keep], creator_runs[keep]
    return Candidates(
        numpy.concatenate([entity_ids, run_key_ids[keep]]),
        numpy.concatenate([numpy.array(ent_weight, dtype=float), run_weight[keep]]),
        numpy.concatenate([numpy.ones(len(ent_keys)), registry.factor[creators]]),
        numpy.concatenate([numpy.array(ent_first, dtype=numpy.int64), origins[creator_runs] + registry.offset[creators]]),
        numpy.concatenate([numpy.array(ent_idf, dtype=float), registry.idf[creators]]),
        creators, ent_names, ent_parts, content_tokens, registry)


def _unique(values: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """``numpy.unique(values, return_index=True, return_inverse=True)`` for a 1-d array,
    inline: the same sorted values, first indices and inverse, in fewer steps."""
    if not len(values):
        return values.copy(), numpy.zeros(0, dtype=numpy.intp), numpy.zeros(0, dtype=numpy.intp)
    order = values.argsort(kind="stable")  # stable: the first of equal values comes first
    ordered = values[order]
    first = numpy.empty(len(values), dtype=bool)
    first[0] = True
    numpy.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    inverse = numpy.empty(len(values), dtype=numpy.intp)
    inverse[order] = first.cumsum() - 1
    return ordered[first], order[first], inverse


def _among(values: numpy.ndarray, wanted: numpy.ndarray) -> numpy.ndarray:
    """``numpy.isin(values, wanted)`` for a few wanted values (isin costs more than this)."""
    if not len(wanted) or not len(values):
        return numpy.zeros(len(values), dtype=bool)
    wanted = numpy.sort(wanted)
    return wanted[numpy.minimum(numpy.searchsorted(wanted, values), len(wanted) - 1)] == values


def _entity_candidates(text: str, doc, view: ContentView, n: int, usable: numpy.ndarray, title_start: int,
                       title_end: int, prefix: numpy.ndarray, cache: KeywordCache) -> tuple[list, list, list, list, list, list]:
    """(key ids, names, parts, first offsets, idf, weights) of the entities of ``doc.ents``
    that lie in the content, one per canonical key; marks their tokens not ``usable``."""
    keys, names, parts_of, firsts_of, idfs, weights = [], [], [], [], [], []
    if view.entity_tokens is None:
        return keys, names, parts_of, firsts_of, idfs, weights
    registry, strings, known_parts = cache.registry, doc.vocab.strings, cache.entity_parts
    firsts, lasts = view.entity_tokens
    # an entity counts when its label is wanted and it lies within the first n tokens and
    # inside one stretch of content
    blocked = numpy.zeros(len(view.allowed) + 1, dtype=numpy.intp)
    numpy.cumsum(~view.allowed, out=blocked[1:])
    wanted = _wanted_labels(view.entity_labels)
    kept = (wanted & (lasts <= n) & (blocked[lasts] == blocked[firsts])).nonzero()[0]
    if not len(kept):
        return keys, names, parts_of, firsts_of, idfs, weights
    firsts, lasts = firsts[kept], lasts[kept]
    start_chars, end_chars = view.starts[firsts], view.ends[lasts - 1]
    in_title = ((start_chars >= title_start) & (end_chars <= title_end)).tolist()
    # what an entity yields depends on its name and its tokens' lemmas and classes: one hash
    # for the tokens (as for runs; the same surface may be cut differently in another text,
    # and a summary must not depend on which article this process saw first)
    hashes = _run_keys(n, firsts, lasts, prefix).tolist()
    details = doc.user_data.get(ENTITY_DETAILS_KEY)
    details = details if isinstance(details, dict) else {}
    start_chars, end_chars = start_chars.tolist(), end_chars.tolist()
    found = list(map(details.get, [f"{start}:{end}" for start, end in zip(start_chars, end_chars)]))
    names = [detail[0] if detail and detail[0] else _extension_name(doc, start, end, text)
             for detail, start, end in zip(found, start_chars, end_chars)]
    entries = list(map(known_parts.get, zip(names, hashes)))
    for k in [k for k, entry in enumerate(entries) if entry is None] if None in entries else ():
        first, last = int(firsts[k]), int(lasts[k])
        lemmas, classes = view.lemmas[first:last].tolist(), view.classes[first:last].tolist()
        parts = tuple(cache.lemma(strings, lemma) for lemma, cls in zip(lemmas, classes) if cls in HEAD_CLASSES)
        key = cache.normed(names[k])
        parts = parts or (key,)
        # the registry's key id is kept too: the cache renews the registry and these together
        entries[k] = known_parts[(names[k], hashes[k])] = (registry.key_of(key), parts,
                                                           phrase_idf(parts, key, background_frequency()))
    # one candidate per key, in the order of first occurrence, with that occurrence's name
    key_ids = [entry[0] for entry in entries]
    row_of = {key_id: row for row, key_id in enumerate(dict.fromkeys(key_ids))}
    weights = [0.0] * len(row_of)
    for key_id, title in zip(key_ids, in_title):
        weights[row_of[key_id]] += _TITLE_WEIGHT if title else 1.0
    at = [key_ids.index(key_id) for key_id in row_of]
    keys = list(row_of)
    names = [names[k] for k in at]
    parts_of = [entries[k][1] for k in at]
    firsts_of = [start_chars[k] for k in at]
    idfs = [entries[k][2] for k in at]
    # entities never overlap: +1 at each first token, -1 after each last one
    inside = numpy.bincount(firsts, minlength=len(usable) + 1) - numpy.bincount(lasts, minlength=len(usable) + 1)
    usable &= inside.cumsum()[:-1] == 0
    return keys, names, parts_of, firsts_of, idfs, weights


# the labels' hashes (spaCy symbols for most), sorted, with a 0 after them: a label above all
# of them finds 0 there, never itself (an entity's label is never 0)
_WANTED_LABELS = numpy.append(numpy.sort(numpy.array([get_string_id(label) for label in ENTITY_LABELS],
                                                     dtype=numpy.uint64)), numpy.uint64(0))


def _wanted_labels(label_hashes: numpy.ndarray) -> numpy.ndarray:
    """Per entity: is its label one of ENTITY_LABELS."""
    return _WANTED_LABELS[_WANTED_LABELS[:-1].searchsorted(label_hashes)] == label_hashes
