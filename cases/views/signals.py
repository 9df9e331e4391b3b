"""The signal lists, a signal's status change, and the signal categories every organisation
shares, kept by the installation administrators."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.forms.signals import SignalCategoryForm, SignalFilterForm, SignalStatusForm
from cases.models import SignalCategory
from cases.selectors.households import household_shown, neighbourhood_choices
from cases.selectors.signals import SignalFilters, categories_all, signal_get, signal_search_page
from cases.services.signals import signal_category_save, signal_change_status
from cases.views.roles import corporation_worker_required, installation_required
from partners.views.submissions import submitted_once

PAGE_SIZE = 25  # as the household list

SCOPES = {"mijn": "mine", "opvolgen": "due", "open": "open", "verlopen": "overdue", "alle": "all"}


@require_GET
@corporation_worker_required
def signal_list(request):
    scope = request.GET.get("lijst", "mijn")
    scope = scope if scope in SCOPES else "mijn"
    form = SignalFilterForm(
        request.GET or None,
        neighbourhoods=neighbourhood_choices(actor=request.actor),
        categories=categories_all(),
    )
    form.is_valid()  # an invalid filter is left out; the valid ones still apply
    data = getattr(form, "cleaned_data", {})
    filters = SignalFilters(
        scope=SCOPES[scope],
        neighbourhood=data.get("neighbourhood"),
        category=data.get("category"),
        severity=data.get("severity", ""),
        status=data.get("status", ""),
        older_than_days=int(data["age"]) if data.get("age") else None,
    )
    page = signal_search_page(
        actor=request.actor, filters=filters, page=request.GET.get("page"), per_page=PAGE_SIZE
    )
    return render(request, "cases/signal_list.html", {"form": form, "page": page, "scope": scope})


@require_http_methods(["GET", "POST"])
@corporation_worker_required
@submitted_once
def signal_status(request, pk):
    signal = signal_get(actor=request.actor, pk=pk, log=request.method == "GET")
    form = SignalStatusForm(request.POST or None, signal=signal)
    if request.method == "POST" and form.is_valid():
        try:
            signal_change_status(actor=request.actor, signal=signal, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The status of the signal is saved."))
            return redirect("cases:household_detail", pk=signal.household_id)
    if request.method == "POST":
        household_shown(actor=request.actor, household=signal.household)
    return render(request, "cases/signal_status.html", {"signal": signal, "form": form})


@require_GET
@installation_required
def category_list(request):
    return render(request, "cases/category_list.html", {"categories": categories_all()})


@require_http_methods(["GET", "POST"])
@installation_required
def category_edit(request, pk=None):
    category = get_object_or_404(SignalCategory, pk=pk) if pk else None
    form = SignalCategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            signal_category_save(user=request.user, category=category, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The category is saved."))
            return redirect("cases:category_list")
    return render(request, "cases/category_form.html", {"form": form, "category": category})
