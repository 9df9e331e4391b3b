"""Consent, and referrals between organisations: sent on a legal basis, accepted or declined,
completed with an outcome, or withdrawn. The referred signals follow the referral."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.access_log import log_access
from cases.models import (
    AccessLog,
    Agreement,
    Consent,
    Household,
    HouseholdEvent,
    Referral,
    Signal,
    SignalCategory,
)
from cases.services import notices
from cases.workdays import add_working_days
from cases.workflow import (
    OPEN_STATUSES,
    DeclineReason,
    LegalBasis,
    ReferralOutcome,
    ReferralStatus,
    SignalStatus,
    referral_can_move,
)
from partners.models import Membership, Organisation

Kind = HouseholdEvent.Kind
VROEGSIGNALERING_CATEGORY = "huurachterstand"
# Besluit gemeentelijke schuldhulpverlening, art. 2: what must have happened before a landlord
# passes rent arrears on to the municipality without consent.
PRECONDITIONS = ("contact_attempted", "reminder_sent", "offer_made", "no_objection")


def _event(*, actor, household, kind, referral=None, **data) -> None:
    HouseholdEvent.objects.create(
        household=household,
        kind=kind,
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
        referral=referral,
        data=data,
    )


def _own_household(actor: Membership, household: Household) -> None:
    if household.corporation_id != actor.organisation_id:
        raise ValidationError(_("Only the household's own corporation may do this."))


# --- consent ---------------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    actor: Membership,
    household: Household,
    receiving_organisation: Organisation,
    purpose: str,
    categories: list[SignalCategory],
    given_how: str,
    given_on: date,
    ends_on: date | None = None,
) -> Consent:
    """Record that the household agreed to share its data with an organisation."""
    _own_household(actor, household)
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("Consent cannot be given in the future.")})
    if ends_on and ends_on < given_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the date given.")})
    if not categories:
        raise ValidationError({"categories": _("Choose what the consent is about.")})
    if given_how not in Consent.GivenHow.values:
        raise ValidationError({"given_how": _("Choose how the consent was given.")})
    consent = Consent.objects.create(
        household=household,
        receiving_organisation=receiving_organisation,
        purpose=purpose.strip(),
        given_how=given_how,
        given_on=given_on,
        ends_on=ends_on,
        recorded_by_id=actor.user_id,
        recorded_for_id=actor.organisation_id,
    )
    consent.categories.set(categories)
    _event(
        actor=actor,
        household=household,
        kind=Kind.CONSENT_RECORDED,
        to=receiving_organisation.name,
        categories=[c.name for c in categories],
    )
    log_access(actor=actor, action=AccessLog.Action.CREATE, household=household, obj=consent)
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Membership, consent: Consent, withdrawn_on: date) -> Consent:
    """Withdraw consent; the receiving organisation's access through it ends at once."""
    consent = Consent.objects.select_for_update().select_related("household").get(pk=consent.pk)
    _own_household(actor, consent.household)
    if consent.withdrawn_on:
        raise ValidationError(_("This consent has already been withdrawn."))
    if withdrawn_on > timezone.localdate() or withdrawn_on < consent.given_on:
        raise ValidationError(
            {"withdrawn_on": _("Give the date the household withdrew its consent.")}
        )
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_recorded_by_id = actor.user_id
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_on", "withdrawn_recorded_by", "withdrawn_at"])
    _event(
        actor=actor,
        household=consent.household,
        kind=Kind.CONSENT_WITHDRAWN,
        to=consent.receiving_organisation.name,
    )
    log_access(
        actor=actor, action=AccessLog.Action.UPDATE, household=consent.household, obj=consent
    )
    notices.consent_withdrawn(consent)
    return consent


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


