"""Who hears what (issue "notifications"): the people to tell of each event in cases, and the
events the organisation's own systems can subscribe to (ADR 0029).

Each function is called by a service inside its transaction, so the notifications and events
are written with what happened or not at all (partners.services.notifications.notify and
partners.services.events.events_emit, the outbox). An event holds ids and statuses only. Texts name
organisations, never households or residents; the link leads to the page, behind the login.
Privacy tells an organisation's privacy officers through `privacy_officers_notify`."""

from datetime import date

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from cases.access.bases import participation_basis
from cases.models import CaseAction, CaseNote, Consent, HomeVisit, JointCase, Referral
from cases.workdays import add_working_days
from cases.workflow import ReferralStatus, Severity
from partners.models import EventType, Membership, Notification, Organisation, User
from partners.selectors import shared_worker_ids
from partners.services.events import events_emit
from partners.services.notifications import notify

Kind = Notification.Kind
Role = Membership.Role


def _users(memberships) -> list[User]:
    return [m.user for m in memberships.select_related("user")]


def intake_of(organisation_id: int) -> list[User]:
    """The organisation's intake: members marked as receiving referrals. Where nobody is marked,
    all its workers, so that a referral is never left unnoticed."""
    active = Membership.objects.active().filter(organisation_id=organisation_id)
    marked = _users(active.filter(receives_referrals=True))
    return marked or _users(active.filter(role=Role.MEDEWERKER))


def managers_of(organisation_id: int) -> list[User]:
    return _users(
        Membership.objects.active().filter(organisation_id=organisation_id, role=Role.MANAGER)
    )


def _active_in(person: User | None, organisation_id: int) -> bool:
    if person is None:
        return False
    active = Membership.objects.active()
    return active.filter(user=person, organisation_id=organisation_id).exists()


def _handlers(referral: Referral) -> list[User]:
    """Who answers for a referral at the receiver: its assignee, the named colleague, or intake
    (also when the person has left the organisation since)."""
    for person in (referral.assigned_to, referral.to_person):
        if _active_in(person, referral.to_organisation_id):
            return [person]
    return intake_of(referral.to_organisation_id)


