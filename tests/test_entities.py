"""Entities: rules, roles, canonical names, compounds, numbers, offsets, determinism."""
from pathlib import Path

import numpy
import pytest

from pipeline import make_nlp
from pipeline.entities import summary_entities
from pipeline.layout.article import parse_article


@pytest.fixture(scope="module")
def ents():
    nlp = make_nlp(entities="fast")

    def run(text, article=None):
        return summary_entities(text, nlp(text), article)

    return run


def find(entities, text, label=None):
    return [e for e in entities if e["text"] == text and (label is None or e["label"] == label)]


# fmt: off
PEOPLE = [
    # text, name, role, canonical
    ("石破首相が会見した。", "石破", "首相", "石破茂"),
    ("トランプ氏は述べた。", "トランプ", "氏", "ドナルド・トランプ"),
    ("トランプ大統領は述べた。", "トランプ", "大統領", "ドナルド・トランプ"),
    ("トランプさん、手強いな。", "トランプ", "さん", "ドナルド・トランプ"),
    ("林官房長官は説明した。", "林", "官房長官", "林芳正"),
    ("ヘグセス米国防長官が来日した。", "ヘグセス", "国防長官", "ピート・ヘグセス"),
    ("中谷元防衛相が述べた。", "中谷元", "防衛相", "中谷元"),
    ("山田太郎氏が語った。", "山田太郎", "氏", "山田太郎"),
    ("加藤勝信財務相は述べた。", "加藤勝信", "財務相", "加藤勝信"),
]
COMPOUNDS = [
    # text, [(surface, label, canonical)]
    ("日米関係が揺れる。", [("日", "GPE", "日本"), ("米", "GPE", "アメリカ合衆国")]),
    ("米中対立が続く。", [("米", "GPE", "アメリカ合衆国"), ("中", "GPE", "中華人民共和国")]),
    ("対日防衛義務を確認した。", [("日", "GPE", "日本")]),
    ("首相が訪米した。", [("米", "GPE", "アメリカ合衆国")]),
    ("在日米軍再編を進める。", [("在日米軍", "ORG", "在日米軍")]),
    ("インド太平洋地域の平和。", [("インド太平洋", "LOC", "インド太平洋")]),
    ("日米安全保障条約に基づく。", [("日米安全保障条約", "LAW", "日米安全保障条約")]),
    ("米国内でも動きがある。", [("米国", "GPE", "アメリカ合衆国")]),
    ("米軍基地を提供する。", [("米軍", "ORG", "アメリカ軍")]),
    ("NATOへの言及。", [("NATO", "ORG", "北大西洋条約機構")]),
]
NUMBERS = [
    ("予算は1兆2000億円に上る。", "1兆2000億円", "MONEY"),
    ("５万ドルを寄付した。", "５万ドル", "MONEY"),
    ("七割が賛成した。", "七割", "PERCENT"),
    ("GDP比2%への増額。", "GDP比2%", "PERCENT"),
    ("約3割が反対した。", "約3割", "PERCENT"),
    ("約25万戸が停電した。", "約25万戸", "QUANTITY"),
    ("計320便が欠航した。", "320便", "QUANTITY"),
    ("3.5%上昇した。", "3.5%", "PERCENT"),
]
NOT_ENTITIES = [
    "今日は一日中雨だった。",
    "方法を考える。",
]
# fmt: on


@pytest.mark.issue(3)
@pytest.mark.parametrize("text,name,role,canonical", PEOPLE)
def test_people_and_roles(ents, text, name, role, canonical):
    found = find(ents(text), name, "PERSON")
    assert found, ents(text)
    assert found[0]["role"] == role and found[0]["canonical"] == canonical


def test_hegseth_keeps_the_country(ents):
    found = find(ents("ヘグセス米国防長官が来日した。"), "米", "GPE")
    assert found and found[0]["canonical"] == "アメリカ合衆国"


@pytest.mark.parametrize("text,expected", COMPOUNDS)
def test_compounds_and_gazetteer(ents, text, expected):
    got = [(e["text"], e["label"], e["canonical"]) for e in ents(text)]
    for item in expected:
        assert item in got, got


