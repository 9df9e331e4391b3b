"""Fictional demo households, home visits and signals for the demo corporation (seed_demo).

Everything here is invented: the town, the streets, the people. Postcodes use the digits 9901-9904
and never the letters SA, SD or SS; phone numbers are of the form 06 0000 xxxx; e-mail addresses
end in .example. The same seed and the same day give the same data.

The texts below are demo *data* in Dutch, like a worker would type them, not interface text.
No access-log rows are written: nobody read anything."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from cases.demo.data import (
    AREAS,
    CATEGORY_WEIGHTS,
    CLOSE_REASONS,
    COMPLEXES,
    DEMO_PREFIX,
    DESCRIPTIONS,
    FIRST_NAMES,
    MIN_OVERDUE,
    OUTCOME_WEIGHTS,
    OUTCOMES,
    PATHS,
    POSTCODE_LETTERS,
    REFERRAL_REASONS,
    SEVERITIES,
    STATUS_BY_AGE,
    STATUS_DAYS,
    STATUSES,
    SURNAMES,
    VISIT_KINDS,
    VISIT_NOTES,
    WINDOW_DAYS,
    Area,
    Event,
    Status,
)
from cases.models import (
    Complex,
    HomeVisit,
    Household,
    HouseholdEvent,
    Resident,
    Signal,
    SignalCategory,
)
from cases.validators import address_key, name_key
from cases.workflow import OPEN_STATUSES, VisitKind, VisitOutcome
from partners.models import Membership, Neighbourhood, Organisation


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    neighbourhoods: int
    complexes: int
    households: int
    residents: int
    visits: int
    signals: int
    open_signals: int
    events: int

    def __str__(self):
        return (
            f"{self.households} households ({self.residents} residents, {self.complexes} "
            f"complexes) in {self.neighbourhoods} neighbourhoods, {self.visits} home visits, "
            f"{self.signals} signals of which {self.open_signals} open, {self.events} events"
        )


def demo_households(corporation: Organisation):
    return Household.objects.filter(
        corporation=corporation, tenancy_reference__startswith=DEMO_PREFIX
    )


def summarise(corporation: Organisation, *, created: bool) -> DemoSummary:
    households = demo_households(corporation)
    signals = Signal.objects.filter(household__in=households)
    return DemoSummary(
        created=created,
        neighbourhoods=households.values("neighbourhood").distinct().count(),
        complexes=Complex.objects.filter(
            corporation=corporation, code__startswith=DEMO_PREFIX
        ).count(),
        households=households.count(),
        residents=Resident.objects.filter(household__in=households).count(),
        visits=HomeVisit.objects.filter(household__in=households).count(),
        signals=signals.count(),
        open_signals=signals.filter(status__in=OPEN_STATUSES).count(),
        events=HouseholdEvent.objects.filter(household__in=households).count(),
    )


def assign_neighbourhoods(membership: Membership, cbs_codes) -> None:
    """Add the neighbourhoods to a worker's "my neighbourhoods"; adding twice changes nothing."""
    membership.neighbourhoods.add(*Neighbourhood.objects.filter(cbs_code__in=cbs_codes))


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


