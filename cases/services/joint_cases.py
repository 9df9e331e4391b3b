"""Joint cases: opened for a household, joined by partners on a basis that holds, run by one
coordinating organisation, with an action plan and notes, closed with a summary.

Every step is an event in the household's history (with the case's id in `data`) and one
access-log row on the legal basis of the acting organisation's participation."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access.bases import Basis, participation_basis
from cases.access.log import log_access
from cases.models import (
    AccessLog,
    CaseAction,
    CaseNote,
    CaseParticipant,
    Household,
    HouseholdEvent,
    JointCase,
)
from cases.services import notices
from cases.services.households import household_not_merged_require
from partners.models import Membership, Organisation

Kind = HouseholdEvent.Kind


def _event(*, actor, case: JointCase, kind: str, **data) -> None:
    HouseholdEvent.objects.create(
        household_id=case.household_id,
        kind=kind,
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
        data={"case": case.pk, **data},
    )


def _log(*, actor, case: JointCase, obj, action=AccessLog.Action.UPDATE) -> None:
    basis = participation_basis(household=case.household, organisation_id=actor.organisation_id)
    log_access(
        actor=actor,
        action=action,
        household=case.household,
        obj=obj,
        legal_basis=basis.legal_basis if basis else None,
    )


def _locked_case(*, actor: Membership, case: JointCase, must_be_open: bool = True) -> JointCase:
    """The case, locked, if the actor's organisation takes part in it and may still see the
    household; refused otherwise."""
    case = (
        JointCase.objects.select_for_update(of=("self",))
        .select_related("household")
        .filter(pk=case.pk)
        .first()
    )
    if case is None or not JointCase.objects.visible_to(actor).filter(pk=case.pk).exists():
        raise ValidationError(_("Your organisation does not take part in this case."))
    if must_be_open and not case.is_open:
        raise ValidationError(_("This case is closed."))
    return case


def _participating_ids(case: JointCase) -> set[int]:
    return set(case.participants.values_list("organisation_id", flat=True))


def _check_member(user, organisation_id: int, field: str) -> None:
    if (
        user is not None
        and not Membership.objects.active()
        .filter(user=user, organisation_id=organisation_id)
        .exists()
    ):
        raise ValidationError({field: _("This person does not work for that organisation.")})


def _join(case: JointCase, organisation_id: int, basis: Basis) -> CaseParticipant:
    return CaseParticipant.objects.create(
        case=case,
        organisation_id=organisation_id,
        via_referral=basis.referral,
        via_consent=basis.consent,
    )


@transaction.atomic
def case_open(
    *,
    actor: Membership,
    household: Household,
    coordinator_organisation: Organisation | None = None,
    coordinator=None,
) -> JointCase:
    """Open a joint case for a household. The corporation, the actor's organisation and the
    coordinating organisation take part; each needs a basis."""
    if not Household.objects.visible_to(actor).filter(pk=household.pk).exists():
        raise ValidationError(_("You may not work with this household."))
    # Serialises two openings of the same household's case.
    household = Household.objects.select_for_update().get(pk=household.pk)
    household_not_merged_require(household=household)
    if JointCase.objects.open().filter(household=household).exists():
        raise ValidationError(_("This household already has an open case; join that one."))
    coordinator_id = (
        coordinator_organisation.pk if coordinator_organisation else actor.organisation_id
    )
    bases: dict[int, Basis] = {}
    for organisation_id in (household.corporation_id, actor.organisation_id, coordinator_id):
        basis = participation_basis(household=household, organisation_id=organisation_id)
        if basis is None:
            field = "coordinator_organisation" if organisation_id == coordinator_id else None
            message = _(
                "This organisation has no accepted referral and no consent in force for this "
                "household, so it cannot take part."
            )
            raise ValidationError({field: message} if field else message)
        bases[organisation_id] = basis
    _check_member(coordinator, coordinator_id, "coordinator")
    case = JointCase.objects.create(
        household=household,
        coordinator_organisation_id=coordinator_id,
        coordinator=coordinator,
        opened_by_id=actor.user_id,
    )
    for organisation_id, basis in bases.items():
        _join(case, organisation_id, basis)
    names = dict(Organisation.objects.filter(pk__in=bases).values_list("pk", "name"))
    _event(
        actor=actor,
        case=case,
        kind=Kind.CASE_OPENED,
        coordinator=names[coordinator_id],
        participants=sorted(names.values()),
    )
    _log(actor=actor, case=case, obj=case, action=AccessLog.Action.CREATE)
    return case


@transaction.atomic
def case_add_participant(
    *, actor: Membership, case: JointCase, organisation: Organisation
) -> CaseParticipant:
    """Let another organisation join the case, through its accepted referral or a consent in
    force for this household."""
    case = _locked_case(actor=actor, case=case)
    if organisation.pk in _participating_ids(case):
        raise ValidationError({"organisation": _("This organisation already takes part.")})
    basis = participation_basis(household=case.household, organisation_id=organisation.pk)
    if basis is None:
        raise ValidationError(
            {
                "organisation": _(
                    "%(partner)s has no accepted referral and no consent in force for this "
                    "household, so it cannot take part."
                )
                % {"partner": organisation.name}
            }
        )
    participant = _join(case, organisation.pk, basis)
    _event(
        actor=actor,
        case=case,
        kind=Kind.CASE_PARTICIPANT_ADDED,
        participant=organisation.name,
        basis=basis.legal_basis,
    )
    _log(actor=actor, case=case, obj=participant)
    return participant


@transaction.atomic
def case_set_coordinator(
    *, actor: Membership, case: JointCase, organisation: Organisation, coordinator=None
) -> JointCase:
    """Hand the coordination to a participating organisation (and optionally a worker there).
    Only the coordinating organisation hands it over: its coordinator, any of its workers while
    no person coordinates, or its administrator."""
    case = _locked_case(actor=actor, case=case)
    coordinating = actor.organisation_id == case.coordinator_organisation_id
    may_hand_over = actor.role == Membership.Role.BEHEERDER or case.coordinator_id in (
        None,
        actor.user_id,
    )
    if not (coordinating and may_hand_over):
        raise ValidationError(
            _("Only the coordinator of this case can hand the coordination over.")
        )
    if organisation.pk not in _participating_ids(case):
        raise ValidationError(
            {"organisation": _("The coordinator must come from a participating organisation.")}
        )
    _check_member(coordinator, organisation.pk, "coordinator")
    if (
        coordinator is not None
        and not Membership.objects.active()
        .filter(user=coordinator, organisation=organisation, role=Membership.Role.MEDEWERKER)
        .exists()
    ):
        raise ValidationError({"coordinator": _("Only a worker can coordinate a case.")})
    case.coordinator_organisation = organisation
    case.coordinator = coordinator
    case.save(update_fields=["coordinator_organisation", "coordinator"])
    _event(
        actor=actor,
        case=case,
        kind=Kind.CASE_COORDINATOR_CHANGED,
        coordinator=organisation.name,
        person=coordinator.name if coordinator else "",
    )
    _log(actor=actor, case=case, obj=case)
    return case


@transaction.atomic
def action_add(
    *,
    actor: Membership,
    case: JointCase,
    description: str,
    owner_organisation: Organisation,
    due_on: date,
    owner_person=None,
) -> CaseAction:
    """Add an action to the plan, owned by a participating organisation or a person there."""
    case = _locked_case(actor=actor, case=case)
    errors = {}
    if not description.strip():
        errors["description"] = _("Describe the action.")
    if owner_organisation.pk not in _participating_ids(case):
        errors["owner_organisation"] = _("Choose a participating organisation.")
    if due_on is None:
        errors["due_on"] = _("Give the date the action is due.")
    elif due_on < timezone.localdate():
        errors["due_on"] = _("The due date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    _check_member(owner_person, owner_organisation.pk, "owner_person")
    action = CaseAction.objects.create(
        case=case,
        description=description.strip()[:500],
        owner_organisation=owner_organisation,
        owner_person=owner_person,
        due_on=due_on,
        created_by_id=actor.user_id,
    )
    _event(
        actor=actor,
        case=case,
        kind=Kind.CASE_ACTION_ADDED,
        action=action.pk,
        description=action.description,
        owner=owner_organisation.name,
        due_on=due_on.isoformat(),
    )
    _log(actor=actor, case=case, obj=action)
    notices.case_action_added(action, by_user_id=actor.user_id)
    return action


@transaction.atomic
def action_done(*, actor: Membership, action: CaseAction) -> CaseAction:
    """Mark an action of the plan as done."""
    case = _locked_case(actor=actor, case=action.case)
    action = CaseAction.objects.select_for_update().get(pk=action.pk, case=case)
    if action.done_at is not None:
        raise ValidationError(_("This action is already done."))
    action.done_at, action.done_by_id = timezone.now(), actor.user_id
    action.save(update_fields=["done_at", "done_by"])
    _event(
        actor=actor,
        case=case,
        kind=Kind.CASE_ACTION_DONE,
        action=action.pk,
        description=action.description,
    )
    _log(actor=actor, case=case, obj=action)
    return action


@transaction.atomic
def note_add(*, actor: Membership, case: JointCase, text: str, visibility: str) -> CaseNote:
    """Add a note, for the actor's own organisation only or for every participant."""
    case = _locked_case(actor=actor, case=case)
    errors = {}
    if not text.strip():
        errors["text"] = _("Write the note.")
    if visibility not in CaseNote.Visibility.values:
        errors["visibility"] = _("Choose who may read the note.")
    if errors:
        raise ValidationError(errors)
    note = CaseNote.objects.create(
        case=case,
        organisation_id=actor.organisation_id,
        author_id=actor.user_id,
        text=text.strip(),
        visibility=visibility,
    )
    # The text stays out of the history: an 'own' note must not reach the other participants.
    _event(actor=actor, case=case, kind=Kind.CASE_NOTE_ADDED, note=note.pk, visibility=visibility)
    _log(actor=actor, case=case, obj=note, action=AccessLog.Action.CREATE)
    notices.case_note_added(note)
    return note


@transaction.atomic
def case_close(*, actor: Membership, case: JointCase, summary: str) -> JointCase:
    """Close the case with a summary; only the coordinating organisation may."""
    case = _locked_case(actor=actor, case=case)
    if case.coordinator_organisation_id != actor.organisation_id:
        raise ValidationError(_("Only the coordinating organisation may close the case."))
    if not summary.strip():
        raise ValidationError({"summary": _("Write a closing summary.")})
    case.status = JointCase.Status.CLOSED
    case.closing_summary = summary.strip()
    case.closed_by_id, case.closed_at = actor.user_id, timezone.now()
    case.save(update_fields=["status", "closing_summary", "closed_by", "closed_at"])
    _event(actor=actor, case=case, kind=Kind.CASE_CLOSED)
    _log(actor=actor, case=case, obj=case)
    return case
