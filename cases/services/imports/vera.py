"""A batch of tenancies in VERA's shape (docs/vera.md, ADR 0027): each record a huurovereenkomst
with its eenheid and its relaties, read into the rows the CSV import checks (one row per person,
cases.services.imports.residents), so that the same rules, the same all-or-nothing and the same
Dutch reasons apply, and a checked batch is imported as a file is (`household_import_create`,
`household_import_start`). What VERA adds (the shape of a record, its code lists, dates, the BAG
identification) is checked here; each problem names the record and the VERA field.

Pure, like parsing: no database. The rows carry where they came from (`vera_index`,
`vera_relatie`), so the results of a batch can be told per record from its text alone."""

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases import vera
from cases.services.imports.parsing import (
    MAX_ROWS,
    FileError,
    ParsedFile,
    error_message,
    parse_text,
    row_error,
    storable,
)

ORIGIN = ("vera_index", "vera_relatie")
COLUMNS = [
    "huurcontract",
    "straat",
    "huisnummer",
    "toevoeging",
    "postcode",
    "plaats",
    "buurtcode",
    "complexnummer",
    "complexnaam",
    "telefoon",
    "email",
    "naam",
    "rol",
    "geboortejaar",
]
BAG_ID = re.compile(r"^\d{16}$")
# A date (VERA's format: date), or the date of a date-time.
DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)

BOG = "Ketenprocessen/BOG.yaml"
VHE = "Ketenprocessen/VHE.yaml"
VASTGOED = "Informatiedomeinen/Vastgoed.yaml"
RELATIES = "Informatiedomeinen/Relaties.yaml"


@dataclass(frozen=True)
class Field:
    """One VERA field a record may hold: its path ("relaties[]" is each person), the import's
    column it fills ("" when it is only checked), and where VERA defines the name (file and
    schema.attribute; "" when the name is Inclusie's assumption). docs/vera.md shows this table."""

    path: str
    column: str
    source: str
    schema: str


FIELDS = (
    Field("code", "huurcontract", BOG, "Overeenkomsten-Huurovereenkomst.code"),
    Field("soort", "", BOG, "Overeenkomsten-Huurovereenkomst.soort"),
    Field("status", "", BOG, "Overeenkomsten-Huurovereenkomst.status"),
    Field("begindatum", "", BOG, "Overeenkomsten-Huurovereenkomst.begindatum"),
    Field("einddatum", "", BOG, "Overeenkomsten-Huurovereenkomst.einddatum"),
    Field("eenheden[]", "", BOG, "Overeenkomsten-Huurovereenkomst.eenheden"),
    Field("eenheden[].soort", "", VHE, "Eenheden-Eenheid.soort"),
    Field("eenheden[].adres.straatnaam", "straat", VHE, "Eenheden-Eenheidadres.straatnaam"),
    Field("eenheden[].adres.huisnummer", "huisnummer", VHE, "Eenheden-Eenheidadres.huisnummer"),
    Field("eenheden[].adres.huisletter", "toevoeging", VHE, "Eenheden-Eenheidadres.huisletter"),
    Field(
        "eenheden[].adres.huisnummerToevoeging",
        "toevoeging",
        VHE,
        "Eenheden-Eenheidadres.huisnummerToevoeging",
    ),
    Field("eenheden[].adres.postcode", "postcode", VHE, "Eenheden-Eenheidadres.postcode"),
    Field("eenheden[].adres.woonplaats.naam", "plaats", VHE, "Eenheden-Woonplaats.naam"),
    Field("eenheden[].adres.buurt.code", "buurtcode", VHE, "Eenheden-Buurt.code"),
    Field("eenheden[].adres.wijk.code", "buurtcode", VHE, "Eenheden-Wijk.code"),
    Field(
        "eenheden[].adresseerbaarObjectBasisregistratie.bagIdentificatie",
        "",
        VASTGOED,
        "AdresseerbaarObjectBasisregistratie.bagIdentificatie",
    ),
    Field("eenheden[].clusters[].soort", "", VHE, "Eenheden-Cluster.soort"),
    Field("eenheden[].clusters[].code", "complexnummer", VHE, "Eenheden-Cluster.code"),
    Field("eenheden[].clusters[].naam", "complexnaam", VHE, "Eenheden-Cluster.naam"),
    Field("relaties[]", "", BOG, "Overeenkomsten-Huurovereenkomst.relaties"),
    Field("relaties[].soort", "", BOG, "Overeenkomsten-Relatie-basis.soort"),
    Field("relaties[].rollen[].soort", "rol", BOG, "Overeenkomsten-Relatierol.soort"),
    Field("relaties[].rollen[].einddatum", "", BOG, "Overeenkomsten-Relatierol.einddatum"),
    Field("relaties[].roepnaam", "naam", BOG, "Overeenkomsten-NatuurlijkPersoon.roepnaam"),
    Field("relaties[].voornaam", "naam", BOG, "Overeenkomsten-NatuurlijkPersoon.voornaam"),
    Field(
        "relaties[].tussenvoegsels", "naam", BOG, "Overeenkomsten-NatuurlijkPersoon.tussenvoegsels"
    ),
    Field("relaties[].achternaam", "naam", BOG, "Overeenkomsten-NatuurlijkPersoon.achternaam"),
    Field("relaties[].geboortedatum", "geboortejaar", RELATIES, "NatuurlijkPersoon.geboortedatum"),
    Field("relaties[].contactgegevens[].soort", "", RELATIES, "Contactgegeven-basis.soort"),
    Field(
        "relaties[].contactgegevens[].waarde", "telefoon", RELATIES, "Contactgegeven-basis.waarde"
    ),
    Field("relaties[].contactgegevens[].waarde", "email", RELATIES, "Contactgegeven-basis.waarde"),
    Field("relaties[].woonsituatie.soort", "", RELATIES, "Woonsituatie.soort"),
)

