"""Demo agreements, consents and referrals between the demo organisations (seed_demo).

Built on the demo households and signals of cases.demo, through the services, so the history,
the signal statuses and the access log are what they would be had the demo workers done it
themselves. The services stamp everything "now"; each step is then moved back to the day it is
meant to have happened (sent, accepted, closed), its history with it, so an overdue referral is
overdue and the history stays in order. The access log is append-only: its rows keep the moment
the demo was seeded, which is when they were written.

The texts below are demo *data* in Dutch, like a worker would type them, not interface text.
The same demo data and the same day give the same referrals; running it twice adds nothing."""

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases.access.bases import PRECONDITIONS, VROEGSIGNALERING_CATEGORY
from cases.demo.data import DEMO_PREFIX
from cases.models import (
    Agreement,
    Consent,
    HouseholdEvent,
    Referral,
    Signal,
    SignalCategory,
)
from cases.services.consents import consent_record, consent_withdraw
from cases.services.referrals import (
    referral_accept,
    referral_assign,
    referral_complete,
    referral_decline,
    referral_send,
    referral_withdraw,
)
from cases.workdays import add_working_days
from cases.workflow import DeclineReason, ReferralOutcome, ReferralStatus, SignalStatus
from partners.models import Membership, Organisation

Status = ReferralStatus
Outcome = ReferralOutcome

# partner key: (categories the corporation may refer, response days)
AGREEMENTS = {
    "welzijn": (("eenzaamheid", "overlast", "taal-digitaal", "inrichting"), 5),
    "zorg": (("zorgbehoefte", "psychische-klachten", "vervuiling"), 3),
    "gemeente": (("huurachterstand", "inrichting"), 10),
}
AGREEMENT_DAYS_AGO = 365

PURPOSES = {
    "welzijn": "Ondersteuning door het welzijnswerk bij de gemelde zorgen",
    "zorg": "Beoordeling en zo nodig zorg door de wijkverpleging",
    "gemeente": "Hulp bij geldzaken en schulden door de gemeente",
}
MESSAGES = {
    "welzijn": (
        "Bewoner staat open voor een bezoek van het welzijnswerk, liefst 's ochtends.",
        "Graag contact opnemen; bewoner is telefonisch het best bereikbaar.",
        "Bewoner wil graag meedoen aan activiteiten in de buurt maar weet niet waar te beginnen.",
    ),
    "zorg": (
        "Zorgen over de zelfredzaamheid; graag een beoordeling door de wijkverpleging.",
        "Familie woont ver weg; bewoner gaf toestemming voor contact met de huisarts.",
    ),
    "gemeente": (
        "Huurachterstand van drie maanden; betalingsregeling loopt niet.",
        "Bewoner wil hulp bij het op orde brengen van de administratie.",
    ),
}
# partner key: (kind of reason, explanation for the sender)
DECLINE_REASONS = {
    "welzijn": (
        DeclineReason.GEEN_CAPACITEIT,
        "Wachtlijst voor dit maatjesproject; verwijs over drie maanden opnieuw.",
    ),
    "zorg": (
        DeclineReason.AL_HULP,
        "Geen indicatie voor wijkverpleging; huisarts is al betrokken.",
    ),
    "gemeente": (
        DeclineReason.AL_HULP,
        "Bewoner heeft al een schuldhulptraject bij de gemeente.",
    ),
}
OUTCOME_NOTES = {
    Outcome.GEHOLPEN: "Bewoner is aangesloten bij een vaste activiteit en heeft wekelijks contact.",
    Outcome.HULP_GEWEIGERD: "Bewoner wil op dit moment geen hulp; folder achtergelaten.",
    Outcome.NIET_BEREIKT: "Drie keer langs geweest en gebeld, geen contact gekregen.",
    Outcome.DOORVERWEZEN: "Overgedragen aan de schuldhulpverlening van de gemeente.",
}


@dataclass(frozen=True)
class Plan:
    """One demo referral: to which partner, how far it got, and how many days ago each step."""

    partner: str
    status: str
    sent: int
    responded: int | None = None
    closed: int | None = None
    outcome: str = ""
    vroegsignalering: bool = False
    by_samenlevingsondersteuner: bool = False  # accepts (and completes) for welzijn
    assign_to_samenlevingsondersteuner: bool = False
    withdraw_consent: int | None = None  # days ago the household withdrew its consent


