"""The pages of what the ledger counts: a shared worker's hours, the agreed split, the hourly rate
and the estimates of avoided costs that administrators set."""

import datetime
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import AvoidedCost, HourlyRate, HoursSplit, SignalCategory, WorkedHours
from cases.models.ledger import add_months
from cases.services.ledger import avoided_cost_save, worked_hours_enter
from partners.models import Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def this_month():
    return timezone.localdate().replace(day=1)


def field(organisation):
    return f"org_{organisation.pk}"


# --- a shared worker's hours ------------------------------------------------------------------


def test_the_hours_page_saves_a_month_and_shows_where_each_month_comes_from(
    login, split, since_last_year, corporation, welfare, municipality
):
    client = login(since_last_year)
    page = client.get(reverse("ledger:hours"))
    assert page.status_code == 200
    form = page.context["form"]
    # The split fills in the month, in quarters so the form can be saved as it is.
    assert form.initial[field(corporation)] == Decimal("34.75")
    assert form.initial[field(municipality)] == Decimal("13.75")
    last = add_months(this_month(), -1)
    response = client.post(
        reverse("ledger:hours"),
        {
            "month": last.strftime("%Y-%m"),
            field(corporation): "40",
            field(welfare): "12,5",
            field(municipality): "0",
        },
    )
    assert response.status_code == 302
    assert WorkedHours.objects.get(organisation=welfare, month=last).hours == Decimal("12.5")
    overview = {row.month: row for row in client.get(reverse("ledger:hours")).context["overview"]}
    assert overview[last].source == "entered"
    assert overview[add_months(this_month(), -2)].source == "split"
    assert overview[add_months(this_month(), -6)].source == ""
    html = client.get(reverse("ledger:hours")).content.decode()
    assert "ingevuld" in html and "afgesproken verdeling" in html


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("201", "Geef 0 tot en met 200 uur."),
        ("7,3", "Geef de uren in kwartieren"),
        ("zeven", "Geef een aantal uren op"),
        ("-1", "Geef een aantal uren op"),
        ("", "Geef 0 tot en met 200 uur."),
    ],
)
def test_bad_hours_are_told_next_to_the_field_and_kept(
    login, since_last_year, corporation, welfare, municipality, value, message
):
    response = login(since_last_year).post(
        reverse("ledger:hours"),
        {
            "month": this_month().strftime("%Y-%m"),
            field(corporation): value,
            field(welfare): "8",
            field(municipality): "0",
        },
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field(corporation)])
    assert 'value="8"' in response.content.decode(), "what was typed stays"
    assert WorkedHours.objects.count() == 0


def test_a_month_that_has_not_begun_is_refused(
    login, since_last_year, corporation, welfare, municipality
):
    response = login(since_last_year).post(
        reverse("ledger:hours"),
        {
            "month": add_months(this_month(), 1).strftime("%Y-%m"),
            field(corporation): "1",
            field(welfare): "1",
            field(municipality): "1",
        },
    )
    assert "nog niet begonnen" in " ".join(response.context["form"].errors["month"])


def test_months_before_the_previous_one_are_closed(
    login, since_last_year, corporation, welfare, municipality
):
    response = login(since_last_year).post(
        reverse("ledger:hours"),
        {
            "month": add_months(this_month(), -2).strftime("%Y-%m"),
            field(corporation): "1",
            field(welfare): "1",
            field(municipality): "1",
        },
    )
    assert response.status_code == 200
    assert "eerdere maanden zijn afgesloten" in " ".join(response.context["form"].errors["month"])
    assert WorkedHours.objects.count() == 0


def test_only_shared_workers_enter_hours(login, corporation_worker, manager):
    for member in (corporation_worker, manager):
        assert login(member).get(reverse("ledger:hours")).status_code == 403
    with pytest.raises(ValidationError):
        worked_hours_enter(actor=corporation_worker, month=this_month(), hours={})


def test_the_hours_page_wrong_method(login, shared_worker):
    assert login(shared_worker).put(reverse("ledger:hours")).status_code == 405


# --- the agreed split -------------------------------------------------------------------------


def test_administrators_see_their_shared_workers_and_the_same_split(
    login, split, admin, welfare, shared_worker
):
    response = login(admin).get(reverse("ledger:splits"))
    (worker,) = response.context["workers"]
    assert worker == shared_worker.user and worker.split == split
    welfare_admin = MembershipFactory(organisation=welfare, role="beheerder")
    (same,) = login(welfare_admin).get(reverse("ledger:splits")).context["workers"]
    assert same.split == split, "the administrators of each organisation see the same split"
    assert "16 uur per week: 50% Woonstichting Testdorp" in response.content.decode()


