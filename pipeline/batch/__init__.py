"""Batch runs: the per-partition function every engine runs, the local and Dask engines,
deadlines per record, progress, and batch document frequencies."""

from .partition import RunOptions, process_batch
from .runner import make_engine, run_lines

__all__ = ["RunOptions", "make_engine", "process_batch", "run_lines"]
