"""The fixed cast every test can use, and the rules for the real services.

Under CI=true the suite refuses to fall back: SQLite, a missing Redis or a missing Chromium is a
failure, not a skip."""

import contextlib
import os
import shutil

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import psycopg  # noqa: E402
import pytest  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from cases.services.referrals import referral_send  # noqa: E402
from partners.actor import SESSION_KEY  # noqa: E402
from partners.models import Membership, Organisation  # noqa: E402
from tests.factories import (  # noqa: E402
    PASSWORD,
    MembershipFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
    SignalFactory,
    UserFactory,
    agree,
    build_ledger_example,
    consent_given,
)

# The worlds: fixtures that build a whole situation for the tests of several directories; and a
# real OpenID Connect provider for the sign-in through an identity provider (ADR 0021).
pytest_plugins = [
    "tests.worlds.dashboards",
    "tests.worlds.privacy",
    "tests.worlds.today",
    "tests.worlds.duplicates",
    "tests.worlds.helpers",
    "tests.worlds.matches",
    "tests.worlds.matching",
    "tests.worlds.help_balance",
    "tests.identity_provider",
    "tests.servers",
    "tests.systems",
]
CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() == "true"
Role = Membership.Role
Kind = Organisation.Kind


def redis_available() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def pytest_configure(config):
    if not IN_CI:
        return
    problems = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append("DATABASE_URL does not point at PostgreSQL")
    if not redis_available():
        problems.append("Redis is not reachable through REDIS_URL")
    if not os.access(CHROMIUM, os.X_OK):
        problems.append(f"Chromium is missing at {CHROMIUM}")
    if not shutil.which("docker-compose"):
        problems.append("docker-compose is missing")
    if not settings.DATABASE_APP_ROLE:
        problems.append("DATABASE_APP_ROLE is not set")
    if problems:
        pytest.exit("CI=true but " + "; ".join(problems) + ".", returncode=3)


@pytest.fixture(scope="session")
def in_ci():
    """CI=true: what this machine lacks is a failure, not a skip."""
    return IN_CI


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, the only browser the browser tests drive."""
    return CHROMIUM


@pytest.fixture
def requires_redis():
    if not redis_available():
        if IN_CI:
            pytest.fail("Redis is required under CI=true.")
        pytest.skip("Redis is not available (set REDIS_URL; `make test` does).")


@pytest.fixture
def app_role_connect():
    """Connect to the test database as the application's database role (ADR 0017), with
    psycopg and autocommit: each call opens a connection, closed after the test. It sees only
    what was committed, so the tests that use it are transactional."""
    role = settings.DATABASE_APP_ROLE
    if connection.vendor != "postgresql" or not role:
        if IN_CI:
            pytest.fail("PostgreSQL and DATABASE_APP_ROLE are required under CI=true.")
        pytest.skip("Needs PostgreSQL and DATABASE_APP_ROLE (`make test` sets both).")
    opened = []

    def connect() -> psycopg.Connection:
        params = connection.settings_dict
        opened.append(
            psycopg.connect(
                host=params["HOST"] or "127.0.0.1",
                port=params["PORT"] or 5432,
                dbname=params["NAME"],
                user=role,
                autocommit=True,
            )
        )
        return opened[-1]

    yield connect
    for each in opened:
        each.close()


# --- The cast ---------------------------------------------------------------------------------


@pytest.fixture
def corporation(db):
    return OrganisationFactory(name="Woonstichting Testdorp", kind=Kind.CORPORATIE)


@pytest.fixture
def welfare(db):
    return OrganisationFactory(name="Welzijn Testdorp", kind=Kind.WELZIJN)


@pytest.fixture
def care(db):
    return OrganisationFactory(name="Zorg Testdorp", kind=Kind.ZORG)


@pytest.fixture
def municipality(db):
    return OrganisationFactory(name="Gemeente Testdorp", kind=Kind.GEMEENTE)


@pytest.fixture
def third_corporation(db):
    return OrganisationFactory(name="Woonbron Elders", kind=Kind.CORPORATIE)


@pytest.fixture
def neighbourhood(db):
    return NeighbourhoodFactory(name="De Akkers", cbs_code="WK990102", municipality="Testdorp")


def _member(organisation, role, email, name):
    return MembershipFactory(
        user=UserFactory(email=email, name=name), organisation=organisation, role=role
    )


@pytest.fixture
def corporation_worker(corporation):
    return _member(corporation, Role.MEDEWERKER, "woonconsulent@test.example", "Sanne Test")


@pytest.fixture
def welfare_worker(welfare):
    return _member(welfare, Role.MEDEWERKER, "welzijn@test.example", "Fatma Test")


@pytest.fixture
def care_worker(care):
    return _member(care, Role.MEDEWERKER, "zorg@test.example", "Daan Test")


@pytest.fixture
def shared_worker(corporation, welfare, municipality):
    """A samenlevingsondersteuner: member of the corporation, welfare and the municipality.
    Returns the corporation membership; the others are in .user.memberships."""
    first = _member(corporation, Role.MEDEWERKER, "slo@test.example", "Mila Test")
    MembershipFactory(user=first.user, organisation=welfare, role=Role.MEDEWERKER)
    MembershipFactory(user=first.user, organisation=municipality, role=Role.MEDEWERKER)
    return first


@pytest.fixture
def manager(corporation):
    return _member(corporation, Role.MANAGER, "manager@test.example", "Petra Test")


@pytest.fixture
def admin(corporation):
    return _member(corporation, Role.BEHEERDER, "beheerder@test.example", "Joost Test")


@pytest.fixture
def privacy_officer(corporation):
    return _member(corporation, Role.PRIVACYFUNCTIONARIS, "privacy@test.example", "Ingrid Test")


@pytest.fixture
def outsider(third_corporation):
    return _member(third_corporation, Role.MEDEWERKER, "buiten@test.example", "Olaf Test")


@pytest.fixture
def outsider_admin(third_corporation):
    return _member(third_corporation, Role.BEHEERDER, "beheer@elders.example", "Bram Test")


@pytest.fixture
def login(client):
    """Log a membership's person in on the test client, acting for that membership."""

    def _login(membership):
        client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[SESSION_KEY] = membership.pk
        session.save()
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Factories hash a password per person; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_cache():
    """The cache holds login rate limits; each test starts with none. Only this run's keys go
    (CACHE_KEY_PREFIX), so a Celery queue or another checkout in the same Redis is left alone.
    An unreachable Redis is reported by requires_redis, not here."""
    from django.core.cache import cache

    prefix = settings.CACHES["default"].get("KEY_PREFIX")
    with contextlib.suppress(Exception):
        if settings.REDIS_URL:
            import redis

            connection = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2)
            for key in connection.scan_iter(f"{prefix}:*"):
                connection.delete(key)
        else:
            cache.clear()


