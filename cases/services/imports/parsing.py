"""Reading a CSV export of a rental system: bytes → text → header → rows → validated rows.

Nothing here touches the database except through the neighbourhood codes handed in, so the
rules can be read (and tested) on their own. docs/import.md documents the columns."""

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models.households import phone_validator
from cases.services.imports.residents import ImportPerson, merge, person_of
from cases.validators import normalise_postcode

MAX_ROWS = 100_000
MAX_ERRORS = 100_000  # more than this are counted but not listed

# Column → (required, longest value). Headers are matched case-insensitively, in any order.
COLUMNS: dict[str, tuple[bool, int]] = {
    "huurcontract": (True, 50),
    "straat": (True, 200),
    "huisnummer": (True, 5),
    "toevoeging": (False, 10),
    "postcode": (True, 7),
    "plaats": (True, 100),
    "buurtcode": (True, 10),
    "complexnummer": (False, 30),
    "complexnaam": (False, 200),
    "telefoon": (False, 20),
    "email": (False, 254),
    "hoofdhuurder": (False, 150),
    "geboortejaar_hoofdhuurder": (False, 4),
    # One row per person (cases.services.imports.residents), instead of hoofdhuurder.
    "naam": (False, 150),
    "rol": (False, 20),
    "geboortejaar": (False, 4),
}
REQUIRED = [name for name, (required, _length) in COLUMNS.items() if required]

# What each problem with a row says. Stored as code + params, rendered in the reader's language.
ROW_MESSAGES = {
    "required": _("is empty, but is required"),
    "too_long": _("‘%(value)s’ is longer than %(max)s characters"),
    "unstorable": _("holds a character that cannot be stored (a NUL or a broken character)"),
    "reserved_reference": _(
        "‘%(value)s’ begins with AVG-, which Inclusie keeps for households erased on request"
    ),
    "house_number": _("‘%(value)s’ is not a house number (a whole number from 1 to 99999)"),
    "postcode": _(
        "‘%(value)s’ is not a Dutch postcode (four digits and two letters, like 1234 AB)"
    ),
    "neighbourhood": _("‘%(value)s’ is not the CBS code of a known neighbourhood"),
    "phone": _("‘%(value)s’ is not a phone number of digits, like 06 12345678"),
    "email": _("‘%(value)s’ is not a valid e-mail address"),
    "birth_year": _("‘%(value)s’ is not a year of birth from 1900 to %(max)s"),
    "birth_year_without_tenant": _("a year of birth needs the name of the main tenant"),
    "duplicate": _("tenancy reference ‘%(value)s’ also appears on line %(other)s"),
    "complex_name": _("complex ‘%(value)s’ is called ‘%(other)s’ on line %(first)s"),
    "field_count": _("this line has %(found)s fields where the header has %(expected)s"),
    "role": _("‘%(value)s’ is not a role: hoofdhuurder, medehuurder or bewoner"),
    "without_name": _("a role or year of birth needs the person's name (naam)"),
    "household_differs": _(
        "‘%(value)s’ differs from line %(other)s of the same tenancy reference: the rows of one "
        "household have the same address, neighbourhood and complex"
    ),
    "duplicate_person": _("‘%(value)s’ is listed for this tenancy reference on line %(other)s"),
    "second_main_tenant": _("this tenancy reference has its main tenant on line %(other)s"),
    # A batch of tenancies in VERA's shape (cases.services.imports.vera); the column is the field.
    "vera_record": _("is not a tenancy: an object with VERA's fields was expected"),
    "vera_object": _("is not an object with VERA's fields"),
    "vera_list": _("is not a list"),
    "vera_text": _("is not text"),
    "vera_code": _("‘%(value)s’ is not a code of VERA's list %(list)s"),
    "vera_not_tenancy": _("‘%(value)s’ is not a tenancy (HUU): only a tenancy makes a household"),
    "vera_not_running": _(
        "a tenancy with status ‘%(value)s’ does not run: Inclusie takes running tenancies (LOP, "
        "OPG or VOP)"
    ),
    "vera_ended": _("the tenancy ended on %(value)s: Inclusie takes running tenancies"),
    "vera_units": _("names %(count)s units (eenheden): a household's tenancy names exactly one"),
    "vera_not_housing": _("‘%(value)s’ is not housing (WOO): only housing is a household's home"),
    "vera_date": _("‘%(value)s’ is not a date like 1961-04-23"),
    "vera_bag": _("‘%(value)s’ is not a BAG identification (16 digits)"),
    "vera_duplicate": _("tenancy ‘%(value)s’ is also at index %(other)s of this batch"),
    "vera_surname": _("a resident needs a surname (achternaam)"),
}


