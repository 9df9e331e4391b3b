"""The pages of possible duplicates (ADR 0026): the household page's flag for the corporation's
workers, an absorbed household's page, lists and search after a merge; the administrators'
list and their decision page (allowed, another corporation's household 404, wrong role 403,
wrong method 405, a refused form that keeps what was chosen); the privacy officer's access
log and AVG overview of the survivor, which include the absorbed household's rows."""

import pytest
from django.urls import reverse

from cases.models import AccessLog, DistinctHouseholds, Household, HouseholdEvent
from cases.selectors.households import household_page
from cases.services.duplicates import household_merge
from cases.services.joint_cases import case_open
from tests.factories import HouseholdFactory, MembershipFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def detail(household):
    return reverse("cases:household_detail", args=[household.pk])


def decide(first, second):
    return reverse("duplicates:decide", args=[first.pk, second.pk])


@pytest.fixture
def room(household):
    """Another tenancy at the cast's household's address (Lindelaan 12-a)."""
    return HouseholdFactory(
        corporation=household.corporation,
        street="Lindelaan",
        postcode="9901 AB",
        house_number=12,
        house_number_addition="A",
        tenancy_reference="HC-000077",
    )


# --- the household page -------------------------------------------------------------------


def test_the_household_page_flags_a_possible_duplicate_with_a_link(
    login, corporation_worker, household, room
):
    html = login(corporation_worker).get(detail(household)).content.decode()
    assert 'data-testid="possible-duplicates"' in html
    assert "Mogelijk dubbel:" in html
    assert f'href="{detail(room)}"' in html and "HC-000077" in html
    assert "zelfde adres" in html


def test_no_flag_without_a_duplicate(login, corporation_worker, household):
    HouseholdFactory(corporation=household.corporation, house_number=12, postcode="9901 AB")
    html = login(corporation_worker).get(detail(household)).content.decode()
    assert "Mogelijk dubbel" not in html


def test_an_absorbed_household_says_so_and_links_to_the_survivor(
    login, corporation_worker, admin, household, room
):
    household_merge(actor=admin, survivor=household, absorbed=room)
    html = login(corporation_worker).get(detail(room)).content.decode()
    assert 'data-testid="household-merged"' in html
    assert f'href="{detail(household)}"' in html
    assert reverse("cases:visit_create", args=[room.pk]) not in html
    survivor = login(corporation_worker).get(detail(household)).content.decode()
    assert "Mogelijk dubbel" not in survivor
    assert "HC-000077" in survivor, "the timeline names the household merged into it"


def test_lists_and_search_show_the_survivor_only(login, corporation_worker, admin, household, room):
    household_merge(actor=admin, survivor=household, absorbed=room)
    client = login(corporation_worker)
    listing = client.get(reverse("cases:household_list")).content.decode()
    assert detail(household) in listing and detail(room) not in listing
    found = client.get(reverse("cases:household_list"), {"q": "hc-000077"}).content.decode()
    assert detail(household) in found and detail(room) not in found


def test_the_survivors_timeline_holds_the_absorbed_households_history(
    corporation_worker, admin, household, room
):
    household_merge(actor=admin, survivor=household, absorbed=room)
    kinds = [e.kind for e in household_page(actor=corporation_worker, pk=household.pk).events]
    assert "household_absorbed" in kinds and "household_merged" in kinds


# --- the administrators' list --------------------------------------------------------------


