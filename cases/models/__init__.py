"""WHAT: households, home visits, signals, their history, the access log and privacy."""

from cases.models.access import AccessLog
from cases.models.agreements import Agreement
from cases.models.consents import Consent
from cases.models.dashboards import DashboardRefresh, DashboardTally
from cases.models.duplicates import DistinctHouseholds
from cases.models.help_requests import HelpGiven, HelpMatch, HelpRequest
from cases.models.helpers import Helper, HelperEvent, PersonalLink
from cases.models.history import HouseholdEvent
from cases.models.households import Complex, Household, Resident
from cases.models.imports import HouseholdImport
from cases.models.joint_cases import CaseAction, CaseNote, CaseParticipant, JointCase
from cases.models.ledger import (
    AvoidedCost,
    HourlyRate,
    HoursSplit,
    HoursSplitShare,
    WorkedHours,
)
from cases.models.places import PostcodeCentroid
from cases.models.privacy import (
    AccessReport,
    EmergencyAccess,
    EmergencyAccessRequest,
    RetentionTerm,
)
from cases.models.referrals import Referral
from cases.models.signals import Signal, SignalCategory
from cases.models.support import SupportPackage
from cases.models.visits import HomeVisit

__all__ = [
    "Agreement",
    "Consent",
    "Referral",
    "AccessLog",
    "AccessReport",
    "EmergencyAccess",
    "EmergencyAccessRequest",
    "RetentionTerm",
    "AvoidedCost",
    "HourlyRate",
    "HoursSplit",
    "HoursSplitShare",
    "SupportPackage",
    "WorkedHours",
    "CaseAction",
    "CaseNote",
    "CaseParticipant",
    "DashboardRefresh",
    "DashboardTally",
    "DistinctHouseholds",
    "JointCase",
    "Complex",
    "Helper",
    "HelperEvent",
    "HelpGiven",
    "HelpMatch",
    "HelpRequest",
    "HomeVisit",
    "PersonalLink",
    "PostcodeCentroid",
    "Household",
    "HouseholdEvent",
    "HouseholdImport",
    "Resident",
    "Signal",
    "SignalCategory",
]
