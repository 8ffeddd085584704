# gongkai — the two commands a newcomer needs are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ASSETS := src/gongkai/web/charts/static/gongkai/vendor/echarts.min.js

.PHONY: demo test system-deps lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The charts' script (ECharts) from npm at the locked version, served from the site's own static files.
$(ASSETS): package.json package-lock.json
	bash scripts/build-assets

# Debian packages the tests use: CJK fonts, Pango, LibreOffice, poppler (pdftotext), PostgreSQL.
system-deps:
	bash scripts/install-system-deps test

# `make demo PORT=8001` (or GONGKAI_PORT=8001) serves on another port; a taken port fails at once.
demo:
	bash scripts/install-system-deps demo
	$(MAKE) $(STAMP) $(ASSETS)
	bash scripts/demo $(if $(PORT),--port $(PORT))

# The whole suite on SQLite, then again on a real PostgreSQL started on 127.0.0.1.
test: system-deps
	$(MAKE) $(STAMP) $(ASSETS)
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -n 2 -q
	bash scripts/with-postgres $(BIN)/pytest -n 2 -q --create-db -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist src/*.egg-info node_modules src/gongkai/web/charts/static/gongkai/vendor
