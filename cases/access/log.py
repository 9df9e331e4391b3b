"""Writing the access log (NEN 7513). Every read, search, export and change of household data
goes through here, inside the request's transaction (ATOMIC_REQUESTS), with the legal basis
that cases.access.bases gives."""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.crypto import salted_hmac

from cases.access.actors import Actor, Agent
from cases.access.bases import legal_bases_for, legal_basis_for
from cases.models import AccessLog, Household

Action = AccessLog.Action
LegalBasis = AccessLog.LegalBasis
Channel = AccessLog.Channel


def query_digest(query: str) -> str:
    """What the log keeps of a typed search: a keyed digest, never the text, so a name or an
    address searched for does not outlive the household's erasure in an append-only table. The
    same words (in any case or spacing) give the same digest (ADR 0010)."""
    normalised = " ".join(query.lower().split())
    if not normalised:
        return ""
    return salted_hmac("cases.access_log.query", normalised).hexdigest()[:32]


def _who(actor: Actor) -> dict:
    """Who acted, as the log records it (ADR 0024): a person on the web pages, or an agent (an
    API client, a personal link) by its reference and its name as it is now."""
    if isinstance(actor, Agent):
        return {
            "user_id": None,
            "role": "",
            "channel": actor.channel,
            "agent": actor.reference,
            "agent_name": actor.name[:200],
        }
    return {"user_id": actor.user_id, "role": actor.role, "channel": Channel.WEB}


def _row(*, actor, action, household=None, obj=None, detail=None, legal_basis=None) -> AccessLog:
    return AccessLog(
        **_who(actor),
        organisation_id=actor.organisation_id,
        household=household,
        household_corporation_id=household.corporation_id if household is not None else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        legal_basis=legal_basis or legal_basis_for(actor=actor, household=household),
        origin=getattr(actor, "origin", "") or "",
        detail=detail or {},
    )


def log_access(
    *,
    actor: Actor,
    action: str,
    household: Household | None = None,
    obj=None,
    detail: dict | None = None,
    legal_basis: str | None = None,
) -> AccessLog:
    """Write one access-log row for the actor's read, search, export or change. A search names
    the households it showed in `detail` and gives its legal basis."""
    row = _row(
        actor=actor,
        action=action,
        household=household,
        obj=obj,
        detail=detail,
        legal_basis=legal_basis,
    )
    row.save()
    return row


def log_access_many(
    *, actor: Actor, action: str, households: Iterable[Household], detail: dict | None = None
) -> int:
    """One row per household, in batches (imports touch tens of thousands at once)."""
    rows = [
        _row(actor=actor, action=action, household=household, obj=household, detail=detail)
        for household in households
    ]
    AccessLog.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def log_shown(
    *,
    actor: Actor,
    households: Iterable[Household],
    detail: dict,
    legal_basis: str | None = None,
    bases: dict[int, str] | None = None,
) -> int:
    """A search or list page: one "search" row per household it showed, each with its own
    legal basis and the page's filters in `detail`, so the household's log, its AVG overview
    and its corporation's viewer find it (ADR 0006). One INSERT for the page, rows sharing
    one time. A page that showed no household writes one row without a household. The
    bases are looked up unless the page knows them: one `legal_basis` for all, or `bases`
    per household from visible_bases."""
    if legal_basis and bases is not None:
        raise ValueError("give one legal_basis for all or bases per household, not both")
    households = list({h.pk: h for h in households}.values())
    if not households:
        log_access(
            actor=actor,
            action=Action.SEARCH,
            detail={**detail, "households": []},
            legal_basis=LegalBasis.NONE,
        )
        return 1
    if legal_basis:
        bases = {h.pk: legal_basis for h in households}
    elif bases is None:
        bases = legal_bases_for(actor=actor, households=households)
    now = timezone.now()
    rows = []
    for household in households:
        row = _row(
            actor=actor,
            action=Action.SEARCH,
            household=household,
            detail=detail,
            legal_basis=bases[household.pk],
        )
        row.at = now
        rows.append(row)
    AccessLog.objects.bulk_create(rows)
    return len(rows)


def log_installation(*, action: str, detail: dict, origin: str) -> AccessLog:
    """A row the installation writes about itself, run by the operator rather than on behalf
    of an organisation (the removal of rows past the log's term, ADR 0017): no person, no
    organisation, no household; `origin` names the command."""
    row = AccessLog(
        user=None,
        role="",
        organisation=None,
        channel=Channel.INSTALLATION,
        action=action,
        legal_basis=LegalBasis.NONE,
        origin=origin,
        detail=detail,
    )
    row.save()
    return row