# The VERA field a problem of the import's column is about; {person} is the relatie's index.
COLUMN_FIELD = {
    "huurcontract": "code",
    "straat": "eenheden[0].adres.straatnaam",
    "huisnummer": "eenheden[0].adres.huisnummer",
    "toevoeging": "eenheden[0].adres.huisnummerToevoeging",
    "postcode": "eenheden[0].adres.postcode",
    "plaats": "eenheden[0].adres.woonplaats.naam",
    "buurtcode": "eenheden[0].adres.buurt.code",
    "complexnummer": f"eenheden[0].clusters[soort={vera.COMPLEX_CLUSTER}].code",
    "complexnaam": f"eenheden[0].clusters[soort={vera.COMPLEX_CLUSTER}].naam",
    "telefoon": "relaties[{person}].contactgegevens",
    "email": "relaties[{person}].contactgegevens",
    "naam": "relaties[{person}].achternaam",
    "rol": "relaties[{person}].rollen",
    "geboortejaar": "relaties[{person}].geboortedatum",
}
# Problems of the import that point at another line, said the VERA way (the other person, the
# other tenancy) instead of a line number a rental system never saw.
POINTING = {
    "duplicate_person": _("‘%(value)s’ is listed twice for this tenancy: also as %(other)s"),
    "second_main_tenant": _(
        "this tenancy names its main tenant (Huurder, HUU) in %(other)s already"
    ),
    "complex_name": _(
        "complex ‘%(value)s’ is called ‘%(other)s’ in tenancy ‘%(first)s’ of this batch"
    ),
}
ROLE_RANK = {"hoofdhuurder": 0, "medehuurder": 1, "bewoner": 2}

Problem = tuple[str, str, dict]


# --- Reading the batch -------------------------------------------------------------------------


