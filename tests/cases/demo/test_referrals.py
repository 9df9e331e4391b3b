"""The demo agreements, consents and referrals (cases.demo.referrals), added by seed_demo."""

from collections import defaultdict

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.access.bases import PRECONDITIONS
from cases.models import AccessLog, Agreement, Consent, HouseholdEvent, Referral, Signal
from cases.workflow import (
    REFERRAL_OPEN,
    LegalBasis,
    ReferralOutcome,
    ReferralStatus,
    SignalStatus,
    signal_can_move,
)
from partners.models import Membership, Organisation

pytestmark = pytest.mark.django_db
Event = HouseholdEvent.Kind
PASSWORD = "een-eigen-wachtwoord"


def organisation(name):
    return Organisation.objects.get(name=name)


@pytest.fixture
def seeded():
    call_command("seed_demo", password=PASSWORD)


def test_agreements_in_force_with_the_three_partners(seeded):
    corporation = organisation("Woonstichting Lindenhoven")
    expected = {
        "Welzijn Lindenhoven": ({"eenzaamheid", "overlast", "taal-digitaal", "inrichting"}, 5),
        "Zorggroep De Linde": ({"zorgbehoefte", "psychische-klachten", "vervuiling"}, 3),
        "Gemeente Lindenhoven": ({"huurachterstand", "inrichting"}, 10),
    }
    agreements = Agreement.objects.in_force().filter(first=corporation)
    assert {a.second.name for a in agreements} == set(expected)
    for agreement in agreements:
        codes, days = expected[agreement.second.name]
        assert set(agreement.categories.values_list("code", flat=True)) == codes
        assert agreement.response_days == days
        assert (timezone.localdate() - agreement.valid_from).days >= 300


def test_referrals_in_every_status_outcome_and_basis(seeded):
    referrals = Referral.objects.select_related("to_organisation", "consent")
    assert set(referrals.values_list("status", flat=True)) == set(ReferralStatus.values)
    completed = referrals.filter(status=ReferralStatus.AFGEROND)
    assert set(completed.values_list("outcome", flat=True)) == set(ReferralOutcome.values)
    assert not referrals.exclude(status=ReferralStatus.AFGEROND).exclude(outcome="").exists()
    assert all(r.decline_reason for r in referrals.filter(status=ReferralStatus.AFGEWEZEN))
    for referral in referrals.filter(status=ReferralStatus.GEACCEPTEERD):
        assert referral.assigned_to_id and referral.responded_by_id
    assert {r.to_organisation.kind for r in referrals} == {"welzijn", "zorg", "gemeente"}

    today = timezone.localdate()
    overdue = referrals.filter(status=ReferralStatus.VERZONDEN, deadline__lt=today)
    assert overdue.exists()
    assert referrals.filter(status=ReferralStatus.VERZONDEN, deadline__gte=today).exists()

    early = referrals.filter(legal_basis=LegalBasis.VROEGSIGNALERING)
    assert early.exists()
    for referral in early:
        assert referral.to_organisation.kind == Organisation.Kind.GEMEENTE
        assert referral.consent is None
        assert referral.preconditions == {name: True for name in PRECONDITIONS}
        assert set(referral.signals.values_list("category__code", flat=True)) == {"huurachterstand"}
    for referral in referrals.filter(legal_basis=LegalBasis.TOESTEMMING):
        assert referral.consent.receiving_organisation_id == referral.to_organisation_id
        assert referral.consent.given_on <= timezone.localtime(referral.sent_at).date()
        assert set(referral.signals.values_list("category", flat=True)) <= set(
            referral.consent.categories.values_list("pk", flat=True)
        )

    # Every step came after the one before, and none lies in the future.
    now = timezone.now()
    for referral in referrals:
        moments = [referral.sent_at, referral.responded_at, referral.closed_at]
        moments = [m for m in moments if m is not None]
        assert moments == sorted(moments)
        assert moments[-1] < now
        assert referral.deadline > timezone.localtime(referral.sent_at).date()


def test_consents_in_force_and_withdrawn(seeded):
    consents = Consent.objects.all()
    assert 15 <= consents.count() <= 25
    assert Consent.objects.in_force().count() >= 15
    withdrawn = consents.filter(withdrawn_on__isnull=False)
    assert withdrawn.count() == 2
    for consent in withdrawn:
        assert consent.given_on <= consent.withdrawn_on <= timezone.localdate()
        assert consent.withdrawn_recorded_by_id and consent.withdrawn_at
        assert HouseholdEvent.objects.filter(
            household=consent.household, kind=Event.CONSENT_WITHDRAWN
        ).exists()
    assert set(consents.values_list("given_how", flat=True)) == set(Consent.GivenHow.values)
    assert consents.values("household").distinct().count() >= 15


