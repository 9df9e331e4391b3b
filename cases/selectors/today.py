"""What needs a person today: the counts on their start page (ADR 0022).

Each count is the number of rows of one list the person can open, read from the same selector
that list reads (so a count is its list, with the same access rules: `visible_to(actor)`),
counted only by key and capped like the lists' pages (inclusie.pagination, ADR 0012). A count
shows no household data and writes no access-log row; opening the list does."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import RetentionTerm
from cases.selectors.emergency import waiting_requests
from cases.selectors.joint_cases import open_actions
from cases.selectors.referrals import inbox_referrals
from cases.selectors.signals import SignalFilters, signal_search
from cases.selectors.support import inbox_packages
from inclusie.pagination import COUNT_CAP, capped_count
from partners.models import Membership, Organisation
from partners.selectors import invitation_list_open

Role = Membership.Role
Kind = Organisation.Kind


@dataclass(frozen=True)
class Count:
    """One number on the start page and the list it counts."""

    key: str
    label: Promise
    url: str
    value: int
    # Past a deadline or waiting for a decision: shown in colour (the label says it in words).
    urgent: bool = False

    cap = COUNT_CAP

    @property
    def capped(self) -> bool:
        return self.value > self.cap


@dataclass(frozen=True)
class Section:
    """The counts of one membership: the actor's first, then a shared worker's others."""

    membership: Membership
    counts: list[Count]
    current: bool  # the membership the person acts for now

    @property
    def shown(self) -> list[Count]:
        """Every count of the current membership; of the others only what is waiting, so a
        shared worker sees at a glance where something needs them."""
        return self.counts if self.current else [c for c in self.counts if c.value]


def _url(name: str, **query: str) -> str:
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


def _count(key: str, label: Promise, url: str, rows: QuerySet, urgent: bool = False) -> Count:
    return Count(key=key, label=label, url=url, value=capped_count(rows), urgent=urgent)


def _corporation_worker(actor: Membership) -> list[Count]:
    def signals(scope: str) -> QuerySet:
        return signal_search(actor=actor, filters=SignalFilters(scope=scope))

    return [
        _count(
            "signals_due",
            _("Signals to follow up, today or earlier"),
            _url("cases:signal_list", lijst="opvolgen"),
            signals("due"),
            urgent=True,
        ),
        _count(
            "signals_mine",
            _("Open signals in your neighbourhoods"),
            _url("cases:signal_list", lijst="mijn"),
            signals("mine"),
        ),
    ]


def _partner_worker(actor: Membership) -> list[Count]:
    def inbox(box: str) -> tuple[str, QuerySet]:
        return _url("referrals:inbox", lijst=box), inbox_referrals(actor=actor, box=box)

    return [
        _count("referrals_new", _("New referrals"), *inbox("nieuw")),
        _count("referrals_today", _("Deadline today"), *inbox("vandaag"), urgent=True),
        _count("referrals_overdue", _("Deadline passed"), *inbox("te-laat"), urgent=True),
        _count("referrals_mine", _("Referrals assigned to you"), *inbox("mijn")),
    ]


def _worker(actor: Membership) -> list[Count]:
    if actor.organisation.kind == Kind.CORPORATIE:
        counts = _corporation_worker(actor)
    else:
        counts = _partner_worker(actor)
    return [
        *counts,
        _count(
            "actions_open",
            _("Open actions for you"),
            _url("joint_cases:actions"),
            open_actions(actor=actor),
        ),
        _count(
            "actions_late",
            _("Actions past their due date"),
            _url("joint_cases:actions", lijst="te-laat"),
            open_actions(actor=actor, scope="te-laat"),
            urgent=True,
        ),
        _packages(actor),
    ]


def _packages(actor: Membership) -> Count:
    return _count(
        "packages_to_decide",
        _("Support packages to decide"),
        _url("packages:inbox", lijst="te-beslissen"),
        inbox_packages(actor=actor, box="te-beslissen"),
    )


def _retention_announced(actor: Membership, url_name: str) -> Count:
    # The organisation's own terms (at most one row per kind): no household data.
    return _count(
        "retention_announced",
        _("Shorter retention terms announced"),
        _url(url_name),
        RetentionTerm.objects.filter(
            organisation_id=actor.organisation_id, pending_months__isnull=False
        ),
    )


def today_counts(*, actor: Membership) -> list[Count]:
    """What needs the actor today, by role and kind of organisation: each count with its list."""
    if actor.role == Role.MEDEWERKER:
        return _worker(actor)
    if actor.role == Role.MANAGER:
        return [_packages(actor)]
    if actor.role == Role.BEHEERDER:
        return [
            _count(
                "invitations_open",
                _("Open invitations"),
                reverse("partners:member_list") + "#uitnodigingen",
                invitation_list_open(actor=actor),
            ),
            _retention_announced(actor, "privacy:retention_terms"),
        ]
    if actor.role == Role.PRIVACYFUNCTIONARIS:
        return [
            _count(
                "emergency_waiting",
                _("Emergency access waiting for your decision"),
                reverse("privacy:emergency_list") + "#wachtend",
                waiting_requests(actor=actor),
                urgent=True,
            ),
            _retention_announced(actor, "privacy:retention"),
        ]
    return []


def today_sections(*, actor: Membership, memberships: list[Membership]) -> list[Section]:
    """The actor's counts, then for a person who acts for several organisations (a shared
    worker) the counts of each other membership, each by that membership's own access rules.
    The number of queries grows with the memberships (a few), never with the rows."""
    others = [m for m in memberships if m.pk != actor.pk]
    return [
        Section(membership=membership, counts=counts, current=membership.pk == actor.pk)
        for membership in [actor, *others]
        if (counts := today_counts(actor=membership))
    ]
