"""Inclusie settings: everything that differs between machines comes from the environment.

With nothing set, Inclusie runs embedded (SQLite file, Celery tasks in-process, e-mail to the
console, DEBUG on). With DATABASE_URL and REDIS_URL it runs on PostgreSQL, Redis and real Celery
workers. Every variable is listed in README.md. A bad value stops start-up with a message that
names the variable.
"""

import email.utils
import os
import re
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from inclusie.static_files import root_file_headers

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "").strip()
    return value if value else default


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}: expected true or false, got {value!r}.")


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    value = env_str(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected a whole number, got {value!r}.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name}: must be at least {minimum}, got {number}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}: must be at most {maximum}, got {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_required(name: str, why: str) -> str:
    value = env_str(name)
    if value is None:
        raise ImproperlyConfigured(f"{name} must be set {why}.")
    return value


# --- Core ---------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", True)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "django-insecure-inclusie-development-only-key-0123456789")
else:
    SECRET_KEY = env_required("SECRET_KEY", "when DEBUG is off")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY: must be at least 50 random characters when DEBUG is off."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS: {_origin!r} must start with http:// or https://."
        )

# Where people report a problem with the accessibility of Inclusie (the accessibility statement,
# /toegankelijkheid/, names it).
ACCESSIBILITY_CONTACT = env_str("ACCESSIBILITY_CONTACT", "toegankelijkheid@inclusie.localhost")
if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", ACCESSIBILITY_CONTACT):
    raise ImproperlyConfigured(
        f"ACCESSIBILITY_CONTACT: {ACCESSIBILITY_CONTACT!r} is not an e-mail address."
    )

# The address people reach Inclusie on; used for links in e-mails sent outside a request.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL: {SITE_URL!r} must start with http:// or https://.")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "crispy_forms",
    "crispy_bootstrap5",
    "inclusie",
    "partners",
    "cases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "inclusie.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "inclusie.middleware.SessionTimeoutMiddleware",
    "inclusie.middleware.ActorMiddleware",
    "inclusie.middleware.MfaRequiredMiddleware",
    "inclusie.middleware.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "inclusie.urls"
WSGI_APPLICATION = "inclusie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inclusie.context_processors.actor",
                "inclusie.context_processors.session_clock",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------

_database_url = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
try:
    _database = dj_database_url.parse(
        _database_url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
    )
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL: {exc}") from None
if not _database.get("ENGINE"):
    raise ImproperlyConfigured(f"DATABASE_URL: unsupported database {_database_url!r}.")
if not _database["ENGINE"].endswith(("postgresql", "sqlite3")):
    raise ImproperlyConfigured("DATABASE_URL: Inclusie runs on PostgreSQL or SQLite only.")
# Each request is one transaction: a page's reads and its access-log rows commit together.
_database["ATOMIC_REQUESTS"] = True
DATABASES = {"default": _database}
# The application's own database role (ADR 0017). Read by `migrate` run as the owner role: after
# every migrate the application role gets what it needs and no more, and only SELECT and INSERT
# on the access log (inclusie.database_roles). Unset: no grants (SQLite, one-role setups).
DATABASE_APP_ROLE = env_str("DATABASE_APP_ROLE")
if DATABASE_APP_ROLE and not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", DATABASE_APP_ROLE):
    raise ImproperlyConfigured(
        f"DATABASE_APP_ROLE: {DATABASE_APP_ROLE!r} must be a PostgreSQL role name of lower-case "
        "letters, digits and underscores."
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache (login rate limits, shared across processes) and Celery's broker ---------------

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"REDIS_URL: {REDIS_URL!r} must start with redis://, rediss:// or unix://."
    )

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "inclusie"),
            # A Redis that stops answering costs a page two seconds, not a hung worker.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that queues a task after commit must not hang on an unreachable Redis: the
