"""The household's overview under the AVG (art. 15): everything the organisation holds about a
household, as a list of sections, each made by one function. A new kind of data is one more
function in SECTIONS.

What a section shows follows the organisation's view: the corporation holds all of its own
household's data; a partner holds the records of its own work (referrals, cases, notes for it,
consents to it, support packages it requested or pays) and the household's data only while
it is shared (ADR 0008). Who accessed the household is given by organisation, role, action,
basis and date, not by the person's name (ADR 0010). The page, the printable document and the
JSON file are each one access-log row on the basis 'request of the data subject'.

The sections are in sections.py (one function each), what they are made of in base.py."""

from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.access.bases import household_view
from cases.access.log import log_access, log_shown, query_digest
from cases.models import AccessLog, Household
from cases.selectors.avg.base import Context, Section
from cases.selectors.avg.sections import SECTIONS
from cases.selectors.privacy import households_at
from partners.models import Membership

AVG = AccessLog.LegalBasis.AVG_REQUEST


@dataclass
class Overview:
    household: Household
    organisation: str
    own: bool
    visible: bool
    generated_at: object
    sections: list[Section] = field(default_factory=list)

    def as_data(self) -> dict:
        return {
            "about": "AVG art. 15",
            "organisation": self.organisation,
            "household": self.household.pk,
            "generated_at": self.generated_at,
            "sections": [section.as_data() for section in self.sections],
        }


def avg_household_find(*, actor: Membership, query: str) -> list[Household] | None:
    """The households at a typed address that the organisation holds records of (None when
    the text is not an address). Logged as a search, the address as a digest."""
    households = households_at(actor=actor, query=query)
    if households is None:
        return None
    log_shown(
        actor=actor, households=households, detail={"avg": query_digest(query)}, legal_basis=AVG
    )
    return households


def avg_household_get(*, actor: Membership, pk: int) -> Household:
    """A household the organisation holds records of (404 otherwise). Not logged: the
    overview that shows it is."""
    return get_object_or_404(
        Household.objects.held_by(actor.organisation_id).select_related(
            "neighbourhood", "corporation", "merged_into"
        ),
        pk=pk,
    )


def avg_overview(
    *, actor: Membership, pk: int, limit: int | None = None, export: str = ""
) -> Overview:
    """Every section for the household; one access-log row: a view for the page, an export
    (with its format) for the document and the JSON file."""
    household = avg_household_get(actor=actor, pk=pk)
    view = household_view(actor=actor, household=household)
    own, visible = view.own, view.visible
    absorbed = list(Household.objects.filter(merged_into=household).select_related("neighbourhood"))
    context = Context(
        actor=actor,
        household=household,
        own=own,
        visible=visible,
        limit=limit,
        household_ids=[household.pk, *(h.pk for h in absorbed)],
        absorbed=absorbed,
    )
    overview = Overview(
        household=household,
        organisation=actor.organisation.name,
        own=own,
        visible=visible,
        generated_at=timezone.now(),
        sections=[s for s in (make(context) for make in SECTIONS) if s is not None],
    )
    log_access(
        actor=actor,
        action=AccessLog.Action.EXPORT if export else AccessLog.Action.VIEW,
        household=household,
        obj=household,
        detail={"avg": export or "page"},
        legal_basis=AVG,
    )
    return overview


def avg_household_shown(*, actor: Membership, household: Household) -> None:
    """Log that a form page (correction, erasure) showed the household."""
    log_access(
        actor=actor,
        action=AccessLog.Action.VIEW,
        household=household,
        obj=household,
        legal_basis=AVG,
    )
