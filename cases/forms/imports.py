"""The upload of a household file: read and checked as a whole when it arrives."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.services.imports.parsing import ParsedFile, parse

MAX_BYTES = getattr(settings, "HOUSEHOLD_IMPORT_MAX_BYTES", 20 * 1024 * 1024)


class HouseholdImportForm(forms.Form):
    """The upload: the file is read and checked as a whole here; its rows are checked against
    the database by the service."""

    file = forms.FileField(
        label=_("CSV file"),
        error_messages={
            "required": _("Choose the CSV file to upload."),
            "empty": _("The file is empty."),
            "invalid": _("No file was received. Choose the file again."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parsed: ParsedFile | None = None
        self.fields["file"].help_text = _(
            "The export of your rental system, at most %(size)s MB, comma or semicolon separated."
        ) % {"size": MAX_BYTES // (1024 * 1024)}
        self.helper = FormHelper()
        # Our own Dutch messages beside the field, not the browser's (which speak its language).
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Check file")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)s MB. Split it into smaller files."),
                code="too_large",
                params={"size": MAX_BYTES // (1024 * 1024)},
            )
        self.parsed = parse(upload.read())  # FileError is a ValidationError: shown at the field
        return upload