# notifications' sweep picks up what could not be queued (ADR 0011).
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TIMEZONE = "Europe/Amsterdam"
# Events to the organisations' systems (ADR 0029): beat runs their sweep this often.
EVENT_SWEEP_EVERY = env_int("EVENT_SWEEP_EVERY", 60, minimum=1)
# Personal links' e-mails (ADR 0032): beat runs their sweep this often.
LINK_MAIL_SWEEP_EVERY = env_int("LINK_MAIL_SWEEP_EVERY", 60, minimum=1)
# An agreed match of informal help with no activity this many days reminds its worker, once per
# quiet period (ADR 0035).
HELP_MATCH_QUIET_DAYS = env_int("HELP_MATCH_QUIET_DAYS", 21, minimum=1)
# The managers' dashboards read tallies rebuilt this often (ADR 0013); the page says how old.
DASHBOARD_REFRESH_SECONDS = 10 * 60
CELERY_BEAT_SCHEDULE = {
    "sessions-clear-expired": {
        "task": "partners.tasks.sessions_clear_expired",
        "schedule": 60 * 60,
    },
    "submissions-purge": {
        "task": "partners.tasks.submissions_purge",
        "schedule": 60 * 60,
    },
    "household-imports-sweep": {
        "task": "cases.tasks.household_imports_sweep",
        "schedule": 10 * 60,
    },
    "notifications-sweep": {
        "task": "partners.tasks.notifications_sweep",
        "schedule": 60,
    },
    # Personal links' e-mails that could not be queued (Redis down) go out later (ADR 0032).
    "link-mails-sweep": {
        "task": "cases.tasks.link_mails_sweep",
        "schedule": LINK_MAIL_SWEEP_EVERY,
    },
    "events-purge": {
        "task": "partners.tasks.events_purge",
        "schedule": 24 * 60 * 60,
    },
    "events-sweep": {
        "task": "partners.tasks.events_sweep",
        "schedule": EVENT_SWEEP_EVERY,
    },
    "referral-deadlines": {
        "task": "cases.tasks.deadlines_check",
        "schedule": crontab(minute=5, hour="7-18", day_of_week="mon-fri"),
    },
    "notifications-digest": {
        "task": "partners.tasks.digests_send",
        "schedule": crontab(hour=7, minute=0),
    },
    # Both are safe to run twice (ADR 0010); at night, when nobody works.
    "retention-run": {
        "task": "cases.tasks.retention_run",
        "schedule": crontab(hour=2, minute=30),
    },
    "access-reports-daily": {
        "task": "cases.tasks.access_reports_daily",
        "schedule": crontab(hour=6, minute=0),
    },
    # Quiet matches of informal help remind their worker (ADR 0035); safe to run twice.
    "help-matches-remind": {
        "task": "cases.tasks.help_matches_remind",
        "schedule": crontab(hour=7, minute=30),
    },
    "emergency-weeks": {
        "task": "cases.tasks.emergency_weeks_notify",
        "schedule": crontab(hour=6, minute=15, day_of_week="mon"),
    },
    "dashboard-refresh": {
        "task": "cases.tasks.dashboard_refresh",
        "schedule": DASHBOARD_REFRESH_SECONDS,
        # A count that waited past the next one is not worth running twice.
        "options": {"expires": DASHBOARD_REFRESH_SECONDS},
    },
    # Once a night everything is counted again, which also follows what the runs in between
    # cannot see (a household that moved to another neighbourhood).
    "dashboard-refresh-full": {
        "task": "cases.tasks.dashboard_refresh",
        "schedule": crontab(hour=3, minute=15),
        "kwargs": {"full": True},
    },
}
# Notifications (ADR 0011): a row still undelivered this many seconds after it was written is
# queued again by the sweep; a delivery task holds its row this long before another may try.
NOTIFICATION_SWEEP_AFTER = env_int("NOTIFICATION_SWEEP_AFTER", 120, minimum=1)
NOTIFICATION_CLAIM_SECONDS = env_int("NOTIFICATION_CLAIM_SECONDS", 120, minimum=1)
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 12, minimum=1)
NOTIFICATION_POLL_SECONDS = env_int("NOTIFICATION_POLL_SECONDS", 30, minimum=2)  # the bell
# Events to the organisations' own systems (ADR 0029): delivered from the same kind of outbox,
# each POST waiting at most EVENT_TIMEOUT_SECONDS; retried backing off (a minute, doubling, at
# most an hour) until EVENT_MAX_ATTEMPTS (30: about a day), then marked failed. Only https and
# public addresses unless allowed (a developer's receiver on localhost; the tests).
EVENT_TIMEOUT_SECONDS = env_int("EVENT_TIMEOUT_SECONDS", 5, minimum=1, maximum=30)
EVENT_MAX_ATTEMPTS = env_int("EVENT_MAX_ATTEMPTS", 30, minimum=1, maximum=100)
EVENT_SWEEP_AFTER = env_int("EVENT_SWEEP_AFTER", 120, minimum=1)
# Done deliveries (and their attempts) are kept this long for the administrator's log.
EVENT_KEPT_DAYS = env_int("EVENT_KEPT_DAYS", 90, minimum=1, maximum=3650)
EVENT_ALLOW_HTTP = env_bool("EVENT_ALLOW_HTTP", DEBUG)
EVENT_ALLOW_PRIVATE_ADDRESSES = env_bool("EVENT_ALLOW_PRIVATE_ADDRESSES", DEBUG)

