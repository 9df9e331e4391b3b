"""Settings come from the environment; a bad value stops start-up and names the variable."""

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "inclusie.example.nl",
}


def run(args, **env):
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def django_setup(**env):
    return run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER, "
            "settings.EMAIL_BACKEND, settings.DEBUG, settings.CACHES['default']['BACKEND'])",
        ],
        DJANGO_SETTINGS_MODULE="inclusie.settings",
        **env,
    )


def test_with_nothing_set_it_runs_embedded():
    result = django_setup()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
        "True",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


def test_with_database_and_redis_it_runs_on_the_real_services():
    result = django_setup(
        DATABASE_URL="postgres://u@db.example:5432/inclusie", REDIS_URL="redis://r.example:6379/0"
    )
    assert result.returncode == 0, result.stderr
    engine, eager, *_rest, cache = result.stdout.split()
    assert engine == "django.db.backends.postgresql"
    assert eager == "False"
    assert cache == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "misschien"),
        ("DATABASE_URL", "mysql://u@h/db"),
        ("DATABASE_URL", "geen-url"),
        ("REDIS_URL", "http://localhost:6379"),
        ("SESSION_IDLE_TIMEOUT", "dertig"),
        ("EMAIL_PORT", "-1"),
        ("SITE_URL", "inclusie.example"),
        ("LOG_LEVEL", "LOUD"),
        ("MFA_REQUIRED", "2"),
        ("EMERGENCY_ACCESS_HOURS", "73"),
        ("EMERGENCY_ACCESS_HOURS", "0"),
        ("MFA_FRESH_HOURS", "13"),
        ("DATABASE_APP_ROLE", "app; DROP TABLE cases_accesslog"),
        ("ACCESSIBILITY_CONTACT", "de beheerder"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable, value):
    env = {variable: value}
    if variable == "EMAIL_PORT":
        env["EMAIL_HOST"] = "smtp.example"
    result = django_setup(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_requires_its_secrets(missing):
    env = dict(PRODUCTION)
    del env[missing]
    result = django_setup(**env)
    assert result.returncode != 0
    assert missing in result.stderr.strip().splitlines()[-1]


def test_a_weak_secret_key_is_refused():
    result = django_setup(**{**PRODUCTION, "SECRET_KEY": "kort"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr.strip().splitlines()[-1]


PRODUCTION_SERVICES = {
    "DATABASE_URL": "postgres://inclusie@db.example:5432/inclusie",
    "REDIS_URL": "redis://redis.example:6379/0",
    "EMAIL_HOST": "smtp.example.nl",
    "SITE_URL": "https://inclusie.example.nl",
}


def test_check_deploy_passes_with_debug_off():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
        **PRODUCTION_SERVICES,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "check"),
    [
        ("DATABASE_URL", "sqlite:////tmp/inclusie.db", "inclusie.W001"),
        ("REDIS_URL", "", "inclusie.W002"),
        ("EMAIL_HOST", "", "inclusie.W003"),
        ("SITE_URL", "http://inclusie.example.nl", "inclusie.W004"),
        ("EVENT_ALLOW_PRIVATE_ADDRESSES", "true", "inclusie.W009"),
        ("EVENT_ALLOW_HTTP", "true", "inclusie.W009"),
    ],
)
def test_check_deploy_warns_about_embedded_services_in_production(variable, value, check):
    env = {**PRODUCTION, **PRODUCTION_SERVICES, variable: value}
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)
    assert result.returncode != 0
    assert check in result.stderr + result.stdout


def test_mfa_is_required_when_debug_is_off():
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.MFA_REQUIRED)",
        ],
        DJANGO_SETTINGS_MODULE="inclusie.settings",
        **PRODUCTION,
    )
    assert result.stdout.strip() == "True", result.stderr


