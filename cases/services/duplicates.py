"""A corporation's administrator decides about two households that may be one (ADR 0026):
marks them as distinct, so they are no longer flagged, or merges one into the other.

A merge moves the work about the household (visits, signals, consents, referrals, joint cases,
support packages) and its residents, each person once, to the household that goes on (the
survivor); the other stays as a closed record that points to it. Records of what happened
(the access log, the history, emergency accesses, decisions about duplicates) are never
rewritten: they keep naming the household they happened to, and the survivor's pages read
them for both."""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access.log import log_access
from cases.models import AccessLog, DistinctHouseholds, Household, HouseholdEvent, JointCase
from cases.models.duplicates import FOLLOW_SURVIVOR, REPOINTED
from cases.selectors.duplicates.pages import same_people
from cases.services.history import household_event_add
from partners.models import Membership, Organisation

Kind = HouseholdEvent.Kind
OWN_TENANT = AccessLog.LegalBasis.OWN_TENANT


def _administrator_require(actor: Membership) -> None:
    """Only an administrator of a corporation decides about its duplicates (a 403)."""
    if (
        actor is None
        or actor.role != Membership.Role.BEHEERDER
        or actor.organisation.kind != Organisation.Kind.CORPORATIE
    ):
        raise PermissionDenied


def _locked_pair(actor: Membership, first: Household, second: Household):
    """Both households, locked in the order of their ids (two decisions about one pair take
    turns instead of deadlocking), refused unless both are the actor's own corporation's,
    different, still active and not erased."""
    _administrator_require(actor)
    if first.pk == second.pk:
        raise ValidationError(_("Choose two different households."))
    locked = {
        h.pk: h
        for h in Household.objects.select_for_update()
        .filter(pk__in=[first.pk, second.pk])
        .order_by("pk")
    }
    first, second = locked[first.pk], locked[second.pk]
    if {first.corporation_id, second.corporation_id} != {actor.organisation_id}:
        raise ValidationError(_("Only two households of your own corporation can be merged."))
    for household in (first, second):
        if household.merged_into_id:
            raise ValidationError(
                _("%(address)s was merged into another household already.")
                % {"address": household.address}
            )
        if household.anonymised_at:
            raise ValidationError(
                _("The data of %(household)s was erased; it cannot be merged.")
                % {"household": household.tenancy_reference}
            )
    return first, second


def _log(actor: Membership, household: Household, detail: dict) -> None:
    log_access(
        actor=actor,
        action=AccessLog.Action.UPDATE,
        household=household,
        obj=household,
        detail=detail,
        legal_basis=OWN_TENANT,
    )


def _event(actor: Membership, household: Household, kind: str, at, **data) -> None:
    household_event_add(actor=actor, household=household, kind=kind, at=at, **data)


@transaction.atomic
def households_mark_distinct(
    *, actor: Membership, household: Household, other: Household
) -> DistinctHouseholds:
    """Record that two households are not one (a room let separately, two people of the same
    name and year): they are no longer flagged as each other's duplicate. Who and when is
    kept, in the history of both and in the access log."""
    first, second = _locked_pair(actor, household, other)
    low, high = sorted([first, second], key=lambda h: h.pk)
    if DistinctHouseholds.objects.filter(household=low, other=high).exists():
        raise ValidationError(_("These two households were marked as distinct already."))
    now = timezone.now()
    decision = DistinctHouseholds.objects.create(
        household=low,
        other=high,
        decided_by_id=actor.user_id,
        decided_for_id=actor.organisation_id,
        decided_at=now,
    )
    for this, that in ((low, high), (high, low)):
        _event(actor, this, Kind.MARKED_DISTINCT, now, other=that.pk)
        _log(actor, this, {"distinct_from": that.pk})
    return decision


@dataclass
class MergeResult:
    survivor: Household
    absorbed: Household
    moved: dict[str, int] = field(default_factory=dict)  # per kind of record: how many
    same_people: int = 0  # residents of the absorbed household that were there already


