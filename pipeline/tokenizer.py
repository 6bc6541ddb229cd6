"""fugashi + unidic-lite as a spaCy tokenizer.

Shaped like ``spacy/lang/ja``: a ``DummyTokenizer`` built by a registered factory, whose
only serialized state is its config. fugashi's Tagger cannot be pickled, so it is created
lazily in each process. It is kept for the life of the process by default: measured, every
new Tagger costs 73 MB or more that MeCab never gives back, while one Tagger's string cache
grows only about 0.5 KB per article; long batch runs stay flat by replacing whole worker
processes instead (``jnews summarize --recycle-after``). ``recycle_after=N`` still replaces
the Tagger every N documents for callers who want it.

Token offsets are rebuilt from the text itself (fugashi's ``white_space`` loses trailing
whitespace): every character of the input lands in exactly one token or in a single
trailing space, so ``doc.text == text`` always holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import numpy
import srsly
from spacy.attrs import LEMMA, MORPH, POS, TAG
from spacy.lang.ja.tag_bigram_map import TAG_BIGRAM_MAP
from spacy.lang.ja.tag_map import TAG_MAP
from spacy.lang.ja.tag_orth_map import TAG_ORTH_MAP
from spacy.symbols import POS as POS_KEY
from spacy.symbols import SPACE, X
from spacy.tokens import Doc
from spacy.util import DummyTokenizer, registry
from spacy.vocab import Vocab

from .dictionary import new_tagger

__all__ = ["FugashiTokenizer", "create_fugashi_tokenizer", "TOKENIZER_NAME", "TEXT_KEY", "split_for_tagging"]

TOKENIZER_NAME = "jnews.FugashiTokenizer.v1"
TEXT_KEY = "jnews.text"  # doc.user_data key: the text the Doc was made from
GAP_TAG = "空白"
# MeCab reads C strings: a NUL would end the text early, so it is tagged as a gap instead.
_HIDDEN_FROM_MECAB = str.maketrans({"\x00": " "})
# Long texts are tagged piece by piece (cut at line ends) so one lattice never gets huge.
MAX_PIECE_CHARS = 20_000
_LEXEME_CACHE_LIMIT = 200_000


def split_for_tagging(text: str, limit: int = MAX_PIECE_CHARS) -> Iterator[tuple[int, int]]:
    """Yield [start, end) pieces of at most about ``limit`` chars, cut after a newline or 。
    where possible; a piece never splits inside a token-like run of characters because a
    cut falls on a line end, a sentence end, or (as a last resort) at the hard limit."""
    start, size = 0, len(text)
    while start < size:
        end = min(start + limit, size)
        if end < size:
            cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind("。", start, end)
            if cut > start:
                end = cut + 1
        yield start, end
        start = end


def _unigram_pos(tag: str, orth: str) -> int:
    orth_map = TAG_ORTH_MAP.get(tag)
    if orth_map and orth in orth_map:
        return orth_map[orth]
    entry = TAG_MAP.get(tag)
    return entry[POS_KEY] if entry else X


_TAG_CODE_SPACE = 1 << 20


class _LexemeTable:
    """Each distinct (surface, features) gets a row id; the rows' TAG, POS, LEMMA and MORPH
    keys live in one numpy array, so a Doc's annotations are one indexing step."""

    def __init__(self) -> None:
        self.ids: dict = {}
        self.rows = numpy.zeros((4096, 4), dtype="uint64")
        self.tag_codes = numpy.zeros(4096, dtype="int64")
        self._tag_code: dict[str, int] = {}
        self.bigrams: dict[int, tuple[int | None, int | None]] = {}
        for (first, second), resolved in TAG_BIGRAM_MAP.items():
            self.bigrams[self.tag_code(first) * _TAG_CODE_SPACE + self.tag_code(second)] = resolved
        self.bigram_codes = numpy.array(sorted(self.bigrams), dtype="int64")

    def tag_code(self, tag: str) -> int:
        return self._tag_code.setdefault(tag, len(self._tag_code))

    def add(self, key, tag: str, row: tuple[int, int, int, int]) -> int:
        row_id = len(self.ids)
        if row_id == len(self.rows):
            self.rows = numpy.concatenate([self.rows, numpy.zeros_like(self.rows)])
            self.tag_codes = numpy.concatenate([self.tag_codes, numpy.zeros_like(self.tag_codes)])
        self.rows[row_id] = row
        self.tag_codes[row_id] = self.tag_code(tag)
        self.ids[key] = row_id
        return row_id

    def annotations(self, row_ids: list[int]):
        """The (TAG, POS, LEMMA, MORPH) array for a Doc, with the UD POS of the few UniDic
        tags whose mapping depends on the next token resolved (as spacy/lang/ja does)."""
        ids = numpy.array(row_ids, dtype="int64")
        array = self.rows[ids]
        codes = self.tag_codes[ids]
        pairs = codes[:-1] * _TAG_CODE_SPACE + codes[1:]
        already_set = -1
        for i in numpy.nonzero(numpy.isin(pairs, self.bigram_codes))[0].tolist():
            if i == already_set:
                continue  # its POS was decided by the bigram before it
            current, following = self.bigrams[int(pairs[i])]
            if current is not None:
                array[i, 1] = current
            if following is not None:
                array[i + 1, 1] = following
                already_set = i + 1
        return array


