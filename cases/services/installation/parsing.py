"""Reading the set-up file of `manage.py setup_installation` (ADR 0020): YAML into what the
installation should hold, each item with the line it stands on, or every problem found, each
with its line (the nodes are read in cases.services.installation.nodes). Pure: no database;
what the file names is checked against Inclusie in cases.services.installation."""

import datetime
import re
from dataclasses import dataclass, field

import yaml
from django.utils.translation import gettext as _

from cases.models import SignalCategory
from cases.services.installation.nodes import (
    CODE,
    NodeReader,
    Problem,
    SetupFileError,
    is_empty_list,
    line_of,
)
from partners.models import Organisation
from partners.validators import cbs_district_problem, cbs_neighbourhood_problem

# The longest text each field holds (the models' max_length).
NAME = 200
PERSON = 150
CATEGORY = 100
CATEGORY_CODE = re.compile(r"[-a-z0-9_]+")


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    line: int


@dataclass(frozen=True)
class OrganisationItem:
    name: str
    kind: str
    administrator: Person
    line: int
    at: dict = field(default_factory=dict, compare=False)  # key → line


@dataclass(frozen=True)
class NeighbourhoodItem:
    code: str
    name: str
    municipality: str
    district: str | None  # the wijk's code, for a buurt
    line: int


@dataclass(frozen=True)
class CategoryItem:
    code: str
    name: str
    life_area: str
    usual_partner_kind: str
    is_active: bool | None
    position: int | None
    line: int
    is_common: bool | None = None


@dataclass(frozen=True)
class AgreementItem:
    organisation: str
    partner: str
    categories: tuple[str, ...]
    response_days: int
    valid_from: datetime.date
    valid_until: datetime.date | None
    line: int
    at: dict = field(default_factory=dict, compare=False)  # key (or category code) → line


@dataclass(frozen=True)
class SetupFile:
    installation_admin: Person | None
    organisations: tuple[OrganisationItem, ...]
    neighbourhoods: tuple[NeighbourhoodItem, ...]  # each wijk before its buurten
    categories: tuple[CategoryItem, ...]
    agreements: tuple[AgreementItem, ...]


SECTIONS = ("installation_admin", "organisations", "districts", "signal_categories", "agreements")


