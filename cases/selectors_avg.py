"""The household's overview under the AVG (art. 15): everything the organisation holds about a
household, as a list of sections, each made by one function. A new kind of data (support
packages, for example) is one more function in SECTIONS.

What a section shows follows the organisation's view: the corporation holds all of its own
household's data; a partner holds the records of its own work (referrals, cases, notes for it,
consents to it) and the household's data only while it is shared (ADR 0008). Who accessed the
household is given by organisation, role, action, basis and date, not by the person's name
(ADR 0010). The page, the printable document and the JSON file are each one access-log row on
the basis 'request of the data subject'."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.access_log import log_access, query_digest
from cases.labels import change_label
from cases.models import (
    AccessLog,
    CaseAction,
    CaseNote,
    Consent,
    EmergencyAccess,
    HomeVisit,
    Household,
    HouseholdEvent,
    JointCase,
    Referral,
    Signal,
)
from cases.models.history import FREE_TEXT_KEYS
from cases.selectors_privacy import households_at
from partners.models import Membership

AVG = AccessLog.LegalBasis.AVG_REQUEST


@dataclass
class Context:
    actor: Membership
    household: Household
    own: bool  # the household is the organisation's own tenant
    visible: bool  # the organisation may see the household's data now
    limit: int | None  # rows per section on the page; None: all (the export)


@dataclass
class Section:
    key: str
    title: str
    fields: list[tuple[str, str]]  # (key, label) of each column
    rows: list[dict]
    total: int = 0
    note: str = ""

    @property
    def more(self) -> int:
        return self.total - len(self.rows)

    @property
    def table(self) -> list[list[tuple[str, str]]]:
        """Each row as (label, text) per column, formatted once here: a document of tens of
        thousands of rows renders without a template filter per cell."""
        labels = [label for _key, label in self.fields]
        keys = [key for key, _label in self.fields]
        return [
            list(zip(labels, (display(row.get(key)) for key in keys), strict=True))
            for row in self.rows
        ]

    def as_data(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "fields": dict(self.fields),
            "rows": self.rows,
            "note": self.note,
        }


def display(value) -> str:
    """A value as a person reads it: dates in words, yes or no, nothing for nothing."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, date):
        return date_format(value, "j F Y")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _rows(context: Context, queryset, build: Callable) -> tuple[list[dict], int]:
    total = queryset.count()
    items = queryset if context.limit is None else queryset[: context.limit]
    return [build(item) for item in items], total


def _section(key, title, fields, context, queryset, build, note="") -> Section:
    rows, total = _rows(context, queryset, build)
    return Section(key=key, title=str(title), fields=fields, rows=rows, total=total, note=note)


def _f(*pairs) -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in pairs]


def _labels(field) -> Callable[[str], str]:
    """A field's choice labels, translated once per section (get_FOO_display() per row costs
    seconds on a long history)."""
    labels = {value: str(label) for value, label in field.choices}
    return lambda value: labels.get(value, value or "")


# --- the sections --------------------------------------------------------------------------


def household_section(context: Context) -> Section:
    fields = _f(
        ("address", gettext_lazy("Address")),
        ("postcode", gettext_lazy("Postcode")),
        ("town", gettext_lazy("Town")),
        ("neighbourhood", gettext_lazy("Neighbourhood")),
        ("tenancy_reference", gettext_lazy("Tenancy reference")),
        ("phone", gettext_lazy("Phone")),
        ("email", gettext_lazy("E-mail address")),
        ("registered", gettext_lazy("Registered")),
        ("anonymised", gettext_lazy("Erased")),
    )
    title = gettext_lazy("Household")
    if not context.visible:
        note = _("Your organisation no longer holds this household's address or contact data.")
        return Section("household", str(title), fields, [], note=note)
    household = context.household
    row = {
        "address": f"{household.street} {household.house_number_display}".strip(),
        "postcode": household.postcode,
        "town": household.town,
        "neighbourhood": household.neighbourhood.name,
        "tenancy_reference": household.tenancy_reference if context.own else "",
        "phone": household.phone,
        "email": household.email,
        "registered": household.created_at,
        "anonymised": household.anonymised_at,
    }
    return Section("household", str(title), fields, [row], total=1)


