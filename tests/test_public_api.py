"""The public API is explicit: ``eventwire.__all__`` lists exactly what is exported."""

from __future__ import annotations

import eventwire


def test_all_names_exist() -> None:
    missing = [name for name in eventwire.__all__ if not hasattr(eventwire, name)]
    assert not missing


def test_no_unlisted_public_names() -> None:
    # Submodules become attributes once imported; ``annotations`` is the __future__ import.
    modules = {"api", "config", "errors", "model", "ingest", "nlp", "events", "resolve", "store",
               "evaluate", "pipeline", "timex", "output", "cli", "net", "cluster", "export",
               "watch", "runner", "web", "sample", "annotations"}  # fmt: skip
    public = {n for n in dir(eventwire) if not n.startswith("_")} - modules
    assert public == set(eventwire.__all__) - {"__version__"}


def test_errors_form_one_tree() -> None:
    for name in ("ConfigError", "DataFileError", "GoldFileError", "InputRejected", "StoreError"):
        assert issubclass(getattr(eventwire, name), eventwire.EventwireError)
