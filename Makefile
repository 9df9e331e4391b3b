# Inclusie — the two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The pinned dependencies (ADR 0019): runtime for the image, runtime + dev for .venv; `make lock`
# writes both from pyproject.toml. The stamp names their checksum, so a new lock reinstalls .venv.
RUNTIME_LOCK := requirements/runtime.txt
DEV_LOCK := requirements/dev.txt
STAMP := $(VENV)/.installed-$(shell cat $(DEV_LOCK) pyproject.toml | cksum | cut -d' ' -f1)
UV_VERSION := 0.13.9
# One lock for every platform and Python from 3.11 (the image's) on; LOCK_ARGS='--upgrade' or
# LOCK_ARGS='--upgrade-package django' moves pins, which `make lock` otherwise keeps.
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes --quiet \
	--custom-compile-command 'make lock' $(LOCK_ARGS)

# The test suite runs on PostgreSQL and Redis (override to point elsewhere). Each checkout gets its
# own database name and Redis database, so two checkouts on one machine can test at the same time.
CHECKOUT_ID := $(shell pwd | cksum | cut -d' ' -f1)
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/inclusie_$(CHECKOUT_ID)
TEST_REDIS_URL ?= redis://127.0.0.1:6379/$(shell echo $$(( $(CHECKOUT_ID) % 15 + 1 )))
# The application's database role (ADR 0017), created by scripts/test-prerequisites: the suite
# runs as the owner (postgres); migrate grants this role what the application may do.
TEST_APP_ROLE ?= inclusie_$(CHECKOUT_ID)_app
TEST_ENV := DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DEBUG=false \
	DATABASE_APP_ROLE=$(TEST_APP_ROLE) \
	SECRET_KEY=test-only-secret-key-not-for-production-3f9a7c1e5b2d8046af19c3e7b5d2a8f0 ALLOWED_HOSTS=localhost,127.0.0.1,testserver \
	SECURE_SSL_REDIRECT=false STATIC_PLAIN_STORAGE=true MFA_REQUIRED=false \
	CACHE_KEY_PREFIX=test-$(CHECKOUT_ID) \
	CELERY_TASK_ALWAYS_EAGER=true DJANGO_ALLOW_ASYNC_UNSAFE=true

.PHONY: run test lint lock messages clean worker beat bench bench-data bench-dashboard

$(STAMP): $(DEV_LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## make run: embedded defaults (SQLite, eager Celery, console e-mail) on http://127.0.0.1:8000
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

## make test: the whole suite on PostgreSQL and Redis, browser tests included
test: $(STAMP)
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) TEST_REDIS_URL=$(TEST_REDIS_URL) \
		TEST_APP_ROLE=$(TEST_APP_ROLE) scripts/test-prerequisites
	$(PY) -m ruff check .
	$(TEST_ENV) DATABASE_URL=sqlite:///:memory: $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(PY) -m pytest --durations=15 $(PYTEST_ARGS)

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

## make lock: pin pyproject.toml's dependencies anew in requirements/ (after changing them)
# Not built on $(STAMP): it must work while the lock files are stale or in a merge conflict. uv
# keeps the pins it finds in the files; of a conflict it keeps this side's (the first) and
# resolves the rest again.
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet 'uv==$(UV_VERSION)'
	for lock in $(RUNTIME_LOCK) $(DEV_LOCK); do \
		if grep -q '^<<<<<<< ' $$lock 2>/dev/null; then \
			awk '/^<<<<<<< /{next} /^=======$$/{skip=1; next} /^>>>>>>> /{skip=0; next} !skip' \
				$$lock > $$lock.tmp && mv $$lock.tmp $$lock; \
		fi; \
	done
	$(VENV)/bin/uv pip compile pyproject.toml $(LOCK_FLAGS) -o $(RUNTIME_LOCK)
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev -c $(RUNTIME_LOCK) $(LOCK_FLAGS) \
		-o $(DEV_LOCK)

## make messages: extract texts into locale/nl and compile (needs GNU gettext)
messages: $(STAMP)
	$(PY) manage.py makemessages -l nl --no-obsolete --ignore='.venv/*' --ignore='bench/*'
	$(PY) manage.py compilemessages -l nl --ignore='.venv/*'

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

# Benchmarks, not part of `make test` (bench/RESULTS.md): a database of their own (never the test
# or development one), production-like settings (DEBUG off, PostgreSQL, Redis), MFA off so
# sessions can be made in the database. Pass options with BENCH_ARGS='--households 50000'.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/inclusie_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/0
BENCH_ENV := DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) DEBUG=false \
	SECRET_KEY=bench-only-secret-key-not-for-production-7d2c9e4b1a6f8035be27c4d9a1f6e3b8 \
	ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0 \
	STATIC_PLAIN_STORAGE=true MFA_REQUIRED=false CACHE_KEY_PREFIX=bench LOG_LEVEL=WARNING

## make bench-data: seed the benchmark database (1,000,000 signals...; takes minutes)
bench-data: $(STAMP)
	scripts/bench-prerequisites
	$(BENCH_ENV) $(PY) bench/seed.py $(BENCH_ARGS)

## make bench: gunicorn and 20 logged-in people per page driven by wrk; prints the figures
bench: $(STAMP)
	scripts/bench-prerequisites
	$(BENCH_ENV) $(PY) bench/load.py $(BENCH_ARGS)

## make bench-dashboard: the dashboard alone (warm), as issue 6 measured it
bench-dashboard: $(STAMP)
	scripts/bench-prerequisites
	$(BENCH_ENV) $(PY) bench/load.py --pages dashboard $(BENCH_ARGS)
