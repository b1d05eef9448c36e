# Deliberate: the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The Nu Html Checker (the W3C's HTML validator) for the browser tests, from npm; it needs Java.
VNU_VERSION := 26.9.27
VNU := $(VENV)/vnu/.installed-$(VNU_VERSION)

.PHONY: demo test test-e2e bench lint format install serve worker clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Deliberate needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(VNU):
	@if command -v npm >/dev/null; then \
	  npm install --no-save --ignore-scripts --no-audit --no-fund --loglevel=error \
	    --prefix $(VENV)/vnu vnu-jar@$(VNU_VERSION) && touch $(VNU); \
	else echo "npm is not installed: the browser tests will skip the Nu Html Checker"; fi

install: $(STAMP) $(VNU)

# A realistic demo jury on SQLite with the in-memory channel layer, at http://127.0.0.1:8000,
# with the background worker (emails, reminders, the report's PDF) running alongside the server.
demo: export DELIBERATE_DEMO = 1
demo: export DEBUG = 1
demo: export TASKS_IMMEDIATE = 0
demo: $(STAMP)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	$(PY) manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# The whole suite. Uses PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set.
# Browser tests run when Debian's Chromium is installed (/usr/bin/chromium), else skip with a reason;
# the last of them checks the HTML of every page they opened with the Nu Html Checker (needs Java).
test: $(STAMP) $(VNU)
	$(PY) -m pytest

test-e2e: $(STAMP) $(VNU)
	$(PY) -m pytest tests/e2e

bench: $(STAMP)
	$(PY) -m pytest tests/bench -s -q -m bench

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

worker: $(STAMP)
	$(PY) manage.py db_worker

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
