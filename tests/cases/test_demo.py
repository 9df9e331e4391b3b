"""The demo households, visits and signals (cases.demo) and the seeded signal categories."""

import importlib
import re
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from cases.demo import DEMO_PREFIX, assign_neighbourhoods, build_demo_cases
from cases.models import (
    AccessLog,
    Complex,
    HomeVisit,
    Household,
    HouseholdEvent,
    Resident,
    Signal,
    SignalCategory,
)
from cases.validators import normalise_postcode
from cases.workflow import (
    OPEN_STATUSES,
    REASON_REQUIRED,
    SignalStatus,
    VisitOutcome,
    signal_can_move,
)
from partners.models import Membership, Neighbourhood, Organisation
from tests.factories import MembershipFactory, NeighbourhoodFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)
CODES = {
    "eenzaamheid",
    "huurachterstand",
    "vervuiling",
    "inrichting",
    "zorgbehoefte",
    "psychische-klachten",
    "overlast",
    "taal-digitaal",
    "technisch-onderhoud",
    "anders",
}
Event = HouseholdEvent.Kind


def neighbourhoods():
    wijken = {
        code: NeighbourhoodFactory(cbs_code=code, name=name, municipality="Lindenhoven")
        for code, name in (("WK990101", "Centrum"), ("WK990102", "Lindenhoven-Zuid"))
    }
    for code, name in (
        ("BU99010101", "Oude Haven"),
        ("BU99010102", "Marktkwartier"),
        ("BU99010201", "De Akkers"),
        ("BU99010202", "Vogelbuurt"),
    ):
        NeighbourhoodFactory(
            cbs_code=code,
            name=name,
            kind=Neighbourhood.Kind.BUURT,
            municipality="Lindenhoven",
            parent=wijken[f"WK{code[2:8]}"],
        )


def workers_of(corporation, prefix=""):
    areas = {
        "woonconsulent": ["BU99010101", "BU99010102"],
        "wijkbeheerder": ["BU99010201", "BU99010202"],
        "slo": ["BU99010101", "BU99010102", "BU99010201", "BU99010202"],
    }
    workers = []
    for local, codes in areas.items():
        membership = MembershipFactory(
            user__email=f"{prefix}{local}@lindenhoven.example",
            organisation=corporation,
            role=Membership.Role.MEDEWERKER,
        )
        assign_neighbourhoods(membership, codes)
        workers.append(membership)
    return workers


@pytest.fixture
def corporation():
    return OrganisationFactory(name="Woonstichting Lindenhoven", kind=Organisation.Kind.CORPORATIE)


@pytest.fixture
def workers(corporation):
    neighbourhoods()
    return workers_of(corporation)


@pytest.fixture
def demo(corporation, workers):
    return build_demo_cases(corporation=corporation, workers=workers, today=TODAY)


# --- Categories -------------------------------------------------------------------------------


def test_the_ten_categories_are_seeded_with_a_life_area_and_a_partner_kind():
    categories = {c.code: c for c in SignalCategory.objects.all()}
    assert set(categories) >= CODES
    for code in CODES:
        category = categories[code]
        assert category.is_active
        assert category.life_area in SignalCategory.LifeArea.values
        assert category.usual_partner_kind in Organisation.Kind.values
    assert categories["huurachterstand"].usual_partner_kind == Organisation.Kind.GEMEENTE
    assert categories["eenzaamheid"].usual_partner_kind == Organisation.Kind.WELZIJN
    assert categories["technisch-onderhoud"].usual_partner_kind == Organisation.Kind.CORPORATIE
    assert categories["inrichting"].name == "Ontbrekende inrichting (op kale beton)"
    ordered = [c.code for c in SignalCategory.objects.filter(code__in=CODES)]
    assert ordered[0] == "eenzaamheid"
    assert ordered[-1] == "anders"


def test_reversing_the_seed_keeps_categories_that_signals_use(demo):
    migration = importlib.import_module("cases.migrations.0003_seed_signal_categories")
    Signal.objects.exclude(category__code="eenzaamheid").update(
        category=SignalCategory.objects.get(code="eenzaamheid")
    )

    migration.unseed(apps, None)
    assert set(SignalCategory.objects.values_list("code", flat=True)) == {"eenzaamheid"}

    migration.seed(apps, None)
    migration.seed(apps, None)
    assert set(SignalCategory.objects.values_list("code", flat=True)) == CODES


# --- Households and residents -----------------------------------------------------------------


