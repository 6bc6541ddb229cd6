"""summarize_batch: articles go through nlp.pipe stage by stage in groups and get exactly
summarize_record's dicts."""

from pathlib import Path

import pytest

from conftest import SEED
from test_batch_corpus import article

from pipeline import make_nlp
from pipeline.io.reading import Record
from pipeline.summary.summarize import GROUP_CHARS, GROUP_RECORDS, record_groups, summarize_batch, summarize_record

PLAIN = sorted((Path(__file__).parent / "data" / "plain_news").glob("*.txt"))


@pytest.fixture(scope="module")
def nlp():
    return make_nlp()


def _records() -> list[Record]:
    records = [Record(id=f"a{i}", text=article(i), published="2025-03-01") for i in range(GROUP_RECORDS + 3)]
    records += [Record(id=p.stem, text=p.read_text(encoding="utf-8")) for p in PLAIN]
    records.insert(3, Record(id="seed", text=Path(SEED).read_text(encoding="utf-8"), meta={"site": "x"}))
    records.insert(5, Record(id="unreadable", text=None, error=("bad_encoding", "not text")))
    records.insert(9, Record(id="empty", text=""))
    # a record date that is not a date: summarize_record turns it into an internal_error line
    records.insert(12, Record(id="bad-date", text="石破首相は会談した。", published="2025-13-45"))
    records.append(Record(id="long", text="。".join([article(7)] * (GROUP_CHARS // len(article(7)) + 2))))
    return records


def test_the_same_dicts_as_one_record_at_a_time(nlp):
    records = _records()
    one_by_one = [summarize_record(r, nlp, reference_date="2025-06-01") for r in records]
    grouped = summarize_batch(records, nlp, reference_date="2025-06-01")
    assert [s["id"] for s in grouped] == [r.id for r in records]
    assert grouped == one_by_one
    kinds = {s["id"]: s.get("error", {}).get("kind") for s in grouped}
    assert kinds["unreadable"] == "bad_encoding" and kinds["bad-date"] == "internal_error"
    assert kinds["seed"] is None and kinds["long"] is None and grouped[3]["meta"] == {"site": "x"}
    assert all(s["keywords"] for s in grouped if s["id"].startswith("a"))


def test_each_stage_runs_over_a_whole_group_before_the_next(nlp, monkeypatch):
    log = []
    for name in ("jnews_layout", "jnews_keywords"):
        stage = type(nlp.get_pipe(name))
        real = stage.process

        def logged(self, doc, _real=real, _name=name):
            log.append((_name, doc._.record["id"]))
            return _real(self, doc)

        monkeypatch.setattr(stage, "process", logged)
    records = [Record(id=f"a{i}", text=article(i)) for i in range(GROUP_RECORDS + 2)]
    summarize_batch(records, nlp)
    ids = [r.id for r in records]
    first, second = ids[:GROUP_RECORDS], ids[GROUP_RECORDS:]
    assert log == ([("jnews_layout", i) for i in first] + [("jnews_keywords", i) for i in first]
                   + [("jnews_layout", i) for i in second] + [("jnews_keywords", i) for i in second])


def test_groups_are_bounded_by_records_and_characters():
    small = [Record(id=str(i), text="あ" * 100) for i in range(2 * GROUP_RECORDS + 1)]
    assert [len(g) for g in record_groups(small)] == [GROUP_RECORDS, GROUP_RECORDS, 1]
    big = [Record(id="1", text="あ" * (GROUP_CHARS - 10)), Record(id="2", text="あ" * 20),
           Record(id="3", text="あ" * (3 * GROUP_CHARS)), Record(id="4", text="い"), Record(id="5", text=None, error=("e", "m"))]
    # a group closes once it reaches the cap: the article that crosses it is its last
    assert [[r.id for r in g] for g in record_groups(big)] == [["1", "2"], ["3"], ["4", "5"]]
    assert list(record_groups([])) == []


def test_document_keys_lines_by_group_equal_one_at_a_time(monkeypatch):
    from pipeline.keywords import score as keywords
    from pipeline.batch.partition import RunOptions, Worker

    records = lambda: _records()[:GROUP_RECORDS + 4]  # noqa: E731  (keys_line marks failed records)
    worker = Worker(RunOptions(task="document_keys"))
    grouped = worker.process(records())
    assert grouped == [worker.keys_line(record) for record in records()]
    assert sum(line.error is None for line in grouped) == len(grouped) - 1  # the unreadable record

    original = keywords.document_keys

    def failing(text, article, doc, cache=None):
        if "石破首相は会談した。" == text:
            raise RuntimeError("boom")
        return original(text, article, doc, cache)

    monkeypatch.setattr(keywords, "document_keys", failing)
    again = worker.process(records())
    bad = [r.id for r in records()].index("bad-date")
    assert again[bad].error == "internal_error" and "RuntimeError: boom" in again[bad].text
    assert again[:bad] + again[bad + 1:] == grouped[:bad] + grouped[bad + 1:]


def test_summarize_records_in_groups_one_per_record_in_order(nlp):
    from pipeline.batch.runner import summarize_records

    records = [Record(id=f"a{i}", text=article(i)) for i in range(GROUP_RECORDS + 1)]
    records.insert(2, Record(id="unreadable", text=None, error=("bad_encoding", "not text")))
    made = summarize_records(iter(records), reference_date="2025-06-01")
    first = next(made)  # an iterator: the first group is made before the rest is read
    rest = list(made)
    assert [s["id"] for s in [first, *rest]] == [r.id for r in records]
    assert rest[1]["error"]["kind"] == "bad_encoding"
    assert first == summarize_record(records[0], nlp, reference_date="2025-06-01")
