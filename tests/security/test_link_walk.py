"""Walk every URL pattern of the project with a helper's personal link (ADR 0032): the token
in every place a route takes a word, the helper's and the link's ids in every place it takes a
number, by GET and POST, without a login. Only the helper's own offer and the requests
proposed to that helper (ADR 0033) answer 200; no staff page, API resource, other helper or
other helper's proposal is reached (the public pages answer as they answer
anyone), and no link page sets a session."""

import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from cases.models import Helper, HelpGiven, HelpMatch, PersonalLink
from cases.workflow import HelperStatus, MatchStatus
from tests.factories import HelpMatchFactory

pytestmark = pytest.mark.django_db
LOGIN = "/account/login/"
# Regex groups of allauth's routes, with a value each matches.
REGEX_SAMPLE = {"uidb36": "1", "key": "set-password"}
# The pages that answer anyone, link or not (tests/security/test_url_walk.py holds them).
PUBLIC = {
    "health",
    "alive",
    "accessibility",
    "account_login",
    "account_signup",
    "account_inactive",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "socialaccount_login_cancelled",
    "api:openapi-json",
    "api:openapi-yaml",
    "service_worker",  # the offline visits' worker and manifest (ADR 0030): no data in them
    "manifest",
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


ALL = sorted(set(walk(get_resolver().url_patterns)), key=lambda item: item[1])


def to_path(pattern: str, *, word: str, number: int) -> str:
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: REGEX_SAMPLE[m.group(1)], pattern)
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: str(number) if m.group(1) == "int" else word, path)
    return "/" + path.replace("^", "").replace("$", "")


def test_a_helpers_link_reaches_only_the_helpers_own_pages(
    client, corporation_worker, register_helper, helper_link
):
    helper = register_helper(corporation_worker)
    other = register_helper(corporation_worker, first_name="Els")
    token = helper_link(corporation_worker, helper)
    link = PersonalLink.objects.get(helper=helper)
    # A request proposed to this helper and one to the other (ADR 0033): only its own opens.
    mine = HelpMatchFactory(helper=helper, request__household__corporation=helper.organisation)
    theirs = HelpMatchFactory(helper=other, request=mine.request)
    numbers = {helper.pk, other.pk, link.pk, mine.pk, theirs.pk, mine.request_id}
    answered = {}
    for name, pattern in ALL:
        for number in numbers:
            path = to_path(pattern, word=token, number=number)
            for method in ("get", "post"):
                response = getattr(client, method)(path)
                status = response.status_code
                if path.startswith("/link/"):
                    assert settings.SESSION_COOKIE_NAME not in response.cookies, path
                if status == 200:
                    if name not in PUBLIC:
                        answered.setdefault(name, set()).add(method)
                    continue
                # 400: what the walk sends is no help given (nor to a match not agreed).
                assert status in (302, 400, 401, 403, 404, 405), f"{method} {path}: {status}"
                if status == 302 and name not in ("set_language",) and "/link/" not in path:
                    assert response["Location"].startswith(LOGIN), (path, response["Location"])
    assert answered == {
        "links:offer": {"get"},
        "links:proposals": {"get"},
        "links:proposal": {"get"},
    }
    # Only its own proposal opened, and the walk's POSTs answered none.
    assert client.get(f"/link/{token}/hulpvragen/{theirs.pk}/").status_code == 404
    assert set(HelpMatch.objects.values_list("status", flat=True)) == {MatchStatus.PROPOSED}
    assert not HelpGiven.objects.exists()
    # The walk's POSTs named no step the link knows: nothing changed.
    assert set(Helper.objects.values_list("status", flat=True)) == {HelperStatus.REGISTERED}
    assert client.get(f"/link/{token}/").status_code == 200