@pytest.mark.parametrize("text,surface,label", NUMBERS)
def test_numbers(ents, text, surface, label):
    assert find(ents(text), surface, label), ents(text)


@pytest.mark.parametrize("text", NOT_ENTITIES)
def test_no_entities(ents, text):
    assert [e for e in ents(text) if e["label"] in ("GPE", "PERSON", "ORG")] == []


def test_one_canonical_per_person_in_an_article(ents):
    text = "岸田文雄首相は会見した。岸田首相はその後、岸田氏として語った。"
    canon = {e["canonical"] for e in ents(text) if e["label"] == "PERSON"}
    assert canon == {"岸田文雄"}


def test_short_law_takes_the_full_name(ents):
    text = "日米安全保障条約を確認した。安全保障条約第5条にも触れた。"
    laws = [e for e in ents(text) if e["label"] == "LAW"]
    assert {e["canonical"] for e in laws} == {"日米安全保障条約"} and len(laws) == 2
    assert not find(ents(text), "第5条")


def test_seed_people(ents, seed_text):
    found = ents(seed_text, parse_article(seed_text))
    people = {(e["text"], e["role"], e["canonical"]) for e in found if e["label"] == "PERSON"}
    assert ("石破", "首相", "石破茂") in people
    assert ("林", "官房長官", "林芳正") in people
    assert ("中谷元", "防衛相", "中谷元") in people
    assert ("ヘグセス", "国防長官", "ピート・ヘグセス") in people
    trump = {e["canonical"] for e in found if e["text"] == "トランプ"}
    roles = {e["role"] for e in found if e["text"] == "トランプ"}
    assert trump == {"ドナルド・トランプ"} and {"氏", "大統領", "さん"} <= roles


def test_nothing_inside_urls_or_source_lines_but_glued_commentary_counts(ents, seed_text):
    article = parse_article(seed_text)
    found = ents(seed_text, article)
    for section in article.sections:
        start = section.source.span.start
        end = seed_text.index(section.source.url, start) + len(section.source.url)
        assert not [e for e in found if e["start"] < end and start < e["end"]]
    glued = seed_text.index("154000c") + len("154000c")
    assert any(e["start"] == glued and e["text"] == "日本" for e in found)


NAUGHTY = ["", " ", "\n\n", "🇯🇵日本🇺🇸", "ＡＢＣ　株式会社", "https://example.com/日本", "\u3000米\u3000", "1" * 50,
           "第5条", "日米" * 30, "\x00日本\x00", "トランプ\r\n氏"]


@pytest.mark.parametrize("text", NAUGHTY)
def test_offsets_invariant(ents, text):
    for e in ents(text):
        assert text[e["start"]:e["end"]] == e["text"]
        assert e["label"] in {"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "LAW", "NORP",
                              "WORK_OF_ART", "MONEY", "PERCENT", "QUANTITY"}
        assert e["role"] is None or e["label"] == "PERSON"


def test_deterministic_and_stateless(ents, seed_text):
    first = ents(seed_text)
    ents("中谷防衛相とトランプ氏。")
    assert ents(seed_text) == first


def test_doc_ents_align_with_tokens():
    nlp = make_nlp()
    doc = nlp("日米同盟と対日政策。")
    assert [(s.text, s.label_) for s in doc.ents] == [("日", "GPE"), ("米", "GPE"), ("日", "GPE")]
    assert doc.text == "日米同盟と対日政策。"
    assert doc.ents[0]._.jnews_canonical == "日本"



def _token_rows(doc):
    return [(t.text, t.tag_, t.pos_, t.lemma_, str(t.morph), t.is_sent_start, t.whitespace_) for t in doc]


def test_split_pieces_keep_their_tokens_morph_whichever_way_the_doc_is_split(monkeypatch):
    """日米 split into 日 + 米: each piece has 日米's reading and its own text as its lemma,
    whether spaCy's retokenizer splits it (few splits) or the Doc is rebuilt (many); the
    retokenizer alone once gave 米 the reading of the token after it (同盟)."""
    from pipeline.entities import component

    text = "日米同盟と対日政策を都内で話した。\n日中首脳は会談した。"
    by_retokenizer = make_nlp(summary=False)(text)
    monkeypatch.setattr(component, "_RETOKENIZE_MAX", 0)
    rebuilt = make_nlp(summary=False)(text)
    rows = _token_rows(by_retokenizer)
    assert rows == _token_rows(rebuilt) and by_retokenizer.text == text
    pieces = {row[0]: row for row in rows[:2]}
    assert list(pieces) == ["日", "米"]
    assert pieces["日"][4] == pieces["米"][4] and "ニチベイ" in pieces["米"][4]
    assert [pieces["日"][3], pieces["米"][3]] == ["日", "米"]

