"""Parquet inputs with --text-column / --id-column, and summarize_table for DataFrame and Arrow
engines (issue 20)."""

from __future__ import annotations

import datetime as dt
import json
import pickle

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pipeline
from conftest import ROOT
from pipeline.io.reading import decode_bytes
from test_batch_corpus import jnews

ARTICLES = sorted(ROOT.glob("corpora/*/articles/*.txt"))[:4] + sorted((ROOT / "tests/data/plain_news").glob("*.txt"))[:3]


def _frame() -> pd.DataFrame:
    texts = [decode_bytes(p.read_bytes())[0] for p in ARTICLES]
    n = len(texts)
    return pd.DataFrame({
        "article_id": [f"a{i}" for i in range(n)] + ["empty", None],
        "body": texts + ["   ", "題名\n本文の一文です。"],
        "published": [dt.date(2025, 3, 1 + i) for i in range(n)] + [None, None],
        "site": ["news"] * (n + 2),
        "score": [float(i) for i in range(n + 2)],
    })


def _jsonl_of(frame: pd.DataFrame) -> str:
    rows = frame.to_dict("records")
    out = []
    for row in rows:
        row = {k: (v.isoformat() if isinstance(v, dt.date) else None if isinstance(v, float) and v != v else v)
               for k, v in row.items()}
        out.append(json.dumps(row, ensure_ascii=False))
    return "\n".join(out) + "\n"


def _without_source(lines: str) -> list[dict]:
    return [{k: v for k, v in json.loads(line).items() if k != "source_path"} for line in lines.splitlines()]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("parquet")
    frame = _frame()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, tmp / "dump.parquet", row_group_size=3)  # several row groups
    (tmp / "dump.jsonl").write_text(_jsonl_of(frame), encoding="utf-8")
    return tmp


def test_parquet_gives_the_lines_of_the_same_jsonl_records(files):
    runs = {}
    for name in ("dump.parquet", "dump.jsonl"):
        result = jnews("summarize", files / name, "--text-column", "body", "--id-column", "article_id", "-q")
        assert result.returncode == 1, result.stderr.decode()  # 1: the empty article is an error line
        runs[name] = _without_source(result.stdout.decode())
    assert runs["dump.parquet"] == runs["dump.jsonl"]
    lines = runs["dump.parquet"]
    assert [line["id"] for line in lines] == [f"a{i}" for i in range(len(ARTICLES))] + ["empty", "dump:9"]
    assert lines[0]["meta"] == {"published": "2025-03-01", "site": "news", "score": 0.0}
    assert lines[len(ARTICLES)]["error"]["kind"] == "empty_text"


def test_a_parquet_file_in_a_directory_is_read(files, tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "dump.parquet").write_bytes((files / "dump.parquet").read_bytes())
    result = jnews("summarize", folder, "--text-column", "body", "--id-column", "article_id", "-q")
    assert len(result.stdout.decode().splitlines()) == len(ARTICLES) + 2


def test_a_file_that_is_not_parquet_is_one_error_line(tmp_path):
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 not really")
    result = jnews("summarize", bad, "-q")
    [line] = [json.loads(x) for x in result.stdout.decode().splitlines()]
    assert result.returncode == 1 and line["error"]["kind"] == "bad_parquet" and line["id"] == "bad:1"


def test_a_missing_text_column_stops_before_any_output(files):
    result = jnews("summarize", files / "dump.parquet", "-q")
    assert result.returncode == 2 and result.stdout == b""
    message = result.stderr.decode()
    assert "no column 'text'" in message and "body" in message and "--text-column" in message
    assert "Traceback" not in message


# -- summarize_table -------------------------------------------------------------------------

def test_summarize_table_matches_the_command_line(files):
    frame = _frame()
    out = pipeline.summarize_table(frame, text="body", id="article_id")
    assert list(out.columns) == [*frame.columns, "summary"] and len(out) == len(frame)
    assert "summary" not in frame.columns  # the input is left as it was
    cli = jnews("summarize", files / "dump.jsonl", "--text-column", "body", "--id-column", "article_id", "-q")
    expected = _without_source(cli.stdout.decode())
    got = [{k: v for k, v in json.loads(line).items() if k != "source_path"} for line in out["summary"]]
    expected[-1]["id"] = "row:9"  # a row without id: its row number (the JSONL line's is dump:9)
    assert got == expected


def test_summarize_table_keeps_the_arrow_type():
    frame = _frame().head(3)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    out = pipeline.summarize_table(table, text="body", id="article_id")
    assert isinstance(out, pa.Table) and out.column_names[-1] == "summary"
    batch = pipeline.summarize_table(table.to_batches()[0], text="body", id="article_id")
    assert isinstance(batch, pa.RecordBatch)
    assert batch.column("summary").to_pylist() == out["summary"].to_pylist()
    assert out["summary"].to_pylist() == list(pipeline.summarize_table(frame, text="body", id="article_id")["summary"])


