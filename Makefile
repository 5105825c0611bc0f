# Newsroom: `make run` serves the demo site, `make test` runs the checks.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := newsroom.settings

.PHONY: run test lint format bench checkers install clean superuser messages

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		{ echo "Newsroom needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1). Run: make PYTHON=python3.12 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the requirement files change.
$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

run: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo
	@echo "Serving http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/ after 'make superuser')"
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

superuser: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py createsuperuser

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run > /dev/null || \
		{ echo "Model changes without a migration: run manage.py makemigrations"; exit 1; }
	$(BIN)/pytest $(PYTEST_ARGS)

# Load test in production mode (README "Benchmark"): QUICK=1 smoke run, SOAK=1 adds the soak
# test, SCALE=1 the demo-versus-100,000-articles comparison, COUNTING=1 what a counted view
# and the admin's sort by views cost on 100,000 articles (bench/counting.py).
bench: install
	$(BIN)/python bench/run.py $(if $(QUICK),--quick) $(if $(SOAK),--soak) $(if $(ARTICLES),--articles $(ARTICLES))
	$(if $(SCALE),$(BIN)/python bench/scale.py $(if $(QUICK),--quick))
	$(if $(COUNTING),$(BIN)/python bench/counting.py)

# Outside checkers (README "Benchmark"): Lighthouse (mobile) and the Nu HTML checker on the
# demo in production mode; needs Node 20, Java 17 and chromium. npm packages are pinned in
# bench/node/package-lock.json and installed there only.
bench/node/node_modules/.installed: bench/node/package.json bench/node/package-lock.json
	cd bench/node && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

checkers: install bench/node/node_modules/.installed
	$(BIN)/python bench/checkers.py

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Interface translations: collect new strings into locale/*/django.po, translate them there,
# then compile the .mo files (committed, so machines without gettext need nothing).
messages: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l en -l zh_Hans --no-obsolete \
		--ignore=.venv --ignore=staticfiles --ignore=uploads --ignore=tests --ignore=bench
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
