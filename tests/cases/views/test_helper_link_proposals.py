"""The requests proposed to a helper, through their personal link (ADR 0033): before both sides
agreed only the kind of help, the street, roughly when and whether a VOG is needed; the first
name and contact details only after. Every view is in the access log with the link as actor.
Another helper's proposal is a 404, and an expired or revoked link stops at once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog, HelpMatch, PersonalLink
from cases.services.links import helper_link_revoke
from cases.services.matches import match_household_agrees
from cases.workflow import MatchStatus

pytestmark = pytest.mark.django_db


def _pages(world, match):
    return (
        reverse("links:proposals", args=[world.token]),
        reverse("links:proposal", args=[world.token, match.pk]),
    )


def test_no_contact_detail_before_both_sides_agree(client, help_world, help_secrets):
    match = help_world.proposed()
    for url in _pages(help_world, match):
        html = client.get(url).content.decode()
        assert "Boodschappen" in html and "Kerkstraat" in html
        for secret in (*help_secrets, "Boodschappen doen op maandag"):
            assert secret not in html, (url, secret)
    # The household agreed, the helper not yet: still nothing.
    match_household_agrees(actor=help_world.worker, match=match)
    for url in _pages(help_world, match):
        html = client.get(url).content.decode()
        assert not any(secret in html for secret in help_secrets), url


def test_contact_details_once_both_agreed(client, help_world, help_secrets):
    match = help_world.proposed()
    proposal = reverse("links:proposal", args=[help_world.token, match.pk])
    answered = client.post(
        reverse("links:proposal_step", args=[help_world.token, match.pk, "accepteren"])
    )
    assert answered.status_code == 302
    assert not any(s in client.get(proposal).content.decode() for s in help_secrets)
    match_household_agrees(actor=help_world.worker, match=match)
    for url in _pages(help_world, match):
        html = client.get(url).content.decode()
        for secret in help_secrets:
            assert secret in html, (url, secret)


def test_every_view_is_in_the_access_log_with_the_link_as_actor(client, help_world):
    match = help_world.proposed()
    before = AccessLog.objects.filter(channel="link").count()
    for url in _pages(help_world, match):
        assert client.get(url).status_code == 200
    rows = AccessLog.objects.filter(channel="link").order_by("pk")[before:]
    assert [(row.action, row.household_id) for row in rows] == [
        ("search", help_world.household.pk),
        ("view", help_world.household.pk),
    ]
    assert {row.agent for row in rows} == {help_world.link.reference}
    assert {row.legal_basis for row in rows} == {"toestemming"}


def test_the_helper_declines_and_ends_agreed_help_with_a_reason(client, help_world):
    match = help_world.proposed()
    step = reverse("links:proposal_step", args=[help_world.token, match.pk, "afwijzen"])
    assert client.post(step, {"reason": "Geen tijd"}).status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.DECLINED and match.end_reason == "Geen tijd"
    agreed = help_world.agreed()
    end = reverse("links:proposal_step", args=[help_world.token, agreed.pk, "beeindigen"])
    refused = client.post(end, {"reason": ""})
    assert refused.status_code == 400
    assert client.post(end, {"reason": "Verhuisd"}).status_code == 302
    agreed.refresh_from_db()
    assert agreed.status == MatchStatus.ENDED and agreed.ended_by == "helper"


def test_a_link_cannot_open_another_helpers_proposal(client, help_world, link_token_of):
    other = help_world.helper_also()
    other_token = link_token_of(help_world.worker, other)
    theirs = help_world.proposed(helper=other)
    mine = help_world.proposed(request=theirs.request)
    assert client.get(reverse("links:proposal", args=[other_token, theirs.pk])).status_code == 200
    assert (
        client.get(reverse("links:proposal", args=[help_world.token, theirs.pk])).status_code == 404
    )
    accept = reverse("links:proposal_step", args=[help_world.token, theirs.pk, "accepteren"])
    assert client.post(accept).status_code == 404
    assert HelpMatch.objects.get(pk=theirs.pk).status == MatchStatus.PROPOSED
    listed = client.get(reverse("links:proposals", args=[help_world.token])).content.decode()
    assert reverse("links:proposal", args=[help_world.token, mine.pk]) in listed
    assert f"/hulpvragen/{theirs.pk}/" not in listed


def test_an_expired_or_revoked_link_stops_at_once(client, help_world):
    match = help_world.proposed()
    urls = _pages(help_world, match)
    assert all(client.get(url).status_code == 200 for url in urls)
    PersonalLink.objects.filter(helper=help_world.helper).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert all(client.get(url).status_code == 404 for url in urls)
    PersonalLink.objects.filter(helper=help_world.helper).update(
        expires_at=timezone.now() + timedelta(days=1)
    )
    assert client.get(urls[1]).status_code == 200
    helper_link_revoke(actor=help_world.worker, helper=help_world.helper)
    assert all(client.get(url).status_code == 404 for url in urls)
    accept = reverse("links:proposal_step", args=[help_world.token, match.pk, "accepteren"])
    assert client.post(accept).status_code == 404
    assert HelpMatch.objects.get().status == MatchStatus.PROPOSED


@pytest.mark.parametrize("count", [1, 6])
def test_the_proposals_pages_queries_do_not_grow(
    client, help_world, count, django_assert_max_num_queries
):
    for _n in range(count):
        help_world.agreed(help_world.request())
        help_world.proposed()
    with django_assert_max_num_queries(6):
        page = client.get(reverse("links:proposals", args=[help_world.token]))
    assert page.status_code == 200
    assert page.content.decode().count("Marietje") == count


def test_the_helper_records_help_given_through_the_link_once_both_agreed(client, help_world):
    from cases.models import HelpGiven

    match = help_world.agreed()
    page = reverse("links:proposal", args=[help_world.token, match.pk])
    record = reverse("links:proposal_help_given", args=[help_world.token, match.pk])
    assert 'data-testid="help-given-form"' in client.get(page).content.decode()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    refused = client.post(record, {"given_on": tomorrow, "minutes": "45"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert f'value="{tomorrow}"' in html and 'value="45"' in html, "what was typed is kept"
    assert HelpGiven.objects.count() == 0

    day = timezone.localdate().isoformat()
    response = client.post(record, {"given_on": day, "minutes": "45"})
    assert response.status_code == 302 and response["Location"] == page + "?gedaan=gegeven"
    given = HelpGiven.objects.get()
    assert (given.minutes, given.recorded_by, given.agent) == (
        45,
        None,
        f"link:{help_world.link.pk}",
    )


def test_help_given_is_refused_through_the_link_before_both_agreed(client, help_world):
    from cases.models import HelpGiven

    match = help_world.proposed()
    record = reverse("links:proposal_help_given", args=[help_world.token, match.pk])
    day = timezone.localdate().isoformat()
    assert client.post(record, {"given_on": day, "minutes": "45"}).status_code == 400
    assert HelpGiven.objects.count() == 0


def test_the_helper_takes_a_yes_back_before_the_household_agreed(client, help_world):
    match = help_world.proposed()
    step = "links:proposal_step"
    client.post(reverse(step, args=[help_world.token, match.pk, "accepteren"]))
    page = client.get(reverse("links:proposal", args=[help_world.token, match.pk]))
    assert "Ik kan toch niet helpen" in page.content.decode()
    ended = client.post(
        reverse(step, args=[help_world.token, match.pk, "beeindigen"]), {"reason": "Ziek"}
    )
    assert ended.status_code == 302
    match.refresh_from_db()
    assert (match.status, match.ended_by, match.end_reason) == (MatchStatus.ENDED, "helper", "Ziek")
