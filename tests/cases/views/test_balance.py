"""The balance page (ADR 0035): for managers of a corporation and a municipality only, a chart
with its table drawn by static/js/charts.js (no inline script), the sign where requests outweigh
helpers, the what-if with its assumption stated, and a query count that does not grow."""

import re

import pytest
from django.urls import reverse

from tests.factories import ComplexFactory, MembershipFactory

pytestmark = pytest.mark.django_db
URL = reverse("balance:balance")


def test_a_corporation_manager_sees_the_sign_the_chart_and_the_table(login, manager, balance_world):
    html = login(manager).get(URL).content.decode()
    assert 'data-chart="chart-balance"' in html and 'id="chart-balance"' in html
    assert "js/charts.js" in html
    assert not re.search(r"<script(?![^>]*(src=|application/json))", html)  # no inline code
    plein = html.split(f'data-testid="balance-place-{balance_world["plein"].pk}"')[1]
    assert "Meer hulpvragen dan dragers" in plein.split("</tr>")[0]
    linde = html.split(f'data-testid="balance-place-{balance_world["linde"].pk}"')[1]
    assert "Meer hulpvragen dan dragers" not in linde.split("</tr>")[0]


def test_the_what_if_states_its_assumption(login, manager, balance_world):
    linde = balance_world["linde"].pk
    html = login(manager).get(URL, {"complex": linde, "homes": "4"}).content.decode()
    assert 'data-testid="balance-what-if"' in html
    assert "elke zo’n woning voegt één huishouden met een open hulpvraag toe" in html
    assert re.search(r'data-testid="what-if-asking">\s*7<', html)


def test_homes_without_a_complex_are_explained(login, manager, balance_world):
    html = login(manager).get(URL, {"homes": "4"}).content.decode()
    assert "Kies het complex waar de woningen staan." in html
    assert 'data-testid="balance-what-if"' not in html


def test_only_managers_of_a_corporation_or_municipality(
    login, corporation_worker, welfare_manager, municipality, admin
):
    for member in (corporation_worker, welfare_manager, admin):
        assert login(member).get(URL).status_code == 403
    municipal = MembershipFactory(organisation=municipality, role="manager")
    assert login(municipal).get(URL).status_code == 200


def test_only_get(login, manager):
    assert login(manager).post(URL).status_code == 405


def test_the_page_costs_the_same_queries_with_more_complexes(
    login, manager, balance_world, corporation, neighbourhood, add_asking, add_helpers,
    django_assert_max_num_queries,
):  # fmt: skip
    client = login(manager)
    client.get(URL)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for _ in range(10):
        extra = ComplexFactory(corporation=corporation, neighbourhood=neighbourhood)
        add_asking(corporation, extra, 2)
        add_helpers(corporation, extra, 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(URL).status_code == 200
