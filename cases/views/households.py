"""The corporation workers' household list and household page."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.forms.households import HouseholdSearchForm
from cases.selectors.duplicates import household_duplicates
from cases.selectors.help_requests import household_help_requests
from cases.selectors.households import (
    HouseholdFilters,
    complexes_of,
    household_page,
    household_search_page,
    neighbourhood_choices,
)
from cases.selectors.joint_cases import case_link
from cases.selectors.referrals import household_referrals
from cases.views.roles import corporation_worker_required
from cases.views.support import package_panel
from partners.views.offline import kept_offline

PAGE_SIZE = 25


@require_GET
@corporation_worker_required
def household_list(request):
    form = HouseholdSearchForm(
        request.GET or None,
        neighbourhoods=neighbourhood_choices(actor=request.actor),
        complexes=complexes_of(actor=request.actor),
    )
    form.is_valid()  # an invalid filter is left out; the valid ones still apply
    data = getattr(form, "cleaned_data", {})
    filters = HouseholdFilters(
        query=data.get("q", ""),
        neighbourhood=data.get("neighbourhood"),
        complex=data.get("complex"),
        open_signals={"ja": True, "nee": False}.get(data.get("open_signals")),
    )
    page = household_search_page(
        actor=request.actor, filters=filters, page=request.GET.get("page"), per_page=PAGE_SIZE
    )
    return render(request, "cases/household_list.html", {"form": form, "page": page})


@require_GET
@corporation_worker_required
@kept_offline
def household_detail(request, pk):
    whole = request.GET.get("tijdlijn") == "alles"
    page = household_page(actor=request.actor, pk=pk, events_limit=None if whole else 100)
    context = {
        "view": page,
        "duplicates": household_duplicates(
            actor=request.actor, household=page.household, residents=page.residents
        ),
        "panel": package_panel(actor=request.actor, household=page.household),
        "referrals": household_referrals(actor=request.actor, household=page.household),
        "case_link": case_link(actor=request.actor, household=page.household),
        "help_requests": household_help_requests(actor=request.actor, household=page.household),
    }
    return render(request, "cases/household_detail.html", context)
