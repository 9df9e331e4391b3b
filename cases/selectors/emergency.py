"""Reads of emergency access (noodtoegang, ADR 0010): the privacy officer's list, the one door
outside visible_to (finding the household at an address, before anything of it is shown), and
what the worker sees while the window is open."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.shortcuts import get_object_or_404

from cases.access.log import log_access, log_shown, query_digest
from cases.models import AccessLog, EmergencyAccess, Household, JointCase, Referral, Signal
from cases.selectors.privacy import audit_read, visible_households
from cases.validators import bare_addition
from partners.models import Membership


@dataclass
class EmergencyEntry:
    access: EmergencyAccess
    person: str
    household: Household | None


def emergency_accesses(*, actor: Membership, limit: int = 100) -> list[EmergencyEntry]:
    """The latest emergency accesses by the organisation's people or to its households."""
    org = actor.organisation_id
    accesses = list(
        EmergencyAccess.objects.filter(Q(organisation_id=org) | Q(household__corporation_id=org))
        .select_related("user", "organisation")
        .order_by("-started_at", "-pk")[:limit]
    )
    shown = visible_households(actor, [a.household_id for a in accesses])
    audit_read(actor, what="emergency", detail={}, households=[a.household_id for a in accesses])
    return [
        EmergencyEntry(
            access=access,
            person=access.user.name if access.organisation_id == org else "",
            household=shown.get(access.household_id),
        )
        for access in accesses
    ]


def emergency_access_get(*, actor: Membership, pk: int) -> EmergencyAccess:
    """The worker's own emergency access (404 for anyone else's). Not logged: its page is."""
    return get_object_or_404(
        EmergencyAccess.objects.select_related("household"),
        pk=pk,
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
    )


def emergency_household_at(*, postcode: str, house_number: int, addition: str) -> list[Household]:
    """Every household at the address, whichever corporation's: emergency access is the one
    door outside visible_to. Nothing of the household is shown before the access is opened
    (with its reason and its log row)."""
    households = Household.objects.filter(
        postcode=postcode, house_number=house_number, anonymised_at__isnull=True
    )
    if addition:
        wanted = bare_addition(addition)
        return [h for h in households if bare_addition(h.house_number_addition) == wanted]
    return list(households)


def emergency_lookup(
    *, actor: Membership, postcode: str, house_number: int, addition: str
) -> Household | None:
    """The household an emergency access may open at the address, or None: nothing there,
    several households, or one the actor can see already. The caller gives one neutral answer
    for all three, so the look-up is no oracle of other corporations' tenancies. Every look-up
    is logged: a search on the emergency basis naming the households found (one row each, so
    their corporations see it), what was typed as a digest (ADR 0010)."""
    found = emergency_household_at(postcode=postcode, house_number=house_number, addition=addition)
    detail = {"emergency": query_digest(f"{postcode} {house_number} {addition}")}
    if found:
        log_shown(
            actor=actor,
            households=found,
            detail=detail,
            legal_basis=AccessLog.LegalBasis.EMERGENCY,
        )
    else:
        log_access(
            actor=actor,
            action=AccessLog.Action.SEARCH,
            detail={**detail, "households": []},
            legal_basis=AccessLog.LegalBasis.EMERGENCY,
        )
    if len(found) != 1 or Household.objects.visible_to(actor).filter(pk=found[0].pk).exists():
        return None
    return found[0]


@dataclass
class EmergencyPage:
    access: EmergencyAccess
    open: bool
    household: Household | None = None
    residents: list = field(default_factory=list)
    open_signals: list = field(default_factory=list)
    partners: list = field(default_factory=list)


def emergency_page(*, actor: Membership, pk: int) -> EmergencyPage:
    """What an emergency access shows while its window is open, and nothing more: the address,
    contact data, residents, the categories of open signals and who works with the household;
    one access-log row on the emergency basis. Read through `in_emergency_for`, never
    visible_to (ADR 0010)."""
    access = emergency_access_get(actor=actor, pk=pk)
    household = (
        Household.objects.in_emergency_for(actor)
        .select_related("corporation", "neighbourhood")
        .filter(pk=access.household_id)
        .first()
    )
    if not access.is_open or household is None:
        return EmergencyPage(access=access, open=False)
    log_access(
        actor=actor,
        action=AccessLog.Action.VIEW,
        household=household,
        obj=access,
        legal_basis=AccessLog.LegalBasis.EMERGENCY,
    )
    referrals = Referral.objects.open().filter(household=household)
    partners = {household.corporation.name}
    partners |= set(referrals.values_list("to_organisation__name", flat=True))
    partners |= set(
        JointCase.objects.open()
        .filter(household=household)
        .values_list("participants__organisation__name", flat=True)
    )
    return EmergencyPage(
        access=access,
        open=True,
        household=household,
        residents=list(household.residents.all()),
        open_signals=list(
            Signal.objects.open().filter(household=household).select_related("category")
        ),
        partners=sorted(name for name in partners if name),
    )
