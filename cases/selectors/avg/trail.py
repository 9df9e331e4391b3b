"""The sections of the AVG overview about what happened to the household: its history, the
emergency accesses to it and the access log, each as the organisation may read it."""

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.labels import change_label
from cases.models import (
    AccessLog,
    EmergencyAccess,
    HouseholdEvent,
)
from cases.models.history import FREE_TEXT_KEYS
from cases.selectors.avg.base import Context, Section, _f, _labels, _section
from cases.workflow import (
    DeclineReason,
    PackageItem,
    ReferralOutcome,
    Severity,
    SignalStatus,
    VisitKind,
    VisitOutcome,
)
from partners.models import Membership

Kind = HouseholdEvent.Kind
# Keys of an event's data that hold a code, per kind of event, with the choices that name it: the
# history reads "in behandeling", never "in_behandeling" (a status change is "from → to").
CODED = {
    Kind.SIGNAL_OPENED: {"severity": Severity},
    Kind.VISIT_LOGGED: {"kind": VisitKind, "outcome": VisitOutcome},
    Kind.REFERRAL_DECLINED: {"category": DeclineReason},
    Kind.REFERRAL_COMPLETED: {"outcome": ReferralOutcome},
    **{
        kind: {"item": PackageItem}
        for kind in (
            Kind.PACKAGE_REQUESTED,
            Kind.PACKAGE_APPROVED,
            Kind.PACKAGE_DECLINED,
            Kind.PACKAGE_DELIVERED,
        )
    },
}
NAMES = ("category", "to", "participant", "coordinator")  # of categories and organisations


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else str(value)


def _event_text(event: HouseholdEvent) -> str:
    """The readable part of an event: what it names, its codes in words, and any free text kept
    with it."""
    data = event.data or {}
    coded = CODED.get(event.kind, {})
    if event.kind == Kind.SIGNAL_STATUS_CHANGED:
        parts = [" → ".join(_label(SignalStatus, data.get(key) or "—") for key in ("from", "to"))]
    else:
        parts = [str(data[key]) for key in NAMES if data.get(key) and key not in coded]
        parts += [_label(choices, data[key]) for key, choices in coded.items() if data.get(key)]
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
    events = HouseholdEvent.objects.filter(household__in=context.ids)
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
    accesses = EmergencyAccess.objects.filter(household__in=context.ids)
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
    Channel = AccessLog.Channel
    per_day = (
        AccessLog.objects.filter(household__in=context.ids)
        .filter(Q(organisation_id=org) | Q(household_corporation_id=org))
        .annotate(day=TruncDate("at"))
        .values("day", "organisation__name", "role", "channel", "action", "legal_basis")
        .annotate(times=Count("id"))
        .order_by("-day", "organisation__name", "role", "channel", "action", "legal_basis")
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
            # A system of the organisation (an API client, ADR 0024) has no role: its channel.
            "role": str(Role(r["role"]).label)
            if r["role"] in Role.values
            else str(Channel(r["channel"]).label),
            "action": str(Action(r["action"]).label),
            "legal_basis": str(Basis(r["legal_basis"]).label),
            "times": r["times"],
        },
        note=_(
            "Per day. Names of the people who accessed the data are not given: each acted on "
            "behalf of the organisation named, in the role named."
        ),
    )
