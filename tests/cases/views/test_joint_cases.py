"""The joint case pages: who sees them (404, 403, 405), opening from the household, the actions,
bad input."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import AccessLog, CaseAction, CaseNote, CaseParticipant, JointCase
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Services called directly speak the message ids; the pages speak Dutch per request."""
    with translation.override("en"):
        yield


def today():
    return timezone.localdate()


def tomorrow():
    return today() + datetime.timedelta(days=1)


def detail(case):
    return reverse("joint_cases:detail", args=[case.pk])


def test_workers_of_participants_see_the_list_and_the_case(
    login, full_case, corporation_worker, welfare_worker, care_worker
):
    for worker in (corporation_worker, welfare_worker, care_worker):
        client = login(worker)
        response = client.get(reverse("joint_cases:list"))
        assert response.status_code == 200
        assert full_case.household.street in response.content.decode()
        response = client.get(detail(full_case))
        assert response.status_code == 200
        assert AccessLog.objects.filter(
            user=worker.user, action="view", object_type="cases.jointcase"
        ).exists()


def test_a_third_organisation_gets_404(login, full_case, outsider, household):
    client = login(outsider)
    assert client.get(detail(full_case)).status_code == 404
    assert client.post(reverse("joint_cases:note", args=[full_case.pk])).status_code == 404
    assert client.get(reverse("joint_cases:open", args=[household.pk])).status_code == 404
    assert (
        full_case.household.street not in client.get(reverse("joint_cases:list")).content.decode()
    )


def test_a_partner_that_has_not_joined_gets_404(login, case, welfare_worker):
    assert login(welfare_worker).get(detail(case)).status_code == 404


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_other_roles_get_403(login, full_case, request, role):
    client = login(request.getfixturevalue(role))
    assert client.get(reverse("joint_cases:list")).status_code == 403
    assert client.get(detail(full_case)).status_code == 403
    assert client.post(reverse("joint_cases:close", args=[full_case.pk])).status_code == 403


def test_wrong_methods_get_405(login, full_case, corporation_worker):
    client = login(corporation_worker)
    assert client.post(reverse("joint_cases:list")).status_code == 405
    assert client.post(detail(full_case)).status_code == 405
    for name in ("note", "action", "participant", "coordinator", "close"):
        assert client.get(reverse(f"joint_cases:{name}", args=[full_case.pk])).status_code == 405


def test_opening_from_the_household(
    login, corporation_worker, household, welfare_referral, welfare
):
    client = login(corporation_worker)
    url = reverse("joint_cases:open", args=[household.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert welfare.name in response.content.decode()
    response = client.post(url, {"coordinator_organisation": welfare.pk})
    case = JointCase.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(case)
    assert case.coordinator_organisation == welfare
    # A second opening says why and goes nowhere.
    response = client.post(url, {"coordinator_organisation": welfare.pk})
    assert response.status_code == 200
    assert JointCase.objects.count() == 1


def test_the_actions_through_the_pages(
    login, full_case, welfare_worker, welfare, care, corporation_worker
):
    client = login(welfare_worker)
    response = client.post(
        reverse("joint_cases:note", args=[full_case.pk]),
        {"text": "Gesprek gehad", "visibility": "all"},
    )
    assert response.status_code == 302
    assert CaseNote.objects.get().organisation == welfare
    response = client.post(
        reverse("joint_cases:action", args=[full_case.pk]),
        {
            "description": "Aanmelden schuldhulp",
            "owner_organisation": care.pk,
            "due_on": tomorrow(),
        },
    )
    assert response.status_code == 302
    action = CaseAction.objects.get()
    response = client.post(reverse("joint_cases:action_done", args=[full_case.pk, action.pk]))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.is_done
    response = client.post(
        reverse("joint_cases:coordinator", args=[full_case.pk]), {"organisation": welfare.pk}
    )
    assert response.status_code == 200, "a participant does not make itself coordinator"
    response = login(corporation_worker).post(
        reverse("joint_cases:coordinator", args=[full_case.pk]), {"organisation": welfare.pk}
    )
    assert response.status_code == 302
    client = login(welfare_worker)
    response = client.post(reverse("joint_cases:close", args=[full_case.pk]), {"summary": "Rond"})
    assert response.status_code == 302
    full_case.refresh_from_db()
    assert full_case.status == "gesloten"


def test_bad_input_says_why_next_to_the_field_and_keeps_what_was_typed(
    login, full_case, corporation_worker, outsider, care
):
    client = login(corporation_worker)
    response = client.post(
        reverse("joint_cases:action", args=[full_case.pk]),
        {
            "description": "Typwerk dat blijft",
            "owner_organisation": care.pk,
            "due_on": (today() - datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Typwerk dat blijft" in page
    assert "is-invalid" in page
    assert CaseAction.objects.count() == 0
    response = client.post(reverse("joint_cases:close", args=[full_case.pk]), {"summary": ""})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    response = client.post(
        reverse("joint_cases:note", args=[full_case.pk]), {"text": "Bewaar dit", "visibility": "x"}
    )
    assert response.status_code == 200
    assert "Bewaar dit" in response.content.decode()
    assert CaseParticipant.objects.filter(case=full_case).count() == 3


def test_the_coordinator_form_is_the_coordinators_and_offers_workers_only(
    login, full_case, corporation_worker, welfare_worker, welfare
):
    officer = MembershipFactory(organisation=welfare, role="privacyfunctionaris")
    page = login(corporation_worker).get(reverse("joint_cases:detail", args=[full_case.pk]))
    offered = set(page.context["coordinator_form"].fields["coordinator"].queryset)
    assert welfare_worker.user in offered and officer.user not in offered
    assert reverse("joint_cases:coordinator", args=[full_case.pk]) in page.content.decode()
    page = login(welfare_worker).get(reverse("joint_cases:detail", args=[full_case.pk]))
    assert reverse("joint_cases:coordinator", args=[full_case.pk]) not in page.content.decode()
