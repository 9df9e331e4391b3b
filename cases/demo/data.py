"""The fictional material the demo is made of: places, names, words and proportions."""

from dataclasses import dataclass

from cases.models import (
    HouseholdEvent,
)
from cases.workflow import Severity, SignalStatus, VisitKind, VisitOutcome
from partners.models import Organisation

DEMO_PREFIX = "DEMO-"
WINDOW_DAYS = 548  # about 18 months of visits and signals

Status = SignalStatus
Event = HouseholdEvent.Kind


@dataclass(frozen=True)
class Block:
    """Addresses on one street: numbers (with additions), in a complex or not."""

    street: str
    numbers: range
    additions: tuple[str, ...] = ("",)
    complex_code: str | None = None


@dataclass(frozen=True)
class Area:
    cbs_code: str
    postcode_digits: int
    households: int
    blocks: tuple[Block, ...]


# (code, name) of the corporation's complexes; each lies in the area whose block names it.
COMPLEXES = {
    "DEMO-C1101": "Havenflat",
    "DEMO-C1102": "Pakhuis De Kraan",
    "DEMO-C1201": "Gildehof",
    "DEMO-C2101": "Korenschoof",
    "DEMO-C2201": "Merelflat",
}

AREAS = (
    Area(
        "BU99010101",
        9901,
        55,
        (
            Block("Havenkade", range(101, 149), complex_code="DEMO-C1101"),
            Block("Ankerstraat", range(2, 22, 2), ("A", "B", "C"), "DEMO-C1102"),
            Block("Visserssteeg", range(1, 40)),
            Block("Zeilmakerspad", range(1, 30)),
        ),
    ),
    Area(
        "BU99010102",
        9902,
        45,
        (
            Block("Gildehof", range(1, 41), complex_code="DEMO-C1201"),
            Block("Marktstraat", range(2, 60, 2), ("", "A")),
            Block("Lindelaan", range(1, 80)),
            Block("Kerkpad", range(1, 25)),
        ),
    ),
    Area(
        "BU99010201",
        9903,
        60,
        (
            Block("Korenbloemstraat", range(2, 50, 2), ("", "A", "B"), "DEMO-C2101"),
            Block("Akkerweg", range(1, 120)),
            Block("Zaaierslaan", range(1, 60)),
            Block("Schoverhof", range(1, 30)),
        ),
    ),
    Area(
        "BU99010202",
        9904,
        40,
        (
            Block("Merelstraat", range(101, 161), complex_code="DEMO-C2201"),
            Block("Lijsterlaan", range(1, 70)),
            Block("Spreeuwhof", range(1, 30)),
        ),
    ),
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# No S as first letter, so never SA, SD or SS; letters real postcodes avoid are left out too.
POSTCODE_LETTERS = "ABCDEGHJKLMNPRTVWXZ"

FIRST_NAMES = _words(
    "Anna Bram Carla Dirk Els Fatima Gerrit Hanna Ilse Jan Joke Kees Lotte Maria Mohammed "
    "Noor Piet Ria Sevda Theo Wim Youssef Aylin Ramon Shanti Bart Linda Emma Noah Sem Julia "
    "Tess Liam Lucas Yara Henk Truus Gert Ans Hüseyin Nadia Rachid Marga Johan Ineke Kevin "
    "Priya Thijs"
)
SURNAMES = (
    "de Jong",
    "Jansma",
    "van den Brink",
    "van Dalen",
    "Bakkenes",
    "Visscher",
    "Smeets",
    "Meijering",
    "Mulderink",
    "de Groot",
    "Bosman",
    "Vos",
    "Peeters",
    "van Leeuwen",
    "Dekkers",
    "Brouwer",
    "de Wit",
    "Dijkman",
    "de Graaf",
    "van der Meulen",
    "Kaya",
    "Yıldız",
    "El Idrissi",
    "Bouzid",
    "Öztürk",
    "Pinas",
    "Hoekstra",
    "Kuipers",
    "Veenstra",
    "Lindeman",
    "Haverkamp",
    "ter Horst",
    "Wolters",
    "Ramdin",
    "Sahin",
    "Koster",
)

CATEGORY_WEIGHTS = {
    "eenzaamheid": 20,
    "huurachterstand": 18,
    "technisch-onderhoud": 12,
    "zorgbehoefte": 10,
    "psychische-klachten": 9,
    "vervuiling": 8,
    "overlast": 8,
    "taal-digitaal": 7,
    "inrichting": 4,
    "anders": 4,
}

DESCRIPTIONS = {
    "eenzaamheid": (
        "Woont alleen en heeft weinig contact met anderen",
        "Komt de deur nauwelijks uit sinds overlijden partner",
        "Geeft aan zich eenzaam te voelen",
        "Geen familie of vrienden in de buurt",
    ),
    "huurachterstand": (
        "Twee maanden huurachterstand",
        "Stapel ongeopende post op tafel",
        "Vertelt over schulden en aanmaningen",
        "Energie dreigt te worden afgesloten",
        "Moeite met rondkomen sinds verlies van werk",
    ),
    "vervuiling": (
        "Woning sterk vervuild, keuken onbruikbaar",
        "Veel spullen opgestapeld, vluchtweg geblokkeerd",
        "Ongedierte in de woning",
        "Balkon vol afval",
    ),
    "inrichting": (
        "Woont op kale beton, geen vloerbedekking",
        "Geen bed, slaapt op een matras op de grond",
        "Geen gordijnen en nauwelijks meubels",
        "Geen koelkast of kookgelegenheid",
    ),
    "zorgbehoefte": (
        "Loopt slecht, de trap wordt een probleem",
        "Lijkt vergeetachtig, vergeet afspraken",
        "Mantelzorger raakt overbelast",
        "Heeft hulp nodig bij het huishouden",
    ),
    "psychische-klachten": (
        "Maakt een verwarde indruk",
        "Somber, ziet het niet meer zitten",
        "Angstig, durft de deur bijna niet open te doen",
        "Wisselende stemmingen, buren maken zich zorgen",
    ),
    "overlast": (
        "Buren klagen over geluidsoverlast",
        "Ruzie met de buren over de gemeenschappelijke trap",
        "Hondenoverlast in het portiek",
        "Geurklachten uit de woning",
    ),
    "taal-digitaal": (
        "Begrijpt brieven van instanties niet",
        "Spreekt weinig Nederlands, kind vertaalt",
        "Kan niet inloggen met DigiD",
        "Heeft hulp nodig bij online formulieren",
    ),
    "technisch-onderhoud": (
        "Schimmel in de badkamer",
        "Lekkage bij het dakraam",
        "Kozijn rot, tocht in de woonkamer",
        "Cv-ketel valt regelmatig uit",
        "Intercom en deurbel kapot",
    ),
    "anders": (
        "Vraagt naar een kleinere woning",
        "Wil graag vrijwilligerswerk doen in de buurt",
        "Vraagt om contact met de wijkagent",
    ),
}

VISIT_NOTES = {
    VisitOutcome.GEEN_ZORGEN: (
        "Alles in orde, bewoner tevreden over de woning",
        "Kort gesprek aan de deur, geen bijzonderheden",
        "Woning netjes, bewoner redt zich goed",
    ),
    VisitOutcome.NIET_THUIS: (
        "Niet thuis, kaartje in de bus gedaan",
        "Niemand aanwezig, later opnieuw proberen",
    ),
    VisitOutcome.SIGNALEN: (
        "Lang gesprek gehad, bewoner staat open voor hulp",
        "Bewoner wil er liever niet over praten",
        "Samen met bewoner de zorgen doorgenomen",
    ),
}

CLOSE_REASONS = (
    "Bewoner wil geen hulp",
    "Geen contact mogelijk na drie pogingen",
    "Bewoner is verhuisd",
    "Dubbel gemeld",
    "Bewoner regelt het zelf met familie",
)
REFERRAL_REASONS = {
    Organisation.Kind.WELZIJN: "Aangemeld bij het welzijnswerk",
    Organisation.Kind.ZORG: "Aangemeld bij de wijkverpleging",
    Organisation.Kind.GEMEENTE: "Aangemeld bij schuldhulpverlening van de gemeente",
    Organisation.Kind.CORPORATIE: "Reparatieverzoek ingediend",
    Organisation.Kind.OVERIG: "Doorverwezen naar het sociaal wijkteam",
}

# (kind, weight) and per kind the outcome weights (signalen, geen zorgen, niet thuis).
VISIT_KINDS = (
    (VisitKind.REGULIER, 55),
    (VisitKind.OP_VERZOEK, 25),
    (VisitKind.NA_REPARATIE, 20),
)
OUTCOME_WEIGHTS = {
    VisitKind.WELKOMSTBEZOEK: (20, 70, 10),
    VisitKind.REGULIER: (20, 55, 25),
    VisitKind.OP_VERZOEK: (50, 40, 10),
    VisitKind.NA_REPARATIE: (12, 68, 20),
}
OUTCOMES = (VisitOutcome.SIGNALEN, VisitOutcome.GEEN_ZORGEN, VisitOutcome.NIET_THUIS)
SEVERITIES = ((Severity.LAAG, 45), (Severity.MIDDEN, 38), (Severity.HOOG, 14), (Severity.ACUUT, 3))

# By the signal's age in days: (up to, weights of open, in behandeling, doorverwezen, opgelost,
# gesloten).
STATUSES = (
    Status.OPEN,
    Status.IN_BEHANDELING,
    Status.DOORVERWEZEN,
    Status.OPGELOST,
    Status.GESLOTEN,
)
STATUS_BY_AGE = (
    (30, (50, 30, 10, 7, 3)),
    (120, (15, 25, 25, 25, 10)),
    (10_000, (3, 5, 10, 55, 27)),
)
# The ways to each status, with weights; every step is a move the workflow allows.
PATHS = {
    Status.OPEN: (((), 1),),
    Status.IN_BEHANDELING: (((Status.IN_BEHANDELING,), 1),),
    Status.DOORVERWEZEN: (
        ((Status.IN_BEHANDELING, Status.DOORVERWEZEN), 70),
        ((Status.DOORVERWEZEN,), 30),
    ),
    Status.OPGELOST: (
        ((Status.OPGELOST,), 25),
        ((Status.IN_BEHANDELING, Status.OPGELOST), 45),
        ((Status.IN_BEHANDELING, Status.DOORVERWEZEN, Status.OPGELOST), 30),
    ),
    Status.GESLOTEN: (
        ((Status.GESLOTEN,), 35),
        ((Status.IN_BEHANDELING, Status.GESLOTEN), 45),
        ((Status.IN_BEHANDELING, Status.DOORVERWEZEN, Status.GESLOTEN), 20),
    ),
}
# How many days the last step takes at most, by the status it ends in.
STATUS_DAYS = {
    Status.IN_BEHANDELING: (1, 10),
    Status.DOORVERWEZEN: (5, 40),
    Status.OPGELOST: (10, 120),
    Status.GESLOTEN: (7, 90),
}
MIN_OVERDUE = 5  # open signals whose follow-up date has passed, at least
