# Inclusie: one image for the web process (gunicorn), the Celery worker and Celery beat.
# Build: docker build -t inclusie .     Run: see README.md and docker-compose.yml.
FROM python:3.11-slim

# PYTHONPATH: the project's own packages (inclusie, partners, cases) and its templates/, static/
# and locale/ live in /app. `celery` and `gunicorn` are scripts in /usr/local/bin, so /app goes on
# the path explicitly; it must win over the copy that `pip install .` puts in site-packages.
# WEB_CONCURRENCY: gunicorn reads it itself as its number of worker processes.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    WEB_CONCURRENCY=3

WORKDIR /app

# Dependencies first, so a code change does not reinstall them all: exactly the versions and files
# pinned in the runtime lock (`make lock` writes it from pyproject.toml; ADR 0019). Hash-checking
# mode refuses anything unpinned or any file whose hash differs. The project itself comes after,
# without dependencies, so nothing outside the lock is installed.
COPY requirements/runtime.txt requirements/runtime.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/runtime.txt

COPY . .
RUN pip install --no-cache-dir --no-deps . \
    && rm -rf build *.egg-info

# Static files are collected at build time and served by WhiteNoise. The settings refuse to load
# with DEBUG off unless SECRET_KEY and ALLOWED_HOSTS are set: these values exist for this one
# command only and are not part of the image's environment.
RUN DEBUG=false \
    SECRET_KEY=build-only-collectstatic-key-never-used-at-runtime-0123456789abcdef \
    ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput

# Code and static files stay owned by root (read-only for the app); the app runs unprivileged.
# Celery beat writes its schedule file under /tmp (see docker-compose.yml).
RUN useradd --system --create-home --home-dir /home/inclusie --uid 10001 --user-group inclusie
USER inclusie

EXPOSE 8000

# No HEALTHCHECK here: the same image also runs the Celery worker and beat, which serve no HTTP.
# docker-compose.yml checks the web service with docker/healthcheck.py.
#
# The default command serves the application, connected as the application's database role
# (DATABASE_URL), which may only SELECT and INSERT the access log. Migrations and the removal
# of access-log rows past their term run from the same image with the owner role's DATABASE_URL
# instead (ADR 0017), e.g.:
#   docker run --rm -e DATABASE_URL=<owner> -e DATABASE_APP_ROLE=<app role> ... inclusie \
#     python manage.py migrate --noinput
#   docker run --rm -e DATABASE_URL=<owner> ... inclusie python manage.py access_log_prune
# docker-compose.yml sets this per service (migrate, access-log-prune).
CMD ["gunicorn", "inclusie.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm", \
     "--access-logfile", "-", \
     "--logger-class", "inclusie.log_redaction.GunicornLogger"]
