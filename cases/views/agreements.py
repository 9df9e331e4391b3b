"""The administrators' agreements with partner organisations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.forms.agreements import AgreementForm
from cases.models import Agreement
from cases.selectors.signals import categories_in_use
from cases.services.agreements import agreement_save
from cases.views.roles import administrator_required
from partners.models import Organisation


@require_GET
@administrator_required
def agreement_list(request):
    agreements = (
        Agreement.objects.visible_to(request.actor)
        .select_related("first", "second")
        .prefetch_related("categories")
    )
    return render(request, "cases/agreement_list.html", {"agreements": agreements})


@require_http_methods(["GET", "POST"])
@administrator_required
def agreement_edit(request, pk=None):
    agreement = (
        get_object_or_404(Agreement.objects.visible_to(request.actor), pk=pk) if pk else None
    )
    initial = {}
    if agreement:
        initial = {
            "partner": agreement.second,
            "categories": agreement.categories.all(),
            "response_days": agreement.response_days,
            "valid_from": agreement.valid_from,
            "valid_until": agreement.valid_until,
        }
    form = AgreementForm(
        request.POST or None,
        initial=initial,
        partners=Organisation.objects.exclude(pk=request.actor.organisation_id),
        categories=categories_in_use(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement_save(actor=request.actor, agreement=agreement, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The agreement is saved."))
            return redirect("referrals:agreements")
    return render(request, "cases/agreement_form.html", {"form": form, "agreement": agreement})
