"""The workers' pages of the helpers (dragers) of their own organisation (ADR 0032): the list,
a helper's page with their history and link, registering and changing, and the steps."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.forms.helpers import HelperForm
from cases.selectors import helpers as selectors
from cases.services import helpers as services
from cases.services import links, matches
from cases.services.helpers import FIELDS
from cases.views.roles import worker_required
from cases.workflow import HelperStatus

STEPS = {
    "pauzeren": (services.helper_pause, gettext_lazy("The offer is paused.")),
    "hervatten": (services.helper_resume, gettext_lazy("The offer is active again.")),
    "stoppen": (
        matches.helper_stop_ending_matches,
        gettext_lazy("The offer has ended and the link no longer works."),
    ),
}


@require_GET
@worker_required
def helper_list(request):
    status = request.GET.get("status", "")
    helpers = selectors.helper_list(actor=request.actor, status=status)
    return render(
        request,
        "cases/helper_list.html",
        {"helpers": helpers, "status": status, "statuses": HelperStatus.choices},
    )


@require_GET
@worker_required
def helper_detail(request, pk):
    helper = selectors.helper_get(actor=request.actor, pk=pk)
    return render(
        request,
        "cases/helper_detail.html",
        {
            "helper": helper,
            "history": selectors.helper_history(helper=helper),
            "link": selectors.helper_open_link(helper=helper),
        },
    )


@require_http_methods(["GET", "POST"])
@worker_required
def helper_create(request):
    form = HelperForm(request.POST or None, submit_label=_("Register helper"))
    if request.method == "POST" and form.is_valid():
        try:
            helper = services.helper_register(actor=request.actor, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": helper.first_name})
            return redirect("helpers:detail", helper.pk)
    return render(request, "cases/helper_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@worker_required
def helper_edit(request, pk):
    helper = selectors.helper_for_change(actor=request.actor, pk=pk)
    initial = {key: getattr(helper, key) for key in FIELDS}
    form = HelperForm(request.POST or None, initial=initial, submit_label=_("Save changes"))
    if request.method == "POST" and form.is_valid():
        try:
            services.helper_update(actor=request.actor, helper=helper, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("helpers:detail", helper.pk)
    selectors.helper_shown(actor=request.actor, helper=helper)
    return render(request, "cases/helper_form.html", {"form": form, "helper": helper})


@require_POST
@worker_required
def helper_link_issue(request, pk):
    helper = selectors.helper_for_change(actor=request.actor, pk=pk)
    try:
        issued = links.helper_link_issue(
            actor=request.actor, helper=helper, delivery=request.POST.get("delivery", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("helpers:detail", helper.pk)
    if not issued.url:
        messages.success(
            request, _("The link is being sent to %(email)s.") % {"email": helper.email}
        )
        return redirect("helpers:detail", helper.pk)
    selectors.helper_shown(actor=request.actor, helper=helper)
    response = render(request, "cases/helper_link.html", {"helper": helper, "issued": issued})
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
@worker_required
def helper_link_revoke(request, pk):
    helper = selectors.helper_for_change(actor=request.actor, pk=pk)
    if links.helper_link_revoke(actor=request.actor, helper=helper):
        messages.success(request, _("The link no longer works."))
    return redirect("helpers:detail", helper.pk)


@require_POST
@worker_required
def helper_step(request, pk, step):
    helper = selectors.helper_for_change(actor=request.actor, pk=pk)
    if step not in STEPS:
        raise Http404
    service, done = STEPS[step]
    try:
        service(actor=request.actor, helper=helper)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("helpers:detail", helper.pk)
