"""Reads of a household's consents, for the household page that logs them."""

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from cases.models import (
    Consent,
    Household,
)


def consents_of(*, household: Household) -> list:
    """The household's consents, those in force first; each carries `state` (in_force,
    withdrawn, ended, pending). Not logged: the household page that shows them is."""
    today = timezone.localdate()
    state = Case(
        When(withdrawn_on__isnull=False, then=Value("withdrawn")),
        When(ends_on__lt=today, then=Value("ended")),
        When(given_on__gt=today, then=Value("pending")),
        default=Value("in_force"),
    )
    in_force_first = Case(
        When(state="in_force", then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return list(
        Consent.objects.filter(household=household)
        .select_related("receiving_organisation", "recorded_by", "withdrawn_recorded_by")
        .prefetch_related("categories")
        .annotate(state=state)
        .order_by(in_force_first, "-given_on", "-recorded_at", "-pk")
    )
