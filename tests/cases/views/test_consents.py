"""Recording and withdrawing consent on the household's pages: allowed, not visible (404), wrong
role (403), wrong method (405)."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import AccessLog, Agreement, Consent, HouseholdEvent
from cases.services.referrals import referral_send
from tests.factories import (
    HouseholdFactory,
    OrganisationFactory,
    SignalCategoryFactory,
    SignalFactory,
    consent_given,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def create_url(household):
    return reverse("consents:create", args=[household.pk])


def withdraw_url(consent):
    return reverse("consents:withdraw", args=[consent.household_id, consent.pk])


def valid_data(organisation, categories, **extra):
    return {
        "receiving_organisation": organisation.pk,
        "purpose": "Hulp bij de administratie",
        "categories": [c.pk for c in categories],
        "given_how": "schriftelijk",
        "given_on": TODAY.isoformat(),
        "ends_on": "",
    } | extra


# --- recording ---------------------------------------------------------------------------------


def test_recording_consent_saves_it_with_its_history_and_access_log(
    login, corporation_worker, household, welfare, categories
):
    client = login(corporation_worker)
    response = client.post(create_url(household), valid_data(welfare, categories[:2]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:household_detail", args=[household.pk])
    consent = Consent.objects.get()
    assert (consent.household, consent.receiving_organisation) == (household, welfare)
    assert (consent.purpose, consent.given_how, consent.given_on) == (
        "Hulp bij de administratie",
        "schriftelijk",
        TODAY,
    )
    assert set(consent.categories.all()) == set(categories[:2])
    assert consent.recorded_by == corporation_worker.user
    assert HouseholdEvent.objects.filter(household=household, kind="consent_recorded").exists()
    # A saved form writes only its change (ADR 0006).
    assert list(AccessLog.objects.values_list("action", "object_type", "household")) == [
        ("create", "cases.consent", household.pk)
    ]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        translation.gettext("The consent is recorded.")
    ]


def test_the_form_offers_other_organisations_by_name_and_active_categories(
    login, corporation_worker, household, welfare, care, municipality, categories
):
    retired = SignalCategoryFactory(code="oud", name="Oude categorie", is_active=False)
    response = login(corporation_worker).get(create_url(household))
    assert response.status_code == 200
    form = response.context["form"]
    organisations = list(form.fields["receiving_organisation"].queryset)
    assert corporation_worker.organisation not in organisations
    assert organisations == sorted(organisations, key=lambda o: o.name)
    assert {welfare, care, municipality} <= set(organisations)
    assert retired not in form.fields["categories"].queryset
    assert form["given_on"].value() == TODAY
    html = response.content.decode()
    assert 'type="date"' in html and f'max="{TODAY.isoformat()}"' in html
    assert 'type="checkbox"' in html and "novalidate" in html
    assert AccessLog.objects.filter(action="view", household=household).count() == 1


def test_bad_input_is_explained_next_to_the_field_and_kept(
    login, corporation_worker, household, welfare, categories
):
    future = (TODAY + 3 * DAY).isoformat()
    response = login(corporation_worker).post(
        create_url(household), valid_data(welfare, [], given_on=future)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"given_on", "categories"}
    assert "toekomst" in str(errors["given_on"])
    assert "Kies waarover de toestemming gaat" in str(errors["categories"])
    html = response.content.decode()
    assert 'value="Hulp bij de administratie"' in html and f'value="{future}"' in html
    assert f'value="{welfare.pk}" selected' in html
    assert re.search(r'value="schriftelijk"[^>]*\bchecked', html)
    assert Consent.objects.count() == 0
    # The form shown again after an error is a read of the household.
    assert list(AccessLog.objects.values_list("action", flat=True)) == ["view"]


def test_an_end_date_before_the_date_given_is_refused(
    login, corporation_worker, household, welfare, categories
):
    response = login(corporation_worker).post(
        create_url(household),
        valid_data(welfare, categories[:1], ends_on=(TODAY - DAY).isoformat()),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"ends_on"}
    assert "einddatum" in str(response.context["form"].errors["ends_on"])
    assert Consent.objects.count() == 0


# --- withdrawing -------------------------------------------------------------------------------


def test_withdrawing_consent_records_the_date_and_who(login, corporation_worker, consent):
    client = login(corporation_worker)
    page = client.get(withdraw_url(consent))
    assert page.status_code == 200
    assert page.context["form"]["withdrawn_on"].value() == TODAY
    assert consent.purpose in page.content.decode()
    response = client.post(withdraw_url(consent), {"withdrawn_on": TODAY.isoformat()})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:household_detail", args=[consent.household_id])
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawn_recorded_by) == (
        TODAY,
        corporation_worker.user,
    )
    assert not Consent.objects.in_force().exists()
    assert HouseholdEvent.objects.filter(kind="consent_withdrawn").exists()
    assert AccessLog.objects.filter(action="update", object_type="cases.consent").count() == 1


def test_consent_cannot_be_withdrawn_twice(login, corporation_worker, consent):
    client = login(corporation_worker)
    client.post(withdraw_url(consent), {"withdrawn_on": TODAY.isoformat()})
    response = client.post(withdraw_url(consent), {"withdrawn_on": TODAY.isoformat()})
    assert response.status_code == 200
    assert "Deze toestemming is al ingetrokken" in str(response.context["form"].non_field_errors())
    assert "Deze toestemming is al ingetrokken" in response.content.decode()
    assert HouseholdEvent.objects.filter(kind="consent_withdrawn").count() == 1


def test_a_withdrawal_date_in_the_future_is_refused_next_to_the_field(
    login, corporation_worker, consent
):
    future = (TODAY + DAY).isoformat()
    response = login(corporation_worker).post(withdraw_url(consent), {"withdrawn_on": future})
    assert response.status_code == 200
    assert "Geef de datum" in str(response.context["form"].errors["withdrawn_on"])
    assert f'value="{future}"' in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


# --- who may -----------------------------------------------------------------------------------


def test_another_corporations_household_is_a_404(
    login, corporation_worker, outsider, other_household, welfare, consent, categories
):
    client = login(corporation_worker)
    assert client.get(create_url(other_household)).status_code == 404
    data = valid_data(welfare, categories[:1])
    assert client.post(create_url(other_household), data).status_code == 404
    # The outsider's corporation does not see our household or its consent.
    client = login(outsider)
    assert client.get(create_url(consent.household)).status_code == 404
    assert client.post(withdraw_url(consent), {"withdrawn_on": TODAY}).status_code == 404
    assert Consent.objects.count() == 1 and Consent.objects.in_force().count() == 1
    assert AccessLog.objects.filter(household=other_household).count() == 0
    assert AccessLog.objects.filter(user=outsider.user).count() == 0


def test_a_consent_of_another_household_is_a_404(
    login, corporation_worker, corporation, consent, neighbourhood
):
    neighbour = HouseholdFactory(corporation=corporation, neighbourhood=neighbourhood)
    url = reverse("consents:withdraw", args=[neighbour.pk, consent.pk])
    assert login(corporation_worker).post(url, {"withdrawn_on": TODAY}).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_a_corporation_that_sees_the_household_through_a_referral_may_not(
    login, corporation_worker, outsider, third_corporation, household, categories
):
    """Consent is recorded by the household's own corporation, not by a partner it shares with."""
    agreement = Agreement.objects.create(
        first=corporation_worker.organisation,
        second=third_corporation,
        response_days=5,
        valid_from=TODAY - 30 * DAY,
        created_by=corporation_worker.user,
    )
    agreement.categories.set(categories[:1])
    consent = consent_given(corporation_worker, household, third_corporation, categories[:1])
    signal = SignalFactory(household=household, category=categories[0])
    referral_send(
        actor=corporation_worker,
        household=household,
        to_organisation=third_corporation,
        signals=[signal],
    )
    client = login(outsider)
    assert client.get(create_url(household)).status_code == 403
    data = valid_data(OrganisationFactory(), categories[:1])
    assert client.post(create_url(household), data).status_code == 403
    assert client.post(withdraw_url(consent), {"withdrawn_on": TODAY}).status_code == 403
    assert Consent.objects.count() == 1 and Consent.objects.in_force().count() == 1