def residents_section(context: Context) -> Section | None:
    if not context.visible:
        return None
    return _section(
        "residents",
        gettext_lazy("Residents"),
        _f(
            ("name", gettext_lazy("Name")),
            ("birth_year", gettext_lazy("Year of birth")),
            ("main_tenant", gettext_lazy("Main tenant")),
        ),
        context,
        context.household.residents.order_by("-is_main_tenant", "name", "pk"),
        lambda r: {"name": r.name, "birth_year": r.birth_year, "main_tenant": r.is_main_tenant},
    )


def visits_section(context: Context) -> Section | None:
    if not context.own:
        return None  # home visits are the corporation's own work
    kind, outcome = _labels(HomeVisit.kind.field), _labels(HomeVisit.outcome.field)
    return _section(
        "visits",
        gettext_lazy("Home visits"),
        _f(
            ("visited_on", gettext_lazy("Date")),
            ("kind", gettext_lazy("Kind of visit")),
            ("outcome", gettext_lazy("Outcome")),
            ("notes", gettext_lazy("Notes")),
            ("organisation", gettext_lazy("Organisation")),
        ),
        context,
        HomeVisit.objects.filter(household=context.household)
        .select_related("organisation")
        .order_by("-visited_on", "-pk"),
        lambda v: {
            "visited_on": v.visited_on,
            "kind": kind(v.kind),
            "outcome": outcome(v.outcome),
            "notes": v.notes,
            "organisation": v.organisation.name,
        },
    )


def signals_section(context: Context) -> Section:
    severity, status = _labels(Signal.severity.field), _labels(Signal.status.field)
    return _section(
        "signals",
        gettext_lazy("Signals"),
        _f(
            ("opened", gettext_lazy("Opened")),
            ("category", gettext_lazy("Category")),
            ("severity", gettext_lazy("Severity")),
            ("description", gettext_lazy("Short description")),
            ("status", gettext_lazy("Status")),
            ("reason", gettext_lazy("Reason")),
            ("follow_up_on", gettext_lazy("Follow-up date")),
        ),
        context,
        Signal.objects.visible_to(context.actor)
        .filter(household=context.household)
        .select_related("category")
        .order_by("-created_at", "-pk"),
        lambda s: {
            "opened": s.created_at,
            "category": s.category.name,
            "severity": severity(s.severity),
            "description": s.description,
            "status": status(s.status),
            "reason": s.closed_reason,
            "follow_up_on": s.follow_up_on,
        },
    )


def consents_section(context: Context) -> Section:
    given = _labels(Consent.given_how.field)
    consents = Consent.objects.filter(household=context.household)
    if not context.own:
        consents = consents.filter(receiving_organisation_id=context.actor.organisation_id)
    return _section(
        "consents",
        gettext_lazy("Consents"),
        _f(
            ("given_on", gettext_lazy("Date")),
            ("to", gettext_lazy("To")),
            ("purpose", gettext_lazy("Purpose")),
            ("given", gettext_lazy("Given")),
            ("ends_on", gettext_lazy("End date")),
            ("withdrawn_on", gettext_lazy("Withdrawn on")),
        ),
        context,
        consents.select_related("receiving_organisation").order_by("-given_on", "-pk"),
        lambda c: {
            "given_on": c.given_on,
            "to": c.receiving_organisation.name,
            "purpose": c.purpose,
            "given": given(c.given_how),
            "ends_on": c.ends_on,
            "withdrawn_on": c.withdrawn_on,
        },
    )


def referrals_section(context: Context) -> Section:
    basis, status = _labels(Referral.legal_basis.field), _labels(Referral.status.field)
    outcome = _labels(Referral.outcome.field)
    return _section(
        "referrals",
        gettext_lazy("Referrals"),
        _f(
            ("sent_at", gettext_lazy("Sent")),
            ("from", gettext_lazy("From")),
            ("to", gettext_lazy("To")),
            ("legal_basis", gettext_lazy("Legal basis")),
            ("status", gettext_lazy("Status")),
            ("message", gettext_lazy("Message")),
            ("decline_reason", gettext_lazy("Reason for declining")),
            ("outcome", gettext_lazy("Outcome")),
            ("outcome_note", gettext_lazy("About the outcome")),
            ("closed_at", gettext_lazy("Closed")),
        ),
        context,
        Referral.objects.visible_to(context.actor)
        .filter(household=context.household)
        .select_related("from_organisation", "to_organisation")
        .order_by("-sent_at", "-pk"),
        lambda r: {
            "sent_at": r.sent_at,
            "from": r.from_organisation.name,
            "to": r.to_organisation.name,
            "legal_basis": basis(r.legal_basis),
            "status": status(r.status),
            "message": r.message,
            "decline_reason": r.decline_reason,
            "outcome": outcome(r.outcome),
            "outcome_note": r.outcome_note,
            "closed_at": r.closed_at,
        },
    )


