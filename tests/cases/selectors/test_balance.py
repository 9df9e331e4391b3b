"""The balance per complex (cases.selectors.balance, ADR 0035): helpers, households asking,
agreed matches and hours per complex and month; the ratio and the sign; small cells of another
organisation suppressed; the what-if; helpers outside a complex in their own row."""

import datetime

import pytest
from django.utils import timezone

from cases.models import HelpGiven
from cases.selectors.balance import ASKING, HELPERS, HOURS, MATCHES, balance_for, balance_scope
from cases.selectors.balance import balance_what_if as what_if
from tests.factories import ComplexFactory, HouseholdFactory, MembershipFactory, agree

pytestmark = pytest.mark.django_db


def balance(actor, complex_id=None):
    return balance_for(actor=actor, scope=balance_scope(actor=actor), complex_id=complex_id)


def place(result, key):
    return next(p for p in result.places if p.key == key)


def test_the_corporation_sees_its_complexes_in_full_with_ratio_and_sign(manager, balance_world):
    result = balance(manager)
    linde, plein = (
        place(result, balance_world["linde"].pk),
        place(result, balance_world["plein"].pk),
    )
    assert (linde.cell(HELPERS).value, linde.cell(ASKING).value) == (6, 3)
    assert (plein.cell(HELPERS).value, plein.cell(ASKING).value) == (1, 7)
    assert str(linde.ratio) == "0.5" and not linde.outweighed
    assert str(plein.ratio) == "7.0" and plein.outweighed
    outside = place(result, "buiten")
    assert (outside.cell(HELPERS).value, outside.cell(ASKING).value) == (2, 0)
    assert result.total.cell(HELPERS).value == 9 and result.total.cell(ASKING).value == 10


def test_a_municipality_sees_the_corporations_it_agreed_with_small_cells_suppressed(
    corporation, municipality, balance_world, lonely
):
    agree(municipality, corporation, lonely)
    manager = MembershipFactory(organisation=municipality, role="manager")
    result = balance(manager)
    linde, plein = (
        place(result, balance_world["linde"].pk),
        place(result, balance_world["plein"].pk),
    )
    assert linde.cell(HELPERS).value == 6
    assert linde.cell(ASKING).suppressed and linde.ratio is None and not linde.outweighed
    assert plein.cell(HELPERS).suppressed and plein.cell(ASKING).value == 7
    assert result.has_suppressed
    chart = result.places_chart()
    assert chart["datasets"][1]["data"][0] is None  # a suppressed cell is not drawn
    # The totals hide what they hold hidden: else total minus the rest gives it back.
    assert result.total.cell(ASKING).suppressed and result.total.cell(HELPERS).suppressed
    month_by_month = balance(manager, complex_id="totaal").history.rows[-1].cells
    assert month_by_month[0].suppressed and month_by_month[1].suppressed


def test_a_municipality_without_an_agreement_sees_no_complex(municipality, balance_world):
    manager = MembershipFactory(organisation=municipality, role="manager")
    result = balance(manager)
    assert result.complexes == [] and result.total.cell(ASKING).value == 0


def test_matches_and_hours_count_month_by_month(
    manager, corporation_worker, balance_world, agreed_match, corporation
):
    household = HouseholdFactory(corporation=corporation, complex=balance_world["plein"])
    match = agreed_match(corporation_worker, household, days_ago=1)
    HelpGiven.objects.create(
        match=match, given_on=timezone.localdate(), minutes=150, recorded_by=corporation_worker.user
    )
    result = balance(manager, complex_id=balance_world["plein"].pk)
    plein = place(result, balance_world["plein"].pk)
    assert (plein.cell(MATCHES).value, plein.cell(HOURS).value) == (1, 3)
    assert len(result.history.rows) == 12
    now = result.history.rows[-1].cells
    assert [c.value for c in now] == [1, 7, 1, 3]
    assert result.history.title.startswith("Het Plein")


def test_the_months_before_follow_the_dates(manager, balance_world, corporation):
    helper = corporation.helpers.filter(complex=balance_world["linde"]).first()
    helper.confirmed_at = timezone.now() - datetime.timedelta(days=100)
    helper.save()
    result = balance(manager, complex_id=balance_world["linde"].pk)
    helpers_per_month = [row.cells[0].value for row in result.history.rows]
    assert helpers_per_month[-1] == 6 and helpers_per_month[0] == 0
    assert 1 in helpers_per_month[:-1]


def test_a_paused_helper_is_not_active_now(manager, balance_world, corporation):
    corporation.helpers.filter(complex=balance_world["linde"]).update(status="gepauzeerd")
    assert place(balance(manager), balance_world["linde"].pk).cell(HELPERS).value == 0


def test_what_if_adds_households_and_keeps_helpers(manager, balance_world):
    result = balance(manager)
    linde = balance_world["linde"].pk
    answer = what_if(balance=result, complex_id=linde, homes=4)
    assert answer.asking_after.value == 7 and str(answer.ratio_after) == "1.2"
    assert answer.outweighed_after is True
    assert what_if(balance=result, complex_id=linde, homes=3).outweighed_after is False
    assert what_if(balance=result, complex_id=-1, homes=3) is None


def test_what_if_keeps_a_suppressed_count_suppressed(
    corporation, municipality, balance_world, lonely
):
    agree(municipality, corporation, lonely)
    manager = MembershipFactory(organisation=municipality, role="manager")
    answer = what_if(balance=balance(manager), complex_id=balance_world["linde"].pk, homes=2)
    assert answer.asking_after.suppressed and answer.ratio_after is None
    assert answer.outweighed_after is None
    assert what_if(
        balance=balance(manager), complex_id=balance_world["linde"].pk, homes=7
    ).outweighed_after


def test_the_queries_do_not_grow_with_complexes_or_people(
    manager, balance_world, add_asking, add_helpers, corporation, neighbourhood,
    django_assert_max_num_queries,
):  # fmt: skip
    with django_assert_max_num_queries(9):
        balance(manager)
    for _ in range(10):
        extra = ComplexFactory(corporation=corporation, neighbourhood=neighbourhood)
        add_asking(corporation, extra, 2)
        add_helpers(corporation, extra, 2)
    with django_assert_max_num_queries(9):
        assert len(balance(manager).places) == 14
