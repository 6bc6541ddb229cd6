"""The Dask engine runs the same per-partition function: same bytes as the local engine."""

import pytest

from conftest import SEED
from test_batch_corpus import jnews, write_dump

distributed = pytest.importorskip("distributed")


@pytest.mark.slow
def test_dask_local_cluster_equals_local_engine(tmp_path):
    dump = tmp_path / "dump.jsonl"
    records = write_dump(dump, 60)
    local = jnews("summarize", dump, SEED, "--workers", "1", "-q")
    assert local.returncode == 1 and len(local.stdout.splitlines()) == records + 1

    # a LocalCluster started by jnews itself (no --scheduler): 2 worker processes
    own = jnews("summarize", dump, SEED, "--engine", "dask", "--workers", "2")
    assert own.stdout == local.stdout and own.returncode == 1
    assert own.stderr.decode().strip().splitlines()[-1].startswith(f"{records + 1 - 5} summarized, 5 errors")

    # an existing cluster of 2 worker processes, reached by its address
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = jnews("summarize", dump, SEED, "--engine", "dask", "--scheduler", cluster.scheduler_address, "-q")
        assert len(cluster.workers) == 2
    assert remote.stdout == local.stdout and remote.returncode == 1


def test_scheduler_needs_the_dask_engine():
    result = jnews("summarize", SEED, "--scheduler", "tcp://127.0.0.1:8786")
    assert result.returncode == 2 and "--engine dask" in result.stderr.decode()
