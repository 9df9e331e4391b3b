"""The household's history: append-only events from which the timeline is drawn."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.households import Household
from partners.models import Organisation


class HouseholdEvent(models.Model):
    """The household's append-only history, from which its timeline is drawn. Services add
    events; nothing deletes them. Free text lives only under FREE_TEXT_KEYS of `data`, which
    erasure and retention remove (ADR 0010)."""

    class Kind(models.TextChoices):
        HOUSEHOLD_CREATED = "household_created", _("household registered")
        HOUSEHOLD_IMPORTED = "household_imported", _("household imported")
        DATA_CORRECTED = "data_corrected", _("data corrected")
        VISIT_LOGGED = "visit_logged", _("home visit logged")
        SIGNAL_OPENED = "signal_opened", _("signal opened")
        SIGNAL_STATUS_CHANGED = "signal_status_changed", _("signal status changed")
        CONSENT_RECORDED = "consent_recorded", _("consent recorded")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("consent withdrawn")
        REFERRAL_SENT = "referral_sent", _("referral sent")
        REFERRAL_ACCEPTED = "referral_accepted", _("referral accepted")
        REFERRAL_DECLINED = "referral_declined", _("referral declined")
        REFERRAL_COMPLETED = "referral_completed", _("referral completed")
        REFERRAL_WITHDRAWN = "referral_withdrawn", _("referral withdrawn")
        REFERRAL_SENT_ONWARD = "referral_sent_onward", _("referred onward by a partner")
        CASE_OPENED = "case_opened", _("joint case opened")
        CASE_CLOSED = "case_closed", _("joint case closed")
        CASE_PARTICIPANT_ADDED = "case_participant_added", _("organisation joined the case")
        CASE_COORDINATOR_CHANGED = "case_coordinator_changed", _("case coordinator changed")
        CASE_ACTION_ADDED = "case_action_added", _("action added to the plan")
        CASE_ACTION_DONE = "case_action_done", _("action done")
        CASE_NOTE_ADDED = "case_note_added", _("case note added")
        EMERGENCY_ACCESS = "emergency_access", _("opened in an emergency")
        DATA_ERASED = "data_erased", _("data erased on request")
        DATA_ANONYMISED = "data_anonymised", _("data anonymised after the retention term")
        PACKAGE_REQUESTED = "package_requested", _("support package requested")
        PACKAGE_APPROVED = "package_approved", _("support package approved")
        PACKAGE_DECLINED = "package_declined", _("support package declined")
        PACKAGE_DELIVERED = "package_delivered", _("support package delivered")
        # Possible duplicates (ADR 0026): on both households.
        HOUSEHOLD_MERGED = "household_merged", _("another household merged into this one")
        HOUSEHOLD_ABSORBED = "household_absorbed", _("merged into another household")
        MARKED_DISTINCT = "marked_distinct", _("marked as not a duplicate")
        # Informal help from a neighbour (ADR 0033): the request and each step of its matches.
        HELP_REQUESTED = "help_requested", _("informal help requested")
        HELP_PROPOSED = "help_proposed", _("helper proposed")
        HELP_ACCEPTED = "help_accepted", _("helper accepted")
        HELP_DECLINED = "help_declined", _("helper declined")
        HELP_AGREED = "help_agreed", _("help agreed by both")
        HELP_GIVEN = "help_given", _("informal help given")
        HELP_ENDED = "help_ended", _("informal help ended")
        HELP_REQUEST_CLOSED = "help_request_closed", _("request for informal help closed")

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.PROTECT, related_name="+"
    )
    visit = models.ForeignKey(
        "cases.HomeVisit", null=True, on_delete=models.PROTECT, related_name="+"
    )
    signal = models.ForeignKey(
        "cases.Signal", null=True, on_delete=models.PROTECT, related_name="+"
    )
    referral = models.ForeignKey(
        "cases.Referral", null=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["household", "-at"], name="event_household_at")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


# Keys of HouseholdEvent.data that may hold what a person typed (or a corrected value), or the
# tenancy reference of the other household in a merge (ADR 0026), which goes with erasure as
# the household's own does; the rest are codes, ids, dates and organisation names.
FREE_TEXT_KEYS = (
    "reason",
    "description",
    "changes",
    "text",
    "message",
    "summary",
    "tenancy_reference",
)
