# Préau — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PREAU   = $(BIN)/preau
PYTEST_ARGS ?=
export PREAU_HTTPS ?= 0
# The demo has no mail server: its mails are written as files under var/mail/.
demo serve: export PREAU_EMAIL_BACKEND ?= django.core.mail.backends.filebased.EmailBackend

.PHONY: install install-dev demo serve test test-fast lint format messages bench clean

# What running Préau needs; the test and lint tools come on top, only when asked for.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(64))' > $@
	@chmod 600 $@

## Run Préau on the embedded default (SQLite, Huey on SQLite) with the Lorient demo world.
demo: install var/secret_key
	$(PREAU) migrate --noinput
	$(PREAU) createcachetable
	$(PREAU) collectstatic --noinput --verbosity 0
	$(PREAU) demo --keep-existing
	$(PREAU) serve

serve: install var/secret_key
	$(PREAU) serve

## The whole suite (browser tests included). PREAU_DATABASE_URL selects the database.
test: install-dev
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-fast: install-dev
	$(BIN)/pytest -n 2 -m "not browser and not agents" $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench
	PREAU_DEBUG=1 $(BIN)/mypy
	$(BIN)/lint-imports
	PREAU_DEBUG=1 $(PREAU) makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff check --fix src bench
	$(BIN)/ruff format src bench

messages: install-dev
	cd src/preau && PREAU_DEBUG=1 ../../$(PREAU) makemessages -l fr --ignore 'tests/*' \
		--ignore '*/tests/*' --no-obsolete && PREAU_DEBUG=1 ../../$(PREAU) compilemessages

bench: install-dev
	$(BIN)/python bench/run_all.py

clean:
	rm -rf var/ $(VENV)
