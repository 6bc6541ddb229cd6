"""Keywords: noun compounds on UniDic POS, idf from one table per run, entity names merged."""

from pathlib import Path

import pytest
from spacy.tokens import Span

from pipeline import parse_article, summarize
from pipeline.keywords.score import (DEFAULT_KEYWORDS, DocumentFrequency, background_frequency, document_keys,
                               extract_keywords)

DATA = Path(__file__).parent / "data" / "plain_news"
PLAIN = sorted(DATA.glob("*.txt"))


def test_background_table_is_shipped():
    table = background_frequency()
    assert table.documents == 5343 and len(table.counts) > 1000
    assert table.idf("日本") < table.idf("首相") < table.idf("ブーランジェリー")


@pytest.mark.parametrize("path", PLAIN, ids=[p.stem for p in PLAIN])
def test_ten_keywords_best_first(path):
    keywords = summarize(path.read_text(encoding="utf-8"))["keywords"]
    assert len(keywords) == DEFAULT_KEYWORDS
    scores = [k["score"] for k in keywords]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    assert len({k["text"] for k in keywords}) == len(keywords)


def test_compounds_and_names():
    keywords = [k["text"] for k in summarize((DATA / "01_tech_smartphone.txt").read_text(encoding="utf-8"))["keywords"]]
    assert "出荷台数" in keywords and "MM総研" in keywords
    assert "フォン出荷台数" not in keywords  # スマート|フォン is one word
    keywords = [k["text"] for k in summarize((DATA / "03_gourmet_shop.txt").read_text(encoding="utf-8"))["keywords"]]
    assert keywords[0] == "ブーランジェリー・ソレイユ"


def test_scores_do_not_depend_on_the_other_articles_of_a_run():
    texts = [p.read_text(encoding="utf-8") for p in PLAIN]
    alone = summarize(texts[0])["keywords"]
    for other in texts[1:]:
        summarize(other)
    assert summarize(texts[0])["keywords"] == alone


def test_keywords_do_not_depend_on_what_the_cache_holds(nlp, monkeypatch):
    from pipeline.keywords import templates
    from pipeline.keywords.candidates import KeywordCache, find_candidates
    from pipeline.nlp.token_view import content_view

    texts = [p.read_text(encoding="utf-8") for p in PLAIN]
    prepared = [(t, parse_article(t), nlp(t)) for t in texts]
    first = [extract_keywords(*item) for item in prepared]  # a fresh cache each
    shared = KeywordCache()
    assert [extract_keywords(*item, cache=shared) for item in reversed(prepared)][::-1] == first
    everything = shared.registry.templates
    # a cache that starts afresh before every article (as past its bound) changes nothing, and
    # candidates made before keep the registry their key ids index
    text, article, doc = prepared[0]
    earlier = find_candidates(text, doc, content_view(text, article, doc), shared)
    keys = [earlier.key(i) for i in range(len(earlier))]
    monkeypatch.setattr(templates, "_CACHE_LIMIT", 0)
    assert [extract_keywords(*item, cache=shared) for item in prepared] == first
    assert 0 < shared.registry.templates < everything
    assert [earlier.key(i) for i in range(len(earlier))] == keys


def test_same_phrase_same_weight_same_score(nlp):
    # the score is a function of (weight in the article, article length, idf): comparable across articles
    a = "題名\n北極の氷が減っている。\n研究者が調査した。\n"
    b = "題名\n研究者が調査した。\n北極の氷が減っている。\n"
    score = {}
    for text in (a, b):
        keywords = extract_keywords(text, parse_article(text), nlp(text))
        score[text] = {k["text"]: k["score"] for k in keywords}
    assert score[a]["北極"] == score[b]["北極"]


def test_batch_document_frequency(nlp):
    texts = [p.read_text(encoding="utf-8") for p in PLAIN]
    keys = [document_keys(t, parse_article(t), nlp(t)) for t in texts]
    batch = background_frequency().with_documents(keys)
    assert batch.documents == 5343 + len(texts)
    text = texts[3]
    with_batch = extract_keywords(text, parse_article(text), nlp(text), document_frequency=batch)
    assert len(with_batch) == DEFAULT_KEYWORDS
    # a word every article of the batch uses is worth less than in the background alone
    assert batch.idf("発表") <= background_frequency().idf("発表")
    small = DocumentFrequency(10, {"a": 3})
    assert small.idf("a") < small.idf("b")


def test_entities_are_merged_under_their_canonical_name(nlp):
    text = "石破首相が会見\n石破首相は7日、官邸で記者会見を開いた。\n石破首相は関税交渉について説明した。\n"
    article = parse_article(text)
    doc = nlp(text)
    if not Span.has_extension("canonical"):
        Span.set_extension("canonical", default=None)
    ents = []
    for start in [i for i in range(len(text)) if text.startswith("石破", i)]:
        span = doc.char_span(start, start + 2, label="PERSON")
        if span is not None:
            ents.append(span)
    doc.ents = ents
    for span in doc.ents:
        span._.canonical = "石破茂"
    keywords = [k["text"] for k in extract_keywords(text, article, doc)]
    assert keywords[0] == "石破茂"
    assert "石破" not in keywords and "石破首相" not in keywords


def test_no_keywords_from_urls_or_structure(seed_text, nlp):
    keywords = [k["text"] for k in summarize(seed_text)["keywords"]]
    assert not {"公開日", "https", "jp", "出典", "画像元"} & set(keywords)
    assert {"トランプ", "ドナルド・トランプ"} & set(keywords)  # canonical when the entity stage ran


def test_the_shipped_background_table_is_what_its_command_rebuilds(tmp_path):
    from pipeline.keywords.document_frequency import BACKGROUND_PATH, build_background
    from pipeline.entities.stockmark import stockmark_path

    if not stockmark_path().exists():
        pytest.skip(f"Stockmark data not found at {stockmark_path()} (../shared/data absent)")
    out = tmp_path / "background_df.tsv"
    documents, kept = build_background(str(stockmark_path()), str(out))
    shipped = Path(__file__).parent.parent / "pipeline" / "resources" / BACKGROUND_PATH
    assert out.read_bytes() == shipped.read_bytes()
    assert documents == background_frequency().documents and kept == len(background_frequency().counts)


def test_inline_unique_matches_numpy_unique():
    import numpy

    from pipeline.keywords.candidates import _unique

    rng = numpy.random.default_rng(5)
    for size in (0, 1, 2, 7, 300):
        values = rng.integers(0, max(size // 3, 1) + 1, size=size).astype(numpy.uint64) * numpy.uint64(2 ** 61)
        expected = numpy.unique(values, return_index=True, return_inverse=True)
        got = _unique(values)
        for mine, theirs in zip(got, expected):
            assert numpy.array_equal(mine, theirs.reshape(-1))
