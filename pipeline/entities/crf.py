"""A linear-chain CRF tagger evaluated with numpy (no per-token Python feature strings).

The model is trained with python-crfsuite (``pipeline.entities.train``) over the templates
of ``features.TEMPLATES`` and exported to ``resources/entities/ner_crf.npz``: one weight row
per (template, value) and a label-transition matrix. Tagging a document is
1. one cached lookup per token of its attribute ids (surface, tag, shape, affixes),
2. one numpy gather-and-sum for the emission scores,
3. Viterbi, run only over the stretches that are not clearly ``O`` (a token whose ``O``
   score beats every other label by half the transition spread is fixed to ``O``),
   batched across stretches; ``exact=True`` runs it over the whole document.
Weights are stored as float16, so labels agree with crfsuite's own tagger up to rounding.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from .features import CLOSING_BRACKETS, OPENING_BRACKETS, ATTRS, LEXEME_ATTRS, PAD_VALUE, TEMPLATES, WINDOW, token_attrs

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


def bio_spans(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """[(first_token, end_token, type)] from BIO labels; a stray ``I-X`` opens an entity."""
    spans, start, kind = [], None, None
    for i, label in enumerate([*labels, "O"]):
        if label == "O" or label.startswith("B-") or (label.startswith("I-") and label[2:] != kind):
            if start is not None:
                spans.append((start, i, kind))
            start, kind = (i, label[2:]) if label != "O" else (None, None)
    return spans


class CrfTagger:
    """Holds: ``labels``; ``vocabs`` (attribute -> values, id = index + 2); per template a
    weight block (unigram: dense by value id; pair: sorted keys id_a * size_b + id_b);
    ``bias``; ``transitions[from, to]``."""

    def __init__(self, labels, vocabs, unigram, pair_keys, pair_rows, bias, transitions):
        self.labels = list(labels)
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
        # all unigram blocks stacked (one gather), all pair keys in one sorted table
        self._uni = [k for k, t in enumerate(TEMPLATES) if len(t) == 1]
        offsets, total = [], 0
        for k in self._uni:
            offsets.append(total)
            total += self.unigram[k].shape[0]
        self._uni_offsets = np.array(offsets, dtype=np.int64)
        self._uni_weights = (np.concatenate([self.unigram[k] for k in self._uni]) if self._uni
                             else np.zeros((0, len(self.labels)), np.float32))
        self._pairs = [k for k, t in enumerate(TEMPLATES) if len(t) == 2]
        keys = [self.pair_keys[k] + (np.int64(k) << np.int64(44)) for k in self._pairs]
        rows = [self.pair_rows[k] for k in self._pairs]
        self._pair_table = np.concatenate(keys) if keys else np.zeros(0, np.int64)
        self._pair_weights = (np.concatenate(rows) if rows else np.zeros((0, len(self.labels)), np.float32))
        self._pair_weights = np.vstack([self._pair_weights, np.zeros((1, len(self.labels)), np.float32)])
        self._col_of = {a: i for i, a in enumerate(ATTRS)}
        # gather plans: (row offset, column) per unigram template; two parts per pair
        self._uni_rows = np.array([WINDOW + TEMPLATES[k][0][1] for k in self._uni], dtype=np.int64)
        self._uni_cols = np.array([self._col_of[TEMPLATES[k][0][0]] for k in self._uni], dtype=np.int64)
        self._p1_rows = np.array([WINDOW + TEMPLATES[k][0][1] for k in self._pairs], dtype=np.int64)
        self._p1_cols = np.array([self._col_of[TEMPLATES[k][0][0]] for k in self._pairs], dtype=np.int64)
        self._p2_rows = np.array([WINDOW + TEMPLATES[k][1][1] for k in self._pairs], dtype=np.int64)
        self._p2_cols = np.array([self._col_of[TEMPLATES[k][1][0]] for k in self._pairs], dtype=np.int64)
        self._p2_size = np.array([self._size[TEMPLATES[k][1][0]] for k in self._pairs], dtype=np.int64)
        self._p_tag = np.array([np.int64(k) << np.int64(44) for k in self._pairs], dtype=np.int64)

    # -- features -------------------------------------------------------------------
    def attr_ids(self, surface: str, tag: str) -> tuple[int, ...]:
        """Ids of the lexeme attributes (everything but the bracket column)."""
        return tuple(self._ids[a].get(v, UNKNOWN) for a, v in zip(LEXEME_ATTRS, token_attrs(surface, tag)))

    def doc_attr_ids(self, doc, arrays: np.ndarray | None = None) -> np.ndarray:
        """(n_tokens, n_attrs) ids; ``arrays`` may pass ``doc.to_array([ORTH, TAG])``.
        Lexeme ids are cached per (surface, tag) hash pair."""
        from spacy.attrs import ORTH, TAG

        keys = (doc.to_array([ORTH, TAG]) if arrays is None else arrays).reshape(-1, 2)
        n = keys.shape[0]
        out = np.empty((n, len(ATTRS)), dtype=np.int64)
        if n == 0:
            return out
        cache = self._lexemes
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        orths = keys[:, 0]
        orth_list = orths.tolist()
        combined = (orths ^ (keys[:, 1] * np.uint64(0x9E3779B97F4A7C15))).tolist()
        rows = [cache.get(k) for k in combined]
        if None in rows:
            strings = doc.vocab.strings
            for i, row in enumerate(rows):
                if row is None:
                    row = cache.get(combined[i])
                    if row is None:
                        orth, tag = int(keys[i, 0]), int(keys[i, 1])
                        row = cache[combined[i]] = self.attr_ids(strings[orth], strings[tag] if tag else "")
                    rows[i] = row
        out[:, :len(LEXEME_ATTRS)] = rows
        q = self._ids["q"]
        brackets = [i for i, orth in enumerate(orth_list) if orth in _BRACKET_HASHES]
        if not brackets:
            out[:, -1] = q.get("-", UNKNOWN)
        else:
            strings = doc.vocab.strings
            states = np.full(n, "-", dtype=object)
            # a token's bracket is the state after the last bracket token before it
            stack: list[str] = []

            previous = 0
            current = "-"
            for i in brackets:
                states[previous:i] = current
                surface = strings[orth_list[i]]
                if surface in OPENING_BRACKETS:
                    stack.append(OPENING_BRACKETS[surface])
                elif surface in CLOSING_BRACKETS:
                    kind = CLOSING_BRACKETS[surface]
                    if kind in stack:
                        while stack and stack.pop() != kind:
                            pass
                else:  # a line break
                    stack.clear()
                states[i] = "-"
                current = stack[-1] if stack else "-"
                previous = i + 1
            states[previous:] = current
            out[:, -1] = [q.get(v, UNKNOWN) for v in states.tolist()]
        return out

    def emissions(self, ids: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """(n, labels) state scores (or only for ``rows``): bias + one gather over the
        stacked unigram blocks + one sorted lookup of all pair keys."""
        total = ids.shape[0]
        padded = np.full((total + 2 * WINDOW, len(ATTRS)), PAD, dtype=np.int64)
        padded[WINDOW:WINDOW + total] = ids
        at = (np.arange(total) if rows is None else rows)[:, None]
        uni = padded[at + self._uni_rows, self._uni_cols]
        scores = self._uni_weights[uni + self._uni_offsets].sum(axis=1) + self.bias
        if self._pair_table.size:
            first = padded[at + self._p1_rows, self._p1_cols]
            second = padded[at + self._p2_rows, self._p2_cols]
            keys = first * self._p2_size + second + self._p_tag
            valid = (first != UNKNOWN) & (second != UNKNOWN)
            pos = np.searchsorted(self._pair_table, keys)
            pos[pos >= self._pair_table.size] = 0
            hit = (self._pair_table[pos] == keys) & valid
            pos[~hit] = len(self._pair_weights) - 1  # the zero row
            scores += self._pair_weights[pos].sum(axis=1)
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
        back = np.zeros((count, longest, n_labels), dtype=np.int64)
        TT = np.ascontiguousarray(T.T)  # [to, from]: reductions run over the last axis
        for i in range(1, longest):
            k = active[i]
            cand = delta[:k, None, :] + TT
            back[:k, i] = cand.argmax(axis=2)
            delta[:k] = cand.max(axis=2) + E[:k, i]
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

    def predict_doc(self, doc, exact: bool = False, rows: np.ndarray | None = None) -> list[tuple[int, int, str]]:
        """[(first_token, end_token, type)] for a spaCy Doc (BIO read only where the path
        leaves ``O``)."""
        if len(doc) == 0:
            return []
        ids = self.doc_attr_ids(doc)
        if rows is not None:
            return bio_spans(self.predict_ids(ids, exact=exact, rows=rows))
        path = self.viterbi(self.emissions(ids), exact=exact)
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
                  "transitions": self.transitions, "templates": np.array(repr((ATTRS, TEMPLATES)))}
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
            return cls(strings("labels"), vocabs, unigram, keys, rows, data["bias"], data["transitions"])

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
