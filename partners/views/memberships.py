"""Choosing the organisation to act for, the administrators' members and invitations, and
accepting an invitation."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from partners import selectors
from partners.actor import actor_required, actor_set
from partners.forms import InvitationAcceptForm, InvitationForm, MembershipForm
from partners.models import Membership
from partners.services import memberships as services

BEHEERDER = Membership.Role.BEHEERDER


def _safe_next(request, fallback="start"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_http_methods(["GET", "POST"])
def actor_choose(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.memberships:
        return redirect("partners:no_membership")
    if request.method == "POST":
        chosen = request.POST.get("membership", "")
        membership = next((m for m in request.memberships if str(m.pk) == chosen), None)
        if membership is None:
            raise Http404
        actor_set(request, membership)
        messages.success(
            request,
            _("You now act for %(organisation)s.") % {"organisation": membership.organisation},
        )
        return redirect(_safe_next(request))
    return render(request, "partners/actor_choose.html", {"next": _safe_next(request, "")})


@require_http_methods(["GET"])
def no_membership(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.actor is not None or request.user.is_installation_admin:
        return redirect("start")
    return render(request, "partners/no_membership.html")


@require_http_methods(["GET"])
@actor_required(BEHEERDER)
def member_list(request):
    status = request.GET.get("status", "active")
    status = status if status in {"active", "ended", "all"} else "active"
    query = request.GET.get("q", "").strip()
    page = Paginator(
        selectors.membership_list(actor=request.actor, status=status, query=query), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/member_list.html",
        {
            "page": page,
            "status": status,
            "query": query,
            "invitations": selectors.invitation_list_open(actor=request.actor),
        },
    )


@require_http_methods(["GET", "POST"])
@actor_required(BEHEERDER)
def member_invite(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(actor=request.actor, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("partners:member_list")
    return render(
        request,
        "partners/member_invite.html",
        {"form": form, "invitation_days": settings.INVITATION_VALID_DAYS},
    )


@require_http_methods(["GET", "POST"])
@actor_required(BEHEERDER)
def member_edit(request, pk):
    membership = selectors.membership_get(actor=request.actor, pk=pk)
    initial = {
        "role": membership.role,
        "neighbourhoods": membership.neighbourhoods.all(),
        "receives_referrals": membership.receives_referrals,
    }
    form = MembershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                actor=request.actor, membership=membership, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The membership of %(name)s is saved.") % {"name": membership.user}
            )
            return redirect("partners:member_list")
    return render(request, "partners/member_edit.html", {"membership": membership, "form": form})


@require_http_methods(["GET", "POST"])
@actor_required(BEHEERDER)
def member_end(request, pk):
    membership = selectors.membership_get(actor=request.actor, pk=pk)
    error = None
    if request.method == "POST":
        try:
            services.membership_end(actor=request.actor, membership=membership)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, _("The membership of %(name)s has ended.") % {"name": membership.user}
            )
            return redirect("partners:member_list")
    return render(request, "partners/member_end.html", {"membership": membership, "error": error})


@require_POST
@actor_required(BEHEERDER)
def invitation_revoke(request, pk):
    invitation = selectors.invitation_get(actor=request.actor, pk=pk)
    try:
        services.invitation_revoke(actor=request.actor, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The invitation for %(email)s is revoked.") % {"email": invitation.email}
        )
    return redirect("partners:member_list")


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = selectors.invitation_get_open(token=token)
    if invitation is None:
        return render(request, "partners/invitation_invalid.html", status=404)
    if request.user.is_authenticated or selectors.invitation_has_account(invitation=invitation):
        return _invitation_accept_existing(request, invitation)
    form = InvitationAcceptForm(request.POST or None, initial={"name": invitation.name})
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.invitation_accept(
                invitation=invitation,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            return _welcome(request, membership)
    return render(
        request, "partners/invitation_accept.html", {"invitation": invitation, "form": form}
    )


def _invitation_accept_existing(request, invitation):
    """An invitation for someone who already has an account: accepted once logged in as them."""
    error = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        try:
            membership = services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return _welcome(request, membership)
    return render(
        request, "partners/invitation_accept.html", {"invitation": invitation, "error": error}
    )


def _welcome(request, membership):
    actor_set(request, membership)
    messages.success(
        request, _("Welcome to %(organisation)s.") % {"organisation": membership.organisation}
    )
    return redirect("start")
