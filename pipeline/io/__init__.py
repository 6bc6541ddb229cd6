"""Inputs and outputs: bytes and paths to records (reading), summaries to JSON lines and
sinks (output), a run as Parquet / pandas tables (tables)."""

from .output import dumps_summary
from .reading import InputError, Record, decode_bytes, iter_records

__all__ = ["InputError", "Record", "decode_bytes", "dumps_summary", "iter_records"]
