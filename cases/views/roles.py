"""Who may open which page of cases: one set of role checks that every view module imports, so
a page's door is named once (`@worker_required`) and roles are compared through the enum.

Each check is partners.actor.actor_required: not logged in goes to the login page, no actor to
choosing one, a wrong role or kind of organisation is a 403. Which household, referral or case
the actor may then see is decided by the access rules (cases.access), not here."""

from cases.access.bases import DECIDERS
from partners.actor import actor_required, installation_admin_required
from partners.mfa import mfa_session_required
from partners.models import Membership, Organisation

Role = Membership.Role
Kind = Organisation.Kind

# Anyone acting for an organisation, whatever the role (the page narrows what it shows).
member_required = actor_required()
# Workers of any organisation: referrals, joint cases, support packages, emergency access.
worker_required = actor_required(Role.MEDEWERKER)
# Household data of its own is the corporation's workers': the lists, visits, consent.
corporation_worker_required = actor_required(Role.MEDEWERKER, kinds=(Kind.CORPORATIE,))
# Requests for informal help and their matches (ADR 0033): the corporation's and welfare workers.
help_worker_required = actor_required(Role.MEDEWERKER, kinds=(Kind.CORPORATIE, Kind.WELZIJN))
# The paying organisation decides about its own money (cases.access.bases.DECIDERS).
decider_required = actor_required(*DECIDERS)
manager_required = actor_required(Role.MANAGER)
# The costs-and-savings ledger is read by managers and administrators.
ledger_reader_required = actor_required(Role.MANAGER, Role.BEHEERDER)
# The balance of helpers and requests per complex steers allocation: the managers of a
# corporation and of a municipality (ADR 0035).
balance_reader_required = actor_required(Role.MANAGER, kinds=(Kind.CORPORATIE, Kind.GEMEENTE))
administrator_required = actor_required(Role.BEHEERDER)
corporation_administrator_required = actor_required(Role.BEHEERDER, kinds=(Kind.CORPORATIE,))
# What the whole installation shares (the signal categories, the access log's term) is kept by
# the installation administrators, who act for no organisation.
installation_required = installation_admin_required
# An organisation's retention terms: its administrators and privacy officers.
retention_keeper_required = actor_required(Role.BEHEERDER, Role.PRIVACYFUNCTIONARIS)


def officer_required(view):
    """The privacy officer's pages: that role, and with MFA_REQUIRED a recent code from the app
    in this session (partners.mfa)."""
    return actor_required(Role.PRIVACYFUNCTIONARIS)(mfa_session_required(view))