# --- People, login and MFA ----------------------------------------------------------------------

AUTH_USER_MODEL = "partners.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "partners.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Inclusie] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = SITE_URL.split(":", 1)[0]
# Counted in the cache (Redis in production), so the limit holds across web processes. Per
# account 5 in 5 minutes; per address higher, so one person's typos do not lock out the
# colleagues behind the same office address (issue 15), while guessing across accounts still
# stops.
LOGIN_FAILED_RATE_LIMIT = env_str("LOGIN_FAILED_RATE_LIMIT", "30/5m/ip,5/5m/key")
if not re.fullmatch(
    r"\d+/\d*[smhd]?(/(ip|key|user))?(,\d+/\d*[smhd]?(/(ip|key|user))?)*", LOGIN_FAILED_RATE_LIMIT
):
    raise ImproperlyConfigured(
        f"LOGIN_FAILED_RATE_LIMIT: {LOGIN_FAILED_RATE_LIMIT!r} is not like '5/5m/ip,5/5m/key'."
    )
ACCOUNT_RATE_LIMITS = {
    "login_failed": LOGIN_FAILED_RATE_LIMIT,
    "reset_password": "5/m/ip,3/m/key",
}
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Behind a proxy every request comes from the proxy's address: rate limits per IP need the
# client's address from X-Forwarded-For, trusting as many hops as there are proxies.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

MFA_ADAPTER = "partners.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Inclusie"
# Every account must set up an authenticator app before it reaches any page (README.md).
MFA_REQUIRED = env_bool("MFA_REQUIRED", not DEBUG)
# allauth refuses an authenticator app to an account whose address it holds as unverified, and
# making a password-reset link records the address so (its token generator). Nobody signs up
# here: an address is proven by the invitation or password link mailed to it, so a person who
# chose their password through such a link must still be able to set up the app (ADR 0020).
MFA_ALLOW_UNVERIFIED_EMAIL = True

# --- Sign-in through the organisation's identity provider (OpenID Connect, ADR 0021) ------------

_OIDC_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
_OIDC_FIELDS = {"id", "name", "server_url", "client_id", "secret", "trust_mfa"}


def oidc_providers_from_env() -> list[dict]:
    """The identity providers people may sign in with: none, one from OIDC_SERVER_URL and its
    companions, or several from OIDC_PROVIDERS (a JSON list of objects with the same fields)."""
    import json

    listed = env_str("OIDC_PROVIDERS")
    single = env_str("OIDC_SERVER_URL")
    if listed and single:
        raise ImproperlyConfigured("OIDC_PROVIDERS and OIDC_SERVER_URL: set one of the two.")
    if listed:
        try:
            entries = json.loads(listed)
        except ValueError as exc:
            raise ImproperlyConfigured(f"OIDC_PROVIDERS: not valid JSON ({exc}).") from None
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise ImproperlyConfigured("OIDC_PROVIDERS: expected a JSON list of objects.")
        where = "OIDC_PROVIDERS"
    elif single:
        entries = [
            {
                "id": env_str("OIDC_PROVIDER_ID", "oidc"),
                "name": env_required("OIDC_NAME", "with OIDC_SERVER_URL"),
                "server_url": single,
                "client_id": env_required("OIDC_CLIENT_ID", "with OIDC_SERVER_URL"),
                "secret": env_required("OIDC_CLIENT_SECRET", "with OIDC_SERVER_URL"),
                "trust_mfa": env_bool("OIDC_TRUST_MFA", False),
            }
        ]
        where = "OIDC_SERVER_URL"
    else:
        return []
    providers, seen = [], set()
    for number, entry in enumerate(entries, start=1):
        label = f"{where}: provider {number}"
        unknown = set(entry) - _OIDC_FIELDS
        if unknown:
            raise ImproperlyConfigured(f"{label}: unknown field(s) {', '.join(sorted(unknown))}.")
        for field in ("id", "name", "server_url", "client_id", "secret"):
            if not isinstance(entry.get(field), str) or not entry[field].strip():
                raise ImproperlyConfigured(f"{label}: '{field}' must be a non-empty text.")
        if not _OIDC_ID.fullmatch(entry["id"]):
            raise ImproperlyConfigured(
                f"{label}: id {entry['id']!r} must be lower-case letters, digits, - or _."
            )
        if entry["id"] in seen:
            raise ImproperlyConfigured(f"{label}: id {entry['id']!r} is used twice.")
        seen.add(entry["id"])
        # Plain http only for a provider on this machine (development, the tests).
        if not re.match(
            r"https://|http://(localhost|127\.0\.0\.1)(:\d+)?(/|$)", entry["server_url"]
        ):
            raise ImproperlyConfigured(f"{label}: server_url must start with https://.")
        if not isinstance(entry.get("trust_mfa", False), bool):
            raise ImproperlyConfigured(f"{label}: trust_mfa must be true or false.")
        providers.append(
            {
                "provider_id": entry["id"],
                "name": entry["name"].strip(),
                "client_id": entry["client_id"].strip(),
                "secret": entry["secret"],
                "settings": {
                    "server_url": entry["server_url"].strip().rstrip("/"),
                    # Inclusie's own: whether this provider's MFA, shown in the ID token's amr
                    # claim, counts as Inclusie's (partners.identity).
                    "trust_mfa": entry.get("trust_mfa", False),
                },
            }
        )
    return providers


