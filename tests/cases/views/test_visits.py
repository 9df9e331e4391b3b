"""The home visit form: two taps without signals, signals ticked with their severity, Dutch
messages beside the field; for the corporation's workers, and each save logged once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog, HomeVisit, Signal, SignalCategory
from tests.factories import SignalCategoryFactory, SignalFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def post(client, household, **data):
    return client.post(reverse("cases:visit_create", args=[household.pk]), data)


def household_url(name, household):
    return reverse(f"cases:{name}", args=[household.pk])


def test_a_visit_without_signals_is_two_taps(login, corporation_worker, household):
    client = login(corporation_worker)
    form = client.get(reverse("cases:visit_create", args=[household.pk])).context["form"]
    # The form comes with today and a regular visit chosen: the outcome is the one tap left.
    assert form["visited_on"].value() == TODAY and form["kind"].value() == "regulier"
    response = post(
        client, household, visited_on=TODAY.isoformat(), kind="regulier", outcome="geen_zorgen"
    )
    assert response.status_code == 302
    assert HomeVisit.objects.get().outcome == "geen_zorgen"


def test_a_visit_with_three_signals(login, corporation_worker, household, categories):
    data = {"visited_on": TODAY.isoformat(), "kind": "op_verzoek", "outcome": "signalen"}
    for n, category in enumerate(categories[:3]):
        data |= {
            f"c{category.pk}": "on",
            f"c{category.pk}_severity": "midden",
            f"c{category.pk}_description": f"Signaal {n}",
        }
    assert post(login(corporation_worker), household, **data).status_code == 302
    assert Signal.objects.filter(household=household).count() == 3


def test_bad_input_is_explained_in_dutch_next_to_the_field_and_kept(
    login, corporation_worker, household, categories
):
    first, second = categories[0], categories[1]
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    response = post(
        login(corporation_worker),
        household,
        visited_on=future,
        kind="na_reparatie",
        outcome="signalen",
        notes="Lekkage in de keuken",
        **{
            f"c{first.pk}": "on",
            f"c{first.pk}_description": "Alleen thuis",
            f"c{second.pk}": "on",
            f"c{second.pk}_severity": "hoog",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "toekomst" in str(form.errors["visited_on"])
    assert "Kies hoe ernstig" in str(form.errors[f"c{first.pk}_severity"])
    assert "Beschrijf" in str(form.errors[f"c{second.pk}_description"])
    html = response.content.decode()
    assert "Lekkage in de keuken" in html and 'value="Alleen thuis"' in html
    assert f'value="{future}"' in html
    assert HomeVisit.objects.count() == 0 and Signal.objects.count() == 0


def test_a_visit_in_the_year_1_is_explained_and_what_was_typed_kept(
    login, corporation_worker, household
):
    response = post(
        login(corporation_worker),
        household,
        visited_on="0001-03-12",
        kind="regulier",
        outcome="geen_zorgen",
        notes="Alles in orde, buurvrouw helpt met boodschappen",
    )
    assert response.status_code == 200
    assert "binnen een jaar" in str(response.context["form"].errors["visited_on"])
    html = response.content.decode()
    assert "buurvrouw helpt met boodschappen" in html
    oldest = (TODAY - datetime.timedelta(days=366)).isoformat()
    assert f'min="{oldest}"' in html
    assert HomeVisit.objects.count() == 0


def test_a_visit_with_outcome_signals_needs_a_tick(login, corporation_worker, household):
    response = post(
        login(corporation_worker),
        household,
        visited_on=TODAY.isoformat(),
        kind="regulier",
        outcome="signalen",
    )
    assert response.status_code == 200
    assert "Vink minstens één signaal aan" in str(response.context["form"].errors["outcome"])


@pytest.mark.parametrize("cast", ["welfare_worker", "manager", "admin"])
def test_visits_and_status_changes_are_for_the_corporations_workers(
    login, request, cast, household
):
    signal = SignalFactory(household=household)
    client = login(request.getfixturevalue(cast))
    assert client.get(household_url("visit_create", household)).status_code == 403
    assert client.post(household_url("visit_create", household)).status_code == 403
    assert client.post(reverse("cases:signal_status", args=[signal.pk])).status_code == 403
    assert HomeVisit.objects.count() == 0


def test_a_saved_visit_or_status_change_writes_one_row_for_the_change(
    login, corporation_worker, household, categories
):
    client = login(corporation_worker)
    client.post(
        household_url("visit_create", household),
        {"visited_on": TODAY.isoformat(), "kind": "regulier", "outcome": "geen_zorgen"},
    )
    signal = SignalFactory(household=household)
    client.post(reverse("cases:signal_status", args=[signal.pk]), {"status": "in_behandeling"})
    rows = list(AccessLog.objects.order_by("id").values_list("action", "object_type"))
    assert rows == [("create", "cases.homevisit"), ("update", "cases.signal")]


def test_a_form_shown_again_after_an_error_is_a_read(login, corporation_worker, household):
    client = login(corporation_worker)
    client.get(household_url("visit_create", household))
    client.post(household_url("visit_create", household), {"visited_on": "", "kind": "regulier"})
    assert list(AccessLog.objects.values_list("action", flat=True)) == ["view", "view"]


def test_the_form_shows_a_fieldset_per_life_area_with_a_dutch_legend(
    login, corporation_worker, household
):
    SignalCategory.objects.update(is_active=False)
    SignalCategoryFactory(code="schulden", name="Schulden", life_area="financien", position=1)
    SignalCategoryFactory(
        code="eenzaam", name="Eenzaam", life_area="sociaal", position=2, is_common=True
    )
    html = login(corporation_worker).get(household_url("visit_create", household)).content.decode()
    social = html.index('data-life-area="sociaal"')
    finances = html.index('data-life-area="financien"')
    assert social < finances, "the area with a common category first"
    assert '<legend class="category-group-legend">Sociaal netwerk</legend>' in html
    assert '<legend class="category-group-legend">Financiën</legend>' in html
    assert html.index("Eenzaam") < html.index("Schulden")


def test_an_erased_household_takes_no_visit_and_says_why(login, corporation_worker, household):
    client = login(corporation_worker)
    household.anonymised_at = timezone.now()
    household.save(update_fields=["anonymised_at"])
    response = post(client, household, visited_on=TODAY, kind="regulier", outcome="geen_zorgen")
    assert response.status_code == 200
    assert "De gegevens van dit huishouden zijn gewist" in response.content.decode()
    assert HomeVisit.objects.count() == 0
