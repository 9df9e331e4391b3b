"""The household's rights under the AVG (ADR 0010): rectification that every organisation
holding the data hears of, and erasure where no duty to keep it stands in the way."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.access.log import log_access
from cases.models import (
    AccessLog,
    Consent,
    EmergencyAccess,
    EmergencyAccessRequest,
    HelpRequest,
    HomeVisit,
    Household,
    HouseholdEvent,
    JointCase,
    Referral,
    Resident,
    RetentionTerm,
    Signal,
    SupportPackage,
)
from cases.models.households import phone_validator
from cases.models.imports import HouseholdImport
from cases.selectors.retention import months_before, retention_months
from cases.services.help_requests import help_requests_erased
from cases.services.imports.parsing import ERASED_PREFIX
from cases.services.retention import (
    anonymise_consents,
    anonymise_emergency,
    anonymise_help_requests,
    anonymise_joint_cases,
    anonymise_packages,
    anonymise_referrals,
    anonymise_signals,
    anonymise_visits,
    strip_event_text,
)
from cases.workflow import LegalBasis
from partners.models import Membership

Kind = HouseholdEvent.Kind
Role = Membership.Role
MERGED_HERE = gettext_lazy(
    "This household was merged into another one (ADR 0026): its data is there. Correct or "
    "erase it there; erasing that household erases this record too."
)


def _officer_of_corporation(actor: Membership, household: Household) -> None:
    if actor.role != Role.PRIVACYFUNCTIONARIS:
        raise ValidationError(_("Only a privacy officer may do this."))
    if household.corporation_id != actor.organisation_id:
        raise ValidationError(
            _("Only the household's corporation corrects or erases its data in Inclusie.")
        )


# --- rectification (AVG art. 16) -------------------------------------------------------------


@dataclass(frozen=True)
class ResidentCorrection:
    resident_id: int
    name: str
    birth_year: int | None


@transaction.atomic
def household_rectify(
    *,
    actor: Membership,
    household: Household,
    phone: str,
    email: str,
    residents: list[ResidentCorrection],
    reason: str,
) -> list[str]:
    """Correct the household's contact data and its residents' names and years of birth. The
    history keeps each old and new value, who, when and why. Returns the fields changed."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    _officer_of_corporation(actor, household)
    if household.anonymised_at:
        raise ValidationError(_("This household's data was erased; there is nothing to correct."))
    if household.merged_into_id:
        raise ValidationError(MERGED_HERE)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the data is corrected.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
    phone, email = phone.strip(), email.strip().lower()
    if phone:
        phone_validator(phone)
    if email:
        EmailValidator(message=_("Enter a valid e-mail address."))(email)
    changes: dict[str, list] = {}
    fields: list[str] = []
    for name, new in (("phone", phone), ("email", email)):
        if getattr(household, name) != new:
            changes[name] = [getattr(household, name), new]
            fields.append(name)
            setattr(household, name, new)
    own = {r.pk: r for r in household.residents.select_for_update()}
    changed_residents = []
    for correction in residents:
        resident = own.get(correction.resident_id)
        if resident is None:
            raise ValidationError(_("This resident does not live in this household."))
        name = correction.name.strip()
        if not name:
            raise ValidationError(_("A resident needs a name."))
        if correction.birth_year is not None and not 1900 <= correction.birth_year <= 2100:
            raise ValidationError(_("Give a year of birth between 1900 and 2100."))
        if resident.name != name:
            changes[f"resident:{resident.pk}:name"] = [resident.name, name]
            fields.append("resident_name")
            resident.name = name
        if resident.birth_year != correction.birth_year:
            changes[f"resident:{resident.pk}:birth_year"] = [
                resident.birth_year,
                correction.birth_year,
            ]
            fields.append("resident_birth_year")
            resident.birth_year = correction.birth_year
        changed_residents.append(resident)
    if not changes:
        raise ValidationError(_("Nothing was changed."))
    household.updated_at = timezone.now()
    household.save(update_fields=["phone", "email", "updated_at"])
    for resident in changed_residents:
        resident.save(update_fields=["name", "birth_year"])
    fields = list(dict.fromkeys(fields))
    HouseholdEvent.objects.create(
        household=household,
        kind=Kind.DATA_CORRECTED,
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
        data={"fields": fields, "changes": changes, "reason": reason, "source": "avg"},
    )
    log_access(
        actor=actor,
        action=AccessLog.Action.UPDATE,
        household=household,
        obj=household,
        detail={"fields": fields},
        legal_basis=AccessLog.LegalBasis.AVG_REQUEST,
    )
    return fields


# --- erasure (AVG art. 17) ---------------------------------------------------------------------


