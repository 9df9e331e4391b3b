"""Reads of joint cases: the actor's list, one case page with its plan, the notes the actor may
read and the merged timeline; through JointCase.visible_to and the access log."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.access.bases import legal_basis_for, participation_basis
from cases.access.log import log_access, log_shown
from cases.models import (
    AccessLog,
    CaseAction,
    CaseNote,
    CaseParticipant,
    Consent,
    HouseholdEvent,
    JointCase,
    Referral,
)
from partners.models import Membership, Organisation, User

Kind = HouseholdEvent.Kind
CASE_KINDS = (
    Kind.CASE_OPENED,
    Kind.CASE_CLOSED,
    Kind.CASE_PARTICIPANT_ADDED,
    Kind.CASE_COORDINATOR_CHANGED,
    Kind.CASE_ACTION_ADDED,
    Kind.CASE_ACTION_DONE,
)
# Notes come into the timeline as notes (filtered per reader), never as their events.
REFERRAL_KINDS = (
    Kind.REFERRAL_SENT,
    Kind.REFERRAL_SENT_ONWARD,
    Kind.REFERRAL_ACCEPTED,
    Kind.REFERRAL_DECLINED,
    Kind.REFERRAL_COMPLETED,
    Kind.REFERRAL_WITHDRAWN,
)


def _base(actor: Membership) -> QuerySet:
    return JointCase.objects.visible_to(actor).select_related(
        "household", "coordinator_organisation", "coordinator"
    )


def case_list(*, actor: Membership, status: str = JointCase.Status.OPEN) -> list[JointCase]:
    """The cases the actor's organisation takes part in, open or closed; one access-log row."""
    cases = _base(actor)
    if status in JointCase.Status.values:
        cases = cases.filter(status=status)
    result = list(cases.order_by("-opened_at", "-pk")[:200])
    log_shown(actor=actor, households=[c.household for c in result], detail={"joint_cases": status})
    return result


def case_get(*, actor: Membership, pk: int, log: bool = True) -> JointCase:
    """One case the actor's organisation takes part in (404 otherwise)."""
    case = get_object_or_404(_base(actor), pk=pk)
    if log:
        log_access(
            actor=actor,
            action=AccessLog.Action.VIEW,
            household=case.household,
            obj=case,
            legal_basis=legal_basis_for(actor=actor, household=case.household),
        )
    return case


def case_for_household(*, actor: Membership, household) -> JointCase | None:
    """The household's open case, if the actor's organisation takes part in it. Not logged."""
    return _base(actor).filter(household=household, status=JointCase.Status.OPEN).first()


@dataclass
class CaseLink:
    """What a page about a household offers of its joint case: the open case the actor's
    organisation takes part in, or opening one where the actor may (no open case yet, a
    worker whose organisation has a basis to take part). Neither: nothing is offered."""

    case: JointCase | None = None
    may_open: bool = False


def case_link(*, actor: Membership, household) -> CaseLink:
    """For a household the actor sees (the caller read and logged it): its open case if the
    actor's organisation takes part, else whether the actor may open one. At most three small
    queries; not logged (no household data beyond what the page shows)."""
    case = case_for_household(actor=actor, household=household)
    if case is not None:
        return CaseLink(case=case)
    if actor.role != Membership.Role.MEDEWERKER:
        return CaseLink()
    if JointCase.objects.open().filter(household=household).exists():
        return CaseLink()  # someone else's case: joining it is up to its participants
    basis = participation_basis(household=household, organisation_id=actor.organisation_id)
    return CaseLink(may_open=basis is not None)


# --- the actions that need someone -------------------------------------------------------------

ACTION_LISTS = ("open", "te-laat")


def open_actions(*, actor: Membership, scope: str = "open") -> QuerySet:
    """Open actions of the open cases the actor's organisation takes part in that are the
    actor's: theirs, or their organisation's without a person; "te-laat", those past their
    due date. The list of actions and the start page's counts both read this."""
    actions = CaseAction.objects.filter(
        done_at__isnull=True,
        owner_organisation_id=actor.organisation_id,
        case__status=JointCase.Status.OPEN,
        case__in=JointCase.objects.visible_to(actor, ids_first=True).values("pk"),
    ).filter(Q(owner_person_id=actor.user_id) | Q(owner_person__isnull=True))
    if scope == "te-laat":
        actions = actions.filter(due_on__lt=timezone.localdate())
    return actions


def action_list(*, actor: Membership, scope: str = "open", limit: int = 200) -> list[CaseAction]:
    """The actor's open actions (open_actions), the first due first, each with its case and
    household; one access-log row per household shown (ADR 0006)."""
    actions = list(
        open_actions(actor=actor, scope=scope)
        .select_related("case__household", "owner_organisation", "owner_person")
        .order_by("due_on", "pk")[:limit]
    )
    log_shown(
        actor=actor,
        households=[action.case.household for action in actions],
        detail={"case_actions": scope},
    )
    return actions


