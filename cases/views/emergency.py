"""A worker's emergency access: opening a household with a reason, and its emergency page."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cases.forms.emergency import EmergencyForm
from cases.selectors import emergency as selectors_emergency
from cases.services.emergency import emergency_access_open
from cases.views.roles import worker_required
from partners.views.submissions import submitted_once

# --- emergency access (noodtoegang) ----------------------------------------------------------

# One answer whether nobody lives there, several households do, or the worker can see the
# household already: the look-up must not tell which (ADR 0010).
NO_EMERGENCY_ACCESS = gettext_lazy(
    "No emergency access was opened for this address. Check the postcode, the house number and "
    "the addition. A household you can already see, you open from your own lists."
)


@require_http_methods(["GET", "POST"])
@worker_required
@submitted_once
def emergency_open(request):
    form = EmergencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        postcode, number, addition = form.address()
        found = selectors_emergency.emergency_lookup(
            actor=request.actor, postcode=postcode, house_number=number, addition=addition
        )
        if found is None:
            form.add_error("adres", NO_EMERGENCY_ACCESS)
        else:
            try:
                access = emergency_access_open(
                    actor=request.actor, household=found, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("privacy:emergency_detail", pk=access.pk)
    context = {"form": form, "hours": settings.EMERGENCY_ACCESS_HOURS}
    return render(request, "cases/emergency_form.html", context)


@require_GET
@worker_required
def emergency_detail(request, pk):
    page = selectors_emergency.emergency_page(actor=request.actor, pk=pk)
    return render(request, "cases/emergency_detail.html", {"view": page})