def erasure_refusals(*, actor: Membership, household: Household) -> list[str]:
    """Why the household's data may not be erased now; empty when it may. A partner still
    working with the household (an open referral or joint case) and the record of rent arrears
    passed on without consent, within its retention term, are duties to keep (ADR 0010)."""
    try:
        _officer_of_corporation(actor, household)
    except ValidationError as exc:
        return exc.messages
    if household.merged_into_id:
        return [str(MERGED_HERE)]
    if household.anonymised_at:
        return [
            _("This household's data was erased already, on %(date)s.")
            % {"date": date_format(timezone.localtime(household.anonymised_at), "j F Y")}
        ]
    reasons = []
    referrals = Referral.objects.filter(household=household).select_related(
        "from_organisation", "to_organisation"
    )
    for referral in referrals.open().order_by("sent_at"):
        reasons.append(
            _(
                "The referral from %(sender)s to %(receiver)s is still open: it must be "
                "completed or withdrawn first."
            )
            % {"sender": referral.from_organisation.name, "receiver": referral.to_organisation.name}
        )
    case = (
        JointCase.objects.open()
        .filter(household=household)
        .select_related("coordinator_organisation")
        .first()
    )
    if case is not None:
        reasons.append(
            _(
                "The joint case coordinated by %(organisation)s is still open: it must be "
                "closed first."
            )
            % {"organisation": case.coordinator_organisation.name}
        )
    now = timezone.now()
    early = referrals.filter(legal_basis=LegalBasis.VROEGSIGNALERING, closed_at__isnull=False)
    for referral in early.order_by("closed_at"):
        # The sender holds the referral: its term for referrals (ADR 0015).
        months = retention_months(
            organisation_id=referral.from_organisation_id, kind=RetentionTerm.Kind.REFERRALS
        )
        until = months_before(timezone.localtime(referral.closed_at), -months)  # + the term
        if until > now:
            reasons.append(
                _(
                    "Rent arrears were passed on to %(organisation)s without consent "
                    "(vroegsignalering); that record must be kept until %(date)s."
                )
                % {
                    "organisation": referral.to_organisation.name,
                    "date": date_format(until, "j F Y"),
                }
            )
    return reasons


@transaction.atomic
def household_erase(*, actor: Membership, household: Household, received_on: date) -> Household:
    """Erase the household's data on its request: names, contact data and every free text
    about it are emptied, for all organisations; every record, status and date stays, so the
    counts do too. Refused, with the reasons, while a duty to keep applies."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    reasons = erasure_refusals(actor=actor, household=household)
    if reasons:
        raise ValidationError(reasons)
    if received_on > timezone.localdate():
        raise ValidationError(
            {"received_on": _("The request cannot have been received later than today.")}
        )
    now = timezone.now()
    # The households merged into this one are closed records of the same household (ADR
    # 0026): their address, contact data, history and emergency accesses go too.
    absorbed = list(Household.objects.select_for_update().filter(merged_into=household))
    for record in (household, *absorbed):
        record.phone = record.email = ""
        record.street = record.house_number_addition = record.postcode = ""
        record.latitude = record.longitude = None  # where the home is, to the metre
        # The complex with the house number and town is the address in effect.
        record.complex = None
        record.tenancy_reference = f"{ERASED_PREFIX}{record.pk}"
        record.anonymised_at = record.updated_at = now
        record.save()
    family = [household, *absorbed]
    Resident.objects.filter(household__in=family).update(name="", name_key="", birth_year=None)
    anonymise_visits(HomeVisit.objects.filter(household=household))
    anonymise_signals(Signal.objects.filter(household=household))
    anonymise_referrals(Referral.objects.filter(household=household))
    anonymise_consents(Consent.objects.filter(household=household))
    anonymise_joint_cases(JointCase.objects.filter(household=household))
    anonymise_packages(SupportPackage.objects.filter(household=household))
    help_requests_erased(actor=actor, household_ids=[r.pk for r in family], now=now)
    anonymise_help_requests(HelpRequest.objects.filter(household__in=family))
    anonymise_emergency(EmergencyAccess.objects.filter(household__in=family))
    # Requests past the emergency limit (ADR 0018): the worker's reason and the refusal's.
    EmergencyAccessRequest.objects.filter(household__in=family).update(reason="", refusal_reason="")
    strip_event_text(HouseholdEvent.objects.filter(household__in=family))
    # An import's error list quotes the cells it rejected (addresses, names, phone numbers) for
    # KEEP_FILES_FOR; a rejected row cannot be tied to a household, so every error list of the
    # corporation's imports goes (ADR 0010); so does the list of possible duplicates, which
    # quotes names and addresses too (ADR 0026).
    HouseholdImport.objects.filter(organisation_id=household.corporation_id).exclude(
        errors=[], duplicates=[]
    ).update(errors=[], duplicates=[])
    for record in family:
        HouseholdEvent.objects.create(
            household=record,
            kind=Kind.DATA_ERASED,
            at=now,
            user_id=actor.user_id,
            organisation_id=actor.organisation_id,
            data={"received_on": received_on.isoformat()},
        )
        log_access(
            actor=actor,
            action=AccessLog.Action.ERASE,
            household=record,
            obj=record,
            legal_basis=AccessLog.LegalBasis.AVG_REQUEST,
        )
    return household
