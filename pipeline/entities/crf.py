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

from .features import ATTRS, LEXEME_ATTRS, PAD_VALUE, TEMPLATES, WINDOW, bracket_states, token_attrs

__all__ = ["CrfTagger", "bio_spans"]

UNKNOWN, PAD = 0, 1
_BRACKETS = "「」『』（）()【】“”《》〈〉"
try:
    from spacy.strings import hash_string as _hash

    _BRACKET_HASHES = {_hash(ch) for ch in _BRACKETS} | {_hash("\n"), _hash("\r\n"), _hash("\n\n")}
except ImportError:  # pragma: no cover
    _BRACKET_HASHES = set()
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
        self._col = {a: i for i, a in enumerate(ATTRS)}
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

    # -- features -------------------------------------------------------------------
    def attr_ids(self, surface: str, tag: str) -> tuple[int, ...]:
        """Ids of the lexeme attributes (everything but the bracket column)."""
        return tuple(self._ids[a].get(v, UNKNOWN) for a, v in zip(LEXEME_ATTRS, token_attrs(surface, tag)))

    def ids_from_attrs(self, attrs) -> np.ndarray:
        """(n, n_attrs) ids from full attribute tuples (training and tests)."""
        return np.array([[self._ids[a].get(v, UNKNOWN) for a, v in zip(ATTRS, row)] for row in attrs],
                        dtype=np.int64).reshape(len(attrs), len(ATTRS))

    def doc_attr_ids(self, doc) -> np.ndarray:
        from spacy.attrs import ORTH, TAG

        keys = doc.to_array([ORTH, TAG]).reshape(-1, 2)
        cache = self._lexemes
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        strings = doc.vocab.strings
        rows = []
        surfaces = []
        for orth, tag in keys.tolist():
            row = cache.get((orth, tag))
            if row is None:
                row = cache[(orth, tag)] = self.attr_ids(strings[orth], strings[tag] if tag else "")
            rows.append(row)
            surfaces.append(orth)
        out = np.empty((len(rows), len(ATTRS)), dtype=np.int64)
        if rows:
            out[:, :len(LEXEME_ATTRS)] = rows
            q = self._ids["q"]
            out[:, -1] = [q.get(v, UNKNOWN) for v in bracket_states(strings[h] if h in _BRACKET_HASHES else ""
                                                                      for h in surfaces)]
        return out

    def emissions(self, ids: np.ndarray) -> np.ndarray:
        n = ids.shape[0]
        padded = np.full((n + 2 * WINDOW, len(ATTRS)), PAD, dtype=np.int64)
        padded[WINDOW:WINDOW + n] = ids
        scores = np.broadcast_to(self.bias, (n, len(self.labels))).copy()
        for k, template in enumerate(TEMPLATES):
            cols = [padded[WINDOW + o:WINDOW + o + n, self._col[a]] for a, o in template]
            if len(template) == 1:
                scores += self.unigram[k][cols[0]]
                continue
            (a, _), (b, _) = template
            key = cols[0] * self._size[b] + cols[1]
            table = self.pair_keys[k]
            if table.size == 0:
                continue
            pos = np.searchsorted(table, key)
            pos[pos >= table.size] = 0
            hit = (table[pos] == key) & (cols[0] != UNKNOWN) & (cols[1] != UNKNOWN)
            if hit.any():
                scores[hit] += self.pair_rows[k][pos[hit]]
        return scores

    # -- decoding ---------------------------------------------------------------------
    def viterbi(self, scores: np.ndarray, exact: bool = False) -> np.ndarray:
        n, n_labels = scores.shape
        out = np.full(n, self.outside, dtype=np.int64)
        if n == 0:
            return out
        if exact:
            segments = [(0, n)]
        else:
            others = np.delete(scores, self.outside, axis=1).max(axis=1)
            certain = scores[:, self.outside] - others > self.margin
            if certain.all():
                return out
            edges = np.flatnonzero(np.diff(np.concatenate(([1], certain.astype(np.int8), [1]))))
            segments = list(zip(edges[0::2].tolist(), edges[1::2].tolist()))
        T = self.transitions
        count, longest = len(segments), max(e - s for s, e in segments)
        starts = np.array([s for s, _ in segments])
        lengths = np.array([e - s for s, e in segments])
        steps = np.arange(longest)
        mask = steps[None, :] < lengths[:, None]
        index = np.where(mask, starts[:, None] + steps[None, :], 0)
        E = scores[index]
        delta = E[:, 0] + np.where((starts > 0)[:, None], T[self.outside][None, :], 0.0)
        back = np.zeros((count, longest, n_labels), dtype=np.int64)
        identity = np.arange(n_labels)
        for i in range(1, longest):
            cand = delta[:, :, None] + T
            best = cand.argmax(axis=1)
            new = cand.max(axis=1) + E[:, i]
            live = mask[:, i][:, None]
            delta = np.where(live, new, delta)
            back[:, i] = np.where(live, best, identity)
        ends = starts + lengths
        delta = delta + np.where((ends < n)[:, None], T[:, self.outside][None, :], 0.0)
        label = delta.argmax(axis=1)
        path = np.zeros((count, longest), dtype=np.int64)
        for i in range(longest - 1, -1, -1):
            path[:, i] = label
            label = back[np.arange(count), i, label]
        out[index[mask]] = path[mask]
        return out

    def predict_ids(self, ids: np.ndarray, exact: bool = False) -> list[str]:
        if ids.shape[0] == 0:
            return []
        return [self.labels[i] for i in self.viterbi(self.emissions(ids), exact=exact).tolist()]

    def predict_doc(self, doc, exact: bool = False) -> list[tuple[int, int, str]]:
        """[(first_token, end_token, type)] for a spaCy Doc."""
        if len(doc) == 0:
            return []
        return bio_spans(self.predict_ids(self.doc_attr_ids(doc), exact=exact))

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