def _cases(context: Context):
    cases = JointCase.objects.filter(household=context.household)
    if not context.own:
        cases = cases.filter(participants__organisation_id=context.actor.organisation_id)
    return cases


def joint_cases_section(context: Context) -> Section:
    status = _labels(JointCase.status.field)
    return _section(
        "joint_cases",
        gettext_lazy("Joint cases"),
        _f(
            ("opened_at", gettext_lazy("Opened")),
            ("coordinator", gettext_lazy("Coordinating organisation")),
            ("participants", gettext_lazy("Participating organisations")),
            ("status", gettext_lazy("Status")),
            ("closed_at", gettext_lazy("Closed")),
            ("closing_summary", gettext_lazy("Closing summary")),
        ),
        context,
        _cases(context)
        .select_related("coordinator_organisation")
        .prefetch_related("participants__organisation")
        .order_by("-opened_at", "-pk"),
        lambda c: {
            "opened_at": c.opened_at,
            "coordinator": c.coordinator_organisation.name,
            "participants": ", ".join(p.organisation.name for p in c.participants.all()),
            "status": status(c.status),
            "closed_at": c.closed_at,
            "closing_summary": c.closing_summary,
        },
    )


def case_actions_section(context: Context) -> Section:
    return _section(
        "case_actions",
        gettext_lazy("Action plans"),
        _f(
            ("description", gettext_lazy("Action")),
            ("organisation", gettext_lazy("Organisation")),
            ("due_on", gettext_lazy("Due date")),
            ("done_at", gettext_lazy("Done")),
        ),
        context,
        CaseAction.objects.filter(case__in=_cases(context))
        .select_related("owner_organisation")
        .order_by("-created_at", "-pk"),
        lambda a: {
            "description": a.description,
            "organisation": a.owner_organisation.name,
            "due_on": a.due_on,
            "done_at": a.done_at,
        },
    )


def case_notes_section(context: Context) -> Section:
    """The notes the organisation may read: its own, and those meant for all participants."""
    visibility = _labels(CaseNote.visibility.field)
    return _section(
        "case_notes",
        gettext_lazy("Notes in joint cases"),
        _f(
            ("created_at", gettext_lazy("Date")),
            ("organisation", gettext_lazy("Organisation")),
            ("visibility", gettext_lazy("Visible to")),
            ("text", gettext_lazy("Note")),
        ),
        context,
        CaseNote.objects.filter(case__in=_cases(context))
        .filter(CaseNote.visible_q(context.actor.organisation_id))
        .select_related("organisation")
        .order_by("-created_at", "-pk"),
        lambda n: {
            "created_at": n.created_at,
            "organisation": n.organisation.name,
            "visibility": visibility(n.visibility),
            "text": n.text,
        },
    )


def _event_text(event: HouseholdEvent) -> str:
    """The readable part of an event: what it names, and any free text kept with it."""
    data = event.data or {}
    parts = [
        str(data[key]) for key in ("category", "to", "participant", "coordinator") if data.get(key)
    ]
    for key in FREE_TEXT_KEYS:
        value = data.get(key)
        if key == "changes" and value:
            value = "; ".join(
                f"{change_label(name)}: {old or '—'} → {new or '—'}"
                for name, (old, new) in value.items()
            )
        if value:
            parts.append(str(value))
    return " · ".join(parts)


def history_section(context: Context) -> Section:
    kind = _labels(HouseholdEvent.kind.field)
    events = HouseholdEvent.objects.filter(household=context.household)
    if not context.own:
        events = events.filter(organisation_id=context.actor.organisation_id)
    return _section(
        "history",
        gettext_lazy("History"),
        _f(
            ("at", gettext_lazy("Date")),
            ("event", gettext_lazy("What happened")),
            ("organisation", gettext_lazy("Organisation")),
            ("details", gettext_lazy("Details")),
        ),
        context,
        events.select_related("organisation").order_by("-at", "-pk"),
        lambda e: {
            "at": e.at,
            "event": kind(e.kind),
            "organisation": e.organisation.name if e.organisation else "",
            "details": _event_text(e),
        },
    )


