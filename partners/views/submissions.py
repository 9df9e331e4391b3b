"""One mechanism for every form with free text (ADR 0016): the page keeps a draft on the device
and sends it with a key made there; a view wrapped in submitted_once acts on a key once per
person, so a second send (a double click, a send repeated after logging in again) gets the
first send's answer and saves nothing more."""

import uuid
from functools import wraps

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from partners.services.submissions import submission_claim, submission_done, submission_release

KEY_FIELD = "idempotency_key"
# The keys whose sends were saved, until the next page tells the device to drop their drafts.
DRAFTS_SAVED_KEY = "drafts_saved"


def _key(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(KEY_FIELD, ""))
    except ValueError:
        # No key (no JavaScript) or a broken one: handled as a plain send.
        return None


def _confirm(request, key: uuid.UUID) -> None:
    saved = request.session.get(DRAFTS_SAVED_KEY, [])
    request.session[DRAFTS_SAVED_KEY] = [*saved[-9:], str(key)]


def drafts_saved(request) -> str:
    """The saved keys, once: the page that shows them lets the device drop those drafts."""
    saved = request.session.pop(DRAFTS_SAVED_KEY, [])
    return " ".join(saved)


def submitted_once(view):
    """Act on a POST with a key once per person: a send that succeeded (a redirect) keeps its
    answer; a refused one (the form shown again) frees the key for the corrected send. Put it
    below the checks of who may send."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = _key(request) if request.method == "POST" else None
        if key is None or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            earlier = submission_claim(user=request.user, key=key)
            if earlier is not None:
                _confirm(request, key)
                messages.info(request, _("This was already sent; it is saved once."))
                return HttpResponseRedirect(earlier or request.path)
            response = view(request, *args, **kwargs)
            if response.status_code in (301, 302, 303) and response.has_header("Location"):
                submission_done(user=request.user, key=key, result=response["Location"])
                _confirm(request, key)
            else:
                submission_release(user=request.user, key=key)
        return response

    # Copied by the decorators above it (functools.wraps), so a test can see a view has it.
    wrapper.submitted_once = True
    return wrapper
