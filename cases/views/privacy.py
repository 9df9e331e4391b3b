"""The privacy officer's access-log viewer, the reports of unusual access and the list of
emergency accesses."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.forms.privacy import AccessLogFilterForm
from cases.selectors import emergency as selectors_emergency
from cases.selectors.privacy import (
    AccessLogFilters,
    access_log_page,
    access_log_people,
    access_report_page,
    access_reports,
    households_at,
)
from cases.views.roles import officer_required
from partners.models import Membership

Role = Membership.Role
PAGE_ROWS = 100


# --- the access log, its reports and the emergency accesses ---------------------------------


@require_GET
@officer_required
def access_log(request):
    people = access_log_people(actor=request.actor)
    form = AccessLogFilterForm(request.GET or None, people=people)
    form.is_valid()  # an invalid filter is left out; the valid ones still apply
    data = getattr(form, "cleaned_data", {})
    filters = AccessLogFilters(
        person=data.get("persoon"),
        household_query=data.get("adres", ""),
        date_from=data.get("van"),
        date_to=data.get("tot"),
        action=data.get("actie", ""),
        legal_basis=data.get("grondslag", ""),
    )
    if filters.household_query:
        found = households_at(actor=request.actor, query=filters.household_query)
        filters.households = [h.pk for h in found or []]
    page = access_log_page(actor=request.actor, filters=filters, cursor=request.GET.get("na"))
    query = request.GET.copy()
    query.pop("na", None)
    context = {"form": form, "page": page, "filters": filters, "query": query.urlencode()}
    return render(request, "cases/access_log.html", context)


@require_GET
@officer_required
def emergency_list(request):
    listing = selectors_emergency.emergency_accesses(actor=request.actor)
    context = {"entries": listing.entries, "waiting": listing.waiting}
    return render(request, "cases/emergency_list.html", context)


@require_GET
@officer_required
def report_list(request):
    reports = access_reports(actor=request.actor)
    return render(request, "cases/access_report_list.html", {"reports": reports})


@require_GET
@officer_required
def report_detail(request, pk):
    report, lines = access_report_page(actor=request.actor, pk=pk)
    return render(request, "cases/access_report_detail.html", {"report": report, "lines": lines})
