"""Logging a home visit: the form, and the visits a phone kept while it had no network."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.forms.visits import HomeVisitForm
from cases.selectors.households import household_for_change, household_shown
from cases.selectors.signals import categories_in_use
from cases.selectors.visits import visit_conflict, visit_household, visit_sent_before
from cases.services.visits import home_visit_log
from cases.views.roles import corporation_worker_required
from partners.views.offline import kept_offline
from partners.views.submissions import KEY_FIELD, submitted_once


@require_http_methods(["GET", "POST"])
@corporation_worker_required
@submitted_once
@kept_offline
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
                device_key=_device_key(request),
                made_at=_made_at(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The home visit is saved."))
            return redirect("cases:household_detail", pk=household.pk)
    household_shown(actor=request.actor, household=household)
    return render(request, "cases/visit_form.html", {"household": household, "form": form})


def _device_key(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(KEY_FIELD, ""))
    except ValueError:
        return None


def _made_at(request):
    try:
        return parse_datetime(request.POST.get("made_at", ""))
    except ValueError:
        return None


def _sent_before_answer(earlier, pk):
    """The answer for a key stored before: "saved again" for the same household. A key that came
    with a visit to another household belongs to that visit, so this one is a new visit: the
    device makes it a new key and sends it again (ADR 0030)."""
    if earlier.household_id != pk:
        return JsonResponse({"state": "conflict", "rekey": True, "message": ""}, status=409)
    url = reverse("cases:household_detail", args=[earlier.household_id])
    return JsonResponse({"state": "saved", "url": url, "again": True})


@require_POST
@corporation_worker_required
def visit_sync(request, pk):
    """A visit kept on the device, sent by its page when the network is back (ADR 0030). The
    answer is JSON the page acts on: saved (also for a key sent before), invalid, or a conflict
    with why and what to do; the device keeps the visit until it reads "saved"."""
    key = _device_key(request)
    if key is None:
        return HttpResponseBadRequest()
    earlier = visit_sent_before(actor=request.actor, device_key=key)
    if earlier is not None:
        return _sent_before_answer(earlier, pk)
    household = visit_household(actor=request.actor, pk=pk)
    if household is None:
        conflict = visit_conflict(actor=request.actor, pk=pk)
        return JsonResponse({"state": "conflict", "message": conflict}, status=409)
    form = HomeVisitForm(request.POST, categories=categories_in_use())
    if not form.is_valid():
        errors = [e["message"] for field in form.errors.get_json_data().values() for e in field]
        return JsonResponse({"state": "invalid", "message": " ".join(errors)}, status=422)
    try:
        home_visit_log(
            actor=request.actor,
            household=household,
            visited_on=form.cleaned_data["visited_on"],
            kind=form.cleaned_data["kind"],
            outcome=form.cleaned_data["outcome"],
            notes=form.cleaned_data["notes"],
            signals=form.signal_inputs(),
            device_key=key,
            made_at=_made_at(request),
        )
    except IntegrityError:
        # The same key from two tabs at once, for two households: the first one stands.
        return _sent_before_answer(visit_sent_before(actor=request.actor, device_key=key), pk)
    except ValidationError as exc:
        return JsonResponse({"state": "conflict", "message": " ".join(exc.messages)}, status=409)
    if request.headers.get("X-Inclusie-Background") != "1":
        # Sent from the form itself: the household page it goes to says it is saved.
        messages.success(request, _("The home visit is saved."))
    url = reverse("cases:household_detail", args=[household.pk])
    return JsonResponse({"state": "saved", "url": url, "again": False})
