"""Retention per data controller (issue 15, item 1; ADR 0015): each organisation sets the terms
of the records it holds, and nobody else's; a shorter term waits its delay and is announced;
the access log's term is the installation's; a run anonymises by each controller's own terms."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from cases.models import HouseholdEvent, RetentionTerm
from cases.models.privacy import CONTROLLER_KINDS
from cases.selectors.retention import retention_months, retention_preview
from cases.services.retention import access_log_term_save, retention_run, retention_terms_save
from partners.models import Notification
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def welfare_admin(welfare):
    return MembershipFactory(organisation=welfare, role="beheerder")


@pytest.fixture
def welfare_officer(welfare):
    return MembershipFactory(organisation=welfare, role="privacyfunctionaris")


@pytest.fixture
def installer(db):
    return UserFactory(email="installatie@test.example", is_installation_admin=True)


def told(membership):
    return list(
        Notification.objects.filter(recipient=membership.user, kind="retention_changed")
        .order_by("pk")
        .values_list("data", flat=True)
    )


def test_a_partners_administrator_cannot_change_the_corporations_terms(
    terms, corporation, welfare_admin, manager, corporation_worker
):
    with pytest.raises(PermissionDenied):
        retention_terms_save(
            actor=welfare_admin, organisation_id=corporation.pk, months={"signals": 1}
        )
    for someone in (manager, corporation_worker):
        with pytest.raises(PermissionDenied):
            retention_terms_save(
                actor=someone, organisation_id=corporation.pk, months={"visits": 1}
            )
    assert not RetentionTerm.objects.filter(organisation=corporation).exists()
    assert retention_months(organisation_id=corporation.pk, kind="signals") == 24


def test_a_longer_term_holds_at_once_and_a_shorter_one_waits_its_delay(
    terms, corporation, welfare, admin, privacy_officer, welfare_officer, settings
):
    settings.RETENTION_CHANGE_DELAY_DAYS = 14
    now = timezone.now()
    retention_terms_save(actor=admin, organisation_id=corporation.pk, months={"signals": 36})
    assert retention_months(organisation_id=corporation.pk, kind="signals") == 36
    changed = retention_terms_save(
        actor=admin, organisation_id=corporation.pk, months={"signals": 36, "visits": 6}
    )
    assert [term.kind for term in changed] == ["visits"]
    visits = RetentionTerm.objects.get(organisation=corporation, kind="visits")
    assert (visits.months, visits.pending_months, visits.pending_by) == (24, 6, admin.user)
    assert visits.pending_from >= now + datetime.timedelta(days=14)
    assert retention_months(organisation_id=corporation.pk, kind="visits") == 24
    in_two_weeks = now + datetime.timedelta(days=15)
    assert retention_months(organisation_id=corporation.pk, kind="visits", at=in_two_weeks) == 6
    # The corporation's privacy officers are told of both changes; welfare's of neither.
    assert [data["organisation"] for data in told(privacy_officer)] == [corporation.name] * 2
    assert (
        told(privacy_officer)[-1]["effective"]
        == timezone.localdate(visits.pending_from).isoformat()
    )
    assert told(welfare_officer) == []
    # Welfare's terms are its own: still the defaults.
    assert retention_months(organisation_id=welfare.pk, kind="signals") == 24


def test_a_waiting_shorter_term_is_withdrawn_by_setting_the_term_in_force(
    terms, corporation, privacy_officer
):
    retention_terms_save(
        actor=privacy_officer, organisation_id=corporation.pk, months={"visits": 3}
    )
    assert RetentionTerm.objects.get(organisation=corporation, kind="visits").pending_months == 3
    retention_terms_save(
        actor=privacy_officer, organisation_id=corporation.pk, months={"visits": 24}
    )
    term = RetentionTerm.objects.get(organisation=corporation, kind="visits")
    assert (term.months, term.pending_months, term.pending_from) == (24, None, None)
    assert len(told(privacy_officer)) == 2, "the withdrawal is announced too"


def test_terms_stay_within_their_bounds(terms, corporation, admin, installer):
    with pytest.raises(ValidationError) as refused:
        retention_terms_save(actor=admin, organisation_id=corporation.pk, months={"signals": 0})
    assert refused.value.message_dict == {"signals": ["Choose between 1 and 240 months."]}
    with pytest.raises(ValidationError, match="Unknown kind"):
        retention_terms_save(actor=admin, organisation_id=corporation.pk, months={"access_log": 60})
    with pytest.raises(ValidationError) as refused:
        access_log_term_save(user=installer, months=6)
    assert refused.value.message_dict == {"access_log": ["Choose between 12 and 120 months."]}


def test_only_the_installation_administrator_sets_the_access_log_term(
    terms, admin, privacy_officer, welfare_officer, installer
):
    with pytest.raises(PermissionDenied):
        access_log_term_save(user=admin.user, months=120)
    access_log_term_save(user=installer, months=72)
    assert retention_months(organisation_id=None, kind="access_log") == 72
    access_log_term_save(user=installer, months=12)
    term = RetentionTerm.objects.get(kind="access_log")
    assert (term.months, term.pending_months, term.organisation) == (72, 12, None)
    # Every organisation's privacy officers hear of the installation's term.
    for officer in (privacy_officer, welfare_officer):
        assert [d["organisation"] for d in told(officer)] == ["Inclusie", "Inclusie"]


def test_a_run_anonymises_only_what_each_controllers_terms_say(
    privacy_world, terms, welfare, welfare_admin, found_anywhere, settings
):
    """The attack of the issue, turned on its maker: welfare's administrator sets every term
    of welfare's to a month. After the delay the run empties welfare's own text (its reason for
    declining, its note on the outcome, its case note, action and summary) and nothing of the
    corporation's (the signals, the visit, the referral's message)."""
    settings.RETENTION_CHANGE_DELAY_DAYS = 14
    texts = privacy_world.TEXTS
    retention_terms_save(
        actor=welfare_admin,
        organisation_id=welfare.pk,
        months=dict.fromkeys(CONTROLLER_KINDS, 1),
    )
    # The terms are young enough for the trigger: the access log keeps ten years here.
    RetentionTerm.objects.filter(kind="access_log").update(months=120)
    now = timezone.now()
    later = now + datetime.timedelta(days=45)
    welfare_lines = {line.kind: line for line in retention_preview(organisation_id=welfare.pk)}
    assert welfare_lines["referrals"].pending_months == 1
    assert sum(retention_run(now=now + datetime.timedelta(days=10)).values()) == 0, "not yet"
    done = retention_run(now=later)
    assert done["referrals"] == 2 and done["joint_cases"] == 1
    remaining = {fragment for _table, _column, fragment in found_anywhere(texts.values())}
    gone = {texts[key] for key in ("decline_reason", "outcome_note", "case_note", "case_action")}
    gone.add(texts["case_summary"])
    assert remaining.isdisjoint(gone)
    for key in ("visit_notes", "signal_description", "signal_reason", "referral_message"):
        assert texts[key] in remaining, key
    assert RetentionTerm.objects.get(organisation=welfare, kind="referrals").months == 1


def test_reasons_of_emergency_requests_go_by_the_workers_organisations_term(
    terms, household, care_worker, welfare_worker, settings
):
    """A refused request past the limit (ADR 0018) keeps its reasons as long as its
    organisation's emergency term says, and no longer; another organisation's stay."""
    from cases.models import EmergencyAccessRequest

    settings.RETENTION_CHANGE_DELAY_DAYS = 14
    now = timezone.now()
    asked = now - datetime.timedelta(days=40)

    def refused_request(worker):
        return EmergencyAccessRequest.objects.create(
            household=household,
            user=worker.user,
            organisation=worker.organisation,
            role=worker.role,
            reason="Buren horen al dagen niets, deur blijft dicht",
            requested_at=asked,
            expires_at=asked + datetime.timedelta(hours=8),
            status="geweigerd",
            decided_by=worker.user,
            decided_at=asked + datetime.timedelta(hours=1),
            refusal_reason="Eerst de wijkagent laten kijken",
        )

    care_request, welfare_request = refused_request(care_worker), refused_request(welfare_worker)
    care_officer = MembershipFactory(
        organisation=care_worker.organisation, role="privacyfunctionaris"
    )
    retention_terms_save(
        actor=care_officer, organisation_id=care_worker.organisation_id, months={"emergency": 1}
    )
    assert retention_run(now=now)["emergency"] == 0, "the shorter term waits"
    assert retention_run(now=now + datetime.timedelta(days=15))["emergency"] == 1
    care_request.refresh_from_db()
    welfare_request.refresh_from_db()
    assert (care_request.reason, care_request.refusal_reason) == ("", "")
    assert welfare_request.refusal_reason == "Eerst de wijkagent laten kijken"
    assert HouseholdEvent.objects.filter(
        household=household, kind="data_anonymised", data__retention="emergency"
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_two_first_saves_at_once_take_turns(corporation, monkeypatch):
    """A double send of an organisation's very first terms: no term row to lock yet, so the
    organisation's row is; both saves succeed one after the other (issue 15, review). The
    hook holds the first insert until the second save has had its chance to race."""
    import contextlib
    import threading

    from django.db import connections

    admin = MembershipFactory(organisation=corporation, role="beheerder")
    officer = MembershipFactory(organisation=corporation, role="privacyfunctionaris")
    barrier = threading.Barrier(2, timeout=3)
    original = RetentionTerm.save

    def save_after_the_other_arrived(self, *args, **kwargs):
        if self.pk is None:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(RetentionTerm, "save", save_after_the_other_arrived)
    errors = []

    def save(actor):
        try:
            retention_terms_save(
                actor=actor, organisation_id=corporation.pk, months={"signals": 36}
            )
        except Exception as exc:  # noqa: BLE001 - any error is the failure shown
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(m,)) for m in (admin, officer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert RetentionTerm.objects.get(organisation=corporation, kind="signals").months == 36
