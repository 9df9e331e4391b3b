from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases import filter_choices, selectors, services
from cases.forms import (
    HomeVisitForm,
    HouseholdSearchForm,
    SignalCategoryForm,
    SignalFilterForm,
    SignalStatusForm,
)
from cases.forms_support import package_panel
from cases.models import SignalCategory
from partners.actor import actor_required
from partners.models import Membership, Organisation

# Until referrals exist, household data is the corporation's own workers'.
corporation_worker_required = actor_required(
    Membership.Role.MEDEWERKER, kinds=(Organisation.Kind.CORPORATIE,)
)
administrator_required = actor_required(Membership.Role.BEHEERDER)
PAGE_SIZE = 25


@require_GET
@corporation_worker_required
def household_list(request):
    form = HouseholdSearchForm(
        request.GET or None,
        neighbourhoods=filter_choices.neighbourhood_choices(actor=request.actor),
        complexes=selectors.complexes_of(actor=request.actor),
    )
    form.is_valid()  # an invalid filter is left out; the valid ones still apply
    data = getattr(form, "cleaned_data", {})
    filters = selectors.HouseholdFilters(
        query=data.get("q", ""),
        neighbourhood=data.get("neighbourhood"),
        complex=data.get("complex"),
        open_signals={"ja": True, "nee": False}.get(data.get("open_signals")),
    )
    page = selectors.household_search_page(
        actor=request.actor, filters=filters, page=request.GET.get("page"), per_page=PAGE_SIZE
    )
    return render(request, "cases/household_list.html", {"form": form, "page": page})


@require_GET
@corporation_worker_required
def household_detail(request, pk):
    whole = request.GET.get("tijdlijn") == "alles"
    page = selectors.household_page(actor=request.actor, pk=pk, events_limit=None if whole else 100)
    panel = package_panel(actor=request.actor, household=page.household)
    return render(request, "cases/household_detail.html", {"view": page, "panel": panel})


@require_http_methods(["GET", "POST"])
@corporation_worker_required
def visit_create(request, pk):
    household = selectors.household_for_change(actor=request.actor, pk=pk)
    form = HomeVisitForm(request.POST or None, categories=selectors.categories_in_use())
    if request.method == "POST" and form.is_valid():
        try:
            services.home_visit_log(
                actor=request.actor,
                household=household,
                visited_on=form.cleaned_data["visited_on"],
                kind=form.cleaned_data["kind"],
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data["notes"],
                signals=form.signal_inputs(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The home visit is saved."))
            return redirect("cases:household_detail", pk=household.pk)
    selectors.household_shown(actor=request.actor, household=household)
    return render(request, "cases/visit_form.html", {"household": household, "form": form})


SCOPES = {"mijn": "mine", "open": "open", "verlopen": "overdue", "alle": "all"}


@require_GET
@corporation_worker_required
def signal_list(request):
    scope = request.GET.get("lijst", "mijn")
    scope = scope if scope in SCOPES else "mijn"
    form = SignalFilterForm(
        request.GET or None,
        neighbourhoods=filter_choices.neighbourhood_choices(actor=request.actor),
        categories=selectors.categories_all(),
    )
    form.is_valid()  # an invalid filter is left out; the valid ones still apply
    data = getattr(form, "cleaned_data", {})
    filters = selectors.SignalFilters(
        scope=SCOPES[scope],
        neighbourhood=data.get("neighbourhood"),
        category=data.get("category"),
        severity=data.get("severity", ""),
        status=data.get("status", ""),
        older_than_days=int(data["age"]) if data.get("age") else None,
    )
    page = selectors.signal_search_page(
        actor=request.actor, filters=filters, page=request.GET.get("page"), per_page=PAGE_SIZE
    )
    return render(request, "cases/signal_list.html", {"form": form, "page": page, "scope": scope})


@require_http_methods(["GET", "POST"])
@corporation_worker_required
def signal_status(request, pk):
    signal = selectors.signal_get(actor=request.actor, pk=pk, log=request.method == "GET")
    form = SignalStatusForm(request.POST or None, signal=signal)
    if request.method == "POST" and form.is_valid():
        try:
            services.signal_change_status(actor=request.actor, signal=signal, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The status of the signal is saved."))
            return redirect("cases:household_detail", pk=signal.household_id)
    if request.method == "POST":
        selectors.household_shown(actor=request.actor, household=signal.household)
    return render(request, "cases/signal_status.html", {"signal": signal, "form": form})


@require_GET
@administrator_required
def category_list(request):
    return render(request, "cases/category_list.html", {"categories": selectors.categories_all()})


@require_http_methods(["GET", "POST"])
@administrator_required
def category_edit(request, pk=None):
    category = get_object_or_404(SignalCategory, pk=pk) if pk else None
    form = SignalCategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            services.signal_category_save(
                actor=request.actor, category=category, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The category is saved."))
            return redirect("cases:category_list")
    return render(request, "cases/category_form.html", {"form": form, "category": category})
