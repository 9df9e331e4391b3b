"""Reads of support packages: a household's, the paying organisation's inbox, one package, and
who may pay; each starts from SupportPackage.objects.visible_to(actor) and is logged."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from cases.access.bases import DECIDERS, payer_choices
from cases.access.log import log_access, log_shown
from cases.models import AccessLog, Household, SupportPackage
from cases.workflow import PackageStatus
from partners.models import Membership, Organisation

INBOXES = ("te-beslissen", "te-leveren", "alle")


def _base(actor: Membership) -> QuerySet:
    return SupportPackage.objects.visible_to(actor).select_related(
        "household",
        "paying_organisation",
        "requested_for",
        "requested_by",
        "decided_by",
        "delivered_by",
    )


def _mark(actor: Membership, packages: list, *, visible: set[int] | None = None) -> list:
    """What the actor may see of and do with each package."""
    if visible is None:
        ids = {p.household_id for p in packages}
        visible = set(
            Household.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True)
        )
    worker = actor.role == Membership.Role.MEDEWERKER
    org = actor.organisation_id
    for package in packages:
        package.household_visible = worker and package.household_id in visible
        package.can_decide = (
            package.status == PackageStatus.AANGEVRAAGD
            and package.paying_organisation_id == org
            and actor.role in DECIDERS
            and package.requested_by_id != actor.user_id
        )
        package.can_deliver = (
            package.status == PackageStatus.GOEDGEKEURD
            and org in (package.paying_organisation_id, package.requested_for_id)
            and worker
        )
    return packages


def household_packages(*, actor: Membership, household: Household) -> list[SupportPackage]:
    """The household's packages the actor's organisation may see. Not logged: the page that
    shows them logs the read of the household."""
    packages = list(_base(actor).filter(household=household).order_by("-requested_at", "-pk"))
    return _mark(actor, packages, visible={household.pk})


def inbox_packages(*, actor: Membership, box: str) -> QuerySet:
    """Packages for the actor's organisation to decide (it pays), to deliver, or all it may
    see. The inbox and the start page's count both read this, so a count is its list."""
    packages = _base(actor)
    org = actor.organisation_id
    if box == "te-beslissen":
        return packages.filter(paying_organisation_id=org, status=PackageStatus.AANGEVRAAGD)
    if box == "te-leveren":
        return packages.filter(status=PackageStatus.GOEDGEKEURD).filter(
            Q(paying_organisation_id=org) | Q(requested_for_id=org)
        )
    return packages


def package_inbox(*, actor: Membership, box: str) -> list[SupportPackage]:
    """One of the inbox's lists (inbox_packages); one access-log row naming the households
    shown."""
    packages = inbox_packages(actor=actor, box=box)
    result = _mark(actor, list(packages.order_by("-requested_at", "-pk")[:200]))
    log_shown(
        actor=actor,
        households=[p.household for p in result if p.household_visible],
        detail={"packages": box, "shown": [p.pk for p in result]},
    )
    return result


def package_get(*, actor: Membership, pk: int, log: bool = True) -> SupportPackage:
    """One package the actor's organisation may see (404 otherwise); the read is logged, with
    the household when the page shows it."""
    package = get_object_or_404(_base(actor), pk=pk)
    _mark(actor, [package])
    if log:
        shown = package.household_visible
        log_access(
            actor=actor,
            action=AccessLog.Action.VIEW,
            household=package.household if shown else None,
            obj=package,
        )
    return package


def payer_organisations(*, actor: Membership, household: Household) -> QuerySet:
    """The organisations the actor may choose to pay for a package of this household."""
    return Organisation.objects.filter(
        pk__in=payer_choices(actor=actor, household=household)
    ).order_by("name")