class FugashiTokenizer(DummyTokenizer):
    """Turn text into a Doc with UniDic ``tag_``, UD ``pos_``, ``lemma_`` and
    ``Reading=``/``Inflection=`` in ``morph``."""

    def __init__(self, vocab: Vocab, recycle_after: int = 0) -> None:
        self.vocab = vocab
        self.recycle_after = recycle_after
        self._tagger = None
        self._docs_since_new_tagger = 0
        self._lexemes = _LexemeTable()

    def __reduce__(self):
        return FugashiTokenizer, (self.vocab, self.recycle_after)

    @property
    def tagger(self):
        if self._tagger is None or 0 < self.recycle_after <= self._docs_since_new_tagger:
            self._tagger = new_tagger()
            self._docs_since_new_tagger = 0
            self._lexemes = _LexemeTable()
        return self._tagger

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaced: list[int] = []  # tokens followed by one plain space
        row_ids: list[int] = []
        tagger = self.tagger
        self._docs_since_new_tagger += 1
        if len(self._lexemes.ids) >= _LEXEME_CACHE_LIMIT:
            self._lexemes = _LexemeTable()
        known = self._lexemes.ids.get
        find = text.find
        add_word, add_row = words.append, row_ids.append
        for piece_start, piece_end in split_for_tagging(text):
            cursor = piece_start
            for node in tagger(text[piece_start:piece_end].translate(_HIDDEN_FROM_MECAB)):
                surface = node.surface
                found = find(surface, cursor, piece_end) if surface else -1
                if found != cursor:
                    if found < 0:
                        continue  # MeCab dropped or altered characters; the gap keeps them
                    self._add_gap(text, cursor, found, words, spaced, row_ids)
                key = (surface, node.feature_raw)
                row_id = known(key)
                if row_id is None:
                    row_id = self._new_lexeme(key, node)
                add_word(surface)
                add_row(row_id)
                cursor = found + len(surface)
            self._add_gap(text, cursor, piece_end, words, spaced, row_ids)
        spaces = [False] * len(words)
        for index in spaced:
            spaces[index] = True
        doc = Doc(self.vocab, words=words, spaces=spaces)
        if words:
            doc.from_array([TAG, POS, LEMMA, MORPH], self._lexemes.annotations(row_ids))
        # Components read the text often; Doc.text rebuilds it from a Token per token.
        doc.user_data[TEXT_KEY] = text
        return doc

    def _add_gap(self, text, start, end, words, spaced, row_ids) -> None:
        if start >= end:
            return
        gap = text[start:end]
        if gap == " " and words and (not spaced or spaced[-1] != len(words) - 1) and not words[-1].isspace():
            spaced.append(len(words) - 1)
            return
        words.append(gap)
        row_id = self._lexemes.ids.get((gap, None))
        if row_id is None:
            is_space = gap.isspace()
            tag = GAP_TAG if is_space else "未知語"
            row_id = self._lexemes.add((gap, None), tag, self._row(tag, gap, "", SPACE if is_space else X))
        row_ids.append(row_id)

    def _new_lexeme(self, key: tuple[str, str], node) -> int:
        surface, feature = key[0], node.feature
        tag = "-".join(p for p in (feature.pos1, feature.pos2, feature.pos3, feature.pos4) if p and p != "*")
        lemma = surface if node.is_unk else (feature.orthBase or feature.lemma or surface)
        morph = []
        if getattr(feature, "cType", "*") not in (None, "*"):
            morph.append(f"Inflection={feature.cType};{feature.cForm}")
        if feature.kana:
            morph.append(f"Reading={feature.kana}")
        row = self._row(tag, lemma, "|".join(morph).replace(",", "，"), _unigram_pos(tag, surface))
        return self._lexemes.add(key, tag, row)

    def _row(self, tag: str, lemma: str, morph: str, pos: int) -> tuple[int, int, int, int]:
        strings = self.vocab.strings
        morph_key = self.vocab.morphology.add(morph) if morph else 0
        return strings.add(tag), pos, strings.add(lemma), morph_key

    # Only the config is serialized: the Tagger is rebuilt from the installed dictionary.
    def _config(self) -> dict:
        return {"recycle_after": self.recycle_after}

    def to_bytes(self, **kwargs) -> bytes:
        return srsly.msgpack_dumps(self._config())

    def from_bytes(self, data: bytes, **kwargs) -> "FugashiTokenizer":
        self.recycle_after = srsly.msgpack_loads(data).get("recycle_after", self.recycle_after)
        return self

    def to_disk(self, path, **kwargs) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg", self._config())

    def from_disk(self, path, **kwargs) -> "FugashiTokenizer":
        cfg = Path(path) / "cfg"
        if cfg.exists():
            self.recycle_after = srsly.read_json(cfg).get("recycle_after", self.recycle_after)
        return self


@registry.tokenizers(TOKENIZER_NAME)
def create_fugashi_tokenizer(recycle_after: int = 0) -> Callable:
    def fugashi_tokenizer_factory(nlp) -> FugashiTokenizer:
        return FugashiTokenizer(nlp.vocab, recycle_after=recycle_after)

    return fugashi_tokenizer_factory