def _referral_url(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


def _referral_event(referral: Referral) -> dict:
    """What a system of the receiver learns of a referral: ids and statuses, no details."""
    return {
        "verwijzing": referral.pk,
        "huishouden": referral.household_id,
        "van": referral.from_organisation_id,
        "aan": referral.to_organisation_id,
        "status": referral.status,
        "reagerenVoor": referral.deadline.isoformat(),
    }


def referral_sent(referral: Referral) -> None:
    notify(
        recipients=[referral.to_person]
        if referral.to_person
        else intake_of(referral.to_organisation_id),
        kind=Kind.REFERRAL_NEW,
        organisation=referral.to_organisation,
        url=_referral_url(referral),
        data={"sender": referral.from_organisation.name},
    )
    events_emit(
        organisation_id=referral.to_organisation_id,
        type=EventType.REFERRAL_RECEIVED,
        subject=f"verwijzingen/{referral.pk}",
        data=_referral_event(referral),
    )


def referral_moved(referral: Referral) -> None:
    """Accepted, declined or completed: the sender hears. Withdrawn: the receiver hears."""
    if referral.status == ReferralStatus.INGETROKKEN:
        recipients, organisation = _handlers(referral), referral.to_organisation
        partner = referral.from_organisation
    else:
        organisation, partner = referral.from_organisation, referral.to_organisation
        sender = referral.sent_by
        recipients = [sender] if _active_in(sender, organisation.pk) else intake_of(organisation.pk)
    notify(
        recipients=recipients,
        kind=Kind.REFERRAL_UPDATE,
        organisation=organisation,
        url=_referral_url(referral),
        data={"partner": partner.name, "status": referral.status},
    )


def _case_people(case: JointCase, organisation_id: int) -> list[User]:
    """The people concerned with a case at one participating organisation: its coordinator
    there, owners of open actions, the assignee of the referral it joined by; else its intake."""
    people = {}
    if case.coordinator_organisation_id == organisation_id and case.coordinator_id:
        people[case.coordinator_id] = case.coordinator
    for action in case.actions.filter(
        owner_organisation_id=organisation_id, done_at__isnull=True, owner_person__isnull=False
    ).select_related("owner_person"):
        people[action.owner_person_id] = action.owner_person
    for participant in case.participants.filter(
        organisation_id=organisation_id, via_referral__isnull=False
    ).select_related("via_referral__assigned_to", "via_referral__to_person"):
        person = participant.via_referral.assigned_to or participant.via_referral.to_person
        if person:
            people[person.pk] = person
    return list(people.values()) or intake_of(organisation_id)


def _case_url(case: JointCase) -> str:
    return reverse("joint_cases:detail", args=[case.pk])


def case_note_added(note: CaseNote) -> None:
    """A note for all participants: the people concerned at every participating organisation."""
    if note.visibility != CaseNote.Visibility.ALL:
        return

    case = note.case
    for participant in case.participants.select_related("organisation"):
        basis = participation_basis(
            household=case.household, organisation_id=participant.organisation_id
        )
        if basis is None:
            continue  # its basis has ended: it no longer sees the case
        people = [
            person
            for person in _case_people(case, participant.organisation_id)
            if person.pk != note.author_id
        ]
        notify(
            recipients=people,
            kind=Kind.CASE_NOTE,
            organisation=participant.organisation,
            url=_case_url(case),
            data={"author": note.organisation.name},
        )


def case_action_added(action: CaseAction, *, by_user_id: int) -> None:
    people = (
        [action.owner_person]
        if action.owner_person
        else _case_people(action.case, action.owner_organisation_id)
    )
    notify(
        recipients=[person for person in people if person.pk != by_user_id],
        kind=Kind.CASE_ACTION,
        organisation=action.owner_organisation,
        url=_case_url(action.case),
        data={"owner": action.owner_organisation.name, "due": action.due_on.isoformat()},
    )


def acute_signals_logged(visit: HomeVisit, severities: list[str]) -> None:
    """An acute signal: the samenlevingsondersteuners who follow the neighbourhood, through their
    membership of the household's corporation."""
    if Severity.ACUUT not in severities:
        return
    household = visit.household
    neighbourhood = household.neighbourhood
    if neighbourhood is None:
        return
    follows = Q(neighbourhoods=neighbourhood)
    if neighbourhood.parent_id:
        follows |= Q(neighbourhoods=neighbourhood.parent_id)
    followers = (
        Membership.objects.active()
        .filter(follows, organisation_id=household.corporation_id)
        .values_list("user_id", flat=True)
        .distinct()
    )
    shared = shared_worker_ids(followers)
    notify(
        recipients=User.objects.filter(pk__in=shared).exclude(pk=visit.created_by_id),
        kind=Kind.SIGNAL_ACUTE,
        organisation=Organisation.objects.get(pk=household.corporation_id),
        url=reverse("cases:household_detail", args=[household.pk]),
        data={"neighbourhood": neighbourhood.name},
    )


def consent_withdrawn(consent: Consent) -> None:
    """The organisation that loses access: the people on its referrals and cases through this
    consent, and its intake."""
    organisation = consent.receiving_organisation
    people = {user.pk: user for user in intake_of(organisation.pk)}
    for referral in Referral.objects.filter(consent=consent).select_related(
        "assigned_to", "to_person"
    ):
        for person in (referral.assigned_to, referral.to_person):
            if person:
                people[person.pk] = person
    for case in JointCase.objects.filter(
        participants__via_consent=consent, participants__organisation=organisation
    ).distinct():
        for person in _case_people(case, organisation.pk):
            people[person.pk] = person
    notify(
        recipients=people.values(),
        kind=Kind.CONSENT_WITHDRAWN,
        organisation=organisation,
        url=reverse("referrals:inbox"),
        data={"partner": organisation.name},
    )
    events_emit(
        organisation_id=organisation.pk,
        type=EventType.CONSENT_WITHDRAWN,
        subject=f"toestemmingen/{consent.pk}",
        data={
            "toestemming": consent.pk,
            "huishouden": consent.household_id,
            "van": consent.recorded_for_id,
            "aan": organisation.pk,
            "verwijzingen": sorted(
                Referral.objects.filter(consent=consent).values_list("pk", flat=True)
            ),
        },
    )


# --- reminders and escalations (Celery beat; safe to run twice through the dedupe keys) ---------


def deadlines_check(*, today: date | None = None) -> int:
    """Referrals unanswered one working day before their deadline remind the people who handle
    them; past the deadline the receiving organisation's managers hear as well (an escalation,
    which nobody can switch off). Case actions past their due date remind their owners and the
    coordinator. Returns how many notifications were written."""
    today = today or timezone.localdate()
    written = 0
    unanswered = Referral.objects.filter(status=ReferralStatus.VERZONDEN).select_related(
        "from_organisation", "to_organisation", "assigned_to", "to_person"
    )
    soon = add_working_days(today, 1)
    near = unanswered.filter(deadline__gte=today, deadline__lte=soon).exclude(
        _told("deadline-near:")
    )
    for referral in near:
        written += len(
            notify(
                recipients=_handlers(referral),
                kind=Kind.DEADLINE_NEAR,
                organisation=referral.to_organisation,
                url=_referral_url(referral),
                data={
                    "sender": referral.from_organisation.name,
                    "deadline": referral.deadline.isoformat(),
                },
                dedupe_key=f"deadline-near:{referral.pk}",
            )
        )
    managers = {}
    for referral in unanswered.filter(deadline__lt=today).exclude(_told("deadline-passed:")):
        receiver = referral.to_organisation_id
        if receiver not in managers:
            managers[receiver] = managers_of(receiver)
        key = f"deadline-passed:{referral.pk}"
        with transaction.atomic():  # the people and the systems hear together, or neither
            written += len(
                notify(
                    recipients=_handlers(referral) + managers[receiver],
                    kind=Kind.DEADLINE_PASSED,
                    organisation=referral.to_organisation,
                    url=_referral_url(referral),
                    data={
                        "sender": referral.from_organisation.name,
                        "deadline": referral.deadline.isoformat(),
                    },
                    dedupe_key=key,
                )
            )
            events_emit(
                organisation_id=receiver,
                type=EventType.DEADLINE_PASSED,
                subject=f"verwijzingen/{referral.pk}",
                data=_referral_event(referral),
                dedupe_key=key,
            )
    overdue = (
        CaseAction.objects.filter(
            done_at__isnull=True, due_on__lt=today, case__status=JointCase.Status.OPEN
        )
        .exclude(_told("action-overdue:"))
        .select_related(
            "case__coordinator", "case__coordinator_organisation", "owner_organisation",
            "owner_person",
        )
    )  # fmt: skip
    for action in overdue:
        case, key = action.case, f"action-overdue:{action.pk}"
        data = {"owner": action.owner_organisation.name, "due": action.due_on.isoformat()}
        owners = (
            [action.owner_person]
            if action.owner_person
            else _case_people(case, action.owner_organisation_id)
        )
        written += len(
            notify(
                recipients=owners,
                kind=Kind.ACTION_OVERDUE,
                organisation=action.owner_organisation,
                url=_case_url(case),
                data=data,
                dedupe_key=key,
            )
        )
        if case.coordinator and case.coordinator not in owners:
            # The coordinator opens it acting for the coordinating organisation.
            written += len(
                notify(
                    recipients=[case.coordinator],
                    kind=Kind.ACTION_OVERDUE,
                    organisation=case.coordinator_organisation,
                    url=_case_url(case),
                    data=data,
                    dedupe_key=key,
                )
            )
    return written


def _told(prefix: str):
    """Rows whose reminder with this key prefix was written already (skipped in SQL, so hourly
    runs do not grow with the number of referrals that waited before)."""
    return Exists(
        Notification.objects.filter(
            dedupe_key=Concat(Value(prefix), Cast(OuterRef("pk"), CharField()))
        )
    )


def privacy_officers(organisation_id: int):
    return User.objects.filter(
        memberships__organisation_id=organisation_id,
        memberships__role=Membership.Role.PRIVACYFUNCTIONARIS,
        memberships__ended_at__isnull=True,
        is_active=True,
    ).distinct()


def privacy_officers_notify(
    *, organisation_id: int, kind: str, url: str, data: dict, dedupe_key: str
) -> list:
    """Notify the organisation's privacy officers, in the caller's transaction (the outbox;
    with a dedupe_key nobody is told twice)."""
    return notify(
        recipients=list(privacy_officers(organisation_id)),
        kind=kind,
        organisation=Organisation.objects.get(pk=organisation_id),
        url=url,
        data=data,
        dedupe_key=dedupe_key,
    )
