import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXPECTED = {
    "corporation_worker": ["Huisbezoek registreren", "Signalen", "Huishoudens"],
    "welfare_worker": ["Verwijzingen ontvangen", "Gezamenlijke casussen"],
    "care_worker": ["Verwijzingen ontvangen", "Ondersteuningspakketten"],
    "manager": ["Dashboard", "Kosten en baten", "Ondersteuningspakketten"],
    "admin": [
        "Leden en uitnodigingen",
        "Samenwerkingsafspraken",
        "Bewaartermijnen",
        "Tarieven en schattingen",
        "Uren van gedeelde medewerkers",
    ],
    "privacy_officer": ["Toegangslog", "AVG-overzicht per huishouden", "Bewaartermijnen"],
    "shared_worker": ["Huisbezoek registreren", "Mijn uren"],
}


AVAILABLE = {
    "corporation_worker": {
        "/huishoudens/",
        "/signalen/",
        "/verwijzingen/verstuurd/",
        "/casussen/",
        "/noodtoegang/",
        "/ondersteuningspakketten/",
    },
    "welfare_worker": {
        "/verwijzingen/",
        "/casussen/",
        "/noodtoegang/",
        "/ondersteuningspakketten/",
    },
    "care_worker": {"/verwijzingen/", "/casussen/", "/noodtoegang/", "/ondersteuningspakketten/"},
    "manager": {"/dashboard/", "/kosten-en-baten/", "/ondersteuningspakketten/"},
    "admin": {
        "/organisatie/leden/",
        "/huishoudens/import/",
        "/beheer/afspraken/",
        "/beheer/bewaartermijnen/",
        "/beheer/kosten/",
        "/beheer/urenverdeling/",
    },
    "privacy_officer": {
        "/privacy/toegangslog/",
        "/privacy/avg/",
        "/privacy/bewaartermijnen/",
        "/privacy/meldingen/",
        "/privacy/noodtoegang/",
    },
    "shared_worker": {
        "/huishoudens/",
        "/signalen/",
        "/verwijzingen/verstuurd/",
        "/casussen/",
        "/noodtoegang/",
        "/ondersteuningspakketten/",
        "/mijn-uren/",
    },
}


@pytest.mark.parametrize("cast", EXPECTED)
def test_each_role_starts_on_what_it_does(login, request, cast):
    membership = request.getfixturevalue(cast)
    response = login(membership).get(reverse("start"))
    html = response.content.decode()
    for title in EXPECTED[cast]:
        assert title in html, title
    tasks = response.context["tasks"]
    available = {task.url for task in tasks if task.url}
    assert available == AVAILABLE.get(cast, set())
    assert html.count("nog niet beschikbaar") == len(tasks) - len(
        [task for task in tasks if task.url]
    )


def test_health_answers_without_login(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert client.post(reverse("health")).status_code == 405


def test_alive_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("alive"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_a_page_that_does_not_exist_is_dutch(login, admin):
    response = login(admin).get("/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'lang="nl"' in html and "Deze pagina bestaat niet" in html


def test_a_forbidden_page_is_dutch(login, corporation_worker):
    response = login(corporation_worker).get(reverse("partners:member_list"))
    assert response.status_code == 403
    assert "Dit mag je niet" in response.content.decode()


def test_the_installation_administrator_starts_on_what_the_installation_shares(client, db):
    """No organisation's work and no organisation's data: the shared categories and the access
    log's term. Without a membership they are not sent to the no-membership page."""
    from tests.factories import UserFactory

    installer = UserFactory(email="installatie@test.example", is_installation_admin=True)
    client.force_login(installer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("start"))
    assert response.status_code == 200
    available = {task.url for task in response.context["tasks"]}
    assert available == {"/beheer/signaalcategorieen/", "/installatie/bewaartermijn-toegangslog/"}
    assert client.get(reverse("partners:no_membership"))["Location"] == reverse("start")
    assert client.get(reverse("cases:household_list")).status_code in (302, 403)


def test_the_start_page_says_in_natural_dutch_where_and_as_what_you_work(login, corporation_worker):
    """Issue 16: "Je werk als medewerker bij ..." was no sentence."""
    html = login(corporation_worker).get(reverse("start")).content.decode()
    name = corporation_worker.organisation.name
    assert f"Je werkt bij {name} als medewerker." in html
    assert "Je werk als" not in html


def footer(html: str) -> str:
    return html.split("<footer", 1)[1]


STATEMENT = "/toegankelijkheid/"


def test_every_page_links_the_accessibility_statement_in_its_footer(
    client, login, corporation_worker
):
    link = f'<a href="{STATEMENT}" data-testid="accessibility-link">Toegankelijkheid</a>'
    assert reverse("accessibility") == STATEMENT
    for page in (reverse("account_login"), "/bestaat-niet/", STATEMENT):
        assert link in footer(client.get(page).content.decode()), f"anonymous, {page}"
    signed_in = login(corporation_worker)
    for page in (reverse("start"), reverse("cases:household_list")):
        assert link in footer(signed_in.get(page).content.decode()), f"signed in, {page}"


def test_the_accessibility_statement_is_public_and_follows_the_model_statement(client, settings):
    settings.ACCESSIBILITY_CONTACT = "digitoegankelijk@woonstichting.example"
    response = client.get(STATEMENT)
    assert response.status_code == 200, "no login needed"
    html = response.content.decode()
    assert 'class="site-footer' in html and "Naar de inhoud" in html, "the site's layout"
    headings = re.findall(r"<h[12][^>]*>([^<]+)</h[12]>", html)
    assert headings == [
        "Toegankelijkheidsverklaring",
        "Nalevingsstatus",
        "Hoe dit is onderzocht",
        "Bekende beperkingen",
        "Wat we eraan doen",
        "Een probleem melden",
        "Over deze verklaring",
    ]
    assert "voldoet gedeeltelijk" in html and "WCAG" in html and "2.1" in html
    assert "EN 301 549" in html
    for tested in ("360 pixels", "toetsenbord", "contrast"):
        assert tested in html, tested
    assert (
        '<a href="mailto:digitoegankelijk@woonstichting.example" '
        'data-testid="accessibility-contact">digitoegankelijk@woonstichting.example</a>'
    ) in html
    assert "opgesteld op 3 december 2026" in html
    assert client.post(STATEMENT).status_code == 405