def vera_batch_read(records: object) -> ParsedFile:
    """A batch of VERA-shaped tenancies as the import's rows: one per resident (one without a
    person for a tenancy that lists none), line numbers as if the rows were a file under a
    header. A record with a problem of its own (its shape, its codes, a tenancy that does not
    run) is one line with its problems; a person with one is a line with those. Raises FileError
    when the batch as a whole cannot be read."""
    if not isinstance(records, list):
        raise FileError(
            _("A batch is a list of tenancies (huurovereenkomsten) in VERA's shape."),
            code="vera_batch",
        )
    if not records:
        raise FileError(_("The batch holds no tenancies."), code="vera_empty")
    lines: list[tuple[dict[str, str], list[Problem]]] = []
    first_index: dict[str, int] = {}
    for index, record in enumerate(records):
        lines += _record_lines(index, record, first_index)
        if len(lines) > MAX_ROWS:
            raise FileError(
                _(
                    "The batch has more than %(max)s rows (one per resident). Send it in "
                    "smaller batches."
                ),
                code="too_many_rows",
                params={"max": f"{MAX_ROWS:,}".replace(",", ".")},
            )
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow([*COLUMNS, *ORIGIN])
    parsed = ParsedFile("utf-8", ";", "", list(COLUMNS), [], rows=[])
    for number, (read, problems) in enumerate(lines, start=2):  # the header is line 1
        values = {name: read.get(name, "") for name in (*COLUMNS, *ORIGIN)}
        writer.writerow(values.values())
        if problems:
            for path, code, params in problems:
                parsed.row_errors.append(row_error(number, path, code, **params))
        else:
            parsed.rows.append((number, values))
    parsed.text = out.getvalue()
    return parsed


def _record_lines(index: int, record: object, first_index: dict[str, int]) -> list:
    problems: list[Problem] = []
    origin = {"vera_index": str(index), "vera_relatie": ""}
    if not isinstance(record, Mapping):
        return [(origin, [("", "vera_record", {})])]
    read = _Read(problems)
    household = {**origin, **_household(record, read)}
    reference = household["huurcontract"]
    if reference:
        other = first_index.setdefault(reference, index)
        if other != index:
            problems.append(("code", "vera_duplicate", {"value": reference[:40], "other": other}))
    relaties = read.list(record.get("relaties"), "relaties")
    if problems:
        return [(household, problems)]
    people = []
    for number, relatie in enumerate(relaties):
        person_problems: list[Problem] = []
        person = _person(relatie, f"relaties[{number}]", _Read(person_problems))
        if person is not None or person_problems:
            values = {**household, **(person or {}), "vera_relatie": str(number)}
            people.append((values, person_problems))
    return people or [(household, [])]