# Oldest first within each partner, so the oldest referrals get the signals that were open then.
PLANS = (
    Plan("gemeente", Status.AFGEROND, 100, 95, 30, Outcome.GEHOLPEN, vroegsignalering=True),
    Plan("gemeente", Status.AFGEROND, 80, 76, 40, Outcome.DOORVERWEZEN),
    Plan("gemeente", Status.VERZONDEN, 25),  # overdue: ten working days have passed
    Plan("gemeente", Status.GEACCEPTEERD, 15, 12),
    Plan("gemeente", Status.VERZONDEN, 2, vroegsignalering=True),
    Plan(
        "welzijn",
        Status.AFGEROND,
        90,
        86,
        45,
        Outcome.GEHOLPEN,
        by_samenlevingsondersteuner=True,
    ),
    Plan("welzijn", Status.AFGEROND, 70, 68, 35, Outcome.NIET_BEREIKT, withdraw_consent=20),
    Plan("welzijn", Status.AFGEWEZEN, 50, 47, 47),
    Plan("welzijn", Status.INGETROKKEN, 30, None, 27),  # before anyone accepted it
    Plan("welzijn", Status.GEACCEPTEERD, 20, 18, by_samenlevingsondersteuner=True),
    Plan("welzijn", Status.VERZONDEN, 12),  # overdue
    Plan("welzijn", Status.GEACCEPTEERD, 10, 8, assign_to_samenlevingsondersteuner=True),
    Plan("welzijn", Status.VERZONDEN, 1),
    Plan("zorg", Status.AFGEROND, 110, 105, 60, Outcome.HULP_GEWEIGERD),
    Plan("zorg", Status.AFGEROND, 65, 63, 21, Outcome.GEHOLPEN),
    Plan("zorg", Status.AFGEWEZEN, 40, 38, 38),
    Plan("zorg", Status.INGETROKKEN, 35, 33, 28),  # after it was accepted
    Plan("zorg", Status.GEACCEPTEERD, 9, 7),
    Plan("zorg", Status.VERZONDEN, 8),  # overdue: three working days have passed
    Plan("zorg", Status.VERZONDEN, 1),
)
# Consents the household gave without (yet) a referral: (partner, days ago given, withdrawn).
LOOSE_CONSENTS = (("welzijn", 40, 15), ("zorg", 25, None), ("gemeente", 6, None))

# The moment of day each step happens, so steps on one day stay in order.
HOURS = {
    "consent": (9, 0),
    "send": (9, 30),
    "respond": (11, 15),
    "assign": (11, 20),
    "close": (14, 0),
    "withdraw_consent": (15, 30),
}


@dataclass(frozen=True)
class ReferralSummary:
    created: bool
    agreements: int
    consents: int
    consents_withdrawn: int
    referrals: int
    statuses: tuple  # ((status, count), ...)
    overdue: int
    vroegsignalering: int

    def __str__(self):
        statuses = ", ".join(f"{count} {status}" for status, count in self.statuses)
        return (
            f"{self.agreements} agreements, {self.consents} consents "
            f"({self.consents_withdrawn} withdrawn), {self.referrals} referrals ({statuses}; "
            f"{self.overdue} overdue, {self.vroegsignalering} vroegsignalering)"
        )


def summarise_referrals(corporation: Organisation, *, created: bool, today: date):
    referrals = Referral.objects.filter(from_organisation=corporation)
    consents = Consent.objects.filter(household__corporation=corporation)
    statuses = Counter(referrals.values_list("status", flat=True))
    return ReferralSummary(
        created=created,
        agreements=Agreement.objects.filter(first=corporation).count(),
        consents=consents.count(),
        consents_withdrawn=consents.filter(withdrawn_on__isnull=False).count(),
        referrals=referrals.count(),
        statuses=tuple((s, statuses[s]) for s in Status.values if statuses[s]),
        overdue=referrals.filter(status=Status.VERZONDEN, deadline__lt=today).count(),
        vroegsignalering=referrals.filter(legal_basis="vroegsignalering").count(),
    )


