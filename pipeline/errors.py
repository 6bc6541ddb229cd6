"""The errors a user can act on, in one place: raised anywhere below the CLI, printed by it as
one line (no traceback)."""

from __future__ import annotations

__all__ = ["UserError", "UserInterrupt"]


class UserError(Exception):
    """A mistake the user can fix; printed as one line, no traceback, exit status 2."""


class UserInterrupt(Exception):
    """Ctrl-C: one line on stderr, exit status 130."""
