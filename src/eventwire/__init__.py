"""eventwire: sourced, queryable political events from raw news.

>>> import eventwire
>>> result = eventwire.extract("Russia and Belarus held joint military drills on Monday.")
>>> [(e.type, e.status) for e in result.events]  # doctest: +SKIP
[('COOPERATE', 'reported')]
"""

from __future__ import annotations

__version__ = "0.1.0"

# The stage package ``eventwire.extract`` is imported first, so that the name
# ``eventwire.extract`` is then bound, for good, to the API function below: Python
# sets a package attribute only when a submodule is first loaded.
import eventwire.extract as _extract_stage  # noqa: F401
from eventwire.api import extract, open
from eventwire.errors import (
    ConfigError,
    DataFileError,
    EventwireError,
    GoldFileError,
    InputRejected,
    StoreError,
)
from eventwire.model import Actor, Article, Event, EventDate, Place, Result, Sentence

__all__ = [
    "Actor",
    "Article",
    "ConfigError",
    "DataFileError",
    "Event",
    "EventDate",
    "EventwireError",
    "GoldFileError",
    "InputRejected",
    "Place",
    "Result",
    "Sentence",
    "StoreError",
    "__version__",
    "extract",
    "open",
]
