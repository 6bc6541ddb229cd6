import pytest

from pipeline.nlp.sentences import split_sentences

# fmt: off
SENTENCE_TESTS = [
    ("今日は晴れ。明日は雨！本当？", ["今日は晴れ。", "明日は雨！", "本当？"]),
    ("彼は「行く。すぐ行く」と言った。次。", ["彼は「行く。すぐ行く」と言った。", "次。"]),
    ("条約第5条（共同対処。重要）を確認した。", ["条約第5条（共同対処。重要）を確認した。"]),
    ("不満!日米安保の見直しか。行方は?", ["不満!", "日米安保の見直しか。", "行方は?"]),
    ("え？！本当に？！", ["え？！", "本当に？！"]),
    ("一行目\n二行目。三文目", ["一行目", "二行目。", "三文目"]),
    ("Yahoo!ニュースで見た。", ["Yahoo!ニュースで見た。"]),
    ("詳細は https://example.com/a?b=1!x を参照。以上。", ["詳細は https://example.com/a?b=1!x を参照。", "以上。"]),
    ("「閉じない括弧。\n次の行。", ["「閉じない括弧。", "次の行。"]),
    ("３．５％上昇した。", ["３．５％上昇した。"]),
    ("  \u3000前後の空白。  ", ["前後の空白。"]),
    ("", []),
]
# fmt: on


@pytest.mark.parametrize("text,expected", SENTENCE_TESTS)
def test_split_sentences(text, expected):
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == expected


def test_offsets_index_the_given_range():
    text = "前置き。本文一。本文二。後書き。"
    spans = split_sentences(text, 4, 12)
    assert [text[s:e] for s, e in spans] == ["本文一。", "本文二。"]
