"""A helper's own pages through their personal link (ADR 0032): no login, no session, the read
in the access log with channel link, headers that keep the token in; wrong, expired and revoked
tokens get the same Dutch 404; wrong tokens per address and requests per link are limited."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from cases.access.actors import agent_for_link
from cases.models import AccessLog, Helper, HelpMatch, HelpRequest, Household, PersonalLink, Signal
from cases.services.links import helper_link_revoke
from cases.workflow import HelperStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def helper(corporation_worker, register_helper):
    return register_helper(corporation_worker)


@pytest.fixture
def token(corporation_worker, helper, helper_link):
    return helper_link(corporation_worker, helper)


def offer(token):
    return reverse("links:offer", args=[token])


def step(token, name):
    return reverse("links:offer_step", args=[token, name])


def test_the_link_shows_the_helpers_own_offer_and_logs_the_read(client, helper, token):
    response = client.get(offer(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Henk" in html and "boodschappen" in html and "06 0000 1234" in html
    row = AccessLog.objects.get(action="view", object_id=str(helper.pk))
    link = PersonalLink.objects.get()
    assert (row.channel, row.agent, row.agent_name) == ("link", f"link:{link.pk}", "Henk")
    assert row.user_id is None and row.organisation_id == helper.organisation_id


def test_the_pages_set_no_session_and_keep_the_token_in(client, token):
    for response in (client.get(offer(token)), client.get(offer("x" * 43))):
        assert response["Referrer-Policy"] == "no-referrer"
        assert "no-store" in response["Cache-Control"]
        assert django_settings.SESSION_COOKIE_NAME not in response.cookies
    assert "_auth_user_id" not in client.session


def test_the_helper_confirms_pauses_resumes_and_stops(client, helper, token):
    for name, status in (
        ("bevestigen", HelperStatus.ACTIVE),
        ("pauzeren", HelperStatus.PAUSED),
        ("hervatten", HelperStatus.ACTIVE),
    ):
        response = client.post(step(token, name))
        assert response.status_code == 302, name
        helper.refresh_from_db()
        assert helper.status == status
    response = client.post(step(token, "stoppen"))
    assert response.status_code == 200 and "beëindigd" in response.content.decode()
    helper.refresh_from_db()
    assert helper.status == HelperStatus.STOPPED
    assert client.get(offer(token)).status_code == 404  # stopping revoked the link


def test_a_step_twice_is_explained_not_done_twice(client, helper, token):
    client.post(step(token, "bevestigen"))
    response = client.post(step(token, "bevestigen"))
    assert response.status_code == 409 and "actief" in response.content.decode()


def test_wrong_expired_and_revoked_get_the_same_dutch_page(
    client, corporation_worker, helper, token, helper_link
):
    wrong = client.get(offer("A" * 43))
    PersonalLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = client.get(offer(token))
    token = helper_link(corporation_worker, helper)
    assert client.get(offer(token)).status_code == 200
    helper_link_revoke(actor=corporation_worker, helper=helper)
    revoked = client.get(offer(token))
    for response in (wrong, expired, revoked):
        assert response.status_code == 404
        assert "Vraag de medewerker" in response.content.decode()
    assert wrong.content == expired.content == revoked.content


def test_wrong_tokens_from_one_address_are_slowed_down(client, settings, token):
    settings.LINK_FAILED_TOKEN_LIMIT = "3/min"
    for number in range(3):
        assert client.get(offer(f"{number}" * 43)).status_code == 404
    refused = client.get(offer("9" * 43))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert client.get(offer(token)).status_code == 200  # a valid link still passes
    other = client.get(offer("8" * 43), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 404


def test_one_link_is_limited_per_period(client, settings, token):
    settings.LINK_RATE_LIMIT = "2/min"
    assert [client.get(offer(token)).status_code for _ in range(3)] == [200, 200, 429]


def test_a_link_reaches_no_household_of_its_organisation(helper, token, household):
    agent = agent_for_link(PersonalLink.objects.get())
    assert Household.objects.filter(corporation=helper.organisation).exists()
    assert not Household.objects.visible_to(agent).exists()
    assert not Signal.objects.visible_to(agent).exists()


def test_a_link_sees_only_its_own_helper(corporation_worker, helper, token, register_helper):
    other = register_helper(corporation_worker, first_name="Els")
    agent = agent_for_link(PersonalLink.objects.get(helper=helper))
    assert list(Helper.objects.visible_to(agent)) == [helper]
    assert other not in Helper.objects.visible_to(agent)


def test_every_other_door_is_shut_to_a_link(token):
    """Each QuerySet with a visible_to but Helper's and the proposals' (HelpRequest,
    HelpMatch: ADR 0033, tested in test_helper_link_proposals.py) answers nothing to a link, in
    SQL terms: the query is empty before it reaches the database."""
    agent = agent_for_link(PersonalLink.objects.get())
    doors = [
        model
        for model in apps.get_app_config("cases").get_models()
        if hasattr(model.objects, "visible_to") and model not in (Helper, HelpRequest, HelpMatch)
    ]
    assert len(doors) >= 7
    assert [m.__name__ for m in doors if not m.objects.visible_to(agent).query.is_empty()] == []
