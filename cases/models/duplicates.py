"""Possible duplicate households, as an administrator decided about them (ADR 0026): two
households of one corporation marked as distinct are no longer flagged as each other's
duplicate. A merge is kept on the household itself (Household.merged_into)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.households import Household
from partners.models import Organisation


class DistinctHouseholds(models.Model):
    """Two households an administrator of their corporation marked as distinct (a room let
    separately at the same address, two people of the same name and year): who and when. The
    pair is stored once, the lower id first."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    other = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_for = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("households marked as distinct")
        verbose_name_plural = _("households marked as distinct")
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["household", "other"], name="distinct_pair_once"),
            models.CheckConstraint(
                condition=Q(household__lt=F("other")), name="distinct_pair_lower_first"
            ),
        ]
        # The unique constraint's index serves lookups from `household`; this one from `other`.
        indexes = [models.Index(fields=["other"], name="distinct_pair_other")]

    def __str__(self):
        return f"{self.household_id} ≠ {self.other_id}"


# What a merge does with each foreign key to a household (ADR 0026), as (model, field);
# tests/cases/services/test_duplicates.py holds every foreign key of the project to one of these.
# The work about the household follows the survivor:
FOLLOW_SURVIVOR = (
    ("cases.homevisit", "household"),
    ("cases.signal", "household"),
    ("cases.consent", "household"),
    ("cases.referral", "household"),
    ("cases.jointcase", "household"),
    ("cases.supportpackage", "household"),
    ("cases.helprequest", "household"),
)
# The residents follow too, each person once (the same name and year is one person).
PER_PERSON = (("cases.resident", "household"),)
# Records of what happened to the household stay where it happened, never rewritten: the
# access log, the history, emergency accesses and their requests, and decisions about
# duplicates. Pages of the survivor read them for both households.
STAY = (
    ("cases.accesslog", "household"),
    ("cases.householdevent", "household"),
    ("cases.emergencyaccess", "household"),
    ("cases.emergencyaccessrequest", "household"),
    ("cases.distincthouseholds", "household"),
    ("cases.distincthouseholds", "other"),
)
# Households merged into the absorbed one before point to the survivor from now on.
REPOINTED = (("cases.household", "merged_into"),)