class _Read:
    """Reads the values of one record or person, noting each problem with its VERA field."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems

    def fail(self, path: str, code: str, **params) -> None:
        self.problems.append((path, code, params))

    def object(self, value, path: str) -> Mapping:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail(path, "vera_object")
            return {}
        return value

    def list(self, value, path: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, "vera_list")
            return []
        return value

    def text(self, value, path: str) -> str:
        """Text on one line (no value runs over lines in the import's rows); a whole number, as
        a house number may come, is read as its digits."""
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.fail(path, "vera_text")
            return ""
        if isinstance(value, str) and not storable(value):
            self.fail(path, "unstorable")
            return ""
        return " ".join(str(value).split())

    def code(self, value, path: str, list_name: str) -> str:
        """A VERA Referentiedata value ({"code": "HUU", ...}, or the code alone) from its list."""
        if isinstance(value, Mapping):
            value, path = value.get("code"), f"{path}.code"
        code = self.text(value, path).upper()
        if code and code not in vera.CODE_LISTS[list_name]:
            self.fail(path, "vera_code", value=code[:40], list=list_name)
        return code

    def date(self, value, path: str) -> date | None:
        text = self.text(value, path)
        match = DATE.match(text)
        if not text:
            return None
        try:
            if match:
                return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
        self.fail(path, "vera_date", value=text[:40])
        return None


def _household(record: Mapping, read: _Read) -> dict[str, str]:
    """The tenancy's own values: the household's columns of each of its rows."""
    values = {"huurcontract": read.text(record.get("code"), "code")}
    kind = read.code(record.get("soort"), "soort", "OVEREENKOMSTSOORT")
    if kind and kind in vera.OVEREENKOMSTSOORT and kind != vera.TENANCY:
        read.fail("soort.code", "vera_not_tenancy", value=kind)
    status = read.code(record.get("status"), "status", "OVEREENKOMSTSTATUS")
    if status and status in vera.OVEREENKOMSTSTATUS and status not in vera.RUNNING_TENANCY:
        read.fail("status.code", "vera_not_running", value=status)
    read.date(record.get("begindatum"), "begindatum")
    ended = read.date(record.get("einddatum"), "einddatum")
    if ended and ended < timezone.localdate():
        read.fail("einddatum", "vera_ended", value=ended.isoformat())

    units = read.list(record.get("eenheden"), "eenheden")
    if len(units) != 1:
        read.fail("eenheden", "vera_units", count=len(units))
    unit = read.object(units[0] if units else None, "eenheden[0]")
    kind = read.code(unit.get("soort"), "eenheden[0].soort", "EENHEIDSOORT")
    if kind and kind in vera.EENHEIDSOORT and kind != vera.HOUSING:
        read.fail("eenheden[0].soort.code", "vera_not_housing", value=kind)
    address = read.object(unit.get("adres"), "eenheden[0].adres")
    at = "eenheden[0].adres"
    letter = read.text(address.get("huisletter"), f"{at}.huisletter")
    addition = read.text(address.get("huisnummerToevoeging"), f"{at}.huisnummerToevoeging")
    place = read.object(address.get("woonplaats"), f"{at}.woonplaats")
    neighbourhood = read.object(address.get("buurt"), f"{at}.buurt")
    district = read.object(address.get("wijk"), f"{at}.wijk")
    values.update(
        straat=read.text(address.get("straatnaam"), f"{at}.straatnaam"),
        huisnummer=read.text(address.get("huisnummer"), f"{at}.huisnummer"),
        toevoeging="-".join(part for part in (letter, addition) if part),
        postcode=read.text(address.get("postcode"), f"{at}.postcode"),
        plaats=read.text(place.get("naam"), f"{at}.woonplaats.naam"),
        buurtcode=read.text(neighbourhood.get("code"), f"{at}.buurt.code")
        or read.text(district.get("code"), f"{at}.wijk.code"),
    )
    bag_path = "eenheden[0].adresseerbaarObjectBasisregistratie"
    bag = read.object(unit.get("adresseerbaarObjectBasisregistratie"), bag_path)
    bag_id = read.text(bag.get("bagIdentificatie"), f"{bag_path}.bagIdentificatie")
    if bag_id and not BAG_ID.match(bag_id):
        read.fail(f"{bag_path}.bagIdentificatie", "vera_bag", value=bag_id[:40])

    values.update(complexnummer="", complexnaam="")
    for number, cluster in enumerate(read.list(unit.get("clusters"), "eenheden[0].clusters")):
        at = f"eenheden[0].clusters[{number}]"
        cluster = read.object(cluster, at)
        kind = read.code(cluster.get("soort"), f"{at}.soort", "CLUSTERSOORT")
        if kind == vera.COMPLEX_CLUSTER and not values["complexnummer"]:
            values.update(
                complexnummer=read.text(cluster.get("code"), f"{at}.code"),
                complexnaam=read.text(cluster.get("naam"), f"{at}.naam"),
            )
    return values


def _person(relatie, at: str, read: _Read) -> dict[str, str] | None:
    """A person who lives there (a natural person with a resident role in force), as the
    import's person columns; None for any other relation (a payer, a guardian, a company)."""
    relatie = read.object(relatie, at)
    kind = read.code(relatie.get("soort"), f"{at}.soort", "RELATIESOORT")
    role = None
    today = timezone.localdate()
    for number, rol in enumerate(read.list(relatie.get("rollen"), f"{at}.rollen")):
        rol = read.object(rol, f"{at}.rollen[{number}]")
        code = read.code(rol.get("soort"), f"{at}.rollen[{number}].soort", "RELATIEROLSOORT")
        ended = read.date(rol.get("einddatum"), f"{at}.rollen[{number}].einddatum")
        resident = vera.RESIDENT_ROLES.get(code)
        in_force = resident and not (ended and ended < today)
        if in_force and (role is None or ROLE_RANK[resident] < ROLE_RANK[role]):
            role = resident
    situation = read.object(relatie.get("woonsituatie"), f"{at}.woonsituatie")
    read.code(situation.get("soort"), f"{at}.woonsituatie.soort", "WOONSITUATIESOORT")
    born = read.date(relatie.get("geboortedatum"), f"{at}.geboortedatum")
    given = read.text(relatie.get("roepnaam"), f"{at}.roepnaam") or read.text(
        relatie.get("voornaam"), f"{at}.voornaam"
    )
    infix = read.text(relatie.get("tussenvoegsels"), f"{at}.tussenvoegsels")
    surname = read.text(relatie.get("achternaam"), f"{at}.achternaam")
    phone = email = ""
    contacts = read.list(relatie.get("contactgegevens"), f"{at}.contactgegevens")
    for number, contact in enumerate(contacts):
        where = f"{at}.contactgegevens[{number}]"
        contact = read.object(contact, where)
        code = read.code(contact.get("soort"), f"{where}.soort", "CONTACTGEGEVENSOORT")
        value = read.text(contact.get("waarde"), f"{where}.waarde")
        if code in vera.PHONE and not phone:
            phone = value
        elif code in vera.EMAIL and not email:
            email = value
    if role is None or (kind and kind != vera.NATURAL_PERSON):
        return None
    if not surname:
        read.fail(f"{at}.achternaam", "vera_surname")
    return {
        "naam": " ".join(part for part in (given, infix, surname) if part),
        "rol": role,
        "geboortejaar": str(born.year) if born else "",
        "telefoon": phone,
        "email": email,
    }


# --- The results per record --------------------------------------------------------------------


@dataclass
class RecordProblem:
    field: str
    code: str
    message: str


@dataclass
class RecordResult:
    """What checking found in one record of a batch: nothing, or each problem with its VERA
    field and a reason in the reader's language."""

    index: int
    reference: str
    problems: list[RecordProblem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {
            "index": self.index,
            "huurovereenkomst": self.reference,
            "geldig": self.valid,
            "fouten": [
                {"veld": p.field, "code": p.code, "melding": p.message} for p in self.problems
            ],
        }


def is_vera_batch(text: str) -> bool:
    """Whether a stored import's text is a batch this module read (its header names where each
    row came from), rather than an uploaded file."""
    header = text.split("\n", 1)[0]
    return bool(text) and all(name in header.split(";") for name in ORIGIN)


def vera_record_results(text: str, errors: list[dict]) -> list[RecordResult]:
    """Each record of a batch (read by vera_batch_read; `text` is its ParsedFile.text) with the
    problems the check found (`errors`: validate_rows', or those an import stored): a problem
    of the household found on each of its rows is named once."""
    origins = {line: values for line, values in parse_text(text, "utf-8").rows}
    results: dict[int, RecordResult] = {}
    for values in origins.values():
        index = int(values["vera_index"])
        if index not in results:
            results[index] = RecordResult(index=index, reference=values.get("huurcontract", ""))
    seen = set()
    for error in errors:
        values = origins[error["row"]]
        problem = _problem(error, values, origins)
        key = (values["vera_index"], problem.field, problem.code, problem.message)
        if key not in seen:
            seen.add(key)
            results[int(values["vera_index"])].problems.append(problem)
    return [results[index] for index in sorted(results)]


def _problem(error: dict, values: dict, origins: dict) -> RecordProblem:
    column, code, params = error.get("column", ""), error["code"], dict(error.get("params", {}))
    path = COLUMN_FIELD.get(column, column).format(person=values.get("vera_relatie", ""))
    if code in POINTING:
        other = origins.get(params.get("other") if code != "complex_name" else params["first"])
        if code == "complex_name":
            params["first"] = other.get("huurcontract", "") if other else ""
        else:
            params["other"] = f"relaties[{other['vera_relatie']}]" if other else ""
        return RecordProblem(path, code, str(POINTING[code]) % params)
    return RecordProblem(path, code, error_message(error))


def vera_batch_message(results: list[RecordResult]) -> str:
    """For the answer to a batch with problems: how many records have them, and that nothing of
    the batch is taken."""
    invalid = sum(1 for result in results if not result.valid)
    return ngettext(
        "%(invalid)s of %(total)s tenancies has problems. Nothing of the batch is imported: fix "
        "it and send the whole batch again.",
        "%(invalid)s of %(total)s tenancies have problems. Nothing of the batch is imported: fix "
        "them and send the whole batch again.",
        invalid,
    ) % {"invalid": invalid, "total": len(results)}