def setup_file_read(text: str) -> SetupFile:
    """The set-up file's content, or SetupFileError with every problem found and its line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = _(
            "This is not valid YAML (check the indentation, the colons and the quotes). The "
            "YAML reader says: %(detail)s"
        ) % {"detail": exc.problem or exc.context}
        start = exc.context_mark
        if start is not None and mark is not None and start.line != mark.line:
            message += " " + _("(in what starts on line %(line)s)") % {"line": start.line + 1}
        raise SetupFileError([Problem(mark.line + 1 if mark else None, message)]) from None
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", None)
        line = text[:position].count("\n") + 1 if position is not None else None
        raise SetupFileError(
            [Problem(line, _("This file cannot be read as text: %(detail)s") % {"detail": exc})]
        ) from None
    except RecursionError:
        # Lists or keys nested thousands deep: the YAML reader recurses per level.
        message = _(
            "Lists or keys are nested far deeper than a set-up file ever needs; check the brackets."
        )
        raise SetupFileError([Problem(None, message)]) from None
    if root is None:
        raise SetupFileError([Problem(None, _("The file is empty."))])
    reader = _Reader()
    setup = reader.setup(root)
    if reader.problems:
        raise SetupFileError(reader.problems)
    return setup


class _Reader(NodeReader):
    """The sections of the set-up file."""

    # --- the sections ----------------------------------------------------------------------

    def setup(self, root) -> SetupFile:
        sections = self.mapping(root, what=_("the file"), optional=SECTIONS) or {}
        admin = sections.get("installation_admin")
        return SetupFile(
            installation_admin=(
                self.person(admin, what=_("the installation administrator")) if admin else None
            ),
            organisations=tuple(self.organisations(sections.get("organisations"))),
            neighbourhoods=tuple(self.districts(sections.get("districts"))),
            categories=tuple(self.categories(sections.get("signal_categories"))),
            agreements=tuple(self.agreements(sections.get("agreements"))),
        )

    def person(self, node, *, what: str) -> Person | None:
        values = self.mapping(node, what=what, required=("email", "name"))
        if values is None:
            return None
        email = self.get(values, "email", self.email)
        name = self.get(values, "name", self.text, longest=PERSON)
        return Person(email, name, line_of(node)) if email and name else None

    def organisations(self, node):
        names = {}
        required = ("name", "kind", "administrator")
        for item, values in self.items(
            node, key="organisations", what=_("this organisation"), required=required
        ):
            name = self.get(values, "name", self.text, longest=NAME)
            if name is not None and not self.once(names, name, values["name"]):
                name = None
            kind = self.get(
                values,
                "kind",
                self.choice,
                choices=Organisation.Kind.values,
                what=_("kind of organisation"),
            )
            administrator = None
            if "administrator" in values:
                administrator = self.person(
                    values["administrator"], what=_("the organisation's first administrator")
                )
            if name and kind and administrator:
                at = {key: line_of(value) for key, value in values.items()}
                yield OrganisationItem(name, kind, administrator, line_of(item), at)

    def districts(self, node):
        codes = {}
        for item, values in self.items(
            node,
            key="districts",
            what=_("this district"),
            required=("code", "name", "municipality"),
            optional=("neighbourhoods",),
        ):
            code = self.cbs_code(values, codes, district=None)
            name = self.get(values, "name", self.text, longest=NAME)
            municipality = self.get(values, "municipality", self.text, longest=NAME)
            whole = bool(code and name and municipality)
            if whole:
                yield NeighbourhoodItem(code, name, municipality, None, line_of(item))
            for part, parts in self.items(
                values.get("neighbourhoods"),
                key="neighbourhoods",
                what=_("this neighbourhood"),
                required=("code", "name"),
            ):
                part_code = self.cbs_code(parts, codes, district=code or "")
                part_name = self.get(parts, "name", self.text, longest=NAME)
                if whole and part_code and part_name:
                    yield NeighbourhoodItem(part_code, part_name, municipality, code, line_of(part))

    def cbs_code(self, values, codes, *, district: str | None) -> str | None:
        code = self.get(values, "code", self.text, longest=CODE)
        if code is None:
            return None
        if district is None:
            problem = cbs_district_problem(code)
        elif district:
            problem = cbs_neighbourhood_problem(code, district=district)
        else:  # its wijk's code is wrong already; check the buurt's own form only
            problem = cbs_neighbourhood_problem(code, district="WK" + code[2:8])
        if problem:
            self.add(values["code"], problem)
            return None
        return code if self.once(codes, code, values["code"]) else None

    def categories(self, node):
        codes, names = {}, {}
        for item, values in self.items(
            node,
            key="signal_categories",
            what=_("this signal category"),
            required=("code", "name", "life_area", "usual_partner_kind"),
            optional=("position", "active", "common"),
        ):
            code = self.get(values, "code", self.text, longest=CODE)
            if code is not None and not CATEGORY_CODE.fullmatch(code):
                self.add(
                    values["code"],
                    _(
                        "“%(value)s” is not a category code: use lower-case letters, digits "
                        "and hyphens, like schulden-jongeren."
                    )
                    % {"value": code},
                )
                code = None
            if code is not None and not self.once(codes, code, values["code"]):
                code = None
            name = self.get(values, "name", self.text, longest=CATEGORY)
            if name is not None and not self.once(
                names, name.casefold(), values["name"], shown=name
            ):
                name = None
            life_area = self.get(
                values,
                "life_area",
                self.choice,
                choices=SignalCategory.LifeArea.values,
                what=_("life area"),
            )
            usual = self.get(
                values,
                "usual_partner_kind",
                self.choice,
                choices=Organisation.Kind.values,
                what=_("kind of organisation"),
            )
            position = self.get(values, "position", self.whole)
            active = self.get(values, "active", self.boolean)
            common = self.get(values, "common", self.boolean)
            if code and name and life_area and usual:
                yield CategoryItem(
                    code, name, life_area, usual, active, position, line_of(item), common
                )

    def agreements(self, node):
        seen = {}
        for item, values in self.items(
            node,
            key="agreements",
            what=_("this agreement"),
            required=("organisation", "partner", "categories", "response_days", "valid_from"),
            optional=("valid_until",),
        ):
            organisation = self.get(values, "organisation", self.text, longest=NAME)
            partner = self.get(values, "partner", self.text, longest=NAME)
            at = {key: line_of(value) for key, value in values.items()}
            codes = []
            for entry in (
                self.sequence(values["categories"], key="categories")
                if ("categories" in values)
                else []
            ):
                code = self.text(entry, key="categories", longest=CODE)
                if code is not None and code in codes:
                    self.add(entry, _("“%(value)s” appears twice in this list.") % {"value": code})
                elif code is not None:
                    codes.append(code)
                    at[code] = line_of(entry)
            if "categories" in values and not codes and is_empty_list(values["categories"]):
                self.add(values["categories"], _("“%(key)s” is empty.") % {"key": "categories"})
            days = self.get(values, "response_days", self.whole)
            valid_from = self.get(values, "valid_from", self.date)
            valid_until = self.get(values, "valid_until", self.date)
            if not (organisation and partner and codes and days is not None and valid_from):
                continue
            pair = (frozenset((organisation, partner)), valid_from)
            shown = f"{organisation} – {partner}, {valid_from.isoformat()}"
            if self.once(seen, pair, item, shown=shown):
                yield AgreementItem(
                    organisation,
                    partner,
                    tuple(codes),
                    days,
                    valid_from,
                    valid_until,
                    line_of(item),
                    at,
                )
