"""The import pages: upload, check, preview every invalid row, confirm, follow the progress; for a
corporation's administrator only."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import tasks
from cases.models import AccessLog, Household, HouseholdEvent, HouseholdImport
from partners.models import Membership
from tests.factories import (
    IMPORT_HEADER,
    MembershipFactory,
    import_file,
    import_rows,
    import_upload,
)

Status = HouseholdImport.Status
Kind = HouseholdEvent.Kind


@pytest.fixture(autouse=True)
def _eager(settings):
    """Imports run in the request unless a test says otherwise (as in the embedded mode)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


def _post_file(client, content: bytes, name: str = "huurders.csv"):
    return client.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile(name, content, "text/csv")}
    )


def test_a_corporation_admin_uploads_checks_and_imports(login, admin, buurten):
    client = login(admin)
    page = client.get(reverse("imports:upload"))
    assert page.status_code == 200
    assert b'enctype="multipart/form-data"' in page.content
    assert b"novalidate" in page.content

    response = _post_file(client, import_file("good_comma_utf8.csv"))
    household_import = HouseholdImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:detail", args=[household_import.pk])

    preview = client.get(response.url)
    assert preview.status_code == 200
    assert b'data-testid="import-sample"' in preview.content
    assert b"HC-1003" in preview.content
    confirm = reverse("imports:confirm", args=[household_import.pk])
    assert f'action="{confirm}"'.encode() in preview.content

    response = client.post(confirm)
    assert response.status_code == 302
    household_import.refresh_from_db()
    assert household_import.status == Status.DONE
    assert Household.objects.count() == 3
    result = client.get(response.url)
    assert b'data-testid="import-result"' in result.content
    assert confirm.encode() not in result.content
    assert AccessLog.objects.filter(action=AccessLog.Action.IMPORT).count() == 3


def test_the_preview_lists_every_invalid_row_page_by_page_and_offers_no_import(
    login, admin, buurten
):
    lines = [IMPORT_HEADER] + [
        f"R-{i};Straat;{i + 1};;9999 X;Testdorp;BU99010101;;;;;;" for i in range(150)
    ]
    client = login(admin)
    response = _post_file(client, ("\n".join(lines) + "\n").encode())
    household_import = HouseholdImport.objects.get()
    assert household_import.invalid_rows == 150

    first = client.get(response.url)
    second = client.get(response.url + "?page=2")

    assert first.content.count(b'data-code="postcode"') == 100
    assert second.content.count(b'data-code="postcode"') == 50
    assert b'data-row="2"' in first.content and b'data-row="151"' in second.content
    confirm = reverse("imports:confirm", args=[household_import.pk])
    assert confirm.encode() not in first.content
    assert client.post(confirm).status_code == 302
    assert not Household.objects.exists()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (b"PK\x03\x04\x14\x00\x06\x00", "spreadsheet"),
        (b"Dear tenant, this is a letter and not an export.\nRegards\n", "missing_columns"),
        (IMPORT_HEADER.encode() + b"\n", "no_rows"),
        (b"huurcontract,straat,straat,huisnummer\n1,a,b,2\n", "duplicate_column"),
    ],
    ids=["empty", "binary", "excel", "not-csv", "no-rows", "duplicate-column"],
)
def test_a_broken_file_is_explained_next_to_the_file_field(login, admin, content, code):
    response = _post_file(login(admin), content)

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["file"]
    assert [error.code for error in errors] == [code]
    assert b"invalid-feedback" in response.content
    assert not HouseholdImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused(login, admin, monkeypatch):
    monkeypatch.setattr("cases.forms.imports.MAX_BYTES", 100)
    response = _post_file(login(admin), import_rows(5))
    assert response.context["form"].errors.as_data()["file"][0].code == "too_large"


