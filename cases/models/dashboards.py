"""The numbers behind the managers' dashboards: aggregates of signals, visits, referrals and
joint cases, counted by a Celery beat job (ADR 0013), so a dashboard reads a few thousand small
rows instead of counting millions."""

from datetime import date, timedelta

from django.db import models

from partners.models import Neighbourhood, Organisation


class DashboardTally(models.Model):
    """One number of one figure: how many (`value`) of something, for one organisation, in one
    week or month (or now), neighbourhood, category, partner and series (`key`), and how many
    distinct households are behind it (for small-cell suppression across organisations).

    Derived data, counted again wholesale: the foreign keys carry no database constraint and no
    index of their own, so counting millions of rows stays quick; two indexes serve reads.
    A row's neighbourhood, category or partner left empty means "all" where a figure stores
    both (what an unfiltered dashboard reads; a referral about two categories counts once in
    "all")."""

    class Figure(models.TextChoices):
        # Per week and per month. Referral figures are stored once, for the sending
        # organisation with the receiver as `partner`; the receiver reads them by partner.
        SIGNALS = "signals"  # signals created (organisation: the household's corporation)
        VISITS = "visits"  # home visits done, key: outcome
        REFERRALS = "referrals"  # referrals sent, key: status now
        REFERRED = "referred"  # the same without status, for exact household counts
        DECLINED = "declined"  # key: kind of reason
        COMPLETED = "completed"  # key: outcome
        RESPONSE = "response"  # key: working days to respond
        ON_TIME = "on_time"  # key: on_time or late
        CASES = "cases"  # joint cases opened or closed (key), per participating organisation
        # Now (grain "now").
        OPEN_SIGNALS = "open_signals"  # key: age band
        OPEN_REFERRALS = "open_referrals"  # key: waiting, overdue or accepted
        OPEN_CASES = "open_cases"
        CASELOAD_SIGNALS = "caseload_signals"  # key: the person's id
        CASELOAD_REFERRALS = "caseload_referrals"
        CASELOAD_CASES = "caseload_cases"
        AREAS = "areas"  # neighbourhoods with households of a corporation or referred to a partner

    class Grain(models.TextChoices):
        WEEK = "week"
        MONTH = "month"
        NOW = "now"  # a snapshot at the moment of the count: open signals, overdue referrals

    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
        related_name="+",
    )  # fmt: skip
    figure = models.CharField(max_length=30)  # a Figure; no choices: a new one needs no migration
    grain = models.CharField(max_length=5)
    period_start = models.DateField(null=True)  # Monday of the week, first of the month
    neighbourhood = models.ForeignKey(
        Neighbourhood, null=True, on_delete=models.DO_NOTHING, db_constraint=False,
        db_index=False, related_name="+",
    )  # fmt: skip
    category = models.ForeignKey(
        "cases.SignalCategory", null=True, on_delete=models.DO_NOTHING, db_constraint=False,
        db_index=False, related_name="+",
    )  # fmt: skip
    partner = models.ForeignKey(
        Organisation, null=True, on_delete=models.DO_NOTHING, db_constraint=False,
        db_index=False, related_name="+",
    )  # fmt: skip
    key = models.CharField(max_length=40, blank=True)
    value = models.PositiveIntegerField()
    households = models.PositiveIntegerField()

    class Meta:
        # An unfiltered dashboard reads the rows for all neighbourhoods (and categories): they
        # come first in the index, not after the rows of every neighbourhood.
        indexes = [
            models.Index(
                fields=[
                    "organisation",
                    "figure",
                    "grain",
                    "neighbourhood",
                    "category",
                    "period_start",
                ],
                name="tally_figure_period",
            ),
            # What partners sent to an organisation: the referral figures read by receiver.
            models.Index(
                fields=["partner", "figure", "grain", "neighbourhood", "category", "period_start"],
                name="tally_partner_period",
            ),
            # A run that counts some weeks and months again deletes them first.
            models.Index(fields=["grain", "period_start"], name="tally_grain_period"),
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.figure} {self.period_start} {self.key}={self.value}"


class DashboardRefresh(models.Model):
    """When the tallies were last counted (one row). Its time is shown on the dashboard and is
    part of the cache key of a computed dashboard, so a new count makes every cached one stale.
    `rows` and `seconds` are of the last run; `full_at` is the last time everything was
    counted."""

    refreshed_at = models.DateTimeField(null=True)
    full_at = models.DateTimeField(null=True)
    full = models.BooleanField(default=False)
    seconds = models.FloatField(default=0)
    rows = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.refreshed_at}"


# The tallies' vocabulary, shared by the counting (cases.services.dashboards) and the reading
# (cases.selectors.dashboards): the grains of a period, the keys of a figure's rows.
Grain = DashboardTally.Grain
PERIOD_GRAINS = (Grain.WEEK, Grain.MONTH)

# Open signals by age, in days since they were opened: (key, oldest age in the band).
AGE_BANDS = (("week", 7), ("month", 30), ("quarter", 91), ("half_year", 182), ("older", None))
ON_TIME, LATE = "on_time", "late"
WAITING, OVERDUE, ACCEPTED = "waiting", "overdue", "accepted"


def bucket_start(day: date, grain: str) -> date:
    """The first day of the week (Monday) or month that `day` falls in."""
    if grain == Grain.WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def bucket_end(start: date, grain: str) -> date:
    """The first day after the week or month that starts on `start`."""
    if grain == Grain.WEEK:
        return start + timedelta(days=7)
    return (start + timedelta(days=32)).replace(day=1)
