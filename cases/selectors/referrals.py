"""Reads of referrals: inbox, outbox and one referral, through visible_to and the access log."""

from django.db.models import Case, Q, QuerySet, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access.bases import onward_source_holds, visible_bases
from cases.access.log import log_access, log_shown
from cases.models import AccessLog, Agreement, HouseholdEvent, Referral, Signal
from cases.workflow import OPEN_STATUSES, REFERRAL_OPEN, ReferralStatus
from inclusie.pagination import CappedPaginator
from partners.models import Membership, Organisation, User

INBOXES = ("nieuw", "mijn", "vandaag", "te-laat", "alle")


# The referral's free text: what the sender wrote and what the receiver answered. It speaks of
# the household, so it is shared exactly as long as the household is (cases.access.rules).
FREE_TEXT = ("message", "outcome_note", "decline_reason")


def _withhold_free_text(referral: Referral) -> None:
    """Once the household is no longer shared with the actor's organisation, its people still
    see that the referral existed, its status and dates, but none of its free text: it is
    emptied on the object the page gets (never saved; services read the referral anew)."""
    referral.text_withheld = not referral.household_visible and any(
        getattr(referral, name) for name in FREE_TEXT
    )
    if not referral.household_visible:
        for name in FREE_TEXT:
            setattr(referral, name, "")


def _mark_visible(actor: Membership, referrals: list[Referral]) -> dict[int, str]:
    """Mark which referrals may still show their household: a receiver loses the household's
    data when the sharing ends (period passed, consent withdrawn); the referral stays listed.
    Returns the legal basis of each household that may be shown, for the access log (one
    query: visible_bases)."""
    bases = visible_bases(actor=actor, households={r.household for r in referrals})
    for referral in referrals:
        referral.household_visible = referral.household_id in bases
    return bases


# What a list of referrals shows (cases/_referral_item.html); the rest is read on the referral's
# own page. A list of 25 reads a third of the time it would with every column.
LISTED = (
    "household_id", "from_organisation_id", "to_organisation_id", "status", "outcome",
    "sent_at", "deadline", "assigned_to_id", "version",
    "household__street", "household__house_number", "household__house_number_addition",
    "household__corporation_id",
    "from_organisation__name", "to_organisation__name", "assigned_to__name",
)  # fmt: skip


def _base(actor: Membership) -> QuerySet:
    return Referral.objects.visible_to(actor).select_related(
        "household", "from_organisation", "to_organisation", "assigned_to", "sent_by"
    )


def inbox_referrals(*, actor: Membership, box: str) -> QuerySet:
    """The referrals to the actor's organisation in one list of the inbox: new (not answered),
    assigned to the actor, answer due today, overdue (not answered past the deadline), or all.
    The inbox pages and the start page's counts both read this, so a count is its list."""
    referrals = Referral.objects.visible_to(actor).filter(to_organisation_id=actor.organisation_id)
    if box == "nieuw":
        return referrals.filter(status=ReferralStatus.VERZONDEN)
    if box == "mijn":
        return referrals.open().filter(
            Q(assigned_to_id=actor.user_id)
            | Q(to_person_id=actor.user_id, assigned_to__isnull=True)
        )
    if box == "vandaag":
        return referrals.filter(status=ReferralStatus.VERZONDEN, deadline=timezone.localdate())
    if box == "te-laat":
        return referrals.filter(status=ReferralStatus.VERZONDEN, deadline__lt=timezone.localdate())
    return referrals


def referral_inbox(*, actor: Membership, box: str, page: str | None = None, per_page: int = 25):
    """One page of the referrals to the actor's organisation in one of the inbox's lists
    (inbox_referrals), the nearest deadline first."""
    referrals = inbox_referrals(actor=actor, box=box)
    return _listed(actor, referrals.order_by("deadline", "pk"), page, per_page, box)


def referral_received_page(
    *, actor: Membership, status: str = "", page: int | str | None = None, per_page: int = 25
):
    """One page of the referrals to the actor's organisation, of one status or all, the
    nearest deadline first (the API's list, ADR 0025)."""
    referrals = inbox_referrals(actor=actor, box="alle")
    if status:
        referrals = referrals.filter(status=status)
    return _listed(actor, referrals.order_by("deadline", "pk"), page, per_page, status or "alle")


def referral_outbox(*, actor: Membership, page: str | None = None, per_page: int = 25):
    """One page of the referrals the actor's organisation sent, newest first."""
    referrals = _base(actor).filter(from_organisation_id=actor.organisation_id)
    return _listed(actor, referrals.order_by("-sent_at", "-pk"), page, per_page, "verstuurd")


def _listed(actor, referrals: QuerySet, page, per_page: int, box: str):
    """One page of a list of referrals, each marked whether it may show its household, and
    in the access log one row per household it showed, on that household's basis. Reads only
    the columns a list shows."""
    listed = referrals.select_related(None).select_related(
        "household", "from_organisation", "to_organisation", "assigned_to"
    )
    result = CappedPaginator(listed.only(*LISTED), per_page).get_page(page)
    result.object_list = list(result.object_list)
    bases = _mark_visible(actor, result.object_list)
    log_shown(
        actor=actor,
        households=[r.household for r in result.object_list if r.household_visible],
        detail={"referrals": box},
        bases=bases,
    )
    return result


def household_referrals(*, actor: Membership, household, limit: int = 20) -> list[Referral]:
    """The referrals of a household the actor's organisation sent or received, the open ones
    first, for the household page (which logs its read of the household)."""
    referrals = list(
        Referral.objects.visible_to(actor)
        .filter(household=household)
        .select_related("household", "from_organisation", "to_organisation", "assigned_to")
        .only(*LISTED)
        .order_by(Case(When(status__in=REFERRAL_OPEN, then=0), default=1), "-sent_at", "-pk")[
            :limit
        ]
    )
    for referral in referrals:
        referral.household_visible = True
        referral.outgoing = referral.from_organisation_id == actor.organisation_id
    return referrals


