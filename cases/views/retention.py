"""Retention terms (ADR 0015): an organisation's own terms for the records it holds, set by its
administrators and privacy officers, with what the next run anonymises; and the installation's
access-log term, set by the installation administrators."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.forms.retention import RetentionTermsForm
from cases.selectors import retention as retention_selectors
from cases.services.retention import access_log_term_save, retention_terms_save
from cases.views.roles import installation_required, retention_keeper_required


def _saved_message(changed) -> str:
    if any(term.pending_from for term in changed):
        return _(
            "Saved. A shorter term holds only from the date shown; the privacy officers are told."
        )
    return _("The retention terms are saved; the privacy officers are told.")


def _organisation_page(request, form):
    organisation_id = request.actor.organisation_id
    preview = retention_selectors.retention_preview(organisation_id=organisation_id)
    return render(
        request,
        "cases/retention.html",
        {
            "form": form,
            "preview": preview,
            "holder": request.actor.organisation.name,
            "delay_days": settings.RETENTION_CHANGE_DELAY_DAYS,
            "form_action": reverse("privacy:retention_terms"),
        },
    )


def _terms_form(request, organisation_id):
    terms = retention_selectors.retention_terms(organisation_id=organisation_id)
    return RetentionTermsForm(request.POST or None, terms=terms)


@require_GET
@retention_keeper_required
def retention(request):
    """The privacy officer's address of the same page (the form saves to retention_terms)."""
    return _organisation_page(request, _terms_form(request, request.actor.organisation_id))


@require_http_methods(["GET", "POST"])
@retention_keeper_required
def retention_terms(request):
    organisation_id = request.actor.organisation_id
    form = _terms_form(request, organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            changed = retention_terms_save(
                actor=request.actor, organisation_id=organisation_id, months=form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _saved_message(changed) if changed else _("Nothing changed."))
            return redirect("privacy:retention_terms")
    return _organisation_page(request, form)


@require_http_methods(["GET", "POST"])
@installation_required
def access_log_term(request):
    terms = retention_selectors.retention_terms(organisation_id=None)
    form = RetentionTermsForm(request.POST or None, terms=terms)
    if request.method == "POST" and form.is_valid():
        try:
            changed = access_log_term_save(
                user=request.user, months=form.cleaned_data[retention_selectors.Kind.ACCESS_LOG]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _saved_message(changed) if changed else _("Nothing changed."))
            return redirect("privacy:access_log_term")
    # Counts of the whole installation's log, no names: what an installation administrator may
    # see.
    preview = retention_selectors.retention_preview(organisation_id=None)
    return render(
        request,
        "cases/retention.html",
        {
            "form": form,
            "preview": preview,
            "holder": "Inclusie",
            "installation": True,
            "form_action": reverse("privacy:access_log_term"),
            "delay_days": settings.RETENTION_CHANGE_DELAY_DAYS,
        },
    )