SOCIALACCOUNT_ADAPTER = "partners.adapters.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"APPS": oidc_providers_from_env(), "OAUTH_PKCE_ENABLED": True}
}
# Nobody signs up through a provider: a verified e-mail address matches a member or an open
# invitation (partners.adapters), or the person gets a page saying why not. Nothing of the
# provider's account or tokens is stored.
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_LOGIN_ON_GET = False

INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7, minimum=1)
# Personal links of people without an account (ADR 0032): how long a new one works; how many
# requests one link may make, and how many wrong tokens one address may try, per period, in the
# shared cache; after how many seconds a link's e-mail not yet sent is queued again.
PERSONAL_LINK_VALID_DAYS = env_int("PERSONAL_LINK_VALID_DAYS", 90, minimum=1, maximum=366)
LINK_RATE_LIMIT = env_str("LINK_RATE_LIMIT", "120/min")
LINK_FAILED_TOKEN_LIMIT = env_str("LINK_FAILED_TOKEN_LIMIT", "20/min")
LINK_MAIL_SWEEP_AFTER = env_int("LINK_MAIL_SWEEP_AFTER", 120, minimum=1)
LINK_MAIL_CLAIM_SECONDS = env_int("LINK_MAIL_CLAIM_SECONDS", 120, minimum=1)
# Suggestions of helpers for a request (ADR 0034): a helper with this many live matches
# (proposed, accepted or agreed) is not suggested for another.
HELPER_MAX_OPEN_MATCHES = env_int("HELPER_MAX_OPEN_MATCHES", 3, minimum=1, maximum=50)
# How long a receiving organisation still sees a household after its referral closed.
REFERRAL_ACCESS_DAYS_AFTER_CLOSE = env_int("REFERRAL_ACCESS_DAYS_AFTER_CLOSE", 30)
# How long an emergency access (noodtoegang) lets its worker see the household (ADR 0010): an
# emergency is short; longer than three days it is a referral's work.
EMERGENCY_ACCESS_HOURS = env_int("EMERGENCY_ACCESS_HOURS", 24, minimum=1, maximum=72)
# The emergency limit (ADR 0018): a person opens at most this many households in an emergency
# per this many days, whichever organisation they act for; beyond it a privacy officer of their
# organisation approves first. A request nobody decided within EMERGENCY_REQUEST_HOURS expires.
EMERGENCY_ACCESS_LIMIT = env_int("EMERGENCY_ACCESS_LIMIT", 3, minimum=0, maximum=50)
EMERGENCY_ACCESS_PERIOD_DAYS = env_int("EMERGENCY_ACCESS_PERIOD_DAYS", 7, minimum=1, maximum=90)
EMERGENCY_REQUEST_HOURS = env_int("EMERGENCY_REQUEST_HOURS", 8, minimum=1, maximum=72)
# A shorter retention term takes effect only this many days after it is set and announced to
# the privacy officers (ADR 0015): time to see what the run will remove, and to object.
RETENTION_CHANGE_DELAY_DAYS = env_int("RETENTION_CHANGE_DELAY_DAYS", 14, minimum=1, maximum=90)
# The privacy officer's pages want a code from the app given at most this many hours ago
# (partners.mfa; at most the session's 12 hours).
MFA_FRESH_HOURS = env_int("MFA_FRESH_HOURS", 12, minimum=1, maximum=12)

# --- Sessions: in the database, 30 minutes idle, 12 hours at most --------------------------------

