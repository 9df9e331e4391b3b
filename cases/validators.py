"""Dutch address data: postcodes and house numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Four digits (not starting with 0) and two letters; SA, SD and SS are never issued.
POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")
UNUSED_LETTERS = {"SA", "SD", "SS"}


def normalise_postcode(value: str) -> str:
    """'1234ab' → '1234 AB'; raises ValidationError when it is not a Dutch postcode."""
    match = POSTCODE.match(value or "")
    if not match or match.group(2).upper() in UNUSED_LETTERS:
        raise ValidationError(
            _("Enter a Dutch postcode: four digits and two letters, like 1234 AB."),
            code="postcode",
        )
    return f"{match.group(1)} {match.group(2).upper()}"


def validate_postcode(value: str) -> None:
    normalise_postcode(value)
