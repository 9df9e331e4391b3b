"""The notification pages: the choices, the bell, the list, opening and reading."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.kinds import CHOOSABLE
from partners.models import Notification, NotificationPreference
from partners.services.notifications import notify
from tests.factories import received

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


# --- the choices ------------------------------------------------------------------------------


def test_the_choices_page_offers_no_switch_for_escalations(login, welfare_manager):
    client = login(welfare_manager)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="referral_new"' in page
    assert 'name="deadline_passed"' not in page
    assert "Referral deadline passed" in page or "Termijn van een verwijzing verstreken" in page
    response = client.post(
        reverse("notifications:preferences"),
        {kind: "digest" for kind in CHOOSABLE} | {"deadline_passed": "off"},
    )
    assert response.status_code == 302
    chosen = dict(NotificationPreference.objects.values_list("kind", "email"))
    assert chosen["referral_new"] == "digest" and "deadline_passed" not in chosen


def test_a_wrong_choice_is_refused_next_to_the_field(login, welfare_manager):
    response = login(welfare_manager).post(
        reverse("notifications:preferences"), {"referral_new": "pigeon"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["referral_new"]
    assert not NotificationPreference.objects.exists()


# --- the pages: bell, list, open, read ------------------------------------------------------------


def test_the_bell_counts_unread_and_the_list_marks_read(login, send, intake):
    send()
    send()
    client = login(intake)
    bell = client.get(reverse("notifications:bell"))
    assert b'data-testid="bell-count">2' in bell.content
    note = received(intake.user).first()
    response = client.post(reverse("notifications:read", args=[note.pk]), HTTP_HX_REQUEST="true")
    assert response["HX-Trigger"] == "notifications-changed"
    assert b"Mark as read" not in response.content and b"Markeer" not in response.content
    assert b'data-testid="bell-count">1' in client.get(reverse("notifications:bell")).content
    response = client.post(reverse("notifications:read_all"), HTTP_HX_REQUEST="true")
    assert response["HX-Trigger"] == "notifications-changed"
    assert b"Markeer als gelezen" not in response.content
    assert b"bell-count" not in client.get(reverse("notifications:bell")).content


def test_opening_a_notification_acts_for_its_organisation(login, shared_worker, welfare, client):
    notify(
        recipients=[shared_worker.user],
        kind=Kind.REFERRAL_NEW,
        organisation=welfare,
        url=reverse("referrals:inbox"),
        data={"sender": "Woonstede"},
    )
    note = Notification.objects.get()
    login(shared_worker)  # acting for the corporation
    url = reverse("notifications:open", args=[note.pk])
    asked = client.get(url)  # a link alone switches nothing: the person confirms
    assert asked.status_code == 200 and welfare.name in asked.content.decode()
    assert client.get(reverse("start")).context["actor"] == shared_worker
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("referrals:inbox")
    assert client.get(reverse("referrals:inbox")).context["actor"].organisation == welfare
    note.refresh_from_db()
    assert note.read_at is not None


def test_another_persons_notification_is_not_found(login, send, intake, welfare_worker):
    send()
    note = received(intake.user).get()
    client = login(welfare_worker)
    assert client.get(reverse("notifications:open", args=[note.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[note.pk])).status_code == 404
    assert received(intake.user).get().read_at is None


def test_wrong_methods_and_anonymous_visitors(client, login, intake):
    assert client.get(reverse("notifications:list")).status_code == 302
    assert client.get(reverse("notifications:bell")).status_code == 302
    client = login(intake)
    assert client.get(reverse("notifications:read_all")).status_code == 405
    assert client.post(reverse("notifications:bell")).status_code == 405


def test_the_list_has_a_constant_number_of_queries(login, intake, django_assert_num_queries):
    client = login(intake)

    def make(count):
        for _ in range(count):
            notify(
                recipients=[intake.user],
                kind=Kind.REFERRAL_NEW,
                organisation=intake.organisation,
                url="/verwijzingen/",
                data={"sender": "X"},
            )

    make(2)
    client.get(reverse("notifications:list"))  # the first request of a session saves it
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications:list"))
    assert len(few.captured_queries) <= 7  # session, user, memberships, count, page, savepoint
    make(40)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("notifications:list"))
