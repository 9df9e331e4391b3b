"""A helper's own pages through their personal link (ADR 0032): their offer, and confirming,
pausing, resuming or stopping it. The actor is the link's Agent; nothing here logs anyone in."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cases.models import PersonalLink
from cases.selectors.helpers import helper_get
from cases.services import helpers as services
from cases.views.links import link_page

offer_page = link_page(PersonalLink.Purpose.HELPER_OFFER)
STEPS = {
    "bevestigen": services.helper_confirm,
    "pauzeren": services.helper_pause,
    "hervatten": services.helper_resume,
    "stoppen": services.helper_stop,
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
