"""The workers' pages of requests for informal help and their matches (ADR 0033): making a
request from the household's plan, a request's page with its matches and steps, proposing a
helper, recording the household's agreement, ending a match and closing a request. Bad input
is shown at its field on the request page, with everything typed kept."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.forms.help_requests import HelpRequestForm, ProposeForm, ReasonForm
from cases.models import Helper
from cases.selectors import help_requests as selectors
from cases.selectors.matching import helper_suggestions
from cases.services import help_requests as services
from cases.services import matches
from cases.views.roles import help_worker_required


def _form_error(form, exc: ValidationError) -> None:
    """A service's refusal at the form's field where it names one, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _propose_form(data, pk, helpers) -> ProposeForm:
    action = reverse("cases:help_match_propose", args=[pk])
    return ProposeForm(data, helpers=helpers, action=action)


def _close_form(data, pk) -> ReasonForm:
    action = reverse("cases:help_request_close", args=[pk])
    return ReasonForm(data, with_side=False, submit_label=_("Close the request"), action=action)


def _request_page(request, pk, *, status=200, **forms):
    page = selectors.help_request_page(actor=request.actor, pk=pk)
    helpers = selectors.helpers_offering(actor=request.actor, request=page.request)
    context = {
        "page": page,
        "help_request": page.request,
        # Ranked and explained (ADR 0034); the select below still offers any helper.
        "suggestions": helper_suggestions(actor=request.actor, request=page.request),
        "propose_url": reverse("cases:help_match_propose", args=[pk]),
        "propose_form": forms.get("propose_form") or _propose_form(None, pk, helpers),
        "end_form": forms.get("end_form"),
        "end_match": forms.get("end_match"),
        "close_form": forms.get("close_form") or _close_form(None, pk),
    }
    return render(request, "cases/help_request_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
@help_worker_required
def help_request_create(request, household_pk):
    household = selectors.help_household_get(actor=request.actor, pk=household_pk)
    sources = selectors.help_request_sources(actor=request.actor, household=household)
    form = HelpRequestForm(request.POST or None, sources=sources)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            made = services.help_request_create(
                actor=request.actor, household=household, **values.pop("source"), **values
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The request for informal help is made."))
            return redirect("cases:help_request_detail", made.pk)
    context = {"form": form, "household": household, "sources": sources}
    return render(request, "cases/help_request_form.html", context)


@require_GET
@help_worker_required
def help_request_detail(request, pk):
    return _request_page(request, pk)


@require_POST
@help_worker_required
def help_match_propose(request, pk):
    help_request = selectors.help_request_for_change(actor=request.actor, pk=pk)
    helpers = selectors.helpers_offering(actor=request.actor, request=help_request)
    form = _propose_form(request.POST, pk, helpers)
    # A helper the list does not offer (of another organisation, without a VOG) is still
    # given to the service, which says why it refuses.
    form.fields["helper"].choices += [(request.POST.get("helper"), "")]
    if form.is_valid():
        helper = Helper(pk=form.cleaned_data["helper"])
        try:
            matches.match_propose(actor=request.actor, request=help_request, helper=helper)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The helper is asked through their link."))
            return redirect("cases:help_request_detail", pk)
    return _request_page(request, pk, status=400, propose_form=form)


@require_POST
@help_worker_required
def help_match_household_agrees(request, pk):
    match = selectors.help_match_for_change(actor=request.actor, pk=pk)
    try:
        matches.match_household_agrees(actor=request.actor, match=match)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The household's agreement is recorded."))
    return redirect("cases:help_request_detail", match.request_id)


@require_POST
@help_worker_required
def help_match_end(request, pk):
    match = selectors.help_match_for_change(actor=request.actor, pk=pk)
    form = ReasonForm(request.POST, submit_label=_("End"))
    if form.is_valid():
        try:
            matches.match_end(actor=request.actor, match=match, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The match has ended."))
            return redirect("cases:help_request_detail", match.request_id)
    return _request_page(request, match.request_id, status=400, end_form=form, end_match=match.pk)


@require_POST
@help_worker_required
def help_request_close(request, pk):
    help_request = selectors.help_request_for_change(actor=request.actor, pk=pk)
    form = _close_form(request.POST, pk)
    if form.is_valid():
        try:
            services.help_request_close(
                actor=request.actor, request=help_request, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The request is closed."))
            return redirect("cases:help_request_detail", pk)
    return _request_page(request, pk, status=400, close_form=form)
