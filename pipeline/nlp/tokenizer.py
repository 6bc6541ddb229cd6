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

import re
from bisect import bisect_left, bisect_right
from collections import deque
from itertools import accumulate, compress, count, repeat
from operator import is_
from pathlib import Path
from typing import Callable, Iterator

import numpy
import srsly
from spacy.attrs import LEMMA, ORTH, POS, SPACY, TAG
from spacy.lang.ja.tag_bigram_map import TAG_BIGRAM_MAP
from spacy.lang.ja.tag_map import TAG_MAP
from spacy.lang.ja.tag_orth_map import TAG_ORTH_MAP
from spacy.symbols import POS as POS_KEY
from spacy.symbols import SPACE, X
from spacy.tokens import Doc, MorphAnalysis
from spacy.util import DummyTokenizer, registry
from spacy.vocab import Vocab

from .dictionary import new_tagger

__all__ = ["FugashiTokenizer", "create_fugashi_tokenizer", "TOKENIZER_NAME", "TEXT_KEY", "split_for_tagging", "grouped_run_cuts", "tokenizer_nlp", "doc_text"]

TOKENIZER_NAME = "jnews.FugashiTokenizer.v1"
TEXT_KEY = "jnews.text"  # doc.user_data key: the text the Doc was made from
GAP_TAG = "空白"
# MeCab reads C strings: a NUL would end the text early, so it is tagged as a gap instead.
_HIDDEN_FROM_MECAB = str.maketrans({"\x00": " "})
# The characters MeCab (unidic-lite) skips between tokens, found by tagging every code point.
# Only a shortcut for alignment: a piece where they do not explain the gaps is searched.
_SKIPPED_BY_MECAB = re.compile("[\t\n\x0b ]+")
# Long texts are tagged piece by piece (cut at line ends) so one lattice never gets huge.
MAX_PIECE_CHARS = 20_000
_LEXEME_CACHE_LIMIT = 200_000


def split_for_tagging(text: str, limit: int = MAX_PIECE_CHARS) -> Iterator[tuple[int, int]]:
    """Yield [start, end) pieces of at most about ``limit`` chars, cut after a newline or 。
    where possible; a piece never splits inside a token-like run of characters because a
    cut falls on a line end, a sentence end, or (as a last resort) at the hard limit. A run
    that MeCab would group into one unknown word (see ``grouped_run_cuts``) is cut too."""
    cuts = grouped_run_cuts(text) if len(text) > MAX_GROUPED_RUN else []
    start, size = 0, len(text)
    while start < size:
        end = min(start + limit, size)
        if end < size:
            cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind("。", start, end)
            if cut > start:
                end = cut + 1
        at = bisect_right(cuts, start)
        while at < len(cuts) and cuts[at] < end:
            yield start, cuts[at]
            start = cuts[at]
            at += 1
        yield start, end
        start = end


# MeCab groups a run of characters of one class (Latin letters, digits, katakana, kanji
# numerals, symbols, hiragana it does not know, ...: every class but plain kanji) into an
# unknown word by reading to the end of the run from *each* position, so its time is
# quadratic in the run: 16k characters of ー or 二〇 took 0.5 s, 1 MB would take half an hour.
# Runs longer than MAX_GROUPED_RUN are tagged in pieces of at most that many characters.
# Such a run of one class never occurs in news text; a long one of mixed classes
# (an English paragraph) is cut after a space or punctuation where it has one.
MAX_GROUPED_RUN = 256
_KANJI_NUMERALS = "〇一二三四五六七八九十百千万億兆"


def _ungrouped_table() -> numpy.ndarray:
    """Over code points: True for the characters MeCab never groups (plain kanji) and for
    line ends, where pieces are cut anyway."""
    table = numpy.zeros(0x110000, dtype=bool)
    # unidic-lite's KANJI class, read off MeCab (a run of six of the character is more than one
    # token): it stops at the ideographs of Unicode 3.0, so the later ones (U+9FA6-U+9FFF,
    # extension B and on) are grouped like symbols
    for low, high in ((0x3400, 0x4DB5), (0x4E00, 0x9FA5), (0xF900, 0xFA2D), (0xFA30, 0xFA6A)):
        table[low:high + 1] = True
    table[[ord(c) for c in _KANJI_NUMERALS]] = False
    table[[ord(c) for c in "\n\r"]] = True
    return table


