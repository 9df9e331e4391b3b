"""Dutch address data: postcodes and house numbers, and how a typed address is read."""

import re
import unicodedata

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


# "1234AB 12", "1234 ab 12-a", "9901AB 12 2-hoog": postcode, then house number and addition.
POSTCODE_QUERY = re.compile(
    r"^\s*([1-9]\d{3})\s*([A-Za-z]{2})"
    r"(?:[\s-]+|(?=\d)|$)(?:(\d{1,5})(?:[\s-]*([A-Za-z0-9][A-Za-z0-9 -]{0,9}?))?)?\s*$"
)
# "Lindelaan 12", "Lindelaan 12a": street and house number.
STREET_NUMBER_QUERY = re.compile(r"^\s*(\D+?)\s+(\d{1,5})\s*[- ]?\s*([A-Za-z0-9-]{0,10})\s*$")


def bare_addition(addition: str) -> str:
    """A house-number addition as it is compared: letters and digits, lower case ("A-1" is "a1")."""
    return re.sub(r"[^A-Za-z0-9]", "", addition or "").lower()


# --- what counts as the same address or the same person (ADR 0026) --------------------------


def address_key(postcode: str, house_number: int | None, addition: str) -> str:
    """An address as duplicates are found by it: the postcode without its space, the number and
    the bare addition ('1234 ab', 12, 'A-1' → '1234AB 12 a1'). Empty without a postcode or a
    number (an erased household has neither to compare)."""
    postcode = re.sub(r"\s", "", postcode or "").upper()
    if not postcode or not house_number:
        return ""
    return f"{postcode} {house_number} {bare_addition(addition)}".rstrip()


def name_key(name: str) -> str:
    """A name as duplicates are found by it: without diacritics, in any case and spacing
    ('José  de Vries' is 'jose de vries')."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())[:NAME_KEY_LENGTH]


NAME_KEY_LENGTH = 200
