"""Support packages: the household's packages with the request form, the inbox of packages to
decide or deliver, one package, and its actions (approve, decline, deliver)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.forms.support import PackageRequestForm, action_form, attach_action_forms
from cases.selectors import support as selectors_support
from cases.selectors.households import household_for_change, household_shown
from cases.services.support import (
    support_package_approve,
    support_package_decline,
    support_package_deliver,
    support_package_request,
    who_changed,
)
from cases.views.roles import decider_required, worker_required
from partners.models import Membership, Organisation
from partners.views.submissions import submitted_once

Role = Membership.Role


def package_panel(*, actor, household, form=None, bound=None) -> dict:
    """What the support-package panel of a household needs: its packages with their action
    forms and, for a worker, the request form (the household page shows it too)."""
    packages = selectors_support.household_packages(actor=actor, household=household)
    attach_action_forms(packages, bound=bound)
    if form is None and actor.role == Role.MEDEWERKER:
        form = PackageRequestForm(
            payers=selectors_support.payer_organisations(actor=actor, household=household)
        )
    return {"packages": packages, "package_form": form, "household": household}


def _household_page(request, household) -> str:
    """Where a worker follows the household's packages: the household page for its own
    corporation's workers, the packages page for a partner's."""
    if request.actor.organisation.kind == Organisation.Kind.CORPORATIE and (
        household.corporation_id == request.actor.organisation_id
    ):
        return reverse("cases:household_detail", args=[household.pk]) + "#pakketten"
    return reverse("packages:household", args=[household.pk])


@require_http_methods(["GET", "POST"])
@worker_required
@submitted_once
def household_packages(request, household_pk):
    household = household_for_change(actor=request.actor, pk=household_pk)
    payers = selectors_support.payer_organisations(actor=request.actor, household=household)
    form = PackageRequestForm(request.POST or None, payers=payers)
    if request.method == "POST" and form.is_valid():
        try:
            support_package_request(actor=request.actor, household=household, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The support package is requested."))
            return redirect(_household_page(request, household))
    household_shown(actor=request.actor, household=household)
    context = package_panel(actor=request.actor, household=household, form=form)
    return render(request, "cases/support_package_household.html", context)


@require_GET
@decider_required
def package_inbox(request):
    box = request.GET.get("lijst", "te-beslissen")
    box = box if box in selectors_support.INBOXES else "te-beslissen"
    packages = selectors_support.package_inbox(actor=request.actor, box=box)
    attach_action_forms(packages)
    return render(request, "cases/support_package_inbox.html", {"packages": packages, "box": box})


def _detail(request, package, *, bound=None):
    attach_action_forms([package], bound=bound)
    return render(request, "cases/support_package_detail.html", {"package": package})


@require_GET
@decider_required
def package_detail(request, pk):
    return _detail(request, selectors_support.package_get(actor=request.actor, pk=pk))


ACTIONS = {
    "goedkeuren": (support_package_approve, _("You approved the support package.")),
    "afwijzen": (support_package_decline, _("You declined the support package.")),
    "leveren": (support_package_deliver, _("The delivery is recorded.")),
}


@require_POST
@decider_required
@submitted_once
def package_act(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    call, done = ACTIONS[action]
    package = selectors_support.package_get(actor=request.actor, pk=pk, log=False)
    form = action_form(action, package, request.POST)
    if form.is_valid() and form.cleaned_data["version"] != package.version:
        form.add_error(None, who_changed(package))
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            call(actor=request.actor, package=package, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            back = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                back = reverse("packages:detail", args=[package.pk])
            return redirect(back)
    # Shown again with what was typed and why it was refused; that is a read of the package.
    package = selectors_support.package_get(actor=request.actor, pk=pk)
    return _detail(request, package, bound=(package.pk, action, form))
