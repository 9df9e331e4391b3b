"""Referral pages: sending from a household, the inbox and outbox, one referral and its steps."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.forms.agreements import AssignForm
from cases.forms.referrals import (
    ReferralCompleteForm,
    ReferralDeclineForm,
    ReferralOnwardForm,
    ReferralSendForm,
    ReferralVersionForm,
)
from cases.selectors import referrals as selectors_referrals
from cases.selectors.households import household_for_change, household_shown
from cases.selectors.joint_cases import CaseLink, case_link
from cases.services import referrals as referral_services
from cases.views.roles import corporation_worker_required, worker_required
from partners.views.submissions import submitted_once


@require_http_methods(["GET", "POST"])
@corporation_worker_required
@submitted_once
def referral_send(request, household_pk):
    household = household_for_change(actor=request.actor, pk=household_pk)
    form = ReferralSendForm(
        request.POST or None,
        partners=selectors_referrals.referral_partners(actor=request.actor),
        signals=selectors_referrals.referable_signals(actor=request.actor, household=household),
        people=selectors_referrals.referral_people(actor=request.actor),
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = referral_services.referral_send(
                actor=request.actor,
                household=household,
                to_organisation=form.cleaned_data["to_organisation"],
                signals=list(form.cleaned_data["signals"]),
                message=form.cleaned_data["message"],
                to_person=form.cleaned_data["to_person"],
                preconditions=form.preconditions(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The referral is sent."))
            return redirect("referrals:detail", pk=referral.pk)
    household_shown(actor=request.actor, household=household)
    return render(request, "cases/referral_form.html", {"household": household, "form": form})


@require_http_methods(["GET", "POST"])
@worker_required
@submitted_once
def referral_onward(request, pk):
    """A partner refers the household onward from a referral it accepted (ADR 0023); one it
    only declined, or not yet accepted, is a 403, one it never had a 404."""
    via = selectors_referrals.referral_get(actor=request.actor, pk=pk, log=False)
    if not selectors_referrals.may_refer_onward(actor=request.actor, referral=via):
        raise PermissionDenied
    household, actor = via.household, request.actor
    form = ReferralOnwardForm(
        request.POST or None,
        partners=selectors_referrals.onward_partners(actor=actor, household=household),
        signals=selectors_referrals.onward_signals(referral=via),
        people=selectors_referrals.onward_people(actor=actor, household=household),
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = referral_services.referral_send_onward(
                actor=actor, via=via, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The household is referred onward."))
            return redirect("referrals:detail", pk=referral.pk)
    household_shown(actor=actor, household=household)
    return render(request, "cases/referral_onward.html", {"via": via, "form": form})


@require_GET
@worker_required
def referral_inbox(request):
    box = request.GET.get("lijst", "nieuw")
    box = box if box in selectors_referrals.INBOXES else "nieuw"
    page = selectors_referrals.referral_inbox(
        actor=request.actor, box=box, page=request.GET.get("page")
    )
    return render(request, "cases/referral_inbox.html", {"page": page, "box": box})


@require_GET
@worker_required
def referral_outbox(request):
    page = selectors_referrals.referral_outbox(actor=request.actor, page=request.GET.get("page"))
    return render(request, "cases/referral_outbox.html", {"page": page})


def _detail(request, referral, *, forms=None, status=200):
    forms = forms or {}
    context = {
        "referral": referral,
        "signals": selectors_referrals.referral_signals(referral=referral)
        if referral.household_visible
        else [],
        "receiving": referral.to_organisation_id == request.actor.organisation_id,
        "case_link": case_link(actor=request.actor, household=referral.household)
        if referral.household_visible
        else CaseLink(),
        "chain": selectors_referrals.referral_chain(actor=request.actor, referral=referral),
        "onward": selectors_referrals.onward_referrals(actor=request.actor, referral=referral),
        # Offered while it has signals left to pass on (the form says so otherwise).
        "may_refer_onward": referral.household_visible
        and selectors_referrals.may_refer_onward(actor=request.actor, referral=referral)
        and selectors_referrals.onward_signals(referral=referral).exists(),
        "decline_form": forms.get("decline")
        or ReferralDeclineForm(initial={"version": referral.version}),
        "complete_form": forms.get("complete")
        or ReferralCompleteForm(initial={"version": referral.version}),
        "version_form": ReferralVersionForm(initial={"version": referral.version}),
        "assign_form": forms.get("assign")
        or AssignForm(
            initial={"version": referral.version, "user": referral.assigned_to_id},
            colleagues=selectors_referrals.colleagues(actor=request.actor),
        ),
        "errors": [
            error
            for name in ("accept", "withdraw", "assign")
            if name in forms
            for error in forms[name].non_field_errors()
        ],
    }
    return render(request, "cases/referral_detail.html", context, status=status)


@require_GET
@worker_required
def referral_detail(request, pk):
    referral = selectors_referrals.referral_get(actor=request.actor, pk=pk)
    return _detail(request, referral)


def _assign_form(data, actor):
    return AssignForm(data, colleagues=selectors_referrals.colleagues(actor=actor))


ACTIONS = {
    "accepteren": (ReferralVersionForm, "accept", _("You accepted the referral.")),
    "afwijzen": (ReferralDeclineForm, "decline", _("You declined the referral.")),
    "afronden": (ReferralCompleteForm, "complete", _("The referral is completed.")),
    "intrekken": (ReferralVersionForm, "withdraw", _("The referral is withdrawn.")),
    "toewijzen": (_assign_form, "assign", _("The referral is assigned.")),
}


# The answers whose service compares the version the person saw under the row's lock.
VERSIONED = {"accept", "decline", "complete"}


@require_POST
@worker_required
@submitted_once
def referral_act(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    form_class, name, done = ACTIONS[action]
    referral = selectors_referrals.referral_get(actor=request.actor, pk=pk, log=False)
    if action == "toewijzen":
        form = form_class(request.POST, request.actor)
    else:
        form = form_class(request.POST)
    if form.is_valid() and form.cleaned_data["version"] != referral.version:
        form.add_error(None, selectors_referrals.referral_changed_message(referral))
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        if name in VERSIONED:
            # Compared again under the row's lock: of two answers on one version, one is taken.
            data["version"] = form.cleaned_data["version"]
        try:
            getattr(referral_services, f"referral_{name}")(
                actor=request.actor, referral=referral, **data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect("referrals:detail", pk=referral.pk)
    return _detail(request, referral, forms={name: form}, status=200)
