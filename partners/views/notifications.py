"""A person's notifications: the list, the bell's count, opening one, marking read, and the
e-mail choices."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partners import selectors
from partners.actor import actor_set
from partners.forms import NotificationPreferencesForm
from partners.kinds import text_of
from partners.models import Notification
from partners.services import notifications as notification_services

CHANGED = "notifications-changed"  # the htmx event that makes the bell ask again


def _own(request, pk: int) -> Notification:
    return get_object_or_404(selectors.notifications_of(user=request.user), pk=pk)


def _page(request):
    page = Paginator(selectors.notifications_of(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    for item in page:
        item.text = text_of(item)
    return page


@require_GET
@login_required
def notification_list(request):
    return render(request, "partners/notifications/list.html", {"page": _page(request)})


@require_GET
@login_required
def notification_bell(request):
    unread = selectors.notifications_unread_count(user=request.user)
    return render(request, "partners/notifications/_bell.html", {"unread": unread})


@require_http_methods(["GET", "POST"])
@login_required
def notification_open(request, pk):
    """Follow a notification: mark it read and go to its page. When it concerns another of the
    person's organisations, they first confirm acting for it (a POST: a link from elsewhere
    cannot switch anyone's organisation)."""
    notification = _own(request, pk)
    notification_services.notification_open(user=request.user, notification=notification)
    membership = next(
        (m for m in request.memberships if m.organisation_id == notification.organisation_id),
        None,
    )
    if membership is not None and membership != request.actor:
        if request.method == "GET":
            return render(
                request,
                "partners/notifications/switch.html",
                {"membership": membership, "text": text_of(notification)},
            )
        actor_set(request, membership)
        messages.info(
            request,
            _("You now act for %(organisation)s.") % {"organisation": membership.organisation},
        )
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "notifications:list"
    return redirect(target)


@require_POST
@login_required
def notification_read(request, pk):
    notification = _own(request, pk)
    notification_services.notification_open(user=request.user, notification=notification)
    if request.headers.get("HX-Request") == "true":
        notification.refresh_from_db()
        notification.text = text_of(notification)
        response = render(request, "partners/notifications/_item.html", {"item": notification})
        response["HX-Trigger"] = CHANGED
        return response
    return redirect("notifications:list")


@require_POST
@login_required
def notification_read_all(request):
    count = notification_services.notifications_read_all(user=request.user)
    if request.headers.get("HX-Request") == "true":
        response = render(request, "partners/notifications/_list.html", {"page": _page(request)})
        response["HX-Trigger"] = CHANGED
        return response
    messages.success(
        request,
        ngettext(
            "%(count)s notification marked as read.",
            "%(count)s notifications marked as read.",
            count,
        )
        % {"count": count},
    )
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
@login_required
def notification_preferences(request):
    form = NotificationPreferencesForm(
        request.POST or None, current=selectors.notification_choices(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        notification_services.preferences_save(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")
    return render(request, "partners/notifications/preferences.html", {"form": form})