def referral_basis(
    *,
    household: Household,
    receiver: Organisation,
    categories,
    preconditions: dict | None,
) -> tuple[str, Consent | None]:
    """Consent in force for this organisation and these categories, or the vroegsignalering
    route with its preconditions; otherwise refused with the reason."""
    if preconditions is not None:
        if {c.code for c in categories} != {VROEGSIGNALERING_CATEGORY}:
            raise ValidationError(
                _("Without consent only rent arrears may be passed on (vroegsignalering).")
            )
        if receiver.kind != Organisation.Kind.GEMEENTE:
            raise ValidationError(
                _("Without consent, rent arrears may only be passed on to a municipality.")
            )
        missing = [name for name in PRECONDITIONS if not preconditions.get(name)]
        if missing:
            raise ValidationError(
                _(
                    "Rent arrears may be passed on without consent only after personal contact "
                    "was attempted, a written reminder was sent, the offer to pass the data on "
                    "was made and the tenant did not object."
                )
            )
        return LegalBasis.VROEGSIGNALERING, None
    wanted = {c.pk for c in categories}
    for consent in (
        Consent.objects.in_force()
        .filter(household=household, receiving_organisation=receiver)
        .prefetch_related("categories")
    ):
        if wanted <= {c.pk for c in consent.categories.all()}:
            return LegalBasis.TOESTEMMING, consent
    raise ValidationError(
        _(
            "The household has not given consent to share these signals with %(partner)s. "
            "Record the consent first."
        )
        % {"partner": receiver.name}
    )


def _basis_still_valid(referral: Referral) -> bool:
    if referral.legal_basis == LegalBasis.VROEGSIGNALERING:
        return True
    return Consent.objects.in_force().filter(pk=referral.consent_id).exists()


# --- referrals -------------------------------------------------------------------------------


def _signals_follow(*, actor, referral: Referral, to_status: str) -> None:
    """The referred signals: 'referred' while the referral is open, back to the sender's
    decision ('in progress') when it ends."""
    for signal in referral.signals.select_for_update(of=("self",)):
        if to_status == SignalStatus.DOORVERWEZEN and signal.status in OPEN_STATUSES:
            new = SignalStatus.DOORVERWEZEN
        elif (
            to_status == SignalStatus.IN_BEHANDELING and signal.status == SignalStatus.DOORVERWEZEN
        ):
            new = SignalStatus.IN_BEHANDELING
        else:
            continue
        previous, signal.status, signal.status_changed_at = signal.status, new, timezone.now()
        signal.save(update_fields=["status", "status_changed_at"])
        HouseholdEvent.objects.create(
            household_id=signal.household_id,
            kind=Kind.SIGNAL_STATUS_CHANGED,
            user_id=actor.user_id,
            organisation_id=actor.organisation_id,
            signal=signal,
            referral=referral,
            data={"from": previous, "to": new, "reason": ""},
        )


