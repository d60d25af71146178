# The README's two commands: `make demo` and `make test`. Both build .venv from the
# hashed lock files first, so they work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
BASE_STAMP := $(VENV)/.base-installed
DEV_STAMP := $(VENV)/.dev-installed

.PHONY: demo test lint typecheck unit install install-dev lock bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BASE_STAMP): requirements/base.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/base.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(DEV_STAMP): requirements/dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@ $(BASE_STAMP)

install: $(BASE_STAMP)
install-dev: $(DEV_STAMP)

## Ingest the bundled sample corpus into eventwire.db and print a summary.
demo: $(BASE_STAMP)
	$(BIN)/eventwire demo --db sqlite:///eventwire.db

## Lint, type-check and run the whole test suite (PostgreSQL tests start a
## throwaway server when PostgreSQL is installed; see tools/with-postgres).
test: $(DEV_STAMP) lint typecheck
	tools/with-postgres $(BIN)/python -m pytest

unit: $(DEV_STAMP)
	$(BIN)/python -m pytest -m "not slow"

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests tools benchmarks
	$(BIN)/ruff format --check src tests tools benchmarks

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

## Re-pin every dependency with hashes after editing pyproject.toml.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -o requirements/base.txt -q
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements/dev.txt -q

bench: $(DEV_STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
