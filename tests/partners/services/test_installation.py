"""What an installation administrator sets up for every organisation (ADR 0020): only they may,
a CBS code is checked where it is written, nothing is written when nothing differs, and a new
installation administrator chooses their own password through a mailed link."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Neighbourhood, Organisation, User
from partners.services.installation import (
    Outcome,
    installation_admin_ensure,
    installation_admin_welcome_send,
    neighbourhood_setup,
    organisation_setup,
)
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def installer(db):
    user = UserFactory(email="installatie@test.example", name="Iris Test")
    user.is_installation_admin = True
    user.save()
    return user


def test_only_an_installation_administrator_sets_up(admin):
    with pytest.raises(ValidationError, match="Alleen een installatiebeheerder"):
        organisation_setup(user=admin.user, name="Nieuw", kind=Organisation.Kind.ZORG)
    with pytest.raises(ValidationError, match="Alleen een installatiebeheerder"):
        neighbourhood_setup(user=admin.user, code="WK990301", name="N", municipality="M")
    assert not Organisation.objects.filter(name="Nieuw").exists()
    assert not Neighbourhood.objects.filter(cbs_code="WK990301").exists()


def test_an_organisation_keeps_its_kind_once_people_work_there(installer):
    organisation, outcome = organisation_setup(user=installer, name="Zorg", kind="zorg")
    assert outcome == Outcome.CREATED
    assert organisation_setup(user=installer, name="Zorg", kind="welzijn")[1] == Outcome.UPDATED
    MembershipFactory(organisation=organisation)
    with pytest.raises(ValidationError, match="er werken al mensen"):
        organisation_setup(user=installer, name="Zorg", kind="zorg")
    organisation.refresh_from_db()
    assert organisation.kind == Organisation.Kind.WELZIJN


def test_a_buurt_lies_in_its_wijk(installer):
    wijk, _ = neighbourhood_setup(user=installer, code="WK990301", name="W", municipality="M")
    with pytest.raises(ValidationError, match="ligt niet in wijk WK990301"):
        neighbourhood_setup(
            user=installer, code="BU99040101", name="B", municipality="M", district=wijk
        )
    with pytest.raises(ValidationError, match="is geen CBS-wijkcode"):
        neighbourhood_setup(user=installer, code="BU99030101", name="B", municipality="M")
    buurt, outcome = neighbourhood_setup(
        user=installer, code="BU99030101", name="B", municipality="M", district=wijk
    )
    assert (outcome, buurt.kind, buurt.parent) == (Outcome.CREATED, "buurt", wijk)


def test_nothing_is_written_when_nothing_differs(installer):
    organisation_setup(user=installer, name="Zorg", kind="zorg")
    wijk, _ = neighbourhood_setup(user=installer, code="WK990301", name="W", municipality="M")
    with CaptureQueriesContext(connection) as queries:
        assert organisation_setup(user=installer, name="Zorg", kind="zorg")[1] == "unchanged"
        again = neighbourhood_setup(user=installer, code="WK990301", name="W", municipality="M")
        assert again[1] == Outcome.UNCHANGED
    verbs = {q["sql"].split()[0].upper() for q in queries}
    assert verbs <= {"SELECT", "SAVEPOINT", "RELEASE"}, verbs


def test_a_new_installation_administrator_chooses_a_password_through_the_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user, outcome = installation_admin_ensure(email="Nieuw@Test.example", name="Nina Test")
    assert outcome == Outcome.CREATED
    assert (user.email, user.is_installation_admin) == ("nieuw@test.example", True)
    assert not user.has_usable_password()
    (message,) = mail.outbox
    assert message.subject == "Je bent installatiebeheerder van Inclusie"
    assert "Beste Nina Test" in message.body and "Wachtwoord vergeten?" in message.body
    link = re.search(r"http\S+/account/password/reset/key/\S+/", message.body)[0]
    assert client.get(link, follow=True).status_code == 200

    user.set_password("Een-lang-wachtwoord-voor-Nina")
    user.save()
    installation_admin_welcome_send(user_id=user.pk)
    assert len(mail.outbox) == 1, "once there is a password, no link is sent"


def test_a_new_installation_administrator_whose_link_expired_asks_for_another(client):
    """README promises "Wachtwoord vergeten?" for an account that has no password yet."""
    user, _ = installation_admin_ensure(email="nieuw@test.example", name="Nina Test")
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert mail.outbox[-1].to == [user.email]
    assert "/account/password/reset/key/" in mail.outbox[-1].body


def test_an_existing_account_is_given_the_role(corporation_worker):
    user, outcome = installation_admin_ensure(
        email="WoonConsulent@test.example", name="Iemand anders"
    )
    assert (user, outcome) == (corporation_worker.user, Outcome.UPDATED)
    user.refresh_from_db()
    assert user.is_installation_admin and user.name == "Sanne Test"
    assert installation_admin_ensure(email=user.email, name="")[1] == Outcome.UNCHANGED
    assert User.objects.filter(is_installation_admin=True).count() == 1
