"""Reading the set-up file of `manage.py setup_installation` (ADR 0020): YAML into what the
installation should hold, each item with the line it stands on, or every problem found, each
with its line. Pure: no database; what the file names is checked against Inclusie in
cases.services.installation.

PyYAML's composer keeps where every node starts (its `start_mark`); values are taken from the
nodes, so a name like `yes` or `2026` stays the text it was typed as."""

import datetime
import difflib
import re
from dataclasses import dataclass, field

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from cases.models import SignalCategory
from partners.models import Organisation
from partners.validators import cbs_district_problem, cbs_neighbourhood_problem

# The longest text each field holds (the models' max_length).
NAME = 200
PERSON = 150
CATEGORY = 100
CODE = 50
WHOLE = re.compile(r"[0-9]{1,5}")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
CATEGORY_CODE = re.compile(r"[-a-z0-9_]+")
BOOLEANS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


@dataclass(frozen=True)
class Problem:
    line: int | None  # 1 for the first line; None for the file as a whole
    message: str


class SetupFileError(Exception):
    """The file cannot be applied; `problems` says why, each with its line."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: p.line or 0)
        super().__init__("; ".join(p.message for p in self.problems))


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
    if root is None:
        raise SetupFileError([Problem(None, _("The file is empty."))])
    reader = _Reader()
    setup = reader.setup(root)
    if reader.problems:
        raise SetupFileError(reader.problems)
    return setup


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _is_empty_list(node: yaml.Node) -> bool:
    return (isinstance(node, yaml.SequenceNode) and not node.value) or (
        isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null") and not node.value
    )


class _Reader:
    def __init__(self):
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def add(self, node_or_line, message: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else _line(node_or_line)
        self.problems.append(Problem(line, message))

    # --- the shapes of YAML ----------------------------------------------------------------

    def _once(self, node) -> bool:
        """An alias (*name) repeats a node; the file needs none, and repeating a repeat can
        make a small file huge."""
        if id(node) in self.seen:
            self.add(node, _("Aliases (*name) are not used in this file; write the item out."))
            return False
        self.seen.add(id(node))
        return True

    def mapping(self, node, *, what: str, required=(), optional=()) -> dict | None:
        if not isinstance(node, yaml.MappingNode):
            self.add(
                node,
                _("Keys with values (key: value) are expected here, for %(what)s.")
                % {"what": what},
            )
            return None
        if not self._once(node):
            return None
        allowed = [*required, *optional]
        found = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key in found:
                self.add(key_node, _("“%(key)s” appears twice here; keep one.") % {"key": key})
            elif key not in allowed:
                self.add(key_node, self._unknown(key, allowed))
            else:
                found[key] = value_node
        for key in required:
            if key not in found:
                self.add(node, _("“%(key)s” is missing for %(what)s.") % {"key": key, "what": what})
        return found

    def _unknown(self, key, allowed) -> str:
        message = _("Unknown key “%(key)s”; possible here: %(keys)s.") % {
            "key": key,
            "keys": ", ".join(allowed),
        }
        close = difflib.get_close_matches(str(key), allowed, n=1)
        if close:
            message += " " + _("Did you mean “%(key)s”?") % {"key": close[0]}
        return message

    def sequence(self, node, *, key: str) -> list:
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null") and not node.value:
            return []  # an empty section: nothing to set up there
        if not isinstance(node, yaml.SequenceNode):
            self.add(
                node,
                _("“%(key)s” must be a list: each item on a line of its own, starting with “- ”.")
                % {"key": key},
            )
            return []
        if not self._once(node):
            return []
        return node.value

    def text(self, node, *, key: str, longest: int) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.add(node, _("“%(key)s” must be one value, not a list.") % {"key": key})
            return None
        value = node.value.strip()
        if not value or (node.tag.endswith(":null") and node.style is None):
            self.add(node, _("“%(key)s” is empty.") % {"key": key})
            return None
        if len(value) > longest:
            self.add(
                node,
                _("“%(key)s” is longer than %(count)s characters.")
                % {"key": key, "count": longest},
            )
            return None
        return value

    def choice(self, node, *, key: str, choices, what: str) -> str | None:
        value = self.text(node, key=key, longest=CODE)
        if value is not None and value not in choices:
            self.add(
                node,
                _("“%(value)s” is not a %(what)s; choose from: %(choices)s.")
                % {"what": what, "value": value, "choices": ", ".join(choices)},
            )
            return None
        return value

    def email(self, node, *, key: str) -> str | None:
        value = self.text(node, key=key, longest=254)
        if value is None:
            return None
        try:
            validate_email(value)
        except ValidationError:
            self.add(node, _("“%(value)s” is not an e-mail address.") % {"value": value})
            return None
        return value.lower()

    def whole(self, node, *, key: str) -> int | None:
        value = self.text(node, key=key, longest=CODE)
        if value is not None and not WHOLE.fullmatch(value):
            self.add(node, _("“%(key)s” must be a whole number.") % {"key": key})
            return None
        return None if value is None else int(value)

    def boolean(self, node, *, key: str) -> bool | None:
        value = self.text(node, key=key, longest=CODE)
        if value is not None and value.lower() not in BOOLEANS:
            self.add(node, _("“%(key)s” must be true or false.") % {"key": key})
            return None
        return None if value is None else BOOLEANS[value.lower()]

    def date(self, node, *, key: str) -> datetime.date | None:
        value = self.text(node, key=key, longest=CODE)
        if value is None:
            return None
        try:
            if not DATE.fullmatch(value):
                raise ValueError(value)
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.add(node, _("“%(key)s” must be a date like 2026-01-31.") % {"key": key})
            return None

    def once(self, seen: dict, value, node, *, shown=None) -> bool:
        """Whether `value` is new in this file; a second one is a problem naming the first."""
        if value in seen:
            self.add(
                node,
                _("“%(value)s” appears twice in this file (also on line %(line)s).")
                % {"value": shown or value, "line": seen[value]},
            )
            return False
        seen[value] = _line(node)
        return True

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
        email = self.email(values["email"], key="email") if "email" in values else None
        name = self.text(values["name"], key="name", longest=PERSON) if "name" in values else None
        if email is None or name is None:
            return None
        return Person(email=email, name=name, line=_line(node))

    def organisations(self, node):
        names = {}
        for item in self.sequence(node, key="organisations") if node else []:
            values = self.mapping(
                item, what=_("this organisation"), required=("name", "kind", "administrator")
            )
            if values is None:
                continue
            name = self.text(values["name"], key="name", longest=NAME) if "name" in values else None
            if name is not None and not self.once(names, name, values["name"]):
                name = None
            kind = None
            if "kind" in values:
                kind = self.choice(
                    values["kind"],
                    key="kind",
                    choices=Organisation.Kind.values,
                    what=_("kind of organisation"),
                )
            administrator = None
            if "administrator" in values:
                administrator = self.person(
                    values["administrator"], what=_("the organisation's first administrator")
                )
            if name and kind and administrator:
                yield OrganisationItem(
                    name=name,
                    kind=kind,
                    administrator=administrator,
                    line=_line(item),
                    at={key: _line(value) for key, value in values.items()},
                )

    def districts(self, node):
        codes = {}
        for item in self.sequence(node, key="districts") if node else []:
            values = self.mapping(
                item,
                what=_("this district"),
                required=("code", "name", "municipality"),
                optional=("neighbourhoods",),
            )
            if values is None:
                continue
            code = self.cbs_code(values, codes, district=None)
            name = self.text(values["name"], key="name", longest=NAME) if "name" in values else None
            municipality = None
            if "municipality" in values:
                municipality = self.text(values["municipality"], key="municipality", longest=NAME)
            if code and name and municipality:
                yield NeighbourhoodItem(code, name, municipality, None, _line(item))
            for part in (
                self.sequence(values["neighbourhoods"], key="neighbourhoods")
                if ("neighbourhoods" in values)
                else []
            ):
                parts = self.mapping(part, what=_("this neighbourhood"), required=("code", "name"))
                if parts is None:
                    continue
                part_code = self.cbs_code(parts, codes, district=code or "")
                part_name = (
                    self.text(parts["name"], key="name", longest=NAME) if "name" in parts else None
                )
                if code and name and municipality and part_code and part_name:
                    yield NeighbourhoodItem(part_code, part_name, municipality, code, _line(part))

    def cbs_code(self, values, codes, *, district: str | None) -> str | None:
        if "code" not in values:
            return None
        node = values["code"]
        code = self.text(node, key="code", longest=10)
        if code is None:
            return None
        if district is None:
            problem = cbs_district_problem(code)
        elif district:
            problem = cbs_neighbourhood_problem(code, district=district)
        else:  # its wijk's code is wrong already; check the buurt's own form only
            problem = cbs_neighbourhood_problem(code, district="WK" + code[2:8])
        if problem:
            self.add(node, problem)
            return None
        return code if self.once(codes, code, node) else None

    def categories(self, node):
        codes, names = {}, {}
        for item in self.sequence(node, key="signal_categories") if node else []:
            values = self.mapping(
                item,
                what=_("this signal category"),
                required=("code", "name", "life_area", "usual_partner_kind"),
                optional=("position", "active"),
            )
            if values is None:
                continue
            code = self.text(values["code"], key="code", longest=CODE) if "code" in values else None
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
            name = None
            if "name" in values:
                name = self.text(values["name"], key="name", longest=CATEGORY)
                if name is not None and not self.once(
                    names, name.casefold(), values["name"], shown=name
                ):
                    name = None
            life_area = usual = None
            if "life_area" in values:
                life_area = self.choice(
                    values["life_area"],
                    key="life_area",
                    choices=SignalCategory.LifeArea.values,
                    what=_("life area"),
                )
            if "usual_partner_kind" in values:
                usual = self.choice(
                    values["usual_partner_kind"],
                    key="usual_partner_kind",
                    choices=Organisation.Kind.values,
                    what=_("kind of organisation"),
                )
            position = active = None
            if "position" in values:
                position = self.whole(values["position"], key="position")
            if "active" in values:
                active = self.boolean(values["active"], key="active")
            optional_fine = ("position" not in values or position is not None) and (
                "active" not in values or active is not None
            )
            if code and name and life_area and usual and optional_fine:
                yield CategoryItem(code, name, life_area, usual, active, position, _line(item))

    def agreements(self, node):
        seen = {}
        for item in self.sequence(node, key="agreements") if node else []:
            values = self.mapping(
                item,
                what=_("this agreement"),
                required=("organisation", "partner", "categories", "response_days", "valid_from"),
                optional=("valid_until",),
            )
            if values is None:
                continue
            organisation, partner = (
                self.text(values[key], key=key, longest=NAME) if key in values else None
                for key in ("organisation", "partner")
            )
            at = {key: _line(value) for key, value in values.items()}
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
                    at[code] = _line(entry)
            if "categories" in values and not codes and _is_empty_list(values["categories"]):
                self.add(values["categories"], _("“%(key)s” is empty.") % {"key": "categories"})
            days = (
                self.whole(values["response_days"], key="response_days")
                if ("response_days" in values)
                else None
            )
            valid_from = (
                self.date(values["valid_from"], key="valid_from")
                if ("valid_from" in values)
                else None
            )
            valid_until = None
            if "valid_until" in values:
                valid_until = self.date(values["valid_until"], key="valid_until")
                if valid_until is None:
                    continue
            if not (organisation and partner and codes and days is not None and valid_from):
                continue
            pair = (frozenset((organisation, partner)), valid_from)
            shown = f"{organisation} – {partner}, {valid_from.isoformat()}"
            if self.once(seen, pair, item, shown=shown):
                yield AgreementItem(
                    organisation=organisation,
                    partner=partner,
                    categories=tuple(codes),
                    response_days=days,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    line=_line(item),
                    at=at,
                )
