#!/bin/sh
# The two database roles of Inclusie (ADR 0017), made once, when the postgres image initialises
# an empty data volume (it runs /docker-entrypoint-initdb.d/* as its superuser, POSTGRES_USER):
#   INCLUSIE_OWNER_ROLE  owns the database and every table: runs `migrate` and
#                        `access_log_prune`; no superuser.
#   INCLUSIE_APP_ROLE    the web processes, Celery worker and beat: only what `migrate` grants it
#                        (SELECT and INSERT on the access log), and owns nothing.
# Passwords come from the environment (docker-compose.yml has local-only defaults).
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_role="$INCLUSIE_OWNER_ROLE" -v owner_password="$INCLUSIE_OWNER_PASSWORD" \
  -v app_role="$INCLUSIE_APP_ROLE" -v app_password="$INCLUSIE_APP_PASSWORD" \
  -v database="$INCLUSIE_DATABASE" <<'SQL'
CREATE ROLE :"owner_role" LOGIN PASSWORD :'owner_password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE ROLE :"app_role" LOGIN PASSWORD :'app_password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT;
CREATE DATABASE :"database" OWNER :"owner_role";
-- Only these two roles connect; the schema "public" belongs to the database's owner, and since
-- PostgreSQL 15 nobody else may create objects in it.
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"database" TO :"app_role";
SQL