class FileError(ValidationError):
    """The file as a whole cannot be read; shown next to the file field."""


def _value(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def error_message(error: dict) -> str:
    """The problem of one stored row error, in the reader's language (without line/column)."""
    template = ROW_MESSAGES.get(error.get("code"))
    if template is None:
        return error.get("message", "")
    return str(template) % error.get("params", {})


def error_text(error: dict) -> str:
    """One stored row error as a full sentence: "Line 7: postcode: ‘12345’ is not ..."."""
    message = error_message(error)
    if error.get("column"):
        return gettext("Line %(line)s: %(column)s: %(message)s") % {
            "line": error["row"],
            "column": error["column"],
            "message": message,
        }
    return gettext("Line %(line)s: %(message)s") % {"line": error["row"], "message": message}


# --- The file ------------------------------------------------------------------------------------


@dataclass
class ParsedFile:
    encoding: str
    delimiter: str
    text: str
    columns: list[str]  # the known columns present, in file order
    ignored_columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number, {column: value}); header is line 1
    row_errors: list[dict] = field(default_factory=list)  # rows whose shape is wrong


def decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), else Windows-1252; refuses what is not text."""
    if not raw.strip():
        raise FileError(_("The file is empty."), code="empty")
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise FileError(
            _(
                "This is a spreadsheet (Excel) file, not a CSV file. Save it as CSV "
                "(comma or semicolon separated) and upload that."
            ),
            code="spreadsheet",
        )
    if b"\x00" in raw:
        raise FileError(_binary_message(), code="binary")
    try:
        text, encoding = raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = raw.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError:
            raise FileError(_binary_message(), code="binary") from None
    head = text[:10_000]
    control = sum(1 for char in head if ord(char) < 32 and char not in "\t\r\n")
    if control > len(head) / 100:
        raise FileError(_binary_message(), code="binary")
    return text, encoding


def _binary_message():
    return _(
        "This is not a CSV file. Save the export of the rental system as CSV (comma or "
        "semicolon separated, UTF-8 or Windows-1252) and upload that."
    )


def normalise_header(name: str) -> str:
    return "_".join(name.strip().strip("\ufeff").lower().replace("-", " ").split())


LINE_END = re.compile(r"\r\n|\r|\n")


def _first_line(text: str) -> str:
    """The first line, whatever ends it: CR LF (Windows), LF, or CR alone (old Mac exports)."""
    return LINE_END.split(text, maxsplit=1)[0]


def _after_first_line(text: str) -> str:
    parts = LINE_END.split(text, maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def sniff_delimiter(text: str) -> tuple[str, int]:
    """Semicolon or comma, whichever the header line has more of (Dutch Excel writes ';'), or
    what an Excel "sep=;" first line says. Returns it and the number of lines before the header."""
    first = _first_line(text).strip()
    if len(first) == 5 and first.lower().startswith("sep=") and first[4] in ",;":
        return first[4], 1
    return (";" if first.count(";") > first.count(",") else ","), 0


OPEN_QUOTE = _(
    "Line %(line)s: a quotation mark opens a value that is not closed on the same line. Remove "
    "it, or close the value with a second quotation mark: no value may run over several lines."
)
AFTER_QUOTE = _(
    "Line %(line)s: there is text after the quotation mark that closes a value. Put the whole "
    'value between quotation marks and double any quotation mark inside it ("").'
)


def _csv_error(error: csv.Error, line: int) -> FileError:
    """What the csv reader refused, as a reason a person can act on, at the record's line."""
    reason = str(error)
    if "end of data" in reason:
        return FileError(OPEN_QUOTE, code="open_quote", params={"line": line})
    if "expected after" in reason:
        return FileError(AFTER_QUOTE, code="after_quote", params={"line": line})
    return FileError(
        _("The file could not be read as CSV from line %(line)s on."),
        code="csv",
        params={"line": line},
    )


def _one_way_of_listing_residents(columns: set[str]) -> None:
    """A file lists its residents one row per household (hoofdhuurder) or one row per person
    (naam, rol, geboortejaar), not both: the two would disagree about who the main tenant is."""
    if "naam" in columns and columns & {"hoofdhuurder", "geboortejaar_hoofdhuurder"}:
        raise FileError(
            _(
                "The file has both the column naam (one row per person) and hoofdhuurder (one "
                "row per household). Use one of the two: for every resident, one row per "
                "person with naam and rol."
            ),
            code="mixed_residents",
        )
    if "naam" not in columns and columns & {"rol", "geboortejaar"}:
        raise FileError(
            _("The columns rol and geboortejaar belong to a person: add the column naam."),
            code="person_without_name",
        )


