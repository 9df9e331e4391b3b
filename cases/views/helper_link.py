"""A helper's own pages through their personal link (ADR 0032): their offer, and confirming,
pausing, resuming or stopping it; the requests proposed to them, accepting or declining one,
ending agreed help (ADR 0033) and recording help given (ADR 0035). The actor is the link's
Agent; nothing here logs anyone in."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cases.forms.help_given import HelpGivenForm
from cases.models import PersonalLink
from cases.selectors.helpers import helper_get
from cases.selectors.matches import link_match_get, link_proposal, link_proposals
from cases.services import helpers as services
from cases.services import matches
from cases.services.help_given import help_given_record
from cases.views.links import link_page

offer_page = link_page(PersonalLink.Purpose.HELPER_OFFER)
STEPS = {
    "bevestigen": services.helper_confirm,
    "pauzeren": services.helper_pause,
    "hervatten": services.helper_resume,
    "stoppen": matches.helper_stop_ending_matches,
}


@require_GET
@offer_page
def offer(request, token):
    helper = helper_get(actor=request.agent, pk=request.link.helper_id)
    done = request.GET.get("gedaan", "")
    return render(
        request,
        "cases/links/offer.html",
        {"helper": helper, "token": token, "done": done if done in STEPS else ""},
    )


@require_POST
@offer_page
def step(request, token, step):
    if step not in STEPS:
        return render(request, "cases/links/invalid.html", status=404)
    helper = helper_get(actor=request.agent, pk=request.link.helper_id)
    try:
        STEPS[step](actor=request.agent, helper=helper)
    except ValidationError as exc:
        return render(
            request,
            "cases/links/offer.html",
            {"helper": helper, "token": token, "error": " ".join(exc.messages)},
            status=409,
        )
    if step == "stoppen":
        return render(request, "cases/links/stopped.html")
    return redirect(reverse("links:offer", args=[token]) + f"?gedaan={step}")


ANSWERS = {
    "accepteren": lambda actor, match, reason: matches.match_answer(
        actor=actor, match=match, accept=True
    ),
    "afwijzen": lambda actor, match, reason: matches.match_answer(
        actor=actor, match=match, accept=False, reason=reason
    ),
    "beeindigen": lambda actor, match, reason: matches.match_end(
        actor=actor, match=match, reason=reason
    ),
}


@require_GET
@offer_page
def proposals(request, token):
    done = request.GET.get("gedaan", "")
    return render(
        request,
        "cases/links/proposals.html",
        {
            "proposals": link_proposals(actor=request.agent),
            "token": token,
            "done": done if done in ANSWERS else "",
        },
    )


def _help_given_form(token, pk, data=None):
    action = reverse("links:proposal_help_given", args=[token, pk])
    return HelpGivenForm(data, action=action, initial={"given_on": timezone.localdate()})


@require_GET
@offer_page
def proposal(request, token, pk):
    item = link_proposal(actor=request.agent, pk=pk)
    done = request.GET.get("gedaan", "")
    context = {
        "proposal": item,
        "token": token,
        "accepted": done == "accepteren",
        "recorded": done == "gegeven",
        "help_given_form": _help_given_form(token, pk),
    }
    return render(request, "cases/links/proposal.html", context)


@require_POST
@offer_page
def proposal_help_given(request, token, pk):
    """The helper records help they gave under agreed help: the day and roughly how long."""
    match = link_match_get(actor=request.agent, pk=pk)
    form = _help_given_form(token, pk, request.POST)
    if form.is_valid():
        try:
            help_given_record(actor=request.agent, match=match, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(reverse("links:proposal", args=[token, pk]) + "?gedaan=gegeven")
    item = link_proposal(actor=request.agent, pk=pk)
    context = {"proposal": item, "token": token, "help_given_form": form}
    return render(request, "cases/links/proposal.html", context, status=400)


@require_POST
@offer_page
def proposal_step(request, token, pk, answer):
    if answer not in ANSWERS:
        return render(request, "cases/links/invalid.html", status=404)
    match = link_match_get(actor=request.agent, pk=pk)
    reason = request.POST.get("reason", "")
    try:
        ANSWERS[answer](request.agent, match, reason)
    except ValidationError as exc:
        item = link_proposal(actor=request.agent, pk=pk)
        context = {"proposal": item, "token": token, "error": " ".join(exc.messages)}
        context.update(answer=answer, reason=reason)
        return render(request, "cases/links/proposal.html", context, status=400)
    if answer == "accepteren":
        return redirect(reverse("links:proposal", args=[token, pk]) + "?gedaan=accepteren")
    return redirect(reverse("links:proposals", args=[token]) + f"?gedaan={answer}")
