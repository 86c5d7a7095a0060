# Two commands do all set-up on a fresh machine: `make demo` (the main job on the sample plans)
# and `make test`. Both create the virtual environment and install what is missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DB ?= data/out/corpus.db

.PHONY: setup system-deps demo lint test test-fast clean

# Tesseract with its Swedish data (scanned plans), the Swedish Hunspell dictionary with unmunch and
# hunspell itself (diacritic repair: dictionary forms and compounds) and Chromium (the browser test
# of `plans serve`); Debian/Ubuntu, root or sudo.
system-deps:
	@if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx swe \
		&& command -v unmunch >/dev/null 2>&1 && command -v hunspell >/dev/null 2>&1 \
		&& [ -f /usr/share/hunspell/sv_SE.dic ] && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] \
		&& [ -x /usr/bin/chromium ]; then :; else \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq tesseract-ocr tesseract-ocr-swe tesseract-ocr-osd hunspell hunspell-sv hunspell-tools fonts-dejavu-core \
			chromium chromium-driver; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: system-deps $(STAMP)

demo: setup
	$(BIN)/plans import data/raw --db $(DB)
	$(BIN)/plans report --db $(DB)

# ruff (rules in pyproject.toml) over the whole tree, mypy over the packages, and the import graph
lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python scripts/import_graph.py > /dev/null || $(BIN)/python scripts/import_graph.py

test: lint
	$(BIN)/python -m pytest -q

# the tests without OCR, the browser and process kills: under a minute
test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow"

clean:
	rm -rf data/out/corpus.db* data/out/cache
