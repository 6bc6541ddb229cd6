"""With --engine dask the workers read their own partitions: the client ships no records, and the
lines are byte for byte the local engine's, resumed or not, with or without a deadline."""

import json

import pytest

from conftest import SEED
from test_batch_corpus import article, jnews, write_dump
from test_partitions import _mixed_dump
from test_timeout import _prose

distributed = pytest.importorskip("distributed")

from pipeline.batch.dask_engine import DaskEngine  # noqa: E402
from pipeline.batch.inputs import Inputs  # noqa: E402
from pipeline.batch.local_engine import LocalEngine  # noqa: E402
from pipeline.batch.partition import RunOptions  # noqa: E402
from pipeline.io.partitions import ReadOptions  # noqa: E402

pytestmark = pytest.mark.slow


def _lines(paths, engine, options=RunOptions(), reading=ReadOptions(), skip=0):
    with engine:
        return [line for lines in Inputs(paths, reading, engine).lines(options, skip=skip) for line in lines]


def _no_shipping(monkeypatch):
    """The client must not send records: the only way to is map_batches (records in batches)."""
    def shipped(*args, **kwargs):
        raise AssertionError("the client shipped records")

    monkeypatch.setattr(DaskEngine, "map_batches", shipped)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c.scheduler_address


@pytest.mark.parametrize("record_timeout", [None, 120.0])
def test_workers_read_a_mixed_dump_and_give_the_local_lines(tmp_path, monkeypatch, cluster, record_timeout):
    _mixed_dump(tmp_path / "dump")
    write_dump(tmp_path / "dump" / "news.jsonl", 30)
    reading = ReadOptions(max_bytes=300 * 1024)
    local = _lines([str(tmp_path / "dump")], LocalEngine(1), reading=reading)
    assert len(local) > 130 and {line.error for line in local} > {None, "bad_json", "bad_parquet"}
    _no_shipping(monkeypatch)
    engine = DaskEngine(scheduler=cluster, record_timeout=record_timeout, partition_bytes=2000)
    assert [line.text for line in _lines([str(tmp_path / "dump")], engine, reading=reading)] == [
        line.text for line in local]
    for skip in (1, 37, len(local) - 1, len(local)):  # a resumed run: the records after the first skip
        engine = DaskEngine(scheduler=cluster, record_timeout=record_timeout, partition_bytes=2000)
        assert _lines([str(tmp_path / "dump")], engine, reading=reading, skip=skip) == local[skip:]


def test_stdin_is_still_read_by_the_client(tmp_path):
    dump = tmp_path / "dump.jsonl"
    records = write_dump(dump, 12)
    local = jnews("summarize", "-", "--workers", "1", "-q", stdin=dump.read_bytes())
    dask = jnews("summarize", "-", "--engine", "dask", "--workers", "2", "-q", stdin=dump.read_bytes())
    assert dask.stdout == local.stdout and len(local.stdout.splitlines()) == records


def test_a_stuck_batch_of_a_partition_costs_only_its_own_records(tmp_path, cluster):
    """A batch of two live records runs past 2 x the deadline inside a worker's partition: the
    partition's records come back to the client, the stuck batch's records run alone, and only
    the slow one is a timeout line; the others are the lines of a run without a deadline.
    The slow record must outlast the batch's budget (2 x 0.3 s) plus the window's 1 s of grace
    on a fast machine too: 600,000 characters take about 3 s there (190,000 took 1.4 s, in time)."""
    records = [{"id": "a", "text": article(1)}, {"id": "slow", "text": _prose(600_000)},
               {"id": "b", "text": article(2)}, {"id": "c", "text": article(3)}]
    dump = tmp_path / "dump.jsonl"
    dump.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    expected = _lines([str(dump)], LocalEngine(1))
    engine = DaskEngine(scheduler=cluster, record_timeout=0.3)
    got = _lines([str(dump)], engine)
    assert [line.error for line in got] == [None, "timeout", None, None]
    assert [got[0], *got[2:]] == [expected[0], *expected[2:]]
    assert engine.restarted  # the worker running the stuck batch was replaced


def test_cli_dask_run_and_resume_equal_the_local_run(tmp_path):
    dump = tmp_path / "dump.jsonl"
    records = write_dump(dump, 40)
    local = jnews("summarize", dump, SEED, "--workers", "1", "-q")
    assert len(local.stdout.splitlines()) == records + 1
    out = tmp_path / "out.jsonl"
    from pipeline.cli.main import build_parser, run_fingerprint

    fingerprint = run_fingerprint(build_parser().parse_args(["summarize", str(dump), str(SEED), "-o", str(out)]))
    (tmp_path / "out.jsonl.partial").write_bytes(b"".join(local.stdout.splitlines(keepends=True)[:23]))
    (tmp_path / "out.jsonl.partial.run.json").write_text(json.dumps(fingerprint))
    resumed = jnews("summarize", dump, SEED, "-o", out, "--resume", "--engine", "dask", "--workers", "2",
                    "--partition-size", "3k")
    assert resumed.returncode == 1, resumed.stderr.decode()[-2000:]
    assert out.read_bytes() == local.stdout
    assert "23 of them kept from the interrupted run" in resumed.stderr.decode()
