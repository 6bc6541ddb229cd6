"""Extracted key points: present, never from boilerplate, deterministic, exact offsets."""

import json
from pathlib import Path

import pytest

from conftest import ROOT, SEED, iter_spans
from pipeline import make_nlp, parse_article, summarize, summarize_text
from pipeline.layout.boilerplate import boilerplate_spans
from pipeline.keypoints.ranking import DEFAULT_KEY_POINTS, extract_key_points

DATA = Path(__file__).parent / "data" / "plain_news"
PLAIN = sorted(DATA.glob("*.txt"))
ALL = PLAIN + [SEED] + sorted(ROOT.glob("corpora/*/articles/*.txt"))


def _text(path: Path) -> str:
    from pipeline.io.reading import decode_bytes

    return decode_bytes(path.read_bytes())[0]


def _overlaps(span, spans):
    return any(span["start"] < e and s < span["end"] for s, e in spans)


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_every_article_has_key_points_and_keywords(path, validate):
    text = _text(path)
    summary = summarize(text)
    validate(summary)
    assert summary["key_points"], "no key points"
    assert summary["keywords"], "no keywords"
    for span in iter_spans(summary):
        assert text[span["start"]:span["end"]] == span["text"]


@pytest.mark.parametrize("path", PLAIN, ids=[p.stem for p in PLAIN])
def test_plain_news_key_points_are_extracted_from_the_body(path):
    text = _text(path)
    summary = summarize(text)
    points = summary["key_points"]
    assert len(points) == DEFAULT_KEY_POINTS
    assert all(p["extracted"] is True and p["marker"] is None for p in points)
    assert [p["start"] for p in points] == sorted(p["start"] for p in points)
    for point in points:
        section = summary["sections"][point["section"]]
        match = [b for b in section["body"] if (b["start"], b["end"]) == (point["start"], point["end"])]
        assert match and match[0]["kind"] in ("fact", "commentary")


@pytest.mark.parametrize("path", PLAIN, ids=[p.stem for p in PLAIN])
def test_nothing_comes_from_boilerplate(path):
    text = _text(path)
    summary = summarize(text)
    spans = boilerplate_spans(parse_article(text))
    for point in summary["key_points"]:
        assert not _overlaps(point, spans), point["text"]
    # every keyword occurs in the text outside the boilerplate
    cleaned = list(text)
    for s, e in spans:
        cleaned[s:e] = " " * (e - s)
    cleaned = "".join(cleaned)
    # (or is the canonical name of an entity mentioned outside it: 巨人 -> 読売ジャイアンツ)
    canonical = {e["canonical"] for e in summary["entities"] if not _overlaps(e, spans)}
    for keyword in summary["keywords"]:
        assert keyword["text"] in cleaned or keyword["text"] in canonical, keyword["text"]
    boilerplate_only = {"ITライフハック", "編集部", "Copyright", "スポーツ報知ウェブ", "TEL", "営業時間", "定休日",
                        "ドコモMAX", "iPhone", "結婚", "順位表", "ツイート", "シェア", "共同", "グルメ編集部"}
    assert not boilerplate_only & {k["text"] for k in summary["keywords"]}


def test_marked_points_win():
    summary = summarize(SEED.read_text(encoding="utf-8"))
    assert summary["key_points"] and not any(p["extracted"] for p in summary["key_points"])


def test_determinism_and_fresh_pipelines_agree():
    text = _text(PLAIN[0])
    first = summarize(text)
    again = summarize(text)
    fresh = summarize_text(text, make_nlp(), id="text")
    assert json.dumps(first, ensure_ascii=False) == json.dumps(again, ensure_ascii=False)
    assert first["key_points"] == fresh["key_points"]


def test_configurable_counts(nlp):
    text = _text(PLAIN[4])
    summary = summarize_text(text, nlp, id="x", key_points=5, keywords=4)
    assert len(summary["key_points"]) == 5 and len(summary["keywords"]) == 4
    summary = summarize_text(text, nlp, id="x", key_points=0, keywords=0)
    assert summary["key_points"] == [] and summary["keywords"] == []


