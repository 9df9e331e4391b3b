"""Two demo joint cases on households that welfare accepted a referral for, through the
services (so participants, history and the access log are as in real use). Safe to run twice."""

from datetime import timedelta

from cases.models import JointCase, Referral
from cases.services import joint_cases as services
from cases.workflow import ReferralStatus

PLAN = [
    ("Kennismakingsgesprek bij de bewoner thuis", "welzijn", 7),
    ("Aanvraag inrichtingsbudget indienen", "corporatie", 14),
]
NOTES = [
    ("welzijn", "all", "Bewoner staat open voor wekelijks contact; buurtkamer voorgesteld."),
    ("corporatie", "own", "Huurbetaling loopt weer, geen nieuwe achterstand."),
]


def build_demo_joint_cases(*, organisations: dict, workers: dict, today) -> int:
    """Open two cases coordinated by welfare, each with an action plan and notes."""
    corporation, welfare = organisations["corporatie"], organisations["welzijn"]
    if JointCase.objects.filter(household__corporation=corporation).exists():
        return 0
    accepted = (
        Referral.objects.shared_with(welfare.pk)
        .filter(
            from_organisation=corporation,
            status__in=[ReferralStatus.GEACCEPTEERD, ReferralStatus.AFGEROND],
        )
        .select_related("household")
        .order_by("sent_at")
    )
    households = list(dict.fromkeys(r.household for r in accepted))[:2]
    actors = {"corporatie": workers["woonconsulent"], "welzijn": workers["welzijn"]}
    for household in households:
        case = services.case_open(
            actor=actors["corporatie"], household=household, coordinator_organisation=welfare
        )
        for description, owner, days in PLAN:
            services.action_add(
                actor=actors["welzijn"],
                case=case,
                description=description,
                owner_organisation=organisations[owner],
                due_on=today + timedelta(days=days),
            )
        for owner, visibility, text in NOTES:
            services.note_add(actor=actors[owner], case=case, text=text, visibility=visibility)
    return len(households)
