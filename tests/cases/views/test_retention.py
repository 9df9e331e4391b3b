"""The retention pages: the administrator sets the terms, a bad value is said."""

import pytest
from django.urls import reverse

from cases.models import RetentionTerm
from cases.services.retention import retention_terms_ensure

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"privacy:{name}", args=args)


def test_the_administrator_sets_the_terms_and_a_bad_value_is_said(login, admin):
    retention_terms_ensure()
    client = login(admin)
    form = {
        kind: str(term.months)
        for kind, term in RetentionTerm.objects.in_bulk(field_name="kind").items()
    }
    response = client.post(url("retention_terms"), {**form, "access_log": "3"})
    assert response.status_code == 200
    assert "Kies tussen 12 en 120 maanden." in response.content.decode()
    assert RetentionTerm.objects.get(kind="access_log").months == 60
    response = client.post(url("retention_terms"), {**form, "signals": "36"})
    assert response.status_code == 302
    assert RetentionTerm.objects.get(kind="signals").updated_by == admin.user
