"""Partitions that a worker reads by itself give exactly the records ``iter_records`` reads:
same ids, texts, errors and source paths, for any partition size and any resume point."""

import gzip
import json
import os
import random

import pytest

from pipeline.batch.dask_reading import windows
from pipeline.io.partitions import (JsonlRange, ParquetRows, ReadOptions, TextFiles, WholeFile, Window, count,
                                    numbered, plan_partitions, read_window)
from pipeline.io.reading import InputError, iter_records
from pipeline.io.record import Columns


def _key(record):
    return record.id, record.text, record.error, record.source_path, record.meta, record.published


def _expected(paths, reading):
    return [_key(r) for r in iter_records(paths, max_bytes=reading.max_bytes, max_decompressed=reading.max_decompressed,
                                          columns=reading.columns)]


def _partitioned(paths, reading, target):
    parts = [count(p, reading) for p in plan_partitions(paths, reading, target)]
    return parts, [_key(r) for p in numbered(parts) for r in read_window(Window(p), reading)]


def _jsonl_lines(seed: int, n: int = 120) -> bytes:
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        r = rng.random()
        if r < 0.1:
            lines.append(b"")
        elif r < 0.15:
            lines.append(b"  \t")
        elif r < 0.2:
            lines.append(b"{not json")
        elif r < 0.25:
            lines.append(json.dumps({"text": "長" * 200}, ensure_ascii=False).encode())  # over --max-bytes 300
        elif r < 0.3:
            lines.append(b'["an array"]')
        else:
            obj = {"text": "記事の本文。" * rng.randint(1, 20), "published": "2025-03-07", "section": i % 3}
            if r < 0.6:
                obj["id"] = f"i{i}"
            lines.append(json.dumps(obj, ensure_ascii=False).encode())
    return b"\n".join(lines) + (b"\n" if seed % 2 else b"")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_byte_ranges_of_a_jsonl_dump_read_its_records_whatever_the_size(tmp_path, seed):
    path = tmp_path / "dump.jsonl"
    path.write_bytes(_jsonl_lines(seed))
    reading = ReadOptions(max_bytes=300)
    expected = _expected([str(path)], reading)
    for target in (1, 2, 5, 17, 64, 333, 4096, 10 ** 7):
        parts, got = _partitioned([str(path)], reading, target)
        assert all(isinstance(p, JsonlRange) for p in parts)
        assert len(parts) == max(1, -(-path.stat().st_size // target))
        assert got == expected, target
        assert sum(p.records for p in parts) == len(expected)


def _parquet(path, rows: int, group_rows: int, text: str = "body", key: str = "key"):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({text: [f"本文{i}。" * (1 + i % 7) for i in range(rows)],
                      key: [None if i % 5 == 0 else f"k{i}" for i in range(rows)],
                      "published": ["2025-03-07"] * rows})
    pq.write_table(table, path, row_group_size=group_rows)


def test_slices_of_parquet_row_groups_read_its_rows(tmp_path):
    path = tmp_path / "table.parquet"
    _parquet(path, 1000, 300)  # row groups of 300, 300, 300, 100; batches of 256 inside them
    reading = ReadOptions(columns=Columns(text="body", id="key"))
    expected = _expected([str(path)], reading)
    assert len(expected) == 1000 and expected[0][0] == "table:1" and expected[1][0] == "k1"
    for target in (1, 500, 3000, 10 ** 7):
        parts, got = _partitioned([str(path)], reading, target)
        assert all(isinstance(p, ParquetRows) for p in parts)
        assert len(parts) >= 4
        assert got == expected, target


def _mixed_dump(root):
    """A directory as dumps come: text and HTML files, JSONL plain and compressed, Parquet."""
    (root / "a").mkdir(parents=True)
    for i in range(7):
        (root / "a" / f"{i:02d}.txt").write_text(f"見出し{i}\n本文です。" * (i + 1), encoding="utf-8")
    (root / "a" / "page.html").write_text("<html><body><p>ページの本文。</p></body></html>", encoding="utf-8")
    (root / "a" / "empty.txt").write_bytes(b"")
    (root / "b.jsonl").write_bytes(_jsonl_lines(4, 40))
    with gzip.open(root / "c.jsonl.gz", "wb") as f:
        f.write(_jsonl_lines(5, 30))
    _parquet(root / "d.parquet", 50, 20, "text", "id")
    (root / "e.txt").write_text("最後の記事。", encoding="utf-8")
    (root / "f.parquet").write_bytes(b"not parquet at all")


def test_a_mixed_directory_reads_the_same_records(tmp_path):
    _mixed_dump(tmp_path / "dump")
    reading = ReadOptions(max_bytes=300)
    expected = _expected([str(tmp_path / "dump")], reading)
    kinds = {error[0] for _, _, error, *_ in expected if error}
    assert {"bad_json", "too_large", "empty_text", "bad_parquet"} <= kinds
    for target in (1, 40, 200, 10 ** 7):
        parts, got = _partitioned([str(tmp_path / "dump")], reading, target)
        assert {type(p) for p in parts} == {TextFiles, JsonlRange, ParquetRows, WholeFile}
        assert got == expected, target


def test_paths_are_checked_when_planned(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        next(plan_partitions([str(tmp_path / "missing.jsonl")]))
    _parquet(tmp_path / "t.parquet", 3, 3, "body")
    with pytest.raises(InputError, match="no column 'text'"):
        next(plan_partitions([str(tmp_path / "t.parquet")]))


def test_local_paths_travel_absolute_and_keep_the_path_typed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dump.jsonl").write_text('{"text": "本文。"}\n', encoding="utf-8")
    [part] = plan_partitions(["dump.jsonl"])
    assert os.path.isabs(part.location) and part.shown == "dump.jsonl"
    monkeypatch.chdir("/")
    [record] = read_window(Window(count(part, ReadOptions())), ReadOptions())
    assert (record.id, record.source_path) == ("dump:1", "dump.jsonl")


class _Done:
    """A finished future: the feed's ``submit`` run at once, in this process."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value

    def release(self):
        pass


def test_a_resumed_feed_skips_the_records_written_whatever_the_cut(tmp_path):
    _mixed_dump(tmp_path / "dump")
    reading = ReadOptions(max_bytes=300)
    paths = [str(tmp_path / "dump")]
    expected = _expected(paths, reading)
    submitted = []

    def submit(function, *args):
        submitted.append(type(args[0]).__name__)
        return _Done(function(*args))

    for skip in range(len(expected) + 1):
        for target in (60, 10 ** 7):
            feed = windows(submit, plan_partitions(paths, reading, target), reading, skip=skip, ahead=3)
            got = [_key(r) for window in feed for r in read_window(window, reading)]
            assert got == expected[skip:], (skip, target)
    submitted.clear()
    list(windows(submit, plan_partitions(paths, reading, 60), reading))
    assert set(submitted) == {"JsonlRange"}  # without a resume, only ranges are counted


def test_a_damaged_row_group_is_one_error_record_per_row_for_every_reader(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"text": [f"本文{i}。" * 5 for i in range(900)], "id": [f"k{i}" for i in range(900)]}),
                   path, row_group_size=300, compression="none")
    offset = pq.ParquetFile(path).metadata.row_group(1).column(0).data_page_offset
    data = bytearray(path.read_bytes())
    data[offset:offset + 40] = b"\xff" * 40  # the page header of the second row group's text
    path.write_bytes(data)
    reading = ReadOptions()
    expected = _expected([str(path)], reading)
    assert len(expected) == 900  # every row is a record: nothing lost
    assert [e[0] for e in expected[299:302]] == ["k299", "bad:301", "bad:302"]
    assert all(e[2][0] == "truncated_input" and "row group 1" in e[2][1] for e in expected[300:600])
    assert all(e[2] is None for e in expected[:300] + expected[600:])
    for target in (1, 2000, 10 ** 7):
        assert _partitioned([str(path)], reading, target)[1] == expected


def test_a_small_dump_is_still_cut_for_every_thread_of_the_cluster(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_bytes(b"".join(_jsonl_lines(seed) + b"\n" for seed in range(1, 40)))
    size = path.stat().st_size
    assert size > 8 * 16 * 1024
    assert len(list(plan_partitions([str(path)]))) == 1  # one partition of the default 1 MB
    assert len(list(plan_partitions([str(path)], spread=8))) == 8
    from pipeline.io.partitions import MIN_PARTITION_BYTES

    assert len(list(plan_partitions([str(path)], spread=10 ** 6))) == -(-size // MIN_PARTITION_BYTES)
    _parquet(tmp_path / "t.parquet", 20_000, 20_000)  # one row group, as pandas writes a small table
    assert len(list(plan_partitions([str(tmp_path / "t.parquet")], ReadOptions(columns=Columns("body")), spread=6))) >= 6
