"""Rules about support packages that reads and writes share: who may pay for a household's
package and who decides. Neither layer depends on the other for them."""

from cases.models import CaseParticipant, Household, JointCase, Referral
from partners.models import Membership

Role = Membership.Role
# The paying organisation decides about its own money: its workers and its managers.
DECIDERS = (Role.MEDEWERKER, Role.MANAGER)


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
