"""Reads of signals: the lists and one signal, from visible_to(actor), logged; the categories."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases import vera
from cases.access.log import log_access, log_shown
from cases.models import (
    AccessLog,
    Signal,
    SignalCategory,
)
from inclusie.pagination import CappedPaginator
from partners.models import Membership, Neighbourhood


@dataclass
class SignalFilters:
    scope: str = "open"  # mine | due | open | overdue | all
    neighbourhood: Neighbourhood | None = None
    category: SignalCategory | None = None
    severity: str = ""
    status: str = ""
    older_than_days: int | None = None

    def as_log(self) -> dict:
        return {
            "scope": self.scope,
            "neighbourhood": self.neighbourhood.cbs_code if self.neighbourhood else None,
            "category": self.category.code if self.category else None,
            "severity": self.severity,
            "status": self.status,
            "older_than_days": self.older_than_days,
        }


def signal_search(*, actor: Membership, filters: SignalFilters) -> QuerySet:
    """Signals the actor may see, for the lists 'my neighbourhoods', 'to follow up today' (in
    my neighbourhoods, follow-up date today or before), 'all open' and 'follow-up date passed'.
    The lists and the start page's counts both read this, so a count is its list."""
    signals = Signal.objects.visible_to(actor, ids_first=True).select_related(
        "category", "household", "household__neighbourhood"
    )
    today = timezone.localdate()
    if filters.scope in ("mine", "due"):
        mine = list(actor.neighbourhoods.values_list("pk", flat=True))
        signals = signals.open().filter(
            Q(household__neighbourhood__in=mine) | Q(household__neighbourhood__parent__in=mine)
        )
        if filters.scope == "due":
            signals = signals.filter(follow_up_on__lte=today)
    elif filters.scope == "overdue":
        signals = signals.open().filter(follow_up_on__lt=today)
    elif filters.scope == "open":
        signals = signals.open()
    if filters.neighbourhood:
        signals = signals.filter(
            Q(household__neighbourhood=filters.neighbourhood)
            | Q(household__neighbourhood__parent=filters.neighbourhood)
        )
    if filters.category:
        signals = signals.filter(category=filters.category)
    if filters.severity:
        signals = signals.filter(severity=filters.severity)
    if filters.status:
        signals = signals.filter(status=filters.status)
    if filters.older_than_days:
        signals = signals.filter(created_at__lt=timezone.now() - timedelta(filters.older_than_days))
    if filters.scope in ("overdue", "due"):
        return signals.order_by("follow_up_on", "pk")
    return signals.order_by("-created_at", "-pk")


def signal_search_page(
    *, actor: Membership, filters: SignalFilters, page: str | None, per_page: int = 25
):
    """One page of a signal list; the access log names the households shown."""
    result = CappedPaginator(signal_search(actor=actor, filters=filters), per_page).get_page(page)
    log_shown(
        actor=actor, households=[signal.household for signal in result], detail=filters.as_log()
    )
    return result


def signal_get(*, actor: Membership, pk: int, log: bool = True) -> Signal:
    """One signal the actor may see (404 otherwise); the read is logged unless it is about to
    be changed (the service logs the change)."""
    signal = get_object_or_404(
        Signal.objects.visible_to(actor).select_related("household", "category"), pk=pk
    )
    if log:
        log_access(
            actor=actor, action=AccessLog.Action.VIEW, household=signal.household, obj=signal
        )
    return signal


def categories_in_use() -> QuerySet:
    return SignalCategory.objects.filter(is_active=True)


def categories_all() -> QuerySet:
    return SignalCategory.objects.all()


# --- out to the rental system, as VERA signaleringen (ADR 0027) --------------------------------


def signal_export_page(
    *, actor, status: str = "", changed_since=None, page: int = 1, per_page: int = 25
):
    """One page of the corporation's own signals for its rental system, oldest first (so a
    system that reads on from where it was finds the same order): never another corporation's
    and never the signals a partner was shown. `status` is VERA's (ACT, VER); `changed_since`
    a moment from which a signal was made or changed status. An erased household's signals are
    not sent out. The access log names the households shown, as any list does."""
    signals = (
        Signal.objects.visible_to(actor)
        .filter(household__corporation_id=actor.organisation_id)
        .filter(household__anonymised_at__isnull=True)
        .select_related("category", "household")
        .only(
            "created_at",
            "status",
            "status_changed_at",
            "severity",
            "category__code",
            "household__tenancy_reference",
            "household__corporation_id",  # the access log's row names the corporation
        )
    )
    if status:
        signals = signals.filter(
            status__in=[own for own, code in vera.STATUS_SIGNALERING.items() if code == status]
        )
    if changed_since is not None:
        signals = signals.filter(
            Q(created_at__gte=changed_since) | Q(status_changed_at__gte=changed_since)
        )
    result = CappedPaginator(signals.order_by("created_at", "pk"), per_page).get_page(page)
    log_shown(
        actor=actor,
        households=[signal.household for signal in result],
        detail={
            "list": "signaleringen",
            "status": status,
            "changed_since": changed_since.isoformat() if changed_since else None,
        },
        legal_basis=AccessLog.LegalBasis.OWN_TENANT,
    )
    return result
