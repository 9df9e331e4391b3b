"""Django's password texts in the tone of our Dutch catalogue.

Django's own Dutch says "uw"; allauth and Inclusie say "je" (docs/adr/0004). Listing the msgids
here keeps them in locale/nl, whose translations win over Django's."""

from django.utils.translation import gettext_noop, ngettext_lazy

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
        "Your password must contain at least %d character.",
        "Your password must contain at least %d characters.",
    ),
]
