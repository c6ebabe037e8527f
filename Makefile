# Two commands do all the set-up on a fresh machine:
#   make run    — the application on the bundled data
#   make test   — the test suite
# Both create .venv with the pinned dependencies on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready

.PHONY: run test lint bench package clean

run: $(READY)
	$(BIN)/python main.py

test: $(READY)
	$(BIN)/python -m pytest

lint: $(READY)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy db
	$(BIN)/lint-imports

bench: $(READY)
	$(BIN)/python -m pytest tests/benchmarks --benchmark-only -s

package: $(READY)
	$(BIN)/python packaging/build.py

$(READY): requirements-dev.lock
	bash .ci/system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	touch $(READY)

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .benchmarks
