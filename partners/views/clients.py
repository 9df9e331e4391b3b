"""The administrators' page of their organisation's systems (API clients, ADR 0024): register
one and see its key once, revoke one at once; one system's page with its event subscriptions
(ADR 0029)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partners import selectors
from partners.actor import actor_required
from partners.forms import ClientForm
from partners.models import ApiClient, Membership, Organisation
from partners.services import clients as services

BEHEERDER = Membership.Role.BEHEERDER


def _scopes(actor) -> list[tuple[str, str]]:
    corporation = actor.organisation.kind == Organisation.Kind.CORPORATIE
    return [
        (value, label)
        for value, label in ApiClient.Scope.choices
        if corporation or value not in services.CORPORATION_SCOPES
    ]


@require_GET
@actor_required(BEHEERDER)
def client_list(request):
    clients = selectors.client_list(actor=request.actor)
    return render(request, "partners/client_list.html", {"clients": clients})


@require_GET
@actor_required(BEHEERDER)
def client_detail(request, pk):
    client = selectors.client_get(actor=request.actor, pk=pk)
    subscriptions = selectors.subscription_list(client=client)
    return render(
        request, "partners/client_detail.html", {"client": client, "subscriptions": subscriptions}
    )


@never_cache
@require_http_methods(["GET", "POST"])
@actor_required(BEHEERDER)
def client_register(request):
    form = ClientForm(request.POST or None, scopes=_scopes(request.actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = services.client_register(
                actor=request.actor,
                name=data["name"],
                scopes=data["scopes"],
                expires_at=data["expires_on"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            # The key is shown on this answer only: it is stored nowhere.
            return render(request, "partners/client_key.html", {"issued": issued})
    return render(request, "partners/client_register.html", {"form": form})


def _add_errors(form, exc: ValidationError) -> None:
    fields = {"expires_at": "expires_on"}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(fields.get(field, field), errors)


@require_POST
@actor_required(BEHEERDER)
def client_revoke(request, pk):
    client = selectors.client_get(actor=request.actor, pk=pk)
    try:
        services.client_revoke(actor=request.actor, client=client)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The key of %(name)s no longer works.") % {"name": client.name})
    return redirect("clients:list")
