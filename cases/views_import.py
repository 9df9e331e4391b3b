"""Import of households: upload → preview → import (docs/import.md). Only a corporation's
administrators, into their own corporation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import imports
from cases.imports.forms import HouseholdImportForm
from cases.labels import FIELD_LABELS
from partners.actor import actor_required
from partners.models import Membership, Organisation

ERRORS_PER_PAGE = 100

COLUMN_HELP = [
    (
        "huurcontract",
        _("Tenancy reference. It identifies the household: importing again updates it."),
    ),
    ("straat", _("Street")),
    ("huisnummer", _("House number: a whole number from 1")),
    ("toevoeging", _("Addition to the house number, like A or 2-hoog")),
    ("postcode", _("Postcode, like 1234 AB")),
    ("plaats", _("Town")),
    ("buurtcode", _("CBS code of the neighbourhood (BU…) or district (WK…)")),
    ("complexnummer", _("Number of the building complex; one not yet known is created")),
    ("complexnaam", _("Name of the building complex")),
    ("telefoon", _("Phone number")),
    ("email", _("E-mail address")),
    ("hoofdhuurder", _("Name of the main tenant")),
    ("geboortejaar_hoofdhuurder", _("Year of birth of the main tenant")),
]


# An administrator acting for a housing corporation; others get 403.
corporation_admin_required = actor_required(
    Membership.Role.BEHEERDER, kinds=(Organisation.Kind.CORPORATIE,)
)


@require_http_methods(["GET", "POST"])
@corporation_admin_required
def import_upload(request):
    form = HouseholdImportForm(*([request.POST, request.FILES] if request.method == "POST" else []))
    if request.method == "POST" and form.is_valid():
        household_import = imports.household_import_create(
            actor=request.actor, file_name=form.cleaned_data["file"].name, parsed=form.parsed
        )
        return redirect("imports:detail", household_import.pk)
    return render(
        request,
        "cases/import_upload.html",
        {
            "form": form,
            "columns": [(name, imports.COLUMNS[name][0], text) for name, text in COLUMN_HELP],
            "recent": imports.household_import_list(actor=request.actor)[:10],
        },
    )


@require_GET
@corporation_admin_required
def import_detail(request, pk):
    household_import = imports.household_import_get(actor=request.actor, pk=pk)
    running = household_import.is_queued
    context = {
        "household_import": household_import,
        "running": running,
        "progress": imports.progress_get(household_import.pk) if running else None,
    }
    if request.headers.get("HX-Request"):
        if running:
            response = render(request, "cases/import_progress.html", context)
        else:
            response = HttpResponse(status=204)  # finished: show the result page
            response["HX-Refresh"] = "true"
        patch_vary_headers(response, ["HX-Request"])
        return response
    errors = Paginator(household_import.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    errors.object_list = [
        {**error, "text": imports.error_message(error)} for error in errors.object_list
    ]
    sample = [
        {**row, "field_labels": [str(FIELD_LABELS.get(name, name)) for name in row["fields"]]}
        for row in household_import.sample
    ]
    context.update(
        page=errors,
        sample=sample,
        errors_capped=len(household_import.errors) >= imports.MAX_ERRORS,
        failure=imports.failure_message(household_import),
    )
    response = render(request, "cases/import_detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
@corporation_admin_required
def import_confirm(request, pk):
    household_import = imports.household_import_get(actor=request.actor, pk=pk)
    try:
        imports.household_import_start(actor=request.actor, household_import=household_import)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("imports:detail", household_import.pk)
