"""What each kind of notification says (its sentence, with the organisation names and dates
from its data), what a person gets by e-mail when they chose nothing, and which kinds they may
choose for. Escalations are always e-mailed at once."""

import contextlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from partners.models import Notification

Kind = Notification.Kind
Email = Notification.Email


@dataclass(frozen=True)
class KindSpec:
    text: Promise  # with %(name)s placeholders filled from the notification's data
    default: str  # the e-mail choice of people who chose nothing
    mandatory: bool = False  # escalations: always in-app and e-mailed at once


KINDS: dict[str, KindSpec] = {
    Kind.REFERRAL_NEW: KindSpec(_("New referral from %(sender)s"), Email.DIRECT),
    Kind.REFERRAL_UPDATE: KindSpec(_("%(partner)s: referral %(status)s"), Email.DIGEST),
    Kind.DEADLINE_NEAR: KindSpec(
        _("A referral from %(sender)s must be answered by %(deadline)s"), Email.DIRECT
    ),
    Kind.DEADLINE_PASSED: KindSpec(
        _("A referral from %(sender)s is past its deadline of %(deadline)s"),
        Email.DIRECT,
        mandatory=True,
    ),
    Kind.SIGNAL_ACUTE: KindSpec(_("Acute signal logged in %(neighbourhood)s"), Email.DIRECT),
    Kind.CONSENT_WITHDRAWN: KindSpec(
        _("A household withdrew its consent for %(partner)s: that access has ended"),
        Email.DIRECT,
    ),
    Kind.CASE_NOTE: KindSpec(_("New note by %(author)s in a joint case"), Email.DIGEST),
    Kind.CASE_ACTION: KindSpec(
        _("New action for %(owner)s in a joint case, due %(due)s"), Email.DIGEST
    ),
    Kind.ACTION_OVERDUE: KindSpec(
        _("An action for %(owner)s in a joint case was due %(due)s"), Email.DIRECT
    ),
    Kind.EMERGENCY_ACCESS: KindSpec(
        _("Emergency access to a household by someone of %(organisation)s"),
        Email.DIRECT,
        mandatory=True,
    ),
    # Past the emergency limit (ADR 0018): the officers decide, the worker waits for the answer.
    Kind.EMERGENCY_REQUEST: KindSpec(
        _("Someone of %(organisation)s asks for emergency access: approve or refuse"),
        Email.DIRECT,
        mandatory=True,
    ),
    Kind.EMERGENCY_APPROVED: KindSpec(
        _("Your request for emergency access was approved"), Email.DIRECT, mandatory=True
    ),
    Kind.EMERGENCY_REFUSED: KindSpec(
        _("Your request for emergency access was refused"), Email.DIRECT, mandatory=True
    ),
    Kind.EMERGENCY_WEEK: KindSpec(
        ngettext_lazy(
            "Emergency access in week %(week)s: %(count)s access or request",
            "Emergency access in week %(week)s: %(count)s accesses or requests",
            "count",
        ),
        Email.DIRECT,
        mandatory=True,
    ),
    Kind.ACCESS_REPORT: KindSpec(
        ngettext_lazy(
            "Report of unusual access: %(count)s finding",
            "Report of unusual access: %(count)s findings",
            "count",
        ),
        Email.DIRECT,
        mandatory=True,
    ),
    Kind.RETENTION_CHANGED: KindSpec(
        _("Retention terms of %(organisation)s change; in force from %(effective)s"),
        Email.DIRECT,
        mandatory=True,
    ),
    # A helper (drager) answered a proposal or ended a match, through their link (ADR 0033).
    Kind.HELP_MATCH: KindSpec(
        _("A helper %(answer)s a request for informal help you proposed"), Email.DIGEST
    ),
    # Informal help (ADR 0035): an agreed match with no help recorded for a while.
    Kind.HELP_QUIET: KindSpec(
        ngettext_lazy(
            "Informal help you proposed has had no activity for %(count)s day: how is it going?",
            "Informal help you proposed has had no activity for %(count)s days: how is it going?",
            "count",
        ),
        Email.DIGEST,
    ),
    Kind.DIGEST: KindSpec(
        ngettext_lazy(
            "Your daily digest: %(count)s notification",
            "Your daily digest: %(count)s notifications",
            "count",
        ),
        Email.DIRECT,
    ),
}
# What a person may choose for: every kind but the digest itself.
CHOOSABLE = [kind for kind in Kind if kind != Kind.DIGEST]
DATE_KEYS = {"deadline", "due", "effective"}


def text_of(notification: Notification) -> str:
    """The notification's sentence in the active language."""
    values = defaultdict(str)
    for key, value in (notification.data or {}).items():
        if key in DATE_KEYS and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = formats.date_format(date.fromisoformat(value), "j F Y")
        if key == "status":
            value = str(REFERRAL_STATUS_TEXT.get(value, value))
        if key == "answer":
            value = str(HELP_ANSWER_TEXT.get(value, value))
        values[key] = value
    text = KINDS[notification.kind].text
    if "count" in values:  # plural forms choose by the number
        return text % {**values, "count": int(values["count"] or 0)}
    return str(text) % values


# The referral statuses as the sentence "…: referral accepted" needs them (cases owns the
# workflow; partners never imports cases, so the words are repeated here).
REFERRAL_STATUS_TEXT = {
    "geaccepteerd": _("accepted"),
    "afgewezen": _("declined"),
    "afgerond": _("completed"),
    "ingetrokken": _("withdrawn"),
}

# A helper's answer as the sentence "A helper accepted …" needs it (ADR 0033).
HELP_ANSWER_TEXT = {
    "geaccepteerd": _("accepted"),
    "afgewezen": _("declined"),
    "beeindigd": _("ended the help for"),
}