def emergency_section(context: Context) -> Section:
    role = _labels(EmergencyAccess.role.field)
    accesses = EmergencyAccess.objects.filter(household=context.household)
    if not context.own:
        accesses = accesses.filter(organisation_id=context.actor.organisation_id)
    return _section(
        "emergency",
        gettext_lazy("Emergency access"),
        _f(
            ("started_at", gettext_lazy("From")),
            ("ends_at", gettext_lazy("Until")),
            ("organisation", gettext_lazy("Organisation")),
            ("role", gettext_lazy("Role")),
            ("reason", gettext_lazy("Reason")),
        ),
        context,
        accesses.select_related("organisation").order_by("-started_at", "-pk"),
        lambda a: {
            "started_at": a.started_at,
            "ends_at": a.ends_at,
            "organisation": a.organisation.name,
            "role": role(a.role),
            "reason": a.reason,
        },
    )


def accesses_section(context: Context) -> Section:
    """Who accessed the household, per day: organisation, role, action, basis and how many
    times; not the person (ADR 0010)."""
    org = context.actor.organisation_id
    Role = Membership.Role
    Action = AccessLog.Action
    Basis = AccessLog.LegalBasis
    per_day = (
        AccessLog.objects.filter(household=context.household)
        .filter(Q(organisation_id=org) | Q(household_corporation_id=org))
        .annotate(day=TruncDate("at"))
        .values("day", "organisation__name", "role", "action", "legal_basis")
        .annotate(times=Count("id"))
        .order_by("-day", "organisation__name", "role", "action", "legal_basis")
    )
    return _section(
        "accesses",
        gettext_lazy("Who accessed the data"),
        _f(
            ("day", gettext_lazy("Date")),
            ("organisation", gettext_lazy("Organisation")),
            ("role", gettext_lazy("Role")),
            ("action", gettext_lazy("Action")),
            ("legal_basis", gettext_lazy("Legal basis")),
            ("times", gettext_lazy("Times")),
        ),
        context,
        per_day,
        lambda r: {
            "day": r["day"],
            "organisation": r["organisation__name"],
            "role": str(Role(r["role"]).label) if r["role"] in Role.values else r["role"],
            "action": str(Action(r["action"]).label),
            "legal_basis": str(Basis(r["legal_basis"]).label),
            "times": r["times"],
        },
        note=_(
            "Per day. Names of the people who accessed the data are not given: each acted on "
            "behalf of the organisation named, in the role named."
        ),
    )


SECTIONS: list[Callable[[Context], Section | None]] = [
    household_section,
    residents_section,
    visits_section,
    signals_section,
    consents_section,
    referrals_section,
    joint_cases_section,
    case_actions_section,
    case_notes_section,
    history_section,
    emergency_section,
    accesses_section,
]


# --- reading the overview --------------------------------------------------------------------


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
    log_access(
        actor=actor,
        action=AccessLog.Action.SEARCH,
        detail={"avg": query_digest(query), "households": [h.pk for h in households]},
        legal_basis=AVG if households else AccessLog.LegalBasis.NONE,
    )
    return households


def avg_household_get(*, actor: Membership, pk: int) -> Household:
    """A household the organisation holds records of (404 otherwise). Not logged: the
    overview that shows it is."""
    return get_object_or_404(
        Household.objects.held_by(actor.organisation_id).select_related(
            "neighbourhood", "corporation"
        ),
        pk=pk,
    )


def avg_overview(
    *, actor: Membership, pk: int, limit: int | None = None, export: str = ""
) -> Overview:
    """Every section for the household; one access-log row: a view for the page, an export
    (with its format) for the document and the JSON file."""
    household = avg_household_get(actor=actor, pk=pk)
    own = household.corporation_id == actor.organisation_id
    visible = own or Household.objects.visible_to(actor).filter(pk=household.pk).exists()
    context = Context(actor=actor, household=household, own=own, visible=visible, limit=limit)
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