def test_the_compose_file_is_valid():
    if not shutil.which("docker-compose"):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("docker-compose is required under CI=true")
        pytest.skip("docker-compose is not installed")
    result = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    text = (ROOT / "docker-compose.yml").read_text()
    for service in ("postgres:", "redis:", "web:", "worker:", "beat:", "mailpit:"):
        assert f"\n  {service}" in text, service
    assert (ROOT / "Dockerfile").exists()


def _compose_database_settings() -> dict[str, dict[str, str]]:
    """Per service, DATABASE_URL and DATABASE_APP_ROLE as `docker-compose config` resolves them
    (its output is normalised: services at two spaces, environment entries at six)."""
    if not shutil.which("docker-compose"):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("docker-compose is required under CI=true")
        pytest.skip("docker-compose is not installed")
    output = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    found, service = {}, None
    for line in output.splitlines():
        if match := re.fullmatch(r"  ([a-z-]+):", line):
            service = match.group(1)
        elif match := re.fullmatch(r"      (DATABASE_URL|DATABASE_APP_ROLE): (.*)", line):
            found.setdefault(service, {})[match.group(1)] = match.group(2)
    return found


def test_compose_runs_the_app_as_the_application_role_and_migrate_as_the_owner():
    """ADR 0017: the owner migrates (granting the application role) and prunes the log."""
    found = _compose_database_settings()
    user = {service: urlsplit(env["DATABASE_URL"]).username for service, env in found.items()}
    assert user == {
        "web": "inclusie_app",
        "worker": "inclusie_app",
        "beat": "inclusie_app",
        "migrate": "inclusie_owner",
        "access-log-prune": "inclusie_owner",
    }
    granted = {service for service, env in found.items() if "DATABASE_APP_ROLE" in env}
    assert granted == {"migrate", "access-log-prune"}
    assert found["migrate"]["DATABASE_APP_ROLE"] == "inclusie_app"
    text = (ROOT / "docker-compose.yml").read_text()
    assert "./docker/postgres-init:/docker-entrypoint-initdb.d:ro" in text
    assert "access_log_prune" in text


def test_the_init_script_makes_an_owner_and_an_application_role_without_superuser(db):
    """docker/postgres-init/ as the postgres image runs it, here with names of its own."""
    if connection.vendor != "postgresql" or not shutil.which("psql"):
        pytest.skip("needs PostgreSQL and psql")
    params = connection.settings_dict
    suffix = secrets.token_hex(4)
    names = {"owner": f"chk_owner_{suffix}", "app": f"chk_app_{suffix}", "db": f"chk_db_{suffix}"}
    env = {
        **os.environ,
        "PGHOST": params["HOST"] or "127.0.0.1",
        "PGPORT": str(params["PORT"] or 5432),
        "POSTGRES_USER": params["USER"],
        "INCLUSIE_DATABASE": names["db"],
        "INCLUSIE_OWNER_ROLE": names["owner"],
        "INCLUSIE_OWNER_PASSWORD": "owner-pw",
        "INCLUSIE_APP_ROLE": names["app"],
        "INCLUSIE_APP_PASSWORD": "app-pw",
    }
    script = ROOT / "docker" / "postgres-init" / "10-inclusie-roles.sh"
    try:
        result = subprocess.run(
            ["sh", str(script)], env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rolname, rolsuper, rolcreaterole, rolcanlogin FROM pg_roles"
                " WHERE rolname IN (%s, %s) ORDER BY rolname",
                [names["app"], names["owner"]],
            )
            assert cursor.fetchall() == [
                (names["app"], False, False, True),
                (names["owner"], False, False, True),
            ]
            cursor.execute(
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [names["db"]]
            )
            assert cursor.fetchone() == (names["owner"],)
    finally:
        for statement in (
            f"DROP DATABASE IF EXISTS {names['db']}",
            f"DROP ROLE IF EXISTS {names['owner']}, {names['app']}",
        ):
            subprocess.run(["psql", "-d", "postgres", "-qc", statement], env=env, check=False)


# --- Identity providers (ADR 0021): OIDC_SERVER_URL and its companions, or OIDC_PROVIDERS --------


