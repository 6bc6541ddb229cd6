"""A linear-chain CRF tagger evaluated with numpy (no per-token Python feature strings).

The model is trained with python-crfsuite (``pipeline.entities.train``) over the templates
of ``features.TEMPLATES`` and exported to ``resources/entities/ner_crf.npz``: one weight row
per (template, value) and a label-transition matrix. Tagging a document is
1. one cached lookup per distinct lexeme of its attribute ids (surface, tag, shape, affixes),
   and the document columns (bracket, run of nouns, gazetteer: ``columns.py``),
2. numpy gathers for the emission scores: the templates over a token's own attributes summed
   once per distinct lexeme of the document, the others per token (``_plan_emissions``),
3. Viterbi, run only over the stretches that are not clearly ``O`` (a token whose ``O``
   score beats every other label by half the transition spread is fixed to ``O``),
   batched across stretches; ``exact=True`` runs it over the whole document.
Weights are stored as float16, so labels agree with crfsuite's own tagger up to rounding.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from .columns import bracket_column, gazetteer_column, run_columns
from .features import ATTRS, LEXEME_ATTRS, PAD_VALUE, TEMPLATES, WINDOW, in_run, token_attrs

__all__ = ["CrfTagger", "bio_spans"]

UNKNOWN, PAD = 0, 1
_BRACKETS = "「」『』（）()【】“”《》〈〉"
try:
    from spacy.strings import hash_string as _hash

    _BRACKET_HASHES = {_hash(ch) for ch in _BRACKETS} | {_hash("\n"), _hash("\r\n"), _hash("\n\n")}
except ImportError:  # pragma: no cover
    _BRACKET_HASHES = set()
_BRACKET_ARRAY = np.array(sorted(_BRACKET_HASHES), dtype=np.uint64)
_CACHE_LIMIT = 200_000
_LOOP_ROWS = 256  # tokens: from here a document's distinct lexemes are found and shared, and a group's
# gather is summed column by column (_sum_rows); below, the plain per-token path costs less
_DENSE_CELLS = 1 << 16  # a pair template with fewer value pairs is a dense table (<= 5.5 MB at 21 labels)


def bio_spans(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """[(first_token, end_token, type)] from BIO labels; a stray ``I-X`` opens an entity."""
    spans, start, kind = [], None, None
    for i, label in enumerate([*labels, "O"]):
        if label == "O" or label.startswith("B-") or (label.startswith("I-") and label[2:] != kind):
            if start is not None:
                spans.append((start, i, kind))
            start, kind = (i, label[2:]) if label != "O" else (None, None)
    return spans


def _sum_rows(weights: np.ndarray, index: np.ndarray, out: np.ndarray) -> None:
    """``out += weights[index].sum(axis=1)``. On a long document one contiguous gather and add
    per column is about twice as fast as the (rows, columns, labels) gather and its reduction
    over the middle axis; on a short one the fewer calls win."""
    if index.shape[0] < _LOOP_ROWS:
        out += weights[index].sum(axis=1)
    else:
        for j in range(index.shape[1]):
            out += weights[index[:, j]]


class _Group:
    """Templates whose weights are stacked into one table, read with one index per template:
    ``first * multiplier + second + start`` (a unigram has no second part), the parts read
    at (row offset, column) of the value rows; ``own_row``: from the row itself."""

    def __init__(self, tagger: "CrfTagger", templates: list[int], columns: dict[str, int], own_row: bool = False):
        blocks, starts, total, first, second, multiplier = [], [], 0, [], [], []
        labels = len(tagger.labels)
        for k in templates:
            template = TEMPLATES[k]
            size_b = tagger._size[template[1][0]] if len(template) == 2 else 1
            if len(template) == 1:
                block = tagger.unigram[k]
            else:
                block = np.zeros((tagger._size[template[0][0]] * size_b, labels), np.float32)
                block[tagger.pair_keys[k]] = tagger.pair_rows[k]
            blocks.append(block)
            starts.append(total)
            total += block.shape[0]
            first.append((0 if own_row else template[0][1], columns[template[0][0]]))
            if len(template) == 2:
                second.append((len(starts) - 1, 0 if own_row else template[1][1], columns[template[1][0]]))
            multiplier.append(size_b)
        self.size = len(templates)
        self.weights = np.concatenate(blocks) if blocks else np.zeros((0, labels), np.float32)
        self.starts = np.array(starts, dtype=np.int64)
        self.multiplier = np.array(multiplier, dtype=np.int64)
        self.rows_a, self.cols_a = (np.array(x, dtype=np.int64) for x in zip(*first)) if first else (None, None)
        self.pairs, self.rows_b, self.cols_b = ((np.array(x, dtype=np.int64) for x in zip(*second)) if second
                                                 else (None, None, None))

    def index(self, values: np.ndarray, at: np.ndarray) -> np.ndarray:
        """(len(at), templates) indices into ``weights`` for the value rows ``at``."""
        index = values[at[:, None] + self.rows_a, self.cols_a] * self.multiplier + self.starts
        if self.pairs is not None:
            index[:, self.pairs] += values[at[:, None] + self.rows_b, self.cols_b]
        return index


class CrfTagger:
    """Holds: ``labels``; ``vocabs`` (attribute -> values, id = index + 2); per template a
    weight block (unigram: dense by value id; pair: sorted keys id_a * size_b + id_b);
    ``bias``; ``transitions[from, to]``."""

    def __init__(self, labels, vocabs, unigram, pair_keys, pair_rows, bias, transitions, trained_on: str = ""):
        self.labels = list(labels)
        self.trained_on = trained_on  # a digest of the tables the features read (train.training_inputs_digest)
        self.vocabs = {a: list(vocabs[a]) for a in ATTRS}
        self._ids = {a: {v: i + 2 for i, v in enumerate(vs)} for a, vs in self.vocabs.items()}
        self._size = {a: len(vs) + 2 for a, vs in self.vocabs.items()}
        self.unigram = {k: np.asarray(w, dtype=np.float32) for k, w in unigram.items()}
        self.pair_keys = {k: np.asarray(v, dtype=np.int64) for k, v in pair_keys.items()}
        self.pair_rows = {k: np.asarray(v, dtype=np.float32) for k, v in pair_rows.items()}
        self.bias = np.asarray(bias, dtype=np.float32)
        self.transitions = np.asarray(transitions, dtype=np.float32)
        self.outside = self.labels.index("O")
        spread = float(self.transitions.max() - self.transitions.min()) if self.transitions.size else 0.0
        # A token whose O score beats every other label by this much is taken as O without
        # running Viterbi through it. Half the transition spread: on the Stockmark test split
        # and the gold corpus 20 of 33,566 token labels differ from exact Viterbi.
        self.margin = 0.5 * spread + 1e-3
        self._lexemes: dict = {}
        self._col_of = {a: i for i, a in enumerate(ATTRS)}
        self._plan_emissions()

    def _plan_emissions(self) -> None:
        """Sort the templates by what they read, and stack each group's weights so that a
        group is one gather. The templates over one token's own attributes (every unigram
        but the bracket's, a pair within one token) add up to one score vector per
        (distinct lexeme, offset): summed once per distinct lexeme of a document, then
        gathered per token at each offset; on news (7 tokens per distinct lexeme) that took
        the emissions from 1.6x to 0.6x raw fugashi time. The templates that read the
        document (the bracket) or two tokens are gathered per token: from dense tables when
        their value space is small (tag x tag, shape x shape, bracket x tag), from the
        sorted key table for word x word."""
        L = len(self.labels)
        lexeme_col = {a: i for i, a in enumerate(LEXEME_ATTRS)}
        col = {a: i for i, a in enumerate(ATTRS)}
        own, across = [], []
        for k, template in enumerate(TEMPLATES):
            lexical = all(a in lexeme_col for a, _ in template)
            (across, own)[lexical and len({o for _, o in template}) == 1].append(k)
        own.sort(key=lambda k: TEMPLATES[k][0][1])
        dense, sparse = [], []
        for k in across:
            cells = self._size[TEMPLATES[k][0][0]] * (self._size[TEMPLATES[k][1][0]] if len(TEMPLATES[k]) == 2 else 1)
            (dense if cells <= _DENSE_CELLS else sparse).append(k)

        self._own = _Group(self, own, lexeme_col, own_row=True)
        own_offsets = [TEMPLATES[k][0][1] for k in own]
        self._own_offsets = np.array(sorted(set(own_offsets)), dtype=np.int64)
        self._own_groups = np.array([own_offsets.index(o) for o in self._own_offsets.tolist()], dtype=np.int64)
        self._across = _Group(self, dense, col)
        self._every = _Group(self, own + dense, col)  # for short documents: one gather for all
        # the other two groups read their blocks of the same table (10 MB not held twice)
        self._own.weights = self._every.weights[:len(self._own.weights)]
        self._across.weights = self._every.weights[len(self._own.weights):]
        keys = [self.pair_keys[k] + (np.int64(k) << np.int64(44)) for k in sparse]
        self._pair_table = np.concatenate(keys) if keys else np.zeros(0, np.int64)
        self._pair_weights = np.vstack([*(self.pair_rows[k] for k in sparse), np.zeros((1, L), np.float32)])
        self._sparse_a = np.array([[TEMPLATES[k][0][1], col[TEMPLATES[k][0][0]]] for k in sparse], np.int64).reshape(-1, 2)
        self._sparse_b = np.array([[TEMPLATES[k][1][1], col[TEMPLATES[k][1][0]]] for k in sparse], np.int64).reshape(-1, 2)
        self._sparse_size = np.array([self._size[TEMPLATES[k][1][0]] for k in sparse], dtype=np.int64)
        self._sparse_tag = np.array([np.int64(k) << np.int64(44) for k in sparse], dtype=np.int64)

    # -- features -------------------------------------------------------------------
    def attr_ids(self, surface: str, tag: str) -> tuple[int, ...]:
        """Ids of the lexeme attributes, then four the document columns read: whether the
        token belongs in a run of nouns, and its ``rf``, ``rw`` and ``rx`` ids were it its
        run's first or last word."""
        values = token_attrs(surface, tag)
        lexeme = tuple(self._ids[a].get(v, UNKNOWN) for a, v in zip(LEXEME_ATTRS, values))
        return (*lexeme, int(in_run(surface, tag)), self._ids["rf"].get(values[0], UNKNOWN),
                self._ids["rw"].get(values[0], UNKNOWN), self._ids["rx"].get(values[6], UNKNOWN))

    def doc_ids(self, doc, arrays: np.ndarray | None = None, gazetteer=()) -> tuple[np.ndarray, np.ndarray]:
        """(n_tokens, n_attrs) attribute ids, and per token the number of its distinct
        (surface, tag) in the document (equal numbers, equal lexeme columns: ``emissions``
        sums those once per lexeme). ``arrays`` may pass ``doc.to_array([ORTH, TAG])``;
        ``gazetteer``: the gazetteer's names as (first token, end token, label). Lexeme
        ids are cached per (surface, tag) hash."""
        from spacy.attrs import ORTH, TAG

        keys = (doc.to_array([ORTH, TAG]) if arrays is None else arrays).reshape(-1, 2)
        n = keys.shape[0]
        out = np.empty((n, len(ATTRS)), dtype=np.int64)
        if n == 0:
            return out, np.zeros(0, dtype=np.uint64)
        cache = self._lexemes
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        orths = keys[:, 0]
        lexeme_keys = orths ^ (keys[:, 1] * np.uint64(0x9E3779B97F4A7C15))
        if n < _LOOP_ROWS:  # a short text repeats few lexemes: finding them costs more than it saves
            distinct, first, slot = lexeme_keys, np.arange(n), np.arange(n)
        else:  # looked up once per distinct lexeme (news repeats each about 7 times), then spread
            distinct, first, slot = np.unique(lexeme_keys, return_index=True, return_inverse=True)
        rows = [cache.get(k) for k in distinct.tolist()]
        strings = doc.vocab.strings
        if None in rows:
            for j, i in enumerate(first.tolist()):
                if rows[j] is None:
                    orth, tag = int(keys[i, 0]), int(keys[i, 1])
                    rows[j] = cache[int(distinct[j])] = self.attr_ids(strings[orth], strings[tag] if tag else "")
        slot = slot.reshape(-1)
        lexemes = np.array(rows, dtype=np.int64).reshape(len(rows), -1)[slot]
        n_lex = len(LEXEME_ATTRS)
        out[:, :n_lex] = lexemes[:, :n_lex]
        at = np.minimum(np.searchsorted(_BRACKET_ARRAY, orths), len(_BRACKET_ARRAY) - 1)
        brackets = np.flatnonzero(_BRACKET_ARRAY[at] == orths).tolist()
        column = self._col_of
        out[:, column["q"]] = bracket_column(self._ids["q"], orths, brackets, strings)
        runs = run_columns(self._ids, lexemes[:, n_lex].astype(bool), *lexemes[:, n_lex + 1:n_lex + 4].T)
        for attr, values in zip(("rp", "rl", "rf", "rw", "rx"), runs):
            out[:, column[attr]] = values
        out[:, column["g"]] = gazetteer_column(self._ids["g"], n, gazetteer)
        return out, slot

    def emissions(self, ids: np.ndarray, rows: np.ndarray | None = None,
                  lexeme_keys: np.ndarray | None = None) -> np.ndarray:
        """(n, labels) state scores (or only for ``rows``): bias, the per-lexeme sums
        gathered at each offset, then the templates that read the document or two tokens
        (``_plan_emissions``). ``lexeme_keys``: one key per token, equal where the lexeme
        columns are (found from the columns when not given)."""
        total = ids.shape[0]
        n_lex = len(LEXEME_ATTRS)
        at = (np.arange(total) if rows is None else rows) + WINDOW
        padded = np.full((total + 2 * WINDOW, len(ATTRS)), PAD, dtype=np.int64)
        padded[WINDOW:WINDOW + total] = ids
        scores = np.repeat(self.bias[None, :], len(at), axis=0)
        if total < _LOOP_ROWS:  # few repeats to share, and finding them costs more than it saves
            _sum_rows(self._every.weights, self._every.index(padded, at), scores)
        else:
            if lexeme_keys is None:
                distinct, slot = np.unique(ids[:, :n_lex], axis=0, return_inverse=True)
            else:
                _, first, slot = np.unique(lexeme_keys, return_index=True, return_inverse=True)
                distinct = ids[first, :n_lex]
            lexemes = np.vstack([distinct, np.full((1, n_lex), PAD, dtype=np.int64)])  # the last: padding
            own = self._own.weights[self._own.index(lexemes, np.arange(len(lexemes)))]
            per_lexeme = np.add.reduceat(own, self._own_groups, axis=1)  # (lexemes, offsets, labels)
            n_offsets = len(self._own_offsets)
            slots = np.full(total + 2 * WINDOW, len(lexemes) - 1, dtype=np.int64)
            slots[WINDOW:WINDOW + total] = slot.reshape(-1)
            # in the flattened table, row lexeme * offsets + j: that lexeme's sum at offset j
            index = slots[at[:, None] + self._own_offsets] * n_offsets + np.arange(n_offsets)
            _sum_rows(per_lexeme.reshape(-1, len(self.labels)), index, scores)
            if self._across.size:
                _sum_rows(self._across.weights, self._across.index(padded, at), scores)
        if self._pair_table.size:
            first = padded[at[:, None] + self._sparse_a[:, 0], self._sparse_a[:, 1]]
            second = padded[at[:, None] + self._sparse_b[:, 0], self._sparse_b[:, 1]]
            keys = first * self._sparse_size + second + self._sparse_tag
            pos = np.searchsorted(self._pair_table, keys)
            pos[pos >= self._pair_table.size] = 0
            hit = (self._pair_table[pos] == keys) & (first != UNKNOWN) & (second != UNKNOWN)
            pos[~hit] = len(self._pair_weights) - 1  # the zero row
            _sum_rows(self._pair_weights, pos, scores)
        return scores

    def viterbi(self, scores: np.ndarray, exact: bool = False) -> np.ndarray:
        n, n_labels = scores.shape
        out = np.full(n, self.outside, dtype=np.int64)
        if n == 0:
            return out
        if exact:
            segments = [(0, n)]
        else:
            masked = scores.copy()
            masked[:, self.outside] = -np.inf
            others = masked.max(axis=1)
            certain = scores[:, self.outside] - others > self.margin
            if certain.all():
                return out
            edges = np.flatnonzero(np.diff(np.concatenate(([1], certain.astype(np.int8), [1]))))
            segments = list(zip(edges[0::2].tolist(), edges[1::2].tolist()))
        T = self.transitions
        # longest stretch first, so the stretches still running at step i are rows [:active[i]]
        segments.sort(key=lambda se: se[0] - se[1])
        count = len(segments)
        starts = np.array([s for s, _ in segments])
        lengths = np.array([e - s for s, e in segments])
        longest = int(lengths[0])
        steps = np.arange(longest)
        active = (lengths[None, :] > steps[:, None]).sum(axis=1)
        mask = steps[None, :] < lengths[:, None]
        index = np.where(mask, starts[:, None] + steps[None, :], 0)
        E = scores[index]
        delta = E[:, 0] + np.where((starts > 0)[:, None], T[self.outside][None, :], 0.0)
        back = np.zeros((count, longest, n_labels), dtype=np.int8 if n_labels <= 127 else np.int64)
        TT = np.ascontiguousarray(T.T)  # [to, from]: reductions run over the last axis
        cells = np.arange(count * n_labels)
        for i in range(1, longest):
            k = active[i]
            cand = delta[:k, None, :] + TT
            best = cand.argmax(axis=2)
            back[:k, i] = best
            # the maximum read at the argmax, not reduced a second time (a third of Viterbi's time)
            delta[:k] = cand.reshape(-1, n_labels)[cells[:k * n_labels], best.reshape(-1)].reshape(k, n_labels) + E[:k, i]
        ends = starts + lengths
        delta = delta + np.where((ends < n)[:, None], T[:, self.outside][None, :], 0.0)
        label = delta.argmax(axis=1)
        path = np.zeros((count, longest), dtype=np.int64)
        rows = np.arange(count)
        for i in range(longest - 1, -1, -1):
            k = active[i]
            path[:k, i] = label[:k]
            if i > 0:
                label[:k] = back[rows[:k], i, label[:k]]
        out[index[mask]] = path[mask]
        return out

    def predict_ids(self, ids: np.ndarray, exact: bool = False, rows: np.ndarray | None = None) -> list[str]:
        """Labels per token. With ``rows``, only those tokens are scored; the others are
        taken as ``O`` (the fast mode skips particles, auxiliaries, symbols, verbs …)."""
        n = ids.shape[0]
        if n == 0:
            return []
        if rows is None:
            scores = self.emissions(ids)
        else:
            if rows.size == 0:
                return ["O"] * n
            scores = np.zeros((n, len(self.labels)), dtype=np.float32)
            scores[:, self.outside] = 1e4
            scores[rows] = self.emissions(ids, rows)
        return [self.labels[i] for i in self.viterbi(scores, exact=exact).tolist()]

    def predict_doc(self, doc, exact: bool = False, rows: np.ndarray | None = None,
                    gazetteer=()) -> list[tuple[int, int, str]]:
        """[(first_token, end_token, type)] for a spaCy Doc (BIO read only where the path
        leaves ``O``); ``gazetteer``: the gazetteer's names (``doc_ids``)."""
        if len(doc) == 0:
            return []
        ids, lexeme_keys = self.doc_ids(doc, gazetteer=gazetteer)
        if rows is not None:
            return bio_spans(self.predict_ids(ids, exact=exact, rows=rows))
        path = self.viterbi(self.emissions(ids, lexeme_keys=lexeme_keys), exact=exact)
        inside = np.flatnonzero(path != self.outside).tolist()
        labels = self.labels
        spans, start, kind, previous = [], None, None, -2
        for i in inside:
            label = labels[path[i]]
            if label.startswith("B-") or i != previous + 1 or label[2:] != kind:
                if start is not None:
                    spans.append((start, previous + 1, kind))
                start, kind = i, label[2:]
            previous = i
        if start is not None:
            spans.append((start, previous + 1, kind))
        return spans

    # -- persistence ------------------------------------------------------------------
    def save(self, path: Path) -> None:
        arrays = {"labels": np.array("\n".join(self.labels)), "bias": self.bias,
                  "transitions": self.transitions, "templates": np.array(repr((ATTRS, TEMPLATES))),
                  "trained_on": np.array(self.trained_on)}
        for a in ATTRS:
            arrays[f"vocab_{a}"] = np.array("\n".join(self.vocabs[a]))
        for k, w in self.unigram.items():
            arrays[f"unigram_{k}"] = w.astype(np.float16)
        for k in self.pair_keys:
            arrays[f"pairkeys_{k}"] = self.pair_keys[k]
            arrays[f"pairrows_{k}"] = self.pair_rows[k].astype(np.float16)
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path) -> "CrfTagger":
        with np.load(path, allow_pickle=False) as data:
            if "templates" not in data.files or str(data["templates"]) != repr((ATTRS, TEMPLATES)):
                raise ValueError(f"{path} was trained with other feature templates than features.py defines; "
                                 "retrain it: python -m pipeline.entities.train")

            def strings(name):
                text = str(data[name])
                return text.split("\n") if text else []

            vocabs = {a: strings(f"vocab_{a}") for a in ATTRS}
            unigram, keys, rows = {}, {}, {}
            for k, template in enumerate(TEMPLATES):
                if len(template) == 1:
                    unigram[k] = data[f"unigram_{k}"]
                else:
                    keys[k], rows[k] = data[f"pairkeys_{k}"], data[f"pairrows_{k}"]
            trained_on = str(data["trained_on"]) if "trained_on" in data.files else ""
            return cls(strings("labels"), vocabs, unigram, keys, rows, data["bias"], data["transitions"], trained_on)

    @classmethod
    def from_crfsuite(cls, info, feature_index: dict[str, tuple[int, tuple[str, ...]]]) -> "CrfTagger":
        """Build from ``pycrfsuite.Tagger().info()`` and the map attribute string ->
        (template number, values) used when the training features were written."""
        labels = sorted(set(info.labels) | {"O"}, key=lambda l: (l != "O", l[2:], l))
        lid = {l: i for i, l in enumerate(labels)}
        values: dict[str, set] = {a: set() for a in ATTRS}
        for (attr, _label), weight in info.state_features.items():
            if weight and attr in feature_index:
                k, vals = feature_index[attr]
                for (a, _), v in zip(TEMPLATES[k], vals):
                    if v != PAD_VALUE:
                        values[a].add(v)
        vocabs = {a: sorted(values[a]) for a in ATTRS}
        ids = {a: {v: i + 2 for i, v in enumerate(vocabs[a])} for a in ATTRS}
        size = {a: len(vocabs[a]) + 2 for a in ATTRS}

        def vid(a, v):
            return PAD if v == PAD_VALUE else ids[a][v]

        L = len(labels)
        bias = np.zeros(L, np.float32)
        unigram = {k: np.zeros((size[t[0][0]], L), np.float32) for k, t in enumerate(TEMPLATES) if len(t) == 1}
        pairs: dict[int, dict[int, np.ndarray]] = {k: {} for k, t in enumerate(TEMPLATES) if len(t) == 2}
        for (attr, label), weight in info.state_features.items():
            if not weight:
                continue
            if attr == "bias":
                bias[lid[label]] += weight
                continue
            k, vals = feature_index[attr]
            template = TEMPLATES[k]
            if len(template) == 1:
                unigram[k][vid(template[0][0], vals[0]), lid[label]] += weight
            else:
                (a, _), (b, _) = template
                key = vid(a, vals[0]) * size[b] + vid(b, vals[1])
                pairs[k].setdefault(key, np.zeros(L, np.float32))[lid[label]] += weight
        pair_keys, pair_rows = {}, {}
        for k, table in pairs.items():
            order = sorted(table)
            pair_keys[k] = np.array(order, dtype=np.int64)
            pair_rows[k] = np.array([table[key] for key in order], dtype=np.float32).reshape(len(order), L)
        transitions = np.zeros((L, L), np.float32)
        for (a, b), weight in info.transitions.items():
            transitions[lid[a], lid[b]] = weight
        return cls(labels, vocabs, unigram, pair_keys, pair_rows, bias, transitions)
