"""The two database roles on PostgreSQL (ADR 0017). The owner role owns the schema, runs
`migrate` and removes access-log rows past their term (`manage.py access_log_prune`); the
application role (web, Celery worker and beat) may only SELECT and INSERT the access log, so
neither TRUNCATE, ALTER TABLE ... DISABLE TRIGGER nor session_replication_role is open to it.

After every `migrate` run as the owner with DATABASE_APP_ROLE set, `app_role_grant` gives the
application role exactly what it needs, revoking anything else first; the deploy check reads
what the role connected now may do to the log (`connected_role_findings`)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction

from cases.models import AccessLog

ACCESS_LOG = AccessLog._meta.db_table
MIGRATIONS = "django_migrations"


def app_role_grant(*, role: str, using: str = "default") -> None:
    """Give `role` USAGE on the schema; SELECT, INSERT, UPDATE and DELETE on every table but the
    access log (SELECT and INSERT only) and django_migrations (SELECT only); USAGE and SELECT on
    the sequences; nothing else. Idempotent. Run as the owner, never as `role` itself."""
    connection = connections[using]
    quote = connection.ops.quote_name
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, pg_has_role(rolname, current_user, 'MEMBER'), current_schema()"
            " FROM pg_roles WHERE rolname = %s",
            [role],
        )
        found = cursor.fetchone()
        if found is None:
            raise ImproperlyConfigured(
                f"DATABASE_APP_ROLE: the role {role!r} does not exist; create it first "
                "(docker/postgres-init/ shows how)."
            )
        superuser, owner, schema = found
        if superuser:
            raise ImproperlyConfigured(f"DATABASE_APP_ROLE: {role!r} is a superuser.")
        if owner:
            raise ImproperlyConfigured(
                f"DATABASE_APP_ROLE: {role!r} is (or is a member of) the role running migrate, "
                "which owns the tables. Run migrate as the owner role."
            )
        role_q, schema_q = quote(role), quote(schema)
        database_q = quote(connection.settings_dict["NAME"])
        for statement in (
            # No temporary objects: a temporary table named like the log would take its rows
            # for that connection, a temporary function and trigger could drop them.
            f"REVOKE TEMPORARY ON DATABASE {database_q} FROM PUBLIC",
            f"REVOKE TEMPORARY, CREATE ON DATABASE {database_q} FROM {role_q}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema_q} FROM {role_q}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema_q} FROM {role_q}",
            f"REVOKE CREATE ON SCHEMA {schema_q} FROM {role_q}",
            f"GRANT USAGE ON SCHEMA {schema_q} TO {role_q}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema_q} TO {role_q}",
            f"REVOKE INSERT, UPDATE, DELETE ON {schema_q}.{quote(MIGRATIONS)} FROM {role_q}",
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER"
            f" ON {schema_q}.{quote(ACCESS_LOG)} FROM {role_q}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema_q} TO {role_q}",
        ):
            cursor.execute(statement)


def app_role_grant_after_migrate(sender, *, using: str = "default", **kwargs) -> None:
    """post_migrate (sent once per app after all migrations ran): the grants, once, on
    PostgreSQL, when DATABASE_APP_ROLE names the application role."""
    if sender.label != "cases" or not settings.DATABASE_APP_ROLE:
        return
    if connections[using].vendor != "postgresql":
        return
    app_role_grant(role=settings.DATABASE_APP_ROLE, using=using)


def connected_role_findings(*, using: str = "default") -> list[str]:
    """What the role connected now may do that the application role must not: "superuser",
    "owner" (owns the access log, or is a member of its owner), the statements it may run on
    the log out of UPDATE, DELETE, TRUNCATE and TRIGGER, "TEMPORARY" when it may make
    temporary objects, and "session_replication_role" when it may set it. Empty when the log
    does not exist yet."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            return ["superuser"]
        cursor.execute(
            "SELECT pg_has_role(current_user, relowner, 'MEMBER'),"
            " has_table_privilege(current_user, oid, 'UPDATE'),"
            " has_table_privilege(current_user, oid, 'DELETE'),"
            " has_table_privilege(current_user, oid, 'TRUNCATE'),"
            " has_table_privilege(current_user, oid, 'TRIGGER'),"
            " has_database_privilege(current_user, current_database(), 'TEMPORARY')"
            " FROM pg_class WHERE oid = to_regclass(%s)",
            [ACCESS_LOG],
        )
        row = cursor.fetchone()
    if row is None:
        return []
    owner, *may = row
    findings = ["owner"] if owner else []
    statements = ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "TEMPORARY")
    findings += [name for name, yes in zip(statements, may, strict=True) if yes]
    if connection.pg_version >= 150000:
        # PostgreSQL 15 can grant SET of a superuser-only setting to another role.
        with connection.cursor() as cursor:
            cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
            if cursor.fetchone()[0]:
                findings.append("session_replication_role")
    return findings
