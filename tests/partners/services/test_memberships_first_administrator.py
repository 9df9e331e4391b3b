"""An organisation's first administrator is invited by an installation administrator (the
set-up file, ADR 0020): once, while it has no administrator, and again after the link expired."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from partners.models import Invitation, Membership
from partners.services.memberships import invitation_create_first_administrator
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def installer(db):
    user = UserFactory(email="installatie@test.example", name="Iris Test")
    user.is_installation_admin = True
    user.save()
    return user


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Zorg Nieuw", kind="zorg")


@pytest.fixture
def invite(installer, organisation, django_capture_on_commit_callbacks):
    def _invite(email="eerste@zorg.example", by=installer):
        with django_capture_on_commit_callbacks(execute=True):
            return invitation_create_first_administrator(
                inviter=by, organisation=organisation, email=email, name="Eerste Beheerder"
            )

    return _invite


def test_the_installation_administrator_invites_the_first_administrator(invite, installer):
    invitation, revoked = invite(email="Eerste@Zorg.example")
    assert revoked == []
    assert (invitation.email, invitation.role) == ("eerste@zorg.example", "beheerder")
    assert invitation.invited_by == installer
    (message,) = mail.outbox
    assert "Iris Test nodigt je uit om in Inclusie te werken voor Zorg Nieuw als beheerder" in (
        message.body
    )


def test_nobody_else_invites_a_first_administrator(invite, admin, organisation):
    with pytest.raises(ValidationError, match="Alleen een installatiebeheerder"):
        invite(by=admin.user)
    assert not Invitation.objects.filter(organisation=organisation).exists()


def test_an_open_invitation_is_not_sent_twice_and_an_expired_one_is(invite):
    first, _ = invite()
    assert invite() == (None, [])
    assert len(mail.outbox) == 1
    Invitation.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    second, _ = invite()
    assert second.pk != first.pk and len(mail.outbox) == 2


def test_an_organisation_with_an_administrator_gets_no_first_one(invite, organisation):
    MembershipFactory(organisation=organisation, role=Membership.Role.BEHEERDER)
    assert invite() == (None, [])
    assert mail.outbox == []


def test_another_address_replaces_the_open_invitation(invite):
    first, _ = invite(email="typfout@zorg.example")
    second, revoked = invite(email="eerste@zorg.example")
    assert revoked == ["typfout@zorg.example"]
    first.refresh_from_db()
    assert first.revoked_at is not None and second.is_open
