# PainLine: `make run` serves the demo clinic, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
FLASK := PAINLINE_ENV=development $(BIN)/flask --app wsgi
PORT ?= 5000

CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install run test lint clean schema chromium screenshots

install: $(STAMP) chromium

# The browser tests drive Debian's Chromium (never a test tool's own browser download).
chromium:
	@test -x $(CHROMIUM) || { \
		echo "install: $(CHROMIUM) is missing: installing Debian's chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; }

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

instance/secret_key:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@

run: $(STAMP) instance/secret_key
	SECRET_KEY=$$(cat instance/secret_key) $(FLASK) db upgrade
	SECRET_KEY=$$(cat instance/secret_key) $(FLASK) seed-demo --if-empty --programs
	@echo "Clinic dashboard: http://127.0.0.1:$(PORT)/ (sign in with the demo login)"
	SECRET_KEY=$$(cat instance/secret_key) SCHEDULER=embedded SMS_BACKEND=console \
		PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://127.0.0.1:$(PORT)} \
		$(FLASK) run --host 127.0.0.1 --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check server tests wsgi.py $(wildcard bench)

test: lint chromium
	@echo "== SQLite =="
	env -u TEST_DATABASE_URL $(BIN)/pytest -q
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on $$TEST_DATABASE_URL =="; \
		$(BIN)/pytest -q; \
	else echo "TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

# The README's dashboard screenshots, retaken by the browser test that takes them.
screenshots: $(STAMP) chromium
	env -u TEST_DATABASE_URL $(BIN)/pytest -q tests/browser/test_readme_screenshots.py
	mkdir -p docs/screenshots
	cp screenshots/readme-inbox.png screenshots/readme-patient.png screenshots/readme-overview.png docs/screenshots/

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .hypothesis

# Before the first release the schema is one migration, regenerated from the models.
# After release: `$(FLASK) db migrate -m "..."` adds a new revision instead.
schema: $(STAMP)
	rm -f migrations/versions/0001_initial_schema.py /tmp/painline-schema.db
	DATABASE_URL=sqlite:////tmp/painline-schema.db SECRET_KEY=schema \
		$(FLASK) db migrate -m "initial schema" --rev-id 0001
	rm -f /tmp/painline-schema.db