def test_a_split_must_add_up_to_100(
    login, admin, since_last_year, corporation, welfare, municipality
):
    url = reverse("ledger:split_edit", args=[since_last_year.user_id])
    response = login(admin).post(
        url,
        {
            "hours_per_week": "16",
            "valid_from": this_month().strftime("%Y-%m"),
            field(corporation): "50",
            field(welfare): "30",
            field(municipality): "30",
        },
    )
    assert response.status_code == 200
    assert "tellen op tot 110%" in response.content.decode()
    response = login(admin).post(
        url,
        {
            "hours_per_week": "16,5",
            "valid_from": this_month().strftime("%Y-%m"),
            field(corporation): "50",
            field(welfare): "30",
            field(municipality): "20",
        },
    )
    assert response.status_code == 302
    assert HoursSplit.objects.get().hours_per_week == Decimal("16.5")


def test_only_the_employer_records_the_split(
    login, since_last_year, welfare, corporation, municipality
):
    # The corporation's membership came first: it employs the worker, the others share them.
    Membership.objects.filter(user=since_last_year.user).exclude(organisation=corporation).update(
        started_at=timezone.now() - datetime.timedelta(days=100)
    )
    welfare_admin = MembershipFactory(organisation=welfare, role="beheerder")
    response = login(welfare_admin).post(
        reverse("ledger:split_edit", args=[since_last_year.user_id]),
        {
            "hours_per_week": "16",
            "valid_from": this_month().strftime("%Y-%m"),
            field(corporation): "10",
            field(welfare): "80",
            field(municipality): "10",
        },
    )
    assert response.status_code == 200
    assert "Alleen een beheerder van Woonstichting Testdorp" in response.content.decode()
    assert not HoursSplit.objects.exists()


def test_split_pages_404_403_405(
    login, admin, corporation_worker, outsider_admin, since_last_year, manager
):
    client = login(admin)
    # Someone of the organisation who works nowhere else is no shared worker: 404.
    assert (
        client.get(reverse("ledger:split_edit", args=[corporation_worker.user_id])).status_code
        == 404
    )
    assert client.put(reverse("ledger:splits")).status_code == 405
    other = login(outsider_admin)
    assert (
        other.get(reverse("ledger:split_edit", args=[since_last_year.user_id])).status_code == 404
    )
    assert other.get(reverse("ledger:splits")).context["workers"] == []
    for member in (corporation_worker, manager):
        assert login(member).get(reverse("ledger:splits")).status_code == 403


# --- hourly rate and estimates ----------------------------------------------------------------


def test_the_hourly_rate_from_a_month(login, admin, corporation):
    client = login(admin)
    response = client.post(
        reverse("ledger:rate"), {"amount": "62,50", "valid_from": this_month().strftime("%Y-%m")}
    )
    assert response.status_code == 302
    rate = HourlyRate.objects.get()
    assert (rate.organisation, rate.amount, rate.valid_from) == (
        corporation,
        Decimal("62.50"),
        this_month(),
    )
    assert "€\xa062,50" in client.get(reverse("ledger:costs")).content.decode()
    refused = client.post(
        reverse("ledger:rate"), {"amount": "0", "valid_from": this_month().strftime("%Y-%m")}
    )
    assert "Geef een uurtarief tussen" in refused.content.decode()


def test_an_estimate_needs_its_source_and_belongs_to_its_organisation(
    login, admin, outsider_admin, corporation, categories
):
    category = SignalCategory.objects.get(code="huurachterstand")
    client = login(admin)
    data = {
        "category": category.pk,
        "amount": "5.000",
        "source": "",
        "valid_from": "2026-01",
    }
    response = client.post(reverse("ledger:estimate_create"), data)
    assert "Noem de bron van de schatting" in response.content.decode()
    assert 'value="5.000"' in response.content.decode()
    response = client.post(
        reverse("ledger:estimate_create"), data | {"source": "Kosten huisuitzetting (test)"}
    )
    assert response.status_code == 302
    estimate = AvoidedCost.objects.get()
    assert (estimate.organisation, estimate.amount, estimate.valid_from) == (
        corporation,
        Decimal("5000"),
        date(2026, 1, 1),
    )
    twice = client.post(reverse("ledger:estimate_create"), data | {"source": "Nog eens"})
    assert "Er is al een schatting" in twice.content.decode()
    url = reverse("ledger:estimate_edit", args=[estimate.pk])
    assert login(outsider_admin).get(url).status_code == 404
    assert login(outsider_admin).post(url, data).status_code == 404
    with translation.override("en"), pytest.raises(ValidationError, match="own administrators"):
        avoided_cost_save(
            actor=outsider_admin,
            estimate=estimate,
            category=category,
            amount=Decimal("1"),
            source="x",
            valid_from=date(2026, 1, 1),
        )


@pytest.mark.parametrize("cast", ["corporation_worker", "manager", "privacy_officer"])
def test_rates_and_estimates_are_for_administrators(login, request, cast):
    client = login(request.getfixturevalue(cast))
    for name in ("ledger:costs", "ledger:rate", "ledger:estimate_create"):
        assert client.get(reverse(name)).status_code == 403


def test_cost_pages_wrong_methods(login, admin):
    client = login(admin)
    assert client.post(reverse("ledger:costs")).status_code == 405
    assert client.put(reverse("ledger:rate")).status_code == 405
    assert client.delete(reverse("ledger:estimate_create")).status_code == 405