_UNGROUPED = _ungrouped_table()
_SOFT_CUT = re.compile(r"[\s。、，,.．!?！？・]")


def grouped_run_cuts(text: str, limit: int = MAX_GROUPED_RUN) -> list[int]:
    """Offsets (sorted) where runs of more than ``limit`` characters that MeCab could group
    are cut: at most ``limit`` apart, after the last space or punctuation of the second half
    of each stretch when there is one."""
    codes = numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)
    breaks = numpy.flatnonzero(_UNGROUPED[codes])
    # run i lies between breaks: [previous break + 1, next break)
    starts = numpy.concatenate(([0], breaks + 1))
    ends = numpy.concatenate((breaks, [len(text)]))
    long = numpy.flatnonzero(ends - starts > limit)
    cuts: list[int] = []
    for run_start, run_end in zip(starts[long].tolist(), ends[long].tolist()):
        position = run_start
        while run_end - position > limit:
            soft = None
            for soft in _SOFT_CUT.finditer(text, position + limit // 2, position + limit):
                pass
            position = soft.end() if soft is not None else position + limit
            cuts.append(position)
    return cuts


# UniDic tags that take part in a TAG_BIGRAM_MAP pair, numbered from 1 on each side (0: none).
_FIRSTS = {first: i for i, first in enumerate(sorted({a for a, _ in TAG_BIGRAM_MAP}), 1)}
_SECONDS = {second: i for i, second in enumerate(sorted({b for _, b in TAG_BIGRAM_MAP}), 1)}
_PAIR_SPACE = len(_SECONDS) + 1
_BIGRAMS = {_FIRSTS[a] * _PAIR_SPACE + _SECONDS[b]: resolved for (a, b), resolved in TAG_BIGRAM_MAP.items()}
_IS_BIGRAM = numpy.zeros((len(_FIRSTS) + 1) * _PAIR_SPACE, dtype=bool)
_IS_BIGRAM[list(_BIGRAMS)] = True


class _LexemeTable:
    """Each distinct (surface, features) gets a row id; the rows' TAG, POS, LEMMA and ORTH
    keys (and their tag's codes in the POS bigram map) live in one numpy array, so a Doc's
    annotations are one indexing step, and their MorphAnalysis in a list. New rows wait in
    a list until a Doc needs them: one numpy assignment per Doc, not one per new lexeme."""

    def __init__(self) -> None:
        self.ids: dict = {}
        self.morphs: list[MorphAnalysis] = []
        self.rows = numpy.zeros((4096, 6), dtype="uint64")
        self._stored = 0
        self._pending: list[tuple[int, ...]] = []

    def add(self, key, row: tuple[int, ...], morph: MorphAnalysis) -> int:
        row_id = len(self.ids)
        self.ids[key] = row_id
        self.morphs.append(morph)
        self._pending.append(row)
        return row_id

    def annotations(self, row_ids: list[int]):
        """The (TAG, POS, LEMMA, ORTH) array for a Doc, with the UD POS of the few UniDic
        tags whose mapping depends on the next token resolved (as spacy/lang/ja does)."""
        if self._pending:
            end = self._stored + len(self._pending)
            if end > len(self.rows):
                self.rows = numpy.concatenate([self.rows, numpy.zeros((end, 6), dtype="uint64")])
            self.rows[self._stored:end] = self._pending
            self._stored, self._pending = end, []
        array = self.rows[row_ids]
        pairs = array[:-1, 4] + array[1:, 5]
        already_set = -1
        for i in numpy.flatnonzero(_IS_BIGRAM[pairs]).tolist():
            if i == already_set:
                continue  # its POS was decided by the bigram before it
            current, following = _BIGRAMS[int(pairs[i])]
            if current is not None:
                array[i, 1] = current
            if following is not None:
                array[i + 1, 1] = following
                already_set = i + 1
        return array[:, :4]


class FugashiTokenizer(DummyTokenizer):
    """Turn text into a Doc with UniDic ``tag_``, UD ``pos_``, ``lemma_`` and
    ``Reading=``/``Inflection=`` in ``morph``."""

    def __init__(self, vocab: Vocab, recycle_after: int = 0) -> None:
        self.vocab = vocab
        self.recycle_after = recycle_after
        self._tagger = None
        self._docs_since_new_tagger = 0
        self._lexemes = _LexemeTable()
        self._tags: dict[str, tuple] = {}

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
        size = len(text)
        pieces = ((0, size),) if 0 < size <= MAX_GROUPED_RUN else split_for_tagging(text) if size else ()
        for start, end in pieces:
            piece = text[start:end] if end - start < size else text
            nodes = tagger(piece.translate(_HIDDEN_FROM_MECAB) if "\x00" in piece else piece)
            # Comprehensions and map() keep the per-node work out of the interpreter loop.
            surfaces = [node.surface for node in nodes]
            features = [node.feature_raw for node in nodes]
            rows = list(map(known, zip(surfaces, features)))
            if None in rows:
                for i in compress(count(), map(is_, rows, repeat(None))):
                    row_id = rows[i] = known((surfaces[i], features[i]))  # it may be new twice
                    if row_id is None:
                        rows[i] = self._new_lexeme(surfaces[i], features[i], nodes[i])
            if not self._align_at_gaps(text, start, piece, surfaces, rows, words, spaced, row_ids):
                self._align_by_search(text, start, end, surfaces, rows, words, spaced, row_ids)
        spaces = [False] * len(words)
        for index in spaced:
            spaces[index] = True
        annotations = self._lexemes.annotations(row_ids)
        # Words given as ORTH keys: spaCy then skips hashing every string again.
        doc = Doc(self.vocab, words=annotations[:, 3].tolist(), spaces=spaces)
        doc.from_array([TAG, POS, LEMMA], annotations)
        # Not MORPH in from_array: it would look every token's analysis up again
        # (morphology.add per token); the setter only copies the key. 3x faster.
        deque(map(setattr, doc, repeat("morph"), map(self._lexemes.morphs.__getitem__, row_ids)), maxlen=0)
        # Components read the text often; Doc.text rebuilds it from a Token per token.
        doc.user_data[TEXT_KEY] = text
        return doc

    def _align_at_gaps(self, text, start, piece, surfaces, rows, words, spaced, row_ids) -> bool:
        """Place the tokens when they spell the piece minus the whitespace runs MeCab skips,
        each run falling between two tokens: then searching token by token would find
        exactly these places (no token holds a skipped character), at the cost of a few
        steps per run instead of per token. False when that does not hold."""
        if "".join(surfaces) != _SKIPPED_BY_MECAB.sub("", piece) or "" in surfaces:
            return False
        ends = list(accumulate(map(len, surfaces)))
        skipped = taken = 0
        gaps = []
        for match in _SKIPPED_BY_MECAB.finditer(piece):
            gap_start, gap_end = match.span()
            at = gap_start - skipped  # where the run falls among the tokens
            after = bisect_left(ends, at) + 1 if at else 0
            if at and ends[after - 1] != at:
                return False
            gaps.append((after, gap_start, gap_end))
            skipped += gap_end - gap_start
        for after, gap_start, gap_end in gaps:
            words += surfaces[taken:after]
            row_ids += rows[taken:after]
            self._add_gap(text, start + gap_start, start + gap_end, words, spaced, row_ids)
            taken = after
        words += surfaces[taken:]
        row_ids += rows[taken:]
        return True

    def _align_by_search(self, text, start, end, surfaces, rows, words, spaced, row_ids) -> None:
        find = text.find
        cursor = start
        for surface, row_id in zip(surfaces, rows):
            found = find(surface, cursor, end) if surface else -1
            if found != cursor:
                if found < 0:
                    continue  # MeCab dropped or altered characters; the gap keeps them
                self._add_gap(text, cursor, found, words, spaced, row_ids)
            words.append(surface)
            row_ids.append(row_id)
            cursor = found + len(surface)
        self._add_gap(text, cursor, end, words, spaced, row_ids)

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
            tag_key, sides, _, _ = self._tag(GAP_TAG if is_space else "未知語")
            row = (tag_key, SPACE if is_space else X, self.vocab.strings.add(gap), self.vocab.strings.add(gap), *sides)
            row_id = self._lexemes.add((gap, None), row, self._morph(""))
        row_ids.append(row_id)

    def _new_lexeme(self, surface: str, feature: str, node) -> int:
        # The fields read here come before any quoted one (UniDic quotes fields holding a
        # comma); fugashi's own parse, slower, is only needed when one does not.
        fields = feature.split(",", 18)
        if '"' in feature and '"' in ",".join(fields[:18]):
            parsed = node.feature
            fields = [*parsed[:8], None, None, parsed.orthBase, *[None] * 6, parsed.kana]
        elif len(fields) < 18:
            fields += [None] * (18 - len(fields))  # unknown words have only the first 6
        tag_key, sides, orth_map, pos = self._tag("-".join([p for p in fields[:4] if p and p != "*"]))
        if orth_map and surface in orth_map:
            pos = orth_map[surface]
        ctype, kana = fields[4], fields[17]
        if ctype is None or ctype == "*":
            morph = f"Reading={kana}" if kana else ""
        else:
            morph = f"Inflection={ctype};{fields[5]}|Reading={kana}" if kana else f"Inflection={ctype};{fields[5]}"
        lemma = surface if node.is_unk else (fields[10] or fields[7] or surface)
        row = (tag_key, pos, self.vocab.strings.add(lemma), self.vocab.strings.add(surface), *sides)
        return self._lexemes.add((surface, feature), row, self._morph(morph.replace(",", "，")))

    def _tag(self, tag: str) -> tuple[int, tuple[int, int], dict | None, int]:
        """The tag's key, its code as first and as second of a POS bigram (summed for a
        pair), and its unigram UD POS (by orth for the few tags in TAG_ORTH_MAP)."""
        known = self._tags.get(tag)
        if known is None:
            entry = TAG_MAP.get(tag)
            known = self._tags[tag] = (self.vocab.strings.add(tag), (_FIRSTS.get(tag, 0) * _PAIR_SPACE, _SECONDS.get(tag, 0)),
                                       TAG_ORTH_MAP.get(tag), entry[POS_KEY] if entry else X)
        return known

    def _morph(self, morph: str) -> MorphAnalysis:
        # Key 0 (no morph) still registers the empty analysis, as from_array did.
        key = self.vocab.morphology.add(morph)
        return MorphAnalysis.from_id(self.vocab, key if morph else 0)

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


def tokenizer_nlp(recycle_after: int = 0):
    """A blank Japanese ``Language`` with this tokenizer and no components: what the stages
    below the summary (training, document frequencies) tokenize with, and what ``make_nlp``
    adds its components to."""
    import spacy

    config = {"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME, "recycle_after": recycle_after}}}
    return spacy.blank("ja", config=config)


def doc_text(doc: Doc) -> str:
    """``doc.text``, built from the lexeme strings (Doc.text makes a Token per token on
    every access, which costs more than the whole entity pass on long articles)."""
    if len(doc) == 0:
        return ""
    known = doc.user_data.get(TEXT_KEY)
    last = doc[-1]
    # A Doc derived from ours (span.as_doc()) copies user_data: trust the text only if it fits.
    if isinstance(known, str) and len(known) == last.idx + len(last.text_with_ws) and known.endswith(last.text_with_ws):
        return known
    strings = doc.vocab.strings
    return "".join(strings[orth] + " " if space else strings[orth]
                   for orth, space in doc.to_array([ORTH, SPACY]).tolist())