def parse(raw: bytes) -> ParsedFile:
    """Read the whole file; raises FileError when it cannot be used at all."""
    text, encoding = decode(raw)
    return parse_text(text, encoding)


def parse_text(text: str, encoding: str) -> ParsedFile:
    """Read decoded text (as stored in HouseholdImport.content)."""
    delimiter, skip = sniff_delimiter(text)
    body = _after_first_line(text) if skip else text
    # strict: a quotation mark that opens a value and is never closed, or text after a closing
    # one, is an error, not a value that silently swallows or drops what follows.
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except (csv.Error, StopIteration):
        raise FileError(_("The file could not be read as CSV."), code="csv") from None
    names = [normalise_header(name) for name in header]
    seen = set()
    for name in names:
        if name and name in seen:
            raise FileError(
                _("The column %(column)s appears more than once in the first line."),
                code="duplicate_column",
                params={"column": name},
            )
        seen.add(name)
    missing = [name for name in REQUIRED if name not in seen]
    if missing:
        raise FileError(
            _(
                "The first line must name the columns. Missing: %(columns)s. Required are "
                "%(required)s, separated by commas or semicolons."
            ),
            code="missing_columns",
            params={"columns": ", ".join(missing), "required": ", ".join(REQUIRED)},
        )
    columns = [name for name in names if name in COLUMNS]
    ignored = [name for name in names if name and name not in COLUMNS]
    _one_way_of_listing_residents(set(columns))
    parsed = ParsedFile(encoding, delimiter, text, columns, ignored, rows=[])
    line = reader.line_num + skip
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num + skip
            if line > start:
                # No column holds more than one line: a record that runs over several lines
                # has a quotation mark that opened a value and was closed lines later.
                raise FileError(OPEN_QUOTE, code="open_quote", params={"line": start})
            if not any(cell.strip() for cell in cells):
                continue
            if len(parsed.rows) >= MAX_ROWS:
                raise FileError(
                    _("The file has more than %(max)s rows. Split it into smaller files."),
                    code="too_many_rows",
                    params={"max": f"{MAX_ROWS:,}".replace(",", ".")},
                )
            # Empty cells after the last column are what spreadsheets write; anything else means
            # a separator inside a value without quotes, or a line cut short.
            extra = cells[len(names) :]
            if len(cells) < len(names) or any(cell.strip() for cell in extra):
                parsed.row_errors.append(
                    row_error(start, "", "field_count", found=len(cells), expected=len(names))
                )
                continue
            values = {name: cell.strip() for name, cell in zip(names, cells, strict=False) if name}
            parsed.rows.append((start, values))
    except csv.Error as error:
        raise _csv_error(error, line + 1) from None
    if not parsed.rows and not parsed.row_errors:
        raise FileError(_("The file has a first line with columns, but no rows."), code="no_rows")
    return parsed


# --- One row -------------------------------------------------------------------------------------


@dataclass(slots=True)
class ImportRow:
    line: int
    tenancy_reference: str
    street: str
    house_number: int
    house_number_addition: str
    postcode: str
    town: str
    neighbourhood_code: str
    neighbourhood_id: int
    complex_code: str
    complex_name: str
    phone: str
    email: str
    main_tenant: str
    main_tenant_birth_year: int | None
    # With the naam column: the people of the household, one per row (residents.merge).
    people: list[ImportPerson] = field(default_factory=list)
    # Those people by name, and the main tenant, as residents.merge reads them.
    people_known: object = field(default=None, repr=False, compare=False)


def row_error(line: int, column: str, code: str, **params) -> dict:
    error = {"row": line, "column": column, "code": code, "params": params}
    error["message"] = error_text(error)
    return error


# The tenancy reference an erasure gives a household (cases.services.avg): "AVG-<id>".
ERASED_PREFIX = "AVG-"


def storable(value: str) -> bool:
    """Whether PostgreSQL's text and UTF-8 take it: no NUL, no lone half of a surrogate pair."""
    return "\x00" not in value and not any("\ud800" <= c <= "\udfff" for c in value)


