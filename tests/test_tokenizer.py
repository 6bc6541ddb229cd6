import pickle

import pytest
import spacy
from spacy.tokens import Doc

from pipeline import FugashiTokenizer, make_nlp
from pipeline.nlp.tokenizer import TOKENIZER_NAME, split_for_tagging

# fmt: off
ALIGNMENT_TEXTS = [
    "東京　大阪\tnagoya \n end  ",          # U+3000, tab, trailing spaces (fugashi #65)
    "  先頭に空白。\r\n改行はCRLF。\r\n",
    "絵文字😀と👨‍👩‍👧家族、✅チェック💡",
    "ｶﾀｶﾅ半角とé combining e\u0301、RTL\u200fマーク",
    "NUL\x00入り\x07制御文字",
    "",
    " ",
    "\n\n\n",
    "ｇｏｏｇｌｅ　２０２５年",
    "a" * 5 + "。" + "\u3000" * 3,
]
# Written against unidic-lite 1.0.8 (UniDic 2.1.2).
TAG_TESTS = [
    ("石破首相", [("石破", "名詞-固有名詞-人名-姓", "PROPN", "イシバ"), ("首相", "名詞-普通名詞-一般", "NOUN", "シュショウ")]),
    ("東京へ行った", [("東京", "名詞-固有名詞-地名-一般", "PROPN", "トウキョウ"), ("へ", "助詞-格助詞", "ADP", "ヘ"),
                     ("行っ", "動詞-非自立可能", "VERB", "イッ"), ("た", "助動詞", "AUX", "タ")]),
]
# fmt: on


@pytest.mark.parametrize("text", ALIGNMENT_TEXTS)
def test_tokens_cover_the_text_exactly(nlp, text):
    doc = nlp(text)
    assert doc.text == text
    assert "".join(t.text_with_ws for t in doc) == text
    for token in doc:
        assert text[token.idx:token.idx + len(token.text)] == token.text


@pytest.mark.parametrize("text,expected", TAG_TESTS)
def test_tags_pos_and_readings(nlp, text, expected):
    doc = nlp(text)
    got = [(t.text, t.tag_, t.pos_, t.morph.get("Reading")[0]) for t in doc]
    assert got == expected


def test_lemma_is_dictionary_form(nlp):
    doc = nlp("示しました")
    assert doc[0].lemma_ == "示す"
    assert "Inflection" in doc[0].morph.to_dict()


def test_whitespace_runs_become_space_tokens(nlp):
    doc = nlp("日本\n\n米国 英国")
    assert [t.text for t in doc] == ["日本", "\n\n", "米国", "英国"]
    assert doc[1].is_space and doc[1].tag_ == "空白"
    assert doc[2].whitespace_ == " "


def test_registered_in_spacy_registry():
    factory = spacy.registry.tokenizers.get(TOKENIZER_NAME)
    nlp = spacy.blank("ja", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    assert isinstance(nlp.tokenizer, FugashiTokenizer)
    assert callable(factory)


def test_pickle_round_trip(nlp):
    nlp("先に使ってタガーを作っておく")
    clone = pickle.loads(pickle.dumps(nlp))
    assert [t.tag_ for t in clone("日米同盟")] == [t.tag_ for t in nlp("日米同盟")]


def test_disk_and_bytes_round_trip(tmp_path):
    nlp = make_nlp(recycle_after=7)
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert isinstance(loaded.tokenizer, FugashiTokenizer)
    assert loaded.tokenizer.recycle_after == 7
    assert [t.text for t in loaded("防衛費を増額")] == ["防衛", "費", "を", "増額"]
    other = make_nlp()
    other.tokenizer.from_bytes(nlp.tokenizer.to_bytes())
    assert other.tokenizer.recycle_after == 7


def test_pipe_many_docs_and_tagger_recycling():
    nlp = make_nlp(recycle_after=10)
    texts = [f"記事{i}番の本文。価格は{i * 37}円。" for i in range(120)]
    docs = list(nlp.pipe(texts))
    assert [d.text for d in docs] == texts
    assert all(any(t.pos_ == "NUM" for t in d) for d in docs)
    assert nlp.tokenizer._docs_since_new_tagger <= 10


def test_long_text_is_tagged_in_pieces_with_exact_offsets(nlp):
    paragraph = "日本政府は防衛費の増額を検討している。\n"
    text = paragraph * 3000  # about 60k chars: several tagging pieces
    pieces = list(split_for_tagging(text))
    assert len(pieces) > 1 and pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))
    doc = nlp(text)
    assert doc.text == text
    assert sum(1 for t in doc if t.text == "防衛") == 3000


