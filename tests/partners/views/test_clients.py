"""The administrators' page of the organisation's systems (ADR 0024): register one and see its
key once, revoke one; only administrators, only their own organisation's."""

import pytest
from django.urls import reverse

from partners.models import ApiClient, Membership
from partners.selectors import client_for_key
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
Scope = ApiClient.Scope


def test_an_administrator_registers_a_system_and_sees_its_key_once(login, admin):
    client = login(admin)
    response = client.post(
        reverse("clients:register"),
        {"name": "Huursysteem", "scopes": [Scope.HOUSEHOLDS_READ, Scope.REFERRALS_READ]},
    )
    assert response.status_code == 200
    key = response.context["issued"].key
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert client_for_key(key).name == "Huursysteem"
    listed = client.get(reverse("clients:list"))
    assert "Huursysteem" in listed.content.decode()
    assert key not in listed.content.decode()
    assert "Huishoudens lezen" in listed.content.decode()


def test_bad_input_is_told_beside_the_field_and_kept(api_key, login, admin):
    api_key(admin.organisation, Scope.HOUSEHOLDS_READ, name="Huursysteem")
    response = login(admin).post(
        reverse("clients:register"),
        {"name": "huursysteem", "scopes": [Scope.REFERRALS_READ], "expires_on": "2001-01-01"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["name"] == ["Je organisatie heeft al een systeem met deze naam."]
    assert form.errors["expires_on"] == ["Kies een moment in de toekomst."]
    assert form["name"].value() == "huursysteem"
    assert ApiClient.objects.count() == 1


def test_no_scope_chosen_is_told(login, admin):
    response = login(admin).post(reverse("clients:register"), {"name": "Huursysteem"})
    assert response.context["form"].errors["scopes"] == ["Kies wat het systeem mag doen."]


def test_a_partner_is_not_offered_the_import(login, welfare):
    admin = MembershipFactory(organisation=welfare, role=Membership.Role.BEHEERDER)
    response = login(admin).get(reverse("clients:register"))
    offered = dict(response.context["form"].fields["scopes"].choices)
    assert Scope.HOUSEHOLDS_IMPORT not in offered
    assert Scope.REFERRALS_WRITE in offered


def test_an_administrator_revokes_a_key_at_once(api_key, login, admin):
    client, key = api_key(admin.organisation)
    response = login(admin).post(reverse("clients:revoke", args=[client.pk]))
    assert response.status_code == 302
    assert client_for_key(key) is None


@pytest.mark.parametrize("cast", ["corporation_worker", "manager", "privacy_officer"])
def test_it_requires_the_administrator_role(login, request, cast):
    client = login(request.getfixturevalue(cast))
    assert client.get(reverse("clients:list")).status_code == 403
    assert client.get(reverse("clients:register")).status_code == 403


def test_another_organisations_system_is_not_visible(api_key, login, admin, third_corporation):
    other, key = api_key(third_corporation)
    client = login(admin)
    assert client.post(reverse("clients:revoke", args=[other.pk])).status_code == 404
    assert "Huursysteem" not in client.get(reverse("clients:list")).content.decode()
    assert client_for_key(key) is not None


def test_wrong_methods_are_refused(api_key, login, admin):
    client, _key = api_key(admin.organisation)
    browser = login(admin)
    assert browser.post(reverse("clients:list")).status_code == 405
    assert browser.get(reverse("clients:revoke", args=[client.pk])).status_code == 405