def test_offsets_survive_crlf_bom_like_whitespace_and_emoji(nlp):
    base = _text(PLAIN[0])
    for text in (base.replace("\n", "\r\n"), "\u3000 " + base.replace("。", "。😀 ", 3)):
        summary = summarize_text(text, nlp, id="x")
        assert len(summary["key_points"]) == DEFAULT_KEY_POINTS
        for point in summary["key_points"]:
            assert text[point["start"]:point["end"]] == point["text"] and "\r" not in point["text"]


def test_eval_mode_extracts_per_section_even_if_marked(nlp):
    text = SEED.read_text(encoding="utf-8")
    article = parse_article(text)
    points = extract_key_points(text, article, nlp(text), k=2, sections=[1], even_if_marked=True)
    assert len(points) == 2 and {p["section"] for p in points} == {1}
    body = {(b.span.start, b.span.end) for b in article.sections[1].body}
    assert all((p["start"], p["end"]) in body for p in points)


@pytest.mark.parametrize("text", ["", "題名だけ", "題名\n本文。", "題名\n\n\n"])
def test_tiny_texts(text, nlp):
    summary = summarize_text(text, nlp, id="x")
    for point in summary["key_points"]:
        assert text[point["start"]:point["end"]] == point["text"]


def test_plain_python_selection_matches_numpy_select():
    import numpy

    from pipeline.keypoints.ranking import _select_among, select

    rng = numpy.random.default_rng(7)
    for n in (1, 2, 3, 5, 20, 70):
        for _ in range(30):
            vectors = rng.random((n, 6)) * (rng.random((n, 6)) < 0.4)
            norms = numpy.linalg.norm(vectors, axis=1, keepdims=True)
            vectors /= numpy.where(norms == 0, 1, norms)
            similarity = vectors @ vectors.T
            score = numpy.round(rng.random(n), 1)  # ties, decided by text order
            keep = sorted(rng.choice(n, size=rng.integers(1, n + 1), replace=False).tolist())
            for k in (1, 3, 5):
                subset = numpy.array(keep)
                expected = [keep[i] for i in select(score[subset], similarity[subset][:, subset], k)]
                assert _select_among(score, similarity, keep, k) == expected


def test_how_many_key_points_and_keywords_from_the_command_line():
    from test_batch_corpus import jnews

    plain = DATA / "01_tech_smartphone.txt"
    default = json.loads(jnews("summarize", plain, "-q").stdout)
    more = json.loads(jnews("summarize", plain, "-q", "--key-points", "5", "--keywords", "4").stdout)
    none = json.loads(jnews("summarize", plain, "-q", "--key-points", "0", "--keywords", "0").stdout)
    assert len(default["key_points"]) == DEFAULT_KEY_POINTS and len(default["keywords"]) == 10
    assert len(more["key_points"]) == 5 and all(point["extracted"] for point in more["key_points"])
    # the greedy choice of 5 begins with the choice of 3; keyword scores do not depend on how many
    assert {p["start"] for p in default["key_points"]} <= {p["start"] for p in more["key_points"]}
    assert more["keywords"] == default["keywords"][:4]
    assert none["key_points"] == [] and none["keywords"] == []
    marked = json.loads(jnews("summarize", SEED, "-q", "--key-points", "1").stdout)  # marked ✅ points win
    assert len(marked["key_points"]) > 1 and not any(point["extracted"] for point in marked["key_points"])
    bad = jnews("summarize", plain, "--keywords", "-1")
    assert bad.returncode == 2 and b"--keywords: must be at least 0" in bad.stderr and b"Traceback" not in bad.stderr


def test_resume_refuses_other_counts(tmp_path):
    from pipeline.cli.main import build_parser, run_fingerprint

    parse = build_parser().parse_args
    base = run_fingerprint(parse(["summarize", str(SEED), "-o", str(tmp_path / "o.jsonl")]))
    assert base != run_fingerprint(parse(["summarize", str(SEED), "-o", str(tmp_path / "o.jsonl"), "--keywords", "5"]))
    assert base != run_fingerprint(parse(["summarize", str(SEED), "-o", str(tmp_path / "o.jsonl"), "--key-points", "5"]))
