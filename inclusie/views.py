import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cases.selectors.today import today_sections
from partners.actor import actor_required
from partners.models import Membership, Organisation
from partners.views.offline import kept_offline

Role = Membership.Role
Kind = Organisation.Kind
# When the accessibility statement was drawn up, or last reviewed (what it says is checked).
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 12, 3)


@dataclass(frozen=True)
class Task:
    """One thing a role does, on its start page. Without a url it is not available yet."""

    title: Promise
    description: Promise
    url_name: str | None = None

    @property
    def url(self) -> str | None:
        return reverse(self.url_name) if self.url_name else None


CORPORATION_WORK = [
    Task(
        _("Log a home visit"),
        _("Find the household, then record the visit and the signals you saw."),
        "cases:household_list",
    ),
    Task(
        _("Signals"),
        _("Open signals in your neighbourhoods and follow-ups that are due."),
        "cases:signal_list",
    ),
    Task(
        _("Households"),
        _("Find a household by postcode and house number and see its history."),
        "cases:household_list",
    ),
    Task(
        _("Sent referrals"),
        _("What happened to the households you referred to a partner."),
        "referrals:outbox",
    ),
    Task(
        _("Joint cases"),
        _("Households you work for together with other organisations."),
        "joint_cases:list",
    ),
    Task(
        _("Support packages"),
        _("Furnishing, white goods and budget coaching: to decide and to deliver."),
        "packages:inbox",
    ),
]
EMERGENCY = Task(
    _("Emergency access"),
    _("Only in an emergency: open a household outside your view. It is reported at once."),
    "privacy:emergency_open",
)
PARTNER_WORK = [
    Task(
        _("Referral inbox"),
        _("New referrals to your organisation, yours and overdue ones."),
        "referrals:inbox",
    ),
    Task(
        _("Joint cases"),
        _("Households you work for together with other organisations."),
        "joint_cases:list",
    ),
    Task(
        _("Support packages"),
        _("Furnishing, white goods and budget coaching: to decide and to deliver."),
        "packages:inbox",
    ),
]
START_TASKS = {
    Role.MEDEWERKER: None,  # depends on the kind of organisation, see tasks_for()
    Role.MANAGER: [
        Task(
            _("Dashboard"),
            _("Signals, referrals and response times of your organisation."),
            "dashboards:dashboard",
        ),
        Task(
            _("Costs and savings"),
            _("What each partner invests and what it saves the others."),
            "ledger:ledger",
        ),
        Task(
            _("Support packages"),
            _("Packages your organisation pays: approve or decline them."),
            "packages:inbox",
        ),
    ],
    Role.BEHEERDER: [
        Task(
            _("Members and invitations"),
            _("Invite colleagues, change roles and end memberships."),
            "partners:member_list",
        ),
        Task(
            _("Import households"),
            _("Upload the export of your rental system; re-importing updates, never doubles."),
            "imports:upload",
        ),
        Task(
            _("Agreements"),
            _("Agreements with partner organisations about referrals."),
            "referrals:agreements",
        ),
        Task(
            _("Retention terms"),
            _("How long your organisation keeps its data before it is anonymised."),
            "privacy:retention_terms",
        ),
        Task(
            _("Rates and estimates"),
            _("Your hourly rate and estimated avoided costs, for the costs-and-savings ledger."),
            "ledger:costs",
        ),
        Task(
            _("Shared workers' hours"),
            _("The agreed split of the hours of people who also work for a partner."),
            "ledger:splits",
        ),
    ],
    Role.PRIVACYFUNCTIONARIS: [
        Task(
            _("Access log"),
            _("Who looked at which household, on whose behalf."),
            "privacy:access_log",
        ),
        Task(
            _("Household overview (GDPR)"),
            _("Everything held about a household, to export."),
            "privacy:avg_find",
        ),
        Task(
            _("Retention"),
            _("Your organisation's retention terms and what will be anonymised next."),
            "privacy:retention",
        ),
        Task(
            _("Unusual access"),
            _("The daily report: many households opened, no open relation, emergency access."),
            "privacy:report_list",
        ),
        Task(
            _("Emergency accesses"),
            _("Who opened a household in an emergency, and why."),
            "privacy:emergency_list",
        ),
    ],
}


def tasks_for(actor: Membership) -> list[Task]:
    is_corporation = actor.organisation.kind == Kind.CORPORATIE
    if actor.role == Role.MEDEWERKER:
        return [*(CORPORATION_WORK if is_corporation else PARTNER_WORK), EMERGENCY]
    if actor.role == Role.BEHEERDER and not is_corporation:
        return [task for task in START_TASKS[actor.role] if task.url_name != "imports:upload"]
    return START_TASKS[actor.role]


# The installation administrators keep what every organisation shares; they see no
# organisation's data through this role.
INSTALLATION_TASKS = [
    Task(
        _("Signal categories"),
        _("The categories every organisation's home visits, agreements and dashboards use."),
        "cases:category_list",
    ),
    Task(
        _("Access log retention"),
        _("How long the access log of the whole installation is kept."),
        "privacy:access_log_term",
    ),
]

MY_HOURS = Task(
    _("My hours"),
    _("You work for several organisations: enter your hours per organisation per month."),
    "ledger:hours",
)


@require_GET
def start(request):
    if request.user.is_authenticated and request.user.is_installation_admin:
        # Acting for an organisation or not, the installation's own tasks come first.
        if request.actor is None:
            return render(request, "start.html", {"tasks": INSTALLATION_TASKS})
        context = _organisation_context(request)
        return render(
            request, "start.html", {**context, "tasks": [*INSTALLATION_TASKS, *context["tasks"]]}
        )
    return _organisation_start(request)


def _organisation_context(request) -> dict:
    """The actor's tasks and the counts of what needs them today (per organisation, for a
    person who acts for several)."""
    tasks = tasks_for(request.actor)
    if len({m.organisation_id for m in request.memberships}) > 1:
        tasks = [*tasks, MY_HOURS]
    sections = today_sections(actor=request.actor, memberships=request.memberships)
    return {"tasks": tasks, "sections": sections}


@actor_required()
@kept_offline
def _organisation_start(request):
    return render(request, "start.html", _organisation_context(request))


@require_GET
def health(request):
    """For load balancers and docker-compose: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
@transaction.non_atomic_requests
def alive(request):
    """Liveness, for a process supervisor: the app answers, without touching the database (a
    database outage must not make every web process be restarted). The benchmark's ceiling:
    the full middleware stack and no query (bench/RESULTS.md)."""
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form refused because its token did not match (the page was open
    across a new login or a long time) or no cookie came with it. Dutch, in the site's layout,
    saying what to do. Django has logged the reason already (django.security.csrf)."""
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    elif back:
        parts = urlsplit(back)
        back = parts.path + (f"?{parts.query}" if parts.query else "")
    return render(request, "403_csrf.html", {"back": back}, status=403)


@require_GET
def accessibility(request):
    """The accessibility statement (toegankelijkheidsverklaring): public, like the law wants."""
    return render(
        request,
        "accessibility.html",
        {
            "contact": settings.ACCESSIBILITY_CONTACT,
            "site_url": settings.SITE_URL,
            "statement_date": ACCESSIBILITY_STATEMENT_DATE,
        },
    )
