"""The workers' pages of requests for informal help and matches (ADR 0033): the household
page's section, making a request, the request page and its steps. Bad input is said in Dutch at
its field with what was typed kept; another organisation's worker gets a 404, the wrong role a
403, the wrong method a 405; the request page's queries do not grow with its matches."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import HelpMatch, HelpRequest, HouseholdEvent
from cases.workflow import MatchStatus
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _detail(request):
    return reverse("cases:help_request_detail", args=[request.pk])


def test_the_household_page_shows_its_requests_and_matches(login, help_world):
    request = help_world.request()
    help_world.proposed(request)
    page = login(help_world.worker).get(
        reverse("cases:household_detail", args=[help_world.household.pk])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hulp uit de buurt" in html and _detail(request) in html
    assert "Henk" in html
    assert reverse("cases:help_request_create", args=[help_world.household.pk]) in html


def test_a_worker_makes_a_request_from_an_open_signal(login, help_world):
    client = login(help_world.worker)
    url = reverse("cases:help_request_create", args=[help_world.household.pk])
    form = client.get(url)
    assert f"signaal:{help_world.signal.pk}" in form.content.decode()
    response = client.post(
        url,
        {
            "source": f"signaal:{help_world.signal.pk}",
            "kind": "boodschappen",
            "description": "Boodschappen op maandag",
            "days": ["ma"],
            "needs_vog": "on",
            "consent_given_on": timezone.localdate().isoformat(),
            "consent_how": "mondeling",
        },
    )
    made = HelpRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(made)
    assert made.needs_vog and made.signal == help_world.signal


def test_bad_input_is_said_at_its_field_and_kept(login, help_world):
    url = reverse("cases:help_request_create", args=[help_world.household.pk])
    response = login(help_world.worker).post(
        url,
        {
            "source": f"signaal:{help_world.signal.pk}",
            "kind": "boodschappen",
            "description": "Iets met de tuin",
            "consent_how": "mondeling",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and not HelpRequest.objects.exists()
    assert "Dit veld is verplicht." in html
    assert 'value="Iets met de tuin"' in html


def test_a_worker_of_another_organisation_gets_a_404(login, help_world, outsider):
    request = help_world.request()
    match = help_world.proposed(request)
    client = login(outsider)
    assert client.get(_detail(request)).status_code == 404
    for name, pk in (
        ("cases:help_match_propose", request.pk),
        ("cases:help_request_close", request.pk),
        ("cases:help_match_household_agrees", match.pk),
        ("cases:help_match_end", match.pk),
    ):
        assert client.post(reverse(name, args=[pk]), {"reason": "x"}).status_code == 404
    create = reverse("cases:help_request_create", args=[help_world.household.pk])
    assert client.get(create).status_code == 404
    assert HelpMatch.objects.get().status == MatchStatus.PROPOSED


def test_the_wrong_role_gets_a_403_and_the_wrong_method_a_405(login, help_world):
    request = help_world.request()
    manager = MembershipFactory(organisation=help_world.worker.organisation, role="manager")
    assert login(manager).get(_detail(request)).status_code == 403
    client = login(help_world.worker)
    assert client.post(_detail(request)).status_code == 405
    assert client.get(reverse("cases:help_match_propose", args=[request.pk])).status_code == 405


def test_proposing_a_helper_and_recording_the_households_agreement(login, help_world):
    request = help_world.request()
    client = login(help_world.worker)
    page = client.get(_detail(request)).content.decode()
    assert f'<option value="{help_world.helper.pk}">' in page
    assert 'data-testid="help-suggestions"' in page  # ranked and explained (ADR 0034)
    propose = reverse("cases:help_match_propose", args=[request.pk])
    assert client.post(propose, {"helper": help_world.helper.pk}).status_code == 302
    match = HelpMatch.objects.get()
    agree = reverse("cases:help_match_household_agrees", args=[match.pk])
    assert client.post(agree).status_code == 302
    match.refresh_from_db()
    assert match.household_agreed_at is not None
    steps = client.get(_detail(request)).content.decode()
    assert "Drager voorgesteld: Henk" in steps
    # The household's history, which partners read too, names the match and not the helper.
    assert not HouseholdEvent.objects.filter(data__has_key="helper").exists()


def test_a_needs_vog_request_is_not_proposed_to_a_helper_without_one(login, help_world):
    request = help_world.request(needs_vog=True)
    without = help_world.helper_also(first_name="Zonder")
    client = login(help_world.worker)
    assert "Zonder" not in client.get(_detail(request)).content.decode()
    response = client.post(
        reverse("cases:help_match_propose", args=[request.pk]), {"helper": without.pk}
    )
    assert response.status_code == 400 and not HelpMatch.objects.exists()
    assert "deze drager heeft er vandaag geen geldige" in response.content.decode()


def test_ending_without_a_reason_is_said_at_the_field(login, help_world):
    match = help_world.proposed()
    client = login(help_world.worker)
    url = reverse("cases:help_match_end", args=[match.pk])
    response = client.post(url, {"side": "huishouden", "reason": ""})
    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()
    assert client.post(url, {"side": "huishouden", "reason": "Niet meer nodig"}).status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.ENDED and match.ended_by == "huishouden"


def test_closing_a_request_with_a_reason(login, help_world):
    request = help_world.request()
    client = login(help_world.worker)
    url = reverse("cases:help_request_close", args=[request.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Buurvrouw helpt al"}).status_code == 302
    request.refresh_from_db()
    assert request.status == "gesloten"


@pytest.mark.parametrize("matches", [1, 8])
def test_the_request_pages_queries_do_not_grow_with_its_matches(
    login, help_world, matches, django_assert_max_num_queries
):
    request = help_world.request()
    for _n in range(matches):
        help_world.proposed(request, help_world.helper_also())
    client = login(help_world.worker)
    # 16 for the page, 3 for the ranked suggestions (ADR 0034), whatever the number of helpers.
    with django_assert_max_num_queries(19):
        assert client.get(_detail(request)).status_code == 200
