"""Readable names of household fields, for history events and import previews."""

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "street": _("street"),
    "house_number": _("house number"),
    "house_number_addition": _("addition"),
    "postcode": _("postcode"),
    "town": _("town"),
    "neighbourhood": _("neighbourhood"),
    "complex": _("complex"),
    "phone": _("phone"),
    "email": _("e-mail address"),
    "main_tenant": _("main tenant"),
    "main_tenant_birth_year": _("year of birth of the main tenant"),
    "residents": _("residents"),
    "resident_name": _("name of a resident"),
    "resident_birth_year": _("year of birth of a resident"),
}


def change_label(key: str) -> str:
    """The readable name of a corrected value: 'phone', or 'resident:12:name' as a resident's
    name (HouseholdEvent data of a rectification)."""
    if key.startswith("resident:"):
        key = "resident_" + key.rsplit(":", 1)[-1]
    return str(FIELD_LABELS.get(key, key))
