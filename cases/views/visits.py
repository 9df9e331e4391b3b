"""Logging a home visit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.forms.visits import HomeVisitForm
from cases.selectors.households import household_for_change, household_shown
from cases.selectors.signals import categories_in_use
from cases.services.visits import home_visit_log
from cases.views.roles import corporation_worker_required
from partners.views.submissions import submitted_once


@require_http_methods(["GET", "POST"])
@corporation_worker_required
@submitted_once
def visit_create(request, pk):
    household = household_for_change(actor=request.actor, pk=pk)
    form = HomeVisitForm(request.POST or None, categories=categories_in_use())
    if request.method == "POST" and form.is_valid():
        try:
            home_visit_log(
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
    household_shown(actor=request.actor, household=household)
    return render(request, "cases/visit_form.html", {"household": household, "form": form})
