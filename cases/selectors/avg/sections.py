"""The sections of the AVG overview, one function each; SECTIONS is their order. The sections
of what the organisation holds are here, those of what happened to the household (its
history, emergency accesses, the access log) in trail.py. A new kind of data is one more
function and one more line in SECTIONS."""

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    CaseAction,
    CaseNote,
    Consent,
    HelpRequest,
    HomeVisit,
    JointCase,
    Referral,
    Resident,
    Signal,
    SupportPackage,
)
from cases.selectors.avg.base import Context, Section, _f, _labels, _section
from cases.selectors.avg.trail import accesses_section, emergency_section, history_section


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
    merged = bool(context.absorbed or context.household.merged_into_id)
    if merged:
        # A merged household (ADR 0026): which record went into which, and when.
        fields += _f(
            ("merged_into", gettext_lazy("Merged into")), ("merged_at", gettext_lazy("Merged"))
        )
    title = gettext_lazy("Household")
    if not context.visible:
        note = _("Your organisation no longer holds this household's address or contact data.")
        return Section("household", str(title), fields, [], note=note)
    # The household, and those merged into it (ADR 0026), each a closed record.
    rows = [
        {
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
        for household in (context.household, *context.absorbed)
    ]
    if merged:
        for row, household in zip(rows, (context.household, *context.absorbed), strict=True):
            row["merged_into"] = household.merged_into.address if household.merged_into else ""
            row["merged_at"] = household.merged_at
    return Section("household", str(title), fields, rows, total=len(rows))


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
            ("co_tenant", gettext_lazy("Co-tenant")),
        ),
        context,
        Resident.objects.filter(household__in=context.ids).order_by(
            "-is_main_tenant", "-is_co_tenant", "name", "pk"
        ),
        lambda r: {
            "name": r.name,
            "birth_year": r.birth_year,
            "main_tenant": r.is_main_tenant,
            "co_tenant": r.is_co_tenant,
        },
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
        HomeVisit.objects.filter(household__in=context.ids)
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
        .filter(household__in=context.ids)
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
    consents = Consent.objects.filter(household__in=context.ids)
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
        .filter(household__in=context.ids)
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
    cases = JointCase.objects.filter(household__in=context.ids)
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


def support_packages_section(context: Context) -> Section:
    """The household's packages the organisation may see: all of them for the corporation; for
    a partner the packages it requested or pays, its own records whether or not the household
    is still shared (like its referrals)."""
    item, status = _labels(SupportPackage.item.field), _labels(SupportPackage.status.field)
    return _section(
        "support_packages",
        gettext_lazy("Support packages"),
        _f(
            ("requested_at", gettext_lazy("Requested on")),
            ("requested_by", gettext_lazy("Requested by")),
            ("item", gettext_lazy("What")),
            ("description", gettext_lazy("Description")),
            ("amount", gettext_lazy("Amount in euros")),
            ("paid_by", gettext_lazy("Paid by")),
            ("status", gettext_lazy("Status")),
            ("decided_at", gettext_lazy("Decided on")),
            ("decline_reason", gettext_lazy("Reason for declining")),
            ("delivered_on", gettext_lazy("Delivered on")),
        ),
        context,
        SupportPackage.objects.visible_to(context.actor)
        .filter(household__in=context.ids)
        .select_related("paying_organisation", "requested_for")
        .order_by("-requested_at", "-pk"),
        lambda p: {
            "requested_at": p.requested_at,
            "requested_by": p.requested_for.name,
            "item": item(p.item),
            "description": p.description,
            "amount": p.amount,
            "paid_by": p.paying_organisation.name,
            "status": status(p.status),
            "decided_at": p.decided_at,
            "decline_reason": p.decline_reason,
            "delivered_on": p.delivered_on,
        },
    )


def help_requests_section(context: Context) -> Section:
    """The organisation's requests for informal help for the household (ADR 0033), with to
    whom of its helpers each was proposed and how that went: the helpers who received the
    household's first name and contact details are its recipients (AVG art. 15)."""
    kind, status = _labels(HelpRequest.kind.field), _labels(HelpRequest.status.field)
    requests = (
        HelpRequest.objects.filter(
            household__in=context.ids, organisation_id=context.actor.organisation_id
        )
        .prefetch_related("matches__helper")
        .order_by("-created_at", "-pk")
    )

    def matches(request) -> str:
        return "; ".join(
            ", ".join(
                part for part in (m.helper.first_name, m.get_status_display(), m.end_reason) if part
            )
            for m in request.matches.all()
        )

    return _section(
        "help_requests",
        gettext_lazy("Requests for informal help"),
        _f(
            ("created_at", gettext_lazy("Made on")),
            ("kind", gettext_lazy("Kind of help")),
            ("description", gettext_lazy("What")),
            ("place", gettext_lazy("Where, roughly")),
            ("consent_given_on", gettext_lazy("Consent given on")),
            ("status", gettext_lazy("Status")),
            ("close_reason", gettext_lazy("Reason for closing")),
            ("matches", gettext_lazy("Helpers proposed")),
        ),
        context,
        requests,
        lambda r: {
            "created_at": r.created_at,
            "kind": kind(r.kind),
            "description": r.description,
            "place": r.place,
            "consent_given_on": r.consent_given_on,
            "status": status(r.status),
            "close_reason": r.close_reason,
            "matches": matches(r),
        },
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
    support_packages_section,
    help_requests_section,
    history_section,
    emergency_section,
    accesses_section,
]
