"""Pages of lists (ADR 0012 and 0025): `pagina` and `paginaGrootte` in the query (camelCase,
/core/query-keys-camel-case), an answer with the page's rows and links to the pages beside it.
Counted at most to the cap, like the pages' lists: no `total`, as counting a corporation's
80,000 households costs more than showing 25."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

PAGE = "pagina"
SIZE = "paginaGrootte"
DEFAULT_SIZE = 25
MOST = 100
# No list is read this deep (a list counts to its cap, and a system reads on by filter); the
# bound keeps an absurd page number from reaching the database.
MOST_PAGES = 10_000

PARAMETERS = [
    OpenApiParameter(
        PAGE, OpenApiTypes.INT, description=f"Het nummer van de pagina, 1 tot {MOST_PAGES}."
    ),
    OpenApiParameter(
        SIZE, OpenApiTypes.INT, description=f"Rijen per pagina, 1 tot {MOST} (standaard 25)."
    ),
]


def page_request(request) -> tuple[int, int]:
    """The page and its size the request asks for; a 400 for anything but whole numbers in
    range."""
    found = {}
    errors = {}
    for name, default, most in ((PAGE, 1, MOST_PAGES), (SIZE, DEFAULT_SIZE, MOST)):
        raw = request.query_params.get(name, "")
        try:
            value = int(raw) if raw else default
        except ValueError:
            value = 0
        if value < 1 or value > most:
            errors[name] = [_("Give a whole number from 1 to %(most)s.") % {"most": most}]
        found[name] = value
    if errors:
        raise exceptions.ValidationError(errors)
    return found[PAGE], found[SIZE]


def paged(request, page, rows: list) -> Response:
    url = request.build_absolute_uri()
    return Response(
        {
            PAGE: page.number,
            SIZE: page.paginator.per_page,
            "volgende": replace_query_param(url, PAGE, page.number + 1)
            if page.has_next()
            else None,
            "vorige": (
                replace_query_param(url, PAGE, page.number - 1)
                if page.number > 2
                else remove_query_param(url, PAGE)
            )
            if page.has_previous()
            else None,
            "resultaten": rows,
        }
    )


def page_of(serializer_class, name: str, **extra):
    """The schema of a page of `serializer_class`, named `name` in the document, with the
    `extra` fields a resource adds to its pages."""
    return type(
        name,
        (serializers.Serializer,),
        {
            PAGE: serializers.IntegerField(),
            SIZE: serializers.IntegerField(),
            "volgende": serializers.URLField(allow_null=True),
            "vorige": serializers.URLField(allow_null=True),
            "resultaten": serializer_class(many=True),
            **extra,
        },
    )
