# Two commands do all set-up on a fresh machine: `make demo` (the main job on the sample plans)
# and `make test`. Both create the virtual environment and install what is missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DB ?= data/out/corpus.db

.PHONY: setup demo test clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/plans import data/raw --db $(DB)
	$(BIN)/plans report --db $(DB)

test: setup
	$(BIN)/python -m pytest -q

clean:
	rm -rf data/out/corpus.db* data/out/cache
