"""The reads of a joint case: notes per visibility, the merged timeline, the list and the page,
each written to the access log."""

import datetime

import pytest
from django.utils import timezone, translation

from cases.models import AccessLog, HouseholdEvent
from cases.selectors import joint_cases as selectors
from cases.services import joint_cases as services
from tests.factories import SignalFactory

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


@pytest.mark.parametrize("writer", ["corporation_worker", "welfare_worker", "care_worker"])
def test_notes_visibility_matrix(full_case, request, writer):
    cast = {
        name: request.getfixturevalue(name)
        for name in ("corporation_worker", "welfare_worker", "care_worker")
    }
    author = cast[writer]
    own = services.note_add(actor=author, case=full_case, text="Alleen voor ons", visibility="own")
    everyone = services.note_add(
        actor=author, case=full_case, text="Voor iedereen", visibility="all"
    )
    assert AccessLog.objects.filter(object_type="cases.casenote", action="create").count() == 2
    for name, reader in cast.items():
        notes = selectors.case_notes(actor=reader, case=full_case)
        texts = {item.text for item in selectors.case_timeline(actor=reader, case=full_case)}
        if name == writer:
            assert set(notes) == {own, everyone}
            assert {"Alleen voor ons", "Voor iedereen"} <= texts
        else:
            assert notes == [everyone], name
            assert "Voor iedereen" in texts and "Alleen voor ons" not in texts, name
    # The history says a note was added, never what it says.
    for event in HouseholdEvent.objects.filter(kind="case_note_added"):
        assert "Alleen" not in str(event.data)


def test_the_timeline_merges_the_participants_events_with_their_organisation(
    full_case, corporation, welfare, care, welfare_worker, care_worker, household, lonely
):
    services.action_add(
        actor=welfare_worker,
        case=full_case,
        description="Budgetcoach zoeken",
        owner_organisation=welfare,
        due_on=tomorrow(),
    )
    services.note_add(actor=care_worker, case=full_case, text="Zorg is gestart", visibility="all")
    # Not in the case's timeline: a signal of the corporation's own.
    SignalFactory(household=household, category=lonely)
    items = selectors.case_timeline(actor=care_worker, case=full_case)
    pairs = {(item.label, item.organisation) for item in items}
    assert ("joint case opened", corporation.name) in pairs
    assert ("referral accepted", welfare.name) in pairs
    assert ("referral accepted", care.name) in pairs
    assert ("action added to the plan", welfare.name) in pairs
    assert ("case note added", care.name) in pairs
    assert all(item.organisation for item in items)
    assert not {item.event.kind for item in items if item.event} & {
        "signal_opened",
        "signal_status_changed",
        "consent_recorded",
        "case_note_added",
    }
    assert [item.at for item in items] == sorted((item.at for item in items), reverse=True)


def test_reads_write_the_access_log(full_case, welfare_worker, welfare, household, outsider):
    before = AccessLog.objects.count()
    selectors.case_list(actor=welfare_worker)
    row = AccessLog.objects.latest("id")
    assert (row.action, row.household, row.legal_basis) == ("search", household, "toestemming")
    assert row.detail == {"joint_cases": "open"}
    selectors.case_page(actor=welfare_worker, pk=full_case.pk)
    row = AccessLog.objects.latest("id")
    assert (row.action, row.household, row.organisation, row.object_type) == (
        "view",
        household,
        welfare,
        "cases.jointcase",
    )
    assert AccessLog.objects.count() == before + 2
    selectors.case_list(actor=outsider)
    assert AccessLog.objects.latest("id").legal_basis == "geen"