def test_about_200_households_in_four_neighbourhoods_with_one_main_tenant_each(demo, corporation):
    households = Household.objects.filter(corporation=corporation)
    assert 180 <= households.count() <= 220
    assert demo.created and demo.households == households.count()
    by_neighbourhood = Counter(households.values_list("neighbourhood__cbs_code", flat=True))
    assert 3 <= len(by_neighbourhood) <= 4
    assert min(by_neighbourhood.values()) >= 30
    assert set(
        Neighbourhood.objects.filter(cbs_code__in=by_neighbourhood).values_list("kind", flat=True)
    ) == {Neighbourhood.Kind.BUURT}
    assert households.filter(complex__isnull=False).count() >= 20
    assert Complex.objects.filter(corporation=corporation).count() >= 3
    for complex_ in Complex.objects.filter(corporation=corporation):
        assert set(complex_.households.values_list("neighbourhood", flat=True)) <= {
            complex_.neighbourhood_id
        }

    references = list(households.values_list("tenancy_reference", flat=True))
    assert len(set(references)) == len(references)
    assert all(r.startswith(DEMO_PREFIX) for r in references)
    addresses = list(
        households.values_list("street", "house_number", "house_number_addition", "postcode")
    )
    assert len(set(addresses)) == len(addresses)

    for household in households.prefetch_related("residents"):
        household.full_clean()
        assert normalise_postcode(household.postcode) == household.postcode
        assert not household.postcode.endswith(("SA", "SD", "SS"))
        assert household.postcode[:2] == "99"
        assert household.town == "Lindenhoven"
        assert household.phone == "" or re.fullmatch(r"06 0000 \d{4}", household.phone)
        assert household.email == "" or household.email.endswith(".example")
        residents = list(household.residents.all())
        assert 1 <= len(residents) <= 4
        assert sum(r.is_main_tenant for r in residents) == 1
        for resident in residents:
            resident.full_clean()
            assert 1900 <= resident.birth_year <= TODAY.year
    assert households.exclude(phone="").exists()
    assert households.exclude(email="").exists()
    emails = list(households.exclude(email="").values_list("email", flat=True))
    assert len(set(emails)) == len(emails)
    assert Resident.objects.filter(household__in=households).count() > households.count()


# --- Visits and signals -----------------------------------------------------------------------


def test_visits_spread_over_the_last_18_months_in_realistic_proportions(demo, workers):
    visits = HomeVisit.objects.select_related("household")
    days = sorted(visits.values_list("visited_on", flat=True))
    assert days[0] <= TODAY - timedelta(days=365)
    assert days[0] >= TODAY - timedelta(days=560)
    assert days[-1] < TODAY
    assert len({(d.year, d.month) for d in days}) >= 17

    outcomes = Counter(visits.values_list("outcome", flat=True))
    total = sum(outcomes.values())
    assert total >= 300
    assert outcomes.most_common(1)[0][0] == VisitOutcome.GEEN_ZORGEN
    assert 0.15 <= outcomes[VisitOutcome.SIGNALEN] / total <= 0.35
    assert 0.05 <= outcomes[VisitOutcome.NIET_THUIS] / total <= 0.3
    assert set(visits.values_list("kind", flat=True)) == {
        "welkomstbezoek",
        "regulier",
        "op_verzoek",
        "na_reparatie",
    }
    users = {w.user_id for w in workers}
    for visit in visits:
        assert visit.created_by_id in users
        assert visit.visited_on >= visit.household.created_at.date()
        assert timezone.localtime(visit.created_at).date() == visit.visited_on
        assert visit.organisation_id == visit.household.corporation_id
    with_signals = set(Signal.objects.values_list("visit", flat=True))
    assert with_signals == set(
        visits.filter(outcome=VisitOutcome.SIGNALEN).values_list("id", flat=True)
    )


def test_signals_have_realistic_categories_severities_and_statuses(demo, corporation):
    signals = Signal.objects.select_related("visit", "category")
    assert demo.signals == signals.count() >= 120
    per_visit = Counter(signals.values_list("visit", flat=True))
    assert set(per_visit.values()) <= {1, 2, 3}

    categories = Counter(signals.values_list("category__code", flat=True))
    assert {code for code, _ in categories.most_common(2)} == {"eenzaamheid", "huurachterstand"}
    severities = Counter(signals.values_list("severity", flat=True))
    assert severities["laag"] + severities["midden"] > 0.7 * sum(severities.values())
    assert 0 < severities["acuut"] < severities["hoog"]

    statuses = Counter(signals.values_list("status", flat=True))
    assert set(statuses) == set(SignalStatus.values)
    old = signals.filter(created_at__date__lt=TODAY - timedelta(days=180))
    assert old.exclude(status__in=OPEN_STATUSES).count() > 0.75 * old.count()
    recent = signals.filter(created_at__date__gte=TODAY - timedelta(days=30))
    assert recent.filter(status__in=OPEN_STATUSES).count() > 0.5 * recent.count()

    for signal in signals:
        assert signal.household_id == signal.visit.household_id
        assert signal.created_by_id == signal.visit.created_by_id
        assert signal.organisation_id == corporation.pk
        assert signal.created_at == signal.visit.created_at
        assert signal.status_changed_at >= signal.created_at
        if signal.status in REASON_REQUIRED:
            assert signal.closed_reason
        else:
            assert signal.closed_reason == ""

    overdue = Signal.objects.open().filter(follow_up_on__lt=TODAY)
    assert overdue.count() >= 1
    assert signals.filter(follow_up_on__gte=TODAY).exists() or overdue.exists()


