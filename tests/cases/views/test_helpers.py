"""The workers' pages of helpers (ADR 0032): own organisation only (404 otherwise), workers
only (403), bad input kept and explained in Dutch at its field, the link shown once or mailed,
and a list whose query count does not grow with its rows."""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import AccessLog, Helper, PersonalLink
from cases.workflow import HelperStatus

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "first_name": "Ria",
        "surname": "",
        "phone": "06 0000 2222",
        "email": "ria@test.example",
        "offers": ["klussen"],
        "days": ["za"],
        "day_parts": ["middag"],
        "reach_metres": "300",
        "street_address": "Lindelaan 8",
        "postcode": "9901ab",
        "consent_given_on": "2026-12-01",
        "consent_how": "schriftelijk",
    }
    data.update(overrides)
    return data


def test_a_worker_registers_a_helper_and_sees_them(login, corporation_worker):
    client = login(corporation_worker)
    response = client.post(reverse("helpers:create"), form_data())
    helper = Helper.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "helpers:detail", args=[helper.pk]
    )
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Ria" in page.content.decode()
    assert helper.postcode == "9901 AB" and helper.offers == ["klussen"]
    assert AccessLog.objects.filter(object_id=str(helper.pk), action="view").exists()


def test_bad_input_is_kept_and_explained_in_dutch_at_its_field(login, corporation_worker):
    client = login(corporation_worker)
    response = client.post(
        reverse("helpers:create"),
        form_data(phone="", email="", reach_metres="", postcode="99", first_name="Ria"),
    )
    assert response.status_code == 200 and not Helper.objects.exists()
    form = response.context["form"]
    assert form.errors["postcode"] == [
        "Vul een Nederlandse postcode in: vier cijfers en twee letters, zoals 1234 AB."
    ]
    assert form.errors["phone"] == [
        "Geef een telefoonnummer of een e-mailadres, zodat je de drager kunt bereiken."
    ]
    assert "reach_metres" in form.errors
    html = response.content.decode()
    assert 'value="Ria"' in html and 'value="Lindelaan 8"' in html


def test_another_organisations_worker_gets_404(
    login, corporation_worker, outsider, register_helper
):
    helper = register_helper(corporation_worker)
    client = login(outsider)
    for name in ("helpers:detail", "helpers:edit"):
        assert client.get(reverse(name, args=[helper.pk])).status_code == 404
    for name, args in (
        ("helpers:edit", [helper.pk]),
        ("helpers:link_issue", [helper.pk]),
        ("helpers:link_revoke", [helper.pk]),
        ("helpers:step", [helper.pk, "stoppen"]),
    ):
        assert client.post(reverse(name, args=args), {"delivery": "scherm"}).status_code == 404
    assert client.get(reverse("helpers:list")).context["helpers"] == []
    helper.refresh_from_db()
    assert helper.status == HelperStatus.REGISTERED and not PersonalLink.objects.exists()


def test_a_manager_is_refused_and_a_wrong_method_is_405(
    login, manager, corporation_worker, register_helper
):
    helper = register_helper(corporation_worker)
    assert login(manager).get(reverse("helpers:list")).status_code == 403
    client = login(corporation_worker)
    assert client.post(reverse("helpers:list")).status_code == 405
    assert client.get(reverse("helpers:link_issue", args=[helper.pk])).status_code == 405


def test_the_worker_changes_a_helper(login, corporation_worker, register_helper):
    helper = register_helper(corporation_worker)
    client = login(corporation_worker)
    page = client.get(reverse("helpers:edit", args=[helper.pk]))
    assert page.status_code == 200 and 'value="Henk"' in page.content.decode()
    response = client.post(
        reverse("helpers:edit", args=[helper.pk]), form_data(first_name="Hendrik")
    )
    assert response.status_code == 302
    helper.refresh_from_db()
    assert helper.first_name == "Hendrik"


def test_the_link_is_shown_once_and_the_mail_goes_after_commit(
    login, corporation_worker, django_capture_on_commit_callbacks, register_helper
):
    helper = register_helper(corporation_worker)
    client = login(corporation_worker)
    shown = client.post(reverse("helpers:link_issue", args=[helper.pk]), {"delivery": "scherm"})
    assert shown.status_code == 200 and shown["Referrer-Policy"] == "no-referrer"
    url = shown.context["issued"].url
    assert "/link/" in url and url in shown.content.decode()
    assert url not in client.get(reverse("helpers:detail", args=[helper.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("helpers:link_issue", args=[helper.pk]), {"delivery": "email"})
    assert sent.status_code == 302 and len(mail.outbox) == 1
    assert client.get(urlsplit(url).path).status_code == 404  # the new link replaced it


def test_the_worker_pauses_and_ends_an_offer(login, corporation_worker, register_helper):
    helper = register_helper(corporation_worker)
    client = login(corporation_worker)
    client.post(reverse("helpers:step", args=[helper.pk, "stoppen"]))
    helper.refresh_from_db()
    assert helper.status == HelperStatus.STOPPED
    page = client.get(reverse("helpers:detail", args=[helper.pk])).content.decode()
    assert "Gestopt" in page or "gestopt" in page


@pytest.mark.parametrize("rows", [1, 10])
def test_the_list_reads_a_fixed_number_of_queries(login, corporation_worker, rows, register_helper):
    for number in range(rows):
        register_helper(corporation_worker, first_name=f"Drager {number}")
    client = login(corporation_worker)
    client.get(reverse("helpers:list"))  # warm the session and the actor
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("helpers:list"))
    assert response.status_code == 200 and len(response.context["helpers"]) == rows
    assert len(queries) == QUERIES, [q["sql"][:120] for q in queries]


# Session, user, actor, the helpers, savepoint and the access-log row: not one more per helper.
QUERIES = 7


def test_the_worker_sees_that_the_helper_stopped_through_their_link(
    client, login, corporation_worker, register_helper, helper_link
):
    helper = register_helper(corporation_worker)
    token = helper_link(corporation_worker, helper)
    client.post(reverse("links:offer_step", args=[token, "stoppen"]))
    page = login(corporation_worker).get(reverse("helpers:detail", args=[helper.pk]))
    html = page.content.decode()
    assert page.context["helper"].status == HelperStatus.STOPPED
    assert "Henk (persoonlijke link)" in html and "Geen werkende link" not in html
    listed = login(corporation_worker).get(reverse("helpers:list") + "?status=gestopt")
    assert [h.pk for h in listed.context["helpers"]] == [helper.pk]