@pytest.mark.parametrize("cast", ["welfare_worker", "admin", "manager"])
def test_consent_pages_are_for_the_corporations_workers(
    login, request, cast, consent, welfare, categories
):
    client = login(request.getfixturevalue(cast))
    household = consent.household
    assert client.get(create_url(household)).status_code == 403
    assert client.post(create_url(household), valid_data(welfare, categories)).status_code == 403
    assert client.get(withdraw_url(consent)).status_code == 403
    assert client.post(withdraw_url(consent), {"withdrawn_on": TODAY}).status_code == 403
    assert Consent.objects.count() == 1 and Consent.objects.in_force().count() == 1
    assert AccessLog.objects.exclude(action="create").count() == 0


def test_other_methods_are_refused(login, corporation_worker, consent):
    client = login(corporation_worker)
    for url in (create_url(consent.household), withdraw_url(consent)):
        assert client.put(url).status_code == 405
        assert client.delete(url).status_code == 405


def test_anonymous_visitors_are_sent_to_the_login(client, consent):
    response = client.get(create_url(consent.household))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- the list on the household page ------------------------------------------------------------


def test_the_household_page_shows_the_list_once_included(login, corporation_worker, consent):
    response = login(corporation_worker).get(
        reverse("cases:household_detail", args=[consent.household_id])
    )
    assert response.status_code == 200
    if "cases/_consents.html" not in [t.name for t in response.templates]:
        pytest.skip("household_detail.html does not include cases/_consents.html yet")
    html = response.content.decode()
    assert consent.purpose in html and withdraw_url(consent) in html
