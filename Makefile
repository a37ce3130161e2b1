# Amtsweg: the two commands are `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Two workers: the machines have two cores.
PYTEST_ARGS ?= -n 2

.PHONY: help run test lint typecheck check-migrations check-messages pytest messages bench run-prod deps vendor clean \
	system-run system-test system-bench

help:
	@echo "make run       start the portal with the Kassel demo data on http://$(HOST):$(PORT)"
	@echo "make test      lint, migrations check, message-catalogue check and the whole test suite"
	@echo "make bench     load-test the pages with gunicorn (2 workers) and print a table"
	@echo "make run-prod  start the production setup (gunicorn, DEBUG off) against DATABASE_URL"
	@echo "make messages  update and compile the German message catalogue"
	@echo "make deps      install every Debian package the commands need (run, test and bench call it themselves)"

# --- set-up -----------------------------------------------------------------
# The Debian packages each command needs; installed when missing and run as root (scripts/system-packages).
system-run system-test system-bench: system-%:
	@scripts/system-packages $*

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@PYBIN="$$(scripts/find-python)" || exit 1; \
	  if [ ! -x $(PY) ]; then echo "creating $(VENV) with $$PYBIN"; "$$PYBIN" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm is needed for axe-core (browser accessibility checks); install Node.js and npm" >&2; exit 1; }
	npm ci --silent --no-audit --no-fund
	@touch $@

compiled-messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || scripts/system-packages run
	@$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

var:
	@mkdir -p var

# --- the two commands -------------------------------------------------------
# Links in emails point where the portal runs (settings: PORTAL["base_url"]).
run run-prod: export AMTSWEG_HOST := $(HOST)
run run-prod: export AMTSWEG_PORT := $(PORT)
run: system-run $(VENV)/.installed compiled-messages var
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) load_kassel_demo
	$(MANAGE) load_appointments_demo
	$(MANAGE) load_forms
	$(MANAGE) load_feedback_demo
	$(MANAGE) create_demo_staff
	$(MANAGE) load_certificate_orders_demo
	$(MANAGE) load_register_demo
	$(MANAGE) load_vehicle_registry_demo
	$(MANAGE) load_statistics_demo
	@echo "Amtsweg runs on http://$(HOST):$(PORT)/  (English: http://$(HOST):$(PORT)/en/)"
	@echo "Emails it sends: http://$(HOST):$(PORT)/demo-postfach/"
	@# The task worker sends emails, PDFs and the demo payment provider's notifications; it stops with the server.
	@# It also puts back the tasks of a worker that was killed (TASKS_RECOVER_AFTER_SECONDS, core/taskrecovery.py).
	@# The demo residents' register and the demo vehicle registry are services of their own, as a city's
	@# register and an i-Kfz portal are; they stop with the server.
	$(MANAGE) db_worker --queue-name '*' --no-reload -v 0 & worker=$$!; \
	$(MANAGE) demo_register & register=$$!; \
	$(MANAGE) demo_vehicle_registry & vehicles=$$!; \
	trap 'kill $$worker $$register $$vehicles 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

test: system-test $(VENV)/.installed node_modules/.installed compiled-messages var lint check-migrations check-messages pytest

lint: $(VENV)/.installed typecheck
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# The layer contract in pyproject.toml; the graph takes a fraction of a second, so no cache.
	$(VENV)/bin/lint-imports --no-cache

# mypy with django-stubs on the apps listed in pyproject.toml; its cache is var/mypy.
typecheck: $(VENV)/.installed var
	$(VENV)/bin/mypy

check-migrations: $(VENV)/.installed var
	DJANGO_SETTINGS_MODULE=amtsweg.settings.test $(MANAGE) makemigrations --check --dry-run

check-messages: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=amtsweg.settings.test $(MANAGE) check_messages

pytest: system-test $(VENV)/.installed node_modules/.installed compiled-messages var
	@test -x "$${CHROMIUM:-/usr/bin/chromium}" || { echo "error: the browser tests need Debian's chromium: run 'make deps' as root (apt-get install chromium)" >&2; exit 1; }
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# --- helpers ----------------------------------------------------------------
messages: $(VENV)/.installed
	$(MANAGE) makemessages -l de --no-location --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var
	$(MANAGE) messages_further
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules

bench: system-bench $(VENV)/.installed compiled-messages var
	$(PY) -m benchmarks $(BENCH_ARGS)

run-prod: $(VENV)/.installed compiled-messages var
	@test -n "$$DATABASE_URL" || { echo "error: run-prod needs DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/amtsweg" >&2; exit 1; }
	DJANGO_SETTINGS_MODULE=amtsweg.settings.production $(MANAGE) migrate --noinput
	DJANGO_SETTINGS_MODULE=amtsweg.settings.production $(MANAGE) collectstatic --noinput -v 0
	DJANGO_SETTINGS_MODULE=amtsweg.settings.production $(VENV)/bin/gunicorn amtsweg.wsgi --config python:amtsweg.gunicorn_conf \
	  --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-2} --access-logfile - --forwarded-allow-ips=127.0.0.1

deps: system-test system-bench

vendor:
	scripts/vendor-kern
	scripts/vendor-altcha
	scripts/vendor-fonts

clean:
	rm -rf $(VENV) node_modules var staticfiles .pytest_cache
