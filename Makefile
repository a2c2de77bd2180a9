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

.PHONY: install lock demo serve test lint test-sqlite test-postgres test-browser bench clean

# Every third-party package comes from requirements.lock (exact versions, each with its hashes);
# the project itself is installed after, without letting pip resolve anything further.
$(INSTALLED): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(INSTALLED)

install: $(INSTALLED)

# After changing the dependencies in pyproject.toml: pin them all again, with hashes.
lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
		--python-version 3.11 --quiet --output-file requirements.lock

demo: install
	SCHOLARHUB_DEBUG=1 $(BIN)/scholarhub demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	$(BIN)/deptry .
	DJANGO_SETTINGS_MODULE=config.test_settings $(BIN)/scholarhub makemigrations --check --dry-run

test-sqlite: install
	$(BIN)/pytest -m "not browser"

test-postgres: install
	$(PG_ENV) $(BIN)/pytest -m "not browser"

test-browser: install
	$(BIN)/pytest -m browser

test: lint test-sqlite test-postgres test-browser

clean:
	rm -rf var/*.sqlite3* var/static var/demo
