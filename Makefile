# Inclusie — the two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

# The test suite runs on PostgreSQL and Redis (override to point elsewhere). Each checkout gets its
# own database name and Redis database, so two checkouts on one machine can test at the same time.
CHECKOUT_ID := $(shell pwd | cksum | cut -d' ' -f1)
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/inclusie_$(CHECKOUT_ID)
TEST_REDIS_URL ?= redis://127.0.0.1:6379/$(shell echo $$(( $(CHECKOUT_ID) % 15 + 1 )))
TEST_ENV := DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DEBUG=false \
	SECRET_KEY=test-only-secret-key-not-for-production-3f9a7c1e5b2d8046af19c3e7b5d2a8f0 ALLOWED_HOSTS=localhost,127.0.0.1,testserver \
	SECURE_SSL_REDIRECT=false STATIC_PLAIN_STORAGE=true MFA_REQUIRED=false \
	CACHE_KEY_PREFIX=test-$(CHECKOUT_ID) \
	CELERY_TASK_ALWAYS_EAGER=true DJANGO_ALLOW_ASYNC_UNSAFE=true

.PHONY: run test lint messages clean worker beat

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## make run: embedded defaults (SQLite, eager Celery, console e-mail) on http://127.0.0.1:8000
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

## make test: the whole suite on PostgreSQL and Redis, browser tests included
test: $(STAMP)
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) TEST_REDIS_URL=$(TEST_REDIS_URL) scripts/test-prerequisites
	$(PY) -m ruff check .
	$(TEST_ENV) DATABASE_URL=sqlite:///:memory: $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

## make worker / make beat: a Celery worker and beat against REDIS_URL (see README.md)
worker: $(STAMP)
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL (and DATABASE_URL) first; see README.md."; exit 2; }
	CELERY_TASK_ALWAYS_EAGER=false $(VENV)/bin/celery -A inclusie worker -l info

beat: $(STAMP)
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL (and DATABASE_URL) first; see README.md."; exit 2; }
	$(VENV)/bin/celery -A inclusie beat -l info --schedule /tmp/celerybeat-schedule

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

## make messages: extract texts into locale/nl and compile (needs GNU gettext)
messages: $(STAMP)
	$(PY) manage.py makemessages -l nl --no-obsolete --ignore='.venv/*' --ignore='bench/*'
	$(PY) manage.py compilemessages -l nl --ignore='.venv/*'

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
