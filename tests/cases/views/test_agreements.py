import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Agreement

pytestmark = pytest.mark.django_db


def post(client, url, **data):
    payload = {"response_days": 5, "valid_from": timezone.localdate().isoformat()}
    payload.update(data)
    return client.post(url, payload)


def test_an_administrator_makes_an_agreement_both_sides_see_it(
    login, admin, welfare, categories, care
):
    from tests.factories import MembershipFactory

    response = post(
        login(admin),
        reverse("referrals:agreement_create"),
        partner=welfare.pk,
        categories=[categories[0].pk],
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.first, agreement.second) == (admin.organisation, welfare)
    welfare_admin = MembershipFactory(organisation=welfare, role="beheerder")
    care_admin = MembershipFactory(organisation=care, role="beheerder")
    listed = login(welfare_admin).get(reverse("referrals:agreements")).context["agreements"]
    assert list(listed) == [agreement]
    assert list(login(care_admin).get(reverse("referrals:agreements")).context["agreements"]) == []
    assert (
        login(care_admin).get(reverse("referrals:agreement_edit", args=[agreement.pk])).status_code
        == 404
    )
    refused = post(
        login(welfare_admin),
        reverse("referrals:agreement_edit", args=[agreement.pk]),
        partner=admin.organisation.pk,
        categories=[categories[1].pk],
    )
    assert "Alleen de organisatie" in refused.content.decode()


def test_bad_input_is_explained_and_kept(login, admin, welfare, categories):
    url = reverse("referrals:agreement_create")
    client = login(admin)
    start = timezone.localdate()
    response = post(
        client,
        url,
        partner=welfare.pk,
        response_days=0,
        valid_until=(start - datetime.timedelta(days=1)).isoformat(),
    )
    form = response.context["form"]
    assert "categories" in form.errors and "response_days" in form.errors
    post(client, url, partner=welfare.pk, categories=[categories[0].pk])
    overlap = post(client, url, partner=welfare.pk, categories=[categories[1].pk])
    assert "al een samenwerkingsafspraak" in overlap.content.decode()
    assert Agreement.objects.count() == 1


@pytest.mark.parametrize("cast", ["corporation_worker", "manager", "privacy_officer"])
def test_agreements_are_for_administrators(login, request, cast):
    client = login(request.getfixturevalue(cast))
    assert client.get(reverse("referrals:agreements")).status_code == 403
    assert client.post(reverse("referrals:agreement_create")).status_code == 403


def test_wrong_method(login, admin):
    assert login(admin).post(reverse("referrals:agreements")).status_code == 405
