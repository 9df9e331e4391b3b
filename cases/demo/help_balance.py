"""Demo balance of helpers and requests in Lindenhoven (ADR 0035): the corporation's Havenkade
complex has more helpers than households asking, Gildehof more households asking than helpers
(the sign on the balance page), and one agreed match in Gildehof with help given. The requests
and matches are made with the models directly, as their services are built alongside; invented
people only. Safe to run twice."""

from datetime import timedelta

from django.utils import timezone

from cases.models import (
    Complex,
    Helper,
    HelpGiven,
    HelpMatch,
    HelpRequest,
    Household,
    Signal,
    SignalCategory,
)
from cases.workflow import HelperStatus, HelpRequestStatus, MatchStatus

BUSY, QUIET = "DEMO-C1201", "DEMO-C1101"  # Gildehof asks more than it helps; Havenkade not
NEIGHBOURS = [  # (complex, first name, offers)
    (QUIET, "Anneke", ["boodschappen"]),
    (QUIET, "Bart", ["klussen"]),
    (QUIET, "Carla", ["gezelschap"]),
    (QUIET, "Dirk", ["vervoer"]),
    (QUIET, "Esther", ["taal_en_post"]),
    (QUIET, "Frits", ["tuin"]),
    (BUSY, "Gonny", ["boodschappen", "gezelschap"]),
]
ASKING = {QUIET: 2, BUSY: 7}


def build_demo_balance(*, workers: dict, today) -> int:
    """Helpers in two complexes, open requests from households with a signal there and one
    agreed match with help given; returns how many requests were added."""
    worker = workers["woonconsulent"]
    complexes = {
        c.code: c
        for c in Complex.objects.filter(
            corporation_id=worker.organisation_id, code__in=[BUSY, QUIET]
        )
    }
    if len(complexes) < 2 or Helper.objects.filter(complex__in=complexes.values()).exists():
        return 0
    now = timezone.now()
    helpers = {}
    for number, (code, first_name, offers) in enumerate(NEIGHBOURS, start=1):
        helpers[code] = Helper.objects.create(
            organisation_id=worker.organisation_id,
            first_name=first_name,
            surname="Buurman",
            phone=f"06 0000 42{number:02d}",
            offers=offers,
            days=["ma", "wo", "za"],
            day_parts=["middag"],
            reach_metres=300,
            street_address=f"{complexes[code].name} {number}",
            postcode="9901 AB",
            complex=complexes[code],
            consent_given_on=today - timedelta(days=120 - number * 10),
            consent_how="mondeling",
            consent_recorded_by_id=worker.user_id,
            status=HelperStatus.ACTIVE,
            confirmed_at=now - timedelta(days=110 - number * 10),
        )
    category = SignalCategory.objects.order_by("position", "pk").first()
    added = 0
    for code, count in ASKING.items():
        households = Household.objects.filter(
            complex=complexes[code], anonymised_at__isnull=True
        ).order_by("pk")[:count]
        for index, household in enumerate(households):
            # A request comes from the household's plan: a signal of loneliness noted for it.
            signal = Signal.objects.create(
                household=household,
                category=category,
                severity="laag",
                description="Zou graag wat vaker iemand zien",
                created_by_id=worker.user_id,
                organisation_id=worker.organisation_id,
            )
            HelpRequest.objects.create(
                household_id=signal.household_id,
                organisation_id=worker.organisation_id,
                signal=signal,
                kind="boodschappen" if index % 2 else "gezelschap",
                description=(
                    "Boodschappen doen, eens per week"
                    if index % 2
                    else "Iemand die af en toe langskomt voor een kop koffie"
                ),
                consent_given_on=today - timedelta(days=40 - index),
                consent_how="mondeling",
                consent_recorded_by_id=worker.user_id,
                created_by_id=worker.user_id,
                created_at=now - timedelta(days=40 - index * 3),
            )
            added += 1
    request = (
        HelpRequest.objects.filter(household__complex=complexes[BUSY])
        .order_by("created_at")
        .first()
    )
    if request is not None:
        agreed = now - timedelta(days=20)
        request.status = HelpRequestStatus.MATCHED
        request.save(update_fields=["status"])
        match = HelpMatch.objects.create(
            request=request,
            helper=helpers[BUSY],
            status=MatchStatus.AGREED,
            proposed_by_id=worker.user_id,
            proposed_at=agreed - timedelta(days=3),
            helper_answered_at=agreed - timedelta(days=2),
            household_agreed_at=agreed,
            household_agreed_recorded_by_id=worker.user_id,
            agreed_at=agreed,
            last_activity_at=now - timedelta(days=6),
        )
        for days_ago, minutes in ((13, 60), (6, 90)):
            HelpGiven.objects.create(
                match=match,
                given_on=today - timedelta(days=days_ago),
                minutes=minutes,
                recorded_by_id=worker.user_id,
            )
    return added
