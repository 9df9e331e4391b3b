"""The shapes a set-up file is made of (ADR 0020): PyYAML's nodes read into values, each
problem noted with the line it stands on. The composer keeps where every node starts (its
`start_mark`); values are taken from the nodes, so a name like `yes` or `2026` stays the text
it was typed as."""

import datetime
import difflib
import re
from dataclasses import dataclass

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

CODE = 50
WHOLE = re.compile(r"[0-9]{1,5}")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
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


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def is_empty_list(node: yaml.Node) -> bool:
    return (isinstance(node, yaml.SequenceNode) and not node.value) or (
        isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null") and not node.value
    )


class NodeReader:
    """Reads nodes into values, noting each problem with its line in `problems`."""

    def __init__(self):
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def add(self, node_or_line, message: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else line_of(node_or_line)
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
        seen[value] = line_of(node)
        return True

    def get(self, values: dict, key: str, read, **options):
        """`read` applied to the value under `key`; None when it is missing (told already)."""
        return read(values[key], key=key, **options) if key in values else None

    def items(self, node, *, key: str, what: str, required=(), optional=()):
        """The items of a list with their keys and values; those that are no mapping are
        told and left out."""
        for item in self.sequence(node, key=key) if node is not None else []:
            values = self.mapping(item, what=what, required=required, optional=optional)
            if values is not None:
                yield item, values
