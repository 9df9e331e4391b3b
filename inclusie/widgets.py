"""Form widgets rendered in Python where Django's templates cost more than the page's queries."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def _attributes(attrs: dict) -> str:
    """As Django's widgets/attrs.html: in order, True as a bare name, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


class FastSelect(forms.Select):
    """A select whose options are written in Python. Django renders each option through a
    template of its own; the filters of a list (150 neighbourhoods for a large corporation)
    then cost more than the whole list's queries (ADR 0012). Same HTML, same attributes."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "",
                '<option value="{}"{}{}>{}</option>',
                (
                    (
                        "" if option["value"] is None else option["value"],
                        _attributes({k: v for k, v in option["attrs"].items() if k != "selected"}),
                        mark_safe(" selected") if option["selected"] else "",  # noqa: S308
                        option["label"],
                    )
                    for option in options
                ),
            )
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', group, rendered)
                if group
                else rendered
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            _attributes(widget["attrs"]),
            mark_safe("".join(parts)),  # noqa: S308 - each part escaped by format_html
        )
