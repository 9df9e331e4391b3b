"""The legal basis on which an actor sees a household, and the other questions of access that
services and selectors ask: may an organisation take part in a household's joint case, on
which basis may a referral be sent or referred onward, who may pay for a support package.
Each answer follows cases.access.rules through the models' QuerySets (ADR 0014)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.access import rules
from cases.models import CaseParticipant, Consent, Household, JointCase, Referral
from cases.workflow import AccessBasis, LegalBasis, ReferralStatus
from partners.models import Membership, Organisation

Role = Membership.Role
# The paying organisation decides about its own money: its workers and its managers.
DECIDERS = (Role.MEDEWERKER, Role.MANAGER)
# Rent arrears is the one category that may be passed on without consent (vroegsignalering).
VROEGSIGNALERING_CATEGORY = "huurachterstand"
# Besluit gemeentelijke schuldhulpverlening, art. 2: what must have happened before a landlord
# passes rent arrears on to the municipality without consent.
PRECONDITIONS = ("contact_attempted", "reminder_sent", "offer_made", "no_objection")
# A referral the partner accepted (or completed recently) is a reason to work together; one
# only sent or declined is not.
REFERRAL_ACCEPTED = (ReferralStatus.GEACCEPTEERD, ReferralStatus.AFGEROND)


# --- the basis of a household shown --------------------------------------------------------


@dataclass(frozen=True)
class HouseholdView:
    """What an organisation holds of a household: `own` its corporation's tenant, `visible` the
    household may be shown to it now (visible_to)."""

    own: bool
    visible: bool


def household_view(*, actor: Membership, household: Household) -> HouseholdView:
    own = household.corporation_id == actor.organisation_id
    visible = own or Household.objects.visible_to(actor).filter(pk=household.pk).exists()
    return HouseholdView(own=own, visible=visible)


def legal_basis_for(*, actor: Membership, household: Household | None) -> str:
    """Why the actor may see this household: its own tenant, or the basis of the referral
    that shares it (consent or vroegsignalering)."""
    if household is None:
        return AccessBasis.NONE
    if household.corporation_id == actor.organisation_id:
        return rules.basis_of(own=True)
    referral = (
        Referral.objects.shared_with(actor.organisation_id)
        .filter(household=household)
        .order_by("-sent_at")
        .first()
    )
    on_consent = (
        referral is None
        and CaseParticipant.objects.on_consent_in_force(actor.organisation_id)
        .filter(case__household=household)
        .exists()
    )
    basis = rules.basis_of(
        own=False,
        referral_basis=referral.legal_basis if referral is not None else None,
        on_consent=on_consent,
    )
    # Emergency access is never implied: only the emergency page logs it, and says so.
    if basis is None:
        raise PermissionError("no legal basis for this household")  # visible_to() prevents this
    return basis


def visible_bases(*, actor: Membership, households: Iterable[Household]) -> dict[int, str]:
    """Of these households, those the actor may see, each with its legal basis: its own
    tenants, and those shared with it (Household.objects.shared_bases: the rules of
    visible_to). At most one query whatever their number; the ones it may not see are left
    out (a list of referrals keeps them, without their household)."""
    households = list(households)
    org = actor.organisation_id
    bases = {h.pk: rules.basis_of(own=True) for h in households if h.corporation_id == org}
    rest = {h.pk for h in households} - bases.keys()
    if rest:
        bases.update(Household.objects.shared_bases(actor, among=rest))
    return bases


def legal_bases_for(*, actor: Membership, households: Iterable[Household]) -> dict[int, str]:
    """legal_basis_for of many households at once, in at most one query whatever their number
    (a list page shows up to 200)."""
    households = list(households)
    bases = visible_bases(actor=actor, households=households)
    missing = {h.pk for h in households} - bases.keys()
    if missing:  # visible_to prevents it
        raise PermissionError(f"no legal basis for households shown: {sorted(missing)}")
    return bases


# --- taking part in a joint case -----------------------------------------------------------


@dataclass(frozen=True)
class Basis:
    """Why an organisation may take part in a household's case."""

    referral: Referral | None = None
    consent: Consent | None = None
    own: bool = False

    @property
    def legal_basis(self) -> str:
        if self.own:
            return AccessBasis.OWN_TENANT
        if self.referral is not None:
            return self.referral.legal_basis
        return AccessBasis.CONSENT


