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


def _page(request, form, *, organisation_id: int | None, holder: str, action: str):
    """One controller's terms, with what the next runs take: counts only, no names (for the
    access log, the whole installation's counts: what an installation administrator may see)."""
    preview = retention_selectors.retention_preview(organisation_id=organisation_id)
    return render(
        request,
        "cases/retention.html",
        {
            "form": form,
            "preview": preview,
            "holder": holder,
            "installation": organisation_id is None,
            "delay_days": settings.RETENTION_CHANGE_DELAY_DAYS,
            "form_action": reverse(action),
        },
    )


def _terms_form(request, organisation_id: int | None):
    terms = retention_selectors.retention_terms(organisation_id=organisation_id)
    return RetentionTermsForm(request.POST or None, terms=terms)


def _saved(request, form, save, action: str):
    """A valid POST saved: say what changed and go back to the page. None when there is
    nothing to save or the service refused it (the form then carries why)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        changed = save(form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    messages.success(request, _saved_message(changed) if changed else _("Nothing changed."))
    return redirect(action)


def _organisation_page(request, form):
    return _page(
        request,
        form,
        organisation_id=request.actor.organisation_id,
        holder=request.actor.organisation.name,
        action="privacy:retention_terms",
    )


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
    saved = _saved(
        request,
        form,
        lambda months: retention_terms_save(
            actor=request.actor, organisation_id=organisation_id, months=months
        ),
        "privacy:retention_terms",
    )
    return saved or _organisation_page(request, form)


@require_http_methods(["GET", "POST"])
@installation_required
def access_log_term(request):
    form = _terms_form(request, None)
    saved = _saved(
        request,
        form,
        lambda months: access_log_term_save(
            user=request.user, months=months[retention_selectors.Kind.ACCESS_LOG]
        ),
        "privacy:access_log_term",
    )
    return saved or _page(
        request, form, organisation_id=None, holder="Inclusie", action="privacy:access_log_term"
    )