def test_the_administrator_lists_each_pair_once(login, admin, household, room):
    elsewhere = HouseholdFactory(corporation=household.corporation, postcode="9909 ZZ")
    ResidentFactory(household=elsewhere, name="Anna de Test", birth_year=1948)
    HouseholdFactory(corporation=household.corporation, postcode="9908 YY")
    response = login(admin).get(reverse("duplicates:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(decide(household, room)) == 1
    assert html.count(decide(household, elsewhere)) == 1
    assert decide(room, household) not in html
    assert "2 huishoudens met een mogelijk dubbel" not in html  # each pair once: one household
    assert "1 huishouden met een mogelijk dubbel" in html
    shown = set(AccessLog.objects.filter(action="search").values_list("household_id", flat=True))
    assert shown == {household.pk, room.pk, elsewhere.pk}


def test_the_list_reads_a_constant_number_of_queries(
    login, admin, household, django_assert_max_num_queries
):
    client = login(admin)
    client.get(reverse("duplicates:list"))  # sessions and caches warm
    for number in range(10):
        HouseholdFactory(
            corporation=household.corporation, postcode="9907 XX", house_number=number + 1
        )
        HouseholdFactory(
            corporation=household.corporation, postcode="9907 XX", house_number=number + 1
        )
    with django_assert_max_num_queries(16):
        response = client.get(reverse("duplicates:list"))
    assert response.content.decode().count('data-testid="duplicate-list"') == 1
    assert response.content.decode().count("Vergelijken en beslissen") == 10


@pytest.mark.parametrize("cast", ["corporation_worker", "manager", "privacy_officer"])
def test_the_pages_are_for_the_corporations_administrators(login, request, cast, household, room):
    client = login(request.getfixturevalue(cast))
    assert client.get(reverse("duplicates:list")).status_code == 403
    assert client.get(decide(household, room)).status_code == 403
    assert client.post(decide(household, room), {"action": "apart"}).status_code == 403
    assert not DistinctHouseholds.objects.exists()


def test_a_welfare_administrator_is_refused(login, welfare, household, room):
    client = login(MembershipFactory(organisation=welfare, role="beheerder"))
    assert client.get(reverse("duplicates:list")).status_code == 403


def test_another_corporations_household_is_a_404(login, admin, household, other_household):
    client = login(admin)
    assert client.get(decide(household, other_household)).status_code == 404
    response = client.post(
        decide(household, other_household),
        {"action": "samenvoegen", "survivor": household.pk, "confirm": "on"},
    )
    assert response.status_code == 404
    assert not Household.objects.filter(merged_into__isnull=False).exists()
    assert client.get(decide(household, household)).status_code == 404


def test_wrong_methods(login, admin, household, room):
    client = login(admin)
    assert client.post(reverse("duplicates:list")).status_code == 405
    assert client.put(decide(household, room)).status_code == 405


# --- the decision --------------------------------------------------------------------------


def test_the_decision_page_shows_both_and_what_would_move(login, admin, pair):
    response = login(admin).get(decide(pair.survivor, pair.absorbed))
    assert response.status_code == 200
    html = response.content.decode()
    assert "HC-000012" in html and "HC-000099" in html
    assert "Bram de Test" in html
    assert "huisbezoeken: 1" in html and "signalen: 2" in html and "verwijzingen: 1" in html
    assert "casussen: 1" in html and "ondersteuningspakketten: 1" in html
    assert "Anna de Test" in html and "één keer" in html
    rows = AccessLog.objects.filter(action="view", detail__duplicates__isnull=False)
    assert sorted(rows.values_list("household_id", flat=True)) == sorted(
        [pair.survivor.pk, pair.absorbed.pk]
    )


def test_a_merge_without_a_choice_keeps_what_was_typed(login, admin, household, room):
    client = login(admin)
    response = client.post(decide(household, room), {"action": "samenvoegen", "confirm": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kies het huishouden dat blijft." in html
    assert 'name="confirm"' in html and "checked" in html
    response = client.post(decide(household, room), {"action": "samenvoegen", "survivor": room.pk})
    html = response.content.decode()
    assert "Vink aan dat je hebt gecontroleerd" in html
    assert f'value="{room.pk}" class="form-check-input" id="id_survivor_1" checked' in html or (
        f'value="{room.pk}"' in html and "checked" in html
    )
    assert not Household.objects.filter(merged_into__isnull=False).exists()


def test_the_administrator_merges(login, admin, household, room):
    client = login(admin)
    response = client.post(
        decide(household, room), {"action": "samenvoegen", "survivor": room.pk, "confirm": "on"}
    )
    assert response.status_code == 302 and response.url == reverse("duplicates:list")
    household.refresh_from_db()
    assert household.merged_into == room
    assert "Samengevoegd" in client.get(response.url).content.decode()


def test_the_administrator_marks_them_as_distinct(login, admin, household, room):
    client = login(admin)
    response = client.post(decide(household, room), {"action": "apart"})
    assert response.status_code == 302
    decision = DistinctHouseholds.objects.get()
    assert decision.decided_by == admin.user
    page = client.get(decide(household, room)).content.decode()
    assert "Als verschillend gemarkeerd door Joost Test" in page
    assert decide(household, room) not in client.get(reverse("duplicates:list")).content.decode()


def test_a_household_merged_already_is_refused_in_dutch(login, admin, household, room):
    third = HouseholdFactory(corporation=household.corporation)
    household_merge(actor=admin, survivor=third, absorbed=room)
    client = login(admin)
    page = client.get(decide(household, room)).content.decode()
    assert 'data-testid="already-merged"' in page
    response = client.post(
        decide(household, room),
        {"action": "samenvoegen", "survivor": household.pk, "confirm": "on"},
    )
    assert response.status_code == 200
    assert "is al samengevoegd met" in response.content.decode()
    household.refresh_from_db()
    assert household.merged_into is None and not room.absorbed.exists()


def test_both_with_an_open_case_is_refused_in_dutch(login, admin, pair, corporation_worker):
    case_open(actor=corporation_worker, household=pair.survivor)
    client = login(admin)
    response = client.post(
        decide(pair.survivor, pair.absorbed),
        {"action": "samenvoegen", "survivor": pair.survivor.pk, "confirm": "on"},
    )
    assert response.status_code == 200
    assert "Beide huishoudens hebben een open casus" in response.content.decode()
    assert not Household.objects.filter(merged_into__isnull=False).exists()


# --- the privacy officer: the survivor's log and AVG overview hold both ---------------------


@pytest.fixture
def merged_elsewhere(admin, corporation_worker, household):
    """A household at another address with the same resident, read once, then merged into the
    cast's household: its access-log rows stay on it."""
    other = HouseholdFactory(
        corporation=household.corporation, postcode="9909 ZZ", house_number=3, phone=""
    )
    ResidentFactory(household=other, name="Anna de Test", birth_year=1948)
    household_page(actor=corporation_worker, pk=other.pk)
    household_merge(actor=admin, survivor=household, absorbed=other)
    return other


def test_the_survivors_access_log_includes_the_absorbed_households_rows(
    login, privacy_officer, household, merged_elsewhere
):
    response = login(privacy_officer).get(reverse("privacy:access_log"), {"adres": "9901AB 12 a"})
    assert response.status_code == 200
    audit = AccessLog.objects.filter(action="audit").latest("pk")
    view = AccessLog.objects.get(household=merged_elsewhere, action="view")
    assert view.pk in [e.row.pk for e in response.context["page"].entries]
    assert merged_elsewhere.pk in audit.detail["filters"]["household_ids"]


def test_the_survivors_avg_overview_includes_both(
    login, privacy_officer, household, merged_elsewhere
):
    family = [household.pk, merged_elsewhere.pk]
    viewed = AccessLog.objects.filter(household_id__in=family, action="view").count()
    assert viewed == AccessLog.objects.filter(household=merged_elsewhere, action="view").count()
    response = login(privacy_officer).get(reverse("privacy:avg_overview", args=[household.pk]))
    assert response.status_code == 200
    sections = {s.key: s for s in response.context["overview"].sections}
    assert [row["postcode"] for row in sections["household"].rows] == ["9901 AB", "9909 ZZ"]
    history = [row["event"] for row in sections["history"].rows]
    assert "samengevoegd met een ander huishouden" in history
    accesses = sections["accesses"].rows
    assert viewed and sum(r["times"] for r in accesses if r["action"] == "bekeken") == viewed
    absorbed = login(privacy_officer).get(
        reverse("privacy:avg_overview", args=[merged_elsewhere.pk])
    )
    assert 'data-testid="avg-merged"' in absorbed.content.decode()
    assert HouseholdEvent.objects.filter(household=merged_elsewhere).exists()
