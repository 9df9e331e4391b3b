"""What every answer of the API has (ADR 0025): the API-Version header (design rule
/core/version-header), JSON only, the client's key, scopes and rate limit; and the answers
that belong to no resource: the OpenAPI document and a problem for every unknown address."""

from django.conf import settings
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularYAMLAPIView
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from inclusie.api import schema  # noqa: F401  (registers how the document shows the key)
from inclusie.api.authentication import ApiKeyAuthentication
from inclusie.api.permissions import ScopeRequired
from inclusie.api.throttling import ClientRateThrottle

VERSION_HEADER = "API-Version"


class Versioned:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response[VERSION_HEADER] = settings.API_VERSION
        return response


class ApiView(Versioned, APIView):
    """The base of every resource: a client's key, the scope of each method (`scopes`), the
    rate limit per client."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [ScopeRequired]
    throttle_classes = [ClientRateThrottle]
    scopes: dict[str, str] = {}


class NotFoundView(ApiView):
    """Every address under /api/v1/ that is no resource, a trailing slash included (design rule
    /core/no-trailing-slash): a 404 problem, never a redirect or a page."""

    permission_classes = [AllowAny]
    throttle_classes = []

    def initial(self, request, *args, **kwargs):
        raise exceptions.NotFound()


class _Document(Versioned):
    """The OpenAPI document is public and may be read from any origin (/core/publish-openapi)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response


class OpenApiJson(_Document, SpectacularJSONAPIView):
    pass


class OpenApiYaml(_Document, SpectacularYAMLAPIView):
    pass
