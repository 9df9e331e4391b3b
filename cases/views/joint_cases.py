"""The joint-case pages: the list, opening from a household, the case page and its actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.forms.joint_cases import FORMS, CaseOpenForm
from cases.models import JointCase
from cases.selectors import joint_cases as selectors_joint_cases
from cases.selectors.households import household_for_change, household_shown
from cases.services import joint_cases as services
from cases.views.roles import worker_required
from partners.views.submissions import submitted_once


@require_GET
@worker_required
def case_list(request):
    status = request.GET.get("status", JointCase.Status.OPEN)
    status = status if status in JointCase.Status.values else JointCase.Status.OPEN
    cases = selectors_joint_cases.case_list(actor=request.actor, status=status)
    context = {"cases": cases, "status": status, "statuses": JointCase.Status.choices}
    return render(request, "cases/joint_case_list.html", context)


@require_GET
@worker_required
def action_list(request):
    scope = request.GET.get("lijst", "open")
    scope = scope if scope in selectors_joint_cases.ACTION_LISTS else "open"
    actions = selectors_joint_cases.action_list(actor=request.actor, scope=scope)
    context = {"actions": actions, "scope": scope, "today": timezone.localdate()}
    return render(request, "cases/joint_case_actions.html", context)


@require_http_methods(["GET", "POST"])
@worker_required
def case_open(request, household_pk):
    household = household_for_change(actor=request.actor, pk=household_pk)
    existing = selectors_joint_cases.case_for_household(actor=request.actor, household=household)
    form = CaseOpenForm(
        request.POST or None,
        organisations=selectors_joint_cases.possible_coordinators(household=household),
        initial={"coordinator_organisation": request.actor.organisation_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(
                actor=request.actor,
                household=household,
                coordinator_organisation=form.cleaned_data["coordinator_organisation"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The joint case is opened."))
            return redirect("joint_cases:detail", pk=case.pk)
    household_shown(actor=request.actor, household=household)
    context = {"household": household, "form": form, "existing": existing}
    return render(request, "cases/joint_case_open.html", context)


def _form(name, case, data=None):
    """The bound or unbound form of one action on a case, offering what the case allows."""
    if name == "participant":
        choices = {"organisations": selectors_joint_cases.joinable_organisations(case=case)}
    elif name in ("coordinator", "action"):
        choices = {
            "organisations": selectors_joint_cases.participating_organisations(case=case),
            "people": selectors_joint_cases.participating_people(
                case=case, workers_only=name == "coordinator"
            ),
        }
    else:
        choices = {}
    return FORMS[name](data, **choices)


def _detail(request, pk, *, bound=None, status=200):
    page = selectors_joint_cases.case_page(actor=request.actor, pk=pk)
    case = page.case
    context = {
        "page": page,
        "case": case,
        "coordinating": case.coordinator_organisation_id == request.actor.organisation_id,
        "may_hand_over": case.coordinator_id in (None, request.actor.user_id),
    }
    for name in FORMS:
        context[f"{name}_form"] = bound if bound and bound.name == name else _form(name, case)
    return render(request, "cases/joint_case_detail.html", context, status=status)


@require_GET
@worker_required
def case_detail(request, pk):
    return _detail(request, pk)


CALLS = {
    "participant": (services.case_add_participant, gettext_lazy("The organisation takes part.")),
    "coordinator": (services.case_set_coordinator, gettext_lazy("The coordinator is changed.")),
    "action": (services.action_add, gettext_lazy("The action is added to the plan.")),
    "note": (services.note_add, gettext_lazy("The note is saved.")),
    "close": (services.case_close, gettext_lazy("The case is closed.")),
}


def _act(request, pk, name):
    case = selectors_joint_cases.case_get(actor=request.actor, pk=pk, log=False)
    form = _form(name, case, request.POST)
    form.name = name
    if form.is_valid():
        call, done = CALLS[name]
        try:
            call(actor=request.actor, case=case, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect("joint_cases:detail", pk=case.pk)
    # Shown again with what was typed; that is a read of the case.
    return _detail(request, pk, bound=form)


@require_POST
@worker_required
def case_participant(request, pk):
    return _act(request, pk, "participant")


@require_POST
@worker_required
def case_coordinator(request, pk):
    return _act(request, pk, "coordinator")


@require_POST
@worker_required
@submitted_once
def case_action(request, pk):
    return _act(request, pk, "action")


@require_POST
@worker_required
@submitted_once
def case_note(request, pk):
    return _act(request, pk, "note")


@require_POST
@worker_required
@submitted_once
def case_close(request, pk):
    return _act(request, pk, "close")


@require_POST
@worker_required
def case_action_done(request, pk, action_pk):
    case = selectors_joint_cases.case_get(actor=request.actor, pk=pk, log=False)
    action = get_object_or_404(case.actions, pk=action_pk)
    try:
        services.action_done(actor=request.actor, action=action)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The action is done."))
    return redirect("joint_cases:detail", pk=case.pk)
