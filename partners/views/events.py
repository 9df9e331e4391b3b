"""A system's event subscriptions (ADR 0029): subscribe it and see the signing secret once,
read the delivery log, pause and resume, send a delivery again. Administrators of the system's
own organisation only; another organisation's system or subscription is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partners import selectors
from partners.actor import actor_required
from partners.forms import SubscriptionForm
from partners.models import Membership
from partners.services import events as services

BEHEERDER = Membership.Role.BEHEERDER
PER_PAGE = 25


@never_cache
@require_http_methods(["GET", "POST"])
@actor_required(BEHEERDER)
def subscription_create(request, client_pk):
    client = selectors.client_get(actor=request.actor, pk=client_pk)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.subscription_create(
                actor=request.actor, client=client, **form.cleaned_data
            )
        except ValidationError as exc:
            by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
            for field, errors in by_field.items():
                form.add_error(field, errors)
        else:
            # The secret is shown on this answer only.
            return render(request, "partners/subscription_secret.html", {"issued": issued})
    return render(request, "partners/subscription_create.html", {"form": form, "client": client})


@require_GET
@actor_required(BEHEERDER)
def subscription_detail(request, client_pk, pk):
    subscription = selectors.subscription_get(actor=request.actor, client_pk=client_pk, pk=pk)
    page = Paginator(selectors.delivery_log(subscription=subscription), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "partners/subscription_detail.html",
        {"subscription": subscription, "client": subscription.client, "page": page},
    )


def _act(request, client_pk, pk, service, done: str):
    subscription = selectors.subscription_get(actor=request.actor, client_pk=client_pk, pk=pk)
    service(actor=request.actor, subscription=subscription)
    messages.success(request, done)
    return redirect("events:detail", client_pk=client_pk, pk=pk)


@require_POST
@actor_required(BEHEERDER)
def subscription_pause(request, client_pk, pk):
    done = _("Paused: the system gets no events until you resume.")
    return _act(request, client_pk, pk, services.subscription_pause, done)


@require_POST
@actor_required(BEHEERDER)
def subscription_resume(request, client_pk, pk):
    done = _("Resumed: what waited is sent now.")
    return _act(request, client_pk, pk, services.subscription_resume, done)


@require_POST
@actor_required(BEHEERDER)
def delivery_resend(request, client_pk, pk, delivery_pk):
    subscription = selectors.subscription_get(actor=request.actor, client_pk=client_pk, pk=pk)
    delivery = selectors.delivery_get(subscription=subscription, pk=delivery_pk)
    try:
        services.delivery_resend(actor=request.actor, delivery=delivery)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The event is being sent again."))
    page = request.POST.get("page", "")
    back = reverse("events:detail", kwargs={"client_pk": client_pk, "pk": pk})
    return redirect(f"{back}?page={page}" if page.isdigit() else back)
