"""Fictional demo data: one town, its four organisations, neighbourhoods and an account per
role, then about 200 households of the corporation with home visits and signals (cases.demo),
the agreements, consents and referrals between the organisations (cases.demo.referrals),
the rates, estimates, shared worker's hours and support packages of the ledger (cases.demo.ledger),
for privacy older history near its retention term, a correction, an emergency access and
the report about it (cases.demo.privacy), and a few helpers (dragers, cases.demo.helpers)
with fictional places for the distances (cases.demo.places);
then the managers' dashboard figures are counted.
It lives in inclusie because it wires partners and cases (partners never imports cases).

Safe to run twice: it finds what is there and adds what is missing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cases.demo import assign_neighbourhoods, build_demo_cases
from cases.demo.help_balance import build_demo_balance
from cases.demo.helpers import build_demo_helpers
from cases.demo.joint_cases import build_demo_joint_cases
from cases.demo.ledger import build_demo_ledger
from cases.demo.places import build_demo_places
from cases.demo.privacy import build_demo_privacy
from cases.demo.referrals import build_demo_referrals
from cases.services.dashboards import dashboard_refresh
from partners.models import Membership, Neighbourhood, Notification, Organisation, User

DEFAULT_PASSWORD = "Inclusie-demo-2026"  # noqa: S105 - printed, refused when DEBUG is off
TOWN = "Lindenhoven"
DOMAIN = "lindenhoven.example"

Kind = Organisation.Kind
Role = Membership.Role

ORGANISATIONS = {
    "corporatie": ("Woonstichting Lindenhoven", Kind.CORPORATIE),
    "welzijn": ("Welzijn Lindenhoven", Kind.WELZIJN),
    "zorg": ("Zorggroep De Linde", Kind.ZORG),
    "gemeente": ("Gemeente Lindenhoven", Kind.GEMEENTE),
}

# CBS-style codes under a municipality code (9901) that no real municipality uses.
NEIGHBOURHOODS = [
    ("WK990101", "Centrum", None),
    ("BU99010101", "Oude Haven", "WK990101"),
    ("BU99010102", "Marktkwartier", "WK990101"),
    ("WK990102", "Lindenhoven-Zuid", None),
    ("BU99010201", "De Akkers", "WK990102"),
    ("BU99010202", "Vogelbuurt", "WK990102"),
    ("WK990103", "Noorderpark", None),
    ("BU99010301", "Bloemenwijk", "WK990103"),
]

# (e-mail local part, name, [(organisation key, role), ...])
PEOPLE = [
    ("woonconsulent", "Sanne de Vries", [("corporatie", Role.MEDEWERKER)]),
    ("wijkbeheerder", "Ahmed el Amrani", [("corporatie", Role.MEDEWERKER)]),
    ("manager.corporatie", "Petra Jansen", [("corporatie", Role.MANAGER)]),
    ("beheerder.corporatie", "Joost Bakker", [("corporatie", Role.BEHEERDER)]),
    ("privacy.corporatie", "Ingrid Visser", [("corporatie", Role.PRIVACYFUNCTIONARIS)]),
    ("welzijnswerker", "Fatma Yilmaz", [("welzijn", Role.MEDEWERKER)]),
    ("manager.welzijn", "Kees Mulder", [("welzijn", Role.MANAGER)]),
    ("beheerder.welzijn", "Lotte Smit", [("welzijn", Role.BEHEERDER)]),
    ("zorgmedewerker", "Daan de Boer", [("zorg", Role.MEDEWERKER)]),
    ("beheerder.zorg", "Noor Hendriks", [("zorg", Role.BEHEERDER)]),
    ("schuldhulp.gemeente", "Ruben Dekker", [("gemeente", Role.MEDEWERKER)]),
    ("beheerder.gemeente", "Eva van Dijk", [("gemeente", Role.BEHEERDER)]),
    (
        "samenlevingsondersteuner",
        "Mila Bos",
        [
            ("corporatie", Role.MEDEWERKER),
            ("welzijn", Role.MEDEWERKER),
            ("gemeente", Role.MEDEWERKER),
        ],
    ),
]

# Who does the demo referrals: (key for build_demo_referrals, e-mail local part, organisation).
REFERRAL_WORKERS = [
    ("woonconsulent", "woonconsulent", "corporatie"),
    ("wijkbeheerder", "wijkbeheerder", "corporatie"),
    ("beheerder", "beheerder.corporatie", "corporatie"),
    ("welzijn", "welzijnswerker", "welzijn"),
    ("welzijn.samenlevingsondersteuner", "samenlevingsondersteuner", "welzijn"),
    ("zorg", "zorgmedewerker", "zorg"),
    ("gemeente", "schuldhulp.gemeente", "gemeente"),
]

# Intake of the partners: they hear of every new referral to their organisation.
INTAKE = ["welzijnswerker", "zorgmedewerker", "schuldhulp.gemeente"]
# Who does what in the demo ledger: (key for build_demo_ledger, e-mail local part, organisation).
LEDGER_PEOPLE = [
    ("woonconsulent", "woonconsulent", "corporatie"),
    ("manager.corporatie", "manager.corporatie", "corporatie"),
    ("welzijn", "welzijnswerker", "welzijn"),
    ("gemeente", "schuldhulp.gemeente", "gemeente"),
    ("samenlevingsondersteuner", "samenlevingsondersteuner", "corporatie"),
]
ADMINISTRATORS = {
    "corporatie": "beheerder.corporatie",
    "welzijn": "beheerder.welzijn",
    "zorg": "beheerder.zorg",
    "gemeente": "beheerder.gemeente",
}

# The corporation's workers and their "my neighbourhoods"; they log the demo home visits.
WORKER_NEIGHBOURHOODS = {
    "woonconsulent": ["BU99010101", "BU99010102"],
    "wijkbeheerder": ["BU99010201", "BU99010202"],
    "samenlevingsondersteuner": ["BU99010101", "BU99010102", "BU99010201", "BU99010202"],
}


class Command(BaseCommand):
    help = (
        "Create fictional demo organisations, neighbourhoods, one account for every role and "
        "about 200 households with home visits and signals, agreements, consents and referrals."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help=f"Password for every demo account (default {DEFAULT_PASSWORD!r}, "
            "refused when DEBUG is off).",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        password = options["password"]
        if not password:
            if not settings.DEBUG:
                raise CommandError(
                    "DEBUG is off: give the demo accounts a password of your own with --password."
                )
            password = DEFAULT_PASSWORD
        if len(password) < 12:
            raise CommandError("--password: use at least 12 characters.")

        started = timezone.now()
        organisations = {
            key: Organisation.objects.get_or_create(name=name, defaults={"kind": kind})[0]
            for key, (name, kind) in ORGANISATIONS.items()
        }
        for code, name, parent_code in NEIGHBOURHOODS:
            Neighbourhood.objects.update_or_create(
                cbs_code=code,
                defaults={
                    "name": name,
                    "kind": Neighbourhood.Kind.BUURT if parent_code else Neighbourhood.Kind.WIJK,
                    "municipality": TOWN,
                    "parent": Neighbourhood.objects.get(cbs_code=parent_code)
                    if parent_code
                    else None,
                },
            )

        rows = []
        for local, name, memberships in PEOPLE:
            user, _created = User.objects.get_or_create(
                email=f"{local}@{DOMAIN}", defaults={"name": name}
            )
            user.set_password(password)
            user.save(update_fields=["password"])
            for org_key, role in memberships:
                Membership.objects.get_or_create(
                    user=user,
                    organisation=organisations[org_key],
                    ended_at=None,
                    defaults={"role": role},
                )
                rows.append((user.email, organisations[org_key].name, role.label))

        # The installation administrator keeps what every organisation shares (ADR 0015).
        installer, _created = User.objects.get_or_create(
            email=f"installatie@{DOMAIN}",
            defaults={"name": "Iris Installatie", "is_installation_admin": True},
        )
        installer.set_password(password)
        installer.save(update_fields=["password"])
        role_name = User._meta.get_field("is_installation_admin").verbose_name
        rows.append((installer.email, "Inclusie", role_name))

        # The partners' intake hears of every new referral (the others hear of their own).
        Membership.objects.active().filter(
            user__email__in=[f"{local}@{DOMAIN}" for local in INTAKE], role=Role.MEDEWERKER
        ).exclude(organisation__kind=Organisation.Kind.CORPORATIE).update(receives_referrals=True)

        corporation = organisations["corporatie"]
        workers = []
        for local, codes in WORKER_NEIGHBOURHOODS.items():
            membership = Membership.objects.get(
                user__email=f"{local}@{DOMAIN}", organisation=corporation, ended_at=None
            )
            assign_neighbourhoods(membership, codes)
            workers.append(membership)
        today = timezone.localdate()
        cases = build_demo_cases(corporation=corporation, workers=workers, today=today)
        referral_workers = {
            key: Membership.objects.get(
                user__email=f"{local}@{DOMAIN}",
                organisation=organisations[org_key],
                ended_at=None,
            )
            for key, local, org_key in REFERRAL_WORKERS
        }
        referrals = build_demo_referrals(
            organisations=organisations, workers=referral_workers, today=today
        )
        joint_cases = build_demo_joint_cases(
            organisations=organisations, workers=referral_workers, today=today
        )
        helpers = build_demo_helpers(workers=referral_workers, today=today)
        balance = build_demo_balance(workers=referral_workers, today=today)
        # Fictional places, so the suggestions of helpers show distances (ADR 0034).
        build_demo_places(corporation=corporation, organisations=organisations.values())
        privacy_officer = Membership.objects.get(
            user__email=f"privacy.corporatie@{DOMAIN}", organisation=corporation, ended_at=None
        )
        privacy = build_demo_privacy(
            organisations=organisations, workers={**referral_workers, "privacy": privacy_officer}
        )

        def member(local, org_key):
            return Membership.objects.get(
                user__email=f"{local}@{DOMAIN}", organisation=organisations[org_key], ended_at=None
            )

        ledger = build_demo_ledger(
            organisations=organisations,
            workers={key: member(local, org) for key, local, org in LEDGER_PEOPLE},
            admins={org: member(local, org) for org, local in ADMINISTRATORS.items()},
            today=today,
        )

        # The managers' dashboards read tallies that Celery beat rebuilds; `make run` has no
        # beat, so the demo counts them once.
        tallies = dashboard_refresh()

        # The demo's past is in everyone's bell, but is not e-mailed.
        Notification.objects.filter(created_at__gte=started, delivered_at__isnull=True).update(
            delivered_at=timezone.now()
        )

        self.stdout.write(self.style.SUCCESS(f"Demo data for {TOWN} is ready."))
        self.stdout.write("Demo accounts (log in at http://127.0.0.1:8000/):")
        width = max(len(email) for email, *_ in rows)
        for email, organisation, role in rows:
            self.stdout.write(f"  {email:<{width}}  {organisation} — {role}")
        self.stdout.write(f"Password for every demo account: {password}")
        if joint_cases:
            self.stdout.write(f"Demo joint cases added: {joint_cases}.")
        if helpers:
            self.stdout.write(f"Demo helpers (dragers) added: {helpers}.")
        if balance:
            self.stdout.write(f"Demo requests for informal help added: {balance}.")
        self.stdout.write(
            f"Demo cases of {corporation.name} ({'added' if cases.created else 'already there'}): "
            f"{cases}."
        )
        self.stdout.write(
            f"Demo referrals ({'added' if referrals.created else 'already there'}): {referrals}."
        )
        self.stdout.write(f"Demo privacy added: {privacy}.")
        self.stdout.write(
            f"Demo costs and savings ({'added' if ledger.created else 'already there'}): {ledger}."
        )
        self.stdout.write(
            f"Dashboard figures counted ({tallies.rows} tallies): log in as "
            f"manager.corporatie@{DOMAIN} or manager.welzijn@{DOMAIN} and open Dashboard."
        )
