"""Recording and withdrawing a household's consent: the corporation's own workers only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.forms.consents import ConsentForm, ConsentWithdrawForm
from cases.selectors.households import household_for_change, household_shown
from cases.selectors.signals import categories_in_use
from cases.services import consents as consent_services
from cases.views.roles import corporation_worker_required
from partners.views.submissions import submitted_once


def _own_household(request, pk):
    """A household the actor may change, and only its own corporation's: a partner that sees
    it through a referral may not record consent for it (403; unseen households are a 404)."""
    household = household_for_change(actor=request.actor, pk=pk)
    if household.corporation_id != request.actor.organisation_id:
        raise PermissionDenied
    return household


@require_http_methods(["GET", "POST"])
@corporation_worker_required
@submitted_once
def consent_create(request, household_pk):
    household = _own_household(request, household_pk)
    form = ConsentForm(request.POST or None, actor=request.actor, categories=categories_in_use())
    if request.method == "POST" and form.is_valid():
        try:
            consent_services.consent_record(
                actor=request.actor, household=household, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The consent is recorded."))
            return redirect("cases:household_detail", pk=household.pk)
    household_shown(actor=request.actor, household=household)
    return render(request, "cases/consent_form.html", {"household": household, "form": form})


@require_http_methods(["GET", "POST"])
@corporation_worker_required
def consent_withdraw(request, household_pk, pk):
    household = _own_household(request, household_pk)
    consent = get_object_or_404(
        household.consents.select_related("receiving_organisation").prefetch_related("categories"),
        pk=pk,
    )
    form = ConsentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent_services.consent_withdraw(
                actor=request.actor, consent=consent, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The consent is withdrawn."))
            return redirect("cases:household_detail", pk=household.pk)
    household_shown(actor=request.actor, household=household)
    context = {"household": household, "consent": consent, "form": form}
    return render(request, "cases/consent_withdraw.html", context)
