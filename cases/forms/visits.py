"""The home-visit form: the visit and the signals seen, on one screen, the categories grouped
by life area (leefgebied) with the common ones first."""

from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cases.forms.common import DateInput
from cases.models.signals import SignalCategory
from cases.services.visits import SignalInput
from cases.workflow import (
    OLD_VISIT,
    Severity,
    VisitKind,
    VisitOutcome,
    oldest_visit_day,
)

LIFE_AREAS = list(SignalCategory.LifeArea)


@dataclass
class CategoryGroup:
    """One life area's categories on the visit form: a fieldset with the area as its legend."""

    life_area: str
    label: str
    rows: list[dict]


class HomeVisitForm(forms.Form):
    """The visit and, per category, a tick that asks for severity, description and follow-up."""

    visited_on = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(
        label=_("Kind of visit"),
        choices=VisitKind.choices,
        initial=VisitKind.REGULIER,
        widget=forms.RadioSelect,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=VisitOutcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only what the work needs; no medical details."),
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()
        self.fields["visited_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["visited_on"].widget.attrs["min"] = oldest_visit_day(
            timezone.localdate()
        ).isoformat()
        self.categories = list(categories)
        for category in self.categories:
            prefix = f"c{category.pk}"
            self.fields[f"{prefix}"] = forms.BooleanField(label=category.name, required=False)
            self.fields[f"{prefix}_severity"] = forms.ChoiceField(
                label=_("Severity"),
                choices=Severity.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"{prefix}_description"] = forms.CharField(
                label=_("Short description"), max_length=300, required=False
            )
            self.fields[f"{prefix}_follow_up"] = forms.DateField(
                label=_("Follow-up date (optional)"), required=False, widget=DateInput()
            )

    def _row(self, category) -> dict:
        """A category's tick box and the fields it asks for, for the template."""
        prefix = f"c{category.pk}"
        return {
            "category": category,
            "tick": self[prefix],
            "severity": self[f"{prefix}_severity"],
            "description": self[f"{prefix}_description"],
            "follow_up": self[f"{prefix}_follow_up"],
        }

    def category_groups(self) -> list[CategoryGroup]:
        """The categories by life area: first the areas that hold a common category, then the
        others, each set in the order of SignalCategory.LifeArea; within an area the common
        categories first, then in the order they came (position, name)."""
        by_area: dict[str, list] = {}
        for category in self.categories:
            by_area.setdefault(category.life_area, []).append(category)

        def area_order(area: str) -> tuple:
            known = area in SignalCategory.LifeArea.values
            common = any(category.is_common for category in by_area[area])
            return (not common, LIFE_AREAS.index(area) if known else len(LIFE_AREAS), area)

        return [
            CategoryGroup(
                life_area=area,
                label=SignalCategory.LifeArea(area).label
                if area in SignalCategory.LifeArea.values
                else area,
                rows=[
                    self._row(category)
                    for category in sorted(by_area[area], key=lambda c: not c.is_common)
                ],
            )
            for area in sorted(by_area, key=area_order)
        ]

    def clean_visited_on(self):
        visited_on = self.cleaned_data["visited_on"]
        if visited_on > timezone.localdate():
            raise forms.ValidationError(_("The date of a visit cannot be in the future."))
        if visited_on < oldest_visit_day(timezone.localdate()):
            oldest = oldest_visit_day(timezone.localdate())
            raise forms.ValidationError(OLD_VISIT % {"date": date_format(oldest, "j F Y")})
        return visited_on

    def clean(self):
        cleaned = super().clean()
        for category in self.categories:
            prefix = f"c{category.pk}"
            if not cleaned.get(prefix):
                continue
            if not cleaned.get(f"{prefix}_severity"):
                self.add_error(f"{prefix}_severity", _("Choose how serious this is."))
            if not (cleaned.get(f"{prefix}_description") or "").strip():
                self.add_error(f"{prefix}_description", _("Describe in a few words what you saw."))
            follow_up = cleaned.get(f"{prefix}_follow_up")
            if follow_up and cleaned.get("visited_on") and follow_up < cleaned["visited_on"]:
                self.add_error(
                    f"{prefix}_follow_up", _("A follow-up date cannot be before the visit.")
                )
        return cleaned

    def signal_inputs(self) -> list[SignalInput]:
        return [
            SignalInput(
                category=category,
                severity=self.cleaned_data[f"c{category.pk}_severity"],
                description=self.cleaned_data[f"c{category.pk}_description"],
                follow_up_on=self.cleaned_data.get(f"c{category.pk}_follow_up"),
            )
            for category in self.categories
            if self.cleaned_data.get(f"c{category.pk}")
        ]