class _Builder:
    def __init__(self, *, organisations, workers, today):
        self.corporation = organisations["corporatie"]
        self.partners = {key: organisations[key] for key in AGREEMENTS}
        self.today = today
        self.tz = timezone.get_current_timezone()
        self.senders = [workers["woonconsulent"], workers["wijkbeheerder"]]
        self.covers = {
            m.pk: set(m.neighbourhoods.values_list("pk", flat=True)) for m in self.senders
        }
        self.receivers = {key: workers[key] for key in AGREEMENTS}
        self.slo = workers["welzijn.samenlevingsondersteuner"]
        self.creator = workers.get("beheerder", self.senders[0])
        self.categories = {c.code: c for c in SignalCategory.objects.all()}
        self.used_households = set()  # (household, partner): one consent each
        self.message_turn = Counter()

    # --- Time ---------------------------------------------------------------------------------

    def day(self, days_ago: int) -> date:
        """That many days ago, moved back to a weekday (demo workers do not work weekends)."""
        day = self.today - timedelta(days=days_ago)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        return day

    def moment(self, days_ago: int, step: str) -> datetime:
        return timezone.make_aware(
            datetime.combine(self.day(days_ago), time(*HOURS[step])), self.tz
        )

    @contextmanager
    def dated(self, when: datetime):
        """Move what the services write inside the block (history, the signals' status times)
        to `when`. The access log is append-only and keeps the moment the demo was seeded."""
        last_event = HouseholdEvent.objects.aggregate(m=Max("id"))["m"] or 0
        yield
        events = HouseholdEvent.objects.filter(id__gt=last_event)
        Signal.objects.filter(
            pk__in=events.filter(kind=HouseholdEvent.Kind.SIGNAL_STATUS_CHANGED).values("signal")
        ).update(status_changed_at=when)
        events.update(at=when)

    # --- Choosing signals ---------------------------------------------------------------------

    def candidates(self, partner: str, vroegsignalering: bool):
        """Open signals of the demo households, per household, in the partner's categories."""
        codes = (VROEGSIGNALERING_CATEGORY,) if vroegsignalering else AGREEMENTS[partner][0]
        signals = (
            Signal.objects.filter(
                household__corporation=self.corporation,
                household__tenancy_reference__startswith=DEMO_PREFIX,
                status__in=(SignalStatus.OPEN, SignalStatus.IN_BEHANDELING),
                category__code__in=codes,
            )
            .exclude(referrals__status__in=(Status.VERZONDEN, Status.GEACCEPTEERD))
            .select_related("household", "category")
            .order_by("household__tenancy_reference", "pk")
        )
        by_household = {}
        for signal in signals:
            if (signal.household_id, partner) not in self.used_households:
                by_household.setdefault(signal.household_id, []).append(signal)
        return list(by_household.values())

    def pick(self, partner: str, before: datetime, vroegsignalering=False):
        """The household whose signals fit best: the latest that was already open `before`
        (leaving older ones for older referrals)."""
        fitting = [
            group
            for group in self.candidates(partner, vroegsignalering)
            if max(s.status_changed_at for s in group) < before
        ]
        if not fitting:
            return None
        group = max(
            fitting,
            key=lambda g: (max(s.status_changed_at for s in g), g[0].household.tenancy_reference),
        )
        self.used_households.add((group[0].household_id, partner))
        return group

    def sender_for(self, household) -> Membership:
        for sender in self.senders:
            if household.neighbourhood_id in self.covers[sender.pk]:
                return sender
        return self.senders[0]

    def message(self, partner: str) -> str:
        options = MESSAGES[partner]
        turn = self.message_turn[partner]
        self.message_turn[partner] += 1
        return options[turn % len(options)]

    # --- The steps ----------------------------------------------------------------------------

    def agreements(self) -> dict:
        valid_from = self.today - timedelta(days=AGREEMENT_DAYS_AGO)
        made = {}
        for key, (codes, days) in AGREEMENTS.items():
            agreement = Agreement.objects.create(
                first=self.corporation,
                second=self.partners[key],
                response_days=days,
                valid_from=valid_from,
                created_by_id=self.creator.user_id,
                created_at=timezone.make_aware(datetime.combine(valid_from, time(10, 0)), self.tz),
            )
            agreement.categories.set([self.categories[c] for c in codes])
            made[key] = agreement
        return made

    def consent(self, *, sender, household, partner, signals, days_ago, number):
        given_on = self.day(days_ago)
        with self.dated(self.moment(days_ago, "consent")):
            consent = consent_record(
                actor=sender,
                household=household,
                receiving_organisation=self.partners[partner],
                purpose=PURPOSES[partner],
                categories=sorted({s.category for s in signals}, key=lambda c: c.code),
                given_how=Consent.GivenHow.SCHRIFTELIJK
                if number % 3 == 0
                else Consent.GivenHow.MONDELING,
                given_on=given_on,
            )
        Consent.objects.filter(pk=consent.pk).update(recorded_at=self.moment(days_ago, "consent"))
        return consent

    def withdraw(self, *, sender, consent, days_ago):
        when = self.moment(days_ago, "withdraw_consent")
        with self.dated(when):
            consent_withdraw(actor=sender, consent=consent, withdrawn_on=self.day(days_ago))
        Consent.objects.filter(pk=consent.pk).update(withdrawn_at=when)

    def referral(self, plan: Plan, number: int, agreements) -> bool:
        sent_at = self.moment(plan.sent, "send")
        signals = self.pick(plan.partner, sent_at, plan.vroegsignalering)
        if signals is None:
            return False
        household = signals[0].household
        sender = self.sender_for(household)
        receiver = self.receivers[plan.partner]
        if plan.by_samenlevingsondersteuner:
            receiver = self.slo
        consent = None
        if not plan.vroegsignalering:
            consent = self.consent(
                sender=sender,
                household=household,
                partner=plan.partner,
                signals=signals,
                days_ago=plan.sent,
                number=number,
            )
        with self.dated(sent_at):
            referral = referral_send(
                actor=sender,
                household=household,
                to_organisation=self.partners[plan.partner],
                signals=signals,
                message=self.message(plan.partner),
                to_person=receiver.user if plan.vroegsignalering else None,
                preconditions={name: True for name in PRECONDITIONS}
                if plan.vroegsignalering
                else None,
            )
        Referral.objects.filter(pk=referral.pk).update(
            sent_at=sent_at,
            deadline=add_working_days(sent_at.date(), agreements[plan.partner].response_days),
        )
        accepted = plan.status in (Status.GEACCEPTEERD, Status.AFGEROND) or (
            plan.responded is not None and plan.status == Status.INGETROKKEN
        )
        if accepted:
            when = self.moment(plan.responded, "respond")
            with self.dated(when):
                referral_accept(actor=receiver, referral=referral)
            Referral.objects.filter(pk=referral.pk).update(responded_at=when)
            if plan.assign_to_samenlevingsondersteuner:
                with self.dated(self.moment(plan.responded, "assign")):
                    referral_assign(actor=receiver, referral=referral, user=self.slo.user)
        if plan.status == Status.AFGEWEZEN:
            when = self.moment(plan.responded, "respond")
            with self.dated(when):
                category, reason = DECLINE_REASONS[plan.partner]
                referral_decline(
                    actor=receiver, referral=referral, reason=reason, category=category
                )
            Referral.objects.filter(pk=referral.pk).update(responded_at=when, closed_at=when)
        if plan.status in (Status.AFGEROND, Status.INGETROKKEN):
            when = self.moment(plan.closed, "close")
            with self.dated(when):
                if plan.status == Status.AFGEROND:
                    referral_complete(
                        actor=receiver,
                        referral=referral,
                        outcome=plan.outcome,
                        note=OUTCOME_NOTES[plan.outcome],
                    )
                else:
                    referral_withdraw(actor=sender, referral=referral)
            Referral.objects.filter(pk=referral.pk).update(closed_at=when)
        if plan.withdraw_consent is not None and consent is not None:
            self.withdraw(sender=sender, consent=consent, days_ago=plan.withdraw_consent)
        return True

    def build(self) -> None:
        agreements = self.agreements()
        for number, plan in enumerate(PLANS):
            self.referral(plan, number, agreements)
        for number, (partner, days_ago, withdrawn) in enumerate(LOOSE_CONSENTS, start=1):
            signals = self.pick(partner, self.moment(days_ago, "consent"))
            if signals is None:
                continue
            household = signals[0].household
            sender = self.sender_for(household)
            consent = self.consent(
                sender=sender,
                household=household,
                partner=partner,
                signals=signals,
                days_ago=days_ago,
                number=number,
            )
            if withdrawn is not None:
                self.withdraw(sender=sender, consent=consent, days_ago=withdrawn)


@transaction.atomic
def build_demo_referrals(
    *, organisations: dict, workers: dict, today: date | None = None
) -> ReferralSummary:
    """Agreements between the demo corporation and its three partners, consents of about twenty
    demo households, and referrals in every status, some overdue, one on the vroegsignalering
    route.

    `organisations`: "corporatie", "welzijn", "zorg", "gemeente". `workers` (memberships):
    "woonconsulent" and "wijkbeheerder" of the corporation (they refer, each in their own
    neighbourhoods), "welzijn", "zorg" and "gemeente" (who respond there),
    "welzijn.samenlevingsondersteuner" (acts for welzijn) and optionally "beheerder" (the
    corporation's administrator, who made the agreements).

    Does nothing when the corporation already has an agreement with the welfare organisation.
    The services write access-log rows for these steps, as done by the demo workers."""
    today = today or timezone.localdate()
    corporation = organisations["corporatie"]
    if Agreement.objects.between(corporation.pk, organisations["welzijn"].pk).exists():
        return summarise_referrals(corporation, created=False, today=today)
    _Builder(organisations=organisations, workers=workers, today=today).build()
    return summarise_referrals(corporation, created=True, today=today)
