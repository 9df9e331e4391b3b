"""Checks of what partners keeps: CBS codes of neighbourhoods; and Django's and allauth's
password texts in the tone of our Dutch catalogue.

Django's own Dutch says "uw", and allauth's says "a.u.b." on the password reset pages; Inclusie
says "je" (docs/adr/0004). Listing the msgids here keeps them in locale/nl, whose translations
win over Django's and allauth's. The msgids must be exactly the libraries' own (Django 5.2 names
the minimum length `%(min_length)d` in the help text and `%d` in the error);
tests/test_i18n.py reads the password pages."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext_lazy

# CBS codes: a wijk is WK, the municipality's four digits and two of its own; a buurt is BU,
# its wijk's six digits and two of its own (partners.models.Neighbourhood).
CBS_DISTRICT = re.compile(r"WK[0-9]{6}")
CBS_NEIGHBOURHOOD = re.compile(r"BU[0-9]{8}")


def cbs_district_problem(code: str) -> str | None:
    """Why `code` is not a CBS wijk code, or None."""
    if CBS_DISTRICT.fullmatch(code):
        return None
    return _(
        "“%(code)s” is not a CBS district code (wijkcode): WK and six digits, like WK036301."
    ) % {"code": code}


def cbs_neighbourhood_problem(code: str, *, district: str) -> str | None:
    """Why `code` is not the CBS code of a buurt in the wijk `district`, or None."""
    if not CBS_NEIGHBOURHOOD.fullmatch(code):
        return _(
            "“%(code)s” is not a CBS neighbourhood code (buurtcode): BU and eight digits, "
            "like BU03630101."
        ) % {"code": code}
    if code[2:8] != district[2:8]:
        return _(
            "Neighbourhood %(code)s does not lie in district %(district)s: a buurtcode starts "
            "with the six digits of its wijk (BU%(digits)s..)."
        ) % {"code": code, "district": district, "digits": district[2:8]}
    return None


DJANGO_PASSWORD_TEXTS = [
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
    ),
]

ALLAUTH_PASSWORD_TEXTS = [
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop(
        "We have sent you an email. If you have not received it please check your spam folder. "
        "Otherwise contact us if you do not receive it in a few minutes."
    ),
]
