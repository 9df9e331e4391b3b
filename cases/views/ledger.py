"""The costs-and-savings ledger (and its printable page), a shared worker's hours, and what
administrators set for the ledger: the hourly rate, estimates of avoided costs, and the agreed
split of their shared workers' hours (ADR 0009)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.forms.fields import MonthField
from cases.forms.ledger import (
    AvoidedCostForm,
    HourlyRateForm,
    HoursEntryForm,
    HoursSplitForm,
    PeriodForm,
)
from cases.models.ledger import add_months, first_of_month
from cases.selectors import ledger as selectors_ledger
from cases.selectors.ledger import costs as selectors_costs
from cases.selectors.signals import categories_all
from cases.services.ledger import (
    avoided_cost_save,
    hourly_rate_set,
    hours_split_save,
    worked_hours_enter,
)
from cases.views.roles import administrator_required, ledger_reader_required, member_required

# Managers read the ledger; administrators too, since they set what it weighs.


def _ledger(request) -> dict:
    form = PeriodForm(request.GET or None)
    if not form.is_bound:
        period = form.default_period()
    else:
        period = form.period() if form.is_valid() else None
    ledger = selectors_ledger.ledger_for(actor=request.actor, period=period) if period else None
    return {
        "form": form,
        "ledger": ledger,
        "query": request.GET.urlencode(),
        "today": timezone.localdate(),
    }


@require_GET
@ledger_reader_required
def ledger(request):
    return render(request, "cases/ledger.html", _ledger(request))


@require_GET
@ledger_reader_required
def ledger_print(request):
    return render(request, "cases/ledger_print.html", _ledger(request))


@require_http_methods(["GET", "POST"])
@member_required
def hours_entry(request):
    organisations = selectors_costs.organisations_of_person(user_id=request.user.pk)
    if len(organisations) < 2:
        raise PermissionDenied
    try:
        month = MonthField().clean(request.GET.get("maand")) or None
    except ValidationError:
        month = None
    month = min(month or first_of_month(timezone.localdate()), first_of_month(timezone.localdate()))
    initial = {"month": month} | selectors_costs.hours_of_month(
        user_id=request.user.pk, organisations=organisations, month=month
    )
    form = HoursEntryForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            worked_hours_enter(
                actor=request.actor,
                month=form.cleaned_data["month"],
                hours=form.per_organisation(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your hours are saved."))
            return redirect(f"{reverse('ledger:hours')}?maand={form.cleaned_data['month']:%Y-%m}")
    this_month = first_of_month(timezone.localdate())
    months = [add_months(this_month, -n) for n in range(11, -1, -1)]
    overview = selectors_costs.hours_overview(
        user_id=request.user.pk, organisations=organisations, months=months
    )
    context = {"form": form, "organisations": organisations, "overview": overview}
    return render(request, "cases/hours_entry.html", context)


@require_GET
@administrator_required
def costs(request):
    context = {
        "rates": selectors_costs.rates_of(actor=request.actor),
        "estimates": selectors_costs.estimates_of(actor=request.actor),
    }
    return render(request, "cases/costs.html", context)


@require_http_methods(["GET", "POST"])
@administrator_required
def hourly_rate_edit(request):
    current = next(iter(selectors_costs.rates_of(actor=request.actor)), None)
    form = HourlyRateForm(request.POST or None, initial={"amount": current and current.amount})
    if request.method == "POST" and form.is_valid():
        try:
            hourly_rate_set(actor=request.actor, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The hourly rate is saved."))
            return redirect("ledger:costs")
    return render(request, "cases/hourly_rate_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@administrator_required
def estimate_edit(request, pk=None):
    estimate = selectors_costs.estimate_get(actor=request.actor, pk=pk) if pk else None
    initial = {}
    if estimate:
        initial = {
            "category": estimate.category,
            "amount": estimate.amount,
            "source": estimate.source,
            "valid_from": estimate.valid_from,
        }
    form = AvoidedCostForm(request.POST or None, initial=initial, categories=categories_all())
    if request.method == "POST" and form.is_valid():
        try:
            avoided_cost_save(actor=request.actor, estimate=estimate, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The estimate is saved."))
            return redirect("ledger:costs")
    return render(request, "cases/estimate_form.html", {"form": form, "estimate": estimate})


@require_GET
@administrator_required
def split_list(request):
    workers = selectors_costs.shared_workers(actor=request.actor)
    return render(request, "cases/split_list.html", {"workers": workers})


@require_http_methods(["GET", "POST"])
@administrator_required
def split_edit(request, user_pk):
    worker = selectors_costs.shared_worker_get(actor=request.actor, pk=user_pk)
    initial = {}
    if worker.split:
        shares = {share.organisation_id: share.percent for share in worker.split.shares.all()}
        initial = {"hours_per_week": worker.split.hours_per_week} | {
            f"org_{o.pk}": shares.get(o.pk, 0) for o in worker.organisations
        }
    form = HoursSplitForm(request.POST or None, organisations=worker.organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            hours_split_save(
                actor=request.actor,
                user=worker,
                hours_per_week=form.cleaned_data["hours_per_week"],
                valid_from=form.cleaned_data["valid_from"],
                shares=form.per_organisation(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The agreed split is saved."))
            return redirect("ledger:splits")
    return render(request, "cases/split_form.html", {"form": form, "worker": worker})