@transaction.atomic
def referral_send(
    *,
    actor: Membership,
    household: Household,
    to_organisation: Organisation,
    signals: list[Signal],
    message: str = "",
    to_person=None,
    preconditions: dict | None = None,
) -> Referral:
    """Refer a household's signals to a partner, on consent or the vroegsignalering route."""
    if not Household.objects.visible_to(actor).filter(pk=household.pk).exists():
        raise ValidationError(_("You may not work with this household."))
    if to_organisation.pk == actor.organisation_id:
        raise ValidationError({"to_organisation": _("Refer to another organisation.")})
    if not signals:
        raise ValidationError({"signals": _("Choose the signals this referral is about.")})
    for signal in signals:
        if signal.household_id != household.pk or signal.status not in OPEN_STATUSES:
            raise ValidationError({"signals": _("Only open signals of this household.")})
    busy = Referral.objects.open().filter(signals__in=signals).exists()
    if busy:
        raise ValidationError({"signals": _("A signal is already in an open referral.")})
    if (
        to_person is not None
        and not Membership.objects.active()
        .filter(user=to_person, organisation=to_organisation)
        .exists()
    ):
        raise ValidationError(
            {
                "to_person": _("This person does not work for %(partner)s.")
                % {"partner": to_organisation.name}
            }
        )
    categories = list({signal.category for signal in signals})
    agreement = referral_agreement(
        sender=actor.organisation, receiver=to_organisation, categories=categories
    )
    basis, consent = referral_basis(
        household=household,
        receiver=to_organisation,
        categories=categories,
        preconditions=preconditions,
    )
    today = timezone.localdate()
    referral = Referral.objects.create(
        household=household,
        from_organisation_id=actor.organisation_id,
        to_organisation=to_organisation,
        to_person=to_person,
        message=message.strip(),
        agreement=agreement,
        legal_basis=basis,
        consent=consent,
        preconditions=preconditions or {},
        deadline=add_working_days(today, agreement.response_days),
        sent_by_id=actor.user_id,
    )
    referral.signals.set(signals)
    _signals_follow(actor=actor, referral=referral, to_status=SignalStatus.DOORVERWEZEN)
    _event(
        actor=actor,
        household=household,
        kind=Kind.REFERRAL_SENT,
        referral=referral,
        to=to_organisation.name,
        basis=basis,
    )
    log_access(actor=actor, action=AccessLog.Action.CREATE, household=household, obj=referral)
    notices.referral_sent(referral)
    return referral


def _locked(referral: Referral) -> Referral:
    """The referral, locked until the transaction ends. Who responded is read after the lock,
    not joined into it: a row re-read after waiting for a lock keeps its joins' old values."""
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("household", "from_organisation", "to_organisation")
        .get(pk=referral.pk)
    )


def _refuse_move(referral: Referral, new: str) -> None:
    if referral.status == ReferralStatus.GEACCEPTEERD and new == ReferralStatus.GEACCEPTEERD:
        raise ValidationError(
            _("%(name)s accepted this referral already, on %(when)s.")
            % {
                "name": referral.responded_by.name,
                "when": date_format(timezone.localtime(referral.responded_at), "j F Y H:i"),
            }
        )
    raise ValidationError(
        _("This referral is ‘%(status)s’ and can no longer be ‘%(new)s’.")
        % {"status": referral.get_status_display(), "new": ReferralStatus(new).label}
    )


def _move(*, actor, referral: Referral, new: str, kind: str, **data) -> Referral:
    if not referral_can_move(referral.status, new):
        _refuse_move(referral, new)
    referral.status = new
    referral.version += 1
    now = timezone.now()
    if new in (ReferralStatus.GEACCEPTEERD, ReferralStatus.AFGEWEZEN):
        referral.responded_by_id, referral.responded_at = actor.user_id, now
    if new in (ReferralStatus.AFGEWEZEN, ReferralStatus.AFGEROND, ReferralStatus.INGETROKKEN):
        referral.closed_by_id, referral.closed_at = actor.user_id, now
        _signals_follow(actor=actor, referral=referral, to_status=SignalStatus.IN_BEHANDELING)
    referral.save()
    _event(actor=actor, household=referral.household, kind=kind, referral=referral, **data)
    _log_change(actor, referral)
    notices.referral_moved(referral)
    return referral


def _log_change(actor: Membership, referral: Referral) -> None:
    """A change through the referral is logged on the referral's basis (after a decline the
    receiver no longer sees the household, but the decline itself was lawful)."""
    own = referral.household.corporation_id == actor.organisation_id
    log_access(
        actor=actor,
        action=AccessLog.Action.UPDATE,
        household=referral.household,
        obj=referral,
        legal_basis=None if own else referral.legal_basis,
    )


def _receiver(actor: Membership, referral: Referral) -> None:
    if referral.to_organisation_id != actor.organisation_id:
        raise ValidationError(_("Only the receiving organisation may do this."))


