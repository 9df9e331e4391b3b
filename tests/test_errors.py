"""Error pages (issue 16, item 5): the 500 page gives a reference that the log line of the error
carries too, and a refused form (CSRF) gets a Dutch page in the site's layout that says what to
do."""

import logging
import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.urls("tests.error_urls")
def test_a_server_error_shows_a_reference_that_is_in_the_log_line_of_the_error(client, caplog):
    client.raise_request_exception = False
    references = []
    for _ in range(2):
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="django.request"):
            response = client.get("/kapot/")
        assert response.status_code == 500
        html = response.content.decode()
        assert "Er ging iets mis" in html
        found = re.search(r'data-testid="error-reference">([^<]+)<', html)
        assert found, "the page shows a reference"
        reference = found.group(1)
        assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", reference)
        (record,) = [r for r in caplog.records if r.name == "django.request"]
        assert "A view that fails" in str(record.exc_info[1]), "logged with the exception"
        line = logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"]).format(record)
        assert f"/kapot/ [reference {reference}]" in line.splitlines()[0]
        references.append(reference)
    assert references[0] != references[1], "each error its own reference"


def footer(html: str) -> str:
    return html.split("<footer", 1)[1]


def test_a_refused_form_says_in_dutch_in_the_sites_layout_what_to_do(client):
    """As when cookies are blocked: the form is posted without the CSRF cookie and token."""
    client.handler.enforce_csrf_checks = True
    response = client.post(
        reverse("account_login"),
        {"login": "iemand@test.example", "password": "geheim"},
        HTTP_REFERER="http://testserver/account/login/?next=/signalen/",
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "Naar de inhoud" in html and 'class="site-header"' in html, "the site's layout"
    assert 'href="/toegankelijkheid/"' in footer(html)
    assert "Je formulier kon niet worden verstuurd" in html
    assert "de pagina lang open stond" in html and "cookies" in html
    assert "laad die opnieuw en verstuur het formulier nog een keer" in html
    assert "Meld je opnieuw aan" in html
    assert 'href="/account/login/?next=/signalen/">Terug naar de pagina</a>' in html
    assert 'href="/account/login/">Aanmelden</a>' in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    for text in ("DEBUG", "Forbidden", "CSRF", "cookie not set"):
        assert text not in main, text


def test_a_refused_form_of_a_signed_in_person_keeps_their_header(client, login, corporation_worker):
    client = login(corporation_worker)
    client.handler.enforce_csrf_checks = True
    response = client.post(
        reverse("set_language"),
        {"language": "en"},
        HTTP_REFERER="https://elders.example/aanval/",
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Je formulier kon niet worden verstuurd" in html
    assert 'data-testid="actor-bar"' in html
    assert "elders.example" not in html, "no way back to another site"
    assert 'href="/">Naar de startpagina</a>' in html
