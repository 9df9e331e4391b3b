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

from cases.forms.imports import HouseholdImportForm
from cases.labels import FIELD_LABELS
from cases.selectors.imports import (
    DUPLICATES_SHOWN,
    household_import_duplicates,
    household_import_get,
    household_import_list,
    household_import_sample_shown,
)
from cases.services.imports import failure_message, household_import_create, household_import_start
from cases.services.imports.parsing import COLUMNS, MAX_ERRORS, error_message
from cases.services.imports.progress import progress_get
from cases.services.imports.residents import ROLE_LABELS
from cases.views.roles import corporation_administrator_required

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
    ("hoofdhuurder", _("Name of the main tenant (one row per household)")),
    ("geboortejaar_hoofdhuurder", _("Year of birth of the main tenant")),
    (
        "naam",
        _(
            "Or every resident, one row per person with the same tenancy reference: the "
            "person's name (instead of hoofdhuurder)"
        ),
    ),
    ("rol", _("The person's role: hoofdhuurder, medehuurder or bewoner (empty: bewoner)")),
    ("geboortejaar", _("The person's year of birth")),
]


# An administrator acting for a housing corporation; others get 403.


@require_http_methods(["GET", "POST"])
@corporation_administrator_required
def import_upload(request):
    form = HouseholdImportForm(*([request.POST, request.FILES] if request.method == "POST" else []))
    if request.method == "POST" and form.is_valid():
        household_import = household_import_create(
            actor=request.actor, file_name=form.cleaned_data["file"].name, parsed=form.parsed
        )
        return redirect("imports:detail", household_import.pk)
    return render(
        request,
        "cases/import_upload.html",
        {
            "form": form,
            "columns": [(name, COLUMNS[name][0], text) for name, text in COLUMN_HELP],
            "recent": household_import_list(actor=request.actor)[:10],
        },
    )


@require_GET
@corporation_administrator_required
def import_detail(request, pk):
    household_import = household_import_get(actor=request.actor, pk=pk)
    running = household_import.is_queued
    context = {
        "household_import": household_import,
        "running": running,
        "progress": progress_get(household_import.pk) if running else None,
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
    errors.object_list = [{**error, "text": error_message(error)} for error in errors.object_list]
    sample = [
        {
            **row,
            "field_labels": [str(FIELD_LABELS.get(name, name)) for name in row["fields"]],
            "people": [f"{name} ({ROLE_LABELS[role]})" for name, role in row.get("residents", [])],
        }
        for row in household_import.sample
    ]
    household_import_sample_shown(actor=request.actor, household_import=household_import)
    context.update(
        page=errors,
        sample=sample,
        duplicates=household_import_duplicates(household_import),
        duplicates_more=max(len(household_import.duplicates) - DUPLICATES_SHOWN, 0),
        errors_capped=len(household_import.errors) >= MAX_ERRORS,
        failure=failure_message(household_import),
    )
    response = render(request, "cases/import_detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
@corporation_administrator_required
def import_confirm(request, pk):
    household_import = household_import_get(actor=request.actor, pk=pk)
    try:
        household_import_start(actor=request.actor, household_import=household_import)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("imports:detail", household_import.pk)
