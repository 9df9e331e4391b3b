"""Django's own Dutch for form messages that REST framework's catalogue words differently.

REST framework is an installed app, and an installed app's catalogue wins over Django's own:
without these, every form in Inclusie would say "Dit veld is vereist." where the pages have
always said "Dit veld is verplicht." (tests/cases/views/test_support.py reads it). Listing the
msgids here keeps Django's wording in locale/nl, which wins over both (ADR 0004)."""

from django.utils.translation import gettext_noop

DJANGO_FORM_TEXTS = [
    gettext_noop("This field is required."),
    gettext_noop("No file was submitted."),
    gettext_noop(
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ),
    gettext_noop("Value must be valid JSON."),
]
