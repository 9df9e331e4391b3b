"""The retention pages (issue 15, item 1): an organisation's administrators and privacy
officers set its own terms, a bad value is said next to its field, a shorter term shows what it
will take; the access log's term is the installation administrator's."""

import pytest
from django.urls import reverse

from cases.models import RetentionTerm
from cases.models.privacy import CONTROLLER_KINDS, DEFAULT_MONTHS
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"privacy:{name}", args=args)


def defaults(**changes):
    return {kind: str(DEFAULT_MONTHS[kind]) for kind in CONTROLLER_KINDS} | changes


def test_the_administrator_sets_the_terms_and_a_bad_value_is_said(login, admin, corporation):
    client = login(admin)
    response = client.post(url("retention_terms"), defaults(signals="0", visits="abc"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kies tussen 1 en 240 maanden." in page
    assert 'value="abc"' in page, "what was typed stays"
    assert not RetentionTerm.objects.filter(organisation=corporation).exists(), "nothing saved"
    response = client.post(url("retention_terms"), defaults(signals="36"))
    assert response.status_code == 302
    term = RetentionTerm.objects.get(organisation=corporation, kind="signals")
    assert (term.months, term.updated_by) == (36, admin.user)


def test_a_partners_administrator_changes_only_its_own_terms(login, corporation, welfare, terms):
    """The issue's attack: welfare's administrator sets every term to a month. Its own terms
    wait their delay; the corporation's are untouched, and no address names them."""
    welfare_admin = MembershipFactory(organisation=welfare, role="beheerder")
    client = login(welfare_admin)
    page = client.get(url("retention_terms")).content.decode()
    assert "Bewaartermijnen van Welzijn Testdorp" in page
    response = client.post(url("retention_terms"), dict.fromkeys(CONTROLLER_KINDS, "1"))
    assert response.status_code == 302
    assert not RetentionTerm.objects.filter(organisation=corporation).exists()
    welfare_terms = RetentionTerm.objects.filter(organisation=welfare)
    assert {(t.months, t.pending_months) for t in welfare_terms} == {(24, 1), (60, 1)}
    page = client.get(url("retention_terms")).content.decode()
    assert "1 maanden vanaf" in page, "the shorter term is shown with its date"
    # The installation's access-log term is not theirs.
    assert client.get(url("access_log_term")).status_code == 403
    assert client.post(url("access_log_term"), {"access_log": "12"}).status_code == 403
    assert RetentionTerm.objects.get(kind="access_log").months == 60


@pytest.mark.parametrize(
    ("role", "expected"),
    [("medewerker", 403), ("manager", 403), ("beheerder", 200), ("privacyfunctionaris", 200)],
)
def test_the_terms_are_set_by_administrators_and_privacy_officers(
    login, corporation, role, expected
):
    client = login(MembershipFactory(organisation=corporation, role=role))
    assert client.get(url("retention_terms")).status_code == expected
    assert client.get(url("retention")).status_code == expected
    assert client.post(url("retention_terms"), defaults(visits="12")).status_code in (
        expected,
        302,
    )
    saved = RetentionTerm.objects.filter(organisation=corporation, kind="visits").exists()
    assert saved == (expected == 200)


def test_the_installation_administrator_sets_the_access_log_term(client, terms):
    installer = UserFactory(email="installatie@test.example", is_installation_admin=True)
    client.force_login(installer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(url("access_log_term"), {"access_log": "6"})
    assert "Kies tussen 12 en 120 maanden." in response.content.decode()
    assert client.post(url("access_log_term"), {"access_log": "84"}).status_code == 302
    assert RetentionTerm.objects.get(kind="access_log").months == 84
    page = client.get(url("access_log_term")).content.decode()
    assert "Bewaartermijn van het toegangslog" in page