# --- households of the cast's corporation and of another one ---------------------------------


@pytest.fixture
def household(corporation, neighbourhood):
    from tests.factories import HouseholdFactory, ResidentFactory

    household = HouseholdFactory(
        corporation=corporation,
        street="Lindelaan",
        house_number=12,
        house_number_addition="a",
        postcode="9901 AB",
        neighbourhood=neighbourhood,
        tenancy_reference="HC-000012",
    )
    ResidentFactory(household=household, name="Anna de Test", birth_year=1948)
    return household


@pytest.fixture
def other_household(third_corporation, neighbourhood):
    from tests.factories import HouseholdFactory

    return HouseholdFactory(corporation=third_corporation, neighbourhood=neighbourhood)


@pytest.fixture
def categories(db):
    """The categories the data migration seeds; after a transactional test has flushed the
    database they are gone, and three stand-ins take their place."""
    from cases.models import SignalCategory
    from tests.factories import SignalCategoryFactory

    if not SignalCategory.objects.exists():
        for code, name in [
            ("eenzaamheid", "Eenzaamheid"),
            ("huurachterstand", "Huurachterstand"),
            ("overlast", "Overlast"),
        ]:
            SignalCategoryFactory(code=code, name=name)
    return list(SignalCategory.objects.filter(is_active=True))


@pytest.fixture
def lonely(categories):
    return categories[0]


# --- a referral that tells welfare's intake -------------------------------------------------


@pytest.fixture
def intake(welfare):
    """Welfare's intake: the one colleague marked as receiving referrals."""
    return MembershipFactory(
        organisation=welfare, role=Membership.Role.MEDEWERKER, receives_referrals=True
    )


@pytest.fixture
def welfare_manager(welfare):
    return MembershipFactory(organisation=welfare, role=Membership.Role.MANAGER)


@pytest.fixture
def send(corporation_worker, household, welfare, lonely, django_capture_on_commit_callbacks):
    """Send a referral on consent to welfare, committing so the delivery runs."""
    agree(corporation_worker.organisation, welfare, lonely)
    consent_given(corporation_worker, household, welfare, [lonely])

    def _send(**extra):
        signal = SignalFactory(
            household=household, category=lonely, created_by=corporation_worker.user
        )
        with django_capture_on_commit_callbacks(execute=True):
            return referral_send(
                actor=corporation_worker,
                household=household,
                to_organisation=welfare,
                signals=[signal],
                **extra,
            )

    return _send


# --- the ledger's worked example (tests/factories/ledger.py) -----------------------------------


@pytest.fixture
def ledger_example(
    corporation,
    welfare,
    municipality,
    care,
    third_corporation,
    household,
    shared_worker,
    categories,
):
    """The worked example of ADR 0009, first quarter of 2025."""
    build_ledger_example(
        corporation, welfare, municipality, care, third_corporation, household, shared_worker
    )