def test_while_the_task_runs_the_page_polls_its_progress(login, admin, buurten, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    client = login(admin)
    household_import = import_upload(admin, import_file("good_comma_utf8.csv"))
    detail = reverse("imports:detail", args=[household_import.pk])
    client.post(reverse("imports:confirm", args=[household_import.pk]))

    waiting = client.get(detail)
    assert b'hx-trigger="every 2s"' in waiting.content
    assert waiting.context["household_import"].shown_status == Status.RUNNING
    assert b"import-confirm" not in waiting.content

    cache.set(f"household-import:{household_import.pk}:progress", {"done": 2, "total": 3}, 60)
    poll = client.get(detail, headers={"HX-Request": "true"})
    assert poll.status_code == 200
    assert b'value="2" max="3"' in poll.content
    assert b"<html" not in poll.content

    tasks.household_import(household_import.pk)
    finished = client.get(detail, headers={"HX-Request": "true"})
    assert finished.status_code == 204
    assert finished["HX-Refresh"] == "true"


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("imports:upload"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_it_requires_an_administrator(login, corporation_worker, admin, buurten):
    household_import = import_upload(admin, import_file("good_comma_utf8.csv"))
    client = login(corporation_worker)
    assert client.get(reverse("imports:upload")).status_code == 403
    assert client.get(reverse("imports:detail", args=[household_import.pk])).status_code == 403
    confirm = reverse("imports:confirm", args=[household_import.pk])
    assert client.post(confirm).status_code == 403
    assert not Household.objects.exists()


def test_it_requires_a_housing_corporation(login, welfare):
    welfare_admin = MembershipFactory(organisation=welfare, role=Membership.Role.BEHEERDER)
    client = login(welfare_admin)
    assert client.get(reverse("imports:upload")).status_code == 403
    assert _post_file(client, b"huurcontract\n1\n").status_code == 403


def test_another_corporations_import_is_not_found(login, admin, outsider_admin, buurten):
    household_import = import_upload(admin, import_file("good_comma_utf8.csv"))
    client = login(outsider_admin)
    assert client.get(reverse("imports:upload")).status_code == 200
    assert client.get(reverse("imports:detail", args=[household_import.pk])).status_code == 404
    confirm = reverse("imports:confirm", args=[household_import.pk])
    assert client.post(confirm).status_code == 404
    assert not Household.objects.exists()
    assert b"huurders.csv" not in client.get(reverse("imports:upload")).content


def test_wrong_methods_are_refused(login, admin, buurten):
    household_import = import_upload(admin, import_file("good_comma_utf8.csv"))
    client = login(admin)
    assert client.put(reverse("imports:upload")).status_code == 405
    assert client.delete(reverse("imports:upload")).status_code == 405
    assert client.post(reverse("imports:detail", args=[household_import.pk])).status_code == 405
    assert client.get(reverse("imports:confirm", args=[household_import.pk])).status_code == 405


def test_the_preview_logs_the_existing_households_it_shows(login, admin, corporation, buurten):
    """Issue 15, item 7: the preview shows tenants' names and changed fields of households that
    exist: one access-log row each, with the import; new rows (no household yet) write none."""
    client = login(admin)
    _post_file(client, import_rows(2, prefix="HC"))
    household_import = HouseholdImport.objects.get()
    client.post(reverse("imports:confirm", args=[household_import.pk]))
    assert Household.objects.filter(corporation=corporation).count() == 2
    before = AccessLog.objects.count()

    changed = import_rows(3, prefix="HC", phone="06 22222222")  # HC-0, HC-1 change; HC-2 is new
    _post_file(client, changed)
    preview = HouseholdImport.objects.latest("pk")
    assert client.get(reverse("imports:detail", args=[preview.pk])).status_code == 200

    rows = AccessLog.objects.order_by("pk")[before:]
    shown = [row for row in rows if row.detail.get("preview")]
    assert sorted(row.household.tenancy_reference for row in shown) == ["HC-0", "HC-1"]
    assert {(row.action, row.legal_basis, row.detail["import"]) for row in shown} == {
        ("search", "eigen_huurder", preview.pk)
    }


def test_the_preview_names_every_resident_of_a_household_with_their_role(login, admin, buurten):
    client = login(admin)
    response = _post_file(client, import_file("residents_per_person.csv"))
    page = client.get(response["Location"]).content.decode()
    assert (
        "Bewoners: Sem Jansen (bewoner), Karin Jansen (hoofdhuurder), Piet Jansen (medehuurder)"
        in page
    )
    assert "naam" in client.get(reverse("imports:upload")).content.decode()
