# Frontline: `make run` serves the portal with demo data; `make test` installs and runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
CHROMIUM := /usr/bin/chromium
PYTEST_ARGS ?=
PYTEST := $(BIN)/pytest -p no:cacheprovider -n auto --dist loadgroup --screenshot only-on-failure --output test-results
COVERAGE_MIN ?= 90

.PHONY: install run serve test test-sqlite test-postgres lint translations extract-messages chromium slapd vnu clean \
	bench wrk

# Serving needs the app's own dependencies; the tests need the dev tools as well.
$(VENV)/.serving: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed: $(VENV)/.serving
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Serve on http://127.0.0.1:$(PORT) with the embedded SQLite database in instance/ and the demo organisation,
# and the background worker (email, reminders, digests) beside it; Ctrl-C stops both.
run: $(VENV)/.serving
	$(BIN)/flask --app portal db upgrade
	@$(BIN)/flask --app portal demo
	@$(BIN)/flask --app portal serve --port $(PORT)

# The Nu HTML Checker (the W3C validator) for tests/common/test_html_validity.py, from the npm registry.
VNU_VERSION := 26.9.27
vnu: .cache/vnu/vnu.jar
.cache/vnu/vnu.jar:
	mkdir -p .cache/vnu
	cd .cache/vnu && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null && tar xzf vnu-jar-$(VNU_VERSION).tgz \
		&& mv package/build/dist/vnu.jar vnu.jar && rm -rf package vnu-jar-$(VNU_VERSION).tgz

# Debian's Chromium for the browser tests (Playwright's own browser download cannot work offline).
chromium:
	@test -x $(CHROMIUM) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# Debian's OpenLDAP server: the directory sign-in tests start a private slapd (it is installed, never run as a service).
slapd:
	@test -x /usr/sbin/slapd || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slapd ldap-utils)

# Every test on SQLite; again on PostgreSQL when TEST_DATABASE_URL is set (CI sets it). Coverage of both runs is
# combined and printed per feature package; a package under COVERAGE_MIN % fails the run.
test: install chromium slapd vnu
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; fi
	@echo "== coverage by feature package =="
	$(BIN)/python tests/coverage_by_feature.py --min $(COVERAGE_MIN)

test-sqlite:
	@echo "== tests on SQLite =="
	env -u TEST_DATABASE_URL $(PYTEST) --cov --cov-report= $(PYTEST_ARGS)

test-postgres:
	@echo "== tests on PostgreSQL ($$TEST_DATABASE_URL) =="
	$(PYTEST) --cov --cov-append --cov-report= $(PYTEST_ARGS)

# Benchmarks (bench/README.md): gunicorn on PostgreSQL driven by wrk against the floor, at each of SCALES (S, M, L),
# each in its own database (BENCH_DATABASE_URL's name + _s, _m, _l), made, migrated and seeded when missing.
# BENCH_REPS, BENCH_DURATION (seconds), BENCH_CONNECTIONS and BENCH_GUNICORN change the runs.
BENCH_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/frontline_bench
SCALES ?= S
bench: $(VENV)/.serving wrk
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) SCALES="$(SCALES)" $(BIN)/python -m bench.run

# Debian's wrk, the HTTP load generator the benchmarks drive.
wrk:
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)

lint: install
	$(BIN)/ruff check .

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o portal/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i portal/translations/messages.pot -d portal/translations

translations: install
	$(BIN)/pybabel compile -d portal/translations

clean:
	rm -rf $(VENV) test-results .pytest_cache