def test_every_household_visit_signal_and_status_change_is_in_the_history(demo):
    events = HouseholdEvent.objects.all()
    created = events.filter(kind=Event.HOUSEHOLD_CREATED)
    assert created.count() == Household.objects.count()
    assert not created.exclude(at__in=Household.objects.values("created_at")).exists()
    for event in created.select_related("household"):
        assert event.at == event.household.created_at

    logged = {e.visit_id: e for e in events.filter(kind=Event.VISIT_LOGGED)}
    for visit in HomeVisit.objects.all():
        assert logged[visit.pk].at == visit.created_at
        assert logged[visit.pk].household_id == visit.household_id
        assert logged[visit.pk].data["outcome"] == visit.outcome

    opened = {e.signal_id: e for e in events.filter(kind=Event.SIGNAL_OPENED)}
    changes = defaultdict(list)
    for event in events.filter(kind=Event.SIGNAL_STATUS_CHANGED).order_by("at", "id"):
        changes[event.signal_id].append(event)
    now = timezone.now()
    moved = 0
    for signal in Signal.objects.all():
        assert opened[signal.pk].at == signal.created_at
        assert opened[signal.pk].visit_id == signal.visit_id
        status, moment = SignalStatus.OPEN, signal.created_at
        for change in changes[signal.pk]:
            assert change.household_id == signal.household_id
            assert change.data["from"] == status
            assert signal_can_move(status, change.data["to"])
            assert moment < change.at < now
            if change.data["to"] in REASON_REQUIRED:
                assert change.data["reason"]
            status, moment = change.data["to"], change.at
            moved += 1
        assert status == signal.status
        assert moment == signal.status_changed_at
    assert moved == events.filter(kind=Event.SIGNAL_STATUS_CHANGED).count() > 0
    # The visits-and-signals demo is history nobody read; only the referral, joint-case and
    # privacy demos act through services, which log their steps (the privacy officer's
    # correction of a household is one).
    assert (
        not AccessLog.objects.filter(
            object_type__in=("cases.household", "cases.homevisit", "cases.signal")
        )
        .exclude(role="privacyfunctionaris")
        .exists()
    )


# --- Safe, quick, deterministic ---------------------------------------------------------------


def counts():
    return tuple(
        model.objects.count()
        for model in (Household, Resident, Complex, HomeVisit, Signal, HouseholdEvent)
    )


def test_building_again_adds_nothing(demo, corporation, workers):
    before = counts()
    again = build_demo_cases(corporation=corporation, workers=workers, today=TODAY)
    assert not again.created
    assert counts() == before
    assert again.households == demo.households and again.signals == demo.signals


def test_it_takes_a_handful_of_queries_and_the_same_seed_gives_the_same_data(
    corporation, workers, django_assert_max_num_queries
):
    with django_assert_max_num_queries(60):
        build_demo_cases(corporation=corporation, workers=workers, today=TODAY)
    other = OrganisationFactory(name="Woonstichting Elders", kind=Organisation.Kind.CORPORATIE)
    build_demo_cases(corporation=other, workers=workers_of(other, prefix="elders."), today=TODAY)

    def shape(organisation):
        return [
            (
                h.street,
                h.house_number,
                h.house_number_addition,
                h.postcode,
                h.created_at,
                tuple(h.visits.values_list("visited_on", "kind", "outcome")),
                tuple(h.signals.values_list("category__code", "severity", "status")),
            )
            for h in Household.objects.filter(corporation=organisation).order_by("pk")
        ]

    assert shape(corporation) == shape(other)


def test_seed_demo_adds_the_cases_once(capsys):
    call_command("seed_demo", password="een-eigen-wachtwoord")
    first = counts()
    assert 180 <= first[0] <= 220
    call_command("seed_demo", password="een-eigen-wachtwoord")
    assert counts() == first
    out = capsys.readouterr().out
    assert "Demo cases of Woonstichting Lindenhoven (added)" in out
    assert "(already there)" in out
    assert f"{first[0]} households" in out
    # The visits-and-signals demo is history nobody read; only the referral, joint-case and
    # privacy demos act through services, which log their steps (the privacy officer's
    # correction of a household is one).
    assert (
        not AccessLog.objects.filter(
            object_type__in=("cases.household", "cases.homevisit", "cases.signal")
        )
        .exclude(role="privacyfunctionaris")
        .exists()
    )