SESSION_ENGINE = "partners.sessions"
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60, minimum=60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 12 * 60 * 60, minimum=60)
if SESSION_IDLE_TIMEOUT > SESSION_ABSOLUTE_TIMEOUT:
    raise ImproperlyConfigured(
        "SESSION_IDLE_TIMEOUT: must not be longer than SESSION_ABSOLUTE_TIMEOUT."
    )
# The page warns this long before the idle limit, with a button to stay signed in (ADR 0016).
SESSION_WARNING_SECONDS = env_int(
    "SESSION_WARNING_SECONDS",
    min(5 * 60, SESSION_IDLE_TIMEOUT // 2),
    minimum=10,
    maximum=SESSION_IDLE_TIMEOUT // 2,
)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security headers ---------------------------------------------------------------------------

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
# A refused form (the page was open across a new login, or cookies are blocked) gets a Dutch page
# in the site's layout that says what to do, not Django's English one.
CSRF_FAILURE_VIEW = "inclusie.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# No 'unsafe-inline' anywhere, and nothing from another host: every asset is in static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Language and time --------------------------------------------------------------------------

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files (served by WhiteNoise; never from a CDN) --------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("STATIC_PLAIN_STORAGE", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Files browsers ask for at the root of the site (/favicon.ico, /apple-touch-icon.png), served
# by WhiteNoise from here, cached for a month (they carry no hash in their name).
WHITENOISE_ROOT = BASE_DIR / "static" / "icons"
WHITENOISE_ADD_HEADERS_FUNCTION = root_file_headers

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail: to the console unless an SMTP host is given ----------------------------------------

EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", "") or None  # for the file-based backend
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Inclusie <noreply@inclusie.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging ------------------------------------------------------------------------------------

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL: {LOG_LEVEL!r} is not a logging level.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # The reference the 500 page shows goes on the log line of that error (inclusie/errors.py).
    "filters": {
        "error_reference": {"()": "inclusie.errors.ErrorReferenceFilter"},
        # A personal link's token is a key: never in a log line (ADR 0032).
        "link_token": {"()": "inclusie.log_redaction.LinkTokenFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["link_token"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.request": {"filters": ["error_reference"]},
    },
}

# --- The API (ADR 0024, 0025) -------------------------------------------------------------------

# The full version, in the API-Version header of every answer; the major one is in the path.
API_VERSION = "1.0.0"
# Requests per client (an organisation's system) in the shared cache, as "number/period".
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "600/min")
# Wrong keys per address in the shared cache; past it a 429 before any key is looked up.
API_FAILED_KEY_LIMIT = env_str("API_FAILED_KEY_LIMIT", "30/min")
for _name, _rate in (
    ("API_RATE_LIMIT", API_RATE_LIMIT),
    ("API_FAILED_KEY_LIMIT", API_FAILED_KEY_LIMIT),
    ("LINK_RATE_LIMIT", LINK_RATE_LIMIT),
    ("LINK_FAILED_TOKEN_LIMIT", LINK_FAILED_TOKEN_LIMIT),
):
    if not re.fullmatch(r"[1-9]\d*/(s|sec|m|min|h|hour|d|day)", _rate):
        raise ImproperlyConfigured(f"{_name}: {_rate!r} must be a number per period, like 600/min.")
INSTALLED_APPS += ["rest_framework", "drf_spectacular"]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["inclusie.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["inclusie.api.permissions.ScopeRequired"],
    "DEFAULT_THROTTLE_CLASSES": ["inclusie.api.throttling.ClientRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "inclusie.api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "NON_FIELD_ERRORS_KEY": "nonFieldErrors",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Inclusie API",
    "DESCRIPTION": (
        "De API van Inclusie voor de systemen van de organisaties in de wijk: huishoudens en "
        "verwijzingen lezen, verwijzingen beantwoorden. Elk systeem handelt namens zijn eigen "
        "organisatie, met de rechten die de beheerder het gaf, en ziet precies wat die "
        "organisatie ziet. Elke inzage en wijziging staat in het toegangslogboek. Volgt de "
        "NL API Design Rules (zie docs/adr/0025)."
    ),
    "VERSION": API_VERSION,
    "CONTACT": {
        "name": "Beheer van Inclusie",
        "url": SITE_URL,
        "email": email.utils.parseaddr(DEFAULT_FROM_EMAIL)[1],
    },
    "SERVERS": [{"url": f"{SITE_URL}/api/v1", "description": "Deze installatie"}],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "VerwijzingStatus": "cases.workflow.ReferralStatus",
        "RedenWeigering": "cases.workflow.DeclineReason",
        "Uitkomst": "cases.workflow.ReferralOutcome",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "inclusie.api.schema.postprocess",
    ],
}
