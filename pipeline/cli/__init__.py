"""The ``jnews`` command: one module per subcommand; they only parse arguments and wire stages."""

from .main import main

__all__ = ["main"]
