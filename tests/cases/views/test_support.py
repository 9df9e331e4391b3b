"""The support package pages: requesting from the household, deciding from the inbox, late forms,
who may (404, 403, 405), the address once the sharing ends, and the inbox's query count."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cases.models import AccessLog, SupportPackage
from cases.services.referrals import referral_withdraw
from cases.services.support import support_package_approve
from tests.factories import MembershipFactory, request_package

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Services called directly speak the message ids; the pages speak Dutch per request."""
    with translation.override("en"):
        yield


def household_page(household):
    return reverse("cases:household_detail", args=[household.pk])


def packages_page(household):
    return reverse("packages:household", args=[household.pk])


def act(package, action):
    return reverse("packages:act", args=[package.pk, action])


def test_the_household_page_requests_a_package_and_shows_it_in_dutch(
    login, corporation_worker, household, corporation, referred
):
    client = login(corporation_worker)
    page = client.get(household_page(household)).content.decode()
    assert 'data-testid="support-packages"' in page and "Pakket aanvragen" in page
    response = client.post(
        packages_page(household),
        {
            "item": "witgoed",
            "amount": "1.234,50",
            "paying_organisation": corporation.pk,
            "description": "Wasmachine",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == household_page(household) + "#pakketten"
    package = SupportPackage.objects.get()
    assert (package.amount, package.description) == (Decimal("1234.50"), "Wasmachine")
    html = client.get(household_page(household)).content.decode()
    assert "€\xa01.234,50" in html
    assert "Ondersteuningspakket aangevraagd" in html, "the timeline shows it"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"item": "anders", "amount": "80"}, "description", "Beschrijf wat het pakket is."),
        ({"item": "inrichting", "amount": "tachtig"}, "amount", "Geef een bedrag in euro"),
        ({"item": "inrichting", "amount": "0"}, "amount", "meer dan €"),
        ({"item": "inrichting", "amount": "100.000"}, "amount", "hoogstens € 99.999,99"),
        ({"amount": "80"}, "item", "Dit veld is verplicht"),
    ],
)
def test_bad_input_is_told_next_to_the_field_and_kept(
    login, corporation_worker, household, corporation, data, field, message
):
    data = {"paying_organisation": corporation.pk, "description": "Bewaar mij", **data}
    data["description"] = data["description"] if data.get("item") != "anders" else ""
    response = login(corporation_worker).post(packages_page(household), data)
    assert response.status_code == 200
    form = response.context["package_form"]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'value="{data["amount"]}"' in html, "what was typed stays"
    assert SupportPackage.objects.count() == 0
    assert AccessLog.objects.filter(action="view", household=household).count() == 1


def test_a_partner_requests_from_the_households_packages_page(
    login, welfare_worker, household, welfare, referred, other_household
):
    client = login(welfare_worker)
    assert client.get(packages_page(household)).status_code == 200
    response = client.post(
        packages_page(household),
        {"item": "budgetcoaching", "amount": "300", "paying_organisation": welfare.pk},
    )
    assert response["Location"] == packages_page(household)
    assert SupportPackage.objects.get().requested_for == welfare
    assert client.get(packages_page(other_household)).status_code == 404


@pytest.mark.parametrize("cast", ["manager", "admin", "privacy_officer"])
def test_requesting_is_for_workers(login, request, household, cast):
    client = login(request.getfixturevalue(cast))
    assert client.get(packages_page(household)).status_code == 403
    assert client.post(packages_page(household), {}).status_code == 403


def test_the_payers_manager_decides_from_the_inbox_without_the_address(
    login, package, welfare, household
):
    manager = MembershipFactory(organisation=welfare, role="manager")
    client = login(manager)
    response = client.get(reverse("packages:inbox"))
    assert response.status_code == 200
    assert [p.pk for p in response.context["packages"]] == [package.pk]
    html = response.content.decode()
    assert "€\xa0850,00" in html and household.street not in html
    row = AccessLog.objects.get(user=manager.user)
    assert (row.action, row.legal_basis, row.detail["shown"]) == ("search", "geen", [package.pk])
    response = client.post(
        act(package, "goedkeuren"),
        {f"pakket{package.pk}-version": package.version, "next": reverse("packages:inbox")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("packages:inbox")
    package.refresh_from_db()
    assert package.status == "goedgekeurd"


def test_a_late_form_says_who_did_what_and_keeps_the_reason(
    login, package, welfare, welfare_worker
):
    colleague = MembershipFactory(organisation=welfare, user__name="Karin Collega")
    support_package_approve(actor=colleague, package=package)
    response = login(welfare_worker).post(
        act(package, "afwijzen"),
        {f"pakket{package.pk}-version": 1, f"pakket{package.pk}-reason": "Te duur"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Karin Collega heeft dit ondersteuningspakket al goedgekeurd" in html
    package.refresh_from_db()
    assert package.status == "goedgekeurd"


def test_decline_without_reason_is_told_next_to_the_field(login, package, welfare_worker):
    response = login(welfare_worker).post(
        act(package, "afwijzen"), {f"pakket{package.pk}-version": package.version}
    )
    assert response.status_code == 200
    assert "Dit veld is verplicht" in response.content.decode()
    package.refresh_from_db()
    assert package.status == "aangevraagd"


def test_package_pages_404_403_405(login, package, care_worker, outsider, admin, welfare_worker):
    for member in (care_worker, outsider):
        client = login(member)
        assert client.get(reverse("packages:detail", args=[package.pk])).status_code == 404
        assert client.post(act(package, "goedkeuren"), {}).status_code == 404
    client = login(admin)
    assert client.get(reverse("packages:inbox")).status_code == 403
    assert client.get(reverse("packages:detail", args=[package.pk])).status_code == 403
    client = login(welfare_worker)
    assert client.post(reverse("packages:inbox")).status_code == 405
    assert client.get(act(package, "goedkeuren")).status_code == 405
    assert client.post(act(package, "opeten"), {}).status_code == 404
    assert client.put(packages_page(package.household)).status_code == 405


def test_the_receiver_loses_the_address_when_the_sharing_ends(
    login, package, referred, welfare_worker, corporation_worker, household
):
    referral_withdraw(actor=corporation_worker, referral=referred)
    client = login(welfare_worker)
    response = client.get(reverse("packages:detail", args=[package.pk]))
    assert response.status_code == 200, "the package stays the payer's record"
    assert household.street not in response.content.decode()
    assert (
        AccessLog.objects.filter(user=welfare_worker.user).order_by("id").last().household_id
        is None
    )
    refused = client.post(
        act(package, "goedkeuren"), {f"pakket{package.pk}-version": package.version}
    )
    assert "mag niet met dit huishouden werken" in refused.content.decode()


def test_query_count_of_the_inbox_does_not_grow(login, corporation_worker, household, corporation):
    client = login(corporation_worker)
    client.get(reverse("packages:inbox"))  # the first request stamps the session
    counts = []
    for total in (1, 10, 50):
        while SupportPackage.objects.count() < total:
            request_package(corporation_worker, household, corporation, "10")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("packages:inbox"), {"lijst": "alle"}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts
