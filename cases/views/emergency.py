"""A worker's emergency access: opening a household with a reason, its emergency page and,
past the limit, the request waiting for approval; the privacy officer's decision on such a
request and the weekly overview (ADR 0018)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.forms.emergency import EmergencyForm, EmergencyRefuseForm, EmergencyWeekForm
from cases.models import EmergencyAccessRequest
from cases.selectors import emergency as selectors_emergency
from cases.services.emergency import (
    emergency_access_open,
    emergency_request_approve,
    emergency_request_refuse,
)
from cases.views.roles import officer_required, worker_required
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
                opened = emergency_access_open(
                    actor=request.actor, household=found, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if isinstance(opened, EmergencyAccessRequest):
                    return redirect("privacy:emergency_request", pk=opened.pk)
                return redirect("privacy:emergency_detail", pk=opened.pk)
    context = {
        "form": form,
        "hours": settings.EMERGENCY_ACCESS_HOURS,
        "allowance": selectors_emergency.emergency_allowance(user_id=request.user.pk),
    }
    return render(request, "cases/emergency_form.html", context)


@require_GET
@worker_required
def emergency_detail(request, pk):
    page = selectors_emergency.emergency_page(actor=request.actor, pk=pk)
    return render(request, "cases/emergency_detail.html", {"view": page})


@require_GET
@worker_required
def emergency_request(request, pk):
    asked = selectors_emergency.emergency_request_get(actor=request.actor, pk=pk)
    context = {"asked": asked, "hours": settings.EMERGENCY_REQUEST_HOURS}
    return render(request, "cases/emergency_request.html", context)


# --- the privacy officer: a request past the limit, the weekly overview ----------------------


@require_GET
@officer_required
def emergency_request_decide(request, pk):
    page = selectors_emergency.emergency_request_for_officer(actor=request.actor, pk=pk)
    context = {"page": page, "refuse_form": EmergencyRefuseForm()}
    return render(request, "cases/emergency_request_decide.html", context)


@require_POST
@officer_required
def emergency_request_approve_view(request, pk):
    page = selectors_emergency.emergency_request_for_officer(actor=request.actor, pk=pk)
    try:
        emergency_request_approve(actor=request.actor, request=page.entry.request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("privacy:emergency_request_decide", pk=pk)
    messages.success(request, _("Approved: the emergency access is open."))
    return redirect("privacy:emergency_list")


@require_POST
@officer_required
@submitted_once
def emergency_request_refuse_view(request, pk):
    form = EmergencyRefuseForm(request.POST)
    page = selectors_emergency.emergency_request_for_officer(actor=request.actor, pk=pk)
    if form.is_valid():
        try:
            emergency_request_refuse(
                actor=request.actor, request=page.entry.request, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Refused: the worker is told why."))
            return redirect("privacy:emergency_list")
    context = {"page": page, "refuse_form": form}
    return render(request, "cases/emergency_request_decide.html", context)


@require_GET
@officer_required
def emergency_week(request):
    form = EmergencyWeekForm(request.GET or None, today=timezone.localdate())
    week = selectors_emergency.emergency_week(actor=request.actor, start=form.start())
    return render(request, "cases/emergency_week.html", {"form": form, "week": week})
