"""The follow-up of an agreed match on the workers' side (ADR 0035): what was recorded, and
the form to record help given. Its form is also a partial (templates/cases/_help_given_form.html)
for the match page and the helper's link page to include."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.forms.help_given import HelpGivenForm
from cases.selectors import help_given as selectors
from cases.services.help_given import help_given_record
from cases.views.roles import worker_required
from partners.views.submissions import submitted_once


@require_http_methods(["GET", "POST"])
@worker_required
@submitted_once
def help_given_record_page(request, pk):
    match = selectors.match_for_follow_up(actor=request.actor, pk=pk)
    action = reverse("help_given:record", args=[match.pk])
    form = HelpGivenForm(
        request.POST or None, action=action, initial={"given_on": timezone.localdate()}
    )
    # Sent with a key made on the device: a double click records the help once (ADR 0016).
    form.helper.attrs["data-draft"] = f"help-given:{match.pk}"
    if request.method == "POST" and form.is_valid():
        try:
            help_given_record(actor=request.actor, match=match, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The help given is recorded."))
            return redirect(action)
    context = {
        "match": match,
        "help_given": selectors.help_given_of(match=match),
        "help_given_form": form,
    }
    return render(request, "cases/help_given.html", context)