def test_sentence_component_matches_splitter():
    nlp = make_nlp(sentences=True)
    doc = nlp("彼は「行く。すぐ行く」と言った。次の文です！")
    assert [s.text for s in doc.sents] == ["彼は「行く。すぐ行く」と言った。", "次の文です！"]


WHITESPACE_TEXTS = ALIGNMENT_TEXTS + ["a b  c\u3000 d\t\te \n", " x", "x ", "日本 \n 米国\x0b英国\t", "「a,b」\r\n\r\n ﾃｽﾄ"]


@pytest.mark.parametrize("text", WHITESPACE_TEXTS)
def test_alignment_at_skipped_runs_matches_search(nlp, text, monkeypatch):
    def tokens(doc):
        return [(t.text, t.whitespace_, t.idx, t.tag_, t.pos_, t.lemma_, str(t.morph)) for t in doc]

    fast = tokens(nlp(text))
    monkeypatch.setattr(FugashiTokenizer, "_align_at_gaps", lambda *args: False)
    assert tokens(nlp(text)) == fast


def test_annotations_match_fugashi_features(nlp):
    # Features are read from feature_raw; fugashi's own parse is the reference (quoted
    # fields such as the accent data of た and が included).
    text = "石破首相は東京へ行ったが、ｇｏｏｇｌｅで「示しました」と言った。"
    tagger = nlp.tokenizer.tagger
    for token, node in zip((t for t in nlp(text) if not t.is_space), tagger(text)):
        feature = node.feature
        assert token.text == node.surface
        assert token.tag_ == "-".join(p for p in feature[:4] if p and p != "*")
        assert token.lemma_ == (node.surface if node.is_unk else (feature.orthBase or feature.lemma or node.surface))
        assert token.morph.get("Reading") == ([feature.kana] if feature.kana else [])


def test_morph_is_set_and_serialized(nlp):
    doc = nlp("東京へ行った。\n\n次")
    assert doc.has_annotation("MORPH")
    assert doc[2].morph.to_dict() == {"Inflection": "五段-カ行;連用形-促音便", "Reading": "イッ"}
    assert [t.text for t in doc if not t.has_morph()] == ["。", "\n\n"]
    clone = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert [str(t.morph) for t in clone] == [str(t.morph) for t in doc]


def test_quoted_field_among_those_read_falls_back_to_fugashi_parse(nlp):
    # No unidic-lite entry has one (only accent data is quoted), so a stub node stands in.
    class Node:
        is_unk = False
        feature = type("F", (tuple,), {"orthBase": "a,b", "kana": "エー"})(["名詞", "普通名詞", "一般", "*", "*", "*", "エー", "a,b"])

    tokenizer = nlp.tokenizer
    row_id = tokenizer._new_lexeme("ab", '名詞,普通名詞,一般,*,*,*,エー,"a,b",ab,エー,"a,b",エー,外,*,*,*,*,エー', Node())
    assert tokenizer._lexemes.morphs[row_id].to_dict() == {"Reading": "エー"}
    assert nlp.vocab.strings["a,b"] == tokenizer._lexemes.annotations([row_id])[0, 2]


def test_runs_mecab_groups_are_tagged_in_bounded_pieces(nlp):
    from pipeline.nlp.tokenizer import MAX_GROUPED_RUN, grouped_run_cuts

    # news text never has such a run: nothing changes there
    assert grouped_run_cuts("日本政府は防衛費の増額を検討している。スマートフォン「iPhone 16」は、" * 50) == []
    for run in ("a" * 5000, "二〇" * 2000, "ー" * 3000, "ゔ" * 1000, "✅" * 900):
        cuts = grouped_run_cuts(run)
        bounds = [0, *cuts, len(run)]
        assert cuts and max(b - a for a, b in zip(bounds, bounds[1:])) <= MAX_GROUPED_RUN
        doc = nlp(run)
        assert doc.text == run and max(len(t.text) for t in doc) <= MAX_GROUPED_RUN
    english = "The quick brown fox jumps over the lazy dog. " * 30
    assert all(english[cut - 1] in " ." for cut in grouped_run_cuts(english))  # cut after a space, not in a word
    pieces = list(split_for_tagging("a" * 1000 + "\n" + "b" * 300))
    assert pieces[0][0] == 0 and pieces[-1][1] == 1301 and all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))
