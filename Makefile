# ScholarHub: `make demo` sets up and serves the three services with demo data;
# `make test` sets up and runs every check. Both start from a fresh clone.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

# The PostgreSQL pass of the suite; CI and this machine kind run PostgreSQL here with trust auth.
PG_URL ?= postgres://postgres@127.0.0.1:5432
PG_ENV := PORTAL_DATABASE_URL=$(PG_URL)/scholarhub_portal \
	ORCID_SANDBOX_DATABASE_URL=$(PG_URL)/scholarhub_orcid \
	SCOPUS_SANDBOX_DATABASE_URL=$(PG_URL)/scholarhub_scopus

.PHONY: install demo serve test lint test-sqlite test-postgres test-browser bench clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

install: $(INSTALLED)

demo: install
	SCHOLARHUB_DEBUG=1 $(BIN)/scholarhub demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

test-sqlite: install
	$(BIN)/pytest -m "not browser"

test-postgres: install
	$(PG_ENV) $(BIN)/pytest -m "not browser"

test-browser: install
	$(BIN)/pytest -m browser

test: lint test-sqlite test-postgres test-browser

clean:
	rm -rf var/*.sqlite3* var/static var/demo
