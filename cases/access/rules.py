"""The rules of access, in one place (ADR 0014). A household's data reaches an organisation by
one of these routes; every list, page, service and the access log ask them through the models'
QuerySets or cases.access.bases, never by a rule of their own.

Route by route (the rule table; tests/cases/access/test_rules.py holds it row by row):

- own tenant: every member of the household's corporation; basis eigen_huurder; always.
- referral: the organisation it was referred to; basis the referral's (toestemming or
  vroegsignalering); while it is sent or accepted and REFERRAL_ACCESS_DAYS_AFTER_CLOSE days
  after it was completed; on consent only while that consent is not withdrawn or ended. A
  referral a partner sent onward (ADR 0023) is one like any other: it rests on the
  household's consent to its receiver and shares only its own signals.
- joint case: a participant that joined on consent; basis toestemming; while the case is open
  and the consent in force.
- emergency: the one person who opened it, for that organisation, on the emergency page only;
  basis noodtoegang; EMERGENCY_ACCESS_HOURS; never a list, search or household page.

- helpers (dragers, ADR 0032): not household data. The members of the organisation that
  registered the helper; a personal link (an agent with channel link) only the one helper it
  is bound to; an API client none.
- requests for informal help and their matches (ADR 0033): a member sees those of the
  households it may see; a helper's personal link only its own helper's live matches and
  their requests, never another's; an API client none.
- a personal link reaches nothing else: no household, signal, referral, case, package,
  agreement or import (`acts_for_organisation` is false for it), whatever its organisation
  sees.

A referral declined or withdrawn before it was accepted gives nothing. A participant that
joined through a referral sees the household through that referral. Where several routes
hold, the basis logged is the first of: own tenant, the latest referral's, consent.

Each rule is a Q-builder: pure (it reads no database and imports no model), so it is tested on
its own and the QuerySets apply it in SQL."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from cases.workflow import (
    MATCH_ACTIVE,
    REFERRAL_OPEN,
    AccessBasis,
    JointCaseStatus,
    LegalBasis,
    ReferralStatus,
)


def _path(prefix: str, field: str) -> str:
    return f"{prefix}__{field}" if prefix else field


def consent_holds_q(*, today: date, prefix: str = "") -> Q:
    """A consent (at `prefix`) not withdrawn and not ended."""
    return Q(**{_path(prefix, "withdrawn_on__isnull"): True}) & (
        Q(**{_path(prefix, "ends_on__isnull"): True}) | Q(**{_path(prefix, "ends_on__gte"): today})
    )


def consent_in_force_q(*, today: date, prefix: str = "") -> Q:
    """A consent (at `prefix`) given by `today`, not withdrawn and not ended."""
    return Q(**{_path(prefix, "given_on__lte"): today}) & consent_holds_q(
        today=today, prefix=prefix
    )


def referral_shares_q(organisation_id: int, *, today: date, closed_after: datetime) -> Q:
    """On Referral: the referrals through which `organisation_id` may see the household now."""
    basis_holds = Q(legal_basis=LegalBasis.VROEGSIGNALERING) | consent_holds_q(
        today=today, prefix="consent"
    )
    in_time = Q(status__in=REFERRAL_OPEN) | Q(
        status=ReferralStatus.AFGEROND, closed_at__gte=closed_after
    )
    return Q(to_organisation_id=organisation_id) & in_time & basis_holds


def participation_on_consent_q(organisation_id: int, *, today: date) -> Q:
    """On CaseParticipant: the organisation's participations in open cases that rest on a
    consent in force."""
    return (
        Q(organisation_id=organisation_id, case__status=JointCaseStatus.OPEN)
        & Q(via_consent__isnull=False)
        & consent_in_force_q(today=today, prefix="via_consent")
    )


def emergency_open_q(*, user_id: int, organisation_id: int, now: datetime) -> Q:
    """On EmergencyAccess: this person's, for this organisation, with its window open now;
    never a colleague's."""
    return Q(user_id=user_id, organisation_id=organisation_id, ends_at__gt=now)


def own_or_shared_q(organisation_id: int, *shares, own: str = "corporation_id") -> Q:
    """Rows of the organisation's own (its corporation's, at `own`), or among `shares`: the
    subqueries (or id sets) of the routes above that reach it. The one form of every door:
    households, their signals, joint cases."""
    q = Q(**{own: organisation_id})
    for share in shares:
        q |= Q(pk__in=share)
    return q


def basis_of(*, own: bool, referral_basis: str | None = None, on_consent: bool = False):
    """The legal basis logged for a household the actor may see: its own tenant, else the basis
    of the latest referral that shares it, else consent through a joint case. None: no basis
    (visible_to shows no such household)."""
    if own:
        return AccessBasis.OWN_TENANT
    if referral_basis is not None:
        return referral_basis
    if on_consent:
        return AccessBasis.CONSENT
    return None


def sharing_window(now: datetime | None = None) -> dict:
    """Today, and the moment after which a completed referral still shares its household."""
    now = now or timezone.now()
    return {
        "today": timezone.localdate(now),
        "closed_after": now - timedelta(days=settings.REFERRAL_ACCESS_DAYS_AFTER_CLOSE),
    }


LINK_CHANNEL = "link"


def is_link(actor) -> bool:
    """A person without an account acting through a personal link (an Agent, ADR 0032)."""
    return getattr(actor, "channel", None) == LINK_CHANNEL


def acts_for_organisation(actor) -> bool:
    """Whether the actor may see what its organisation sees (households and all that hangs on
    them): a member or an API client may; a personal link never, it reaches only its object."""
    return actor is not None and not is_link(actor)


def helper_q(actor) -> Q | None:
    """On Helper: those the actor may see; None for none. The organisation's members see the
    helpers it registered; a personal link only the helper it is bound to; an API client none
    (no scope gives helpers)."""
    if actor is None:
        return None
    if is_link(actor):
        if actor.link_id is None or "aanbod" not in actor.scopes:
            return None
        return Q(organisation_id=actor.organisation_id, links__pk=actor.link_id)
    if getattr(actor, "channel", None) == "api":
        return None
    return Q(organisation_id=actor.organisation_id)


def help_match_q(actor, *, households) -> Q | None:
    """On HelpMatch (ADR 0033): those the actor may see; None for none. A member sees the
    matches of its own organisation's requests of the households it may see (`households`,
    the subquery of Household.objects.visible_to); a helper's personal link only its own
    helper's live matches (proposed, accepted or agreed: a declined or ended one is gone from
    it); an API client none."""
    if actor is None:
        return None
    if is_link(actor):
        if actor.link_id is None or "aanbod" not in actor.scopes:
            return None
        return Q(
            helper__organisation_id=actor.organisation_id,
            helper__links__pk=actor.link_id,
            status__in=MATCH_ACTIVE,
        )
    if getattr(actor, "channel", None) == "api":
        return None
    # Only the organisation that made the request works with it (its helpers are its own; a
    # partner that sees the household sees no request from a signal it was never shared).
    return Q(request__household__in=households, request__organisation_id=actor.organisation_id)


def help_request_q(actor, *, households, proposed) -> Q | None:
    """On HelpRequest (ADR 0033): a member sees its own organisation's requests of the
    households it may see (`households`); a personal link only the requests of its own
    helper's live matches (`proposed`, the request ids of HelpMatch.objects.visible_to); an
    API client none."""
    if help_match_q(actor, households=households) is None:
        return None
    if is_link(actor):
        return Q(pk__in=proposed)
    return Q(household__in=households, organisation_id=actor.organisation_id)
