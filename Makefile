# Two commands matter: `make demo` and `make test`. Both build .venv from a bare
# Python >= 3.11 on a fresh clone, so nothing has to be installed by hand first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
# Test-only pins (the Textual minor version the snapshot baselines were drawn with).
TEST_PINS := -c tests/constraints.txt
MIN_VENV := .venv-min

.PHONY: demo test test-fast test-min lint bench schemas clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "RecoveryLab needs Python >= 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The base install: what the simulator and the trainer need, nothing for notebooks.
$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml tests/constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]' $(TEST_PINS)
	touch $@ $(STAMP_RUN)

demo: $(STAMP_RUN)
	$(BIN)/recoverylab demo --out out

test: $(STAMP_DEV)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

test-fast: $(STAMP_DEV)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m "not slow and not statistical"

# The declared minimum versions of every base dependency, then the fast suite.
test-min:
	rm -rf $(MIN_VENV)
	$(PYTHON) -m venv $(MIN_VENV)
	$(PYTHON) .ci/min_constraints.py > $(MIN_VENV)/minimums.txt
	$(MIN_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(MIN_VENV)/bin/python -m pip install --quiet -e '.[dev]' -c $(MIN_VENV)/minimums.txt $(TEST_PINS)
	$(MIN_VENV)/bin/python -m pip list --format=freeze | grep -iE '^(simpy|numpy|pandas|scipy|matplotlib|pydantic|textual|rich|tqdm|platformdirs|pyarrow|opencc)=='
	$(MIN_VENV)/bin/python -m pytest -n 2 --dist loadgroup -m "not slow and not statistical" -p no:cacheprovider

lint: $(STAMP_DEV)
	$(BIN)/ruff check sim trainer tests benchmarks
	$(BIN)/mypy sim

bench: $(STAMP_RUN)
	$(BIN)/python benchmarks/bench_engine.py

schemas: $(STAMP_RUN)
	$(BIN)/recoverylab schema --out-dir .schemas

clean:
	rm -rf $(VENV) $(MIN_VENV) .schemas out build *.egg-info
