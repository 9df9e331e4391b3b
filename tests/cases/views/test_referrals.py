"""The referral pages: who sees what (an authorization matrix), the actions, stale forms."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog, Referral
from cases.services.consents import consent_record
from cases.services.referrals import referral_accept, referral_complete
from tests.factories import MembershipFactory, SignalFactory, agree

pytestmark = pytest.mark.django_db


def detail(referral):
    return reverse("referrals:detail", args=[referral.pk])


def act(referral, action):
    return reverse("referrals:act", args=[referral.pk, action])


def test_the_corporation_sends_from_the_household(
    login, corporation_worker, household, corporation, welfare, categories
):
    lonely = categories[0]
    agree(corporation, welfare, lonely)
    consent_record(
        actor=corporation_worker,
        household=household,
        receiving_organisation=welfare,
        purpose="x",
        categories=[lonely],
        given_how="mondeling",
        given_on=timezone.localdate(),
    )
    signal = SignalFactory(household=household, category=lonely)
    client = login(corporation_worker)
    url = reverse("referrals:send", args=[household.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"to_organisation": welfare.pk, "signals": [signal.pk], "message": "Graag contact"}
    )
    assert response.status_code == 302
    assert Referral.objects.get().message == "Graag contact"


def test_without_consent_the_form_says_why_and_keeps_the_message(
    login, corporation_worker, household, corporation, welfare, categories
):
    agree(corporation, welfare, categories[0])
    signal = SignalFactory(household=household, category=categories[0])
    response = login(corporation_worker).post(
        reverse("referrals:send", args=[household.pk]),
        {"to_organisation": welfare.pk, "signals": [signal.pk], "message": "Bewaar mij"},
    )
    assert response.status_code == 200
    assert "toestemming" in str(response.context["form"].non_field_errors())
    assert "Bewaar mij" in response.content.decode()
    assert Referral.objects.count() == 0


@pytest.mark.parametrize(
    ("cast", "sees"),
    [
        ("corporation_worker", True),  # the sender
        ("welfare_worker", True),  # the receiver
        ("care_worker", False),  # a third organisation
        ("outsider", False),  # another corporation
    ],
)
def test_who_sees_the_referral(login, request, sent, cast, sees):
    client = login(request.getfixturevalue(cast))
    response = client.get(detail(sent["referral"]))
    assert response.status_code == (200 if sees else 404)
    listed = client.get(reverse("referrals:inbox"), {"lijst": "alle"}).context["page"].object_list
    outbox = client.get(reverse("referrals:outbox")).context["page"].object_list
    assert (sent["referral"] in [*listed, *outbox]) is sees
    if sees:
        html = response.content.decode()
        assert "Zit veel alleen" in html
        assert "Geheim signaal" not in html, "the receiver sees only the referred signals"


@pytest.mark.parametrize("cast", ["manager", "admin", "privacy_officer"])
def test_the_referral_pages_are_for_workers(login, request, sent, cast):
    client = login(request.getfixturevalue(cast))
    assert client.get(reverse("referrals:inbox")).status_code == 403
    assert client.get(detail(sent["referral"])).status_code == 403


def test_after_withdrawn_consent_or_the_period_the_receiver_sees_it_no_longer_on_the_household(
    login, sent, corporation_worker, welfare_worker, household, settings
):
    from cases.models import Household

    referral = sent["referral"]
    referral_accept(actor=welfare_worker, referral=referral)
    referral_complete(actor=welfare_worker, referral=referral, outcome="geholpen")
    assert Household.objects.visible_to(welfare_worker).filter(pk=household.pk).exists()
    Referral.objects.filter(pk=referral.pk).update(
        closed_at=timezone.now()
        - datetime.timedelta(days=settings.REFERRAL_ACCESS_DAYS_AFTER_CLOSE + 1)
    )
    assert not Household.objects.visible_to(welfare_worker).filter(pk=household.pk).exists()
    # The referral stays in the receiver's list as a record of their work, without the household.
    client = login(welfare_worker)
    page = client.get(detail(referral))
    assert page.status_code == 200
    html = page.content.decode()
    assert household.street not in html and "Zit veel alleen" not in html
    listed = client.get(reverse("referrals:inbox"), {"lijst": "alle"}).content.decode()
    assert household.street not in listed
    rows = AccessLog.objects.filter(user=welfare_worker.user, action__in=["view", "search"])
    assert all(row.household_id is None for row in rows.order_by("-id")[:2])


def test_accept_decline_complete_and_withdraw_from_the_page(
    login, sent, welfare_worker, corporation_worker
):
    referral = sent["referral"]
    client = login(welfare_worker)
    response = client.post(act(referral, "afwijzen"), {"version": referral.version, "reason": ""})
    assert "reason" in response.context["decline_form"].errors
    assert (
        client.post(act(referral, "accepteren"), {"version": referral.version}).status_code == 302
    )
    referral.refresh_from_db()
    response = client.post(act(referral, "afronden"), {"version": referral.version})
    assert "outcome" in response.context["complete_form"].errors
    response = client.post(
        act(referral, "afronden"),
        {"version": referral.version, "outcome": "geholpen", "note": "Naar de soos"},
    )
    assert response.status_code == 302
    page = login(corporation_worker).get(detail(referral)).content.decode()
    assert "Geholpen" in page and "Naar de soos" in page


def test_declining_asks_what_kind_of_reason_and_the_sender_reads_it(
    login, sent, welfare_worker, corporation_worker
):
    referral = sent["referral"]
    client = login(welfare_worker)
    response = client.post(
        act(referral, "afwijzen"), {"version": referral.version, "reason": "Wachtlijst"}
    )
    assert "category" in response.context["decline_form"].errors
    assert "Wachtlijst" in response.content.decode(), "what was typed stays"
    response = client.post(
        act(referral, "afwijzen"),
        {"version": referral.version, "category": "niet_ons_aanbod", "reason": "Wachtlijst"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.decline_category, referral.decline_reason) == ("niet_ons_aanbod", "Wachtlijst")
    page = login(corporation_worker).get(detail(referral)).content.decode()
    assert "Niet ons aanbod: Wachtlijst" in page


def test_a_stale_form_says_who_changed_it(login, sent, welfare_worker, welfare):
    referral = sent["referral"]
    old_version = referral.version
    colleague = MembershipFactory(organisation=welfare, user__name="Karin Collega")
    referral_accept(actor=colleague, referral=referral)
    response = login(welfare_worker).post(
        act(referral, "afwijzen"),
        {"version": old_version, "category": "geen_capaciteit", "reason": "Geen plek"},
    )
    assert response.status_code == 200
    assert "Karin Collega" in response.content.decode()
    assert (
        'value="Geen plek"' in response.content.decode() or "Geen plek" in response.content.decode()
    )
    referral.refresh_from_db()
    assert referral.status == "geaccepteerd"


def test_wrong_methods_and_unknown_actions(login, sent, welfare_worker):
    client = login(welfare_worker)
    assert client.post(reverse("referrals:inbox")).status_code == 405
    assert client.get(act(sent["referral"], "accepteren")).status_code == 405
    assert client.post(act(sent["referral"], "opeten"), {"version": 1}).status_code == 404


def test_lists_and_pages_are_logged_on_the_referrals_basis(login, sent, welfare_worker):
    client = login(welfare_worker)
    client.get(reverse("referrals:inbox"))
    client.get(detail(sent["referral"]))
    rows = list(AccessLog.objects.filter(user=welfare_worker.user).order_by("id"))
    assert [(r.action, r.legal_basis) for r in rows] == [
        ("search", "toestemming"),
        ("view", "toestemming"),
    ]
    assert rows[0].household_id == sent["referral"].household_id


def test_the_receiver_assigns_a_colleague(login, sent, welfare_worker, welfare, care_worker):
    referral = sent["referral"]
    colleague = MembershipFactory(organisation=welfare, user__name="Karin Collega")
    client = login(welfare_worker)
    response = client.post(
        act(referral, "toewijzen"), {"version": referral.version, "user": colleague.user_id}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.assigned_to == colleague.user
    refused = client.post(
        act(referral, "toewijzen"), {"version": referral.version, "user": care_worker.user_id}
    )
    assert refused.status_code == 200, "only colleagues of the own organisation"
    mine = login(colleague).get(reverse("referrals:inbox"), {"lijst": "mijn"})
    assert referral in mine.context["page"].object_list


def test_a_referral_to_a_named_colleague(
    login,
    corporation_worker,
    household,
    corporation,
    welfare,
    welfare_worker,
    care_worker,
    categories,
):
    lonely = categories[0]
    agree(corporation, welfare, lonely)
    consent_record(
        actor=corporation_worker,
        household=household,
        receiving_organisation=welfare,
        purpose="x",
        categories=[lonely],
        given_how="mondeling",
        given_on=timezone.localdate(),
    )
    signal = SignalFactory(household=household, category=lonely)
    client = login(corporation_worker)
    url = reverse("referrals:send", args=[household.pk])
    wrong = client.post(
        url, {"to_organisation": welfare.pk, "signals": [signal.pk], "to_person": care_worker.pk}
    )
    assert "to_person" in wrong.context["form"].errors, "only people of the partners listed"
    client.post(
        url, {"to_organisation": welfare.pk, "signals": [signal.pk], "to_person": welfare_worker.pk}
    )
    referral = Referral.objects.get()
    assert referral.to_person == welfare_worker.user
    mine = login(welfare_worker).get(reverse("referrals:inbox"), {"lijst": "mijn"})
    assert referral in mine.context["page"].object_list, "addressed to them by name"