def test_referred_signals_follow_their_referral_and_the_history_stays_in_order(seeded):
    for referral in Referral.objects.prefetch_related("signals"):
        statuses = {s.status for s in referral.signals.all()}
        if referral.status in REFERRAL_OPEN:
            assert statuses == {SignalStatus.DOORVERWEZEN}
    closed_only = Signal.objects.filter(referrals__isnull=False).exclude(
        referrals__status__in=REFERRAL_OPEN
    )
    assert closed_only.exists()
    assert not closed_only.filter(status=SignalStatus.DOORVERWEZEN).exists()

    changes = defaultdict(list)
    for event in HouseholdEvent.objects.filter(kind=Event.SIGNAL_STATUS_CHANGED).order_by(
        "at", "id"
    ):
        changes[event.signal_id].append(event)
    now = timezone.now()
    for signal in Signal.objects.filter(referrals__isnull=False).distinct():
        status, moment = SignalStatus.OPEN, signal.created_at
        for change in changes[signal.pk]:
            assert change.data["from"] == status
            assert signal_can_move(status, change.data["to"])
            assert moment < change.at < now
            status, moment = change.data["to"], change.at
        assert (status, moment) == (signal.status, signal.status_changed_at)

    sent = HouseholdEvent.objects.filter(kind=Event.REFERRAL_SENT)
    assert sent.count() == Referral.objects.count()
    for event in sent.select_related("referral"):
        assert event.at == event.referral.sent_at


def test_the_right_people_act_and_the_samenlevingsondersteuner_acts_for_welzijn(seeded):
    welzijn = organisation("Welzijn Lindenhoven")
    senders = set(Referral.objects.values_list("sent_by__email", flat=True))
    assert senders == {"woonconsulent@lindenhoven.example", "wijkbeheerder@lindenhoven.example"}
    responders = set(
        Referral.objects.exclude(responded_by=None).values_list(
            "to_organisation__name", "responded_by__email"
        )
    )
    assert responders == {
        ("Welzijn Lindenhoven", "welzijnswerker@lindenhoven.example"),
        ("Welzijn Lindenhoven", "samenlevingsondersteuner@lindenhoven.example"),
        ("Zorggroep De Linde", "zorgmedewerker@lindenhoven.example"),
        ("Gemeente Lindenhoven", "schuldhulp.gemeente@lindenhoven.example"),
    }
    steps = HouseholdEvent.objects.filter(
        user__email="samenlevingsondersteuner@lindenhoven.example",
        kind__in=(Event.REFERRAL_ACCEPTED, Event.REFERRAL_COMPLETED),
    )
    assert steps.exists()
    assert set(steps.values_list("organisation", flat=True)) == {welzijn.pk}
    assert Referral.objects.filter(
        assigned_to__email="samenlevingsondersteuner@lindenhoven.example",
        responded_by__email="welzijnswerker@lindenhoven.example",
    ).exists()
    # The services logged the demo workers' steps, each for the organisation they acted for
    # (the demo helpers' own steps through their links have no person, ADR 0032).
    logged = AccessLog.objects.filter(channel="web").values_list("user", "organisation").distinct()
    memberships = set(Membership.objects.values_list("user", "organisation"))
    assert logged.exists() and set(logged) <= memberships


def counts():
    return (
        Agreement.objects.count(),
        Consent.objects.count(),
        Referral.objects.count(),
        tuple(Referral.objects.order_by("pk").values_list("status", "deadline", "sent_at")),
        HouseholdEvent.objects.count(),
        tuple(Signal.objects.order_by("pk").values_list("status", flat=True)),
        AccessLog.objects.count(),
    )


def test_running_seed_demo_twice_adds_nothing(capsys):
    call_command("seed_demo", password=PASSWORD)
    first = counts()
    assert first[2] >= 15
    call_command("seed_demo", password=PASSWORD)
    assert counts() == first
    out = capsys.readouterr().out
    assert "Demo referrals (added): 3 agreements" in out
    assert "Demo referrals (already there): 3 agreements" in out
    assert "overdue" in out
