"""The public API is explicit: ``eventwire.__all__`` lists exactly what is exported."""

from __future__ import annotations

import subprocess
import sys

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


# Libraries only some inputs or commands need: extracting a text file loads none of
# them, which keeps `eventwire extract` on a short text under the 3-second start-up
# target (issue 8). Whoever adds a top-level import of one of them breaks this.
_HEAVY_ON_DEMAND = (
    "trafilatura",
    "sqlalchemy",
    "datasketch",
    "warcio",  # (httpx is not listed: spaCy's own CLI imports it)
    "feedparser",
    "courlan",
    "pyarrow",
    "networkx",
    "fastapi",
)


def test_extracting_text_loads_no_heavy_library_it_does_not_need() -> None:
    probe = (
        "import sys, eventwire.cli, eventwire.pipeline\n"
        "from eventwire.ingest import read_sources\n"
        "from eventwire.output import result_dict\n"
        f"print(' '.join(m for m in {_HEAVY_ON_DEMAND!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split() == []