class _Builder:
    def __init__(self, *, corporation, workers, today, seed):
        self.rng = random.Random(seed)
        self.corporation = corporation
        self.today = today
        self.last_day = today - timedelta(days=1)  # nothing is dated today: no future times
        self.tz = timezone.get_current_timezone()
        self.neighbourhoods = {
            n.cbs_code: n
            for n in Neighbourhood.objects.filter(cbs_code__in=[a.cbs_code for a in AREAS])
        }
        missing = {a.cbs_code for a in AREAS} - set(self.neighbourhoods)
        if missing:
            raise ValueError(f"demo neighbourhoods missing: {', '.join(sorted(missing))}")
        self.categories = {
            c.code: c for c in SignalCategory.objects.filter(code__in=CATEGORY_WEIGHTS)
        }
        if not self.categories:
            raise ValueError("no signal categories: run the migrations first")
        self.category_weights = [
            (self.categories[code], weight)
            for code, weight in CATEGORY_WEIGHTS.items()
            if code in self.categories
        ]
        if not workers:
            raise ValueError("demo cases need at least one worker of the corporation")
        # Who works where: a worker with fewer neighbourhoods visits each of them more often.
        covers = {
            m.pk: {n.cbs_code for n in m.neighbourhoods.all()}
            for m in Membership.objects.filter(pk__in=[w.pk for w in workers]).prefetch_related(
                "neighbourhoods"
            )
        }
        self.workers_by_area = {}
        for area in AREAS:
            eligible = [w for w in workers if area.cbs_code in covers.get(w.pk, ())] or workers
            self.workers_by_area[area.cbs_code] = [
                (w, 1 / max(1, len(covers.get(w.pk, ())))) for w in eligible
            ]
        self.used_emails = set()

    # --- Time ---------------------------------------------------------------------------------

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def weekday(self, day: date, earliest: date) -> date:
        """The day itself, or the nearest working day around it between earliest and last_day."""
        for shift in (0, -1, -2, 1, 2):
            candidate = day + timedelta(days=shift)
            if candidate.weekday() < 5 and earliest <= candidate <= self.last_day:
                return candidate
        return min(max(day, earliest), self.last_day)

    def at(self, day: date, start=(9, 0), end=(16, 30)) -> datetime:
        """A moment in working hours on that day, in five-minute steps."""
        first, last = start[0] * 60 + start[1], end[0] * 60 + end[1]
        minutes = first + 5 * self.rng.randrange((last - first) // 5 + 1)
        return timezone.make_aware(
            datetime.combine(day, time(minutes // 60, minutes % 60)), self.tz
        )

    # --- People and addresses -----------------------------------------------------------------

    def residents(self, household: Household) -> list[Resident]:
        rng = self.rng
        surname = rng.choice(SURNAMES)
        size = _weighted(rng, ((1, 42), (2, 28), (3, 15), (4, 15)))
        main_year = rng.randint(1936, 2003)
        people = [Resident(household=household, is_main_tenant=True, birth_year=main_year)]
        names = [f"{rng.choice(FIRST_NAMES)} {surname}"]
        has_partner = size >= 2 and rng.random() < 0.65
        if has_partner:
            partner_surname = surname if rng.random() < 0.6 else rng.choice(SURNAMES)
            names.append(f"{rng.choice(FIRST_NAMES)} {partner_surname}")
            people.append(
                Resident(
                    household=household,
                    is_main_tenant=False,
                    birth_year=min(2004, max(1930, main_year + rng.randint(-6, 6))),
                )
            )
        youngest_parent = min(main_year + 20, self.today.year - 1)
        for _child in range(size - len(people)):
            names.append(f"{rng.choice(FIRST_NAMES)} {surname}")
            people.append(
                Resident(
                    household=household,
                    is_main_tenant=False,
                    birth_year=rng.randint(
                        youngest_parent, min(main_year + 45, self.today.year - 1)
                    ),
                )
            )
        for person, name in zip(people, names, strict=True):
            person.name = name
        if rng.random() < 0.35:
            household.email = self.email(names[0])
        return people

    def email(self, name: str) -> str:
        local = ".".join(slugify(part).replace("-", "") for part in name.split(" ", 1))
        address, number = f"{local}@bewoners.example", 1
        while address in self.used_emails:
            number += 1
            address = f"{local}{number}@bewoners.example"
        self.used_emails.add(address)
        return address

    @staticmethod
    def postcode(area: Area, street_index: int, number: int) -> str:
        first = POSTCODE_LETTERS[street_index % len(POSTCODE_LETTERS)]
        second = POSTCODE_LETTERS[min((number // 20) * 2 + number % 2, len(POSTCODE_LETTERS) - 1)]
        return f"{area.postcode_digits} {first}{second}"

    # --- Visits and signals -------------------------------------------------------------------

    def visit_days(self, created: date, newcomer: bool) -> list[tuple[date, str]]:
        rng = self.rng
        first = max(created + timedelta(days=1), self.day(-WINDOW_DAYS))
        visits = []
        if newcomer:
            welcome = created + timedelta(days=rng.randint(7, 35))
            if welcome <= self.last_day:
                visits.append((self.weekday(welcome, first), VisitKind.WELKOMSTBEZOEK))
        span = (self.last_day - first).days
        count = rng.choice((0, 1, 1, 2, 2, 2, 3, 3, 4, 5))
        for _visit in range(count if span > 0 else 0):
            day = first + timedelta(days=rng.randint(0, span))
            visits.append((self.weekday(day, first), _weighted(rng, VISIT_KINDS)))
        return sorted(visits)

    def status_path(self, created: datetime, age_days: int):
        """The status a signal has now and the changes that brought it there, with times."""
        rng = self.rng
        weights = next(w for limit, w in STATUS_BY_AGE if age_days <= limit)
        final = rng.choices(STATUSES, weights=weights)[0]
        steps = _weighted(rng, PATHS[final])
        if not steps:
            return final, []
        low, high = STATUS_DAYS[final]
        total = min(rng.randint(low, high), age_days)
        offsets = sorted(rng.randint(0, total) for _step in steps[:-1]) + [total]
        changes, previous, moment = [], Status.OPEN, created
        for status, offset in zip(steps, offsets, strict=True):
            day = self.weekday(created.date() + timedelta(days=offset), created.date())
            when = self.at(day, (8, 30), (17, 0))
            if when <= moment:
                when = moment + timedelta(minutes=rng.randint(5, 90))
            reason = ""
            if status == Status.GESLOTEN:
                reason = rng.choice(CLOSE_REASONS)
            changes.append((previous, status, when, reason))
            previous, moment = status, when
        return final, changes

    # --- The whole lot ------------------------------------------------------------------------

    def build(self, households_wanted: int | None):
        rng = self.rng
        complexes = {}
        for area in AREAS:
            for block in area.blocks:
                if block.complex_code and block.complex_code not in complexes:
                    complexes[block.complex_code] = Complex.objects.get_or_create(
                        corporation=self.corporation,
                        code=block.complex_code,
                        defaults={
                            "name": COMPLEXES[block.complex_code],
                            "neighbourhood": self.neighbourhoods[area.cbs_code],
                        },
                    )[0]

        plans = []  # (household, area, residents, newcomer)
        reference = 100_000
        scale = (
            1 if households_wanted is None else households_wanted / sum(a.households for a in AREAS)
        )
        for area in AREAS:
            addresses = [
                (street_index, block, number, addition)
                for street_index, block in enumerate(area.blocks)
                for number in block.numbers
                for addition in block.additions
            ]
            count = min(len(addresses), max(1, round(area.households * scale)))
            for street_index, block, number, addition in sorted(
                rng.sample(addresses, count), key=lambda a: (a[0], a[2], a[3])
            ):
                reference += rng.randint(1, 40)
                newcomer = rng.random() < 0.15
                created_day = self.day(
                    rng.randint(-540, -20) if newcomer else rng.randint(-620, -560)
                )
                created_at = self.at(created_day)
                household = Household(
                    corporation=self.corporation,
                    tenancy_reference=f"{DEMO_PREFIX}{reference}",
                    street=block.street,
                    house_number=number,
                    house_number_addition=addition,
                    postcode=self.postcode(area, street_index, number),
                    town=self.neighbourhoods[area.cbs_code].municipality,
                    neighbourhood=self.neighbourhoods[area.cbs_code],
                    complex=complexes.get(block.complex_code),
                    phone=f"06 0000 {rng.randrange(10_000):04d}" if rng.random() < 0.65 else "",
                    created_at=created_at,
                    updated_at=created_at,
                )
                plans.append((household, area, self.residents(household), newcomer))

        # bulk_create skips save(), which keeps the keys possible duplicates are found by.
        for household, _area, people, _newcomer in plans:
            household.address_key = address_key(
                household.postcode, household.house_number, household.house_number_addition
            )
            for person in people:
                person.name_key = name_key(person.name)
        Household.objects.bulk_create([p[0] for p in plans])
        Resident.objects.bulk_create([r for p in plans for r in p[2]])

        visits, signals, changes, events = [], [], [], []
        for household, area, _residents, newcomer in plans:
            workers = self.workers_by_area[area.cbs_code]
            events.append(
                HouseholdEvent(
                    household=household,
                    kind=Event.HOUSEHOLD_CREATED,
                    at=household.created_at,
                    user_id=_weighted(rng, workers).user_id,
                    organisation=self.corporation,
                )
            )
            for visited_on, kind in self.visit_days(household.created_at.date(), newcomer):
                outcome = rng.choices(OUTCOMES, weights=OUTCOME_WEIGHTS[kind])[0]
                worker = _weighted(rng, workers)
                logged = self.at(visited_on, (9, 0), (17, 0))
                if logged <= household.created_at:
                    logged = household.created_at + timedelta(minutes=rng.randint(30, 180))
                visit = HomeVisit(
                    household=household,
                    visited_on=visited_on,
                    kind=kind,
                    outcome=outcome,
                    notes=rng.choice(VISIT_NOTES[outcome]) if rng.random() < 0.4 else "",
                    created_by_id=worker.user_id,
                    organisation=self.corporation,
                    created_at=logged,
                )
                visits.append(visit)
                if outcome != VisitOutcome.SIGNALEN:
                    continue
                wanted = _weighted(rng, ((1, 55), (2, 30), (3, 15)))
                chosen = []
                while len(chosen) < min(wanted, len(self.category_weights)):
                    category = _weighted(rng, self.category_weights)
                    if category not in chosen:
                        chosen.append(category)
                age = (self.last_day - visited_on).days
                for category in chosen:
                    status, path = self.status_path(logged, age)
                    follow_up = None
                    if rng.random() < 0.45:
                        follow_up = visited_on + timedelta(days=rng.randint(7, 42))
                    signal = Signal(
                        household=household,
                        visit=visit,
                        category=category,
                        severity=_weighted(rng, SEVERITIES),
                        description=rng.choice(DESCRIPTIONS.get(category.code, ("Zie notitie",))),
                        follow_up_on=follow_up,
                        status=status,
                        closed_reason=path[-1][3] if status == Status.GESLOTEN else "",
                        created_by_id=worker.user_id,
                        organisation=self.corporation,
                        created_at=logged,
                        status_changed_at=path[-1][2] if path else logged,
                    )
                    signals.append(signal)
                    changes.append((signal, path, worker))

        self.ensure_overdue(signals)
        HomeVisit.objects.bulk_create(visits)
        Signal.objects.bulk_create(signals)

        for visit in visits:
            events.append(
                HouseholdEvent(
                    household=visit.household,
                    kind=Event.VISIT_LOGGED,
                    at=visit.created_at,
                    user_id=visit.created_by_id,
                    organisation=self.corporation,
                    visit=visit,
                    data={
                        "kind": visit.kind,
                        "outcome": visit.outcome,
                        "visited_on": visit.visited_on.isoformat(),
                    },
                )
            )
        for signal, path, worker in changes:
            events.append(
                HouseholdEvent(
                    household=signal.household,
                    kind=Event.SIGNAL_OPENED,
                    at=signal.created_at,
                    user_id=signal.created_by_id,
                    organisation=self.corporation,
                    visit=signal.visit,
                    signal=signal,
                    data={"category": signal.category.name, "severity": signal.severity},
                )
            )
            for previous, status, when, reason in path:
                if status == Status.DOORVERWEZEN:
                    reason = REFERRAL_REASONS.get(signal.category.usual_partner_kind, "")
                # Mostly the worker who saw it; now and then a colleague takes over.
                actor = worker
                if rng.random() < 0.2:
                    actor = _weighted(rng, self.workers_by_area[_area_of(signal.household)])
                events.append(
                    HouseholdEvent(
                        household=signal.household,
                        kind=Event.SIGNAL_STATUS_CHANGED,
                        at=when,
                        user_id=actor.user_id,
                        organisation=self.corporation,
                        signal=signal,
                        data={"from": str(previous), "to": str(status), "reason": reason},
                    )
                )
        HouseholdEvent.objects.bulk_create(events, batch_size=500)

    def ensure_overdue(self, signals: list[Signal]) -> None:
        """The "follow-up date passed" list must not be empty: give a few open signals that
        are older than two weeks a follow-up date that has gone by."""
        overdue = [s for s in signals if s.status in OPEN_STATUSES and _passed(s, self.today)]
        candidates = [
            s
            for s in signals
            if s.status in OPEN_STATUSES
            and not _passed(s, self.today)
            and (self.today - s.created_at.date()).days > 14
        ]
        for signal in self.rng.sample(
            candidates, min(len(candidates), max(0, MIN_OVERDUE - len(overdue)))
        ):
            signal.follow_up_on = signal.created_at.date() + timedelta(days=self.rng.randint(7, 14))


def _passed(signal: Signal, today: date) -> bool:
    return signal.follow_up_on is not None and signal.follow_up_on < today


def _area_of(household: Household) -> str:
    return household.neighbourhood.cbs_code


@transaction.atomic
def build_demo_cases(
    *,
    corporation: Organisation,
    workers: list[Membership],
    today: date | None = None,
    seed: int = 2026,
    households: int | None = None,
) -> DemoSummary:
    """Create about 200 fictional households of the corporation in four neighbourhoods, with
    residents, home visits over the last 18 months, their signals and the households' history.

    Does nothing when the corporation already has demo households (tenancy reference DEMO-...).
    `workers` are the corporation's memberships who log the visits; each is picked for the
    neighbourhoods in their "my neighbourhoods"."""
    if demo_households(corporation).exists():
        return summarise(corporation, created=False)
    builder = _Builder(
        corporation=corporation,
        workers=list(workers),
        today=today or timezone.localdate(),
        seed=seed,
    )
    builder.build(households)
    return summarise(corporation, created=True)
