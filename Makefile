# Entente: two commands do all set-up. Both create/refresh .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest clean venv accuracy bench train browser serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/entente demo --db entente.duckdb

# the web app and API over the demo store, on 127.0.0.1:8000 (docs at /docs); read-only
# unless ENTENTE_TOKEN is set, which lets analysts who hold it make corrections
serve: $(STAMP)
	@test -f entente.duckdb || $(BIN)/entente demo --db entente.duckdb
	$(BIN)/entente serve --db entente.duckdb

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

test: lint typecheck browser pytest

# the report's and the web app's browser tests use Debian's chromium and chromium-driver
# (Selenium drives it; nothing is downloaded): installed with apt when missing and run as
# root; otherwise those tests skip loudly (and fail under CI=true)
browser:
	@{ command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium and chromium-driver for the browser tests (apt)"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 || \
	    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1; } || \
	    echo "could not install chromium: the browser tests will skip (and fail under CI=true)"; \
	  else echo "chromium or chromedriver missing (not root): the browser tests will skip (and fail under CI=true)"; fi; }

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache entente.duckdb report.html

accuracy: $(STAMP)
	$(BIN)/entente eval eval/dev eval/test --coder both --agreement eval/agreement --write-readme README.md

# rebuild the hybrid coder's scorer from eval/train (thresholds chosen on eval/dev)
train: $(STAMP)
	$(BIN)/entente train --train eval/train --dev eval/dev --out src/entente/data/scorer.json

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