def providers_from(monkeypatch, **env):
    from inclusie.settings import oidc_providers_from_env

    for name in (
        "OIDC_PROVIDERS",
        "OIDC_SERVER_URL",
        "OIDC_NAME",
        "OIDC_CLIENT_ID",
        "OIDC_CLIENT_SECRET",
        "OIDC_PROVIDER_ID",
        "OIDC_TRUST_MFA",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return oidc_providers_from_env()


def test_no_provider_unless_configured(monkeypatch):
    assert providers_from(monkeypatch) == []


def test_one_provider_from_its_variables(monkeypatch):
    (app,) = providers_from(
        monkeypatch,
        OIDC_SERVER_URL="https://login.example.nl/realms/corporatie/",
        OIDC_NAME="Corporatie-account",
        OIDC_CLIENT_ID="inclusie",
        OIDC_CLIENT_SECRET="s3cret",
        OIDC_TRUST_MFA="yes",
    )
    assert app == {
        "provider_id": "oidc",
        "name": "Corporatie-account",
        "client_id": "inclusie",
        "secret": "s3cret",
        "settings": {
            "server_url": "https://login.example.nl/realms/corporatie",
            "trust_mfa": True,
        },
    }


def test_several_providers_from_json(monkeypatch):
    apps = providers_from(
        monkeypatch,
        OIDC_PROVIDERS='[{"id": "entra", "name": "Gemeente", "server_url": '
        '"https://login.example.com/t/v2.0", "client_id": "a", "secret": "b", "trust_mfa": true},'
        '{"id": "keycloak", "name": "Welzijn", "server_url": "https://sso.example.org/realms/w", '
        '"client_id": "c", "secret": "d"}]',
    )
    assert [(a["provider_id"], a["settings"]["trust_mfa"]) for a in apps] == [
        ("entra", True),
        ("keycloak", False),
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"OIDC_SERVER_URL": "https://x.example", "OIDC_NAME": "X"}, "OIDC_CLIENT_ID"),
        ({"OIDC_PROVIDERS": "[{"}, "OIDC_PROVIDERS: not valid JSON"),
        ({"OIDC_PROVIDERS": '{"id": "x"}'}, "OIDC_PROVIDERS: expected a JSON list"),
        (
            {
                "OIDC_PROVIDERS": '[{"id": "x", "name": "X", "server_url": "http://sso.example",'
                ' "client_id": "a", "secret": "b"}]'
            },
            "server_url must start with https://",
        ),
        (
            {
                "OIDC_PROVIDERS": '[{"id": "x", "name": "X", "server_url": "https://sso.example",'
                ' "client_id": "a", "secret": "b", "trust_mfa": "yes"}]'
            },
            "trust_mfa must be true or false",
        ),
        (
            {
                "OIDC_PROVIDERS": '[{"id": "X Y", "name": "X", "server_url": "https://s.example",'
                ' "client_id": "a", "secret": "b"}]'
            },
            "lower-case letters",
        ),
        (
            {
                "OIDC_PROVIDERS": '[{"id": "x", "name": "X", "server_url": "https://s.example",'
                ' "client_id": "a", "secret": "b", "scope": "openid"}]'
            },
            "unknown field(s) scope",
        ),
        (
            {"OIDC_PROVIDERS": "[]", "OIDC_SERVER_URL": "https://s.example"},
            "set one of the two",
        ),
        (
            {
                "OIDC_SERVER_URL": "https://s.example",
                "OIDC_NAME": "S",
                "OIDC_CLIENT_ID": "a",
                "OIDC_CLIENT_SECRET": "b",
                "OIDC_TRUST_MFA": "misschien",
            },
            "OIDC_TRUST_MFA",
        ),
    ],
)
def test_a_bad_configuration_stops_start_up_naming_the_variable(monkeypatch, env, message):
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(").replace(")", r"\)")):
        providers_from(monkeypatch, **env)