def referral_get(
    *, actor: Membership, pk: int, log: bool = True, received: bool = False
) -> Referral:
    """One referral the actor's organisation sent or received, or with `received` only one it
    received (404 otherwise)."""
    referrals = _base(actor).select_related("consent")
    if received:
        referrals = referrals.filter(to_organisation_id=actor.organisation_id)
    referral = get_object_or_404(referrals, pk=pk)
    _mark_visible(actor, [referral])
    _withhold_free_text(referral)
    if log:
        own = referral.household.corporation_id == actor.organisation_id
        shown = referral.household_visible
        log_access(
            actor=actor,
            action=AccessLog.Action.VIEW,
            household=referral.household if shown else None,
            obj=referral,
            legal_basis=(None if own else referral.legal_basis) if shown else None,
        )
    return referral


def referral_changed_by(referral: Referral) -> str:
    """Who last answered or closed the referral: the person, or the system (an agent has no
    person: its name is in the history, ADR 0024). Empty when nobody did yet."""
    person = referral.responded_by or referral.closed_by
    if person is not None:
        return person.name
    if referral.responded_at is None and referral.closed_at is None:
        return ""
    event = (
        HouseholdEvent.objects.filter(referral=referral, data__has_key="agent")
        .exclude(kind=HouseholdEvent.Kind.SIGNAL_STATUS_CHANGED)
        .order_by("-at", "-pk")
        .first()
    )
    return event.data["agent"] if event is not None else ""


def referral_changed_message(referral: Referral) -> str:
    """What a person or system is told whose version of the referral is no longer its version:
    what it is now, and by whom."""
    who = referral_changed_by(referral)
    return _("Meanwhile this referral changed: it is now ‘%(status)s’%(who)s. Check it again.") % {
        "status": referral.get_status_display(),
        "who": _(" (by %(name)s)") % {"name": who} if who else "",
    }


def referral_signals(*, referral: Referral) -> list[Signal]:
    """The signals of this referral only: never the household's others."""
    return list(referral.signals.select_related("category"))


def referral_partners(*, actor: Membership) -> QuerySet:
    """Organisations the actor's organisation has an agreement in force with."""
    agreements = Agreement.objects.in_force().visible_to(actor)
    ids = {pk for pair in agreements.values_list("first_id", "second_id") for pk in pair}
    ids.discard(actor.organisation_id)
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def referral_people(*, actor: Membership) -> QuerySet:
    """Workers of the organisations the actor may refer to, to name one as the receiver."""
    return (
        Membership.objects.active()
        .filter(organisation__in=referral_partners(actor=actor), role=Membership.Role.MEDEWERKER)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__name")
    )


def referable_signals(*, actor: Membership, household) -> QuerySet:
    """Open signals of the household that are not already in an open referral."""
    busy = Referral.objects.open().values("signals")
    return (
        Signal.objects.visible_to(actor)
        .filter(household=household, status__in=OPEN_STATUSES)
        .exclude(pk__in=busy)
        .select_related("category")
    )


# --- referring onward (ADR 0023) ----------------------------------------------------------------


def may_refer_onward(*, actor: Membership, referral: Referral) -> bool:
    """The actor's organisation accepted this referral and may refer its household onward."""
    return onward_source_holds(actor=actor, referral=referral)


def onward_partners(*, actor: Membership, household) -> QuerySet:
    """The partners the actor may refer a household onward to: those it has an agreement in
    force with, but not the household's corporation, which has the household already."""
    return referral_partners(actor=actor).exclude(pk=household.corporation_id)


def onward_people(*, actor: Membership, household) -> QuerySet:
    return referral_people(actor=actor).exclude(organisation_id=household.corporation_id)


def onward_signals(*, referral: Referral) -> QuerySet:
    """The open signals of the referral the actor accepted that no other open referral holds
    (the chain it came through aside): only what the actor's organisation sees itself."""
    chain = {referral.pk, *(link.pk for link in referral.chain())}
    busy = Referral.objects.open().exclude(pk__in=chain).values("signals")
    return (
        referral.signals.filter(status__in=OPEN_STATUSES)
        .exclude(pk__in=busy)
        .select_related("category")
    )


def referral_chain(*, actor: Membership, referral: Referral) -> list[dict]:
    """Where an onward referral came from, nearest first: the organisations and the day of
    each earlier referral, never their messages, signals or outcome; `url` only where the
    actor's organisation sent or received that referral and may open it."""
    org = actor.organisation_id
    return [
        {
            "from": link.from_organisation.name,
            "to": link.to_organisation.name,
            "sent_at": link.sent_at,
            "pk": link.pk if org in (link.from_organisation_id, link.to_organisation_id) else None,
        }
        for link in referral.chain()
    ]


def onward_referrals(*, actor: Membership, referral: Referral) -> list[Referral]:
    """The referrals the actor's organisation referred onward from this one: only its own, so
    the organisation that sent this referral does not see where it went next."""
    return list(
        Referral.objects.filter(via_referral=referral, from_organisation_id=actor.organisation_id)
        .select_related("to_organisation")
        .order_by("-sent_at", "-pk")
    )


def colleagues(*, actor: Membership) -> QuerySet:
    return User.objects.filter(
        Q(memberships__organisation_id=actor.organisation_id)
        & Q(memberships__ended_at__isnull=True)
    ).distinct()
