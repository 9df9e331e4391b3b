"""The privacy officer's AVG pages: find a household, its overview (page, document, JSON),
rectification and erasure."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.forms.avg import AvgFindForm, EraseForm, RectifyForm
from cases.selectors import avg as selectors_avg
from cases.services.avg import erasure_refusals, household_erase, household_rectify
from cases.views.privacy import PAGE_ROWS
from cases.views.roles import officer_required
from partners.views.submissions import submitted_once

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
    refusals = erasure_refusals(actor=request.actor, household=overview.household)
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
@submitted_once
def rectify(request, pk):
    household = selectors_avg.avg_household_get(actor=request.actor, pk=pk)
    residents = household.residents.order_by("-is_main_tenant", "name", "pk")
    form = RectifyForm(request.POST or None, household=household, residents=residents)
    if request.method == "POST" and form.is_valid():
        try:
            household_rectify(
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
            household_erase(
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
    refusals = erasure_refusals(actor=request.actor, household=household)
    context = {"household": household, "form": form, "refusals": refusals}
    return render(request, "cases/avg_erase.html", context)
