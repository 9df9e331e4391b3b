"""The dashboard page and its exports: managers only, always their own organisation; filters
with Dutch messages; CSV and Excel hold the numbers of the screen, "<5" included, neutralise
formulas and are logged; the page costs the same queries at 10 and at 1,000 signals."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import AccessLog, Signal
from cases.selectors.dashboards.filters import MONTH, period_label
from cases.services.dashboards import dashboard_refresh
from tests.factories import HouseholdFactory, MembershipFactory, SignalFactory

pytestmark = pytest.mark.django_db
URL = "/dashboard/"


@pytest.fixture
def world(dashboard_world):
    """The hand-counted world, its tallies counted (tests/worlds/dashboards.py)."""
    return dashboard_world


def export(key, file_format):
    return reverse("dashboards:export", args=[key, file_format])


def screen(response, key):
    """The figure's table as the page shows it: header and rows of text."""
    table = response.context["dashboard"].table(key)
    return [[table.row_header, *table.columns]] + [
        [row.label, *[cell.text for cell in row.cells]] for row in table.rows
    ]


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def read_xlsx(response):
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [
        ["" if value is None else str(value) for value in row]
        for row in sheet.iter_rows(values_only=True)
    ]


def test_the_url_names():
    assert reverse("dashboards:dashboard") == URL
    assert export("caseload", "csv") == "/dashboard/caseload.csv"


def test_a_manager_sees_the_dashboard_of_their_organisation(login, world):
    response = login(world.corporation_manager).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Woonstichting Testdorp" in html
    assert 'data-chart="chart-signalen-per-categorie"' in html
    assert 'id="chart-signalen-per-categorie" type="application/json"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html and "js/charts.js" in html


@pytest.mark.parametrize(
    "cast", ["corporation_worker", "admin", "privacy_officer", "welfare_worker"]
)
def test_other_roles_are_refused(login, request, world, cast):
    client = login(request.getfixturevalue(cast))
    assert client.get(URL).status_code == 403
    assert client.get(export("verwijzingen", "csv")).status_code == 403


def test_wrong_methods(login, world):
    client = login(world.corporation_manager)
    assert client.post(URL).status_code == 405
    assert client.post(export("verwijzingen", "csv")).status_code == 405


def test_unknown_figures_formats_and_another_kinds_figures_are_not_found(login, world):
    corporation = login(world.corporation_manager)
    assert corporation.get(export("bestaat-niet", "csv")).status_code == 404
    assert corporation.get(export("verwijzingen", "pdf")).status_code == 404
    assert corporation.get(export("samenwerking-signalen", "csv")).status_code == 404
    welfare = login(world.welfare_manager)
    assert welfare.get(export("signalen-per-categorie", "csv")).status_code == 404


def test_the_start_page_tile_leads_to_the_dashboard(login, manager):
    html = login(manager).get(reverse("start")).content.decode()
    assert f'href="{URL}"' in html


def test_a_managers_organisation_is_the_only_one_it_sees(login, world, corporation):
    """Whatever is in the URL, the dashboard is the actor's organisation's; another
    organisation's manager gets its own numbers."""
    other = login(world.third_manager).get(URL + f"?partner={corporation.pk}")
    assert other.status_code == 200
    assert "partner" in other.context["form"].errors
    html = other.content.decode()
    assert "Woonbron Elders" in html
    assert "Sanne Test" not in html  # the corporation's worker in its caseload
    assert "Zorg Testdorp" not in html  # the corporation's partner, not the other's


def test_the_section_across_organisations_reads_as_natural_dutch(login, world):
    """Issue 16: "Over organisaties heen" is no Dutch heading."""
    html = login(world.corporation_manager).get(URL).content.decode()
    assert '">Samen met je partners</h2>' in html
    assert "Over organisaties heen" not in html