def test_modes_and_pickle():
    import pickle

    nlp = make_nlp(entities="accurate")
    assert "jnews_entities" in nlp.pipe_names
    assert make_nlp(entities=None, summary=False).pipe_names == []
    assert "jnews_entities" not in make_nlp(entities=None).pipe_names
    with pytest.raises(ValueError):
        make_nlp(entities="nope")
    clone = pickle.loads(pickle.dumps(nlp))
    assert [e.text for e in clone("石破首相").ents] == ["石破"]


def test_crf_emissions_are_the_sum_of_the_template_weights():
    """The grouped, per-lexeme emission sums equal the plain definition: bias plus, per
    token and template, the weight of the template's values there (PAD beyond the edges)."""
    from pipeline.entities.component import load_tagger

    tagger = load_tagger()
    text = "「東京大学」の山田教授は、トヨタ自動車の新型車プリウスを発表した。\n米アップルも。"
    for copies in (1, 20):  # a short document (one gather) and a long one (per-lexeme sums)
        _check_emissions(tagger, make_nlp(entities=None)(text * copies))


def _check_emissions(tagger, doc):
    from pipeline.entities.crf import PAD
    from pipeline.entities.features import ATTRS, TEMPLATES

    ids, lexeme_keys = tagger.doc_ids(doc)
    n = len(doc)

    def value(attr, j):
        return ids[j, ATTRS.index(attr)] if 0 <= j < n else PAD

    expected = numpy.tile(tagger.bias, (n, 1)).astype(numpy.float64)
    for i in range(n):
        for k, template in enumerate(TEMPLATES):
            values = [value(attr, i + offset) for attr, offset in template]
            if len(template) == 1:
                expected[i] += tagger.unigram[k][values[0]]
            elif 0 not in values:  # UNKNOWN in a pair: no feature
                key = values[0] * (len(tagger.vocabs[template[1][0]]) + 2) + values[1]
                at = numpy.searchsorted(tagger.pair_keys[k], key)
                if at < len(tagger.pair_keys[k]) and tagger.pair_keys[k][at] == key:
                    expected[i] += tagger.pair_rows[k][at]
    assert numpy.allclose(tagger.emissions(ids, lexeme_keys=lexeme_keys), expected, atol=1e-3)
    assert numpy.allclose(tagger.emissions(ids), expected, atol=1e-3)
    rows = numpy.arange(1, n, 3)
    assert numpy.allclose(tagger.emissions(ids, rows=rows, lexeme_keys=lexeme_keys), expected[rows], atol=1e-3)


def test_numpy_crf_matches_exact_viterbi():
    from pipeline.entities.component import load_tagger

    tagger = load_tagger()
    nlp = make_nlp(entities=None)
    doc = nlp("東京大学の山田教授は、トヨタ自動車の新型車プリウスを発表した。" * 3)
    ids, lexeme_keys = tagger.doc_ids(doc)
    scores = tagger.emissions(ids, lexeme_keys=lexeme_keys)
    # the per-lexeme sums are the per-token ones, whether the lexemes come from the hashes or the columns
    assert numpy.allclose(scores, tagger.emissions(ids), atol=1e-4)
    assert numpy.allclose(scores[1:3], tagger.emissions(ids, rows=numpy.array([1, 2])), atol=1e-4)
    assert (tagger.viterbi(scores) == tagger.viterbi(scores, exact=True)).mean() > 0.98


def test_long_article_scales(seed_text):
    """A long article (the seed 20 times) gets 20 times the entities, in linear time
    (no per-split retokenizing, no pairwise overlap scans)."""
    import time

    nlp = make_nlp()
    one = len(nlp(seed_text + "\n").ents)
    started = time.perf_counter()
    many = len(nlp((seed_text + "\n") * 20).ents)
    assert many == 20 * one
    assert time.perf_counter() - started < 60


