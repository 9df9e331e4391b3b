"""The worker's page to record help given under an agreed match (ADR 0035): the worker of the
request's organisation (another's gets 404, a manager 403), bad input explained in Dutch at
its field and kept, the partial form for other pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import HelpGiven

pytestmark = pytest.mark.django_db


def url(match):
    return reverse("help_given:record", args=[match.pk])


def test_the_worker_records_and_sees_it(login, agreed_match, corporation_worker, household):
    match = agreed_match(corporation_worker, household)
    client = login(corporation_worker)
    page = client.get(url(match))
    assert page.status_code == 200 and 'data-testid="help-given-form"' in page.content.decode()
    day = timezone.localdate().isoformat()
    response = client.post(url(match), {"given_on": day, "minutes": "45"})
    assert response.status_code == 302 and response["Location"] == url(match)
    assert HelpGiven.objects.get().minutes == 45
    assert "45 minuten" in client.get(url(match)).content.decode()


def test_bad_input_is_explained_at_its_field_and_kept(
    login, agreed_match, corporation_worker, household
):
    match = agreed_match(corporation_worker, household)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    html = (
        login(corporation_worker)
        .post(url(match), {"given_on": tomorrow, "minutes": "2000"})
        .content.decode()
    )
    assert "Hulp kan niet gegeven zijn op een dag die nog moet komen." in html
    assert "Geef tussen 1 en 1440 minuten (een hele dag)." in html
    assert f'value="{tomorrow}"' in html and 'value="2000"' in html
    assert not HelpGiven.objects.exists()


def test_another_organisation_gets_404_and_a_manager_403(
    login, agreed_match, corporation_worker, household, welfare_worker, manager
):
    match = agreed_match(corporation_worker, household)
    assert login(welfare_worker).get(url(match)).status_code == 404
    assert login(manager).get(url(match)).status_code == 403


def test_only_get_and_post(login, agreed_match, corporation_worker, household):
    match = agreed_match(corporation_worker, household)
    assert login(corporation_worker).delete(url(match)).status_code == 405


def test_a_match_no_longer_agreed_shows_no_form(login, agreed_match, corporation_worker, household):
    match = agreed_match(corporation_worker, household)
    match.status, match.ended_at = "beeindigd", timezone.now()
    match.save()
    html = login(corporation_worker).get(url(match)).content.decode()
    assert "Record help given" not in html and 'name="minutes"' not in html


def test_a_double_click_records_the_help_once(login, agreed_match, corporation_worker, household):
    import uuid

    match = agreed_match(corporation_worker, household)
    client = login(corporation_worker)
    assert 'data-draft="help-given:' in client.get(url(match)).content.decode()
    sent = {
        "given_on": timezone.localdate().isoformat(),
        "minutes": "30",
        "idempotency_key": str(uuid.uuid4()),
    }
    assert client.post(url(match), sent).status_code == 302
    assert client.post(url(match), sent).status_code == 302
    assert HelpGiven.objects.count() == 1
