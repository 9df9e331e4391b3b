import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.actor import SESSION_KEY
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_one_membership_acts_without_choosing(client, corporation_worker):
    client.force_login(corporation_worker.user)
    response = client.get(reverse("start"))
    assert response.status_code == 200
    assert response.context["actor"] == corporation_worker
    assert client.session[SESSION_KEY] == corporation_worker.pk


def test_several_memberships_choose_first(client, shared_worker):
    client.force_login(shared_worker.user)
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("partners:actor_choose"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert [m.organisation.name for m in page.context["memberships"]] == [
        "Gemeente Testdorp",
        "Welzijn Testdorp",
        "Woonstichting Testdorp",
    ]


def test_switching_changes_the_actor_shown_in_the_header(login, shared_worker, welfare):
    client = login(shared_worker)
    welfare_membership = shared_worker.user.memberships.get(organisation=welfare)
    response = client.post(
        reverse("partners:actor_choose"), {"membership": welfare_membership.pk}, follow=True
    )
    assert response.context["actor"] == welfare_membership
    assert 'data-testid="actor-organisation">Welzijn Testdorp<' in response.content.decode()


def test_it_refuses_to_act_for_someone_elses_membership(login, shared_worker, welfare_worker):
    client = login(shared_worker)
    response = client.post(reverse("partners:actor_choose"), {"membership": welfare_worker.pk})
    assert response.status_code == 404
    assert client.session[SESSION_KEY] == shared_worker.pk


def test_it_ignores_an_unsafe_next(login, shared_worker):
    client = login(shared_worker)
    response = client.post(
        reverse("partners:actor_choose"),
        {"membership": shared_worker.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("start")


def test_a_person_without_membership_gets_a_clear_page(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("start"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("partners:no_membership")
    assert response.status_code == 200
    assert "geen lid van een organisatie" in response.content.decode()


def test_choose_page_without_membership_sends_to_the_clear_page(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("partners:actor_choose"))
    assert response["Location"] == reverse("partners:no_membership")


def test_an_ended_membership_is_no_longer_the_actor(login, shared_worker, admin):
    from partners.services import memberships as services

    client = login(shared_worker)
    services.membership_end(actor=admin, membership=shared_worker)
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("partners:actor_choose"))
    page = client.get(response["Location"])
    assert shared_worker not in page.context["memberships"]


def test_start_page_query_count_is_constant(login, corporation_worker):
    """The actor costs the same whatever the size of the organisation: the session, the user,
    the memberships with their organisations; the start page's counts (cases.selectors.today,
    held in tests/test_start.py) come on top and do not grow with it either."""
    client = login(corporation_worker)
    client.get(reverse("start"))  # the first request stamps the session

    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("start")).status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    few = queries()
    for _ in range(5):
        MembershipFactory(organisation=corporation_worker.organisation)
    assert len(queries()) == len(few)