def test_accurate_mode_keeps_the_seed_people(seed_text):
    nlp = make_nlp(entities="accurate")
    found = summary_entities(seed_text, nlp(seed_text), parse_article(seed_text))
    people = {(e["text"], e["role"], e["canonical"]) for e in found if e["label"] == "PERSON"}
    assert {("石破", "首相", "石破茂"), ("林", "官房長官", "林芳正"), ("中谷元", "防衛相", "中谷元"),
            ("ヘグセス", "国防長官", "ピート・ヘグセス")} <= people


def test_scoring_is_exact_span_and_label():
    from pipeline.evaluation.entities import IREX_LABEL, score
    from pipeline.entities.stockmark import score_label

    gold = {(0, 2, "PERSON"), (3, 5, "GPE")}
    pred = {(0, 2, "PERSON"), (3, 6, "GPE"), (7, 9, "ORG")}
    result = score([(gold, pred)])
    assert result["micro"]["tp"] == 1 and result["micro"]["fp"] == 2 and result["micro"]["fn"] == 1
    assert score_label("LOC") == score_label("GPE") == "GPE" and score_label("LAW") == "PRODUCT"
    assert score_label("MONEY") is None and IREX_LABEL["FAC"] == "LOCATION"


def test_gazetteer_ids_are_unique_and_canonicals_nfkc():
    import unicodedata

    from pipeline.entities.gazetteer import _rows

    ids = [row[0] for name in ("countries.tsv", "people.tsv", "names.tsv") for row in _rows(name)]
    assert len(ids) == len(set(ids))
    for name, column in (("countries.tsv", 1), ("people.tsv", 1), ("names.tsv", 2)):
        for row in _rows(name):
            assert row[column] == unicodedata.normalize("NFKC", row[column]), row


# the shortcuts of the fast path must find exactly what the plain scans find
SHORTCUT_TEXTS = [
    "約3000万円の米ドル、GDP比2.5%、前年同期比12.3ポイント増。", "二十三人、一部、三振、数十億ドル、およそ1,200km。",
    "AKB48とF1、第18軍、A300B。$1.5 billion と ￥300万、€20。", "3回目の5回に、1株当たり100円。8選挙区で42議案。",
    "ｘ１２３、Ｘ５人、-3度、.5%、第一、十分、百千万億兆。", "",
]


def _fuzzed(seed=11, count=300):
    import random

    rnd = random.Random(seed)
    pieces = [*"約およそ0123456789０１２３４５６７８９〇一二三四五六七八九十百千万億兆数第.．-,$￥€%％",
              "GDP比", "前年比", "円", "人", "件", "ドル", "回", "目", "当たり", "A", "ｚ", "日本", "米", "の", " "]
    fuzzed = ["".join(rnd.choice(pieces) for _ in range(rnd.randrange(40))) for _ in range(count)]
    return SHORTCUT_TEXTS + fuzzed


def test_number_shortcuts_match_plain_finditer():
    from pipeline.entities import numbers as number_rules

    for text in _fuzzed():
        numbers = number_rules.numbers_at(text)
        assert {p: m.span() for p, m in numbers.items()} == {
            p: number_rules._NUM_RE.match(text, p).span() for p in range(len(text))
            if number_rules._NUM_RE.match(text, p)}
        for _, _, pattern, after_number, initials in number_rules._number_patterns():
            positions = sorted({*(numbers if after_number else ()), *number_rules._positions(text, initials)})
            for lo, hi in ((0, len(text)), (2, max(2, len(text) - 2))):
                plain = [m.span() for m in pattern.finditer(text, lo, hi)]
                fast = [m.span() for m in number_rules._finditer_at(pattern, text, positions, lo, hi)]
                assert fast == plain, (text, pattern.pattern[:40])


def test_gazetteer_candidates_miss_no_surface():
    import numpy

    from pipeline.entities.gazetteer import load_gazetteer
    from pipeline.entities.numbers import code_points

    gazetteer = load_gazetteer()
    surfaces = sorted(gazetteer.surfaces)
    text = "、".join(surfaces) + "日本人と米中、東京都内" + "".join(surfaces[::7])
    positions = numpy.arange(len(text))
    kept = set(gazetteer.may_start(code_points(text), positions).tolist())
    for start in range(len(text)):
        if any(text.startswith(surface, start) for surface in surfaces):
            assert start in kept, text[start:start + 10]
    assert len(kept) < len(text)


