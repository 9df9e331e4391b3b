"""Possible duplicate households, for a corporation's administrators (ADR 0026): the list,
and two households side by side to merge or to mark as distinct."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.forms.duplicates import MERGE, DuplicateDecisionForm
from cases.selectors.duplicates.pages import duplicate_pair, duplicates_page
from cases.services.duplicates import household_merge, households_mark_distinct
from cases.views.roles import corporation_administrator_required


@require_GET
@corporation_administrator_required
def duplicate_list(request):
    page = duplicates_page(actor=request.actor, page=request.GET.get("page"))
    return render(request, "cases/duplicate_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@corporation_administrator_required
def duplicate_decide(request, pk, other):
    pair = duplicate_pair(actor=request.actor, pk=pk, other_pk=other)
    households = {side.household.pk: side.household for side in (pair.first, pair.second)}
    form = DuplicateDecisionForm(
        request.POST if request.method == "POST" else None,
        households=[(h.pk, f"{h.address} ({h.tenancy_reference})") for h in households.values()],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == MERGE:
                survivor = households[data["survivor"]]
                absorbed = households[other if survivor.pk == pk else pk]
                household_merge(actor=request.actor, survivor=survivor, absorbed=absorbed)
                done = _("Merged: %(address)s goes on, with everything of the other household.")
                messages.success(request, done % {"address": survivor.address})
            else:
                households_mark_distinct(
                    actor=request.actor, household=households[pk], other=households[other]
                )
                messages.success(request, _("Marked as distinct: they are no longer flagged."))
            return redirect("duplicates:list")
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "cases/duplicate_decide.html", {"pair": pair, "form": form})
