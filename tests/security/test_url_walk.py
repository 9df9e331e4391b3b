"""Walk every URL pattern the project has. Anonymous: a page that is not public answers with a
redirect to the login page (or 405 for a wrong method), never with content, never with a 404 that
could hide an open view. Logged in: every page is private to the browser cache and carries no
inline code. A new view cannot slip past: it is protected, or listed here on purpose."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from cases.services.emergency import emergency_access_open

pytestmark = pytest.mark.django_db

# Pages anyone may see without logging in, by view name, with what an anonymous GET gets.
PUBLIC = {
    "health": {200},
    "alive": {200},
    "accessibility": {200},  # the accessibility statement, for everyone
    "set_language": {302},  # a GET without a language just goes back
    "account_login": {200},
    "account_signup": {200},  # says that sign-up is closed
    "account_inactive": {200},
    "account_reset_password": {200},
    "account_reset_password_done": {200},
    "account_reset_password_from_key": {200},  # says the link is invalid
    "account_reset_password_from_key_done": {200},
    "mfa_authenticate": {302},  # only in the middle of a login
    "partners:invitation_accept": {404},  # the link from the e-mail: 404 unless the token is valid
    # A personal link's pages (ADR 0032): 404 unless the token is valid; its steps only POST.
    "links:offer": {404},
    "links:offer_step": {405},
    "links:proposals": {404},
    "links:proposal": {404},
    "links:proposal_step": {405},
    "links:proposal_help_given": {405},
    # Signing in through an identity provider (ADR 0021): 404 for a provider not configured; the
    # pages of a cancelled or failed attempt say so (a failure with 401).
    "openid_connect_login": {404},
    "openid_connect_callback": {404},
    "socialaccount_login_cancelled": {200},
    "socialaccount_login_error": {401},
    # The API (ADR 0025): its document is public; every other address under it is a 404 problem.
    "api:openapi-json": {200},
    "api:openapi-yaml": {200},
    "api:not_found": {404},
    # The installable app (ADR 0030): the worker's script and the manifest hold no personal data.
    "service_worker": {200},
    "manifest": {200},
}
# The API's resources answer a request without a key with a 401 problem, not a login page.
API = "api:"
LOGIN = "/account/login/"
SAMPLE = {"int": "1", "str": "voorbeeld", "slug": "voorbeeld", "path": "voorbeeld"}
# Regex groups of allauth's routes, with a value each matches.
REGEX_SAMPLE = {"uidb36": "1", "key": "set-password"}


def walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, prefix + str(entry.pattern)


def to_path(pattern: str) -> str:
    """A concrete path for a route: path converters and regex groups get sample values."""
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: REGEX_SAMPLE[m.group(1)], pattern)
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], path)
    return "/" + path.replace("^", "").replace("$", "")


ALL = sorted(set(walk(get_resolver().url_patterns)), key=lambda item: item[1])
IDS = [f"{name}:{pattern}" for name, pattern in ALL]


def test_the_walk_finds_the_projects_urls_and_builds_paths_that_resolve():
    names = {name for name, _ in ALL}
    assert {"start", "partners:member_list", "account_login", "mfa_index"} <= names
    # Support packages, hours and the ledger (issue 6): walked like every other page.
    assert {
        "packages:inbox",
        "packages:detail",
        "packages:act",
        "packages:household",
        "ledger:ledger",
        "ledger:print",
        "ledger:hours",
        "ledger:costs",
        "ledger:rate",
        "ledger:estimate_create",
        "ledger:estimate_edit",
        "ledger:splits",
        "ledger:split_edit",
    } <= names
    assert set(PUBLIC) <= names, "a public page listed here no longer exists"
    for name, pattern in ALL:
        assert resolve(to_path(pattern)).view_name == name, pattern


def test_email_address_management_is_not_offered():
    names = {name for name, _ in ALL}
    assert not names & {"account_email", "account_set_password", "account_confirm_login_code"}


@pytest.mark.parametrize(("name", "pattern"), ALL, ids=IDS)
def test_anonymous_never_gets_a_private_page(client, name, pattern):
    path = to_path(pattern)
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        if name in PUBLIC:
            if method == "get":
                assert response.status_code in PUBLIC[name], (path, response.status_code)
            continue
        status = response.status_code
        if name.startswith(API):
            assert status in (401, 405), f"{method.upper()} {path} ({name}) answered {status}"
            assert response["Content-Type"] == "application/problem+json"
            continue
        assert status in (302, 405), f"{method.upper()} {path} ({name}) answered {status}"
        if status == 302:
            assert response["Location"].startswith(LOGIN), response["Location"]


@pytest.fixture
def logged_in_with_totp(login, admin):
    TOTP.activate(admin.user, generate_totp_secret())
    client = login(admin)
    # A fresh login counts as a recent authentication for allauth's sensitive pages.
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session.save()
    return client


@override_settings(MFA_REQUIRED=True)
@pytest.mark.parametrize(("name", "pattern"), ALL, ids=IDS)
def test_every_page_of_a_logged_in_person_is_private_and_has_no_inline_code(
    logged_in_with_totp, name, pattern
):
    assert_private_without_inline_code(logged_in_with_totp.get(to_path(pattern)), name)


def assert_private_without_inline_code(response, name):
    cache_control = response.get("Cache-Control", "")
    assert "no-store" in cache_control and "private" in cache_control, name
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        html = response.content.decode()
        # Data for scripts comes as JSON (Django's json_script), which a browser never runs.
        assert not re.search(r'<script(?![^>]*\b(?:src=|type="application/json"))[^>]*>', html), (
            name
        )
        assert "<style" not in html, name
        assert not re.search(r'\sstyle="', html), name
        assert not re.search(r"\son[a-z]+=", html), name
        assert not re.search(r'(?:src|href)="(?:https?:)?//', html), name


# --- the privacy pages, walked by whom they are for (issue 7) ---------------------------------

PRIVACY = sorted((name, pattern) for name, pattern in ALL if name.startswith("privacy:"))


def test_every_privacy_page_is_in_the_walk():
    assert {name for name, _ in PRIVACY} >= {
        "privacy:access_log",
        "privacy:avg_overview",
        "privacy:avg_export",
        "privacy:erase",
        "privacy:retention_terms",
        "privacy:emergency_open",
        "privacy:emergency_detail",
    }


def _installer_client():
    """An installation administrator (no membership), logged in with a session that passed
    MFA."""
    from django.test import Client

    from tests.factories import UserFactory

    installer = UserFactory(email="installatie@test.example", is_installation_admin=True)
    TOTP.activate(installer, generate_totp_secret())
    client = Client()
    client.force_login(installer, backend="django.contrib.auth.backends.ModelBackend")
    return client


INSTALLATION = ["start", "cases:category_list", "cases:category_create", "cases:category_edit"]


@override_settings(MFA_REQUIRED=True)
def test_the_installation_pages_of_their_administrator_are_private_without_inline_code(
    categories,
):
    client = _installer_client()
    for name, pattern in ALL:
        if name not in INSTALLATION:
            continue
        path = re.sub(r"<int:\w+>", str(categories[0].pk), "/" + pattern)
        response = client.get(path)
        assert response.status_code == 200, (name, path)
        assert_private_without_inline_code(response, name)


@pytest.fixture
def privacy_world(privacy_officer, admin, care_worker, household, settings):
    """Each privacy page's reader, logged in with a session that passed MFA, and the objects
    its URL names."""
    from django.test import Client
    from django.utils import timezone

    from cases.models import AccessReport
    from partners.actor import SESSION_KEY
    from tests.factories import HouseholdFactory, MembershipFactory

    care_officer = MembershipFactory(
        organisation=care_worker.organisation, role="privacyfunctionaris"
    )
    readers = [
        ("officer", privacy_officer),
        ("admin", admin),
        ("care", care_worker),
        ("care_officer", care_officer),
    ]
    clients = {}
    for name, membership in readers:
        TOTP.activate(membership.user, generate_totp_secret())
        client = Client()
        client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[SESSION_KEY] = membership.pk
        session["account_authentication_methods"] = [
            {"method": "password", "at": time.time()},
            {"method": "mfa", "at": time.time(), "type": "totp"},
        ]
        session["account_authentication_methods_user"] = str(membership.user.pk)
        session.save()
        clients[name] = client
    clients["installer"] = _installer_client()
    access = emergency_access_open(
        actor=care_worker, household=household, reason="Bewoner reageert niet, buren bezorgd."
    )
    settings.EMERGENCY_ACCESS_LIMIT = 1  # the second is a request for the care officer
    request = emergency_access_open(
        actor=care_worker,
        household=HouseholdFactory(corporation=household.corporation),
        reason="Bewoner reageert niet, buren bezorgd.",
    )
    report = AccessReport.objects.create(
        organisation=privacy_officer.organisation, day=timezone.localdate()
    )
    ids = {"household": household.pk, "access": access.pk, "report": report.pk}
    return clients, ids | {"request": request.pk}


# The privacy pages read by someone else than the corporation's privacy officer, or naming
# another object than the household: (reader, object).
PRIVACY_READERS = {
    "privacy:retention_terms": ("admin", None),
    "privacy:access_log_term": ("installer", None),
    "privacy:report_detail": ("officer", "report"),
    "privacy:emergency_open": ("care", None),
    "privacy:emergency_detail": ("care", "access"),
    "privacy:emergency_request": ("care", "request"),
    "privacy:emergency_request_decide": ("care_officer", "request"),
    "privacy:emergency_request_approve": ("care_officer", "request"),
    "privacy:emergency_request_refuse": ("care_officer", "request"),
}
# Forms that only take a POST: a GET is refused.
PRIVACY_POST_ONLY = {"privacy:emergency_request_approve", "privacy:emergency_request_refuse"}


@override_settings(MFA_REQUIRED=True)
def test_every_privacy_page_of_its_reader_is_private_and_has_no_inline_code(privacy_world):
    clients, ids = privacy_world
    for name, pattern in PRIVACY:
        reader, sample = PRIVACY_READERS.get(name, ("officer", "household"))
        path = re.sub(r"<int:\w+>", str(ids.get(sample)), "/" + pattern)
        response = clients[reader].get(path)
        expected = 405 if name in PRIVACY_POST_ONLY else 200
        assert response.status_code == expected, (name, path, response.status_code)
        cache_control = response.get("Cache-Control", "")
        assert "no-store" in cache_control and "private" in cache_control, name
        if response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), name
            assert "<style" not in html and not re.search(r'\sstyle="', html), name
            assert not re.search(r"\son[a-z]+=", html), name


DASHBOARD_PAGES = [(name, pattern) for name, pattern in ALL if name.startswith("dashboards:")]


def test_the_walk_reaches_the_dashboards():
    assert {name for name, _ in DASHBOARD_PAGES} == {"dashboards:dashboard", "dashboards:export"}


@override_settings(MFA_REQUIRED=True)
@pytest.mark.parametrize(("name", "pattern"), DASHBOARD_PAGES)
def test_a_managers_dashboard_and_exports_are_private_and_have_no_inline_code(
    login, manager, name, pattern
):
    """The administrator above is refused the dashboards (403); a manager gets them."""
    from cases.services.dashboards import dashboard_refresh

    dashboard_refresh()
    TOTP.activate(manager.user, generate_totp_secret())
    client = login(manager)
    path = to_path(pattern).replace("voorbeeld.voorbeeld", "verwijzingen.csv")
    response = client.get(path)
    assert response.status_code == 200, path
    assert_private_without_inline_code(response, name)
    assert "<script" in response.content.decode() or name == "dashboards:export"