def test_exports_hold_the_numbers_of_the_screen(login, world):
    client = login(world.corporation_manager)
    page = client.get(URL)
    for key in (
        "signalen-per-categorie",
        "verwijzingen",
        "reactietijd",
        "samenwerking-verwijzingen",
    ):
        shown = screen(page, key)
        as_csv = client.get(export(key, "csv"))
        assert as_csv["Content-Type"].startswith("text/csv")
        assert "attachment;" in as_csv["Content-Disposition"]
        assert read_csv(as_csv) == shown, key
        as_xlsx = client.get(export(key, "xlsx"))
        assert as_xlsx["Content-Disposition"].endswith('.xlsx"')
        assert read_xlsx(as_xlsx) == shown, key


def test_small_cells_are_suppressed_on_screen_and_in_both_exports(login, world):
    client = login(world.welfare_manager)
    page = client.get(URL)
    key = "samenwerking-signalen"
    rows = {row[0]: row[1:] for row in screen(page, key)}
    this_month = period_label(world.this_month, MONTH)
    assert rows[this_month] == ["8", "<5", "<5"]
    assert "&lt;5</abbr>" in page.content.decode()
    for file_format, read in (("csv", read_csv), ("xlsx", read_xlsx)):
        exported = {row[0]: row[1:] for row in read(client.get(export(key, file_format)))}
        assert exported[this_month] == ["8", "<5", "<5"], file_format
        assert exported == rows
    sheet = load_workbook(io.BytesIO(client.get(export(key, "xlsx")).content)).worksheets[0]
    numbers = [c.value for c in sheet[2 + [r[0] for r in screen(page, key)[1:]].index(this_month)]]
    assert numbers[1] == 8 and isinstance(numbers[1], int), "numbers stay numbers in Excel"


def test_exports_follow_the_filters(login, world):
    client = login(world.corporation_manager)
    query = f"?neighbourhood={world.district.pk}"
    page = client.get(URL + query)
    shown = screen(page, "signalen-per-buurt")
    assert shown[0][1:3] == ["Bloemenbuurt", "Vogelbuurt"]
    assert read_csv(client.get(export("signalen-per-buurt", "csv") + query)) == shown
    link = re.search(r'href="(/dashboard/signalen-per-buurt\.csv\?[^"]*)"', page.content.decode())
    assert f"neighbourhood={world.district.pk}" in link.group(1)
    assert read_csv(client.get(link.group(1).replace("&amp;", "&"))) == shown


def test_exports_neutralise_formulas(login, world, corporation, categories):
    categories[0].name = '=HYPERLINK("http://evil.example","klik")'
    categories[0].save()
    corporation.name = "+31 Woonstichting"
    corporation.save()
    dashboard_refresh()
    client = login(world.corporation_manager)
    rows = read_csv(client.get(export("signalen-per-categorie", "csv")))
    assert rows[0][1] == '\'=HYPERLINK("http://evil.example","klik")'
    workbook = load_workbook(
        io.BytesIO(client.get(export("signalen-per-categorie", "xlsx")).content)
    )
    cell = workbook.worksheets[0]["B1"]
    assert cell.value == '\'=HYPERLINK("http://evil.example","klik")'
    assert cell.data_type == "s"
    about = [row for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert ("Organisatie", "'+31 Woonstichting") in about
    for text in ("-1", "@SUM(A1)", "\tx", "\rx"):
        from cases.views.exports import neutralise

        assert neutralise(text) == "'" + text
    assert neutralise(-1) == -1 and neutralise("<5") == "<5"


def test_an_export_is_logged_without_a_household(login, world):
    client = login(world.welfare_manager)
    client.get(export("samenwerking-signalen", "xlsx") + "?per=maand")
    row = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert row.household_id is None
    assert row.legal_basis == AccessLog.LegalBasis.NONE
    assert (row.user_id, row.organisation_id, row.role) == (
        world.welfare_manager.user_id,
        world.welfare_manager.organisation_id,
        "manager",
    )
    assert row.detail["dashboard"] == "samenwerking-signalen"
    assert row.detail["format"] == "xlsx"
    assert row.detail["filters"]["per"] == "maand"
    assert row.detail["suppressed_cells"] > 0
    # Looking at the page reads no household data and is not logged.
    before = AccessLog.objects.count()
    client.get(URL)
    assert AccessLog.objects.count() == before


# --- filters --------------------------------------------------------------------------------------


def test_invalid_filters_get_a_dutch_message_beside_the_field_and_keep_what_was_typed(login, world):
    client = login(world.corporation_manager)
    response = client.get(
        URL + "?start=31-02-2026&per=week&neighbourhood=" + str(world.district.pk)
    )
    form = response.context["form"]
    assert form.errors["start"] == ["Voer een geldige datum in."]
    html = response.content.decode()
    assert "<q>31-02-2026</q>" in html, "what was typed stands beside the field"
    # The valid filters still apply.
    dashboard = response.context["dashboard"]
    assert dashboard.per == "week"
    assert dashboard.table("signalen-per-buurt").columns[:2] == ["Bloemenbuurt", "Vogelbuurt"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("start=2026-03-01&end=2026-02-01", "end", "Het einde kan niet vóór het begin liggen."),
        ("start=2099-01-01", "start", "De periode kan niet in de toekomst beginnen."),
        ("start=2020-01-01&per=week", "start", "Kies per week een periode van hoogstens een jaar."),
        ("start=2001-01-01", "start", "Kies een periode van hoogstens vijf jaar."),
        ("per=dag", "per", "Selecteer een geldige keuze. dag is geen beschikbare keuze."),
        ("partner=999999", "partner", None),
    ],
)
def test_filter_messages(login, world, query, field, message):
    response = login(world.corporation_manager).get(f"{URL}?{query}")
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    if message:
        assert errors == [message]
    else:
        assert errors and "geldige keuze" in errors[0]


