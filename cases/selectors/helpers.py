"""Helpers (dragers, ADR 0032): the lists and pages of the workers, and the helper's own page
through their link. Every read of a helper's details is in the access log."""

from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.access.actors import Actor
from cases.access.log import log_access
from cases.models import AccessLog, Helper, HelperEvent
from cases.workflow import AccessBasis, HelperStatus

# A helper's details rest on their own consent to be registered.
BASIS = AccessBasis.CONSENT


def helper_list(*, actor: Actor, status: str = "") -> list[Helper]:
    """The helpers the actor's organisation registered, by first name; the list is logged as
    one search naming the helpers it showed (one query for the helpers, one for the log)."""
    helpers = Helper.objects.visible_to(actor)
    if status in HelperStatus.values:
        helpers = helpers.filter(status=status)
    helpers = list(helpers)
    log_access(
        actor=actor,
        action=AccessLog.Action.SEARCH,
        detail={"helpers": [h.pk for h in helpers], "status": status},
        legal_basis=BASIS,
    )
    return helpers


def helper_get(*, actor: Actor, pk: int) -> Helper:
    """One helper the actor may see (404 otherwise); the read is logged."""
    helper = get_object_or_404(Helper.objects.visible_to(actor), pk=pk)
    log_access(actor=actor, action=AccessLog.Action.VIEW, obj=helper, legal_basis=BASIS)
    return helper


def helper_for_change(*, actor: Actor, pk: int) -> Helper:
    """A helper the actor may change (404 otherwise). Not logged: the change is."""
    return get_object_or_404(Helper.objects.visible_to(actor), pk=pk)


def helper_shown(*, actor: Actor, helper: Helper) -> None:
    """Log that a page showed the helper's details (a form shown, or shown again)."""
    log_access(actor=actor, action=AccessLog.Action.VIEW, obj=helper, legal_basis=BASIS)


def helper_history(*, helper: Helper) -> list[HelperEvent]:
    """A helper's history, newest first, with the workers who acted."""
    return list(helper.events.select_related("user"))


def helper_open_link(*, helper: Helper):
    """The helper's link that still works, if any (at most one: a new one revokes the old)."""
    return (
        helper.links.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
