"""The exceptions eventwire raises, as one tree.

Catch ``EventwireError`` to handle anything eventwire reports on purpose. Every
message names the input or setting at fault and, where there is one, what to do.
"""

from __future__ import annotations


class EventwireError(Exception):
    """Base of every error eventwire raises on purpose."""


class InputRejected(EventwireError):
    """One input cannot be read or processed; the run goes on with the next one."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ConfigError(EventwireError):
    """A setting, option or user data file is invalid."""


class DataFileError(EventwireError):
    """A packaged or user-supplied data file (lexicon, knowledge base) is malformed."""


class StoreError(EventwireError):
    """The database cannot be opened, migrated or written."""


class GoldFileError(EventwireError):
    """A gold file cannot be read or does not follow eventwire-gold/1."""
