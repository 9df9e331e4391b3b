"""Forms of the ledger page (its period), of the administrators' rates, estimates and splits,
and of a shared worker's hours."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from cases.forms.fields import EuroField, HoursField, MonthField
from cases.models.ledger import Period, add_months, first_of_month
from cases.services.ledger import MAX_MONTH_HOURS, hours_field, in_quarters

KINDS = [
    ("maand", _("Month")),
    ("kwartaal", _("Quarter")),
    ("jaar", _("Year")),
    ("anders", _("Other period")),
]
QUARTERS = [(str(q), format_lazy("{} {}", _("Quarter"), q)) for q in range(1, 5)]
LONGEST = 60  # months


def _month_choices():
    return [(str(number), capfirst(name)) for number, name in MONTHS.items()]


class PeriodForm(forms.Form):
    """The ledger's period in the URL: a month, a quarter or a year, or from one month to
    another. Only the fields of the chosen kind count; the period ends this month at the
    latest."""

    periode = forms.ChoiceField(label=_("Period"), choices=KINDS, initial="jaar", required=False)
    jaar = forms.CharField(label=_("Year"), required=False)
    kwartaal = forms.ChoiceField(label=_("Quarter"), choices=QUARTERS, required=False)
    maand = forms.ChoiceField(label=_("Month"), choices=_month_choices, required=False)
    van = MonthField(label=_("From month"), required=False)
    tot = MonthField(label=_("To month"), required=False)

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["jaar"].initial = self.today.year
        self.fields["jaar"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["kwartaal"].initial = str((self.today.month - 1) // 3 + 1)
        self.fields["maand"].initial = str(self.today.month)
        self.fields["van"].initial = add_months(first_of_month(self.today), -11)
        self.fields["tot"].initial = first_of_month(self.today)

    def clean_jaar(self):
        value = self.cleaned_data["jaar"].strip()
        if not value:
            return None
        if not value.isdigit() or len(value) != 4:
            raise forms.ValidationError(_("Give a year, like 2026."))
        year = int(value)
        if not 2000 <= year <= self.today.year:
            raise forms.ValidationError(
                _("Give a year from 2000 to %(year)s.") % {"year": self.today.year}
            )
        return year

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("periode") or "jaar"
        cleaned["periode"] = kind
        this_month = first_of_month(self.today)
        if kind in ("maand", "kwartaal", "jaar") and not cleaned.get("jaar"):
            if "jaar" not in self.errors:
                self.add_error("jaar", _("Give a year, like 2026."))
            return cleaned
        if kind == "maand":
            first = last = first_of_month(
                this_month.replace(year=cleaned["jaar"], month=int(cleaned.get("maand") or 1))
            )
        elif kind == "kwartaal":
            quarter = int(cleaned.get("kwartaal") or 1)
            first = this_month.replace(year=cleaned["jaar"], month=3 * quarter - 2)
            last = add_months(first, 2)
        elif kind == "jaar":
            first = this_month.replace(year=cleaned["jaar"], month=1)
            last = add_months(first, 11)
        else:
            first, last = cleaned.get("van"), cleaned.get("tot")
            for name, value in (("van", first), ("tot", last)):
                if value is None and name not in self.errors:
                    self.add_error(name, _("Give a month like 2026-03."))
            if first is None or last is None:
                return cleaned
            if last < first:
                self.add_error("tot", _("The last month cannot be before the first."))
                return cleaned
            if len(Period(first, last).months()) > LONGEST:
                self.add_error("tot", _("Choose a period of at most five years."))
                return cleaned
        field = {"anders": "van", "maand": "maand", "kwartaal": "kwartaal"}.get(kind, "jaar")
        if first > this_month:
            self.add_error(field, _("This period has not begun yet."))
            return cleaned
        cleaned["period"] = Period(first, min(last, this_month), kind)
        return cleaned

    def period(self) -> Period:
        return self.cleaned_data["period"]

    def default_period(self) -> Period:
        first = first_of_month(self.today).replace(month=1)
        return Period(first, first_of_month(self.today), "jaar")


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.attrs = {"novalidate": ""}
    helper.add_input(Submit("submit", label))
    return helper


class HourlyRateForm(forms.Form):
    amount = EuroField(
        label=_("Hourly rate in euros"),
        help_text=_("What an hour of work costs your organisation, for example 62,50"),
    )
    valid_from = MonthField(label=_("From month"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = first_of_month(timezone.localdate())
        self.helper = _helper(_("Save hourly rate"))


class AvoidedCostForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Signal category"), queryset=None, empty_label=_("Choose a category")
    )
    amount = EuroField(
        label=_("Estimated avoided cost per resolved signal, in euros"),
        help_text=_(
            "What one resolved signal of this category saves your organisation; "
            "0 ends an earlier estimate."
        ),
    )
    source = forms.CharField(
        label=_("Source of the estimate"),
        max_length=300,
        required=False,
        help_text=_("Where the figure comes from, for example a study or your own records."),
    )
    valid_from = MonthField(label=_("From month"))

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["valid_from"].initial = first_of_month(timezone.localdate())
        self.helper = _helper(_("Save estimate"))

    def clean_source(self):
        source = self.cleaned_data["source"].strip()
        if not source:
            raise forms.ValidationError(
                _("Name the source of the estimate, so that readers can weigh it.")
            )
        return source


class _PerOrganisationForm(forms.Form):
    """A field per organisation of a shared worker, named org_<id> (as the services name them)."""

    def organisation_fields(self):
        return [self[hours_field(o.pk)] for o in self.organisations]

    def per_organisation(self) -> dict:
        return {o.pk: self.cleaned_data.get(hours_field(o.pk)) for o in self.organisations}


class HoursSplitForm(_PerOrganisationForm):
    hours_per_week = HoursField(label=_("Hours per week"))
    valid_from = MonthField(label=_("From month"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        self.fields["valid_from"].initial = first_of_month(timezone.localdate())
        for organisation in self.organisations:
            self.fields[hours_field(organisation.pk)] = forms.IntegerField(
                label=_("%(organisation)s, percentage") % {"organisation": organisation.name},
                min_value=0,
                max_value=100,
                error_messages={
                    "invalid": _("Give a percentage from 0 to 100."),
                    "min_value": _("Give a percentage from 0 to 100."),
                    "max_value": _("Give a percentage from 0 to 100."),
                    "required": _("Give a percentage from 0 to 100."),
                },
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def clean_hours_per_week(self):
        hours = self.cleaned_data["hours_per_week"]
        if hours is None or hours > 60:
            raise forms.ValidationError(_("Give 0 to 60 hours a week."))
        if not in_quarters(hours):
            raise forms.ValidationError(
                _("Give the hours in quarters of an hour, like 7.25, 7.5 or 7.75.")
            )
        return hours

    def clean(self):
        cleaned = super().clean()
        values = self.per_organisation()
        if all(v is not None for v in values.values()) and sum(values.values()) != 100:
            raise forms.ValidationError(
                _("The percentages add up to %(total)s%%; together they must make 100%%.")
                % {"total": sum(values.values())}
            )
        return cleaned


class HoursEntryForm(_PerOrganisationForm):
    month = MonthField(label=_("Month"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        self.fields["month"].widget.attrs["max"] = timezone.localdate().strftime("%Y-%m")
        for organisation in self.organisations:
            self.fields[hours_field(organisation.pk)] = HoursField(
                label=_("Hours for %(organisation)s") % {"organisation": organisation.name},
                error_messages={"required": _("Give 0 to 200 hours.")},
            )

    def clean_month(self):
        month = self.cleaned_data["month"]
        if month > first_of_month(timezone.localdate()):
            raise forms.ValidationError(_("You cannot enter hours for a month that has not begun."))
        return month

    def clean(self):
        cleaned = super().clean()
        for organisation in self.organisations:
            name = hours_field(organisation.pk)
            value = cleaned.get(name)
            if value is None:
                continue
            if value > MAX_MONTH_HOURS:
                self.add_error(name, _("Give 0 to 200 hours."))
            elif not in_quarters(value):
                self.add_error(
                    name, _("Give the hours in quarters of an hour, like 7.25, 7.5 or 7.75.")
                )
        return cleaned
