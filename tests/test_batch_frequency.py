"""Keyword scores against a batch's own document frequencies: `jnews keywords-df` and
`jnews summarize --keywords-df FILE|batch`."""

import json
from pathlib import Path

import pytest

from test_batch_corpus import jnews

from pipeline import parse_article
from pipeline.batch.partition import RunOptions
from pipeline.batch.frequency import collect_document_frequency
from pipeline.keywords.score import DocumentFrequency, background_frequency, extract_keywords
from pipeline.batch.local_engine import LocalEngine
from pipeline.summary.language import make_nlp
from pipeline.io.reading import Record

PLAIN = sorted((Path(__file__).parent / "data" / "plain_news").glob("*.txt"))
SHARED_WORD = "量子暗号通信"  # in every article of the dump below, nowhere in the background table


def _dump(tmp_path) -> Path:
    folder = tmp_path / "dump"
    folder.mkdir()
    for path in PLAIN:
        title, rest = path.read_text(encoding="utf-8").split("\n", 1)  # a body line, not the trailing boilerplate
        (folder / path.name).write_text(f"{title}\n関係者によると、{SHARED_WORD}の実験も進んでいる。\n{rest}",
                                        encoding="utf-8")
    (folder / "zz_broken.txt").write_bytes(b"\x81\xff\xfe\x00\x9f" * 20)
    return folder


def test_keywords_df_counts_each_readable_article_once_for_any_worker_count(tmp_path):
    dump = _dump(tmp_path)
    one, two = tmp_path / "one.tsv", tmp_path / "two.tsv"
    assert jnews("keywords-df", dump, "-o", one, "--workers", "1", "-q").returncode == 0
    assert jnews("keywords-df", dump, "-o", two, "--workers", "2", "-q").returncode == 0
    assert one.read_bytes() == two.read_bytes()
    table, background = DocumentFrequency.read(one), background_frequency()
    assert table.documents == background.documents + len(PLAIN)  # the undecodable file is not a document
    assert table.counts[SHARED_WORD] == len(PLAIN)
    assert table.counts["猛暑"] >= background.counts.get("猛暑", 0) + 1
    assert all(table.counts[key] >= count for key, count in background.counts.items())


def test_collect_in_process_equals_the_command(tmp_path):
    dump = _dump(tmp_path)
    records = [Record(id=p.stem, text=p.read_text(encoding="utf-8")) for p in sorted(dump.glob("*.txt"))[:-1]]
    with LocalEngine(1) as engine:
        table, failed = collect_document_frequency(records, RunOptions(), engine)
    assert failed == 0
    out = tmp_path / "cmd.tsv"
    jnews("keywords-df", dump, "-o", out, "-q")
    assert table.counts == DocumentFrequency.read(out).counts


def test_summarize_with_batch_frequencies(tmp_path):
    dump = _dump(tmp_path)
    table = tmp_path / "df.tsv"
    jnews("keywords-df", dump, "-o", table, "-q")
    default = jnews("summarize", dump, "-q", "--workers", "1")
    from_file = jnews("summarize", dump, "-q", "--workers", "2", "--keywords-df", table)
    batch = jnews("summarize", dump, "--workers", "2", "--keywords-df", "batch")
    assert batch.returncode == from_file.returncode == 1  # the broken file is an error line in every run
    assert "pass 1 of 2" in batch.stderr.decode()
    assert batch.stdout == from_file.stdout != default.stdout
    # a phrase every article of the batch has is common in this run: it scores lower than against
    # the background table alone, where it is unseen
    text = (dump / PLAIN[0].name).read_text(encoding="utf-8")
    nlp = make_nlp()
    article, doc = parse_article(text), nlp(text)
    score = lambda df: {k["text"]: k["score"] for k in extract_keywords(text, article, doc, top=100,  # noqa: E731
                                                                         document_frequency=df)}[SHARED_WORD]
    assert score(DocumentFrequency.read(table)) < score(background_frequency())
    # the same table through the Python API gives the same scores
    expected = extract_keywords(text, article, doc, document_frequency=DocumentFrequency.read(table))
    assert json.loads(batch.stdout.decode().splitlines()[0])["keywords"] == expected


@pytest.mark.parametrize("args,message", [
    (["-", "--keywords-df", "batch"], "reads the input twice"),
    (["{dump}", "--keywords-df", "{missing}"], "cannot read --keywords-df"),
    (["{dump}", "--keywords-df", "{bad}"], "not KEY<TAB>COUNT"),
])
def test_keywords_df_mistakes_are_one_clear_line(tmp_path, args, message):
    dump = _dump(tmp_path)
    bad = tmp_path / "bad.tsv"
    bad.write_text("just words\n", encoding="utf-8")
    args = [a.format(dump=dump, missing=tmp_path / "missing.tsv", bad=bad) for a in args]
    result = jnews("summarize", *args, stdin=b"")
    err = result.stderr.decode()
    assert result.returncode == 2 and message in err and "Traceback" not in err and err.count("\n") == 1


def test_keywords_df_of_nothing_readable_is_an_error(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"\x81\xff\xfe\x00\x9f" * 20)
    result = jnews("keywords-df", folder, "-o", tmp_path / "df.tsv")
    assert result.returncode == 2 and "no readable articles" in result.stderr.decode()
    assert not (tmp_path / "df.tsv").exists()


def test_the_pool_of_pass_one_is_replaced_for_pass_two():
    # workers build their pipeline for one set of options in the pool initializer: pass 2
    # must not run on pass 1's processes (each would build a second Tagger: +73 MB)
    with LocalEngine(2) as engine:
        engine.start(RunOptions(task="document_keys"))
        first = set(engine._pool._processes)
        engine.start(RunOptions(task="document_keys"))
        assert set(engine._pool._processes) == first  # same options: same processes
        engine.start(RunOptions())
        assert first.isdisjoint(engine._pool._processes)