def test_the_tagger_sees_the_document_columns_training_saw():
    """The numpy tagger's document columns (bracket, noun-run place / head word / head
    character, gazetteer BIO) are the values ``features.doc_attrs`` gives training, for
    every value the model knows, on a long text (per-lexeme path) and a short one."""
    from pipeline.entities.component import load_tagger
    from pipeline.entities.features import ATTRS, DOC_ATTRS, doc_attrs
    from pipeline.entities.rules import gazetteer_spans

    tagger = load_tagger()
    nlp = make_nlp(entities=None)
    text = ("「東京証券取引所」で、金沢地方気象台の発表は（仮）\n米アップルと財団法人大阪市スポーツ・みどり振興協会、"
            "ランボルギーニ・ミウラ。自民党の石破茂首相は第2次内閣を組織した。")
    for copies in (1, 12):
        doc = nlp.make_doc(text * copies)
        spans = gazetteer_spans(doc)
        assert spans, "the gazetteer knows 東京 / 自民党 / 石破茂"
        surfaces, tags = [t.text for t in doc], [t.tag_ for t in doc]
        expected = doc_attrs(surfaces, tags, spans)
        ids, _ = tagger.doc_ids(doc, gazetteer=spans)
        checked = 0
        for column, attr in enumerate(DOC_ATTRS):
            known = {value: i + 2 for i, value in enumerate(tagger.vocabs[attr])}  # ids of the shipped model
            for i, values in enumerate(expected):
                if values[column] in known:
                    assert ids[i, ATTRS.index(attr)] == known[values[column]], (attr, i, surfaces[i], values)
                    checked += 1
                else:
                    assert ids[i, ATTRS.index(attr)] == 0, (attr, i, surfaces[i], values)
        assert checked >= len(doc) * 4
        # the run columns: a run's head is its last noun
        runs = [values for values in expected if values[1] != "-"]
        assert any(values[4] == "協会" and values[3] == "財団" and values[2] == "4+" for values in runs)


def test_word_classes_group_what_the_vectors_group():
    """The shipped word classes (chiVe vectors, k-means): surnames share a class, car makers
    share one, and neither is a furniture word's; a word the table lacks has none; every
    word kept is one token of our tokenizer (the only way the tagger meets it)."""
    from pipeline.entities.clusters import load_word_clusters, table_words, word_key

    classes = load_word_clusters()
    surnames = {classes.classes(w) for w in ("田中", "佐藤", "鈴木", "高橋", "渡辺")}
    makers = {classes.classes(w)[1] for w in ("トヨタ", "ホンダ", "日産")}
    assert len(surnames) == 1 and len(makers) == 1
    assert classes.classes("机") not in surnames and classes.classes("机")[1] not in makers
    assert classes.classes("ぬばたまのぬ不明語") == ("-", "-")
    assert classes.classes("PYTHON") == classes.classes("python") != ("-", "-")  # ASCII: its lower case
    assert len(classes) > 200_000
    nlp = make_nlp(entities=None)
    words = table_words()
    assert len(words) == len(classes) and all(classes.classes(w) != ("-", "-") for w in words[::997])
    build = _build_script()
    assert all(build.word_key(w) == word_key(w) for w in words[::997])  # the builder's keys are the loader's
    words = sorted(words)[::5000]
    assert all(len(nlp.make_doc(word)) == 1 for word in words), [w for w in words if len(nlp.make_doc(w)) != 1]


@pytest.mark.parametrize("text,surface,label", [
    ("ギャラリーも5~6人だった。", "5~6人", "QUANTITY"),
    ("麺棒は直径2～3cmに切る。", "2～3cm", "QUANTITY"),
    ("予算は3〜5億円の見込み。", "3〜5億円", "MONEY"),
    ("約10～20%が賛成した。", "約10～20%", "PERCENT"),
])
def test_a_range_is_one_amount(ents, text, surface, label):
    found = find(ents(text), surface, label)
    assert found, ents(text)
    assert not [e for e in ents(text) if e["label"] == label and e["text"] != surface]


