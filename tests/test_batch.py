"""Batch runs: a broken dump, workers 1 vs 2, progress, limits, a dying worker."""

import gzip
import io
import json
import os

import pytest

from conftest import SEED
from test_batch_corpus import article, jnews, write_dump

from pipeline.batch.partition import RunOptions, batches
from pipeline.batch.local_engine import LocalEngine
from pipeline.io.reading import Record, count_records, iter_records
from pipeline.batch.runner import run


def _kinds(out: bytes):
    lines = out.decode("utf-8").splitlines()
    return [json.loads(line).get("error", {}).get("kind") for line in lines], lines


def _japanese_text(size_bytes: int) -> str:
    """Plain Japanese news text of about size_bytes in UTF-8, many lines."""
    lines, total, n = [], 0, 0
    while total < size_bytes:
        line = f"第{n}段落では、政府が{n % 97}日に発表した経済対策について、専門家が「効果は限定的だ」と述べた。市場の反応も注目される。"
        lines.append(line)
        total += len(line.encode()) + 1
        n += 1
    return "\n".join(lines)


def test_broken_dump_one_line_per_record_with_kinds(tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "a_ok.txt").write_text(article(1), encoding="utf-8")
    (dump / "b_cp932.txt").write_bytes("公開日：２０２５／０２／０８\n石破首相は日米同盟の強化を確認した。".encode("cp932"))
    (dump / "c_bad_bytes.txt").write_bytes(b"\x81\xff\xfe\x00\x9f" * 50)
    (dump / "d_empty.txt").write_bytes(b"  \n")
    (dump / "e_huge.txt").write_text(_japanese_text(20 * 1024 * 1024), encoding="utf-8")  # over --max-chars
    lines = [json.dumps({"id": "j1", "text": article(2)}, ensure_ascii=False).encode(), b"{broken json",
             b'{"id": "j3", "text": "\xff\xfe\xfd"}', b'{"id": "j4", "text": ""}', b'["not", "an", "object"]']
    (dump / "f_records.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    whole = ("\n".join(json.dumps({"id": f"g{i}", "text": article(i)}, ensure_ascii=False) for i in range(300)) + "\n")
    data = gzip.compress(whole.encode())
    (dump / "g_cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    out = tmp_path / "out.jsonl"
    result = jnews("summarize", dump, "-o", out, "--workers", "2")
    kinds, lines = _kinds(out.read_bytes())
    ids = [json.loads(line)["id"] for line in lines]
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert ids[:11] == ["a_ok", "b_cp932", "c_bad_bytes", "d_empty", "e_huge", "j1", "f_records:2", "f_records:3", "j4",
                        "f_records:5", "g0"]
    assert kinds[:10] == [None, None, "decode_error", "empty_text", "too_large", None, "bad_json", "bad_json",
                          "empty_text", "bad_record"]
    assert kinds[-1] == "truncated_input" and all(k is None for k in kinds[10:-1]) and len(kinds) > 12
    huge = json.loads(lines[4])
    assert huge["source_path"].endswith("e_huge.txt") and "--max-chars" in huge["error"]["message"]
    summarized = kinds.count(None)
    assert f"{summarized} summarized, 8 errors (bad_json 2, bad_record 1, decode_error 1, empty_text 2, " \
           "too_large 1, truncated_input 1)" in err
    assert err.strip().splitlines()[-1].startswith(f"{summarized} summarized")
    # over --max-bytes, the file is not even read
    small = jnews("summarize", dump / "e_huge.txt", "--max-bytes", "1M", "-q")
    [line] = small.stdout.decode().splitlines()
    assert "--max-bytes" in json.loads(line)["error"]["message"] and small.returncode == 1 and small.stderr == b""


def test_a_long_article_is_tagged_in_pieces_and_max_chars_lifts_spacys_limit(tmp_path):
    from pipeline.batch.partition import Worker
    from pipeline.nlp.tokenizer import MAX_PIECE_CHARS

    assert Worker(RunOptions(max_chars=5_000_000))._pipeline().max_length > 5_000_000
    # plain news over two tagging pieces (a full 1M-character run takes minutes with every stage)
    text = "東京発 共同\n" + _japanese_text(3 * MAX_PIECE_CHARS + 6_000)
    assert len(text) > MAX_PIECE_CHARS
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    result = jnews("summarize", path, "-q")
    summary = json.loads(result.stdout)
    assert result.returncode == 0 and summary["stats"]["chars"] == len(text)


def test_workers_1_and_2_give_the_same_bytes(tmp_path):
    dump = tmp_path / "dump.jsonl"
    records = write_dump(dump, 90)
    one = jnews("summarize", dump, SEED, "--workers", "1", "-q")
    two = jnews("summarize", dump, SEED, "--workers", "2", "-q")
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    assert len(one.stdout.splitlines()) == records + 1


def test_batches_are_small_and_a_long_article_travels_alone():
    records = [Record(id=str(i), text="あ" * size) for i, size in enumerate([10] * 20 + [300_000] + [10] * 3)]
    sizes = [len(b) for b in batches(iter(records), RunOptions(), max_records=16, max_chars=200_000)]
    assert sizes == [16, 4, 1, 3] and sum(sizes) == len(records)


def test_max_chars_makes_too_large_before_a_worker_sees_it():
    options = RunOptions(max_chars=100)
    [batch] = batches(iter([Record(id="big", text="あ" * 101), Record(id="ok", text="あ" * 100)]), options)
    assert batch[0].error[0] == "too_large" and batch[0].text is None and batch[1].error is None


def test_reading_stays_lazy_and_rejects_huge_lines_without_holding_them(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_bytes(b'{"id":"a","text":"' + "あ".encode() * 400 + b'"}\n{"id":"b","text":"x"}\n')
    records = list(iter_records([str(path)], max_bytes=1000))
    assert [r.id for r in records] == ["d:1", "b"]
    assert records[0].error[0] == "too_large" and "1221 bytes" in records[0].error[1]
    big = tmp_path / "big.txt"
    big.write_bytes("い".encode() * 1000)
    [record] = iter_records([str(big)], max_bytes=2999)
    assert record.error[0] == "too_large"
    stream = iter_records([str(path), str(path)])
    assert next(stream).id == "a"  # a generator: nothing read ahead


def test_count_records_for_the_eta(tmp_path):
    write_dump(tmp_path / "d.jsonl", 10, broken=False)
    (tmp_path / "x.txt").write_text("本文", encoding="utf-8")
    assert count_records([str(tmp_path)]) == 11
    assert count_records([str(tmp_path / "d.jsonl"), str(SEED)]) == 11
    assert count_records(["-"]) is None


def test_progress_bar_only_on_a_terminal():
    from pipeline.batch.progress import Progress

    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty = Tty()
    progress = Progress(stream=tty, count=lambda: 10)
    progress.update(4, chars=4000, errors=1)
    progress.close()
    shown = tty.getvalue()
    assert "articles" in shown and "chars/s" in shown and "1 errors" in shown
    quiet = io.StringIO()
    progress = Progress(stream=quiet)
    progress.update(4, chars=4000)
    progress.close()
    assert quiet.getvalue() == ""


def test_quiet_run_prints_nothing_on_stderr(tmp_path):
    result = jnews("summarize", SEED, "-q", "--workers", "2")
    assert result.returncode == 0 and result.stderr == b"" and len(result.stdout.splitlines()) == 1


def _die_on_boom(self, records):
    if any(record.id == "boom" for record in records):
        os._exit(3)  # like a segfault or the OOM killer: no exception, the process is gone
    return _ORIGINAL_PROCESS(self, records)


_ORIGINAL_PROCESS = None


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="needs fork")
def test_a_dying_worker_costs_one_error_line_not_the_run(monkeypatch):
    global _ORIGINAL_PROCESS
    from pipeline.batch import partition as batch

    _ORIGINAL_PROCESS = batch.Worker.process
    monkeypatch.setattr(batch.Worker, "process", _die_on_boom)  # the forked workers inherit the patch
    records = [Record(id=f"r{i}", text=article(i)) for i in range(30)]
    records[12] = Record(id="boom", text="この記事で落ちる。")
    written: list[str] = []
    with LocalEngine(2) as engine:
        engine.start(RunOptions())
        stats = run(iter(records), RunOptions(), engine, written.append)
    ids = [json.loads(line)["id"] for line in written]
    assert ids == [r.id for r in records]
    assert stats.errors == {"worker_died": 1} and stats.summarized == 29
    assert json.loads(written[12])["error"]["kind"] == "worker_died"


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_progress_bar_in_a_real_terminal(tmp_path):
    import subprocess
    import sys

    dump = tmp_path / "dump.jsonl"
    records = write_dump(dump, 30)
    master, slave = os.openpty()
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "summarize", str(dump), "-o", str(tmp_path / "o.jsonl"),
                                "--workers", "1"], stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert process.wait() == 1
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "articles" in shown and "chars/s" in shown and f"{records}/{records}" in shown
    assert shown.strip().splitlines()[-1].strip() == "30 summarized, 3 errors (bad_json 2, empty_text 1)"


def test_recycled_worker_processes_give_the_same_lines():
    records = [Record(id=f"r{i}", text=article(i)) for i in range(40)]
    with LocalEngine(2, recycle_after=5) as engine:
        recycled = [line.text for lines in engine.map_batches(batches(iter(records), RunOptions(), max_records=3),
                                                               RunOptions()) for line in lines]
        assert engine.recycled >= 3
    with LocalEngine(1) as engine:
        single = [line.text for lines in engine.map_batches(batches(iter(records), RunOptions()), RunOptions())
                  for line in lines]
    assert recycled == single and len(single) == 40


def test_only_a_batch_worker_freezes_the_gc_and_its_lines_do_not_change():
    import gc

    from pipeline.batch.partition import GC_FREEZE_EVERY, Worker

    records = [Record(id=str(i), text=article(i)) for i in range(3)]
    gc.unfreeze()
    try:
        plain = [Worker(RunOptions()).line(r).text for r in records]
        assert gc.get_freeze_count() == 0  # a library caller's process is left alone
        worker = Worker(RunOptions(), freeze_gc=True)
        frozen = [worker.line(r).text for r in records]
        assert gc.get_freeze_count() > 0 and worker._frozen_at == 1 < GC_FREEZE_EVERY
        assert frozen == plain
    finally:
        gc.unfreeze()