def validate_row(
    line: int, values: dict[str, str], neighbourhoods: dict[str, int]
) -> tuple[ImportRow | None, list[dict]]:
    """The row as typed values, or the list of what is wrong with it."""
    errors = []

    def fail(column, code, **params):
        errors.append(row_error(line, column, code, **params))

    for name, (required, limit) in COLUMNS.items():
        value = values.get(name, "")
        if required and not value:
            fail(name, "required")
        elif not storable(value):
            fail(name, "unstorable")
        elif len(value) > limit and name not in ("huisnummer", "postcode", "buurtcode"):
            fail(name, "too_long", value=_value(value), max=limit)
    reference = values.get("huurcontract", "")
    if reference.upper().startswith(ERASED_PREFIX) and storable(reference):
        # An erased household's reference (cases.services.avg): nothing may be put into it.
        fail("huurcontract", "reserved_reference", value=_value(reference))

    house_number = None
    if values.get("huisnummer"):
        text = values["huisnummer"]
        if text.isdigit() and 1 <= int(text) <= 99999:
            house_number = int(text)
        else:
            fail("huisnummer", "house_number", value=_value(text))

    postcode = ""
    if values.get("postcode"):
        try:
            postcode = normalise_postcode(values["postcode"])
        except ValidationError:
            fail("postcode", "postcode", value=_value(values["postcode"]))

    code = values.get("buurtcode", "").upper()
    neighbourhood_id = neighbourhoods.get(code)
    if code and neighbourhood_id is None:
        fail("buurtcode", "neighbourhood", value=_value(values["buurtcode"]))

    phone = values.get("telefoon", "")
    if phone and len(phone) <= 20:
        try:
            phone_validator(phone)
        except ValidationError:
            fail("telefoon", "phone", value=_value(phone))

    email = values.get("email", "")
    if email and len(email) <= 254:
        try:
            validate_email(email)
        except ValidationError:
            fail("email", "email", value=_value(email))

    birth_year = None
    year_text = values.get("geboortejaar_hoofdhuurder", "")
    if year_text:
        this_year = timezone.localdate().year
        if year_text.isdigit() and 1900 <= int(year_text) <= this_year:
            birth_year = int(year_text)
            if not values.get("hoofdhuurder"):
                fail("geboortejaar_hoofdhuurder", "birth_year_without_tenant")
        else:
            fail("geboortejaar_hoofdhuurder", "birth_year", value=_value(year_text), max=this_year)

    person, problems = person_of(line, values)
    for column, code, params in problems:
        fail(column, code, **params)

    if errors:
        return None, errors
    return (
        ImportRow(
            line=line,
            tenancy_reference=values["huurcontract"],
            street=values["straat"],
            house_number=house_number,
            house_number_addition=values.get("toevoeging", ""),
            postcode=postcode,
            town=values["plaats"],
            neighbourhood_code=code,
            neighbourhood_id=neighbourhood_id,
            complex_code=values.get("complexnummer", ""),
            complex_name=values.get("complexnaam", ""),
            phone=phone,
            email=email,
            main_tenant=values.get("hoofdhuurder", ""),
            main_tenant_birth_year=birth_year,
            people=[person] if person else [],
        ),
        [],
    )


def validate_rows(
    parsed: ParsedFile, neighbourhoods: dict[str, int]
) -> tuple[list[ImportRow], list[dict], int]:
    """Every row checked on its own and against the others in the file (one tenancy reference
    once, or with the naam column once per person; one name per complex). Returns the valid
    rows, one per household, the errors, and how many rows are invalid."""
    rows: list[ImportRow] = []
    errors = list(parsed.row_errors)
    invalid_lines = {error["row"] for error in errors}
    first_line: dict[str, int] = {}
    complex_names: dict[str, tuple[str, int]] = {}
    per_person = "naam" in parsed.columns
    households: dict[str, ImportRow] = {}
    for line, values in parsed.rows:
        row, row_errors = validate_row(line, values, neighbourhoods)
        reference = values.get("huurcontract", "")
        if reference and not per_person:
            if reference in first_line:
                row_errors.append(
                    row_error(
                        line,
                        "huurcontract",
                        "duplicate",
                        value=_value(reference),
                        other=first_line[reference],
                    )
                )
            else:
                first_line[reference] = line
        code, name = values.get("complexnummer", ""), values.get("complexnaam", "")
        if code and name:
            known = complex_names.setdefault(code, (name, line))
            if known[0] != name:
                row_errors.append(
                    row_error(
                        line,
                        "complexnaam",
                        "complex_name",
                        value=_value(code),
                        other=_value(known[0]),
                        first=known[1],
                    )
                )
        first = households.get(row.tenancy_reference) if row and per_person else None
        if first is not None and not row_errors:
            for column, code, params in merge(first, row):
                row_errors.append(row_error(line, column, code, **params))
            if not row_errors:
                continue  # one more person of a household already read
        if row_errors:
            invalid_lines.add(line)
            errors.extend(row_errors)
        else:
            rows.append(row)
            households[row.tenancy_reference] = row
    errors.sort(key=lambda error: error["row"])
    return rows, errors, len(invalid_lines)
