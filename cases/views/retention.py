"""Retention terms: the privacy officer's view of what the next run anonymises, and the
administrators' form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.forms.retention import RetentionTermsForm
from cases.selectors import retention as retention_selectors
from cases.services.retention import retention_terms_save
from cases.views.roles import administrator_required, officer_required

# --- retention -------------------------------------------------------------------------------


@require_GET
@officer_required
def retention(request):
    preview = retention_selectors.retention_preview(actor=request.actor)
    return render(request, "cases/retention.html", {"preview": preview})


@require_http_methods(["GET", "POST"])
@administrator_required
def retention_terms(request):
    form = RetentionTermsForm(request.POST or None, terms=retention_selectors.retention_terms())
    if request.method == "POST" and form.is_valid():
        try:
            retention_terms_save(actor=request.actor, months=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The retention terms are saved."))
            return redirect("privacy:retention_terms")
    preview = retention_selectors.retention_preview(actor=request.actor)
    return render(request, "cases/retention.html", {"form": form, "preview": preview})