def test_a_regnal_number_is_no_quantity(ents):
    """ヘンリー8世 is a ruler (GSD: PERSON), not eight of something."""
    for text in ("福音書はヘンリー8世の命令による。", "エリザベス2世が即位した。"):
        assert not [e for e in ents(text) if e["label"] == "QUANTITY"], ents(text)
    assert find(ents("彼らは3世代で暮らす。"), "3世代", "QUANTITY")  # no name before it: a count


def test_a_way_of_doing_is_no_law(ents):
    for text in ("考え抜かれた調理法で作る。", "治療法が確立された。", "面積の計算法を学ぶ。"):
        assert not [e for e in ents(text) if e["label"] == "LAW"], ents(text)
    assert find(ents("独占禁止法に違反した。"), "独占禁止法", "LAW")
    assert find(ents("個人情報保護法を改正する。"), "個人情報保護法", "LAW")


@pytest.mark.parametrize("text,surface", [
    ("三人の子供がいる。", "三人"), ("二台の車が止まった。", "二台"), ("鈴を一つつけた。", "一つ"),
    ("3つの課題がある。", "3つ"), ("店員一人で全部やっている。", "一人"),
])
def test_one_kanji_numeral_and_a_counter_count(ents, text, surface):
    assert find(ents(text), surface, "QUANTITY"), ents(text)


@pytest.mark.parametrize("text", ["四天王の一人である。", "一人芝居を見た。", "一人ひとりが考える。", "一本化を図る。",
                                  "一つ一つ確かめる。", "一つ目の島。"])
def test_words_made_of_a_kanji_numeral_and_a_counter_count_nothing(ents, text):
    assert not [e for e in ents(text) if e["label"] == "QUANTITY"], ents(text)
    assert find(ents("八戸市に住む。"), "八戸市", "GPE")


def test_an_organization_starts_where_its_katakana_does(ents):
    """UniDic reads イー of イーバンク as a word of its own (良い): the name is イーバンク銀行."""
    assert find(ents("イーバンク銀行の口座を作った。"), "イーバンク銀行", "ORG")
    assert find(ents("スーパーマーケット協会が発表した。"), "スーパーマーケット協会", "ORG")


def test_the_constitution_alone_is_no_law(ents):
    """憲法 alone is the word (憲法訴訟, 憲法判断), as GSD reads it; the name is 日本国憲法."""
    assert not [e for e in ents("しかし、憲法訴訟という類型自体は存在する。") if e["label"] == "LAW"]
    assert find(ents("日本国憲法が施行された。"), "日本国憲法", "LAW")