@transaction.atomic
def referral_accept(*, actor: Membership, referral: Referral) -> Referral:
    """Accept a referral. Of two people accepting at once exactly one wins (the row lock); the
    other is told who accepted it."""
    referral = _locked(referral)
    _receiver(actor, referral)
    if referral.status == ReferralStatus.VERZONDEN and not _basis_still_valid(referral):
        raise ValidationError(_("The household withdrew its consent: this referral has ended."))
    if referral.assigned_to_id is None:
        referral.assigned_to_id = actor.user_id
    return _move(
        actor=actor, referral=referral, new=ReferralStatus.GEACCEPTEERD, kind=Kind.REFERRAL_ACCEPTED
    )


@transaction.atomic
def referral_decline(
    *,
    actor: Membership,
    referral: Referral,
    reason: str,
    category: str = DeclineReason.ANDERS,
) -> Referral:
    """Decline a referral, with the kind of reason (counted on the dashboards) and the
    explanation the sender reads."""
    referral = _locked(referral)
    _receiver(actor, referral)
    if category not in DeclineReason.values:
        raise ValidationError({"category": _("Choose why you decline.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for declining.")})
    referral.decline_category = category
    referral.decline_reason = reason.strip()[:500]
    return _move(
        actor=actor,
        referral=referral,
        new=ReferralStatus.AFGEWEZEN,
        kind=Kind.REFERRAL_DECLINED,
        reason=referral.decline_reason,
        category=category,
    )


@transaction.atomic
def referral_complete(
    *, actor: Membership, referral: Referral, outcome: str, note: str = ""
) -> Referral:
    """Complete an accepted referral with its outcome, for the sender to read."""
    referral = _locked(referral)
    _receiver(actor, referral)
    if outcome not in ReferralOutcome.values:
        raise ValidationError({"outcome": _("Choose how the referral ended.")})
    referral.outcome, referral.outcome_note = outcome, note.strip()
    return _move(
        actor=actor,
        referral=referral,
        new=ReferralStatus.AFGEROND,
        kind=Kind.REFERRAL_COMPLETED,
        outcome=outcome,
    )


@transaction.atomic
def referral_withdraw(*, actor: Membership, referral: Referral) -> Referral:
    """The sender withdraws a referral that is not yet completed."""
    referral = _locked(referral)
    if referral.from_organisation_id != actor.organisation_id:
        raise ValidationError(_("Only the sending organisation may withdraw a referral."))
    return _move(
        actor=actor, referral=referral, new=ReferralStatus.INGETROKKEN, kind=Kind.REFERRAL_WITHDRAWN
    )


@transaction.atomic
def referral_assign(*, actor: Membership, referral: Referral, user) -> Referral:
    """Give an open referral to a colleague of the receiving organisation."""
    referral = _locked(referral)
    _receiver(actor, referral)
    if not referral.is_open:
        raise ValidationError(_("Only an open referral can be assigned."))
    if (
        not Membership.objects.active()
        .filter(user=user, organisation_id=actor.organisation_id)
        .exists()
    ):
        raise ValidationError({"user": _("Choose a colleague of your own organisation.")})
    referral.assigned_to = user
    referral.version += 1
    referral.save(update_fields=["assigned_to", "version"])
    _log_change(actor, referral)
    return referral


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
    if partner.pk == actor.organisation_id:
        raise ValidationError({"partner": _("An agreement is with another organisation.")})
    if not categories:
        raise ValidationError({"categories": _("Choose the categories that may be referred.")})
    if not 1 <= response_days <= 60:
        raise ValidationError({"response_days": _("Give a deadline of 1 to 60 working days.")})
    if valid_until and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The end cannot be before the start.")})
    overlapping = Agreement.objects.between(actor.organisation_id, partner.pk).filter(
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
    agreement = agreement or Agreement(first_id=actor.organisation_id, created_by_id=actor.user_id)
    agreement.second = partner
    agreement.response_days = response_days
    agreement.valid_from = valid_from
    agreement.valid_until = valid_until
    agreement.save()
    agreement.categories.set(categories)
    return agreement
