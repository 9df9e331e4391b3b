"""Ending a membership and deactivating a person end their sessions at once; only an
administrator of the organisation may, and an operator from the command line."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners.models import Session
from partners.services import memberships as services

pytestmark = pytest.mark.django_db


def test_ending_one_of_several_memberships_keeps_the_session(shared_worker, admin):
    from django.test import Client

    worker_client = Client()
    worker_client.force_login(shared_worker.user)
    services.membership_end(actor=admin, membership=shared_worker)
    assert Session.objects.filter(user_id=shared_worker.user_id).exists()


def test_deactivating_a_person_ends_their_sessions(corporation_worker):
    from django.test import Client

    worker_client = Client()
    worker_client.force_login(corporation_worker.user)
    services.user_deactivate(user=corporation_worker.user)
    assert not Session.objects.filter(user_id=corporation_worker.user_id).exists()
    assert worker_client.get(reverse("start"))["Location"].startswith(reverse("account_login"))


def test_only_an_administrator_of_that_organisation_may_act(outsider_admin, corporation_worker):
    with pytest.raises(ValidationError):
        services.membership_end(actor=outsider_admin, membership=corporation_worker)


def test_an_operator_deactivates_a_person_from_the_command_line(corporation_worker):
    from django.core.management import call_command
    from django.test import Client

    worker_client = Client()
    worker_client.force_login(corporation_worker.user)
    call_command("deactivate_user", "WoonConsulent@test.example")
    corporation_worker.user.refresh_from_db()
    assert corporation_worker.user.is_active is False
    assert not Session.objects.filter(user_id=corporation_worker.user_id).exists()


def test_the_installation_administrator_role_is_granted_and_taken_away_by_command(client, admin):
    """Operators grant the role to an existing account; taking it away ends the sessions, so
    the shared categories are out of reach at once."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No person"):
        call_command("installation_admin", "grant", "niemand@test.example")
    call_command("installation_admin", "grant", "Beheerder@test.example")
    admin.user.refresh_from_db()
    assert admin.user.is_installation_admin is True
    client.force_login(admin.user)
    assert client.get(reverse("cases:category_list")).status_code == 200
    call_command("installation_admin", "revoke", "beheerder@test.example")
    admin.user.refresh_from_db()
    assert admin.user.is_installation_admin is False
    assert not Session.objects.filter(user_id=admin.user_id).exists()
    assert client.get(reverse("cases:category_list")).status_code == 302, "logged out"
