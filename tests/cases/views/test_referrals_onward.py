"""The onward referral's pages (ADR 0023): the partner that accepted refers onward (allowed),
one that declined or has not accepted is refused (403), one that never had it finds nothing
(404), the receiver sees where it came from, and nobody else sees any of it."""

import pytest
from django.urls import reverse

from cases.models import AccessLog, Referral
from cases.services.referrals import referral_decline, referral_send, referral_send_onward
from partners.models import Membership
from tests.factories import MembershipFactory, SignalFactory, agree, consent_given

pytestmark = pytest.mark.django_db


def onward_url(referral):
    return reverse("referrals:onward", args=[referral.pk])


def detail(referral):
    return reverse("referrals:detail", args=[referral.pk])


def test_the_partner_that_accepted_refers_onward_from_the_referral_page(
    login, onward_ready, welfare_worker, care
):
    client = login(welfare_worker)
    page = client.get(detail(onward_ready)).content.decode()
    assert onward_url(onward_ready) in page
    form = client.get(onward_url(onward_ready))
    assert form.status_code == 200
    assert list(form.context["form"].fields["to_organisation"].queryset) == [care]
    signal = onward_ready.signals.get()
    response = client.post(
        onward_url(onward_ready),
        {"to_organisation": care.pk, "signals": [signal.pk], "message": "Graag zorgintake"},
    )
    referral = Referral.objects.get(via_referral=onward_ready)
    assert response.status_code == 302 and response["Location"] == detail(referral)
    assert referral.message == "Graag zorgintake"
    again = client.get(detail(onward_ready)).content.decode()
    assert 'data-testid="referral-onward"' in again and detail(referral) in again
    assert onward_url(onward_ready) not in again, "its one signal is passed on already"


def test_without_consent_the_form_says_why_and_keeps_what_was_typed(
    login, welfare_referral, welfare, welfare_worker, care, lonely
):
    agree(welfare, care, lonely)
    response = login(welfare_worker).post(
        onward_url(welfare_referral),
        {
            "to_organisation": care.pk,
            "signals": [welfare_referral.signals.get().pk],
            "message": "Bewaar mij",
        },
    )
    assert response.status_code == 200
    assert "toestemming" in str(response.context["form"].non_field_errors())
    assert "Bewaar mij" in response.content.decode()
    assert not Referral.objects.filter(via_referral=welfare_referral).exists()


def test_a_referral_not_accepted_or_declined_is_a_403_and_one_never_had_a_404(
    login, corporation_worker, welfare_worker, care_worker, outsider, household, welfare, lonely
):
    agree(corporation_worker.organisation, welfare, lonely)
    consent_given(corporation_worker, household, welfare, [lonely])

    def sent():
        signal = SignalFactory(household=household, category=lonely)
        return referral_send(
            actor=corporation_worker, household=household, to_organisation=welfare, signals=[signal]
        )

    only_sent = sent()
    declined = referral_decline(actor=welfare_worker, referral=sent(), reason="Wachtlijst")
    for actor, referral, status in [
        (welfare_worker, only_sent, 403),
        (welfare_worker, declined, 403),
        (corporation_worker, only_sent, 403),  # it sent it: it refers with its own referrals
        (care_worker, only_sent, 404),
        (outsider, only_sent, 404),
    ]:
        client = login(actor)
        assert client.get(onward_url(referral)).status_code == status, actor
        assert client.post(onward_url(referral), {}).status_code == status, actor
        assert onward_url(referral) not in client.get(detail(referral)).content.decode()
    assert not Referral.objects.filter(via_referral__isnull=False).exists()


def test_wrong_method_and_role(login, onward_ready, welfare_worker, welfare_manager):
    assert login(welfare_worker).put(onward_url(onward_ready)).status_code == 405
    assert login(welfare_manager).get(onward_url(onward_ready)).status_code == 403


@pytest.fixture
def referred_on(onward_ready, welfare_worker, care):
    return referral_send_onward(
        actor=welfare_worker,
        via=onward_ready,
        to_organisation=care,
        signals=list(onward_ready.signals.all()),
        message="Graag zorgintake",
    )


def test_with_every_signal_passed_on_the_form_says_there_is_nothing_left(
    login, referred_on, onward_ready, welfare_worker
):
    page = login(welfare_worker).get(onward_url(onward_ready)).content.decode()
    assert "Deze verwijzing heeft geen open signalen" in page
    assert 'name="signals"' not in page


def test_the_receiver_sees_the_chain_and_nothing_the_corporation_wrote(
    login, referred_on, onward_ready, care_worker, corporation, welfare
):
    Referral.objects.filter(pk=onward_ready.pk).update(message="Alleen voor welzijn bedoeld")
    response = login(care_worker).get(detail(referred_on))
    assert response.status_code == 200
    chain = response.context["chain"]
    assert [(link["from"], link["to"], link["pk"]) for link in chain] == [
        (corporation.name, welfare.name, None)
    ]
    html = response.content.decode()
    assert 'data-testid="referral-chain"' in html
    assert f"{corporation.name} → {welfare.name}" in html
    assert detail(onward_ready) not in html, "care cannot open the referral before it"
    assert "Graag zorgintake" in html and "Alleen voor welzijn bedoeld" not in html
    row = AccessLog.objects.filter(organisation=care_worker.organisation).latest("id")
    assert (row.action, row.household_id, row.legal_basis) == (
        "view",
        referred_on.household_id,
        "toestemming",
    )


@pytest.fixture
def municipality_worker(municipality):
    return MembershipFactory(organisation=municipality, role=Membership.Role.MEDEWERKER)


@pytest.mark.parametrize("cast", ["corporation_worker", "outsider", "municipality_worker"])
def test_other_organisations_see_nothing_of_it(login, request, referred_on, onward_ready, cast):
    """The corporation sent the first referral, not this one; another corporation and the
    municipality had nothing to do with either."""
    client = login(request.getfixturevalue(cast))
    assert client.get(detail(referred_on)).status_code == 404
    listed = client.get(reverse("referrals:inbox"), {"lijst": "alle"}).context["page"].object_list
    outbox = client.get(reverse("referrals:outbox")).context["page"].object_list
    assert referred_on not in [*listed, *outbox]
    first = client.get(detail(onward_ready))
    if first.status_code == 200:
        assert detail(referred_on) not in first.content.decode()
        assert first.context["onward"] == []
