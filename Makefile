# Frontline: `make run` serves the portal with demo data; `make test` installs and runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
CHROMIUM := /usr/bin/chromium
PYTEST_ARGS ?=
PYTEST := $(BIN)/pytest -p no:cacheprovider -n auto --dist loadfile --screenshot only-on-failure --output test-results

.PHONY: install run serve test test-sqlite test-postgres lint translations extract-messages chromium clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Serve on http://127.0.0.1:$(PORT) with the embedded SQLite database in instance/ and the demo organisation,
# and the background worker (email, reminders, digests) beside it; Ctrl-C stops both.
run: install
	$(BIN)/flask --app portal db upgrade
	$(BIN)/flask --app portal demo
	@trap 'kill 0' INT TERM EXIT; \
	PORT=$(PORT) $(BIN)/flask --app portal worker & \
	PORT=$(PORT) $(BIN)/flask --app portal run --host 127.0.0.1 --port $(PORT)

# Debian's Chromium for the browser tests (Playwright's own browser download cannot work offline).
chromium:
	@test -x $(CHROMIUM) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# Every test on SQLite; again on PostgreSQL when TEST_DATABASE_URL is set (CI sets it).
test: install chromium
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; fi

test-sqlite:
	@echo "== tests on SQLite =="
	env -u TEST_DATABASE_URL $(PYTEST) $(PYTEST_ARGS)

test-postgres:
	@echo "== tests on PostgreSQL ($$TEST_DATABASE_URL) =="
	$(PYTEST) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o portal/translations/messages.pot .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations

translations: install
	$(BIN)/pybabel compile -d portal/translations

clean:
	rm -rf $(VENV) test-results .pytest_cache