def participation_basis(*, household: Household, organisation_id: int) -> Basis | None:
    """The household's own corporation; or an accepted referral to the organisation that is
    still shared; or a consent in force to it. None when there is no basis."""
    if household.corporation_id == organisation_id:
        return Basis(own=True)
    referral = (
        Referral.objects.shared_with(organisation_id)
        .filter(household=household, status__in=REFERRAL_ACCEPTED)
        .order_by("-sent_at")
        .first()
    )
    if referral is not None:
        return Basis(referral=referral)
    consent = (
        Consent.objects.in_force()
        .filter(household=household, receiving_organisation_id=organisation_id)
        .order_by("-given_on", "-pk")
        .first()
    )
    if consent is not None:
        return Basis(consent=consent)
    return None


# --- sending a referral --------------------------------------------------------------------


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
    consent = _consent_for(household=household, receiver=receiver, categories=categories)
    if consent is not None:
        return LegalBasis.TOESTEMMING, consent
    raise ValidationError(
        _(
            "The household has not given consent to share these signals with %(partner)s. "
            "Record the consent first."
        )
        % {"partner": receiver.name}
    )


def _consent_for(*, household: Household, receiver: Organisation, categories) -> Consent | None:
    """A consent in force of the household to the receiver that covers all these categories."""
    wanted = {c.pk for c in categories}
    for consent in (
        Consent.objects.in_force()
        .filter(household=household, receiving_organisation=receiver)
        .prefetch_related("categories")
    ):
        if wanted <= {c.pk for c in consent.categories.all()}:
            return consent
    return None


# --- referring onward ----------------------------------------------------------------------


def onward_source_holds(*, actor: Membership, referral: Referral) -> bool:
    """May the actor's organisation refer the household onward through this referral (ADR
    0023)? Only a partner that received it and accepted it (or completed it, while it still
    shares the household), on a basis that still holds; never the household's corporation,
    which refers with its own referrals. A referral only sent, declined or withdrawn gives
    nothing to pass on."""
    return (
        Referral.objects.shared_with(actor.organisation_id)
        .filter(pk=referral.pk, status__in=REFERRAL_ACCEPTED)
        .exclude(household__corporation_id=actor.organisation_id)
        .exists()
    )


def onward_basis(*, household: Household, receiver: Organisation, categories) -> Consent:
    """The basis of an onward referral: the household's consent in force to the receiver for
    these categories. The partner's own basis does not pass on (a consent names the
    organisation it was given to), and the vroegsignalering route is the landlord's alone."""
    consent = _consent_for(household=household, receiver=receiver, categories=categories)
    if consent is None:
        raise ValidationError(
            _(
                "The household has not given consent to share these signals with %(partner)s. "
                "Ask %(corporation)s, the household's corporation, to record that consent "
                "first."
            )
            % {"partner": receiver.name, "corporation": household.corporation.name}
        )
    return consent


# --- paying for a support package ----------------------------------------------------------


def payer_choices(*, actor: Membership, household: Household) -> set[int]:
    """Organisations that may pay for a package of this household, as far as the actor may know
    them: its corporation, a partner with an open referral whose legal basis holds, and the
    participants of its open joint case. A partner is offered only the corporation, itself and
    the participants of a case it takes part in, never another partner's referrals."""
    ids = {household.corporation_id}
    for organisation_id in set(
        Referral.objects.open()
        .filter(household=household)
        .values_list("to_organisation_id", flat=True)
    ):
        if (
            Referral.objects.shared_with(organisation_id)
            .open()
            .filter(household=household)
            .exists()
        ):
            ids.add(organisation_id)
    in_case = set(
        CaseParticipant.objects.filter(
            case__household=household, case__status=JointCase.Status.OPEN
        ).values_list("organisation_id", flat=True)
    )
    ids |= in_case
    if household.corporation_id == actor.organisation_id:
        return ids
    known = {household.corporation_id, actor.organisation_id}
    if actor.organisation_id in in_case:
        known |= in_case
    return ids & known