@transaction.atomic
def household_merge(*, actor: Membership, survivor: Household, absorbed: Household) -> MergeResult:
    """Merge `absorbed` into `survivor`: everything about the household follows the survivor
    (each person once); the absorbed household stays as a closed record pointing to it. One
    transaction, both households locked. Refused across corporations, for a household merged
    already or erased, and while both have an open joint case (ADR 0026)."""
    survivor, absorbed = _locked_pair(actor, survivor, absorbed)
    open_cases = JointCase.objects.open().filter(household__in=[survivor, absorbed]).count()
    if open_cases > 1:
        raise ValidationError(
            _(
                "Both households have an open joint case. A household has one joint case at a "
                "time: ask the coordinators to close one of them (its participants can join "
                "the other), then merge."
            )
        )
    now = timezone.now()
    result = MergeResult(survivor=survivor, absorbed=absorbed)
    result.same_people = _residents_merge(survivor, absorbed)
    for label, field_name in FOLLOW_SURVIVOR:
        model = apps.get_model(label)
        moved = model.objects.filter(**{field_name: absorbed}).update(**{field_name: survivor})
        result.moved[model._meta.model_name] = moved
    # Households merged into the absorbed one before now point to the survivor: merged_into
    # always names the household that goes on.
    for label, field_name in REPOINTED:
        apps.get_model(label).objects.filter(**{field_name: absorbed}).update(
            **{field_name: survivor}
        )
    filled = [name for name in ("phone", "email") if not getattr(survivor, name)]
    filled = [name for name in filled if getattr(absorbed, name)]
    for name in filled:
        setattr(survivor, name, getattr(absorbed, name))
    survivor.updated_at = now
    survivor.save(update_fields=["updated_at", *filled])
    absorbed.merged_into = survivor
    absorbed.merged_at = absorbed.updated_at = now
    absorbed.save(update_fields=["merged_into", "merged_at", "updated_at"])
    moved = {**result.moved, "same_people": result.same_people}
    _event(
        actor,
        survivor,
        Kind.HOUSEHOLD_MERGED,
        now,
        absorbed=absorbed.pk,
        tenancy_reference=absorbed.tenancy_reference,
        moved=moved,
        filled=filled,
    )
    _event(
        actor,
        absorbed,
        Kind.HOUSEHOLD_ABSORBED,
        now,
        survivor=survivor.pk,
        tenancy_reference=survivor.tenancy_reference,
    )
    merge = {"survivor": survivor.pk, "absorbed": absorbed.pk}
    _log(actor, survivor, {"merged": merge})
    _log(actor, absorbed, {"merged": merge})
    return result


def _residents_merge(survivor: Household, absorbed: Household) -> int:
    """The absorbed household's residents join the survivor, each person once: one with the
    same name and no other year of birth is the survivor's resident already (it keeps that
    row and takes the year when it had none). The survivor keeps its main tenant; a main
    tenant who joins becomes a co-tenant. Returns how many were there already."""
    kept = list(survivor.residents.select_for_update())
    joining = list(absorbed.residents.select_for_update())
    has_main = any(r.is_main_tenant for r in kept)
    same = 0
    for person in joining:
        twin = next(
            (k for k in kept if same_people([k], [person])),
            None,
        )
        if twin is not None:
            if twin.birth_year is None and person.birth_year is not None:
                twin.birth_year = person.birth_year
            if person.is_main_tenant and not has_main:
                twin.is_main_tenant, twin.is_co_tenant, has_main = True, False, True
            elif person.is_co_tenant and not twin.is_main_tenant:
                twin.is_co_tenant = True
            twin.save(update_fields=["birth_year", "is_main_tenant", "is_co_tenant"])
            person.delete()  # the same person: the survivor's row is theirs
            same += 1
            continue
        if person.is_main_tenant and has_main:
            person.is_main_tenant, person.is_co_tenant = False, True
        has_main = has_main or person.is_main_tenant
        person.household = survivor
        person.save(update_fields=["household", "is_main_tenant", "is_co_tenant"])
        kept.append(person)
    return same
