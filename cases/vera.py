"""VERA, the data standard of the Dutch housing corporations: the version Inclusie's exchange
with a rental system is shaped after, the VERA code lists it reads and writes, and how Inclusie's
signals become VERA signaleringen. Vocabulary several layers share (the import reads VERA
records in services/imports/vera.py; an API serialises signals with `signaleringen_of`), pure:
no database, no HTTP. docs/vera.md shows these tables; a test holds the two together (ADR 0027).

VERA-shaped, not VERA-conformant: field names and codes are VERA's where this module or
docs/vera.md says "taken", the rest is Inclusie's assumption; no test checks conformance."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils.translation import gettext_lazy as _

from cases.workflow import FINAL_STATUSES, SignalStatus

# The VERA OpenAPI read (github.com/Aedes-datastandaarden/vera-openapi, branch main): its YAML
# files give `info.version` 4.3.0+260116.26; the tag v4.3.0 (commit 3352460) differs only in
# that build number. The code lists: github.com/Aedes-datastandaarden/vera-referentiedata,
# Referentiedata.csv on main.
VERSION = "4.3.0+260116.26"
OPENAPI_COMMIT = "8602e9bfd860d129b7c6cd0441961b818872c78d"
REFERENCE_DATA_COMMIT = "92ae24c9c6255d15de675067925592b45e13b7b0"

# --- Code lists (VERA referentiedata: code → naam), the codes in use at REFERENCE_DATA_COMMIT;
# codes with an einddatum there (RELATIEROLSOORT CON, HOO, KIN, ...) are left out. -----------

SIGNALERINGSOORT = {
    "AGR": "Agressie",
    "ONB": "Ondersteuningsbehoefte",
    "ONE": "Oneigenlijk gebruik woning",
    "OVE": "Overlast",
    "SCH": "Huurschuld",
    "WAN": "Wangedrag naar medewerkers",
}
# code → (naam, the SIGNALERINGSOORT it details, "" when VERA names none)
SIGNALERINGDETAILSOORT = {
    "AGS": ("Agressie", "AGR"),
    "AMB": ("Ambulante begeleiding", "ONB"),
    "BEL": ("Beledigend", "WAN"),
    "BET": ("Betalingsachterstand", "SCH"),
    "BEW": ("Bewindvoerder", ""),
    "BEZ": ("Bezoek met twee", ""),
    "BRA": ("Brandstichting", "AGR"),
    "CUR": ("Onder curatele", ""),
    "DEU": ("Deurwaarder", "SCH"),
    "DRU": ("Drugshandel", "ONE"),
    "FYS": ("Fysiek", "AGR"),
    "GEL": ("Geluidsoverlast", "OVE"),
    "HEN": ("Hennepkwekerij", "ONE"),
    "INT": ("Intimiderend", "WAN"),
    "MUT": ("Mutatieschade", "SCH"),
    "ONA": ("Onacceptabele toon", "WAN"),
    "OND": ("Onderverhuur", "ONE"),
    "PRO": ("Prostitutie", "ONE"),
    "RAC": ("Racistich", "WAN"),  # sic, as VERA spells it
    "SCH": ("Schriftelijk", "AGR"),
    "SEU": ("Seksueel ongepast", "WAN"),
    "VEB": ("Verbaal", "AGR"),
    "VER": ("Vervuiling", "ONE"),
}
SIGNALERINGSTATUS = {"ACT": "Actief", "PAS": "Passief", "VER": "Vervallen"}
OVEREENKOMSTSOORT = {
    "ARB": "Arbeid",
    "BET": "Betalerovereenkomst",
    "HUU": "Huurovereenkomst",
    "INH": "Inhuur",
    "INS": "Inschrijving",
    "KOO": "Koopovereenkomst",
    "LEA": "Lease",
    "MON": "Monitoringovereenkomst",
    "OND": "Onderhoudsovereenkomst",
    "SER": "Serviceovereenkomst",
}
OVEREENKOMSTSTATUS = {
    "BEE": "Beeindigd",
    "GEA": "Geannuleerd",
    "GOE": "Goedgekeurd",
    "LOP": "Lopend",
    "ONT": "Ontbonden",
    "OPG": "Opgezegd",
    "VER": "Vernietigd",
    "VOO": "Voorlopig",
    "VOP": "Voorlopig opgezegd",
}
EENHEIDSOORT = {
    "BED": "Bedrijfsruimte",
    "INT": "Intramuraal zorgvastgoed",
    "MOG": "Maatschappelijk vastgoed",
    "OVE": "Overig",
    "PAR": "Parkeergelegenheid",
    "REC": "Recreatiebestemming",
    "WOO": "Woonruimte",
}
RELATIESOORT = {"GRO": "Relatiegroep", "NAT": "Natuurlijke persoon", "REC": "Rechtspersoon"}
RELATIEDETAILSOORT = {"HUI": "Huishouden"}
RELATIEROLSOORT = {
    "AMA": "Aankopende makelaar",
    "AMB": "Ambulante begeleider",
    "ASS": "Assetmanager",
    "BED": "Behandelaar",
    "BEH": "Beheerder",
    "BET": "Betaler",
    "BEW": "Bewoner",
    "BSL": "Bestuurslid",
    "BUD": "Budgetcoach",
    "BWI": "Bewindvoerder",
    "COL": "Wooncoöperatie-lid",
    "COO": "Wooncoöperatie",
    "CPE": "Contactpersoon",
    "CUR": "Curator",
    "DEU": "Deurwaarder",
    "EIG": "Eigenaar",
    "ERF": "Erfpachter",
    "FIA": "Fiatteur",
    "GAR": "Garantiegever",
    "GEB": "Gebruiker",
    "GEL": "Geldnemer",
    "HME": "Huismeester",
    "HUU": "Huurder",
    "INS": "Inspecteur",
    "KOP": "Koper",
    "LEV": "Leverancier",
    "MBW": "Medebewoner",
    "MDH": "Medehuurder",
    "MDW": "Medewerker",
    "MED": "Mede aanvrager",
    "MEL": "Melder",
    "NOT": "Notaris",
    "OPD": "Opdrachtgever",
    "OPN": "Opdrachtnemer",
    "OPZ": "Opzichter",
    "OWI": "Onderwijsinstelling",
    "PEN": "Penningmeester",
    "PRO": "Prospect",
    "SEC": "Secretaris",
    "VER": "Verkoper",
    "VMA": "Verkopende makelaar",
    "VOO": "Voorzitter",
    "VVE": "Vereniging van Eigenaren",
    "VVL": "VvE-lid",
    "WON": "Woningzoekende",
    "WOO": "Woonconsulent",
    "ZEK": "Zekerheidsnemer",
}
CONTACTGEGEVENSOORT = {
    "EMA": "E-mail",
    "FAX": "Fax",
    "MOB": "Mobiele telefoon",
    "PAG": "Pager",
    "POS": "Post",
    "SOC": "Social media",
    "TEL": "Telefoon",
}
WOONSITUATIESOORT = {"DOO": "Doorstromer", "STA": "Starter"}
CLUSTERSOORT = {
    "BUU": "Buurt",
    "FIN": "Financieel",
    "MAR": "Markt",
    "OND": "Onderhoud",
    "PRO": "Project",
    "RAY": "Rayon",
    "SER": "Servicekosten",
    "STO": "Verbruikskosten",
    "STR": "Strategisch",
    "VEX": "Vastgoedexploitatie",
    "VVE": "Vereniging van Eigenaars",
    "WIJ": "Wijk",
    "WRD": "Waardering",
    "WGP": "Wbmgp",
}
CODE_LISTS: dict[str, Mapping] = {
    "SIGNALERINGSOORT": SIGNALERINGSOORT,
    "SIGNALERINGDETAILSOORT": SIGNALERINGDETAILSOORT,
    "SIGNALERINGSTATUS": SIGNALERINGSTATUS,
    "OVEREENKOMSTSOORT": OVEREENKOMSTSOORT,
    "OVEREENKOMSTSTATUS": OVEREENKOMSTSTATUS,
    "EENHEIDSOORT": EENHEIDSOORT,
    "RELATIESOORT": RELATIESOORT,
    "RELATIEDETAILSOORT": RELATIEDETAILSOORT,
    "RELATIEROLSOORT": RELATIEROLSOORT,
    "CONTACTGEGEVENSOORT": CONTACTGEGEVENSOORT,
    "WOONSITUATIESOORT": WOONSITUATIESOORT,
    "CLUSTERSOORT": CLUSTERSOORT,
}

# --- What the import takes from a VERA record (services/imports/vera.py) -----------------------

# The resident roles (RELATIEROLSOORT) and the import's `rol` each becomes; the strongest of a
# person's roles counts. Any other role of the list (Betaler, Bewindvoerder ...) is no resident.
RESIDENT_ROLES = {"HUU": "hoofdhuurder", "MDH": "medehuurder", "BEW": "bewoner", "MBW": "bewoner"}
# Tenancies whose household lives there: running, or given notice but not yet ended.
RUNNING_TENANCY = ("LOP", "OPG", "VOP")
HOUSING = "WOO"  # EENHEIDSOORT Woonruimte
TENANCY = "HUU"  # OVEREENKOMSTSOORT Huurovereenkomst
NATURAL_PERSON = "NAT"  # RELATIESOORT
PHONE = ("TEL", "MOB")  # CONTACTGEGEVENSOORT
EMAIL = ("EMA",)
# VERA has no "complex": the unit's cluster of this CLUSTERSOORT is Inclusie's complex (an
# assumption: the corporation's exploitation complex is its financial cluster). Editable.
COMPLEX_CLUSTER = "FIN"

# --- Signals out: Inclusie's categories → VERA signaleringen ---------------------------------


@dataclass(frozen=True)
class Signalering:
    """How signals of one category are written as a VERA signalering: its SIGNALERINGSOORT and,
    where VERA has a fitting one under it, SIGNALERINGDETAILSOORT; `soort` None: not written,
    for the reason `why`."""

    soort: str | None
    detail: str = ""
    why: str = ""  # a lazy translation: the caller renders it in the reader's language


# The ten categories every installation starts with (cases/migrations/0003, ADR 0007). The codes
# are VERA's (taken); which code fits which category is Inclusie's judgement (docs/vera.md says
# why). A category an administrator adds later is not written until it is listed here.
CATEGORY_SIGNALERING: dict[str, Signalering] = {
    "eenzaamheid": Signalering("ONB"),
    "huurachterstand": Signalering("SCH", "BET"),
    "vervuiling": Signalering("ONE", "VER"),
    "inrichting": Signalering("ONB"),
    "zorgbehoefte": Signalering("ONB"),
    "psychische-klachten": Signalering("ONB"),
    "overlast": Signalering("OVE"),
    "taal-digitaal": Signalering("ONB"),
    "technisch-onderhoud": Signalering(
        None,
        why=_(
            "A defect of the home is a maintenance request (onderhoudsverzoek) in VERA, not a "
            "signalering."
        ),
    ),
    "anders": Signalering(
        None, why=_("VERA has no kind of signalering for ‘other’; Inclusie does not guess one.")
    ),
}
NOT_LISTED = _("This category has no VERA kind of signalering yet (docs/vera.md).")

# Inclusie's signal states → SIGNALERINGSTATUS. VERA describes neither code; "vervallen" (lapsed)
# is read as "no longer applies", which a resolved and a closed signal both mean.
STATUS_SIGNALERING = {
    SignalStatus.OPEN: "ACT",
    SignalStatus.IN_BEHANDELING: "ACT",
    SignalStatus.DOORVERWEZEN: "ACT",
    SignalStatus.OPGELOST: "VER",
    SignalStatus.GESLOTEN: "VER",
}
# VERA's signalering has no severity, category of Inclusie's or tenancy: they go in the
# message's extra-attributen (VERA's own way to carry what its model lacks) under these names.
EXTRA_CATEGORY, EXTRA_SEVERITY, EXTRA_TENANCY = "categorie", "ernst", "huurovereenkomst"

# What `signaleringen_of` reads of a signal, as a selector asks for it (`.values(*SIGNAL_VALUES)`).
SIGNAL_VALUES = (
    "id",
    "category__code",
    "severity",
    "status",
    "created_at",
    "status_changed_at",
    "household__tenancy_reference",
)
# VERA's validation pattern of a signalering's begindatum and einddatum.
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$")


def referentiedata(list_name: str, code: str) -> dict:
    """A VERA Referentiedata value: the code and its name in the list."""
    name = CODE_LISTS[list_name][code]
    return {"code": code, "naam": name[0] if isinstance(name, tuple) else name}


def date_time(value: datetime) -> str:
    """A moment as VERA writes it: UTC, to the second, with a Z."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Export:
    """Signaleringen, and the signals left out, each with its category and why."""

    signaleringen: list[dict]
    left_out: list[dict]