def test_a_partner_outside_the_agreements_cannot_be_chosen(login, world, care):
    """Welfare has no agreement with care: care is not a choice, so its numbers stay out."""
    response = login(world.welfare_manager).get(f"{URL}?partner={care.pk}")
    assert "partner" in response.context["form"].errors
    partners = [pk for pk, _name in response.context["form"].fields["partner"].choices if pk]
    assert care.pk not in partners and len(partners) == 2


def test_the_period_and_grain_show_on_the_page(login, world):
    response = login(world.corporation_manager).get(URL + "?per=week")
    rows = response.context["dashboard"].table("huisbezoeken").rows
    assert len(rows) == 12 and rows[0].label.startswith("wk ")


# --- the same queries at 10 and 1,000 signals -----------------------------------------------------


def _signals(corporation, neighbourhood, categories, count):
    households = [
        HouseholdFactory(corporation=corporation, neighbourhood=neighbourhood) for _ in range(20)
    ]
    author = MembershipFactory(organisation=corporation).user
    now = timezone.now()
    Signal.objects.bulk_create(
        Signal(
            household=households[n % 20],
            category=categories[n % len(categories)],
            severity="laag",
            description="x",
            created_by=author,
            organisation=corporation,
            created_at=now - timedelta(days=n % 330),
            status="open" if n % 3 else "opgelost",
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [10, 1000])
@pytest.mark.parametrize("query", ["", "?per=week&neighbourhood={area}&category={category}"])
def test_the_page_costs_the_same_queries_at_10_and_1000_signals(
    login, count, query, corporation, manager, neighbourhood, categories, django_assert_num_queries
):
    _signals(corporation, neighbourhood, categories, count)
    SignalFactory(household=HouseholdFactory(corporation=corporation), category=categories[0])
    dashboard_refresh()
    client = login(manager)
    url = URL + query.format(area=neighbourhood.pk, category=categories[0].pk)
    with django_assert_num_queries(PAGE_QUERIES[bool(query)]):
        response = client.get(url)
    assert response.status_code == 200
    assert sum(Signal.objects.values_list("pk", flat=True)[:1]) and count  # the data is there
    with django_assert_num_queries(PAGE_QUERIES_CACHED[bool(query)]):
        client.get(url)


# Cached: session, user and actor; the transaction; when the tallies were counted (and with
# filters, the chosen neighbourhood and category). Computing adds the filters' options, the
# agreements, the categories, the district's neighbourhoods, nine grouped reads of the tallies,
# the workers' names and the session's idle clock (BEGIN, UPDATE, COMMIT).
PAGE_QUERIES = {False: 23, True: 26}
PAGE_QUERIES_CACHED = {False: 6, True: 8}
