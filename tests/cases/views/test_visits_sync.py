"""A visit kept on a phone is sent to visit_sync when the network is back (ADR 0030): stored once
per key made on the device, refused with the reasons, and a conflict told with why and what to
do instead of a 404; for the corporation's workers only."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog, HomeVisit, Household

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def url(household):
    return reverse("cases:visit_sync", args=[household.pk])


def send(client, household, key=None, **data):
    body = {
        "visited_on": TODAY.isoformat(),
        "kind": "regulier",
        "outcome": "geen_zorgen",
        "idempotency_key": str(key or uuid.uuid4()),
        "made_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        **data,
    }
    return client.post(url(household), body)


def test_a_visit_kept_on_the_device_is_saved_once_and_the_repeat_gets_the_first_answer(
    login, corporation_worker, household, categories
):
    client = login(corporation_worker)
    key = uuid.uuid4()
    signals = {}
    for category in categories[:2]:
        signals |= {
            f"c{category.pk}": "on",
            f"c{category.pk}_severity": "midden",
            f"c{category.pk}_description": "Gezien",
        }
    first = send(client, household, key, outcome="signalen", **signals)
    assert first.status_code == 200
    assert first.json() == {
        "state": "saved",
        "url": reverse("cases:household_detail", args=[household.pk]),
        "again": False,
    }
    again = send(client, household, key, outcome="signalen", **signals)
    assert again.json()["state"] == "saved" and again.json()["again"] is True
    saved = HomeVisit.objects.get()
    assert saved.device_key == key and saved.signals.count() == 2
    assert saved.made_at < saved.created_at


def test_a_send_without_a_key_is_refused(login, corporation_worker, household):
    response = login(corporation_worker).post(url(household), {"outcome": "geen_zorgen"})
    assert response.status_code == 400
    assert HomeVisit.objects.count() == 0


def test_a_refused_visit_says_why_and_stays_on_the_device(login, corporation_worker, household):
    response = send(login(corporation_worker), household, outcome="")
    assert response.status_code == 422
    assert response.json()["state"] == "invalid"
    assert "Dit veld is verplicht." in response.json()["message"]
    assert HomeVisit.objects.count() == 0


def test_a_household_moved_to_another_corporation_is_a_conflict_that_says_so(
    login, corporation_worker, household, third_corporation
):
    client = login(corporation_worker)
    client.get(reverse("cases:visit_create", args=[household.pk]))  # opened it online
    Household.objects.filter(pk=household.pk).update(corporation=third_corporation)
    response = send(client, household)
    assert response.status_code == 409
    assert response.json()["state"] == "conflict"
    assert "hoort nu bij een andere corporatie" in response.json()["message"]
    assert HomeVisit.objects.count() == 0


def test_an_erased_household_is_a_conflict_that_says_so(login, corporation_worker, household):
    client = login(corporation_worker)
    client.get(reverse("cases:household_detail", args=[household.pk]))
    Household.objects.filter(pk=household.pk).update(anonymised_at=timezone.now())
    response = send(client, household)
    assert response.status_code == 409
    assert "zijn gewist" in response.json()["message"]
    assert HomeVisit.objects.count() == 0


def test_a_household_never_opened_gets_the_general_answer_no_oracle(
    login, corporation_worker, other_household
):
    response = send(login(corporation_worker), other_household)
    assert response.status_code == 409
    assert "Je kunt dit huishouden niet meer zien" in response.json()["message"]
    assert not AccessLog.objects.filter(household=other_household).exists()


def test_a_welfare_worker_may_not_send_visits(login, welfare_worker, household):
    assert send(login(welfare_worker), household).status_code == 403


def test_only_post(login, corporation_worker, household):
    assert login(corporation_worker).get(url(household)).status_code == 405


def test_without_a_session_the_device_is_sent_to_the_login_page(client, household):
    response = send(client, household)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_session_status_gives_the_current_form_token(login, corporation_worker):
    data = login(corporation_worker).get(reverse("sessions:status")).json()
    assert len(data["csrf"]) == 64 and data["remaining"] > 0
    assert data["user"] == corporation_worker.user_id, "a visit is sent only by its maker"


def test_a_key_that_came_with_another_household_is_sent_again_as_a_new_visit(
    login, corporation_worker, household, corporation, neighbourhood
):
    from tests.factories import HouseholdFactory

    elsewhere = HouseholdFactory(corporation=corporation, neighbourhood=neighbourhood)
    client = login(corporation_worker)
    key = uuid.uuid4()
    assert send(client, household, key).json()["state"] == "saved"
    response = send(client, elsewhere, key, notes="Een ander bezoek")
    assert response.status_code == 409
    assert response.json()["rekey"] is True
    assert list(HomeVisit.objects.values_list("household", flat=True)) == [household.pk]


def test_the_particular_reason_only_for_the_organisation_that_opened_it(
    login, corporation_worker, household, third_corporation
):
    from tests.factories import MembershipFactory

    elsewhere = MembershipFactory(
        user=corporation_worker.user, organisation=third_corporation, role="medewerker"
    )
    login(corporation_worker).get(reverse("cases:household_detail", args=[household.pk]))
    Household.objects.filter(pk=household.pk).update(anonymised_at=timezone.now())
    response = send(login(elsewhere), household)
    assert response.status_code == 409
    assert "Je kunt dit huishouden niet meer zien" in response.json()["message"]


@pytest.mark.parametrize("made_at", ["2026-01-01T09:00:00", "gisteren", "2026-02-30T09:00"])
def test_a_time_from_the_device_that_is_no_time_is_left_out(
    login, corporation_worker, household, made_at
):
    response = send(login(corporation_worker), household, made_at=made_at)
    assert response.json()["state"] == "saved"
    assert HomeVisit.objects.get().made_at is None