def _values(signal) -> dict:
    if isinstance(signal, Mapping):
        return {name: signal[name] for name in SIGNAL_VALUES}
    return {
        "id": signal.pk,
        "category__code": signal.category.code,
        "severity": signal.severity,
        "status": signal.status,
        "created_at": signal.created_at,
        "status_changed_at": signal.status_changed_at,
        "household__tenancy_reference": signal.household.tenancy_reference,
    }


def signaleringen_of(signals: Iterable) -> Export:
    """Signals (instances with category and household, or `.values(*SIGNAL_VALUES)`) as VERA
    signaleringen. A signal of a category without a VERA soort is left out, not guessed: the
    caller says which and why. No description leaves Inclusie: VERA's signalering has none."""
    export = Export(signaleringen=[], left_out=[])
    for signal in signals:
        values = _values(signal)
        category = values["category__code"]
        mapped = CATEGORY_SIGNALERING.get(category)
        if mapped is None or mapped.soort is None:
            why = mapped.why if mapped else NOT_LISTED
            export.left_out.append({"id": values["id"], "category": category, "why": str(why)})
            continue
        item = {"id": str(values["id"]), "soort": referentiedata("SIGNALERINGSOORT", mapped.soort)}
        if mapped.detail:
            item["detailSoort"] = referentiedata("SIGNALERINGDETAILSOORT", mapped.detail)
        item["status"] = referentiedata("SIGNALERINGSTATUS", STATUS_SIGNALERING[values["status"]])
        item["begindatum"] = date_time(values["created_at"])
        if values["status"] in FINAL_STATUSES:
            item["einddatum"] = date_time(values["status_changed_at"])
        item["extra-attributen"] = [
            {"naam": EXTRA_CATEGORY, "waarde": category},
            {"naam": EXTRA_SEVERITY, "waarde": values["severity"]},
            {"naam": EXTRA_TENANCY, "waarde": values["household__tenancy_reference"]},
        ]
        export.signaleringen.append(item)
    return export
