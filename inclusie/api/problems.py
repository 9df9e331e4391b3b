"""How errors read: every 4xx and 5xx of the API is application/problem+json (RFC 9457) with a
Dutch title and detail (design rule /core/error-handling/problem-details); a 400 names each
field that is wrong in `invalidParams` (/core/error-handling/invalid-input). A failed request
writes nothing: its transaction is rolled back (ATOMIC_REQUESTS)."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: gettext_lazy("Invalid input"),
    401: gettext_lazy("Not authenticated"),
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    406: gettext_lazy("Not acceptable"),
    409: gettext_lazy("Conflict"),
    413: gettext_lazy("Request too large"),
    415: gettext_lazy("Unsupported media type"),
    422: gettext_lazy("Cannot be processed"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Internal error"),
}
DETAILS = {
    401: gettext_lazy("Send the system's key in the header Authorization: Bearer <key>."),
    404: gettext_lazy("There is nothing here, or your organisation may not see it."),
    500: gettext_lazy("Something went wrong on our side. Nothing was saved."),
}


def problem(status_code: int, detail: str = "", *, request=None, headers=None, **extra):
    """A problem+json response with the status's Dutch title."""
    body = {
        "type": "about:blank",
        "title": str(TITLES.get(status_code, _("Error"))),
        "status": status_code,
        "detail": str(detail or DETAILS.get(status_code, TITLES.get(status_code, ""))),
    }
    if request is not None:
        body["instance"] = request.path
    body.update(extra)
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_JSON)


def invalid_params(detail, prefix: str = "") -> list[dict]:
    """DRF's field errors as the list of wrong fields: name, code, reason (in Dutch)."""
    found = []
    if isinstance(detail, dict):
        for name, errors in detail.items():
            path = f"{prefix}.{name}" if prefix else str(name)
            found += invalid_params(errors, path)
    elif isinstance(detail, list):
        for error in detail:
            found += invalid_params(error, prefix)
    else:
        found.append(
            {
                "name": prefix or "nonFieldErrors",
                "code": getattr(detail, "code", "invalid"),
                "reason": str(detail),
            }
        )
    return found


def exception_handler(exc, context):
    request = context.get("request")
    set_rollback()
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, RequestDataTooBig):
        size = number_format(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20, 1)
        return problem(
            413,
            _("The body is larger than %(size)s MB. Send it in smaller parts.") % {"size": size},
            request=request,
        )
    if isinstance(exc, RecursionError):  # JSON nested deeper than any resource takes
        return problem(400, _("The body is not valid JSON."), request=request)
    if not isinstance(exc, exceptions.APIException):
        logger.exception("The API failed on %s", request.path if request else "?")
        return problem(500, request=request)
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            400,
            _("Some fields are missing or wrong: see invalidParams."),
            request=request,
            invalidParams=invalid_params(exc.detail),
        )
    detail = exc.detail if isinstance(exc.detail, str) else ""
    if isinstance(exc, exceptions.Throttled):
        detail = _("This system sent too many requests. Try again in %(seconds)s seconds.") % {
            "seconds": headers.get("Retry-After", "a few")
        }
    elif isinstance(exc, exceptions.NotFound):
        detail = ""  # DRF's English default; ours says the same for both reasons
    elif isinstance(exc, exceptions.MethodNotAllowed):
        detail = _("This resource does not take %(method)s.") % {"method": request.method}
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        detail = _("Send the body as application/json.")
    elif isinstance(exc, exceptions.NotAcceptable):
        detail = _("This API answers in application/json.")
    elif isinstance(exc, exceptions.ParseError):
        detail = _("The body is not valid JSON.")
    elif isinstance(exc, exceptions.NotAuthenticated):
        detail = ""
    return problem(
        exc.status_code or status.HTTP_500_INTERNAL_SERVER_ERROR,
        detail,
        request=request,
        headers=headers,
    )
