# Lantoa — the README's commands. `make run` serves the demo; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMPS := .stamps
export DJANGO_SETTINGS_MODULE ?= config.settings

.PHONY: run test setup setup-dev assets messages migrate demo serve lint format bench lock ci clean

run: setup ## Set everything up, load the demo on first run, serve http://127.0.0.1:8000 with the task worker
	@DEBUG=1 LANTOA_2FA_REQUIRED_ROLES= $(PY) manage.py demo --if-empty
	@DEBUG=1 LANTOA_2FA_REQUIRED_ROLES= bash scripts/serve.sh

test: setup-dev ## Run the whole suite (unit, integration, API, browser)
	@bash scripts/ensure_chromium.sh
	@DJANGO_SETTINGS_MODULE=config.settings_test $(PY) -m pytest -n $${PYTEST_WORKERS:-2} $(PYTEST_ARGS)

$(STAMPS)/venv: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Lantoa needs Python 3.11 or newer")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/venv-dev: $(STAMPS)/venv requirements-dev.txt
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

$(STAMPS)/assets: package.json package-lock.json scripts/vendor_assets.sh
	@bash scripts/vendor_assets.sh
	@mkdir -p $(STAMPS) && touch $@

assets: $(STAMPS)/assets

messages: $(STAMPS)/venv
	@DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

migrate: $(STAMPS)/venv
	@DEBUG=1 $(PY) manage.py migrate --no-input -v 0
	@DEBUG=1 $(PY) manage.py createcachetable

setup: $(STAMPS)/venv assets messages migrate

setup-dev: $(STAMPS)/venv-dev assets messages

demo: setup ## Rebuild the demo from scratch
	@DEBUG=1 $(PY) manage.py demo

lint: setup-dev ## ruff (lint + format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/mypy config lantoa

format: setup-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup-dev ## Benchmarks (see bench/README.md)
	DEBUG=1 $(PY) bench/run.py

lock: ## Re-pin the dependency locks from pyproject.toml
	bash scripts/lock.sh

ci:
	bash .ci/run

clean:
	rm -rf $(STAMPS) lantoa/web/static/vendor var/static
