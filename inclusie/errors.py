"""The server error page and its reference: the page shows a short code the person can quote,
and the log line of that error carries the same code, so whoever reads the logs finds it."""

import logging
import secrets

from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

# No 0/O or 1/I/L: read aloud over the phone or typed from a screenshot without doubt.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def error_reference() -> str:
    """Eight characters in two groups, e.g. K7MX-Q4PA: unique enough to find one log line."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


@requires_csrf_token
def server_error(request):
    """handler500: Django's own page, with a reference. It renders without the request's
    context processors (they may need the database that just failed), like Django's default."""
    request.error_reference = error_reference()
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"reference": request.error_reference}))


class ErrorReferenceFilter(logging.Filter):
    """On django.request: the line Django logs for a server error ("Internal Server Error: /pad",
    with the traceback) gets the reference server_error gave the page. Django logs it after the
    page is made, from the same request."""

    def filter(self, record: logging.LogRecord) -> bool:
        reference = getattr(getattr(record, "request", None), "error_reference", None)
        if reference and not getattr(record, "error_reference", None):
            record.error_reference = reference
            record.msg = f"{record.msg} [reference {reference}]"
        return True
