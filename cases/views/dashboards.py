"""The managers' dashboard and its exports (role manager only; always the own organisation)."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cases.forms.dashboards import DashboardFilterForm
from cases.selectors import dashboards as selectors_dashboards
from cases.selectors.dashboards.offer import dashboard_filter_choices, dashboard_refreshed_at
from cases.views import exports
from cases.views.roles import manager_required

FORMATS = ("csv", "xlsx")


def _filter_form(request, counted) -> DashboardFilterForm:
    return DashboardFilterForm(
        request.GET or None,
        choices=dashboard_filter_choices(actor=request.actor, refreshed_at=counted),
    )


@require_GET
@manager_required
def dashboard(request):
    counted = dashboard_refreshed_at()
    form = _filter_form(request, counted)
    filters = form.filters()
    context = {
        "form": form,
        # Computed only when the page's figures are not in the cache (templates: {% cache %}).
        "dashboard": SimpleLazyObject(
            lambda: selectors_dashboards.dashboard_get(
                actor=request.actor, filters=filters, refreshed_at=counted
            )
        ),
        "page_key": selectors_dashboards.dashboard_key(
            actor=request.actor, filters=filters, refreshed_at=counted
        ),
        "page_seconds": 2 * settings.DASHBOARD_REFRESH_SECONDS,
        "query": filters.as_query(),
    }
    return render(request, "cases/dashboard.html", context)


@require_GET
@manager_required
def dashboard_export(request, key, file_format):
    if file_format not in FORMATS:
        raise Http404
    counted = dashboard_refreshed_at()
    filters = _filter_form(request, counted).filters()
    table = selectors_dashboards.dashboard_export(
        actor=request.actor, filters=filters, key=key, file_format=file_format
    )
    if table is None:
        raise Http404
    filename = f"inclusie-{key}-{filters.start:%Y-%m-%d}-{filters.end:%Y-%m-%d}.{file_format}"
    if file_format == "csv":
        return exports.table_csv(table, filename)
    about = [
        (_("About these figures"), ""),
        (_("Figure"), table.title),
        (_("Organisation"), request.actor.organisation.name),
        (_("Period"), f"{date_format(filters.start)} – {date_format(filters.end)}"),
        (_("Counted at"), date_format(counted, "DATETIME_FORMAT") if counted else ""),
        *[(_("Explanation"), note) for note in table.notes],
    ]
    return exports.table_xlsx(table, filename, about=about)
