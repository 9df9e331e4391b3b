"""Referrals between organisations: sent on a legal basis, accepted or declined, completed with
an outcome, or withdrawn; a partner refers onward through a referral it accepted (ADR 0023).
The referred signals follow the referral."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.access.actors import Actor, history_by
from cases.access.bases import onward_basis, onward_source_holds, referral_basis
from cases.access.log import log_access
from cases.models import (
    AccessLog,
    Consent,
    Household,
    HouseholdEvent,
    Referral,
    Signal,
)
from cases.selectors.referrals import referral_changed_by, referral_changed_message
from cases.services import notices
from cases.services.agreements import referral_agreement
from cases.services.history import household_event_add
from cases.services.households import household_open_require
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


def _basis_still_valid(referral: Referral) -> bool:
    if referral.legal_basis == LegalBasis.VROEGSIGNALERING:
        return True
    return Consent.objects.in_force().filter(pk=referral.consent_id).exists()


# --- referrals -------------------------------------------------------------------------------


def _signals_follow(*, actor, referral: Referral, to_status: str) -> None:
    """The referred signals: 'referred' while the referral is open, back to the sender's
    decision ('in progress') when it ends, unless another open referral still holds them (the
    one it was referred onward from, or one referred onward from it)."""
    still_referred = set()
    if to_status == SignalStatus.IN_BEHANDELING:
        still_referred = set(
            Referral.objects.open()
            .exclude(pk=referral.pk)
            .filter(signals__in=referral.signals.all())
            .values_list("signals", flat=True)
        )
    for signal in referral.signals.select_for_update(of=("self",)):
        if to_status == SignalStatus.DOORVERWEZEN and signal.status in OPEN_STATUSES:
            new = SignalStatus.DOORVERWEZEN
        elif (
            to_status == SignalStatus.IN_BEHANDELING
            and signal.status == SignalStatus.DOORVERWEZEN
            and signal.pk not in still_referred
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
            data={"from": previous, "to": new, "reason": "", **history_by(actor)},
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
    """The household's corporation refers its signals to a partner, on consent or the
    vroegsignalering route."""
    household = household_open_require(actor=actor, household=household)
    if household.corporation_id != actor.organisation_id:
        # A partner passes on only what it holds itself: referral_send_onward (ADR 0023).
        raise ValidationError(_("A partner refers a household onward from a referral it accepted."))
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
    _check_person(to_person, to_organisation)
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
        deadline=add_working_days(timezone.localdate(), agreement.response_days),
        sent_by_id=actor.user_id,
    )
    return _sent(actor=actor, referral=referral, signals=signals, kind=Kind.REFERRAL_SENT)


def _check_person(to_person, to_organisation: Organisation) -> None:
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


def _sent(*, actor: Membership, referral: Referral, signals: list[Signal], kind: str) -> Referral:
    """What every referral sent does: its signals, the history, the log and the receiver told."""
    referral.signals.set(signals)
    _signals_follow(actor=actor, referral=referral, to_status=SignalStatus.DOORVERWEZEN)
    via = {"via": referral.via_referral_id} if referral.via_referral_id else {}
    household_event_add(
        actor=actor,
        household=referral.household,
        kind=kind,
        referral=referral,
        to=referral.to_organisation.name,
        basis=referral.legal_basis,
        **via,
    )
    log_access(
        actor=actor,
        action=AccessLog.Action.CREATE,
        household=referral.household,
        obj=referral,
        detail={"via_referral": referral.via_referral_id} if via else None,
    )
    notices.referral_sent(referral)
    return referral


@transaction.atomic
def referral_send_onward(
    *,
    actor: Membership,
    via: Referral,
    to_organisation: Organisation,
    signals: list[Signal],
    message: str = "",
    to_person=None,
) -> Referral:
    """A partner refers the household onward through a referral it accepted (ADR 0023): only
    that referral's signals, to a partner it has an agreement with, on the household's consent
    to that partner; the new referral names the one it came from."""
    via = Referral.objects.select_related("household__corporation").get(pk=via.pk)
    signals = list(signals)
    if not onward_source_holds(actor=actor, referral=via):
        raise ValidationError(
            _(
                "Only an organisation that accepted this referral, while it still shares the "
                "household, may refer it onward."
            )
        )
    household = household_open_require(actor=actor, household=via.household)
    if to_organisation.pk == actor.organisation_id:
        raise ValidationError({"to_organisation": _("Refer to another organisation.")})
    if to_organisation.pk == household.corporation_id:
        raise ValidationError(
            {
                "to_organisation": _(
                    "The household's corporation has the household already: tell it through "
                    "the outcome of the referral."
                )
            }
        )
    if not signals:
        raise ValidationError({"signals": _("Choose the signals this referral is about.")})
    own = set(via.signals.values_list("pk", flat=True))
    if any(signal.pk not in own or signal.status not in OPEN_STATUSES for signal in signals):
        raise ValidationError(
            {"signals": _("Only open signals of the referral you accepted can be referred on.")}
        )
    chain = {via.pk, *(link.pk for link in via.chain())}
    if Referral.objects.open().filter(signals__in=signals).exclude(pk__in=chain).exists():
        raise ValidationError({"signals": _("A signal is already in an open referral.")})
    _check_person(to_person, to_organisation)
    categories = list({signal.category for signal in signals})
    agreement = referral_agreement(
        sender=actor.organisation, receiver=to_organisation, categories=categories
    )
    consent = onward_basis(household=household, receiver=to_organisation, categories=categories)
    referral = Referral.objects.create(
        household=household,
        from_organisation_id=actor.organisation_id,
        to_organisation=to_organisation,
        to_person=to_person,
        message=message.strip(),
        agreement=agreement,
        legal_basis=LegalBasis.TOESTEMMING,
        consent=consent,
        deadline=add_working_days(timezone.localdate(), agreement.response_days),
        sent_by_id=actor.user_id,
        via_referral=via,
    )
    return _sent(actor=actor, referral=referral, signals=signals, kind=Kind.REFERRAL_SENT_ONWARD)


def _locked(referral: Referral) -> Referral:
    """The referral, locked until the transaction ends. Who responded is read after the lock,
    not joined into it: a row re-read after waiting for a lock keeps its joins' old values."""
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("household", "from_organisation", "to_organisation")
        .get(pk=referral.pk)
    )


