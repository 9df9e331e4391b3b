"""The privacy officer's pages (access log, reports, emergency accesses, the household's AVG
overview, rectification and erasure, retention), the administrator's retention terms and the
worker's emergency access (ADR 0010). The officer's pages need a session that passed MFA."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cases import selectors_avg, selectors_emergency, selectors_privacy, services
from cases.forms_privacy import (
    AccessLogFilterForm,
    AvgFindForm,
    EmergencyForm,
    EraseForm,
    RectifyForm,
    RetentionTermsForm,
)
from cases.views import administrator_required
from partners.actor import actor_required
from partners.mfa import mfa_session_required
from partners.models import Membership

Role = Membership.Role
PAGE_ROWS = 100


def officer_required(view):
    return actor_required(Role.PRIVACYFUNCTIONARIS)(mfa_session_required(view))


worker_required = actor_required(Role.MEDEWERKER)


# --- the access log, its reports and the emergency accesses ---------------------------------


@require_GET
@officer_required
def access_log(request):
    people = selectors_privacy.access_log_people(actor=request.actor)
    form = AccessLogFilterForm(request.GET or None, people=people)
    form.is_valid()  # an invalid filter is left out; the valid ones still apply
    data = getattr(form, "cleaned_data", {})
    filters = selectors_privacy.AccessLogFilters(
        person=data.get("persoon"),
        household_query=data.get("adres", ""),
        date_from=data.get("van"),
        date_to=data.get("tot"),
        action=data.get("actie", ""),
        legal_basis=data.get("grondslag", ""),
    )
    if filters.household_query:
        found = selectors_privacy.households_at(actor=request.actor, query=filters.household_query)
        filters.households = [h.pk for h in found or []]
    page = selectors_privacy.access_log_page(
        actor=request.actor, filters=filters, cursor=request.GET.get("na")
    )
    query = request.GET.copy()
    query.pop("na", None)
    context = {"form": form, "page": page, "filters": filters, "query": query.urlencode()}
    return render(request, "cases/access_log.html", context)


@require_GET
@officer_required
def emergency_list(request):
    entries = selectors_emergency.emergency_accesses(actor=request.actor)
    return render(request, "cases/emergency_list.html", {"entries": entries})


@require_GET
@officer_required
def report_list(request):
    reports = selectors_privacy.access_reports(actor=request.actor)
    return render(request, "cases/access_report_list.html", {"reports": reports})


@require_GET
@officer_required
def report_detail(request, pk):
    report, lines = selectors_privacy.access_report_page(actor=request.actor, pk=pk)
    return render(request, "cases/access_report_detail.html", {"report": report, "lines": lines})


# --- the household's AVG overview ------------------------------------------------------------


@require_GET
@officer_required
def avg_find(request):
    form = AvgFindForm(request.GET or None)
    households = None
    if form.is_valid():
        households = selectors_avg.avg_household_find(
            actor=request.actor, query=form.cleaned_data["adres"]
        )
        if households and len(households) == 1:
            return redirect("privacy:avg_overview", pk=households[0].pk)
    return render(request, "cases/avg_find.html", {"form": form, "households": households})


@require_GET
@officer_required
def avg_overview(request, pk):
    overview = selectors_avg.avg_overview(actor=request.actor, pk=pk, limit=PAGE_ROWS)
    refusals = services.erasure_refusals(actor=request.actor, household=overview.household)
    context = {"overview": overview, "refusals": refusals}
    return render(request, "cases/avg_overview.html", context)


@require_GET
@officer_required
def avg_document(request, pk):
    overview = selectors_avg.avg_overview(actor=request.actor, pk=pk, export="html")
    return render(request, "cases/avg_document.html", {"overview": overview})


@require_GET
@officer_required
def avg_export(request, pk):
    overview = selectors_avg.avg_overview(actor=request.actor, pk=pk, export="json")
    body = json.dumps(overview.as_data(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"avg-overzicht-huishouden-{pk}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@officer_required
def rectify(request, pk):
    household = selectors_avg.avg_household_get(actor=request.actor, pk=pk)
    residents = household.residents.order_by("-is_main_tenant", "name", "pk")
    form = RectifyForm(request.POST or None, household=household, residents=residents)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_rectify(
                actor=request.actor,
                household=household,
                phone=form.cleaned_data["phone"],
                email=form.cleaned_data["email"],
                residents=form.corrections(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The corrections are saved, with their history."))
            return redirect("privacy:avg_overview", pk=household.pk)
    selectors_avg.avg_household_shown(actor=request.actor, household=household)
    return render(request, "cases/avg_rectify.html", {"household": household, "form": form})


@require_http_methods(["GET", "POST"])
@officer_required
def erase(request, pk):
    household = selectors_avg.avg_household_get(actor=request.actor, pk=pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_erase(
                actor=request.actor,
                household=household,
                received_on=form.cleaned_data["received_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The household's data is erased; the counts stay."))
            return redirect("privacy:avg_overview", pk=household.pk)
    selectors_avg.avg_household_shown(actor=request.actor, household=household)
    refusals = services.erasure_refusals(actor=request.actor, household=household)
    context = {"household": household, "form": form, "refusals": refusals}
    return render(request, "cases/avg_erase.html", context)


# --- retention -------------------------------------------------------------------------------


@require_GET
@officer_required
def retention(request):
    preview = selectors_privacy.retention_preview(actor=request.actor)
    return render(request, "cases/retention.html", {"preview": preview})


@require_http_methods(["GET", "POST"])
@administrator_required
def retention_terms(request):
    form = RetentionTermsForm(request.POST or None, terms=selectors_privacy.retention_terms())
    if request.method == "POST" and form.is_valid():
        try:
            services.retention_terms_save(actor=request.actor, months=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The retention terms are saved."))
            return redirect("privacy:retention_terms")
    preview = selectors_privacy.retention_preview(actor=request.actor)
    return render(request, "cases/retention.html", {"form": form, "preview": preview})


# --- emergency access (noodtoegang) ----------------------------------------------------------

# One answer whether nobody lives there, several households do, or the worker can see the
# household already: the look-up must not tell which (ADR 0010).
NO_EMERGENCY_ACCESS = gettext_lazy(
    "No emergency access was opened for this address. Check the postcode, the house number and "
    "the addition. A household you can already see, you open from your own lists."
)


@require_http_methods(["GET", "POST"])
@worker_required
def emergency_open(request):
    form = EmergencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        postcode, number, addition = form.address()
        found = selectors_emergency.emergency_lookup(
            actor=request.actor, postcode=postcode, house_number=number, addition=addition
        )
        if found is None:
            form.add_error("adres", NO_EMERGENCY_ACCESS)
        else:
            try:
                access = services.emergency_access_open(
                    actor=request.actor, household=found, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("privacy:emergency_detail", pk=access.pk)
    context = {"form": form, "hours": settings.EMERGENCY_ACCESS_HOURS}
    return render(request, "cases/emergency_form.html", context)


@require_GET
@worker_required
def emergency_detail(request, pk):
    page = selectors_emergency.emergency_page(actor=request.actor, pk=pk)
    return render(request, "cases/emergency_detail.html", {"view": page})
