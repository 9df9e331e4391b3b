"""The signal pages: the lists, a status change, and the categories for administrators."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Signal, SignalCategory
from tests.factories import HouseholdFactory, SignalFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_signal_lists(login, corporation_worker, household, neighbourhood):
    corporation_worker.neighbourhoods.add(neighbourhood)
    elsewhere = HouseholdFactory(corporation=household.corporation)
    mine = SignalFactory(household=household, follow_up_on=TODAY - datetime.timedelta(days=2))
    other = SignalFactory(household=elsewhere, severity="acuut")
    closed = SignalFactory(household=household, status="opgelost")
    client = login(corporation_worker)

    def listed(**params):
        response = client.get(reverse("cases:signal_list"), params)
        return {s.pk for s in response.context["page"]}

    assert listed(lijst="mijn") == {mine.pk}
    assert listed(lijst="open") == {mine.pk, other.pk}
    assert listed(lijst="verlopen") == {mine.pk}
    assert listed(lijst="alle") == {mine.pk, other.pk, closed.pk}
    assert listed(lijst="open", severity="acuut") == {other.pk}
    assert listed(lijst="alle", status="opgelost") == {closed.pk}
    Signal.objects.filter(pk=other.pk).update(created_at=timezone.now() - datetime.timedelta(40))
    assert listed(lijst="open", age="30") == {other.pk}


def test_a_status_change_needs_a_reason_to_close(login, corporation_worker, household, categories):
    from tests.factories import SignalFactory

    signal = SignalFactory(household=household, category=categories[0])
    client = login(corporation_worker)
    url = reverse("cases:signal_status", args=[signal.pk])
    response = client.post(url, {"status": "gesloten"})
    assert "reden" in str(response.context["form"].errors["reason"])
    assert client.post(url, {"status": "gesloten", "reason": "Verhuisd"}).status_code == 302
    signal.refresh_from_db()
    assert signal.status == "gesloten"


def test_categories_are_for_installation_administrators(login, client, corporation_worker, admin):
    assert login(corporation_worker).get(reverse("cases:category_list")).status_code == 403
    assert login(admin).get(reverse("cases:category_list")).status_code == 403
    response = client.post(
        reverse("cases:category_create"),
        {"name": "Nieuw", "life_area": "wonen", "usual_partner_kind": "zorg", "position": "1"},
    )
    assert response.status_code == 403
    installer = UserFactory(email="installatie@test.example", is_installation_admin=True)
    client.force_login(installer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("cases:category_list")).status_code == 200
    start = client.get(reverse("start")).content.decode()
    assert reverse("cases:category_list") in start and "Installatiebeheerder" in start


def test_wrong_methods_on_categories(client):
    installer = UserFactory(email="installatie@test.example", is_installation_admin=True)
    client.force_login(installer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(reverse("cases:category_list")).status_code == 405
    assert client.delete(reverse("cases:category_create")).status_code == 405


def test_the_installation_administrator_marks_a_category_common(client):
    installer = UserFactory(email="installatie@test.example", is_installation_admin=True)
    client.force_login(installer, backend="django.contrib.auth.backends.ModelBackend")
    data = {"name": "Schimmel", "life_area": "wonen", "usual_partner_kind": "corporatie"}
    response = client.post(
        reverse("cases:category_create"), data | {"position": "5", "is_common": "on"}
    )
    assert response.status_code == 302
    category = SignalCategory.objects.get(name="Schimmel")
    assert (category.life_area, category.is_common) == ("wonen", True)
    listed = client.get(reverse("cases:category_list")).content.decode()
    assert "Veelvoorkomend" in listed