class ReferralChanged(ValidationError):
    """The referral is no longer the version the person or system saw (the pages' hidden
    field, the API's `versie`): it says what the referral is now and who changed it."""


def _check_version(referral: Referral, version: int | None) -> None:
    """Compared under the row's lock, so of two answers sent on the same version exactly one
    is taken."""
    if version is not None and version != referral.version:
        raise ReferralChanged(referral_changed_message(referral))


def _refuse_move(referral: Referral, new: str) -> None:
    if referral.status == ReferralStatus.GEACCEPTEERD and new == ReferralStatus.GEACCEPTEERD:
        raise ValidationError(
            _("%(name)s accepted this referral already, on %(when)s.")
            % {
                "name": referral_changed_by(referral),
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
    household_event_add(
        actor=actor, household=referral.household, kind=kind, referral=referral, **data
    )
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
def referral_accept(*, actor: Actor, referral: Referral, version: int | None = None) -> Referral:
    """Accept a referral. Of two people accepting at once exactly one wins (the row lock); the
    other is told who accepted it. With `version`, one changed since is refused."""
    referral = _locked(referral)
    _receiver(actor, referral)
    _check_version(referral, version)
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
    actor: Actor,
    referral: Referral,
    reason: str,
    category: str = DeclineReason.ANDERS,
    version: int | None = None,
) -> Referral:
    """Decline a referral, with the kind of reason (counted on the dashboards) and the
    explanation the sender reads. With `version`, one changed since is refused."""
    referral = _locked(referral)
    _receiver(actor, referral)
    _check_version(referral, version)
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
    *, actor: Actor, referral: Referral, outcome: str, note: str = "", version: int | None = None
) -> Referral:
    """Complete an accepted referral with its outcome, for the sender to read. With `version`,
    one changed since is refused."""
    referral = _locked(referral)
    _receiver(actor, referral)
    _check_version(referral, version)
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