def _build_script():
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / "build_word_clusters.py"
    spec = importlib.util.spec_from_file_location("build_word_clusters", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _SpansTagger:
    """A tagger that reads the given token spans: what the model step does with the spans
    a model gives, whatever the model."""

    def __init__(self, spans):
        self.spans = spans

    def predict_doc(self, doc, **_):
        return self.spans(doc)


def _token_span(doc, surface, label, nth=0):
    starts = [i for i in range(len(doc)) if doc[i:].text.startswith(surface)]
    first = starts[nth]
    end = first + 1
    while doc[first:end].text != surface:
        end += 1
    return first, end, label


def test_the_model_step_drops_figures_and_spreads_no_lone_common_noun():
    from pipeline.entities.rules import recognize

    nlp = make_nlp(entities=None)
    text = "2025/04/14に打ち上げた。ロケットは順調で、ロケットの2段目も分離した。ギネスに載った。ギネスは驚いた。"
    doc = nlp.make_doc(text)
    tagger = _SpansTagger(lambda d: [_token_span(d, "2025/04/14", "EVENT"), _token_span(d, "ロケット", "ORG"),
                                     _token_span(d, "ギネス", "ORG")])
    found = [(text[m.start:m.end], m.label, m.rule) for m in recognize(doc, tagger, text)]
    assert not [f for f in found if f[0] == "2025/04/14"], found
    assert [f for f in found if f[0] == "ロケット"] == [("ロケット", "ORG", "model")], found  # not spread
    assert len([f for f in found if f[0] == "ギネス"]) == 2, found  # a name UniDic does not know as a common noun is


def test_a_name_and_its_house(ents):
    """A personal name + 家 is the house (GSD: ORG), one mention; 政治家 is no house."""
    for text, house in (("重富家も加わった。", "重富家"), ("以後ハプスブルク家の支配となった。", "ハプスブルク家"),
                        ("安倍家の墓がある。", "安倍家")):
        assert find(ents(text), house, "ORG"), ents(text)
        assert not [e for e in ents(text) if e["label"] == "PERSON"], ents(text)
    assert not [e for e in ents("政治家になった。小説家でもある。") if e["label"] == "ORG"]
    assert find(ents("徳川家康が勝った。"), "徳川家康", "PERSON")


def test_a_language_is_no_country(ents):
    """日本語 is a language, which no label of ours names: no GPE inside it, not even where
    日本 is a GPE elsewhere in the text (one sense per document stops there)."""
    text = "日本語版が出た日本で。日本語も学んだ。日本人が来た。"
    gpes = [e for e in ents(text) if e["label"] == "GPE"]
    assert [(e["text"], e["start"]) for e in gpes] == [("日本", text.index("日本で"))], ents(text)
    assert find(ents(text), "日本人", "NORP")
    assert not ents("フランス語と英語を話す。")


@pytest.mark.parametrize("text,span,label,split", [
    ("米オープンAIが発表した。", "米オープンAI", "ORG", True),
    ("米連邦準備制度理事会が利上げした。", "米連邦準備制度理事会", "ORG", True),
    ("独ソ戦が始まった。", "独ソ戦", "EVENT", False),        # one character after the prefix: part of the name
    ("仏独の国境に近い。", "仏独", "GPE", False),            # a country after it
    ("伊藤盛景が城主となった。", "伊藤盛景", "PERSON", False),  # a person's name
    ("中公園駅で合流した。", "中公園駅", "FAC", False),       # 中: the first character of too many words
])
def test_a_country_prefix_is_split_off_a_models_name_only_before_a_name(text, span, label, split):
    from pipeline.entities.rules import recognize

    doc = make_nlp(entities=None).make_doc(text)
    found = [(text[m.start:m.end], m.label, m.rule)
             for m in recognize(doc, _SpansTagger(lambda d: [_token_span(d, span, label)]), text)]
    assert any(rule == "model.country" for _, _, rule in found) == split, found
    if split:
        assert [(surface, kind) for surface, kind, _ in found] == [(span[0], "GPE"), (span[1:], label)], found


def test_a_part_of_a_place_is_the_place(ents):
    """奈良市西部, 山口県西部: GSD marks the place alone, Stockmark mostly too; a forecast
    region of the JMA (九州南部) is a name of its own."""
    assert [(e["text"], e["label"]) for e in ents("奈良市西部で大雨が降った。")] == [("奈良市", "GPE")]
    assert [(e["text"], e["label"]) for e in ents("山口県西部に住む。")] == [("山口県", "GPE")]
    assert [(e["text"], e["label"]) for e in ents("九州南部で大雨が降った。")] == [("九州南部", "LOC")]


def test_a_place_and_a_role_are_no_person(ents):
    """茨城県知事 is Ibaraki's governor: 茨城 is no one's name."""
    assert not [e for e in ents("茨城県知事が会見した。アダナ県知事も来た。") if e["label"] == "PERSON"]
    assert find(ents("山口さんが来た。"), "山口", "PERSON")


@pytest.mark.parametrize("text", ["サッカー選手として活躍した。", "スタッフさんも親切だった。", "デザイナーさんに頼んだ。",
                                  "ラグビー選手になった。"])
def test_a_common_word_before_a_role_is_no_name(ents, text):
    assert not [e for e in ents(text) if e["label"] == "PERSON"], ents(text)


def test_an_unknown_katakana_name_before_a_role_is_a_name(ents):
    """UniDic tags ヘグセス 普通名詞 too, but as an unknown word: no reading, so a name."""
    assert find(ents("ヘグセス米国防長官が述べた。"), "ヘグセス", "PERSON")
    assert find(ents("ケンさんが来た。"), "ケン", "PERSON")


def test_a_dictionary_word_before_a_government_title_is_a_name():
    """カーニー is a word of UniDic's, yet カーニー首相 is a person, even without the model
    (fast mode); a surname UniDic reads as a place (大谷) keeps its role too."""
    nlp = make_nlp(entities="fast")
    for text, name, role in (("カナダのカーニー首相は述べた。", "カーニー", "首相"), ("大谷選手の一発で勝った。", "大谷", "選手")):
        found = [(e["text"], e["role"]) for e in summary_entities(text, nlp(text)) if e["label"] == "PERSON"]
        assert (name, role) in found, found


def test_a_body_is_named_by_more_than_one_common_noun_or_by_a_name(ents):
    """警察機構 (a mechanism), 年金基金 (a fund) are words; 住宅金融支援機構 and 万博協会 (万博: a
    name the gazetteer knows) are bodies; a legal form before the name is not part of it."""
    for text in ("日本の警察機構は複雑だ。", "年金基金の運用が改善した。"):
        assert not [e for e in ents(text) if e["label"] == "ORG"], ents(text)
    assert find(ents("住宅金融支援機構が発表した。"), "住宅金融支援機構", "ORG")
    assert find(ents("万博協会によると、来場者が増えた。"), "万博協会", "ORG")
    assert find(ents("社団法人日本レコード協会が認定した。"), "日本レコード協会", "ORG")


@pytest.mark.parametrize("text", ["出走したが、5着に敗れた。", "103系が走る。", "創立50周年を迎えた。", "4Gの回線を使う。",
                                  "2Fのテーブル席で食べた。"])
def test_a_place_a_series_or_a_code_is_no_count(ents, text):
    assert not [e for e in ents(text) if e["label"] == "QUANTITY"], ents(text)


def test_a_length_in_latin_letters_is_a_count(ents):
    assert find(ents("身長172cm、体重60kgだった。"), "172cm", "QUANTITY")


@pytest.mark.parametrize("text,inner", [("全日本大学野球連盟が決めた。", "日本大学"), ("太陽神戸銀行に勤めた。", "神戸銀行"),
                                        ("新大阪駅で降りた。", "大阪駅"), ("東京都港区の飯倉公館で会談した。", "東京都港")])
def test_a_place_and_its_body_inside_a_longer_name_are_no_mention(ents, text, inner):
    """全|日本大学, 太陽|神戸銀行, 東京都港|区: the place-and-suffix rule does not cut a name."""
    assert not [e for e in ents(text) if e["text"] == inner], ents(text)
    assert find(ents("日本大学に入った。"), "日本大学", "ORG")


@pytest.mark.parametrize("text,surface", [("イタリア系の移民が多い。", "イタリア系"), ("アフリカ系アメリカ人の歌手だ。", "アフリカ系アメリカ人"),
                                          ("アジア人の選手が勝った。", "アジア人")])
def test_a_descent_is_one_nationality(ents, text, surface):
    """A country or region + 系 is a descent (GSD: NORP), one mention with the nationality after it."""
    assert [(e["text"], e["label"]) for e in ents(text) if e["label"] in ("NORP", "GPE", "LOC")] == [(surface, "NORP")]


def test_a_title_before_a_models_person_is_its_role_not_its_name():
    from pipeline.entities.rules import recognize

    text = "イランの大統領ハサン・ロウハーニーが来日した。"
    doc = make_nlp(entities=None).make_doc(text)
    found = [(text[m.start:m.end], m.label, m.role) for m in
             recognize(doc, _SpansTagger(lambda d: [_token_span(d, "大統領ハサン・ロウハーニー", "PERSON")]), text)]
    assert ("ハサン・ロウハーニー", "PERSON", "大統領") in found, found
    assert not [f for f in found if f[0].startswith("大統領")], found


@pytest.mark.parametrize("text,countries", [("12月30日、日中は病棟当番だった。", False), ("4日の日中は暑い。", False),
                                            ("5日、日中首脳が会談した。", True), ("日中関係が改善した。", True)])
def test_nicchu_after_a_day_is_the_daytime_unless_a_noun_follows(ents, text, countries):
    found = [e["text"] for e in ents(text) if e["label"] == "GPE"]
    assert (found == ["日", "中"]) == countries, found
