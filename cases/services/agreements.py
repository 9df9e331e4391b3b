"""Agreements between organisations: saved by an administrator of either side; the one in force
between two organisations for some categories is what a referral rests on."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cases.models import (
    Agreement,
    SignalCategory,
)
from partners.models import Membership, Organisation, User
from partners.services.installation import Outcome, installation_admin_check

# --- the legal basis of a referral -----------------------------------------------------------


def referral_agreement(*, sender: Organisation, receiver: Organisation, categories) -> Agreement:
    """The agreement in force that allows these categories from sender to receiver."""
    agreement = (
        Agreement.objects.between(sender.pk, receiver.pk)
        .in_force()
        .prefetch_related("categories")
        .first()
    )
    if agreement is None:
        raise ValidationError(
            _("There is no agreement in force with %(partner)s, so it cannot receive referrals.")
            % {"partner": receiver.name}
        )
    outside = {c.name for c in categories} - {c.name for c in agreement.categories.all()}
    if outside:
        raise ValidationError(
            _("The agreement with %(partner)s does not cover: %(categories)s.")
            % {"partner": receiver.name, "categories": ", ".join(sorted(outside))}
        )
    return agreement


# --- agreements ------------------------------------------------------------------------------


@transaction.atomic
def agreement_save(
    *,
    actor: Membership,
    agreement: Agreement | None = None,
    partner: Organisation,
    categories: list[SignalCategory],
    response_days: int,
    valid_from: date,
    valid_until: date | None = None,
) -> Agreement:
    """Make or change an agreement with a partner (administrators of the organisation that made
    it; the partner's administrators see it)."""
    if actor.role != Membership.Role.BEHEERDER:
        raise ValidationError(_("Only an administrator may make agreements."))
    if agreement is not None and agreement.first_id != actor.organisation_id:
        raise ValidationError(_("Only the organisation that made the agreement may change it."))
    _agreement_check(
        first_id=actor.organisation_id,
        partner=partner,
        categories=categories,
        response_days=response_days,
        valid_from=valid_from,
        valid_until=valid_until,
        agreement=agreement,
    )
    agreement = agreement or Agreement(first_id=actor.organisation_id, created_by_id=actor.user_id)
    return _agreement_write(
        agreement,
        partner=partner,
        categories=categories,
        response_days=response_days,
        valid_from=valid_from,
        valid_until=valid_until,
    )


def _agreement_check(
    *,
    first_id: int,
    partner: Organisation,
    categories,
    response_days: int,
    valid_from: date,
    valid_until: date | None,
    agreement: Agreement | None,
) -> None:
    if partner.pk == first_id:
        raise ValidationError({"partner": _("An agreement is with another organisation.")})
    if not categories:
        raise ValidationError({"categories": _("Choose the categories that may be referred.")})
    if not 1 <= response_days <= 60:
        raise ValidationError({"response_days": _("Give a deadline of 1 to 60 working days.")})
    if valid_until and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The end cannot be before the start.")})
    overlapping = Agreement.objects.between(first_id, partner.pk).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from)
    )
    if valid_until:
        overlapping = overlapping.filter(valid_from__lte=valid_until)
    if agreement is not None:
        overlapping = overlapping.exclude(pk=agreement.pk)
    if overlapping.exists():
        raise ValidationError(
            _("There is already an agreement with %(partner)s in this period: change or end it.")
            % {"partner": partner.name}
        )


def _agreement_write(
    agreement: Agreement,
    *,
    partner: Organisation,
    categories,
    response_days: int,
    valid_from: date,
    valid_until: date | None,
) -> Agreement:
    agreement.second = partner
    agreement.response_days = response_days
    agreement.valid_from = valid_from
    agreement.valid_until = valid_until
    agreement.save()
    agreement.categories.set(categories)
    return agreement


@transaction.atomic
def agreement_setup(
    *,
    user: User,
    organisation: Organisation,
    partner: Organisation,
    categories: list[SignalCategory],
    response_days: int,
    valid_from: date,
    valid_until: date | None = None,
) -> tuple[Agreement, Outcome]:
    """Make or update the agreement of `organisation` with `partner` starting on `valid_from`,
    from the set-up file (an installation administrator, ADR 0020); the organisation's
    administrators change it later. Nothing is written when it is as given."""
    installation_admin_check(user)
    agreement = (
        Agreement.objects.select_for_update()
        .filter(first=organisation, second=partner, valid_from=valid_from)
        .first()
    )
    if agreement is not None:
        same = (
            agreement.response_days == response_days
            and agreement.valid_until == valid_until
            and {c.pk for c in agreement.categories.all()} == {c.pk for c in categories}
        )
        if same:
            return agreement, Outcome.UNCHANGED
    _agreement_check(
        first_id=organisation.pk,
        partner=partner,
        categories=categories,
        response_days=response_days,
        valid_from=valid_from,
        valid_until=valid_until,
        agreement=agreement,
    )
    outcome = Outcome.CREATED if agreement is None else Outcome.UPDATED
    agreement = agreement or Agreement(first=organisation, created_by=user)
    agreement = _agreement_write(
        agreement,
        partner=partner,
        categories=categories,
        response_days=response_days,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    return agreement, outcome