def case_participants(*, case: JointCase) -> list[CaseParticipant]:
    return list(case.participants.select_related("organisation").order_by("joined_at", "pk"))


def case_actions(*, case: JointCase) -> list[CaseAction]:
    return list(
        case.actions.select_related("owner_organisation", "owner_person", "done_by").order_by(
            "done_at", "due_on", "pk"
        )
    )


def case_notes(*, actor: Membership, case: JointCase) -> list[CaseNote]:
    """The notes the actor may read: its own organisation's, and those meant for everyone."""
    return list(
        case.notes.filter(CaseNote.visible_q(actor.organisation_id))
        .select_related("organisation", "author")
        .order_by("-created_at", "-pk")
    )


@dataclass
class TimelineItem:
    at: datetime
    label: str
    organisation: str
    person: str
    text: str = ""
    note: CaseNote | None = None
    event: HouseholdEvent | None = None


def _event_text(event: HouseholdEvent) -> str:
    data = event.data or {}
    for key in ("description", "participant", "coordinator", "to"):
        if data.get(key):
            return str(data[key])
    return ""


def case_timeline(
    *, actor: Membership, case: JointCase, notes: list[CaseNote] | None = None
) -> list[TimelineItem]:
    """The case's events merged with those of its participants (their referrals to one
    another) and the notes the actor may read; newest first, each with its organisation."""
    organisations = list(case.participants.values_list("organisation_id", flat=True))
    events = (
        HouseholdEvent.objects.filter(household_id=case.household_id)
        .filter(
            Q(kind__in=CASE_KINDS, data__case=case.pk)
            | Q(
                kind__in=REFERRAL_KINDS,
                referral__from_organisation_id__in=organisations,
                referral__to_organisation_id__in=organisations,
            )
        )
        .filter(organisation_id__in=organisations)
        .select_related("organisation", "user")
        .order_by("-at", "-pk")[:300]
    )
    items = [
        TimelineItem(
            at=event.at,
            label=event.get_kind_display(),
            organisation=event.organisation.name if event.organisation else "",
            person=event.user.name if event.user else "",
            text=_event_text(event),
            event=event,
        )
        for event in events
    ]
    if notes is None:
        notes = case_notes(actor=actor, case=case)
    items += [
        TimelineItem(
            at=note.created_at,
            label=str(Kind.CASE_NOTE_ADDED.label),
            organisation=note.organisation.name,
            person=note.author.name,
            text=note.text,
            note=note,
        )
        for note in notes
    ]
    items.sort(key=lambda item: item.at, reverse=True)
    return items


@dataclass
class CasePage:
    case: JointCase
    participants: list[CaseParticipant]
    actions: list[CaseAction]
    notes: list[CaseNote]
    timeline: list[TimelineItem]


def case_page(*, actor: Membership, pk: int, log: bool = True) -> CasePage:
    """Everything the case page shows, with one access-log row for the read."""
    case = case_get(actor=actor, pk=pk, log=log)
    notes = case_notes(actor=actor, case=case)
    return CasePage(
        case=case,
        participants=case_participants(case=case),
        actions=case_actions(case=case),
        notes=notes,
        timeline=case_timeline(actor=actor, case=case, notes=notes),
    )


def _candidates(household, exclude=()) -> list[Organisation]:
    """Organisations with a basis for the household: its corporation, receivers of its
    referrals and of its consents, each checked against participation_basis."""
    ids = {household.corporation_id}
    ids |= set(
        Referral.objects.filter(household=household).values_list("to_organisation_id", flat=True)
    )
    ids |= set(
        Consent.objects.in_force()
        .filter(household=household)
        .values_list("receiving_organisation_id", flat=True)
    )
    ids -= set(exclude)
    return [
        organisation
        for organisation in Organisation.objects.filter(pk__in=ids).order_by("name")
        if participation_basis(household=household, organisation_id=organisation.pk)
    ]


def joinable_organisations(*, case: JointCase) -> list[Organisation]:
    """Organisations not yet in the case that have a basis to join it."""
    taken = set(case.participants.values_list("organisation_id", flat=True))
    return _candidates(case.household, exclude=taken)


def possible_coordinators(*, household) -> list[Organisation]:
    """Organisations that could coordinate a new case: those with a basis for the household."""
    return _candidates(household)


def participating_organisations(*, case: JointCase) -> QuerySet:
    return Organisation.objects.filter(pk__in=case.participants.values("organisation_id")).order_by(
        "name"
    )


def participating_people(*, case: JointCase, workers_only: bool = False) -> QuerySet:
    """People working for a participating organisation (owners of actions); `workers_only`,
    those in the worker role (who may coordinate)."""
    memberships = Membership.objects.active().filter(
        organisation_id__in=case.participants.values("organisation_id")
    )
    if workers_only:
        memberships = memberships.filter(role=Membership.Role.MEDEWERKER)
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by("name")
