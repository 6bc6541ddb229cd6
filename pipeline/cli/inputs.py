"""Engine and inputs from a command's arguments (``summarize``, ``keywords-df``)."""

from __future__ import annotations

from ..errors import UserError
from .parsing import input_columns

__all__ = ["engine_of", "inputs_of", "reading_errors"]


def engine_of(args):
    """The engine the command's options ask for (not started)."""
    from ..batch.runner import make_engine

    return make_engine(args.engine, args.workers, args.scheduler,
                       recycle_after=getattr(args, "recycle_after", None) if args.engine == "local" else None,
                       record_timeout=getattr(args, "record_timeout", None), partition_bytes=args.partition_size)


def inputs_of(args, engine):
    """The command's ``Inputs``, checked: a missing path, a Parquet file without the text
    column or an input with no records at all is a usage error, reported before any output."""
    from ..batch.inputs import Inputs
    from ..io.partitions import ReadOptions
    from ..io.reading import InputError

    reading = ReadOptions(max_bytes=args.max_bytes, max_decompressed=args.max_decompressed,
                          columns=input_columns(args))
    try:
        inputs = Inputs(args.paths, reading, engine)
    except InputError as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"cannot read input: {error}") from None
    if inputs.empty:
        raise UserError("no input records found (directories are searched for *.txt and *.jsonl[.gz])")
    return inputs


def reading_errors(batches_of_lines):
    """The lines, with a file that cannot be read midway (workers reading their partitions
    open the files again) reported as a usage error."""
    try:
        yield from batches_of_lines
    except OSError as error:
        raise UserError(f"cannot read input: {error}") from None
