# Two commands matter: `make demo` and `make test`. Both build .venv from a bare
# Python >= 3.11 on a fresh clone, so nothing has to be installed by hand first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: demo test test-fast lint bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "RecoveryLab needs Python >= 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(STAMP_RUN)

demo: $(STAMP_RUN)
	$(BIN)/recoverylab demo --out out

test: $(STAMP_DEV)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

test-fast: $(STAMP_DEV)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m "not slow and not statistical"

lint: $(STAMP_DEV)
	$(BIN)/ruff check sim trainer tests benchmarks
	$(BIN)/mypy sim

bench: $(STAMP_RUN)
	$(BIN)/python benchmarks/bench_engine.py

clean:
	rm -rf $(VENV) out build *.egg-info
