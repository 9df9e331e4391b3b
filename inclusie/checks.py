"""Deployment checks of our own, run by `manage.py check --deploy` beside Django's."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import connections

from inclusie.database_roles import connected_role_findings


@register(Tags.security, deploy=True)
def production_services(app_configs, **kwargs):
    problems = []
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        problems.append(
            Warning(
                "The database is SQLite.",
                hint="Set DATABASE_URL to a PostgreSQL database in production.",
                id="inclusie.W001",
            )
        )
    if not settings.REDIS_URL:
        problems.append(
            Warning(
                "REDIS_URL is not set: login rate limits are counted per process and Celery "
                "tasks run inside the web request.",
                hint="Set REDIS_URL and run a Celery worker and beat.",
                id="inclusie.W002",
            )
        )
    if settings.EMAIL_BACKEND.endswith(("console.EmailBackend", "locmem.EmailBackend")):
        problems.append(
            Warning(
                "E-mail is not sent: it goes to the console.",
                hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD).",
                id="inclusie.W003",
            )
        )
    if not settings.SITE_URL.startswith("https://"):
        problems.append(
            Warning(
                "SITE_URL does not start with https://; links in e-mails would be sent in clear.",
                hint="Set SITE_URL to the https address people use.",
                id="inclusie.W004",
            )
        )
    if not settings.MFA_REQUIRED:
        problems.append(
            Warning(
                "MFA_REQUIRED is off: accounts can log in with a password alone.",
                hint="Leave MFA_REQUIRED at its default (on when DEBUG is off).",
                id="inclusie.W005",
            )
        )
    if (
        getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        and not settings.ALLAUTH_TRUSTED_PROXY_COUNT
    ):
        problems.append(
            Warning(
                "BEHIND_TLS_PROXY is on but TRUSTED_PROXY_COUNT is 0: failed logins are counted "
                "per proxy address, so a few wrong passwords lock everyone out.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies in front of Inclusie.",
                id="inclusie.W006",
            )
        )
    loose = [
        name
        for name in ("EVENT_ALLOW_HTTP", "EVENT_ALLOW_PRIVATE_ADDRESSES")
        if getattr(settings, name)
    ]
    if loose:
        problems.append(
            Warning(
                f"{' and '.join(loose)} on: events to the organisations' systems may go over "
                "plain http or to addresses inside this network (ADR 0029).",
                hint="Leave them at their default (off when DEBUG is off).",
                id="inclusie.W009",
            )
        )
    return problems


@register(Tags.database, deploy=True)
def application_database_role(app_configs, databases=None, **kwargs):
    """`check --deploy --database default`, run with the application's DATABASE_URL: the role
    it connects as must not be able to remove or bypass the access log (ADR 0017)."""
    problems = []
    for alias in databases or []:
        if connections[alias].vendor != "postgresql":
            continue
        findings = connected_role_findings(using=alias)
        if "superuser" in findings:
            problems.append(
                Warning(
                    "The database role Inclusie connects as is a superuser: it can truncate the "
                    "access log and switch its triggers off.",
                    hint="Connect as the application role (DATABASE_APP_ROLE), which is no "
                    "superuser; run migrate and access_log_prune as the owner role.",
                    id="inclusie.W007",
                )
            )
        elif findings:
            problems.append(
                Warning(
                    "The database role Inclusie connects as may change or remove the access "
                    f"log ({', '.join(findings)}).",
                    hint="Connect as the application role, which neither owns the tables nor "
                    "holds more than SELECT and INSERT on cases_accesslog; run migrate as the "
                    "owner role with DATABASE_APP_ROLE set, which grants exactly that.",
                    id="inclusie.W008",
                )
            )
    return problems
