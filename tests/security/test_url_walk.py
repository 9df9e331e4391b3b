"""Walk every URL pattern the project has: an anonymous request never gets a 200 on a page that
is not public. A new view cannot slip past: it is either protected or listed here on purpose."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Pages that anyone may see without logging in, by URL name.
PUBLIC = {
    "health",
    "set_language",
    "account_login",
    "account_signup",  # says that sign-up is closed
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_inactive",
    "account_confirm_email",
    "account_email_verification_sent",
    "partners:invitation_accept",  # the link from the e-mail; 404 unless the token is valid
}

SAMPLE = {
    "int": "1",
    "str": "voorbeeld",
    "slug": "voorbeeld",
    "uuid": "0" * 8 + "-0000-0000-0000-" + "0" * 12,
    "path": "voorbeeld",
}


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
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], pattern)
    # regex patterns (allauth uses a few)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "voorbeeld", path)
    path = path.lstrip("^").rstrip("$").replace("\\", "")
    return "/" + path


ALL = sorted(set(walk(get_resolver().url_patterns)), key=lambda item: item[1])


def test_the_walk_finds_the_projects_urls():
    names = {name for name, _ in ALL}
    assert {"start", "partners:member_list", "account_login", "mfa_index"} <= names
    assert len(ALL) > 20


@pytest.mark.parametrize(("name", "pattern"), ALL, ids=[f"{n}:{p}" for n, p in ALL])
def test_anonymous_never_gets_a_private_page(client, name, pattern):
    path = to_path(pattern)
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        if name in PUBLIC:
            continue
        assert response.status_code != 200, f"{method.upper()} {path} ({name}) is open to anyone"
        if response.status_code in (301, 302):
            assert "/account/login/" in response["Location"], response["Location"]
