"""What a helper reads through their personal link of the requests proposed to them (ADR
0033): before both sides agreed only the kind of help, the street (no house number), roughly
when and whether a VOG is needed; once agreed also what is asked, where, the household's first
name and how to reach them. Every view of household data is in the access log, with the link
as the actor and the household's consent to this request as the basis."""

from dataclasses import dataclass

from django.http import Http404

from cases.access.actors import Actor
from cases.access.log import log_access, log_shown
from cases.models import AccessLog, HelpMatch, Resident
from cases.workflow import AccessBasis, DayPart, MatchStatus, Weekday

BASIS = AccessBasis.CONSENT


@dataclass(frozen=True)
class Contact:
    """What the helper learns once both sides agreed."""

    first_name: str
    phone: str
    email: str
    address: str
    description: str
    place: str


@dataclass(frozen=True)
class Proposal:
    """A request as its proposed helper sees it; `contact` is None until agreed."""

    pk: int
    status: str
    status_label: str
    kind_label: str
    street: str
    days: list[str]
    day_parts: list[str]
    needs_vog: bool
    contact: Contact | None


def _labels(choices, values) -> list[str]:
    labels = dict(choices.choices)
    return [str(labels[value]) for value in values if value in labels]


def _first_names(household_ids) -> dict[int, str]:
    """The first word of each household's first resident's name (main tenant first): one
    query, read only for agreed matches."""
    names = {}
    for household_id, name in Resident.objects.filter(household_id__in=household_ids).values_list(
        "household_id", "name"
    ):
        names.setdefault(household_id, (name.split() or [""])[0])
    return names


def _proposals(matches: list[HelpMatch]) -> list[Proposal]:
    agreed = {m.request.household_id for m in matches if m.status == MatchStatus.AGREED}
    names = _first_names(agreed) if agreed else {}
    proposals = []
    for match in matches:
        request, household = match.request, match.request.household
        contact = None
        if match.status == MatchStatus.AGREED:
            contact = Contact(
                first_name=names.get(household.pk, ""),
                phone=household.phone,
                email=household.email,
                address=household.address,
                description=request.description,
                place=request.place,
            )
        proposals.append(
            Proposal(
                pk=match.pk,
                status=match.status,
                status_label=match.get_status_display(),
                kind_label=request.get_kind_display(),
                street=household.street,
                days=_labels(Weekday, request.days),
                day_parts=_labels(DayPart, request.day_parts),
                needs_vog=request.needs_vog,
                contact=contact,
            )
        )
    return proposals


def _matches(actor: Actor):
    return HelpMatch.objects.visible_to(actor).select_related("request__household")


def link_proposals(*, actor: Actor) -> list[Proposal]:
    """The live matches of the link's helper, newest first; logged as one search row per
    household shown (one INSERT). A constant number of queries."""
    matches = list(_matches(actor))
    log_shown(
        actor=actor,
        households=[match.request.household for match in matches],
        detail={"matches": [match.pk for match in matches]},
        legal_basis=BASIS,
    )
    return _proposals(matches)


def link_proposal(*, actor: Actor, pk: int) -> Proposal:
    """One live match of the link's helper (404 otherwise); the read is logged."""
    match = _matches(actor).filter(pk=pk).first()
    if match is None:
        raise Http404
    log_access(
        actor=actor,
        action=AccessLog.Action.VIEW,
        household=match.request.household,
        obj=match,
        legal_basis=BASIS,
    )
    return _proposals([match])[0]


def link_match_get(*, actor: Actor, pk: int) -> HelpMatch:
    """A live match of the link's helper to act on (404 otherwise). Not logged: the step is."""
    match = _matches(actor).filter(pk=pk).first()
    if match is None:
        raise Http404
    return match