def test_summarize_table_is_picklable_and_checks_its_arguments():
    assert pickle.loads(pickle.dumps(pipeline.summarize_table)) is pipeline.summarize_table
    frame = _frame().head(2)
    with pytest.raises(ValueError, match="no column 'text'"):
        pipeline.summarize_table(frame)
    with pytest.raises(TypeError, match="unknown option"):
        pipeline.summarize_table(frame, text="body", workers=2)
    with pytest.raises(ValueError, match="already has a 'summary'"):
        pipeline.summarize_table(frame.assign(summary=1), text="body")
    with pytest.raises(TypeError, match="pyarrow Table"):
        pipeline.summarize_table([{"text": "x"}])
    plain = _frame().iloc[[len(ARTICLES) - 1]]  # a plain-news article: its key points are extracted
    summary = json.loads(pipeline.summarize_table(plain, text="body", key_points=1, keywords=0)["summary"].iloc[0])
    assert summary["keywords"] == [] and len(summary["key_points"]) == 1


def test_dask_dataframe_map_partitions_recipe():
    dd = pytest.importorskip("dask.dataframe")
    frame = _frame()
    frame["article_id"] = [f"r{i}" for i in range(len(frame))]  # row:N would count within each partition
    ddf = dd.from_pandas(frame, npartitions=3)
    meta = frame.head(0).assign(summary=pd.Series(dtype=object))
    out = ddf.map_partitions(pipeline.summarize_table, text="body", id="article_id", meta=meta).compute(
        scheduler="threads")
    local = pipeline.summarize_table(frame, text="body", id="article_id")
    assert list(out["summary"]) == list(local["summary"])


def _datasets_summaries(batch: dict) -> dict:
    """The README's recipe for datasets.Dataset.map(batched=True): a dict of columns in and out."""
    table = pipeline.summarize_table(pa.table(dict(batch)), text="body", id="article_id")
    return {"summary": table["summary"].to_pylist()}


def test_datasets_map_recipe(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")  # before the import, which reads them
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    datasets = pytest.importorskip("datasets")
    frame = _frame().head(4)
    frame["published"] = frame["published"].astype(str)
    dataset = datasets.Dataset.from_pandas(frame, preserve_index=False)
    out = dataset.map(_datasets_summaries, batched=True, batch_size=2, num_proc=2)
    expected = pipeline.summarize_table(pa.Table.from_pandas(frame, preserve_index=False), text="body", id="article_id")
    assert out["summary"] == expected["summary"].to_pylist()


# -- URLs through fsspec ---------------------------------------------------------------------

def test_urls_are_read_as_the_same_local_files(files, tmp_path):
    fsspec = pytest.importorskip("fsspec")
    import gzip

    from pipeline.io.reading import Columns, InputError, iter_records

    memory = fsspec.filesystem("memory")
    jsonl = (files / "dump.jsonl").read_bytes()
    memory.pipe("/jnews-test/dump.jsonl", jsonl)
    memory.pipe("/jnews-test/dump.jsonl.gz", gzip.compress(jsonl))
    memory.pipe("/jnews-test/dump.parquet", (files / "dump.parquet").read_bytes())
    memory.pipe("/jnews-test/article.txt", "題名\n本文です。".encode("cp932"))
    (tmp_path / "article.txt").write_bytes("題名\n本文です。".encode("cp932"))
    columns = Columns(text="body", id="article_id")

    def records(paths):
        return [{k: v for k, v in vars(r).items() if k != "source_path"} for r in iter_records(paths, columns=columns)]

    local = records([str(files / "dump.jsonl")])
    assert records(["memory://jnews-test/dump.jsonl"]) == local
    assert records(["memory://jnews-test/dump.jsonl.gz"]) == local
    assert records(["memory://jnews-test/dump.parquet"]) == records([str(files / "dump.parquet")])
    assert records(["memory://jnews-test/article.txt"]) == records([str(tmp_path / "article.txt")])
    [first] = list(iter_records(["memory://jnews-test/article.txt"]))
    assert first.source_path == "memory://jnews-test/article.txt" and first.encoding == "cp932"
    with pytest.raises(InputError, match="no such file"):
        list(iter_records(["memory://jnews-test/missing.jsonl"]))
    with pytest.raises(InputError, match="not a folder"):
        list(iter_records(["memory://jnews-test"]))
    with pytest.raises(InputError, match="no column 'text'"):
        list(iter_records(["memory://jnews-test/dump.parquet"]))
    with pytest.raises(InputError, match="nosuchscheme"):
        list(iter_records(["nosuchscheme://x/y.jsonl"]))
    memory.rm("/jnews-test", recursive=True)
