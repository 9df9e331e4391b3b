"""Suggestions of helpers for a request (ADR 0034): a known set of helpers in an exact order
with the exact Dutch reasons (kind, distance, reach, own street, load, availability, the
fallbacks when no distance is known), stable across runs; never without a valid VOG where one
is needed; a constant number of queries however many helpers."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from cases.models import AccessLog, Helper
from cases.selectors.matching import COMPLEX, DISTANCE, POSTCODE, STREET, helper_suggestions
from tests.factories import HelperFactory, HelpMatchFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _suggest(actor, request, **kwargs):
    with translation.override("nl"):
        return helper_suggestions(actor=actor, request=request, **kwargs)


def _busy(helper, count, **values):
    for _n in range(count):
        HelpMatchFactory(
            helper=helper, request__household__corporation=helper.organisation, **values
        )


@pytest.fixture
def known_set(home, helper_at, corporation, settings):
    """Helpers around `home`, with the ones that must never be suggested among them."""
    settings.HELPER_MAX_OPEN_MATCHES = 3
    made = {}
    made["Ans"] = helper_at("Ans", north=300)
    made["Bert"] = helper_at("Bert", east=300)
    made["Cor"] = helper_at("Cor", north=-310)  # 310 m shows as 300 m: a tie, broken by load
    made["Dirk"] = helper_at("Dirk", north=800)
    made["Fenna"] = helper_at("Fenna", complex=home.complex, reach_metres=200)
    made["Gijs"] = helper_at("Gijs", street_address="Lindelaan 40", postcode="9901 AB")
    made["Hanna"] = helper_at("Hanna", postcode="9901 CD")
    made["Karin"] = helper_at(
        "Karin", north=150, reach_metres=None, own_street_only=True,
        street_address="lindelaan  2", postcode="9901 AB",
    )  # fmt: skip
    made["Otto"] = helper_at("Otto", north=200, days=["di"])
    # Never suggested: too far for their own reach, another postcode area without a distance,
    # another street only, another kind of help, paused, too busy, already proposed, another
    # organisation.
    helper_at("Els", north=1500)
    helper_at("Ivo", postcode="9903 CD")
    helper_at(
        "Jan", north=100, reach_metres=None, own_street_only=True, street_address="Eikenstraat 1"
    )
    helper_at("Lies", north=100, offers=["klussen"])
    helper_at("Mo", north=100, status="gepauzeerd")
    _busy(helper_at("Nina", north=100), 3)
    helper_at("Piet", north=100)
    HelperFactory(
        first_name="Wim",
        organisation=OrganisationFactory(),
        latitude=home.latitude,
        longitude=home.longitude,
    )
    _busy(made["Bert"], 2)
    _busy(made["Dirk"], 1, status="afgewezen")  # a declined match is no load
    return made


def test_a_known_set_in_its_exact_order_with_its_reasons(corporation_worker, ask, known_set):
    request = ask()
    HelpMatchFactory(helper=Helper.objects.get(first_name="Piet"), request=request)
    suggestions = _suggest(corporation_worker, request)
    got = [
        (s.helper.first_name, s.nearness, s.distance_metres is not None, s.load)
        for s in suggestions
    ]
    assert got == [
        ("Karin", DISTANCE, True, 0),
        ("Ans", DISTANCE, True, 0),
        ("Cor", DISTANCE, True, 0),
        ("Bert", DISTANCE, True, 2),
        ("Dirk", DISTANCE, True, 0),
        ("Fenna", COMPLEX, False, 0),
        ("Gijs", STREET, False, 0),
        ("Hanna", POSTCODE, False, 0),
        ("Otto", DISTANCE, True, 0),
    ]
    reasons = {s.helper.first_name: s.reasons for s in suggestions}
    monday = "kan op maandagochtend"
    assert reasons["Ans"] == [
        "woont 300 m verderop",
        "biedt boodschappen",
        "geen lopende hulpvragen",
        monday,
    ]
    assert reasons["Bert"] == [
        "woont 300 m verderop",
        "biedt boodschappen",
        "2 lopende hulpvragen",
        monday,
    ]
    assert reasons["Dirk"][0] == "woont 800 m verderop"
    assert reasons["Karin"] == [
        "woont 150 m verderop",
        "helpt alleen in de eigen straat of het eigen complex",
        "biedt boodschappen",
        "geen lopende hulpvragen",
        monday,
    ]
    assert reasons["Fenna"][0] == "zelfde complex; afstand onbekend"
    assert reasons["Gijs"][0] == "zelfde straat; afstand onbekend"
    assert reasons["Hanna"][0] == "zelfde postcodegebied (9901); afstand onbekend"
    assert reasons["Otto"][-1] == "kan niet op de gevraagde dagen of dagdelen"
    assert (
        295 <= next(s for s in suggestions if s.helper.first_name == "Ans").distance_metres <= 305
    )


def test_the_order_is_the_same_every_time_and_the_limit_takes_the_best(
    corporation_worker, ask, known_set
):
    request = ask()
    first = [s.helper.pk for s in _suggest(corporation_worker, request)]
    assert all(
        [s.helper.pk for s in _suggest(corporation_worker, request)] == first for _ in range(3)
    )
    assert [s.helper.pk for s in _suggest(corporation_worker, request, limit=3)] == first[:3]


def test_one_load_from_the_limit_is_still_suggested(corporation_worker, ask, helper_at, settings):
    settings.HELPER_MAX_OPEN_MATCHES = 2
    busy, free = helper_at("Busy", north=100), helper_at("Free", north=100)
    _busy(busy, 1)
    _busy(free, 2)
    suggestions = _suggest(corporation_worker, ask())
    assert [(s.helper, s.load, s.reasons[2]) for s in suggestions] == [
        (busy, 1, "1 lopende hulpvraag")
    ]


def test_a_request_needing_a_vog_is_never_suggested_to_a_helper_without_a_valid_one(
    corporation_worker, ask, helper_at
):
    today = timezone.localdate()
    seen = {"vog_seen_on": today - timedelta(days=400), "vog_seen_by": UserFactory()}
    valid = helper_at("Valid", north=100, vog_expires_on=date(2099, 3, 1), **seen)
    last_day = helper_at("Today", north=200, vog_expires_on=today, **seen)
    helper_at("Expired", north=100, vog_expires_on=today - timedelta(days=1), **seen)
    helper_at("None", north=100)
    suggestions = _suggest(corporation_worker, ask(needs_vog=True))
    assert [s.helper for s in suggestions] == [valid, last_day]
    assert suggestions[0].reasons[-1] == "VOG geldig tot 1 maart 2099"
    # Without the need, the VOG neither filters nor is mentioned.
    plain = _suggest(corporation_worker, ask())
    assert len(plain) == 4 and not any("VOG" in r for s in plain for r in s.reasons)


def test_availability_in_words_for_days_parts_or_both(corporation_worker, ask, helper_at):
    helper_at("Week", north=100, days=["ma", "di", "wo"], day_parts=["ochtend", "middag"])
    only_days = _suggest(corporation_worker, ask(days=["di", "wo", "za"], day_parts=[]))
    assert only_days[0].reasons[-1] == "kan op dinsdag of woensdag"
    only_parts = _suggest(corporation_worker, ask(days=[], day_parts=["middag", "avond"]))
    assert only_parts[0].reasons[-1] == "kan in de middag"
    many = _suggest(
        corporation_worker, ask(days=["ma", "di", "wo"], day_parts=["ochtend", "middag"])
    )
    assert many[0].reasons[-1] == "kan op maandag, dinsdag of woensdag (ochtend of middag)"
    anytime = _suggest(corporation_worker, ask(days=[], day_parts=[]))
    assert anytime[0].available and anytime[0].reasons[-1] == "geen lopende hulpvragen"


def test_without_the_households_place_only_complex_street_and_postcode_count(
    corporation_worker, ask, helper_at, home
):
    home.latitude = home.longitude = None
    home.save()
    far = helper_at("Far", north=5000, postcode="9901 XY")
    street = helper_at("Street", north=5000, street_address="Lindelaan 1", postcode="9901 AB")
    helper_at("Elsewhere", north=10)  # 9902: nothing ties it to the household
    suggestions = _suggest(corporation_worker, ask())
    assert [(s.helper, s.nearness, s.distance_metres) for s in suggestions] == [
        (street, STREET, None),
        (far, POSTCODE, None),
    ]


def test_only_the_actors_organisations_helpers_and_the_search_is_logged(
    corporation_worker, welfare_worker, ask, helper_at
):
    mine = helper_at("Mine", north=100)
    request = ask()
    assert [s.helper for s in _suggest(corporation_worker, request)] == [mine]
    row = AccessLog.objects.filter(action="search").latest("pk")
    assert row.detail == {"help_request": request.pk, "helpers": [mine.pk]}
    assert row.legal_basis == "toestemming"
    assert _suggest(welfare_worker, request) == []


def test_a_request_no_longer_open_has_no_suggestions(corporation_worker, ask, helper_at):
    helper_at("Ready", north=100)
    assert _suggest(corporation_worker, ask(status="gesloten")) == []


@pytest.mark.parametrize("many", [3, 30])
def test_the_queries_do_not_grow_with_the_helpers(
    corporation_worker, ask, helper_at, many, django_assert_num_queries
):
    request = ask()
    for n in range(many):
        helper_at(f"H{n}", north=10 * n, complex=request.household.complex if n % 3 else None)
    request.household  # noqa: B018 - the request as a view has it
    with django_assert_num_queries(3):
        suggestions = _suggest(corporation_worker, request, limit=50)
    assert len(suggestions) == many
